//! `--profile`: the built-in Chinese profile written out in full, a profile for Brazil's DataJud
//! exports, and each profile feature on a small fixture with figures worked out by hand.
//!
//! tests/fixtures/datajud.csv with examples/profiles/datajud-br.toml (every G1 court is "basic";
//! a zone is read as written; the key is number + instance, so G1 and G2 rows are two cases):
//!   line 2 0001001 G1 filed 2021-03-01 → closed 20/04/2021 = 50 days; appeal lodged 12/05/2021
//!   line 3 0001001 G2 filed 2021-06-01 → closed 30/07/2021 = 59; transfer 05-12 → 06-01 = 20
//!   line 4 0001002 G1 filed 2021-03-15 → closed 14/05/2021 = 60
//!   line 5 0001003 G1 filed 2021-04-01T08:00:00Z, not closed → not_closed
//!   line 6 0001004 G1 filed 2021-04-10 → closed 31/05/2021 = 51; appeal lodged 02/06/2021
//!   line 7 0001004 G2 filed 2021-06-20 → closed 19/08/2021 = 60; transfer 06-02 → 06-20 = 18
//!   line 8 identical to line 4 → duplicate
//!   line 9 0001005 G1 filed 01/05/2021, closed 31/06/2021 (no such day) → invalid_closed_at
//! first_instance_days (50 + 60 + 51) / 3 = 53.67; second_instance_days (59 + 60) / 2 = 59.5;
//! appeal_transfer_days (20 + 18) / 2 = 19.

use serde_json::Value;

use super::workdir::{Workdir, repo, stderr, stdout};

