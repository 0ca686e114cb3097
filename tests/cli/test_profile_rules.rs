//! Issue 15: profiles that read an export as it is — which column wins, rules over several
//! columns, conditional mappings, the appeal's start, checks across columns — each on a small
//! fixture with its figures worked out by hand.

use serde_json::Value;

use super::workdir::{Workdir, stderr, stdout};

fn report_json(wd: &Workdir, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("json")
}

/// The rows of indicator `id`, as (group value of `key`, cases, mean).
fn by_group(json: &Value, id: &str, key: &str) -> Vec<(String, u64, f64)> {
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["indicator"] == id && r["group"].get(key).is_some())
        .map(|r| {
            (
                r["group"][key].as_str().unwrap_or_default().to_string(),
                r["cases"].as_u64().unwrap_or(0),
                r["mean"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// Issue 15's reproduction: `court` is a built-in name of the court field and comes first, but
/// the profile maps `court_name`. Both cases are first instance (民初), 20 and 40 days.
const COURTS: &str = "case_number,court,court_name,procedure,filing_date,closing\n\
(2021)豫0302民初1号,C1,Court One,一审,2021-03-01,2021-03-21\n\
(2021)豫0302民初2号,C2,Court Two,一审,2021-03-01,2021-04-10\n";

const COURTS_PROFILE: &str = "[columns]\n\"case_number\" = \"case_no\"\n\"court_name\" = \"court\"\n\
\"filing_date\" = \"filed_at\"\n\"closing\" = \"closed_at\"\n";

#[test]
fn a_profile_mapping_wins_over_an_earlier_column_named_like_a_field() {
    let wd = Workdir::new();
    wd.write("courts.csv", COURTS);
    wd.write("p.toml", COURTS_PROFILE);
    let json = report_json(&wd, &["courts.csv", "--profile", "p.toml", "--by", "court"]);
    // Court One: 03-01 → 03-21 = 20 days; Court Two: 03-01 → 04-10 = 40 days.
    let groups = by_group(&json, "first_instance_days", "court");
    assert_eq!(
        groups,
        vec![
            ("Court One".to_string(), 1, 20.0),
            ("Court Two".to_string(), 1, 40.0)
        ]
    );
    let output = wd.run(&[
        "validate",
        "courts.csv",
        "--profile",
        "p.toml",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let unused = json["unused_columns"].as_array().expect("unused");
    let court = unused
        .iter()
        .find(|u| u["column"] == "court")
        .expect("court listed");
    assert_eq!(
        court["note"],
        "court already supplied by column \"court_name\" (the profile's [columns] maps it); ignored"
    );
}

#[test]
fn ignore_drops_a_column() {
    let wd = Workdir::new();
    wd.write("courts.csv", COURTS);
    wd.write("p.toml", "[columns]\n\"case_number\" = \"case_no\"\n\"filing_date\" = \"filed_at\"\n\"closing\" = \"closed_at\"\n[ignore]\ncolumns = [\"court\"]\n");
    let output = wd.run(&[
        "validate",
        "courts.csv",
        "--profile",
        "p.toml",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let court = json["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == "court")
        .expect("court");
    assert_eq!(court["column"], Value::Null);
    let unused = json["unused_columns"].as_array().expect("unused");
    let note = unused
        .iter()
        .find(|u| u["column"] == "court")
        .expect("court listed");
    assert_eq!(
        note["note"],
        "the profile's [ignore] columns lists it; ignored"
    );
}

#[test]
fn no_case_number_column_lists_the_profiles_names_and_says_profile() {
    let wd = Workdir::new();
    wd.write("x.csv", "numero,filing_date\n1,2021-03-01\n");
    wd.write(
        "p.toml",
        "[columns]\n\"numeroProcesso\" = \"case_no\"\n\"filing_date\" = \"filed_at\"\n",
    );
    let output = wd.run(&["validate", "x.csv", "--profile", "p.toml"]);
    assert!(!output.status.success());
    let error = stderr(&output);
    assert!(
        error.starts_with("casemetrics: x.csv:1: no case-number column; headers seen: numero, filing_date; accepted names: case_no, 案号, AH, numeroProcesso (or map a header to case_no in the --profile file's [columns])"),
        "{error}"
    );
    assert!(!error.contains("--config"), "{error}");
}

#[test]
fn case_classes_with_text_numbers_is_one_error_line() {
    let wd = Workdir::new();
    wd.write("courts.csv", COURTS);
    wd.write(
        "p.toml",
        "[case_numbers]\nformat = \"text\"\n[procedure.case_classes]\nfirst_instance = [\"7\"]\n",
    );
    let output = wd.run(&["validate", "courts.csv", "--profile", "p.toml"]);
    assert!(!output.status.success());
    let error = stderr(&output);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(
        error.contains("p.toml: [procedure.case_classes]"),
        "{error}"
    );
}

fn overall<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["indicator"] == id && r["group"].as_object().is_some_and(|g| g.is_empty()))
        .expect("overall row")
}

fn close(value: &Value, expected: f64) {
    let value = value.as_f64().expect("a number");
    assert!((value - expected).abs() < 1e-9, "{value} != {expected}");
}

/// The procedure is the instance and the class together (issue 15, point 1):
///   P1 G1 class 7        → first instance, 01-01 → 01-11 = 10 days
///   P2 G1 class 156      → first enforcement, 01-01 → 01-31 = 30
///   P3 G2 class 7        → no rule: the default (other), not first instance
///   P4 G2 class 198      → second instance, 02-01 → 03-03 = 30 (February has 28 days)
///   P5 G1 class 12078.0  → first enforcement (6094.0-style code), 03-01 → 03-06 = 5
///   P6 JE class 7        → other
/// first_instance_days 1 case, 10; first_enforcement_days (30 + 5) / 2 = 17.5;
/// second_instance_days 1 case, 30.
const CLASSES: &str = "numero,grau,codigo_classe,ajuizamento,julgamento\n\
P1,G1,7,2021-01-01,2021-01-11\n\
P2,G1,156,2021-01-01,2021-01-31\n\
P3,G2,7,2021-02-01,2021-02-11\n\
P4,G2,198,2021-02-01,2021-03-03\n\
P5,G1,12078.0,2021-03-01,2021-03-06\n\
P6,JE,7,2021-03-01,2021-03-02\n";

const RULES: &str = "[columns]\n\"numero\" = \"case_no\"\n\"ajuizamento\" = \"filed_at\"\n\"julgamento\" = \"closed_at\"\n\
[case_numbers]\nformat = \"text\"\n[court_level]\ndefault = \"basic\"\n\
[case_key]\ncolumns = [\"numero\", \"grau\"]\n\
[[procedure.rules]]\nwhen = { grau = \"G1\", codigo_classe = \"7\" }\nthen = \"first_instance\"\n\
[[procedure.rules]]\nwhen = { grau = \"G2\", codigo_classe = \"198\" }\nthen = \"second_instance\"\n\
[[procedure.rules]]\nwhen = { grau = \"G1\", codigo_classe = [\"156\", \"12078\", \"12154\", \"1116\"] }\nthen = \"first_enforcement\"\n";

#[test]
fn procedure_rules_over_two_columns_first_match_wins_then_the_default() {
    let wd = Workdir::new();
    wd.write("classes.csv", CLASSES);
    wd.write(
        "p.toml",
        format!("{RULES}[procedure]\ndefault = \"other\"\n"),
    );
    let json = report_json(&wd, &["classes.csv", "--profile", "p.toml"]);
    for (id, cases, mean) in [
        ("first_instance_days", 1, 10.0),
        ("first_enforcement_days", 2, 17.5),
        ("second_instance_days", 1, 30.0),
    ] {
        let row = overall(&json, id);
        assert_eq!(row["cases"], cases, "{id}");
        close(&row["mean"], mean);
    }
    let output = wd.run(&[
        "validate",
        "classes.csv",
        "--profile",
        "p.toml",
        "--details",
        "--format",
        "csv",
    ]);
    assert!(
        !stdout(&output).contains("procedure"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_row_no_rule_matches_without_a_default_is_reported() {
    let wd = Workdir::new();
    wd.write("classes.csv", CLASSES);
    wd.write("p.toml", RULES);
    let output = wd.run(&[
        "validate",
        "classes.csv",
        "--profile",
        "p.toml",
        "--details",
        "--format",
        "csv",
    ]);
    let text = stdout(&output);
    // P3 (line 4) and P6 (line 7) match no rule.
    let reason = "no [[procedure.rules]] rule matches and the profile has no [procedure] default; counted as other";
    assert!(
        text.contains(&format!("classes.csv,4,grau+codigo_classe,G2+7,{reason}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("classes.csv,7,grau+codigo_classe,JE+7,{reason}")),
        "{text}"
    );
    assert_eq!(text.matches(reason).count(), 2, "{text}");
}

#[test]
fn unrecognised_procedure_with_text_numbers_says_counted_as_other() {
    let wd = Workdir::new();
    wd.write(
        "g.csv",
        "case,grau,filed\nA,G1,2021-01-01\nB,XX,2021-01-02\n",
    );
    wd.write(
        "p.toml",
        "[columns]\n\"case\" = \"case_no\"\n\"grau\" = \"procedure\"\n\"filed\" = \"filed_at\"\n[case_numbers]\nformat = \"text\"\n[procedure.values]\n\"G1\" = \"first_instance\"\n",
    );
    let output = wd.run(&[
        "validate",
        "g.csv",
        "--profile",
        "p.toml",
        "--details",
        "--format",
        "csv",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("g.csv,3,grau,XX,unrecognised procedure (not in the profile's [procedure.values]); counted as other"),
        "{text}"
    );
}

/// A closing date that counts only where the last movement is 22 (baixa definitiva), point 3:
///   A movement 22   → closed 01-01 → 01-11 = 10 days
///   B movement 11   → its date does not count: not closed
///   C movement 22.0 → closed 01-01 → 01-31 = 30 days
/// first_instance_days (10 + 30) / 2 = 20, one case not_closed.
#[test]
fn a_column_mapping_with_when_counts_only_where_the_condition_holds() {
    let wd = Workdir::new();
    wd.write(
        "moves.csv",
        "numero,grau,movimento,ajuizamento,julgamento\n\
A,G1,22,2021-01-01,2021-01-11\n\
B,G1,11,2021-01-01,2021-01-21\n\
C,G1,22.0,2021-01-01,2021-01-31\n",
    );
    wd.write(
        "p.toml",
        "[columns]\n\"numero\" = \"case_no\"\n\"grau\" = \"procedure\"\n\"ajuizamento\" = \"filed_at\"\n\
\"julgamento\" = { field = \"closed_at\", when = { movimento = \"22\" } }\n\
[case_numbers]\nformat = \"text\"\n[court_level]\ndefault = \"basic\"\n[procedure.values]\n\"G1\" = \"first_instance\"\n",
    );
    let json = report_json(&wd, &["moves.csv", "--profile", "p.toml"]);
    let first = overall(&json, "first_instance_days");
    assert_eq!(first["cases"], 2);
    close(&first["mean"], 20.0);
    let excluded = json["quality"]
        .as_array()
        .expect("quality")
        .iter()
        .find(|q| q["indicator"] == "first_instance_days")
        .expect("exclusions");
    assert_eq!(excluded["excluded"]["not_closed"], 1);
}

/// The appeal's start taken from the linked first-instance case (point 2): one number through
/// both instances, no "appeal received" column.
///   N1 G1 closed 02-01, N1 G2 registered 02-11 → 10 days
///   N2 G1 closed 03-01, N2 G2 registered 03-31 → 30 days
///   N3 G2 with no G1 row → no_appeal_date
/// appeal_transfer_days (10 + 30) / 2 = 20; the G2 rows' own closing dates are never used.
#[test]
fn the_appeal_transfer_can_start_at_the_first_instance_closing_and_says_so() {
    let wd = Workdir::new();
    wd.write(
        "instances.csv",
        "numero,grau,ajuizamento,julgamento\n\
N1,G1,2021-01-01,2021-02-01\n\
N1,G2,2021-02-11,2021-03-13\n\
N2,G1,2021-01-01,2021-03-01\n\
N2,G2,2021-03-31,2021-04-30\n\
N3,G2,2021-05-01,2021-05-11\n",
    );
    let profile = "[columns]\n\"numero\" = \"case_no\"\n\"grau\" = \"procedure\"\n\"ajuizamento\" = \"filed_at\"\n\"julgamento\" = \"closed_at\"\n\
[case_numbers]\nformat = \"text\"\n[case_key]\ncolumns = [\"numero\", \"grau\"]\n\
[procedure.values]\n\"G1\" = \"first_instance\"\n\"G2\" = \"second_instance\"\n\
[appeal]\nlink = \"same_case_number\"\nstart = \"first_instance_closed_at\"\n";
    wd.write("p.toml", profile);
    let json = report_json(&wd, &["instances.csv", "--profile", "p.toml"]);
    let transfer = overall(&json, "appeal_transfer_days");
    assert_eq!(transfer["cases"], 2);
    close(&transfer["mean"], 20.0);
    assert_eq!(json["appeal_start"]["id"], "first_instance_closed_at");
    let excluded = json["quality"]
        .as_array()
        .expect("quality")
        .iter()
        .find(|q| q["indicator"] == "appeal_transfer_days")
        .expect("exclusions");
    assert_eq!(excluded["excluded"]["no_appeal_date"], 1);
    for format in ["table", "markdown", "html"] {
        let output = wd.run(&[
            "report",
            "instances.csv",
            "--profile",
            "p.toml",
            "--format",
            format,
        ]);
        assert!(
            stdout(&output)
                .contains("appeal transfer measured from the first-instance case&#39;s closing")
                || stdout(&output)
                    .contains("appeal transfer measured from the first-instance case's closing"),
            "{format}: {}",
            stdout(&output)
        );
    }
    // The CSV says it in a last column, on the appeal transfer's rows only.
    let csv = stdout(&wd.run(&[
        "report",
        "instances.csv",
        "--profile",
        "p.toml",
        "--format",
        "csv",
    ]));
    let rows = super::workdir::csv_rows(&csv);
    assert_eq!(rows[0].last().map(String::as_str), Some("appeal_start"));
    for row in &rows[1..] {
        let expected = match row[0] == "appeal_transfer_days" {
            true => "first_instance_closed_at",
            false => "",
        };
        assert_eq!(row.last().map(String::as_str), Some(expected), "{row:?}");
        assert_eq!(row.len(), rows[0].len());
    }
    // Without the option, the plan's definition: no receipt date anywhere, so no case.
    wd.write(
        "plain.toml",
        profile.replace("start = \"first_instance_closed_at\"\n", ""),
    );
    let json = report_json(&wd, &["instances.csv", "--profile", "plain.toml"]);
    assert_eq!(overall(&json, "appeal_transfer_days")["cases"], 0);
    assert!(json.get("appeal_start").is_none());
    let csv = stdout(&wd.run(&[
        "report",
        "instances.csv",
        "--profile",
        "plain.toml",
        "--format",
        "csv",
    ]));
    assert!(!csv.contains("appeal_start"), "{csv}");
}

/// The problems `validate --details --format json` lists, as (line, column, value, reason).
fn problems(wd: &Workdir, args: &[&str]) -> Vec<(u64, String, String, String)> {
    let mut all = vec!["validate", "--details", "--format", "json"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("json");
    json["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (
                p["line"].as_u64().unwrap_or(0),
                text("column"),
                text("value"),
                text("reason"),
            )
        })
        .collect()
}

/// A filing date whose year is before the year inside the case number (point 6): line 2's
/// (2021) number filed 1970 is reported; line 3 (filed 2021) is not.
#[test]
fn a_filing_year_before_the_case_numbers_year_is_reported() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        "案号,立案日期,结案日期\n(2021)豫0302民初1号,1970-01-01,2021-03-01\n(2021)豫0302民初2号,2021-01-05,2021-03-01\n",
    );
    let found = problems(&wd, &["x.csv"]);
    assert_eq!(
        found,
        vec![(
            2,
            "立案日期".to_string(),
            "1970-01-01".to_string(),
            "filed in 1970, before the year 2021 of its case number".to_string()
        )]
    );
}

/// tests/fixtures/datajud-flat.csv with examples/profiles/datajud-flat.toml (CNJ numbers of
/// tribunal 8.26, unit 0100; check digits computed by ISO 7064 mod 97-10):
///   line 2  N101 G1 class 7     filed 01-04, judged 03-05 → first instance 60 days
///   line 3  N101 G2 class 198   filed 03-25, judged 05-24 → second instance 60; transfer from
///           the G1 judgment 03-05 → 03-25 = 20
///   line 4  N102 G1 class 7     02-01 → 04-12 = 70
///   line 5  = line 2 → duplicate
///   line 6  N102 G2 class 198   filed 04-22, not judged → not_closed; transfer 04-12 → 04-22 = 10
///   line 7  N103 G1 class 156   01-10 → 03-11 = 60, first enforcement
///   line 8  N104 G2 class 7     → other (the default): not first instance
///   line 9  N105 G1 class 12078 05-01 → 05-31 = 30, first enforcement
///   line 10 N106 JE class 7     → other
///   line 11 N107 G1 class 7     06-01 → 06-11 = 10; check digits 07 written, 06 expected
///   line 12 = line 2 → duplicate
/// first_instance_days (60 + 70 + 10) / 3; second_instance_days 60 (1 case);
/// appeal_transfer_days (20 + 10) / 2 = 15; first_enforcement_days (60 + 30) / 2 = 45.
#[test]
fn datajud_flat_profile_reads_the_extract_as_it_is() {
    let wd = Workdir::new();
    let fixture = super::workdir::repo("tests/fixtures/datajud-flat.csv");
    let profile = super::workdir::repo("examples/profiles/datajud-flat.toml");
    let json = report_json(&wd, &[&fixture, "--profile", &profile]);
    assert_eq!(json["rows"]["read"], 11);
    assert_eq!(json["rows"]["duplicates"], 2);
    assert_eq!(json["rows"]["used"], 9);
    for (id, cases, mean) in [
        ("first_instance_days", 3, 140.0 / 3.0),
        ("second_instance_days", 1, 60.0),
        ("appeal_transfer_days", 2, 15.0),
        ("first_enforcement_days", 2, 45.0),
    ] {
        let row = overall(&json, id);
        assert_eq!(row["cases"], cases, "{id}");
        close(&row["mean"], mean);
    }
    assert_eq!(json["appeal_start"]["id"], "first_instance_closed_at");
    let found = problems(&wd, &[&fixture, "--profile", &profile]);
    let duplicate = |line| {
        (
            line,
            String::new(),
            "00001019620218260100".to_string(),
            "duplicate row: identical to line 2; counted once".to_string(),
        )
    };
    assert_eq!(
        found,
        vec![
            duplicate(5),
            (
                11,
                "numero_processo".to_string(),
                "00001070720218260100".to_string(),
                "wrong CNJ check digits: 07 written, 06 expected (ISO 7064 mod 97-10, CNJ Resolution 65/2008)".to_string()
            ),
            duplicate(12),
        ]
    );
}

/// A CNJ number `NNNNNNN-DD.2021.8.26.OOOO` with its right check digits.
fn cnj_number(sequence: u32, origin: &str) -> String {
    let digits18 = format!("{sequence:07}2021826{origin}");
    let dd = casemetrics::read::cnj::check_digits(digits18.as_bytes());
    format!("{sequence:07}-{dd:02}.2021.8.26.{origin}")
}

/// With `format = "cnj"` and no court column, the court is the number's J.TR.OOOO:
///   two cases of 8.26.0100 (10 and 30 days: mean 20), one of 8.26.0224 (20 days),
///   one number with wrong check digits (no court: blank).
#[test]
fn cnj_numbers_give_the_court_when_no_column_does() {
    let wd = Workdir::new();
    // The second check digit changed: the number no longer reads.
    let right = cnj_number(4, "0224");
    let flipped = if &right[9..10] == "0" { "1" } else { "0" };
    let wrong = format!("{}{flipped}{}", &right[..9], &right[10..]);
    let rows = [
        (cnj_number(1, "0100"), "2021-01-11"),
        (cnj_number(2, "0100"), "2021-01-31"),
        (cnj_number(3, "0224"), "2021-01-21"),
        (wrong, "2021-01-21"),
    ];
    let mut csv = "numero,grau,ajuizamento,julgamento\n".to_string();
    for (number, closed) in &rows {
        csv.push_str(&format!("{number},G1,2021-01-01,{closed}\n"));
    }
    wd.write("cnj.csv", csv);
    wd.write(
        "cnj.toml",
        "[columns]\n\"numero\" = \"case_no\"\n\"grau\" = \"procedure\"\n\"ajuizamento\" = \"filed_at\"\n\"julgamento\" = \"closed_at\"\n\
[case_numbers]\nformat = \"cnj\"\n[procedure.values]\n\"G1\" = \"first_instance\"\n[court_level]\ndefault = \"basic\"\n",
    );
    let json = report_json(
        &wd,
        &[
            "cnj.csv",
            "--profile",
            "cnj.toml",
            "--by",
            "court",
            "--today",
            "2030-01-01",
        ],
    );
    let mut groups = by_group(&json, "first_instance_days", "court");
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert_eq!((groups[0].0.as_str(), groups[0].1), ("(blank)", 1));
    assert_eq!((groups[1].0.as_str(), groups[1].1), ("8.26.0100", 2));
    assert!((groups[1].2 - 20.0).abs() < 1e-9);
    assert_eq!(
        (groups[2].0.as_str(), groups[2].1, groups[2].2),
        ("8.26.0224", 1, 20.0)
    );
    // profile check shows where the court comes from.
    let output = wd.run(&[
        "profile",
        "check",
        "cnj.csv",
        "--profile",
        "cnj.toml",
        "--format",
        "csv",
    ]);
    let check = super::workdir::csv_rows(&stdout(&output));
    let court = check.iter().find(|r| r[0] == "court").expect("court row");
    assert_eq!(court[1], "(J.TR.OOOO of the CNJ number)");
    assert_eq!(court[4], "3");
    assert_eq!(court[7], "8.26.0100 | 8.26.0224");
}
