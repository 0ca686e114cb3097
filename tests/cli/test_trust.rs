//! Trust (issue 6): outputs a spreadsheet cannot run, byte-identical output whatever the threads,
//! inputs that change while read, outputs that cannot be written, `--max-rejected-share`.

use std::path::Path;

use super::workdir::{Workdir, csv_rows, stderr, stdout};

/// Whether a spreadsheet reads a cell as a number rather than a formula: an independent oracle
/// (Rust's own float parser, a trailing `%` allowed), not a copy of the code under test.
fn reads_as_number(cell: &str) -> bool {
    let number = cell.strip_suffix('%').unwrap_or(cell);
    number.parse::<f64>().is_ok_and(f64::is_finite)
}

/// No cell a spreadsheet would run: text starting with `=`, `+`, `-`, `@`, tab or CR.
fn assert_no_formula(cells: &[String], output: &str) {
    for cell in cells {
        let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        assert!(
            !risky || reads_as_number(cell),
            "cell {cell:?} would run as a formula:\n{output}"
        );
    }
}

fn assert_csv_safe(output: &str) {
    for row in csv_rows(output) {
        assert_no_formula(&row, output);
    }
}

/// Every cell of every Markdown table row, and every list item.
fn assert_markdown_safe(output: &str) {
    for line in output.lines() {
        if let Some(row) = line.strip_prefix("| ") {
            // Cells are split at `|` not escaped as `\|`.
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut escaped = false;
            for c in row.chars() {
                if c == '|' && !escaped {
                    cells.push(cell.trim().to_string());
                    cell.clear();
                } else {
                    cell.push(c);
                }
                escaped = c == '\\' && !escaped;
            }
            cells.push(cell.trim().to_string());
            // Our own text, not the input's: the alignment row (`---`, `---:`) and `-` for "no
            // value" in a number column.
            cells.retain(|cell| !cell.chars().all(|c| c == '-' || c == ':'));
            assert_no_formula(&cells, output);
        } else if let Some(item) = line.strip_prefix("- ") {
            assert_no_formula(&[item.to_string()], output);
        }
    }
}

/// An export whose court names, case numbers, causes, departments and judges are formulas, in a
/// file whose name is one. Lines 2–3: first-instance cases of a basic court closed in March (34
/// days) and April (30 days), so `--period 2021-04 --compare previous` gives a change of −4.00.
/// Line 4: an unreadable case number (kept; its court level cannot be told). Line 5: open since
/// 2020-01-02, listed by `pending` at 2021-12-31 (over 365 days).
const HOSTILE: &str = "\
案号,经办法院,案由,审判程序,涉营商环境,收到材料日期,立案日期,结案日期,扣除审限天数,承办部门,承办人
(2021)豫0302民初1号,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",@SUM(A1),一审,是,2021-02-24,2021-02-25,2021-03-31,,+部门,-cmd|' /C calc'!A0
(2021)豫0302民初2号,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",@SUM(A1),一审,是,2021-03-01,2021-03-02,2021-04-01,,+部门,-cmd|' /C calc'!A0
=1+1,@evil,-2+3,一审,是,2021-03-01,2021-03-02,2021-04-05,,=dept,@judge
(2020)豫0302民初9号,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",@SUM(A1),一审,是,2020-01-01,2020-01-02,,,+部门,-cmd
";

fn hostile() -> Workdir {
    let wd = Workdir::new();
    wd.write("=export.csv", HOSTILE);
    wd
}

fn ok(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    stdout(output)
}

#[test]
fn report_csv_and_markdown_neutralise_formulas_but_keep_negative_changes_as_numbers() {
    let wd = hostile();
    let args = |format| {
        vec![
            "report",
            "=export.csv",
            "--by",
            "court,cause,department,judge",
            "--period",
            "2021-04",
            "--compare",
            "previous",
            "--format",
            format,
        ]
    };
    let csv = ok(&wd.run(&args("csv")));
    assert_csv_safe(&csv);
    let rows = csv_rows(&csv);
    let court = rows[0].iter().position(|h| h == "court").unwrap();
    let change = rows[0].iter().position(|h| h == "change").unwrap();
    let first_instance: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == "first_instance_days")
        .collect();
    // The overall row: 30 days in April against 34 in March, a change of −4.00, still a number.
    assert_eq!(first_instance[0][change], "-4.00", "{csv}");
    assert!(
        first_instance
            .iter()
            .any(|r| r[court] == "'=HYPERLINK(\"http://evil.example\",\"x\")"),
        "{csv}"
    );
    assert!(csv.contains("'@SUM(A1)") && csv.contains("'+部门") && csv.contains("'-cmd"));

    let markdown = ok(&wd.run(&args("markdown")));
    assert_markdown_safe(&markdown);
    assert!(markdown.contains("'=export.csv"), "{markdown}");
    assert!(markdown.contains("'=HYPERLINK"), "{markdown}");
    assert!(markdown.contains("| -4.00 |"), "{markdown}");
}

