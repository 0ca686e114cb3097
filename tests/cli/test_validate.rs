//! `casemetrics validate` on the dirty sample: every problem known, with its line.

use serde_json::Value;

use super::workdir::{Workdir, csv_rows, repo, stdout};

#[test]
fn dirty_sample_counts_and_lines() {
    let wd = Workdir::new();
    let output = wd.run(&[
        "validate",
        &repo("data-samples/dirty.csv"),
        "--details",
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "validate exits 0 on a readable file"
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = &report["rows"];
    // 15 records (lines 5–6 are one record with a quoted newline)
    assert_eq!(rows["read"], 15);
    assert_eq!(rows["duplicates"], 1);
    assert_eq!(rows["conflicting"], 1);
    assert_eq!(rows["rejected"], 1);
    assert_eq!(rows["used"], 12);
    let field = |name: &str| {
        report["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(field("received_at")["invalid"], 2);
    assert_eq!(field("filed_at")["invalid"], 1);
    // Line 16's 20 days deducted from a 10-day case: larger than its duration (issue 12).
    assert_eq!(field("deducted_days")["invalid"], 3);
    assert_eq!(field("business")["invalid"], 1);
    assert_eq!(field("case_no")["invalid"], 1);
    assert_eq!(field("procedure")["invalid"], 1);
    assert_eq!(field("closed_at")["missing"], 0);
    assert_eq!(field("received_at")["column"], "SDCLRQ");
    let problems: Vec<(u64, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (3, "SDCLRQ", "2021-02-30"),
        (4, "LARQ", "3/5/2021"),
        (5, "KCSXTS", "abc"),
        (7, "涉营商环境", "maybe"),
        (8, "AH", "ABC-123"),
        (9, "SPCX", "特别程序"),
        (10, "SDCLRQ", "1949-12-31"),
        (11, "AH", ""),
        (12, "", "(2021)豫0302民初101号"),
        (13, "", "(2021)豫0302民初101号"),
        (15, "KCSXTS", "1.5"),
        (16, "KCSXTS", "20"),
    ];
    let expected: Vec<(u64, String, String)> = expected
        .iter()
        .map(|(l, c, v)| (*l, c.to_string(), v.to_string()))
        .collect();
    assert_eq!(problems, expected);
    let reasons: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons[0], "impossible date");
    assert_eq!(reasons[6], "date outside 1950-01-01..2099-12-31");
    assert_eq!(
        reasons[8],
        "duplicate row: identical to line 2; counted once"
    );
    assert!(reasons[9].starts_with("case number already on line 2"));
    assert_eq!(report["unused_columns"][0]["column"], "备注");
}

#[test]
fn details_as_csv_name_file_line_column_value_reason() {
    let wd = Workdir::new();
    let dirty = repo("data-samples/dirty.csv");
    let output = wd.run(&["validate", &dirty, "--details", "--format", "csv"]);
    let rows = csv_rows(&stdout(&output));
    assert_eq!(rows[0], ["file", "line", "column", "value", "reason"]);
    assert_eq!(rows.len(), 13); // header + 12 problems (line 16's deduction since issue 12)
    assert_eq!(
        rows[1],
        [
            dirty.as_str(),
            "3",
            "SDCLRQ",
            "2021-02-30",
            "impossible date"
        ]
    );
}

#[test]
fn table_summary_points_at_details() {
    let wd = Workdir::new();
    let output = wd.run(&["validate", &repo("data-samples/dirty.csv")]);
    let text = stdout(&output);
    assert!(text.contains("rows: 15 read, 12 used, 1 duplicate, 1 conflicting case number, 1 rejected (no case number)"), "{text}");
    assert!(
        text.contains("12 problems; list them with --details"),
        "{text}"
    );
    assert!(text.contains("column \"备注\": not a known field; ignored"));
}

#[test]
fn duplicates_across_files_name_the_earlier_file() {
    let wd = Workdir::new();
    let body = "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n";
    wd.write("a.csv", body);
    wd.write("b.csv", body);
    let output = wd.run(&["validate", "a.csv", "b.csv", "--details", "--format", "csv"]);
    let rows = csv_rows(&stdout(&output));
    assert_eq!(
        rows[1],
        [
            "b.csv",
            "2",
            "",
            "(2021)豫0302民初1号",
            "duplicate row: identical to a.csv line 2; counted once"
        ]
    );
}

#[test]
fn crlf_line_endings_give_the_same_lines() {
    // Regression: with CRLF (what Excel writes) every line after the header was reported one short.
    let wd = Workdir::new();
    let lf = std::fs::read_to_string(repo("data-samples/dirty.csv")).unwrap();
    wd.write("lf.csv", &lf);
    wd.write("crlf.csv", lf.replace('\n', "\r\n"));
    let problems = |file: &str| {
        let rows = csv_rows(&stdout(&wd.run(&[
            "validate",
            file,
            "--details",
            "--format",
            "csv",
        ])));
        rows[1..]
            .iter()
            .map(|r| (r[1].clone(), r[2].clone(), r[3].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(problems("crlf.csv"), problems("lf.csv"));
    assert_eq!(
        problems("crlf.csv")[0],
        (
            "3".to_string(),
            "SDCLRQ".to_string(),
            "2021-02-30".to_string()
        )
    );
    let report = |file: &str| stdout(&wd.run(&["report", file, "--format", "csv"]));
    assert_eq!(report("crlf.csv"), report("lf.csv"));
    // the same rows in both files are duplicates, not conflicting rows
    let output = stdout(&wd.run(&["validate", "lf.csv", "crlf.csv", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&output).unwrap();
    // lf.csv: line 12 duplicates line 2. crlf.csv: its kept rows and its own copy of line 2
    // duplicate lf.csv (13), except the row of lines 5–6, whose quoted cause now holds \r\n
    // instead of \n and so differs; it and line 13 conflict with lf.csv's rows.
    assert_eq!(json["rows"]["duplicates"], 1 + 13 - 1);
    assert_eq!(json["rows"]["conflicting"], 1 + 2);
}
