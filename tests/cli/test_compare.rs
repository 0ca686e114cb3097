//! `report --compare`: each figure beside the earlier period's, on tests/fixtures/trend.csv.
//!
//! First-enforcement days (closing − registration), placed in a period by the closing date:
//!   line 2 执1 2020-10-01 → 2020-12-10 = 70 (Dec 2020)
//!   line 3 执2 2020-11-01 → 2020-12-31 = 60 (Dec 2020)        Dec 2020 mean 65
//!   line 4 执3 2020-12-01 → 2021-01-20 = 50 (Jan 2021)
//!   line 5 执1 2021-01-04 → 2021-01-31 = 27 (Jan 2021)        Jan 2021 mean 38.5
//!   line 6 执4 2020-01-15 → 2020-03-05 = 16 + 29 + 5 = 50 (Mar 2020, a leap year)
//!   line 7 执2 2021-01-15 → 2021-03-05 = 16 + 28 + 5 = 49 (Mar 2021)
//!   line 8 执3 2021-02-01 → 2021-03-31 = 28 + 31 = 58 (Mar 2021) Mar 2021 mean 53.5

use serde_json::Value;

use super::workdir::{Workdir, stderr, stdout};

fn report_json(wd: &Workdir, args: &[&str]) -> Value {
    let mut all = vec!["report", "trend.csv", "--format", "json"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("json")
}

/// The enforcement row of `json` for `month` (None: the overall row).
fn enforcement<'a>(json: &'a Value, month: Option<&str>) -> &'a Value {
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| {
            r["indicator"] == "first_enforcement_days"
                && match month {
                    None => r["group"].as_object().is_some_and(|g| g.is_empty()),
                    Some(month) => r["group"]["month"] == month,
                }
        })
        .expect("row")
}

#[test]
fn previous_month_across_the_year_boundary() {
    let wd = Workdir::with_copy("trend.csv", "tests/fixtures/trend.csv");
    let json = report_json(&wd, &["--period", "2021-01", "--compare", "previous"]);
    assert_eq!(json["compared_with"]["label"], "2020-12");
    assert_eq!(json["compared_with"]["from"], "2020-12-01");
    assert_eq!(json["compared_with"]["to"], "2020-12-31");
    let row = enforcement(&json, None);
    assert_eq!(row["mean"], 38.5);
    assert_eq!(row["earlier"]["mean"], 65.0);
    assert_eq!(row["earlier"]["cases"], 2);
    assert_eq!(row["change"], -26.5);
}

#[test]
fn last_year_pairs_march_with_march_of_a_leap_year() {
    let wd = Workdir::with_copy("trend.csv", "tests/fixtures/trend.csv");
    let json = report_json(&wd, &["--period", "2021-03", "--compare", "last-year"]);
    assert_eq!(json["compared_with"]["label"], "2020-03");
    let row = enforcement(&json, None);
    assert_eq!(row["mean"], 53.5);
    assert_eq!(row["earlier"]["mean"], 50.0);
    assert_eq!(row["change"], 3.5);
}

#[test]
fn monthly_series_pairs_each_month_with_the_same_month_a_year_back() {
    let wd = Workdir::with_copy("trend.csv", "tests/fixtures/trend.csv");
    let json = report_json(
        &wd,
        &[
            "--period",
            "2021",
            "--by",
            "month",
            "--compare",
            "last-year",
        ],
    );
    let march = enforcement(&json, Some("2021-03"));
    assert_eq!(march["earlier"]["mean"], 50.0);
    assert_eq!(march["change"], 3.5);
    // January 2020 had no enforcement case closed: no earlier figure, no change.
    let january = enforcement(&json, Some("2021-01"));
    assert_eq!(january["mean"], 38.5);
    assert_eq!(january["earlier"], Value::Null);
    assert_eq!(january["change"], Value::Null);
    // The year before 2021 for the overall row: the three cases closed in 2020.
    let overall = enforcement(&json, None);
    assert_eq!(overall["earlier"]["cases"], 3);
    assert_eq!(overall["earlier"]["mean"], 60.0);
}

#[test]
fn table_and_csv_show_the_earlier_mean_and_a_signed_change() {
    let wd = Workdir::with_copy("trend.csv", "tests/fixtures/trend.csv");
    let output = wd.run(&[
        "report",
        "trend.csv",
        "--period",
        "2021-03",
        "--compare",
        "last-year",
    ]);
    let table = stdout(&output);
    assert!(
        table.contains("compared with: 2020-03 (last-year; change = figure − earlier figure, in the figure's unit)"),
        "{table}"
    );
    assert!(table.contains("+3.50"), "{table}");
    let output = wd.run(&[
        "report",
        "trend.csv",
        "--period",
        "2021-01",
        "--compare",
        "previous",
        "--format",
        "csv",
    ]);
    let text = stdout(&output);
    let header = text.lines().next().expect("header");
    assert!(header.ends_with(",earlier_mean,change"), "{header}");
    let row = text
        .lines()
        .find(|l| l.starts_with("first_enforcement_days,"))
        .expect("row");
    assert!(row.ends_with(",65.00,-26.50"), "{row}");
}

#[test]
fn compare_needs_a_bounded_period() {
    let wd = Workdir::with_copy("trend.csv", "tests/fixtures/trend.csv");
    let output = wd.run(&["report", "trend.csv", "--compare", "previous"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "casemetrics: --compare previous needs a period with both ends: --period, or --from and --to"
    );
}
