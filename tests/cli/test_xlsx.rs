//! `--format xlsx` and one run for every output: the workbook read back with calamine and compared
//! number by number with the JSON report of the same run; Excel-ready CSV (`--bom`, `--lang zh`).

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use super::workdir::{Workdir, stderr, stdout};

fn with_luoyang() -> Workdir {
    Workdir::with_copy("luoyang.csv", "data-samples/luoyang-2021.csv")
}

/// Run `casemetrics ARGS`, checking it succeeded.
fn ok(wd: &Workdir, args: &[&str]) -> String {
    let output = wd.run(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// The rows of sheet `name` of workbook `file`.
fn sheet(wd: &Workdir, file: &str, name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(wd.path(file)).expect("a workbook");
    let range = workbook.worksheet_range(name).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// A cell as a number, None when empty.
fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(value) => Some(*value),
        Data::Int(value) => Some(*value as f64),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        other => panic!("not text: {other:?}"),
    }
}

/// The status word the workbook shows for a JSON status id.
fn status_word(id: &str) -> &str {
    match id {
        "met" => "met",
        "missed" => "missed",
        "no_data" => "no data",
        _ => "no target",
    }
}

/// The same number: serde_json's default float parsing may be one unit in the last place off
/// (it lacks `float_roundtrip`), so "equal" is equal to 15 significant digits.
fn assert_same(cell: Option<f64>, json: Option<f64>, what: &str) {
    match (cell, json) {
        (Some(a), Some(b)) => assert!(
            (a - b).abs() <= 1e-15 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        ),
        _ => assert_eq!(cell, json, "{what}"),
    }
}

/// Figures rows (after `keys` group columns) against JSON results, number by number, unrounded.
fn assert_rows_match(rows: &[Vec<Data>], results: &[&Value], keys: usize) {
    assert_eq!(rows.len(), results.len());
    for (row, result) in rows.iter().zip(results) {
        assert_eq!(text(&row[0]), result["indicator"].as_str().unwrap());
        assert_eq!(text(&row[1]), result["indicator_zh"].as_str().unwrap());
        let at = 3 + keys;
        let fields = [
            "cases",
            "mean",
            "median",
            "p90",
            "max",
            "within_target_share",
        ];
        for (offset, field) in fields.iter().enumerate() {
            assert_same(number(&row[at + offset]), result[*field].as_f64(), field);
        }
        assert_same(
            number(&row[at + 6]),
            result["target"]["value"].as_f64(),
            "target",
        );
        let status = result["status"].as_str().unwrap();
        assert_eq!(text(&row[at + 7]), status_word(status));
    }
}

#[test]
fn workbook_figures_match_the_json_report_of_the_same_run() {
    let wd = with_luoyang();
    let base = [
        "report",
        "luoyang.csv",
        "--period",
        "2021-06",
        "--by",
        "court",
    ];
    ok(
        &wd,
        &[&base[..], &["-o", "june.xlsx", "-o", "june.json"]].concat(),
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(wd.path("june.json")).unwrap()).unwrap();
    let results: Vec<&Value> = json["results"].as_array().unwrap().iter().collect();
    assert!(results.len() > 10, "figures per court expected");
    let figures = sheet(&wd, "june.xlsx", "指标 Figures");
    assert_eq!(text(&figures[0][3]), "court");
    assert_rows_match(&figures[1..], &results, 1);
    // Sheet 法院 Courts: the per-court rows, one per court and indicator.
    let courts = sheet(&wd, "june.xlsx", "法院 Courts");
    let per_court: Vec<&Value> = results
        .iter()
        .copied()
        .filter(|r| !r["group"].as_object().unwrap().is_empty())
        .collect();
    assert_rows_match(&courts[1..], &per_court, 1);
    // Sheet 数据质量 Data quality: the rows read and what became of them.
    let quality = sheet(&wd, "june.xlsx", "数据质量 Data quality");
    let rows = &json["rows"];
    for (index, key) in ["read", "used", "duplicates", "conflicting", "rejected"]
        .iter()
        .enumerate()
    {
        assert_eq!(number(&quality[index + 1][1]), rows[*key].as_f64(), "{key}");
    }
    // Sheet 说明 About: the period, the input's rows and its full sha256.
    let about = sheet(&wd, "june.xlsx", "说明 About");
    let find = |label: &str| {
        about
            .iter()
            .find(|row| matches!(&row[0], Data::String(t) if t == label))
            .unwrap_or_else(|| panic!("About lacks {label}"))
            .clone()
    };
    assert_eq!(text(&find("期间 period")[1]), "2021-06");
    assert_eq!(
        text(&find("生成 generated by")[1]),
        json["generated_by"].as_str().unwrap()
    );
    let input = &json["inputs"][0];
    let source = about
        .iter()
        .find(|row| matches!(&row[1], Data::String(t) if t == "luoyang.csv"))
        .expect("the input's row");
    assert_eq!(number(&source[2]), input["rows"].as_f64());
    assert_eq!(text(&source[4]), input["sha256"].as_str().unwrap());
}

#[test]
fn workbook_of_the_whole_report_has_courts_from_its_own_break_down() {
    let wd = with_luoyang();
    ok(
        &wd,
        &[
            "report",
            "luoyang.csv",
            "--period",
            "2021",
            "-o",
            "year.xlsx",
        ],
    );
    ok(
        &wd,
        &[
            "report",
            "luoyang.csv",
            "--period",
            "2021",
            "--by",
            "court",
            "-o",
            "court.json",
        ],
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(wd.path("court.json")).unwrap()).unwrap();
    let per_court: Vec<&Value> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["group"].as_object().unwrap().is_empty())
        .collect();
    let courts = sheet(&wd, "year.xlsx", "法院 Courts");
    assert_rows_match(&courts[1..], &per_court, 1);
    let figures = sheet(&wd, "year.xlsx", "指标 Figures");
    assert_eq!(text(&figures[0][0]), "indicator");
    assert_eq!(text(&figures[0][3]), "cases");
}

