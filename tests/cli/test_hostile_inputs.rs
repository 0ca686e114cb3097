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

#[test]
fn excel_unicode_text_in_utf16_is_read_like_utf8() {
    // tests/fixtures/hostile/unicode_text_utf16{le,be}.txt: Excel's "Unicode text" (BOM, tabs,
    // CRLF), two first-instance cases of 10 and 30 days → mean 20.
    for (file, encoding) in [
        ("unicode_text_utf16le.txt", "utf-16le"),
        ("unicode_text_utf16be.txt", "utf-16be"),
    ] {
        let wd = Workdir::with_copy(file, &format!("tests/fixtures/hostile/{file}"));
        let first = result(&wd, file, "first_instance_days");
        assert_eq!(first["cases"], 2, "{first}");
        assert_eq!(first["mean"].as_f64(), Some(20.0), "{first}");
        let json: serde_json::Value =
            serde_json::from_str(&run_ok(&wd, &["validate", file, "--format", "json"])).unwrap();
        assert_eq!(json["inputs"][0]["encoding"], encoding);
        assert_eq!(json["inputs"][0]["delimiter"], "\t");
        // The SHA-256 is the file's own bytes', not of the text it was rewritten to.
        let bytes = std::fs::read(wd.path(file)).unwrap();
        let sha = json["inputs"][0]["sha256"].as_str().unwrap().to_string();
        assert_eq!(sha, sha256_hex(&bytes));
    }
}

