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

/// A generated export of `rows` first-instance cases, each 2021-03-01 → 2021-04-01..28.
fn large_export(wd: &Workdir, rows: usize) {
    let mut text = String::from("案号,经办法院,审判程序,立案日期,结案日期\n");
    for i in 0..rows {
        text.push_str(&format!(
            "(2021)豫0302民初{}号,洛阳市老城区人民法院,一审,2021-03-01,2021-04-{:02}\n",
            i + 1,
            1 + i % 28
        ));
    }
    wd.write("big.csv", text);
}

/// The temporary output files left in the workdir.
fn temporary_files(wd: &Workdir) -> Vec<String> {
    std::fs::read_dir(wd.path("."))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".casemetrics-"))
        .collect()
}

/// Start a `cases` listing into `out.csv`, send `signal` once its temporary file exists, and
/// return the exit code and standard error.
fn interrupt_listing(wd: &Workdir, signal: &str) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casemetrics"))
        .current_dir(wd.path("."))
        .args(["cases", "big.csv", "-i", "first_instance_days"])
        .args(["--format", "csv", "-o", "out.csv"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while temporary_files(wd).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before its temporary file was seen"
        );
        assert!(started.elapsed().as_secs() < 300, "no temporary file");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    (output.status.code(), stderr(&output))
}

#[cfg(unix)]
#[test]
fn an_interrupted_output_leaves_no_temporary_file() {
    let wd = Workdir::new();
    // 100,000 cases: the listing takes long enough to be interrupted while it is written.
    large_export(&wd, 100_000);
    let (code, message) = interrupt_listing(&wd, "-INT");
    assert_eq!(code, Some(130));
    assert_eq!(
        message,
        "casemetrics: interrupted (Ctrl-C); no output file written\n"
    );
    assert_eq!(temporary_files(&wd), Vec::<String>::new());
    assert!(!wd.path("out.csv").exists());
    let (code, message) = interrupt_listing(&wd, "-TERM");
    assert_eq!(code, Some(143));
    assert_eq!(
        message,
        "casemetrics: terminated (SIGTERM); no output file written\n"
    );
    assert_eq!(temporary_files(&wd), Vec::<String>::new());
    assert!(!wd.path("out.csv").exists());
}