#[test]
fn two_runs_give_the_same_workbook_bytes() {
    let wd = with_luoyang();
    ok(
        &wd,
        &["report", "luoyang.csv", "--by", "month", "-o", "a.xlsx"],
    );
    ok(
        &wd,
        &["report", "luoyang.csv", "--by", "month", "-o", "b.xlsx"],
    );
    let first = std::fs::read(wd.path("a.xlsx")).unwrap();
    assert!(first.starts_with(b"PK"), "a zip file");
    assert_eq!(first, std::fs::read(wd.path("b.xlsx")).unwrap());
}

#[test]
fn several_outputs_are_byte_identical_to_single_runs() {
    let wd = with_luoyang();
    let base = ["report", "luoyang.csv", "--period", "2021-Q2"];
    let names = ["q2.xlsx", "q2.md", "q2.csv", "q2.html", "q2.json"];
    let mut all = base.to_vec();
    for name in names {
        all.extend(["-o", name]);
    }
    ok(&wd, &all);
    for (name, format) in names
        .iter()
        .zip(["xlsx", "markdown", "csv", "html", "json"])
    {
        let single = ok(
            &wd,
            &[&base[..], &["--format", format, "-o", "single"]].concat(),
        );
        assert!(single.is_empty());
        let together = std::fs::read(wd.path(name)).unwrap();
        assert_eq!(
            together,
            std::fs::read(wd.path("single")).unwrap(),
            "{name}"
        );
    }
    // The format named by the extension is the one printed with --format.
    let csv = ok(&wd, &[&base[..], &["--format", "csv"]].concat());
    assert_eq!(std::fs::read_to_string(wd.path("q2.csv")).unwrap(), csv);
}

