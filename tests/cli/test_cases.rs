//! `casemetrics cases`: the cases behind each figure; their mean is the report's figure.

use serde_json::Value;

use super::workdir::{Workdir, csv_rows, listed_days, stderr, stdout};

const INDICATORS: [&str; 5] = [
    "filing_review_days",
    "first_instance_days",
    "appeal_transfer_days",
    "second_instance_days",
    "first_enforcement_days",
];

fn report(wd: &Workdir, extra: &[&str]) -> Value {
    let mut args = vec!["report", "sample.csv", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout(&wd.run(&args))).unwrap()
}

#[test]
fn listed_cases_reproduce_every_figure() {
    let wd = Workdir::with_copy("sample.csv", "data-samples/luoyang-2021.csv");
    for period in [None, Some("2021-Q3")] {
        let extra: Vec<&str> = period.map(|p| vec!["--period", p]).unwrap_or_default();
        let json = report(&wd, &extra);
        for (index, id) in INDICATORS.iter().enumerate() {
            let mut args = vec!["cases", "sample.csv", "--indicator", id, "--format", "csv"];
            args.extend_from_slice(&extra);
            let output = wd.run(&args);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            let rows = csv_rows(&stdout(&output));
            let days = listed_days(&rows);
            let figure = &json["results"][index];
            assert_eq!(figure["indicator"], *id);
            assert_eq!(days.len() as u64, figure["cases"].as_u64().unwrap(), "{id}");
            let mean = days.iter().sum::<f64>() / days.len() as f64;
            let reported = figure["mean"].as_f64().unwrap();
            assert!(
                (mean - reported).abs() < 1e-9,
                "{id}: listed mean {mean} vs report {reported}"
            );
            assert_eq!(format!("{mean:.2}"), format!("{reported:.2}"), "{id}");
            // and every excluded case is listed too
            let mut args = vec![
                "cases",
                "sample.csv",
                "--indicator",
                id,
                "--excluded",
                "--format",
                "csv",
            ];
            args.extend_from_slice(&extra);
            let excluded = csv_rows(&stdout(&wd.run(&args))).len() as u64 - 1;
            let counted: u64 = json["quality"][index]["excluded"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_u64().unwrap())
                .sum();
            assert_eq!(excluded, counted, "{id}");
        }
    }
}

#[test]
fn a_listing_names_dates_deduction_days_file_and_line() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    let rows = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "second_instance_days",
        "--format",
        "csv",
    ])));
    assert_eq!(
        rows[0],
        [
            "case_no",
            "court",
            "start_filed_at",
            "end_closed_at",
            "deducted_days",
            "days",
            "file",
            "line"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "(2021)豫03民终1号",
            "洛阳市中级人民法院",
            "2021-05-10",
            "2021-06-19",
            "0",
            "40",
            "five.csv",
            "8"
        ]
    );
    assert_eq!(
        rows[2],
        [
            "(2021)豫03民终2号",
            "洛阳市中级人民法院",
            "2021-07-01",
            "2021-08-30",
            "15",
            "45",
            "five.csv",
            "9"
        ]
    );
    let appeal = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "appeal_transfer_days",
        "--format",
        "csv",
    ])));
    // the receipt date of line 8 comes from its first-instance row (line 2)
    assert_eq!(appeal[1][2], "2021-04-20");
    let filing = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "filing_review_days",
        "--format",
        "csv",
    ])));
    assert_eq!(
        filing[1][..4],
        [
            "(2021)豫0302民初1号",
            "洛阳市老城区人民法院",
            "2021-03-01 09:00:00",
            "2021-03-01 15:00:00"
        ]
    );
    assert_eq!(filing[1][4], "0.25");
}

#[test]
fn excluded_listing_gives_reasons_and_court_filter() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    let rows = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "first_enforcement_days",
        "--excluded",
        "--format",
        "csv",
    ])));
    let reasons: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[5].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        reasons,
        [("end_before_start", "14"), ("invalid_deducted_days", "15")]
    );
    let laocheng = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "first_instance_days",
        "--court",
        "洛阳市老城区人民法院",
        "--format",
        "csv",
    ])));
    assert_eq!(laocheng.len(), 3);
    let table = stdout(&wd.run(&["cases", "five.csv", "--indicator", "first_instance_days"]));
    assert!(
        table.ends_with("3 cases in first_instance_days; mean 48.33\n"),
        "{table}"
    );
}

#[test]
fn help_names_every_indicator() {
    let wd = Workdir::new();
    let help = stdout(&wd.run(&["cases", "--help"]));
    for indicator in casemetrics::measure::indicators::INDICATORS {
        assert!(
            help.contains(indicator.id),
            "cases --help lacks {}",
            indicator.id
        );
    }
}

#[test]
fn a_group_filter_lists_the_cases_of_one_report_row() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    let rows = csv_rows(&stdout(&wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "first_instance_days",
        "--group",
        "court=洛阳市老城区人民法院",
        "--group",
        "month=2021-04",
        "--format",
        "csv",
    ])));
    // only line 2 was closed at 老城区 in April: 40 days
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1][5].as_str(), rows[1][7].as_str()), ("40", "2"));
    let output = wd.run(&[
        "cases",
        "five.csv",
        "--indicator",
        "first_instance_days",
        "--group",
        "region=x",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown --group key \"region\""));
}

#[test]
fn every_group_of_a_report_is_reproduced_by_its_cases() {
    let wd = Workdir::with_copy("sample.csv", "data-samples/luoyang-2021.csv");
    let json = report(&wd, &["--by", "court_level,quarter"]);
    let mut checked = 0;
    for figure in json["results"].as_array().unwrap() {
        let group = figure["group"].as_object().unwrap();
        if group.is_empty() {
            continue;
        }
        let id = figure["indicator"].as_str().unwrap();
        // Shares and rates are no mean of listed days (their cases are checked in figures.rs).
        if !casemetrics::measure::indicators::indicator(id)
            .unwrap()
            .measure
            .is_days()
        {
            continue;
        }
        let mut args: Vec<String> = ["cases", "sample.csv", "--indicator", id, "--format", "csv"]
            .map(String::from)
            .to_vec();
        for (key, label) in group {
            args.push("--group".into());
            args.push(format!("{key}={}", label.as_str().unwrap()));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let rows = csv_rows(&stdout(&wd.run(&args)));
        let days = listed_days(&rows);
        assert_eq!(
            days.len() as u64,
            figure["cases"].as_u64().unwrap(),
            "{id} {group:?}"
        );
        let mean = days.iter().sum::<f64>() / days.len() as f64;
        assert!(
            (mean - figure["mean"].as_f64().unwrap()).abs() < 1e-9,
            "{id} {group:?}"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} groups");
}