#[test]
fn a_gbk_file_read_as_utf8_is_said_to_read_as_gb18030() {
    let wd = Workdir::new();
    let text = "案号,经办法院,审判程序,立案日期,结案日期\n(2021)豫0302民初1号,洛阳市老城区人民法院,一审,2021-03-01,2021-03-11\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    wd.write("gbk.csv", gbk);
    let output = wd.run(&["report", "gbk.csv", "--encoding", "utf-8"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: gbk.csv:1: bytes that are not valid UTF-8 (--encoding utf-8), but the file reads as GB18030: drop --encoding or give --encoding gb18030\n"
    );
    // Read as it is: 2021-03-01 → 03-11 = 10 days.
    let read = wd.run(&["report", "gbk.csv", "--format", "csv", "--scope", "all"]);
    assert_eq!(read.status.code(), Some(0));
    assert!(
        stdout(&read)
            .lines()
            .any(|l| l.starts_with("first_instance_days,") && l.contains(",10.00,"))
    );
}

#[test]
fn a_bare_profile_name_is_built_in_and_a_path_is_a_file() {
    let wd = with_five();
    // A file named `cn` in the current directory is not what `--profile cn` means.
    wd.write("cn", "this is not a profile");
    let built_in = wd.run(&["report", "five.csv", "--profile", "cn", "--format", "csv"]);
    assert_eq!(built_in.status.code(), Some(0), "{}", stderr(&built_in));
    let unknown = wd.run(&["report", "five.csv", "--profile", "tw"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "casemetrics: --profile tw: no built-in profile of that name (built in: cn); a profile file is given by a path or a .toml name, e.g. ./tw or tw.toml\n"
    );
    let file = wd.run(&["report", "five.csv", "--profile", "./cn"]);
    assert_eq!(file.status.code(), Some(1));
    assert!(
        first_line(&stderr(&file)).starts_with("casemetrics: ./cn: not a valid config"),
        "{}",
        stderr(&file)
    );
}

#[test]
fn a_court_or_group_label_that_matches_nothing_names_the_closest() {
    let wd = with_five();
    let court = wd.run(&[
        "cases",
        "five.csv",
        "-i",
        "first_instance_days",
        "--court",
        "洛阳市老城人民法院",
    ]);
    assert_eq!(court.status.code(), Some(2));
    assert_eq!(
        stderr(&court),
        "casemetrics: --court \"洛阳市老城人民法院\" matches nothing in the export; closest: 洛阳市老城区人民法院, 洛阳市中级人民法院, 洛阳市涧西区人民法院\n"
    );
    let level = wd.run(&[
        "cases",
        "five.csv",
        "-i",
        "first_instance_days",
        "--group",
        "court_level=base",
    ]);
    assert_eq!(level.status.code(), Some(2));
    assert_eq!(
        first_line(&stderr(&level)),
        "casemetrics: --group court_level \"base\" matches nothing in the export; closest: basic, high, unknown"
    );
    // A known court still lists its cases: 老城区 first instance, 民初1号 and 民初2号.
    let known = wd.run(&[
        "cases",
        "five.csv",
        "-i",
        "first_instance_days",
        "--court",
        "洛阳市老城区人民法院",
        "--format",
        "csv",
    ]);
    assert_eq!(known.status.code(), Some(0));
    assert_eq!(stdout(&known).lines().count(), 3);
}

#[test]
fn excluded_without_an_indicator_lists_every_indicator_in_one_listing() {
    let wd = with_five();
    let output = wd.run(&["cases", "five.csv", "--excluded", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = super::workdir::csv_rows(&stdout(&output));
    assert_eq!(
        rows[0],
        [
            "indicator",
            "case_no",
            "court",
            "start",
            "end",
            "deducted_days",
            "reason",
            "file",
            "line"
        ]
    );
    // 民初5号 (line 6) is not closed: left out of first_instance_days.
    assert!(
        rows.contains(
            &[
                "first_instance_days",
                "(2021)豫0305民初5号",
                "洛阳市涧西区人民法院",
                "2021-05-02",
                "",
                "0",
                "not_closed",
                "five.csv",
                "6",
            ]
            .map(String::from)
            .to_vec()
        ),
        "{rows:?}"
    );
    // 执3 (line 14) closed before it was filed: left out of first_enforcement_days.
    assert!(rows.iter().any(|r| r[0] == "first_enforcement_days"
        && r[1] == "(2021)豫0305执3号"
        && r[6] == "end_before_start"));
    // Each row is one indicator's exclusion, as `--indicator ID --excluded` lists it.
    let one = wd.run(&[
        "cases",
        "five.csv",
        "--excluded",
        "-i",
        "first_instance_days",
        "--format",
        "csv",
    ]);
    let one_rows = super::workdir::csv_rows(&stdout(&one));
    let here = rows
        .iter()
        .filter(|r| r[0] == "first_instance_days")
        .count();
    assert_eq!(here, one_rows.len() - 1);
    let missing = wd.run(&["cases", "five.csv"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn validate_does_not_call_a_case_key_column_unknown() {
    let wd = Workdir::new();
    wd.write("k.toml", "[case_key]\ncolumns = [\"系统编号\"]\n");
    wd.write(
        "x.csv",
        "系统编号,案号,经办法院,审判程序,立案日期,结案日期,备注\nA1,(2021)豫0302民初1号,洛阳市老城区人民法院,一审,2021-03-01,2021-03-11,x\n",
    );
    let output = wd.run(&[
        "validate",
        "x.csv",
        "--profile",
        "k.toml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    // 备注 is unknown; 系统编号 is the case key and is used.
    assert_eq!(
        json["unused_columns"],
        serde_json::json!([{ "file": "x.csv", "column": "备注", "note": "not a known field; ignored" }])
    );
}

#[test]
fn terminal_tables_show_control_characters_escaped_and_csv_keeps_them() {
    let wd = Workdir::new();
    wd.write(
        "x.csv",
        "案号,经办法院,审判程序,立案日期,结案日期\n(2021)豫0302民初1号,老城\u{1b}]0;pwned\u{7}法院\u{202e},一审,2021-03-01,2021-03-11\n",
    );
    let table = wd.run(&[
        "cases",
        "x.csv",
        "-i",
        "first_instance_days",
        "--scope",
        "all",
    ]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(
        text.contains("老城\\u{1b}]0;pwned\\u{7}法院\\u{202e}"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
    let report = wd.run(&["report", "x.csv", "--by", "court", "--scope", "all"]);
    assert!(stdout(&report).contains("老城\\u{1b}]0;pwned\\u{7}法院\\u{202e}"));
    assert!(!stdout(&report).contains('\u{1b}'));
    let csv = wd.run(&[
        "cases",
        "x.csv",
        "-i",
        "first_instance_days",
        "--scope",
        "all",
        "--format",
        "csv",
    ]);
    assert!(stdout(&csv).contains("老城\u{1b}]0;pwned\u{7}法院\u{202e}"));
}