#[test]
fn cases_csv_neutralises_case_numbers_courts_and_file_names() {
    let wd = hostile();
    for excluded in [false, true] {
        let mut args = vec![
            "cases",
            "=export.csv",
            "--indicator",
            "first_instance_days",
            "--format",
            "csv",
        ];
        if excluded {
            args.push("--excluded");
        }
        let csv = ok(&wd.run(&args));
        assert_csv_safe(&csv);
        assert!(csv.contains("'=export.csv"), "{csv}");
        if excluded {
            // The unreadable case number, its court level unknown.
            assert!(csv.contains("'=1+1,'@evil"), "{csv}");
        } else {
            assert!(csv.contains("'=HYPERLINK"), "{csv}");
        }
    }
}

#[test]
fn validate_details_csv_neutralises_values_and_file_names() {
    let wd = hostile();
    let csv = ok(&wd.run(&["validate", "=export.csv", "--details", "--format", "csv"]));
    assert_csv_safe(&csv);
    let rows = csv_rows(&csv);
    assert!(rows.len() > 1, "{csv}");
    assert!(rows[1..].iter().all(|r| r[0] == "'=export.csv"), "{csv}");
    assert!(rows.iter().any(|r| r[3] == "'=1+1"), "{csv}");
    // The summary form too.
    assert_csv_safe(&ok(&wd.run(&[
        "validate",
        "=export.csv",
        "--format",
        "csv",
    ])));
}

#[test]
fn pending_csv_and_markdown_neutralise_formulas() {
    let wd = hostile();
    let args = |format| {
        vec![
            "pending",
            "=export.csv",
            "--as-of",
            "2021-12-31",
            "--format",
            format,
        ]
    };
    let csv = ok(&wd.run(&args("csv")));
    assert_csv_safe(&csv);
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'-cmd") && csv.contains("'=export.csv"),
        "{csv}"
    );
    let markdown = ok(&wd.run(&args("markdown")));
    assert_markdown_safe(&markdown);
    assert!(markdown.contains("'=HYPERLINK"), "{markdown}");
}

#[test]
fn report_bytes_are_the_same_across_runs_and_thread_counts() {
    let wd = Workdir::with_copy("luoyang.csv", "data-samples/luoyang-2021.csv");
    for format in ["json", "csv", "markdown"] {
        let run = |threads: Option<&str>| {
            let mut args = vec!["report", "luoyang.csv", "--by", "court,month", "--format"];
            args.push(format);
            if let Some(threads) = threads {
                args.extend(["--threads", threads]);
            }
            let output = wd.run(&args);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            output.stdout
        };
        let first = run(None);
        assert!(!first.is_empty());
        assert_eq!(first, run(None), "{format}: two runs differ");
        for threads in ["1", "2", "4"] {
            assert_eq!(
                first,
                run(Some(threads)),
                "{format}: --threads {threads} differs"
            );
        }
    }
}

/// The files in a directory.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_in_a_missing_directory_is_one_clear_error_and_no_file() {
    let wd = Workdir::with_copy("luoyang.csv", "data-samples/luoyang-2021.csv");
    let output = wd.run(&[
        "report",
        "luoyang.csv",
        "--format",
        "csv",
        "-o",
        "no-such-dir/june.csv",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: cannot write no-such-dir/june.csv: its directory does not exist\n"
    );
    assert!(stdout(&output).is_empty());
    assert_eq!(names_in(&wd.path("")), ["luoyang.csv"]);
}

#[test]
fn an_output_in_a_read_only_directory_is_one_clear_error_and_no_file() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::with_copy("luoyang.csv", "data-samples/luoyang-2021.csv");
    let locked = wd.path("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // root writes into a read-only directory all the same: use sysfs, which nobody can write in.
    let probe = locked.join("probe");
    let directory = if std::fs::write(&probe, "x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        Path::new("/sys").to_path_buf()
    } else {
        locked.clone()
    };
    let before = names_in(&directory);
    let target = directory.join("june.csv");
    let target = target.to_str().unwrap();
    let output = wd.run(&["report", "luoyang.csv", "--format", "csv", "-o", target]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("casemetrics: cannot write {target}: permission denied\n")
    );
    assert_eq!(names_in(&directory), before, "no file left behind");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_input_that_grows_while_read_is_an_error_and_nothing_is_written() {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    let wd = Workdir::new();
    let sample = std::fs::read(super::workdir::repo("data-samples/luoyang-2021.csv")).unwrap();
    // About 10 MB: reading it takes far longer than the writer's pause between two appends.
    let mut big = sample.clone();
    let rows = &sample[sample.iter().position(|&b| b == b'\n').unwrap() + 1..];
    while big.len() < 10_000_000 {
        big.extend_from_slice(rows);
    }
    let path = wd.write("growing.csv", &big);
    let done = AtomicBool::new(false);
    let output = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            while !done.load(Ordering::Relaxed) {
                file.write_all(rows.split(|&b| b == b'\n').next().unwrap())
                    .unwrap();
                file.write_all(b"\n").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        let output = wd.run(&[
            "report",
            "growing.csv",
            "--format",
            "csv",
            "-o",
            "out.csv",
            "--threads",
            "2",
        ]);
        done.store(true, Ordering::Relaxed);
        output
    });
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.starts_with("casemetrics: growing.csv: changed while it was being read (")
            && message.ends_with("; nothing written: read it again once the export is complete\n")
            && message.lines().count() == 1,
        "{message}"
    );
    assert_eq!(names_in(&wd.path("")), ["growing.csv"]);
}

