//! `casemetrics report`: every output format as a whole-output snapshot, exit codes, options.

use serde_json::Value;

use super::workdir::{Workdir, csv_rows, repo, stderr, stdout};

fn with_five() -> Workdir {
    Workdir::with_copy("five.csv", "tests/fixtures/five.csv")
}

#[test]
fn snapshot_table() {
    let wd = with_five();
    let output = wd.run(&["report", "five.csv", "--by", "court_level"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn snapshot_csv() {
    let wd = with_five();
    insta::assert_snapshot!(stdout(
        &wd.run(&["report", "five.csv", "--by", "court", "--format", "csv"])
    ));
}

#[test]
fn snapshot_markdown() {
    let wd = with_five();
    insta::assert_snapshot!(stdout(&wd.run(&[
        "report", "five.csv", "--period", "2021-Q2", "--format", "markdown"
    ])));
}

#[test]
fn snapshot_json() {
    let wd = with_five();
    insta::assert_snapshot!(stdout(
        &wd.run(&["report", "five.csv", "--by", "quarter", "--format", "json"])
    ));
}

#[test]
fn json_has_the_documented_fields_unrounded() {
    let wd = with_five();
    let json: Value = serde_json::from_str(&stdout(
        &wd.run(&["report", "five.csv", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(json["inputs"][0]["path"], "five.csv");
    assert_eq!(json["inputs"][0]["rows"], 17);
    assert_eq!(json["inputs"][0]["encoding"], "utf-8");
    assert_eq!(json["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(json["period"]["label"], "all");
    assert_eq!(json["scope"]["rule"], "business_flag");
    assert_eq!(json["rows"]["read"], 17);
    assert_eq!(json["rows"]["duplicates"], 1);
    assert_eq!(json["rows"]["conflicting"], 1);
    assert_eq!(json["rows"]["rejected"], 1);
    let first = &json["results"][1];
    assert_eq!(first["indicator"], "first_instance_days");
    assert_eq!(first["mean"].as_f64().unwrap(), 145.0 / 3.0); // unrounded
    assert_eq!(first["target"]["op"], "<=");
    assert_eq!(first["target"]["value"], 50.0);
    assert_eq!(first["status"], "met");
    assert_eq!(json["quality"][1]["excluded"]["not_closed"], 1);
    assert!(
        json["generated_by"]
            .as_str()
            .unwrap()
            .starts_with("casemetrics ")
    );
}

#[test]
fn fail_on_miss_exits_3_and_quiet_prints_only_the_miss() {
    let wd = with_five();
    // first enforcement misses 70 days (78.5)
    let output = wd.run(&[
        "report",
        "five.csv",
        "--fail-on-miss",
        "--quiet",
        "-o",
        "r.txt",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    assert_eq!(output.stderr.split(|&b| b == b'\n').count(), 2, "one line");
    let met = wd.run(&[
        "report",
        "five.csv",
        "--fail-on-miss",
        "--period",
        "2021-04",
        "--quiet",
    ]);
    assert_eq!(
        met.status.code(),
        Some(0),
        "April meets every target it has data for"
    );
    let without = wd.run(&["report", "five.csv", "--quiet"]);
    assert_eq!(without.status.code(), Some(0));
}

#[test]
fn output_file_is_written_whole_and_identically_each_run() {
    let wd = with_five();
    let output = wd.run(&[
        "report",
        "five.csv",
        "--by",
        "court,month",
        "--format",
        "json",
        "--output",
        "out/report.json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the out/ directory does not exist yet"
    );
    assert_eq!(
        stderr(&output),
        "casemetrics: cannot write out/report.json: its directory does not exist\n"
    );
    std::fs::create_dir_all(wd.path("out")).unwrap();
    let run = || {
        let output = wd.run(&[
            "report",
            "five.csv",
            "--by",
            "court,month",
            "--format",
            "json",
            "-o",
            "out/report.json",
            "-q",
        ]);
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.is_empty());
        std::fs::read(wd.path("out/report.json")).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    let entries = std::fs::read_dir(wd.path("out")).unwrap().count();
    assert_eq!(entries, 1, "no temporary file left behind");
}

#[test]
fn gross_option_reports_days_without_deduction() {
    let wd = with_five();
    let rows = csv_rows(&stdout(
        &wd.run(&["report", "five.csv", "--gross", "--format", "csv"]),
    ));
    assert_eq!(rows[2][0], "first_instance_days");
    assert_eq!(rows[2][3], "53.33"); // (40 + 20 + 100) / 3
}

#[test]
fn targets_file_from_examples_is_valid() {
    let wd = with_five();
    let output = wd.run(&[
        "report",
        "five.csv",
        "--targets",
        &repo("examples/targets.toml"),
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

fn usage_error(wd: &Workdir, args: &[&str]) -> String {
    let output = wd.run(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn bad_options_exit_2_with_one_line() {
    let wd = with_five();
    assert!(
        usage_error(&wd, &["report", "five.csv", "--period", "2021-13"])
            .contains("--period \"2021-13\" is not a period")
    );
    assert!(
        usage_error(
            &wd,
            &[
                "report",
                "five.csv",
                "--from",
                "2021-05-01",
                "--to",
                "2021-04-01"
            ]
        )
        .contains("--from 2021-05-01 is after --to 2021-04-01")
    );
    assert!(
        usage_error(&wd, &["report", "five.csv", "--by", "court,region"])
            .contains("unknown --by key \"region\"")
    );
    assert!(
        usage_error(&wd, &["cases", "five.csv", "--indicator", "trial_days"])
            .contains("unknown indicator \"trial_days\"")
    );
    wd.write("t.toml", "[trial_days]\nvalue = 3\n");
    assert!(
        usage_error(&wd, &["report", "five.csv", "--targets", "t.toml"])
            .contains("t.toml: unknown indicator \"trial_days\"")
    );
    // clap's own errors add a usage hint below the error line
    let output = wd.run(&["report", "five.csv", "--format", "pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: invalid value 'pdf' for '--format <FORMAT>'"));
}

#[test]
fn a_missing_targets_file_is_an_input_error() {
    let wd = with_five();
    let output = wd.run(&["report", "five.csv", "--targets", "nope.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("casemetrics: nope.toml: cannot read targets file:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn options_are_checked_before_the_input_is_read() {
    let wd = Workdir::new();
    let output = wd.run(&["report", "missing.csv", "--period", "June"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn readme_main_job_runs_on_the_sample() {
    let wd = Workdir::new();
    let output = wd.run(&[
        "report",
        &repo("data-samples/luoyang-2021.csv"),
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&stdout(&output));
    let means: Vec<&str> = rows[1..6].iter().map(|r| r[3].as_str()).collect();
    // agrees with an independent computation of the sample (see tests/fixtures/README.md)
    assert_eq!(means, ["0.63", "34.37", "24.14", "35.81", "73.22"]);
}

#[test]
fn docs_indicator_and_field_tables_match_the_definitions() {
    let readme = std::fs::read_to_string(repo("docs/indicators.md")).unwrap();
    for indicator in casemetrics::measure::indicators::INDICATORS {
        let line = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` | {} |", indicator.id, indicator.chinese)))
            .unwrap_or_else(|| panic!("docs/indicators.md has no row for {}", indicator.id));
        let target = format!("{} |", indicator.describe_target());
        assert!(line.ends_with(&target), "{line} should end with {target}");
        let net = if indicator.net_of_deductions {
            "| yes |"
        } else {
            "| no |"
        };
        assert!(line.contains(net), "{line}");
    }
    let readme = std::fs::read_to_string(repo("docs/input-and-profiles.md")).unwrap();
    for field in casemetrics::model::fields::Field::ALL {
        let row = format!(
            "| `{}` | {} |",
            field.id(),
            field.chinese_labels().join(", ")
        );
        assert!(
            readme.contains(&row),
            "docs/input-and-profiles.md field table lacks {row}"
        );
    }
}
