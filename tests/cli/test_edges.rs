//! Issue 12, inputs people really have: the exports and values real users bring (statutory
//! procedure names, decimal commas, full-width case numbers, odd encodings and line endings …),
//! each read correctly or refused with one clear line — never silently shrinking a figure.

use super::workdir::{Workdir, csv_rows, stderr, stdout};

fn run_ok(wd: &Workdir, args: &[&str]) -> String {
    let output = wd.run(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// The CSV rows of `text`, each cut down to `columns` (by header name).
fn columns(text: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let rows = csv_rows(text);
    let index: Vec<usize> = columns
        .iter()
        .map(|c| rows[0].iter().position(|h| h == c).expect(c))
        .collect();
    rows[1..]
        .iter()
        .map(|row| index.iter().map(|&i| row[i].clone()).collect())
        .collect()
}

#[test]
fn statutory_procedure_names_get_their_own_time_limit() {
    // tests/fixtures/hostile/procedure_names.csv, as of 2021-12-31, every case registered
    // 2021-06-01 (age 213 days): 小额诉讼程序 and 小额诉讼 2 months (limit 2021-08-01, over 152),
    // 简易程序 3 months (2021-09-01, over 121), 普通程序 and 第一审普通程序 6 months (2021-12-01,
    // over 30), 第二审程序 second instance, 3 months (over 121).
    let wd = Workdir::with_copy("p.csv", "tests/fixtures/hostile/procedure_names.csv");
    let out = run_ok(
        &wd,
        &[
            "pending",
            "p.csv",
            "--as-of",
            "2021-12-31",
            "--format",
            "csv",
        ],
    );
    let rows = columns(
        &out,
        &["line", "procedure", "limit_months", "days_over_limit"],
    );
    let expected = [
        ["2", "一审 (小额诉讼)", "2", "152"],
        ["3", "一审 (小额诉讼)", "2", "152"],
        ["4", "一审 (简易程序)", "3", "121"],
        ["5", "一审 (普通程序)", "6", "30"],
        ["6", "一审 (普通程序)", "6", "30"],
        ["7", "二审", "3", "121"],
    ];
    assert_eq!(
        rows,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
    let validate = run_ok(&wd, &["validate", "p.csv", "--details"]);
    assert!(!validate.contains("unrecognised procedure"), "{validate}");
}

/// The report's JSON result of `indicator`.
fn result(wd: &Workdir, file: &str, indicator: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(wd, &["report", file, "--format", "json"])).unwrap();
    let results = json["results"].as_array().unwrap();
    results
        .iter()
        .find(|r| r["indicator"] == indicator)
        .unwrap_or_else(|| panic!("{indicator} in {json}"))
        .clone()
}

#[test]
fn a_decimal_comma_is_an_invalid_amount_listed_by_line() {
    // tests/fixtures/hostile/decimal_comma.csv, four closed bankruptcy cases: line 2 破产费用
    // "1234,56" (a decimal comma, once read as 123,456.00), line 4 "1,2", line 5 ",100": invalid;
    // line 3 "1,000" / "10,000.00" is the only pair read → 破产费用占比 = 1000 / 10000 = 0.1.
    let wd = Workdir::with_copy("b.csv", "tests/fixtures/hostile/decimal_comma.csv");
    let share = result(&wd, "b.csv", "bankruptcy_cost_share");
    assert_eq!(share["cases"], 1, "{share}");
    assert_eq!(share["mean"].as_f64(), Some(0.1), "{share}");
    let details = run_ok(&wd, &["validate", "b.csv", "--details", "--format", "csv"]);
    let listed = columns(&details, &["line", "column", "value"]);
    assert_eq!(
        listed,
        [
            ["2", "破产费用", "1234,56"],
            ["4", "破产费用", "1,2"],
            ["5", "破产费用", ",100"]
        ]
        .map(|r| r.map(String::from).to_vec())
        .to_vec()
    );
}

#[test]
fn full_width_case_numbers_are_the_same_case_and_counted_in_validate() {
    // tests/fixtures/hostile/full_width_case_numbers.csv: line 3 is line 2's case typed with
    // full-width digits (same number once normalised: the first row is kept); line 4 is another
    // case typed the same way. first_instance_days: lines 2 and 4, 10 and 20 days → mean 15.
    let wd = Workdir::with_copy(
        "f.csv",
        "tests/fixtures/hostile/full_width_case_numbers.csv",
    );
    let first = result(&wd, "f.csv", "first_instance_days");
    assert_eq!(first["cases"], 2, "{first}");
    assert_eq!(first["mean"].as_f64(), Some(15.0), "{first}");
    let table = run_ok(&wd, &["validate", "f.csv"]);
    assert!(
        table.contains(
            "\n2 case number(s) typed with full-width characters (２０２１, Ａ) read as their ASCII form\n"
        ),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&wd, &["validate", "f.csv", "--format", "json"])).unwrap();
    assert_eq!(json["case_numbers_normalised"], 2);
    assert_eq!(json["rows"]["read"], 3);
}
