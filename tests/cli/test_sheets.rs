//! Spreadsheets (.xlsx, .xls) and Parquet files: the same figures as the CSV they were made from.
//!
//! The fixtures are written by tests/fixtures/make_sheets.py from five.csv (whose figures are
//! worked out by hand at the top of tests/cli/figures.rs): dates as real Excel dates in both date
//! systems, some as text, and typed Parquet columns.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::workdir::{Workdir, repo, stderr, stdout};

const COPIES: [(&str, &str); 7] = [
    ("five.xlsx", "tests/fixtures/five.xlsx"),
    ("FIVE.XLSX", "tests/fixtures/five.xlsx"),
    ("five-1904.xlsx", "tests/fixtures/five-1904.xlsx"),
    ("five.xls", "tests/fixtures/five.xls"),
    ("five.parquet", "tests/fixtures/five.parquet"),
    ("two-sheets.xlsx", "tests/fixtures/two-sheets.xlsx"),
    ("five.csv", "tests/fixtures/five.csv"),
];

fn workdir() -> Workdir {
    let wd = Workdir::new();
    for (name, path) in COPIES {
        wd.write(name, std::fs::read(repo(path)).unwrap());
    }
    let text = std::fs::read_to_string(repo("tests/fixtures/five.csv")).unwrap();
    let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    wd.write("five-gb18030.csv", gb18030);
    wd
}

