//! `profile draft` and `profile check` (issue 15, last part): a draft of every fixture is a
//! profile `profile check` accepts; the Chinese sample's draft is the built-in mapping and gives
//! the built-in figures; the evidence lines and the check's counts are worked out by hand.

use std::collections::BTreeMap;

use serde_json::Value;

use super::workdir::{Workdir, repo, stderr, stdout};

/// `profile draft ARGS`: the draft, asserting success.
fn draft(wd: &Workdir, args: &[&str]) -> String {
    let mut all = vec!["profile", "draft"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// Every fixture an export can be drafted from, with the options it needs.
fn fixtures() -> Vec<(String, Vec<&'static str>)> {
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures/hostile"] {
        for entry in std::fs::read_dir(repo(dir)).expect("fixtures") {
            let path = entry.expect("entry").path();
            let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
            let readable = ["csv", "xlsx", "xls", "parquet", "txt"];
            if extension.is_some_and(|e| readable.contains(&e.as_str())) {
                let name = path.to_string_lossy().into_owned();
                // The first sheet of two-sheets.xlsx is a note; the cases are on sheet 案件.
                let options = match name.ends_with("two-sheets.xlsx") {
                    true => vec!["--sheet", "案件"],
                    false => vec![],
                };
                files.push((name, options));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_draft_of_every_fixture_is_a_profile_profile_check_accepts() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 24, "{} fixtures", fixtures.len());
    let wd = Workdir::new();
    for (index, (file, options)) in fixtures.iter().enumerate() {
        let mut args = vec![file.as_str()];
        args.extend(options);
        let text = draft(&wd, &args);
        // Valid TOML, and the same bytes a second time.
        let parsed: Result<toml::Table, _> = toml::from_str(&text);
        assert!(parsed.is_ok(), "{file}: {:?}\n{text}", parsed.err());
        assert_eq!(text, draft(&wd, &args), "{file}: not deterministic");
        let profile = format!("draft-{index}.toml");
        wd.write(&profile, &text);
        let mut check = vec!["profile", "check", file.as_str(), "--profile", &profile];
        check.extend(options);
        check.extend(["--today", "2030-01-01"]);
        let output = wd.run(&check);
        assert!(
            output.status.success(),
            "{file}: {}\n{text}",
            stderr(&output)
        );
    }
}

/// The active `[columns]` of a draft: header → field.
fn active_columns(text: &str) -> BTreeMap<String, String> {
    let table: toml::Table = toml::from_str(text).expect("toml");
    table["columns"]
        .as_table()
        .expect("[columns]")
        .iter()
        .map(|(header, field)| (header.clone(), field.as_str().expect("a field").to_string()))
        .collect()
}

#[test]
fn the_chinese_sample_drafts_the_built_in_mapping_and_its_figures() {
    let wd = Workdir::with_copy("luoyang.csv", "data-samples/luoyang-2021.csv");
    let text = draft(&wd, &["luoyang.csv"]);
    assert!(
        text.contains("# Every header is a built-in name: [columns] below is the built-in mapping"),
        "{text}"
    );
    let expected: BTreeMap<String, String> = [
        ("案号", "case_no"),
        ("经办法院", "court"),
        ("案由", "cause"),
        ("审判程序", "procedure"),
        ("涉营商环境", "business"),
        ("收到材料日期", "received_at"),
        ("立案日期", "filed_at"),
        ("结案日期", "closed_at"),
        ("结案方式", "closing_method"),
        ("扣除审限天数", "deducted_days"),
        ("上诉状收到日期", "appeal_received_at"),
        ("原审案号", "original_case_no"),
        ("承办部门", "department"),
        ("承办人", "judge"),
    ]
    .into_iter()
    .map(|(h, f)| (h.to_string(), f.to_string()))
    .collect();
    assert_eq!(active_columns(&text), expected);
    // The same mapping the reader makes without a profile, header by header.
    let aliases = casemetrics::model::fields::HeaderAliases::default();
    for (header, field) in &expected {
        assert_eq!(
            aliases.field_of(header).map(|f| f.id()),
            Some(field.as_str())
        );
    }
    // Nothing else is active: no [procedure.values], no case key, no date formats.
    let table: toml::Table = toml::from_str(&text).expect("toml");
    let sections: Vec<&String> = table.keys().collect();
    assert_eq!(sections, ["case_numbers", "columns", "profile"]);
    assert!(table["case_numbers"].as_table().expect("table").is_empty());
    assert!(
        text.contains(
            "# [case_key]   # not needed: \"案号\" alone is unique in all 3000 sampled rows\n"
        ),
        "{text}"
    );
    wd.write("draft.toml", &text);
    let report = |extra: &[&str]| -> Value {
        let mut args = vec![
            "report",
            "luoyang.csv",
            "--format",
            "json",
            "--today",
            "2022-01-01",
        ];
        args.extend_from_slice(extra);
        let output = wd.run(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_str(&stdout(&output)).expect("json")
    };
    let built_in = report(&[]);
    let drafted = report(&["--profile", "draft.toml"]);
    assert_eq!(built_in["results"], drafted["results"]);
    assert_eq!(built_in["quality"], drafted["quality"]);
    assert_eq!(built_in["rows"], drafted["rows"]);
    assert!(
        built_in["results"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(built_in["inputs"], drafted["inputs"]);
}

#[test]
fn evidence_lines_name_the_delimiter_encoding_date_formats_and_procedure_counts() {
    let wd = Workdir::new();
    // five.csv: 审判程序 holds 一审 on rows 1–6, 15 and 17 (8), 首次执行 on rows 10, 11, 13, 14 and
    // 16 (5), 二审 on rows 7–9 (3), 恢复执行 on row 12 (1).
    let five = draft(&wd, &[&repo("tests/fixtures/five.csv")]);
    for line in [
        "# \"一审\" = \"first_instance\"   # 8 rows; the built-in reading\n",
        "# \"首次执行\" = \"first_enforcement\"   # 5 rows; the built-in reading\n",
        "# \"二审\" = \"second_instance\"   # 3 rows; the built-in reading\n",
        "# \"恢复执行\" = \"resumed_enforcement\"   # 1 row; the built-in reading\n",
        // 扣除审限天数: 5, 10, 0, 15, 3 and 5 (row 15) are numbers, 十 is not; 10 rows empty.
        "\"扣除审限天数\" = \"deducted_days\"   # column J: built-in Chinese name of deducted_days; 6 of 7 filled cells are whole numbers (0..15); 10 of 17 sampled cells empty\n",
        "Read: CSV, encoding utf-8, delimiter \",\" (comma), header on line 1; 17 data rows sampled (the whole file).",
    ] {
        assert!(five.contains(line), "{line}\n{five}");
    }
    // Excel's Unicode text: UTF-16, tab-delimited.
    let utf16 = draft(
        &wd,
        &[&repo("tests/fixtures/hostile/unicode_text_utf16le.txt")],
    );
    assert!(
        utf16.contains("Read: CSV, encoding utf-16le, delimiter tab, header on line 1;"),
        "{utf16}"
    );
    // DataJud: no built-in name; ISO dates with a zone and day/month/year (20/04/2021 tells the
    // order); numbers shaped like CNJ numbers whose check digits are wrong are identifiers.
    let datajud = draft(&wd, &[&repo("tests/fixtures/datajud.csv")]);
    for line in [
        "formats = [\"rfc3339\", \"%d/%m/%Y\"]   # \"dataAjuizamento\": YYYY-MM-DDThh:mm:ss±hh:mm, rfc3339 7, DD/MM/YYYY 1; \"dataRecurso\": DD/MM/YYYY; \"dataBaixa\": DD/MM/YYYY\n",
        "\"numeroProcesso\" = \"case_no\"   # column A: GUESS (active: a profile needs a case-number column)",
        "\"dataAjuizamento\" = \"filed_at\"   # column F: GUESS (active: a profile needs a date column): the name suggests filed_at",
        // 31/06/2021 is no day: 6 of 7.
        "# \"dataBaixa\" = \"closed_at\"   # column H: guess: the name suggests closed_at; 86% of 7 filled cells read as dates (DD/MM/YYYY); 1 of 8 sampled cells empty\n",
        "format = \"text\"   # 0 of 8 filled cells of \"numeroProcesso\" read as 案号 and 0 as CNJ numbers (8 more shaped like CNJ numbers, with wrong check digits): read as identifiers\n",
        "# columns = [\"numeroProcesso\", \"grau\"]\n",
    ] {
        assert!(datajud.contains(line), "{line}\n{datajud}");
    }
}

#[test]
fn the_flat_datajud_extract_drafts_cnj_numbers_a_pair_key_and_rule_stubs() {
    let wd = Workdir::new();
    let text = draft(&wd, &[&repo("tests/fixtures/datajud-flat.csv")]);
    for line in [
        // 11 numbers, one with a wrong check digit (00001045120218260100, see test_profile_rules).
        "format = \"cnj\"   # 11 of 11 filled cells of \"numero_processo\" are CNJ numbers (NNNNNNN-DD.AAAA.J.TR.OOOO), 1 of them with wrong check digits",
        // Rows 4 and 11 repeat row 1 whole: 9 distinct rows, the number repeats across instances.
        "# [case_key]   # \"numero_processo\" alone repeats; these pairs are unique in all 9 sampled rows (2 more rows repeating an earlier row whole: a duplicate, counted once)\n# columns = [\"numero_processo\", \"grau\"]\n",
        // codigo_classe: 7 on rows 1, 3, 4, 7, 9, 10, 11; 198 on rows 2 and 5.
        "# when = { \"codigo_classe\" = \"7\" }   # 7 rows\n",
        "# when = { \"codigo_classe\" = \"198\" }   # 2 rows\n",
        "# \"G1\" = \"?\"   # 7 rows; no built-in reading",
        "# \"data_julgamento\" = \"closed_at\"   # column F: guess: the name suggests closed_at; 100% of 10 filled cells read as dates (YYYY-MM-DD); 1 of 11 sampled cells empty\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let columns = active_columns(&text);
    assert_eq!(columns["numero_processo"], "case_no");
    assert_eq!(columns["data_ajuizamento"], "filed_at");
    assert_eq!(columns.len(), 2);
}

#[test]
fn sample_rows_limits_the_rows_read_and_says_so() {
    let wd = Workdir::new();
    let text = draft(
        &wd,
        &[&repo("tests/fixtures/five.csv"), "--sample-rows", "3"],
    );
    assert!(
        text.contains("3 data rows sampled (the first 3: the file has more)"),
        "{text}"
    );
    let output = wd.run(&[
        "profile",
        "draft",
        &repo("tests/fixtures/five.csv"),
        "--sample-rows",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unusable_file_is_one_error_line_naming_it() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    wd.write("fake.xlsx", "案号,立案日期\n1,2021-01-01\n");
    wd.write("ragged.csv", "a,b\n1,2,3\n");
    std::fs::create_dir(wd.path("folder")).expect("dir");
    for (file, message) in [
        ("empty.csv", "empty.csv: empty file: no header row"),
        ("missing.csv", "missing.csv: no such file"),
        ("folder", "folder: is a directory, not an export file"),
        ("fake.xlsx", "fake.xlsx"),
        (
            "ragged.csv",
            "ragged.csv:2: row has 3 fields but the header has 2",
        ),
    ] {
        let output = wd.run(&["profile", "draft", file]);
        assert_eq!(output.status.code(), Some(1), "{file}");
        let error = stderr(&output);
        assert!(
            error.starts_with(&format!("casemetrics: {message}")),
            "{file}: {error}"
        );
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(!error.contains("panicked"), "{error}");
    }
}

/// `profile check --format json` of `five.csv` with `profile`, and the field row of `id`.
fn checked_field(wd: &Workdir, profile: &str, id: &str) -> Value {
    let output = wd.run(&[
        "profile",
        "check",
        "five.csv",
        "--profile",
        profile,
        "--format",
        "json",
        "--today",
        "2030-01-01",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("json");
    json["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == id)
        .cloned()
        .expect("field row")
}

#[test]
fn profile_check_counts_agree_with_validate_and_show_examples() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    wd.write("five.toml", draft(&wd, &["five.csv"]));
    // Of the 14 rows kept (row 15 repeats row 2, row 16 conflicts with row 10, row 17 has no case
    // number), 扣除审限天数 holds 5, 10, 0, 15, 3 and 十 (invalid): 6 filled, 8 empty, 1 invalid.
    let deducted = checked_field(&wd, "five.toml", "deducted_days");
    assert_eq!(deducted["column"], "扣除审限天数");
    assert_eq!(deducted["letter"], "J");
    assert_eq!(deducted["chosen_by"], "profile [columns]");
    assert_eq!(
        (
            deducted["filled"].as_u64(),
            deducted["empty"].as_u64(),
            deducted["invalid"].as_u64()
        ),
        (Some(6), Some(8), Some(1))
    );
    assert_eq!(
        deducted["examples"],
        serde_json::json!(["5", "10", "0", "15", "3"])
    );
    // 结案日期: empty on rows 5 (民初5) and 9 (民终3) of the kept rows.
    let closed = checked_field(&wd, "cn", "closed_at");
    assert_eq!(closed["chosen_by"], "built-in Chinese name");
    assert_eq!(
        (
            closed["filled"].as_u64(),
            closed["empty"].as_u64(),
            closed["invalid"].as_u64()
        ),
        (Some(12), Some(2), Some(0))
    );
    let output = wd.run(&[
        "validate",
        "five.csv",
        "--format",
        "json",
        "--today",
        "2030-01-01",
    ]);
    let validate: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let counts = |id: &str| {
        let field = validate["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["field"] == id)
            .cloned()
            .expect("field");
        (field["missing"].as_u64(), field["invalid"].as_u64())
    };
    assert_eq!(counts("deducted_days"), (Some(8), Some(1)));
    assert_eq!(counts("closed_at"), (Some(2), Some(0)));
    // The terminal table shows the procedures after the rules: 6 一审, 3 二审, 4 首次执行, 1 恢复执行.
    let output = wd.run(&[
        "profile",
        "check",
        "five.csv",
        "--profile",
        "five.toml",
        "--today",
        "2030-01-01",
    ]);
    let table = stdout(&output);
    for row in [
        "│ first_instance      ┆ 6     │",
        "│ second_instance     ┆ 3     │",
        "│ first_enforcement   ┆ 4     │",
        "│ resumed_enforcement ┆ 1     │",
    ] {
        assert!(table.contains(row), "{row}\n{table}");
    }
}

#[test]
fn profile_check_refuses_an_unusable_profile_with_one_line() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    wd.write("bad.toml", "[columns]\n\"案号\" = \"case_number\"\n");
    wd.write("broken.toml", "[columns\n");
    wd.write("nocase.toml", "[ignore]\ncolumns = [\"案号\"]\n");
    for (profile, message) in [
        (
            "bad.toml",
            "bad.toml: [columns] maps \"案号\" to unknown field \"case_number\"",
        ),
        ("broken.toml", "broken.toml: not a valid config"),
        ("nocase.toml", "five.csv:1: no case-number column"),
    ] {
        let output = wd.run(&["profile", "check", "five.csv", "--profile", profile]);
        assert_eq!(output.status.code(), Some(1), "{profile}");
        let error = stderr(&output);
        assert!(
            error.starts_with(&format!("casemetrics: {message}")),
            "{error}"
        );
        assert_eq!(error.lines().count(), 1, "{error}");
    }
}
