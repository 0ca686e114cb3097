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
