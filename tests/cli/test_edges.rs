//! Issue 12, the command-line half: the mistakes people really make, and what a cron job sees.

use super::workdir::{Workdir, stderr, stdout};

fn with_five() -> Workdir {
    Workdir::with_copy("five.csv", "tests/fixtures/five.csv")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[test]
fn output_naming_an_input_is_refused_before_reading() {
    let wd = with_five();
    let before = std::fs::read(wd.path("five.csv")).unwrap();
    for command in ["report", "cases", "validate", "pending"] {
        let mut args = vec![command, "five.csv", "-o", "./five.csv"];
        match command {
            "cases" => args.extend(["--indicator", "first_instance_days"]),
            "pending" => args.extend(["--as-of", "2021-12-31"]),
            _ => {}
        }
        let output = wd.run(&args);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            first_line(&stderr(&output)),
            "casemetrics: -o ./five.csv is also an input (five.csv): writing it would overwrite the export; choose another output file",
            "{command}"
        );
        assert_eq!(std::fs::read(wd.path("five.csv")).unwrap(), before);
    }
}

#[test]
fn quiet_without_output_still_prints_the_report() {
    let wd = with_five();
    let output = wd.run(&["report", "five.csv", "--quiet", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).is_empty());
    let text = stdout(&output);
    assert!(first_line(&text).starts_with("indicator"), "{text}");
    // first enforcement: 执1 70 days, 执2 90 − 3 deducted = 87 days; (70 + 87) / 2 = 78.5
    assert!(
        text.lines()
            .any(|l| l.starts_with("first_enforcement_days,") && l.contains(",78.50,")),
        "{text}"
    );
}

#[test]
fn a_missed_target_is_named_on_stderr_even_when_quiet() {
    let wd = with_five();
    let output = wd.run(&[
        "report",
        "five.csv",
        "--fail-on-miss",
        "--quiet",
        "-o",
        "r.csv",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    // first enforcement: (70 + 87) / 2 = 78.5 days against the plan's ≤ 70
    assert_eq!(
        stderr(&output),
        "casemetrics: missed: first_enforcement_days (all): 78.50 days, target ≤ 70\n"
    );
    let by_court = wd.run(&["report", "five.csv", "--fail-on-miss", "--by", "court"]);
    assert_eq!(by_court.status.code(), Some(3));
    // 涧西区 first instance: 民初3号 2021-03-05 → 06-13 = 26 + 30 + 31 + 13 = 100 days − 10
    // deducted = 90 (民初4号 is 涉营商环境 否, out of scope), against ≤ 50.
    assert_eq!(
        first_line(&stderr(&by_court)),
        "casemetrics: missed: first_instance_days court=洛阳市涧西区人民法院: 90.00 days, target ≤ 50"
    );
    assert_eq!(stderr(&by_court).lines().count(), 3);
}

#[test]
fn a_share_target_given_as_a_percentage_is_a_usage_error() {
    let wd = with_five();
    wd.write("t.toml", "[judgments_online_share]\nvalue = 90\n");
    let output = wd.run(&["report", "five.csv", "--targets", "t.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "casemetrics: t.toml: judgments_online_share: target value 90 is a share or rate and must be from 0 to 1 (e.g. 0.9 for 90 %)\n"
    );
    wd.write("ok.toml", "[judgments_online_share]\nvalue = 0.9\n");
    let fine = wd.run(&["report", "five.csv", "--targets", "ok.toml"]);
    assert_eq!(fine.status.code(), Some(0), "{}", stderr(&fine));
}

#[test]
fn a_quiet_month_says_no_rows_were_used_and_exits_0() {
    let wd = Workdir::new();
    wd.write("june.csv", "案号,经办法院,审判程序,立案日期,结案日期\n");
    let output = wd.run(&["report", "june.csv", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "casemetrics: no rows were used (june.csv: no data rows below the header); every figure is no_data\n"
    );
    let rows = stdout(&output);
    assert!(
        rows.lines().skip(1).all(|l| l.contains("no_data")),
        "{rows}"
    );
    let quiet = wd.run(&["report", "june.csv", "--quiet", "--format", "csv"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stderr.is_empty());
    assert_eq!(stdout(&quiet), rows);
}