#[test]
fn a_format_contradicting_the_extension_is_a_usage_error_and_writes_nothing() {
    let wd = with_luoyang();
    let output = wd.run(&[
        "report",
        "luoyang.csv",
        "--format",
        "csv",
        "-o",
        "a.md",
        "-o",
        "a.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--format csv contradicts the extension of --output a.md"));
    assert!(!wd.path("a.csv").exists() && !wd.path("a.md").exists());
    // An unknown extension keeps today's behaviour: --format, else the table.
    ok(&wd, &["report", "luoyang.csv", "-o", "report.txt"]);
    let table = ok(&wd, &["report", "luoyang.csv"]);
    assert_eq!(
        std::fs::read_to_string(wd.path("report.txt")).unwrap(),
        table
    );
}

#[test]
fn a_failing_output_leaves_the_others_untouched() {
    let wd = with_luoyang();
    wd.write("kept.csv", "old");
    let output = wd.run(&[
        "report",
        "luoyang.csv",
        "-o",
        "kept.csv",
        "-o",
        "missing/dir/x.md",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(wd.path("kept.csv")).unwrap(), "old");
    let leftovers: Vec<_> = std::fs::read_dir(wd.path("."))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bom_and_chinese_headers_make_csv_excel_ready() {
    let wd = with_luoyang();
    let base = [
        "report",
        "luoyang.csv",
        "--period",
        "2021-06",
        "--by",
        "court",
    ];
    let plain = ok(&wd, &[&base[..], &["--format", "csv"]].concat());
    ok(&wd, &[&base[..], &["--bom", "-o", "bom.csv"]].concat());
    let bom = std::fs::read(wd.path("bom.csv")).unwrap();
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], plain.as_bytes());
    let zh = ok(
        &wd,
        &[&base[..], &["--format", "csv", "--lang", "zh"]].concat(),
    );
    let header = zh.lines().next().unwrap();
    assert_eq!(
        header,
        "指标代码,指标,法院,案件数,平均,中位数,第90百分位,最大值,目标内占比,目标方向,目标,状态"
    );
    // The same numbers; the status words in Chinese.
    let en_rows: Vec<&str> = plain.lines().skip(1).collect();
    let zh_rows: Vec<&str> = zh.lines().skip(1).collect();
    assert_eq!(en_rows.len(), zh_rows.len());
    for (en, zh) in en_rows.iter().zip(&zh_rows) {
        let zh = zh
            .replace("(全部)", "(all)")
            .replace(",未达标", ",missed")
            .replace(",达标", ",met")
            .replace(",无数据", ",no_data")
            .replace(",无目标", ",no_target");
        assert_eq!(*en, zh);
    }
    assert!(zh.contains(",达标\n") && zh.contains("(全部)"));
}

#[test]
fn chinese_headers_in_table_markdown_and_workbook() {
    let wd = with_luoyang();
    let base = [
        "report",
        "luoyang.csv",
        "--period",
        "2021-06",
        "--lang",
        "zh",
    ];
    let table = ok(&wd, &[&base[..], &["--format", "table"]].concat());
    for word in [
        "指标",
        "案件数",
        "中位数",
        "第90百分位",
        "最大值",
        "目标内占比",
        "状态",
        "✓ 达标",
    ] {
        assert!(table.contains(word), "table lacks {word}");
    }
    let markdown = ok(&wd, &[&base[..], &["--format", "markdown"]].concat());
    assert!(markdown.contains(
        "| 指标 | 案件数 | 平均 | 中位数 | 第90百分位 | 最大值 | 目标内占比 | 目标 | 状态 |"
    ));
    ok(&wd, &[&base[..], &["-o", "zh.xlsx"]].concat());
    let figures = sheet(&wd, "zh.xlsx", "指标 Figures");
    let header: Vec<String> = figures[0].iter().map(text).collect();
    assert_eq!(header[..4], ["指标代码", "指标", "英文名称", "案件数"]);
    assert_eq!(text(&figures[1][10]), "达标");
    ok(
        &wd,
        &[&base[..], &["--by", "court", "-o", "courts.xlsx"]].concat(),
    );
    let figures = sheet(&wd, "courts.xlsx", "指标 Figures");
    assert_eq!(text(&figures[0][3]), "法院");
    assert_eq!(text(&figures[1][3]), "(全部)");
    // JSON keys never change.
    let json = ok(&wd, &[&base[..], &["--format", "json"]].concat());
    let english = ok(
        &wd,
        &[
            "report",
            "luoyang.csv",
            "--period",
            "2021-06",
            "--format",
            "json",
        ],
    );
    assert_eq!(json, english);
}

