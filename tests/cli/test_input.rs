//! Reading exports: encodings, delimiters, standard input, header names, and every unusable file
//! giving one clear error line naming the file (and line) with exit code 1.

use super::workdir::{Workdir, repo, stderr, stdout};

const HEADER: &str = "案号,收到材料日期,立案日期,结案日期";

fn one_error_line(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(output));
    let text = stderr(output);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    assert!(output.stdout.is_empty());
    text.trim_end().to_string()
}

#[test]
fn missing_file() {
    let wd = Workdir::new();
    let error = one_error_line(&wd.run(&["validate", "nope.csv"]));
    assert_eq!(error, "casemetrics: nope.csv: no such file");
}

#[test]
fn directory() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("exports")).unwrap();
    let error = one_error_line(&wd.run(&["report", "exports"]));
    assert_eq!(
        error,
        "casemetrics: exports: is a directory, not an export file"
    );
}

#[test]
fn empty_file() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    let error = one_error_line(&wd.run(&["report", "empty.csv"]));
    assert_eq!(error, "casemetrics: empty.csv: empty file: no header row");
}

#[test]
fn header_without_case_number_lists_what_was_seen_and_accepted() {
    let wd = Workdir::new();
    wd.write("x.csv", "编号,立案日期\n1,2021-03-01\n");
    let error = one_error_line(&wd.run(&["validate", "x.csv"]));
    assert!(error.starts_with("casemetrics: x.csv:1: no case-number column; headers seen: 编号, 立案日期; accepted names: case_no, 案号, AH"), "{error}");
}

#[test]
fn header_without_any_date_column() {
    let wd = Workdir::new();
    wd.write("x.csv", "案号,案由\n(2021)豫0302民初1号,买卖合同纠纷\n");
    let error = one_error_line(&wd.run(&["validate", "x.csv"]));
    assert!(error.starts_with("casemetrics: x.csv:1: no date column; headers seen: 案号, 案由; accepted names: received_at"), "{error}");
}

#[test]
fn ragged_row_names_its_line() {
    let wd = Workdir::new();
    wd.write("x.csv", format!("{HEADER}\n(2021)豫0302民初1号,2021-03-01,2021-03-01,2021-03-05\n(2021)豫0302民初2号,2021-03-01\n"));
    let error = one_error_line(&wd.run(&["report", "x.csv"]));
    assert_eq!(
        error,
        "casemetrics: x.csv:3: row has 2 fields but the header has 4 (ragged row; check quoting and the delimiter)"
    );
}

#[test]
fn unterminated_quote_names_the_row_where_it_opens() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        format!("{HEADER}\n(2021)豫0302民初1号,2021-03-01,2021-03-01,2021-03-05\n(2021)豫0302民初2号,2021-03-01,2021-03-01,\"2021-03-05\n(2021)豫0302民初3号,2021-03-01,2021-03-01,2021-03-05\n"),
    );
    let error = one_error_line(&wd.run(&["report", "x.csv"]));
    assert_eq!(
        error,
        "casemetrics: x.csv:3: unterminated quoted field: a quote opened in this row is never closed"
    );
}

#[test]
fn bytes_neither_utf8_nor_gb18030() {
    let wd = Workdir::new();
    let mut bytes =
        format!("{HEADER}\n(2021)豫0302民初1号,2021-03-01,2021-03-01,2021-03-05\n").into_bytes();
    bytes.extend_from_slice(b"\xFF\xFF,2021-03-01,2021-03-01,2021-03-05\n");
    wd.write("x.csv", bytes);
    let error = one_error_line(&wd.run(&["report", "x.csv"]));
    assert_eq!(
        error,
        "casemetrics: x.csv:3: bytes that are not valid UTF-8, and the file does not read as GB18030 either (line 2): neither encoding fits; check the export or try --encoding"
    );
}

#[test]
fn bytes_invalid_in_gb18030_when_forced() {
    let wd = Workdir::new();
    let (mut bytes, _, _) =
        encoding_rs::GB18030.encode("案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n");
    let mut bytes = bytes.to_mut().clone();
    bytes.extend_from_slice(b"\xFF,2021-03-01\n");
    wd.write("x.csv", bytes);
    let error = one_error_line(&wd.run(&["report", "x.csv", "--encoding", "gb18030"]));
    assert_eq!(
        error,
        "casemetrics: x.csv:3: bytes that are not valid gb18030: the file is neither UTF-8 nor GB18030 (try --encoding)"
    );
}

#[test]
fn forced_utf8_on_gb18030_bytes_names_the_line() {
    let wd = Workdir::new();
    let error = one_error_line(&wd.run(&[
        "validate",
        &repo("data-samples/luoyang-2021-gb18030.csv"),
        "--encoding",
        "utf-8",
    ]));
    // Issue 12: the file is not UTF-8 and does read as GB18030; the message says so.
    assert!(error.ends_with("luoyang-2021-gb18030.csv:1: bytes that are not valid UTF-8 (--encoding utf-8), but the file reads as GB18030: drop --encoding or give --encoding gb18030"), "{error}");
}