fn report_json(wd: &Workdir, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let output = wd.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("json")
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

#[test]
fn datajud_profile_gives_the_hand_computed_figures() {
    let wd = Workdir::new();
    let json = report_json(
        &wd,
        &[
            &repo("tests/fixtures/datajud.csv"),
            "--profile",
            &repo("examples/profiles/datajud-br.toml"),
        ],
    );
    assert_eq!(json["rows"]["read"], 8);
    assert_eq!(json["rows"]["used"], 7);
    assert_eq!(json["rows"]["duplicates"], 1);
    let first = overall(&json, "first_instance_days");
    assert_eq!(first["cases"], 3);
    close(&first["mean"], 161.0 / 3.0);
    let second = overall(&json, "second_instance_days");
    assert_eq!(second["cases"], 2);
    close(&second["mean"], 59.5);
    let transfer = overall(&json, "appeal_transfer_days");
    assert_eq!(transfer["cases"], 2);
    close(&transfer["mean"], 19.0);
    let excluded = json["quality"]
        .as_array()
        .expect("quality")
        .iter()
        .find(|q| q["indicator"] == "first_instance_days")
        .expect("first instance exclusions");
    assert_eq!(excluded["excluded"]["not_closed"], 1);
    assert_eq!(excluded["excluded"]["invalid_closed_at"], 1);
}

#[test]
fn datajud_numbers_are_identifiers_not_invalid_case_numbers() {
    let wd = Workdir::new();
    let output = wd.run(&[
        "validate",
        &repo("tests/fixtures/datajud.csv"),
        "--profile",
        &repo("examples/profiles/datajud-br.toml"),
        "--details",
        "--format",
        "csv",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("case number not read"), "{text}");
    assert!(text.contains("31/06/2021"), "{text}");
}

/// five.csv read with the written-out cn profile: the figures worked out by hand at the top of
/// tests/cli/figures.rs.
#[test]
fn cn_profile_file_gives_the_hand_computed_figures_of_five_csv() {
    let wd = Workdir::new();
    let json = report_json(
        &wd,
        &[
            &repo("tests/fixtures/five.csv"),
            "--profile",
            &repo("examples/profiles/cn.toml"),
        ],
    );
    // filing (0.25 + 1 + 0 + 1 + 0.5 + 2 + 0 + 1 + 0 + 1 + 0 + 1) / 12; first instance (40 + 15 + 90) / 3;
    // appeal transfer (20 + 15) / 2; second instance (40 + 45) / 2; enforcement (70 + 87) / 2
    for (id, cases, mean) in [
        ("filing_review_days", 12, 7.75 / 12.0),
        ("first_instance_days", 3, 145.0 / 3.0),
        ("appeal_transfer_days", 2, 17.5),
        ("second_instance_days", 2, 42.5),
        ("first_enforcement_days", 2, 78.5),
    ] {
        let row = overall(&json, id);
        assert_eq!(row["cases"], cases, "{id}");
        close(&row["mean"], mean);
    }
}

/// The written-out built-in profile reads every sample exactly as the built-in one does.
#[test]
fn cn_profile_file_is_the_built_in_profile() {
    let wd = Workdir::new();
    for sample in [
        "data-samples/luoyang-2021.csv",
        "data-samples/dirty.csv",
        "tests/fixtures/five.csv",
        "tests/fixtures/plan.csv",
    ] {
        let path = repo(sample);
        let built_in = stdout(&wd.run(&["report", &path, "--by", "court", "--format", "json"]));
        for profile in [repo("examples/profiles/cn.toml"), "cn".to_string()] {
            let read = stdout(&wd.run(&[
                "report",
                &path,
                "--by",
                "court",
                "--format",
                "json",
                "--profile",
                &profile,
            ]));
            assert_eq!(read, built_in, "{sample} with --profile {profile}");
        }
    }
}

const FEW: &str = "案号,收案日期,结案日期\n\
(2021)豫0302民初1号,2021-03-01,2021-03-21\n\
(2021)豫0302执保1号,2021-03-05,2021-04-04\n\
(2021)豫0302执1号,2021-03-10,2021-05-09\n";

#[test]
fn one_header_can_feed_several_fields() {
    // 收案日期 is both the materials' receipt and the registration: filing review is 0 days for
    // the first-instance and first-enforcement cases (执保, preservation, is not in its case set).
    let wd = Workdir::new();
    wd.write("few.csv", FEW);
    wd.write(
        "p.toml",
        "[columns]\n\"收案日期\" = [\"received_at\", \"filed_at\"]\n",
    );
    let json = report_json(&wd, &["few.csv", "--profile", "p.toml"]);
    let filing = overall(&json, "filing_review_days");
    assert_eq!(filing["cases"], 2);
    close(&filing["mean"], 0.0);
    // registration still feeds first instance: 03-01 → 03-21 = 20 days
    close(&overall(&json, "first_instance_days")["mean"], 20.0);
}

#[test]
fn case_classes_say_which_codes_are_first_enforcement() {
    // Built in, 执保 (preservation) is not first enforcement: only 执1, 03-10 → 05-09 = 60 days.
    let wd = Workdir::new();
    wd.write("few.csv", FEW);
    let json = report_json(&wd, &["few.csv"]);
    let enforcement = overall(&json, "first_enforcement_days");
    assert_eq!(enforcement["cases"], 1);
    close(&enforcement["mean"], 60.0);
    // A court counting preservation as enforcement: 执保1 adds 03-05 → 04-04 = 30 days.
    wd.write(
        "p.toml",
        "[procedure.case_classes]\nfirst_enforcement = [\"执\", \"执保\"]\n",
    );
    let json = report_json(&wd, &["few.csv", "--profile", "p.toml"]);
    let enforcement = overall(&json, "first_enforcement_days");
    assert_eq!(enforcement["cases"], 2);
    close(&enforcement["mean"], 45.0);
}

#[test]
fn procedure_from_any_column_and_date_formats_and_range() {
    let wd = Workdir::new();
    wd.write(
        "court.csv",
        "case,grau,opened,closed\nA-1,G1,01/03/2021,21/03/2021\nA-2,G1,15/01/1985,20/01/1985\nB-1,G2,2021-04-01T10:00:00+01:00,11/04/2021\n",
    );
    wd.write(
        "p.toml",
        "[columns]\n\"case\" = \"case_no\"\n\"grau\" = \"procedure\"\n\"opened\" = \"filed_at\"\n\"closed\" = \"closed_at\"\n\
         [case_numbers]\nformat = \"text\"\n[procedure.values]\n\"G1\" = \"first_instance\"\n\"G2\" = \"second_instance\"\n\
         [court_level]\ndefault = \"basic\"\n[dates]\nformats = [\"%d/%m/%Y\", \"rfc3339\"]\nearliest = \"1990-01-01\"\n",
    );
    let json = report_json(&wd, &["court.csv", "--profile", "p.toml"]);
    // 20 days; A-2 is dated before 1990, so its dates are invalid.
    let first = overall(&json, "first_instance_days");
    assert_eq!(first["cases"], 1);
    close(&first["mean"], 20.0);
    // B-1: 04-01 → 04-11 = 10 days.
    close(&overall(&json, "second_instance_days")["mean"], 10.0);
}

#[test]
fn profile_errors_name_the_file_and_the_key() {
    let wd = Workdir::new();
    wd.write("few.csv", FEW);
    wd.write("p.toml", "[procedure.values]\n\"G1\" = \"first\"\n");
    let output = wd.run(&["report", "few.csv", "--profile", "p.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("p.toml: [procedure.values] names unknown procedure \"first\""),
        "{}",
        stderr(&output)
    );
    wd.write("k.toml", "[case_key]\ncolumns = [\"案号\", \"审级\"]\n");
    let output = wd.run(&["report", "few.csv", "--profile", "k.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "few.csv:1: the profile's [case_key] names column \"审级\", which this file does not have"
        ),
        "{}",
        stderr(&output)
    );
}