#[test]
fn cases_workbook_holds_the_csv_listing_with_days_as_numbers() {
    let wd = with_luoyang();
    let base = [
        "cases",
        "luoyang.csv",
        "-i",
        "first_instance_days",
        "--period",
        "2021-06",
    ];
    let csv = ok(&wd, &[&base[..], &["--format", "csv"]].concat());
    ok(&wd, &[&base[..], &["-o", "cases.xlsx"]].concat());
    let rows = super::workdir::csv_rows(&csv);
    let listing = sheet(&wd, "cases.xlsx", "案件 Cases");
    assert_eq!(listing.len(), rows.len());
    assert!(rows.len() > 50, "a real listing");
    let header: Vec<String> = listing[0].iter().map(text).collect();
    assert_eq!(header, rows[0]);
    let days = header.iter().position(|h| h == "days").unwrap();
    let line = header.iter().position(|h| h == "line").unwrap();
    for (cells, csv_row) in listing[1..].iter().zip(&rows[1..]) {
        assert_eq!(text(&cells[0]), csv_row[0]);
        assert_eq!(number(&cells[days]), csv_row[days].parse().ok());
        assert_eq!(number(&cells[line]), csv_row[line].parse().ok());
    }
    // --bom on the streamed CSV listing.
    ok(&wd, &[&base[..], &["--bom", "-o", "cases.csv"]].concat());
    let bom = std::fs::read(wd.path("cases.csv")).unwrap();
    assert_eq!(bom, [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat());
}

#[test]
fn pending_workbook_has_the_ledger_and_the_age_profile_of_the_json() {
    let wd = with_luoyang();
    let base = ["pending", "luoyang.csv", "--as-of", "2021-12-31"];
    let json: Value =
        serde_json::from_str(&ok(&wd, &[&base[..], &["--format", "json"]].concat())).unwrap();
    ok(&wd, &[&base[..], &["-o", "ledger.xlsx"]].concat());
    let ledger = sheet(&wd, "ledger.xlsx", "台账 Ledger");
    let lines = json["ledger"].as_array().unwrap();
    assert!(!lines.is_empty());
    assert_eq!(ledger.len(), lines.len() + 1);
    assert_eq!(text(&ledger[0][9]), "age_days");
    for (cells, line) in ledger[1..].iter().zip(lines) {
        assert_eq!(text(&cells[2]), line["case_no"].as_str().unwrap());
        assert_eq!(number(&cells[9]), line["age_days"].as_f64());
    }
    let ages = sheet(&wd, "ledger.xlsx", "账龄 Age profile");
    let profile = &json["age_profile"];
    for (index, key) in ["0-90", "91-180", "181-365", "over_365", "open"]
        .iter()
        .enumerate()
    {
        assert_eq!(number(&ages[index + 1][1]), profile[*key].as_f64(), "{key}");
    }
    let disposition = ages
        .iter()
        .find(|row| matches!(&row[0], Data::String(t) if t.starts_with("disposition time")))
        .expect("the disposition time");
    assert_same(
        number(&disposition[1]),
        json["disposition_time"]["days"].as_f64(),
        "days",
    );
}