/// dirty.csv (see test_validate.rs): 15 rows read; line 11 has no case number (rejected), line 13
/// reuses line 2's case number with another closing date (conflicting), line 12 repeats line 2
/// exactly (a duplicate: not counted); every kept row has a readable date. 2 of 15 = 13.33 %.
#[test]
fn max_rejected_share_fails_before_writing_anything() {
    let wd = Workdir::with_copy("dirty.csv", "data-samples/dirty.csv");
    let expected = "casemetrics: 2 of 15 rows read (13.33%) were not used as cases (1 without a case number, 1 with a conflicting case number, 0 without any readable date, 0 without a business flag): more than --max-rejected-share 0.05 (5.00%); nothing written\n";
    for command in [
        &["report", "dirty.csv", "--format", "csv"][..],
        &["cases", "dirty.csv", "--indicator", "first_instance_days"][..],
        &["validate", "dirty.csv", "--details"][..],
    ] {
        let mut args = command.to_vec();
        args.extend(["--max-rejected-share", "0.05", "-o", "out.txt"]);
        let output = wd.run(&args);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert_eq!(stderr(&output), expected, "{command:?}");
        assert!(stdout(&output).is_empty());
        assert_eq!(names_in(&wd.path("")), ["dirty.csv"], "{command:?}");
        // At the threshold or above the share, the run goes on.
        for share in ["0.2", "0.1334"] {
            let mut args = command.to_vec();
            args.extend(["--max-rejected-share", share]);
            assert_eq!(wd.run(&args).status.code(), Some(0), "{command:?} {share}");
        }
    }
    // Exactly the share is not more than it: 2 of 15.
    let exact = (2.0f64 / 15.0).to_string();
    let output = wd.run(&["validate", "dirty.csv", "--max-rejected-share", &exact]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A share outside 0..1 is a usage error.
    let output = wd.run(&["report", "dirty.csv", "--max-rejected-share", "5"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn rows_without_any_readable_date_count_as_not_used() {
    // Lines 3 and 4 have a case number but no date that reads: they can enter no indicator.
    let wd = Workdir::new();
    wd.write(
        "shifted.csv",
        "案号,立案日期,结案日期\n(2021)豫0302民初1号,2021-03-01,2021-03-05\n(2021)豫0302民初2号,洛阳,\n(2021)豫0302民初3号,,\n",
    );
    let output = wd.run(&["report", "shifted.csv", "--max-rejected-share", "0.5"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("2 of 3 rows read (66.67%) were not used as cases (0 without a case number, 0 with a conflicting case number, 2 without any readable date, 0 without a business flag)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn blank_business_flags_count_towards_max_rejected_share() {
    // Four cases, two with the flag left blank: out of scope, in no figure. 2 of 4 rows read
    // (50%) are unused, more than 0.3; with 0.6 the run goes on.
    let wd = Workdir::new();
    wd.write(
        "half.csv",
        "案号,涉营商环境,立案日期,结案日期\n\
         (2021)豫0302民初1号,是,2021-03-01,2021-03-11\n\
         (2021)豫0302民初2号,,2021-03-01,2021-03-21\n\
         (2021)豫0302民初3号,是,2021-03-01,2021-03-31\n\
         (2021)豫0302民初4号,,2021-03-01,2021-04-10\n",
    );
    let output = wd.run(&["report", "half.csv", "--max-rejected-share", "0.3"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "casemetrics: 2 of 4 rows read (50.00%) were not used as cases (0 without a case number, 0 with a conflicting case number, 0 without any readable date, 2 without a business flag): more than --max-rejected-share 0.3 (30.00%); nothing written\n"
    );
    let output = wd.run(&["report", "half.csv", "--max-rejected-share", "0.6"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