#[test]
fn config_that_does_not_parse_or_maps_to_an_unknown_field() {
    let wd = Workdir::new();
    wd.write("x.csv", format!("{HEADER}\n"));
    wd.write("bad.toml", "[columns\n");
    let error = one_error_line(&wd.run(&["validate", "x.csv", "--config", "bad.toml"]));
    assert!(
        error.starts_with("casemetrics: bad.toml: not a valid config"),
        "{error}"
    );
    wd.write("unknown.toml", "[columns]\n\"Reg\" = \"registration\"\n");
    let error = one_error_line(&wd.run(&["validate", "x.csv", "--config", "unknown.toml"]));
    assert!(
        error.starts_with(
            "casemetrics: unknown.toml: [columns] maps \"Reg\" to unknown field \"registration\""
        ),
        "{error}"
    );
}

#[test]
fn config_maps_any_header() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        "Docket,Filed,Closed\n(2021)豫0302民初1号,2021-03-01,2021-03-21\n",
    );
    wd.write(
        "c.toml",
        "[columns]\nDocket = \"case_no\"\nFiled = \"filed_at\"\nClosed = \"closed_at\"\n",
    );
    let output = wd.run(&["report", "x.csv", "--config", "c.toml", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("first_instance_days,一审平均审理天数,1,20.00,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn tab_and_semicolon_delimiters_are_detected() {
    let wd = Workdir::new();
    wd.write(
        "tab.tsv",
        "案号\t立案日期\t结案日期\n(2021)豫0302民初1号\t2021-03-01\t2021-03-21\n",
    );
    wd.write(
        "semi.csv",
        "案号;立案日期;结案日期\n(2021)豫0302民初1号;2021-03-01;2021-03-31\n",
    );
    for (file, mean) in [("tab.tsv", "20.00"), ("semi.csv", "30.00")] {
        let output = wd.run(&["report", file, "--format", "csv"]);
        assert!(
            stdout(&output).contains(&format!("first_instance_days,一审平均审理天数,1,{mean},")),
            "{file}: {}",
            stderr(&output)
        );
    }
    let forced = wd.run(&["report", "semi.csv", "--delimiter", ",", "--format", "csv"]);
    assert_eq!(
        forced.status.code(),
        Some(1),
        "one column named 案号;立案日期;结案日期 has no case number"
    );
}

#[test]
fn standard_input_in_gb18030() {
    let wd = Workdir::new();
    let bytes = std::fs::read(repo("data-samples/luoyang-2021-gb18030.csv")).unwrap();
    let piped = wd.run_with_stdin(&["report", "-", "--format", "csv"], Some(&bytes));
    let from_file = wd.run(&[
        "report",
        &repo("data-samples/luoyang-2021.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert_eq!(stdout(&piped), stdout(&from_file));
}

#[test]
fn headers_match_case_and_space_insensitively() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        " ah ,\u{3000}LaRq,jarq\n(2021)豫0302民初1号,2021-03-01,2021-03-06\n",
    );
    let output = wd.run(&["report", "x.csv", "--format", "csv"]);
    assert!(
        stdout(&output).contains("first_instance_days,一审平均审理天数,1,5.00,"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn title_lines_above_the_header_are_skipped_and_listed() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        "洛阳市中级人民法院案件信息导出\n导出日期：2022-01-31\n案号,立案日期,结案日期\n(2021)豫0302民初1号,2021-03-01,2021-03-11\n(2021)豫0302民初2号,2021-03-01,3/1/2021\n",
    );
    let report = wd.run(&["report", "x.csv", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    assert_eq!(json["inputs"][0]["header_line"], 3);
    assert_eq!(json["results"][1]["cases"], 1);
    assert_eq!(json["results"][1]["mean"], 10.0);
    let details = stdout(&wd.run(&["validate", "x.csv", "--details", "--format", "csv"]));
    let lines: Vec<&str> = details.lines().collect();
    assert_eq!(
        lines[1],
        "x.csv,1,,洛阳市中级人民法院案件信息导出,above the header row (line 3); skipped"
    );
    // line numbers stay the file's own
    assert_eq!(
        lines[3],
        "x.csv,5,结案日期,3/1/2021,unrecognised date format"
    );
    let summary = stdout(&wd.run(&["validate", "x.csv"]));
    assert!(
        summary.contains("x.csv: header on line 3; the 2 line(s) above it were skipped"),
        "{summary}"
    );
}

#[test]
fn header_only_export_reports_no_data_for_every_figure_and_break_down() {
    // A quiet month: the header and no row. Every figure is no_data, in every break-down, and
    // no engine text reaches the user (it once failed on a column the empty frame lacked).
    let wd = Workdir::new();
    wd.write("quiet.csv", format!("{HEADER},经办法院,承办人\n"));
    for by in ["", "court,month", "quarter", "judge,month"] {
        let mut args = vec!["report", "quiet.csv", "--format", "json"];
        if !by.is_empty() {
            args.extend(["--by", by]);
        }
        let output = wd.run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "--by {by}: {}",
            stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let results = json["results"].as_array().unwrap();
        assert_eq!(
            results.len(),
            11,
            "--by {by}: the overall row of each figure"
        );
        for result in results {
            assert_eq!(result["cases"], 0, "--by {by}");
            assert_eq!(result["status"], "no_data", "--by {by}");
        }
    }
}