fn report_json(wd: &Workdir, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json", "--by", "court,month"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn csv_gb18030_xlsx_xls_and_parquet_give_identical_figures() {
    let wd = workdir();
    let csv = report_json(&wd, &["five.csv"]);
    // The hand-worked figures (figures.rs): first instance 145 / 3 days, enforcement 78.5.
    let overall = |json: &Value, id: &str| {
        json["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == id && r["group"] == serde_json::json!({}))
            .cloned()
            .unwrap()
    };
    assert_eq!(overall(&csv, "first_instance_days")["mean"], 145.0 / 3.0);
    assert_eq!(overall(&csv, "first_enforcement_days")["mean"], 78.5);
    assert_eq!(overall(&csv, "filing_review_days")["mean"], 7.75 / 12.0);
    for (file, sheet, encoding, header_line) in [
        ("five-gb18030.csv", None, "gb18030", 1),
        ("five.xlsx", None, "utf-8", 1),
        ("FIVE.XLSX", None, "utf-8", 1),
        ("five-1904.xlsx", None, "utf-8", 1),
        ("five.xls", None, "utf-8", 1),
        ("five.parquet", None, "utf-8", 1),
        ("two-sheets.xlsx", Some("案件"), "utf-8", 3),
    ] {
        let mut args = vec![file];
        if let Some(sheet) = sheet {
            args.extend(["--sheet", sheet]);
        }
        let json = report_json(&wd, &args);
        assert_eq!(json["results"], csv["results"], "{file}");
        assert_eq!(json["quality"], csv["quality"], "{file}");
        assert_eq!(json["rows"], csv["rows"], "{file}");
        assert_eq!(json["scope"], csv["scope"], "{file}");
        let input = &json["inputs"][0];
        assert_eq!(input["path"], file);
        assert_eq!(input["rows"], 17, "{file}");
        assert_eq!(input["encoding"], encoding, "{file}");
        assert_eq!(input["header_line"], header_line, "{file}");
        // The digest of the file as it is on disk, not of the text it was converted to.
        let bytes = std::fs::read(wd.path(file)).unwrap();
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(input["sha256"], digest.as_str(), "{file}");
    }
}

/// `validate --details --format csv` with the file name column dropped.
fn problems(wd: &Workdir, args: &[&str]) -> Vec<String> {
    let mut all = vec!["validate", "--details", "--format", "csv"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
        .lines()
        .skip(1)
        .map(|line| line.split_once(',').unwrap().1.to_string())
        .collect()
}

#[test]
fn a_problem_is_reported_on_its_sheet_row() {
    let wd = workdir();
    let from_csv = problems(&wd, &["five.csv"]);
    // five.csv: 十 on line 15, line 16 repeats line 3, line 17 reuses line 11's case number, line
    // 18 has none.
    assert_eq!(
        from_csv,
        [
            "15,扣除审限天数,十,deducted days must be a whole number of days ≥ 0",
            "16,,(2021)豫0302民初2号,duplicate row: identical to line 3; counted once",
            "17,,(2021)豫0302执1号,case number already on line 11 with other values; the first row is kept",
            "18,案号,,missing case number: row cannot be a case"
        ]
    );
    for file in ["five.xlsx", "five.xls", "five.parquet"] {
        assert_eq!(problems(&wd, &[file]), from_csv, "{file}");
    }
    // Sheet 案件 of two-sheets.xlsx: a title in row 1, row 2 empty, the header in row 3, so line n
    // of five.csv is row n + 2.
    let sheet = problems(&wd, &["two-sheets.xlsx", "--sheet", "案件"]);
    assert_eq!(
        sheet[..2],
        [
            "1,,洛阳市中级人民法院案件信息导出,above the header row (line 3); skipped",
            "2,,,above the header row (line 3); skipped"
        ]
    );
    assert!(
        sheet.iter().any(|p| p.starts_with("17,扣除审限天数,十,")),
        "{sheet:?}"
    );
    let shifted: Vec<String> = from_csv
        .iter()
        .map(|p| {
            let (line, rest) = p.split_once(',').unwrap();
            let line: u64 = line.parse().unwrap();
            let rest = rest
                .replace("line 3;", "line 5;")
                .replace("line 11 ", "line 13 ");
            format!("{},{rest}", line + 2)
        })
        .collect();
    assert_eq!(sheet[2..], shifted[..]);
}

fn one_error_line(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}", stdout(output));
    let text = stderr(output);
    assert_eq!(text.lines().count(), 1, "{text}");
    text
}

#[test]
fn sheet_picks_the_worksheet_of_every_spreadsheet_input() {
    let wd = workdir();
    // Without --sheet the first sheet, a note without case data, is read.
    let first = one_error_line(&wd.run(&["report", "two-sheets.xlsx"]));
    assert!(
        first.starts_with("casemetrics: two-sheets.xlsx:1: no case-number column; headers seen: 本工作簿第二张表为案件信息导出;"),
        "{first}"
    );
    // Both workbooks have a sheet 案件: the second file's rows all repeat the first's.
    let json = report_json(&wd, &["five.xlsx", "two-sheets.xlsx", "--sheet", "案件"]);
    assert_eq!(json["inputs"][1]["header_line"], 3);
    assert_eq!(json["rows"]["read"], 34);
    let unknown = one_error_line(&wd.run(&["report", "two-sheets.xlsx", "--sheet", "统计"]));
    assert_eq!(
        unknown,
        "casemetrics: two-sheets.xlsx: no sheet named \"统计\"; the workbook's sheets are \"说明\", \"案件\"\n"
    );
}

#[test]
fn a_file_that_is_not_what_its_extension_says() {
    let wd = workdir();
    wd.write(
        "export.xlsx",
        std::fs::read(repo("tests/fixtures/five.csv")).unwrap(),
    );
    let error = one_error_line(&wd.run(&["report", "export.xlsx"]));
    assert!(
        error.starts_with("casemetrics: export.xlsx: not an Excel (.xlsx) workbook: "),
        "{error}"
    );
    wd.write("export.xls", "案号,立案日期\n");
    let error = one_error_line(&wd.run(&["validate", "export.xls"]));
    assert!(
        error.starts_with("casemetrics: export.xls: not an Excel 97–2003 (.xls) workbook: "),
        "{error}"
    );
    wd.write("export.parquet", "案号,立案日期\n");
    let error = one_error_line(&wd.run(&["report", "export.parquet"]));
    assert!(
        error.starts_with("casemetrics: export.parquet: not a Parquet file: "),
        "{error}"
    );
}

#[test]
fn a_date_cell_at_midnight_keeps_its_time_when_its_format_shows_one() {
    let wd = Workdir::new();
    wd.write(
        "midnight.xlsx",
        std::fs::read(repo("tests/fixtures/midnight.xlsx")).unwrap(),
    );
    // What Excel shows for the same cells, and so a CSV export of them.
    wd.write(
        "midnight.csv",
        "案号,经办法院,收到材料日期,立案日期,结案日期\n\
         (2021)豫0302民初1号,洛阳市老城区人民法院,2021-03-01 00:00,2021-03-01 15:00,2021-03-11\n\
         (2021)豫0302民初2号,洛阳市老城区人民法院,2021-03-01,2021-03-01 15:00,2021-03-11\n",
    );
    let xlsx = report_json(&wd, &["midnight.xlsx"]);
    let csv = report_json(&wd, &["midnight.csv"]);
    assert_eq!(xlsx["results"], csv["results"]);
    let filing = &xlsx["results"][0];
    assert_eq!(filing["indicator"], "filing_review_days");
    // 15 hours / 24 = 0.625 (both times known) and 0 (a date alone): mean 0.3125
    assert_eq!(
        (filing["cases"].as_u64(), filing["mean"].as_f64()),
        (Some(2), Some(0.3125))
    );
}

#[test]
fn a_workbook_number_with_floating_point_noise_is_the_amount_excel_shows() {
    // =1.1*3*1000 stores 3300.0000000000005; Excel shows 3,300.00. Read as 3300.00 yuan, not
    // rejected for "more than 2 decimals": bankruptcy_cost_share = 3300 / 33000 = 0.1.
    let costs = 1.1_f64 * 3.0 * 1000.0;
    assert_eq!(costs.to_string(), "3300.0000000000005");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = ["案号", "立案日期", "结案日期", "破产费用", "破产财产总额"];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "(2021)豫03破1号").unwrap();
    sheet.write_string(1, 1, "2021-01-04").unwrap();
    sheet.write_string(1, 2, "2021-06-30").unwrap();
    sheet.write_number(1, 3, costs).unwrap();
    sheet.write_number(1, 4, 33000.0).unwrap();
    let wd = Workdir::new();
    wd.write("noise.xlsx", workbook.save_to_buffer().unwrap());
    let output = wd.run(&["report", "noise.xlsx", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let share = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "bankruptcy_cost_share")
        .expect("bankruptcy_cost_share reported");
    assert_eq!(share["cases"], 1);
    assert!(
        (share["mean"].as_f64().unwrap() - 0.1).abs() < 1e-12,
        "{share}"
    );
}