#[test]
fn cr_only_line_endings_are_read_with_their_line_numbers() {
    // tests/fixtures/hostile/mac_cr_only.csv: Excel for Mac "CSV (Macintosh)", GB18030, every
    // line ended by CR alone. Lines 2 and 3: 10 and 30 days → mean 20; line 4's 立案日期
    // 2021-13-01 is invalid and listed on line 4.
    let wd = Workdir::with_copy("m.csv", "tests/fixtures/hostile/mac_cr_only.csv");
    let first = result(&wd, "m.csv", "first_instance_days");
    assert_eq!(first["cases"], 2, "{first}");
    assert_eq!(first["mean"].as_f64(), Some(20.0), "{first}");
    let details = run_ok(&wd, &["validate", "m.csv", "--details", "--format", "csv"]);
    let listed = columns(&details, &["line", "value"]);
    assert_eq!(listed, [["4".to_string(), "2021-13-01".to_string()]]);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_header_over_256_kib_is_an_error_naming_the_file() {
    // Once the check was skipped and every row silently disappeared (exit 0).
    let wd = Workdir::new();
    let long = "备注".repeat(50_000); // 300,000 bytes of UTF-8 in one header cell
    wd.write(
        "h.csv",
        format!("案号,立案日期,{long}\n(2021)豫0302民初1号,2021-03-01,x\n"),
    );
    let output = wd.run(&["report", "h.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: h.csv:1: header row longer than 256 KiB: check the delimiter and the line endings\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn endless_inputs_stop_with_one_line_in_bounded_memory() {
    // /dev/zero never ends and has no line feed: the reading stops after 16 MiB.
    let wd = Workdir::new();
    let output = wd.run(&["report", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: /dev/zero:1: row longer than 16 MiB: not a CSV export (or a quote that is never closed)\n"
    );
    // A settings file over 1 MiB is refused before it is read whole.
    wd.write(
        "five.csv",
        "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n",
    );
    for (option, what) in [("--profile", "config"), ("--targets", "targets file")] {
        let output = wd.run(&["report", "five.csv", option, "/dev/zero"]);
        assert_eq!(output.status.code(), Some(1), "{option}");
        assert_eq!(
            stderr(&output),
            format!("casemetrics: /dev/zero: {what} larger than 1 MiB: not a {what}\n")
        );
    }
}

#[test]
fn a_row_over_16_mib_in_a_file_names_its_line() {
    let wd = Workdir::new();
    let mut text = String::from("案号,立案日期,备注\n(2021)豫0302民初1号,2021-03-01,x\n");
    text.push_str("(2021)豫0302民初2号,2021-03-01,");
    text.push_str(&"x".repeat(17 << 20));
    text.push('\n');
    wd.write("big.csv", text);
    let output = wd.run(&["report", "big.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: big.csv:3: row longer than 16 MiB: not a CSV export (or a quote that is never closed)\n"
    );
}

#[test]
fn a_header_and_no_usable_rows_says_so_on_one_stderr_line() {
    let wd = Workdir::new();
    wd.write("quiet.csv", "案号,涉营商环境,立案日期,结案日期\n");
    let output = wd.run(&["report", "quiet.csv", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "casemetrics: no rows were used (quiet.csv: no data rows below the header); every figure is no_data\n"
    );
    let rows = columns(&stdout(&output), &["indicator", "cases", "status"]);
    assert_eq!(rows.len(), 11);
    assert!(
        rows.iter().all(|r| r[1] == "0" && r[2] == "no_data"),
        "{rows:?}"
    );
    // Two rows, neither with a case number: read, rejected, and said.
    wd.write(
        "bad.csv",
        "案号,涉营商环境,立案日期,结案日期\n,是,2021-03-01,2021-03-11\n,是,2021-03-01,\n",
    );
    let output = wd.run(&["report", "bad.csv"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "casemetrics: no rows were used (bad.csv: 2 data rows, none a case with a readable date); every figure is no_data\n"
    );
    // --quiet silences the diagnostic, not the report.
    let output = wd.run(&["report", "quiet.csv", "--quiet", "-o", "r.csv"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
}

#[test]
fn dates_after_the_day_of_the_run_and_impossible_deductions_are_invalid() {
    // tests/fixtures/hostile/future_dates.csv, first instance, registered 2021-03-01:
    //   line 2 closed 2021-04-06: 36 days; line 3 closed 2021-04-08: 38 days → mean 37
    //   line 4 closed 2099-12-31: in the future (once counted as 28,794 days: mean 9,622.7)
    //   line 5 closed 2021-03-11 (10 days) with 20 deducted: larger than the duration
    //   line 6 with 99999999999 deducted: too large
    let wd = Workdir::with_copy("d.csv", "tests/fixtures/hostile/future_dates.csv");
    let args = [
        "report",
        "d.csv",
        "--format",
        "json",
        "--today",
        "2021-12-31",
    ];
    let first_run = run_ok(&wd, &args);
    assert_eq!(first_run, run_ok(&wd, &args), "a rerun is byte-identical");
    let json: serde_json::Value = serde_json::from_str(&first_run).unwrap();
    let first = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "first_instance_days")
        .unwrap()
        .clone();
    assert_eq!(first["cases"], 2, "{first}");
    assert_eq!(first["mean"].as_f64(), Some(37.0), "{first}");
    // Without --today the day of the run is today's date: 2099-12-31 is still in the future.
    assert_eq!(result(&wd, "d.csv", "first_instance_days")["cases"], 2);
    let details = run_ok(
        &wd,
        &[
            "validate",
            "d.csv",
            "--details",
            "--format",
            "csv",
            "--today",
            "2021-12-31",
        ],
    );
    let listed = columns(&details, &["line", "column", "value", "reason"]);
    let expected = [
        [
            "4",
            "结案日期",
            "2099-12-31",
            "in the future: after 2021-12-31, the day of the run (--today)",
        ],
        [
            "5",
            "扣除审限天数",
            "20",
            "deducted days larger than the case's duration (10 days from 立案日期 to 结案日期)",
        ],
        [
            "6",
            "扣除审限天数",
            "99999999999",
            "deducted days too large: more than 2,147,483,647",
        ],
    ];
    assert_eq!(
        listed,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
    let output = wd.run(&["report", "d.csv", "--today", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("casemetrics: --today \"soon\" is not a date"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn control_characters_are_listed_and_never_reach_the_terminal_raw() {
    // tests/fixtures/hostile/control_characters.csv: line 2's court holds ESC ] 0 ; … BEL (sets
    // a terminal's title); line 3's cause starts with U+202E (reverses text), its judge holds NUL.
    let wd = Workdir::with_copy("c.csv", "tests/fixtures/hostile/control_characters.csv");
    let details = run_ok(&wd, &["validate", "c.csv", "--details", "--format", "csv"]);
    let listed = columns(&details, &["line", "column", "reason"]);
    let reason = |code: &str| {
        format!("control character U+{code} in the cell: kept, shown escaped in tables")
    };
    assert_eq!(
        listed,
        [
            ["2".to_string(), "经办法院".to_string(), reason("001B")],
            ["3".to_string(), "案由".to_string(), reason("202E")],
            ["3".to_string(), "承办人".to_string(), reason("0000")],
        ]
    );
    for args in [
        vec!["report", "c.csv", "--by", "court"],
        vec!["validate", "c.csv", "--details"],
        vec!["cases", "c.csv", "--indicator", "first_instance_days"],
    ] {
        let table = run_ok(&wd, &args);
        assert!(
            !table.contains(['\u{1b}', '\u{7}', '\u{0}', '\u{202e}']),
            "{args:?}: {table}"
        );
        assert!(
            table.contains("洛阳\\u{1b}]0;pwned\\u{7}法院"),
            "{args:?}: {table}"
        );
    }
    // CSV and JSON keep the value as it is; HTML escapes it.
    let csv = run_ok(
        &wd,
        &["report", "c.csv", "--by", "court", "--format", "csv"],
    );
    assert!(csv.contains("洛阳\u{1b}]0;pwned\u{7}法院"), "{csv}");
    let html = run_ok(
        &wd,
        &["report", "c.csv", "--by", "court", "--format", "html"],
    );
    assert!(html.contains("洛阳\\u{1b}]0;pwned\\u{7}法院"));
    assert!(!html.contains('\u{1b}'));
}

#[test]
fn blank_business_flags_are_counted_under_scope_and_listed_by_line() {
    // tests/fixtures/hostile/blank_business_flags.csv: line 2 是 (in scope, 10 days), line 4 否,
    // lines 3 and 5 blank: out of scope and counted as without a flag → 1 in, 3 out (2 blank).
    let wd = Workdir::with_copy("s.csv", "tests/fixtures/hostile/blank_business_flags.csv");
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&wd, &["report", "s.csv", "--format", "json"])).unwrap();
    assert_eq!(json["scope"]["cases_in_scope"], 1);
    assert_eq!(json["scope"]["cases_out_of_scope"], 3);
    assert_eq!(json["scope"]["cases_without_flag"], 2);
    assert_eq!(json["results"][1]["indicator"], "first_instance_days");
    assert_eq!(json["results"][1]["cases"], 1);
    let table = run_ok(&wd, &["report", "s.csv"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[1].starts_with("scope: "), "{table}");
    assert_eq!(
        lines[2],
        "cases: 1 in scope, 3 out of scope (2 without a business flag)"
    );
    let details = run_ok(&wd, &["validate", "s.csv", "--details", "--format", "csv"]);
    let listed = columns(&details, &["line", "column", "reason"]);
    let blank = |line: &str| {
        vec![
            line.to_string(),
            "涉营商环境".to_string(),
            "blank business flag: case out of scope".to_string(),
        ]
    };
    assert_eq!(listed, [blank("3"), blank("5")]);
}
