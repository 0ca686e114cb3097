//! Property tests of the reader (`casemetrics::read::read_exports`) and the computation behind it:
//! whatever bytes a file holds, reading never panics and never hangs, it ends in a table or an
//! error, and that outcome is the same for every number of threads and every block size. On
//! whatever it reads, `compute` does not panic either.
//!
//! Each case is small (a few KiB) and the case counts are low, so the whole file runs in seconds
//! in a debug build. A failure prints the shrunk file's bytes; keep it as a regression test below.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use casemetrics::measure::CaseFrame;
use casemetrics::measure::compute::{ComputeOptions, compute};
use casemetrics::measure::groups::GroupKey;
use casemetrics::read::{ReadOptions, read_exports};
use proptest::prelude::*;

/// Headers the reader knows (Chinese labels and database codes), plus one it does not.
const KNOWN_HEADERS: [&str; 16] = [
    "案号",
    "经办法院",
    "案由",
    "审判程序",
    "涉营商环境",
    "收到材料日期",
    "立案日期",
    "结案日期",
    "结案方式",
    "扣除审限天数",
    "上诉状收到日期",
    "原审案号",
    "承办部门",
    "承办人",
    "LARQ",
    "备注",
];

/// A reading ends in a table (described by every value it holds) or an error message.
fn outcome(path: &Path, threads: usize, block_bytes: usize) -> String {
    let options = ReadOptions {
        show_progress: false,
        threads,
        block_bytes,
        ..ReadOptions::default()
    };
    match read_exports(&[path.to_path_buf()], &options) {
        Err(error) => {
            let message = error.to_string();
            // A panic of the reading thread comes back as this error: it is a bug, not an outcome.
            assert!(
                !message.contains("the reading thread failed"),
                "reader thread panicked: {message}"
            );
            format!("error: {message}")
        }
        Ok((table, quality)) => {
            let register = &table.register;
            let mut text = format!("{quality:?}\n");
            for source in &register.sources {
                text.push_str(&format!(
                    "source {} {} rows {} {:?} {:?} header {} {:?} {:?}\n",
                    source.name,
                    source.sha256,
                    source.rows,
                    source.encoding,
                    source.delimiter,
                    source.header_line,
                    source.scope,
                    source.columns.headers,
                ));
            }
            for row in 0..register.len() {
                text.push_str(&format!(
                    "{} {} {}\n",
                    register.source_of(row),
                    register.line[row],
                    register.case_numbers.get(row)
                ));
            }
            for dictionary in [
                &register.courts,
                &register.causes,
                &register.departments,
                &register.judges,
            ] {
                text.push_str(&format!("{:?}\n", dictionary.labels()));
            }
            text.push_str(&format!("{:?}\n", table.columns));
            text
        }
    }
}

/// `outcome`, failing the test instead of waiting for ever when the reader hangs.
fn outcome_within(path: &Path, threads: usize, block_bytes: usize) -> String {
    let (sender, receiver) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| outcome(&path, threads, block_bytes));
        let _ = sender.send(result);
    });
    match receiver.recv_timeout(Duration::from_secs(20)) {
        Ok(Ok(text)) => text,
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("reader panicked (threads {threads}, block_bytes {block_bytes}): {message}")
        }
        Err(_) => panic!("reader hung (threads {threads}, block_bytes {block_bytes})"),
    }
}

/// Read `bytes` with one thread and whole-file blocks, then with every `(threads, block_bytes)`
/// given: every outcome must be the first one. Returns it.
fn same_outcome_everywhere(bytes: &[u8], configs: &[(usize, usize)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let reference = outcome_within(&path, 1, casemetrics::read::BLOCK_BYTES);
    for &(threads, block_bytes) in configs {
        let other = outcome_within(&path, threads, block_bytes);
        assert_eq!(
            reference, other,
            "threads {threads}, block_bytes {block_bytes} read the file differently"
        );
    }
    reference
}

/// Read `bytes` and, when they read, compute every indicator (overall and broken down).
fn compute_does_not_panic(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let options = ReadOptions {
        show_progress: false,
        threads: 2,
        ..ReadOptions::default()
    };
    let Ok((table, _quality)) = read_exports(&[path], &options) else {
        return;
    };
    let register = table.register;
    let cases = CaseFrame::new(table.columns);
    let overall = ComputeOptions {
        chunk_rows: 3,
        ..ComputeOptions::default()
    };
    let _ = compute(&cases, &register, &overall);
    let broken_down = ComputeOptions {
        by: vec![GroupKey::Court, GroupKey::Month, GroupKey::CourtLevel],
        ..ComputeOptions::default()
    };
    let _ = compute(&cases, &register, &broken_down);
}

fn read_configs() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((1usize..=4, 1usize..=4096), 3)
}

/// A date in one of the forms exports use, sometimes impossible or out of range.
fn date_cell() -> impl Strategy<Value = Vec<u8>> {
    (
        1940i32..2110,
        0u32..14,
        0u32..33,
        0usize..6,
        prop::option::of((0u32..25, 0u32..61)),
    )
        .prop_map(|(y, m, d, form, time)| {
            let mut text = match form {
                0 => format!("{y}-{m:02}-{d:02}"),
                1 => format!("{y}/{m}/{d}"),
                2 => format!("{y}.{m}.{d}"),
                3 => format!("{y}年{m}月{d}日"),
                4 => format!("{y}{m:02}{d:02}"),
                _ => format!("{m}/{d}/{y}"),
            };
            if let Some((h, min)) = time {
                text.push_str(&format!(" {h}:{min:02}"));
            }
            text.into_bytes()
        })
}

/// A case number, new or old style, half- or full-width brackets, sometimes damaged.
fn case_no_cell() -> impl Strategy<Value = Vec<u8>> {
    (
        1990i32..2030,
        prop::sample::select(vec!["豫0302", "豫03", "豫", "", "京0105"]),
        prop::sample::select(vec![
            "民初",
            "民终",
            "执",
            "执恢",
            "执保",
            "知民初",
            "破",
            "刑初",
            "民初字第",
            "",
        ]),
        0u32..3000,
        any::<bool>(),
        prop::sample::select(vec!["号", "号之一", ""]),
    )
        .prop_map(|(year, court, kind, number, full_width, suffix)| {
            let (open, close) = if full_width {
                ("（", "）")
            } else {
                ("(", ")")
            };
            format!("{open}{year}{close}{court}{kind}{number}{suffix}").into_bytes()
        })
}

/// Any other cell: short text, hostile text, quotes and line breaks, a BOM, GB18030 bytes, a
/// very long cell, numbers, flags.
fn other_cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        "[a-z0-9 ]{0,8}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "洛阳市老城区人民法院",
            "洛阳市中级人民法院",
            "河南省高级人民法院",
            "买卖合同纠纷",
            "一审",
            "二审",
            "首次执行",
            "简易程序",
            "是",
            "否",
            "maybe",
            "12",
            "12.0",
            "12.5",
            "-3",
            "=HYPERLINK(\"http://x\")",
            "@SUM(A1)",
            "判决",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        "[\",;\t\r\n a\u{3000}]{0,6}".prop_map(String::into_bytes),
        "\\PC{0,12}".prop_map(String::into_bytes),
        Just("\u{feff}".as_bytes().to_vec()),
        // GB18030 bytes (not UTF-8), and stray bytes valid in neither encoding.
        prop::sample::select(vec!["洛阳市涧西区人民法院", "民间借贷纠纷", "执行局"]).prop_map(
            |s| {
                let (bytes, _, _) = encoding_rs::GB18030.encode(s);
                bytes.into_owned()
            }
        ),
        prop::collection::vec(0x80u8..=0xff, 1..4),
        (0usize..3000).prop_map(|n| "长".repeat(n).into_bytes()),
        (0u32..400).prop_map(|n| n.to_string().into_bytes()),
    ]
}

fn any_cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![3 => date_cell(), 3 => case_no_cell(), 4 => other_cell()]
}

/// How a cell is written: as is, quoted (quotes doubled), or (rarely: it swallows the rest of the
/// file) with a quote opened and never closed.
fn written(cell: &[u8], quoting: u8) -> Vec<u8> {
    // Cells holding a delimiter, quote or line break are quoted, as a CSV writer does, but for a
    // few written raw (a broken export).
    let special = cell
        .iter()
        .any(|b| matches!(b, b',' | b';' | b'\t' | b'"' | b'\n' | b'\r'));
    match quoting {
        0..=119 if !special || quoting < 8 => cell.to_vec(),
        0..=119 => written(cell, 150),
        120..=198 => {
            let mut out = vec![b'"'];
            for &byte in cell {
                if byte == b'"' {
                    out.push(b'"');
                }
                out.push(byte);
            }
            out.push(b'"');
            out
        }
        _ => {
            let mut out = vec![b'"'];
            out.extend_from_slice(cell);
            out
        }
    }
}

/// A whole export: perhaps a BOM and a title line, a header of known columns, rows of random
/// cells (some ragged, some quoted), LF or CRLF, empty lines. Its bytes are UTF-8 (cells that are
/// not are left empty), all GB18030, or a mix of both and of stray bytes.
fn export_file() -> impl Strategy<Value = Vec<u8>> {
    // The case-number column is there in most files (the first of KNOWN_HEADERS), in any place.
    let header = (
        prop::sample::subsequence(KNOWN_HEADERS[1..].to_vec(), 1..KNOWN_HEADERS.len()),
        0u8..10,
    )
        .prop_map(|(mut header, without_case_no)| {
            if without_case_no > 0 {
                header.push(KNOWN_HEADERS[0]);
            }
            header
        })
        .prop_shuffle();
    let rows = prop::collection::vec(
        (
            prop::collection::vec((any_cell(), 0u8..200), 0..18),
            0u8..60,
        ),
        0..24,
    );
    let delimiter = prop::sample::select(vec![b',', b',', b';', b'\t']);
    (
        header,
        rows,
        any::<bool>(),
        0u8..4,
        any::<bool>(),
        0u8..3,
        delimiter,
    )
        .prop_map(|(header, rows, crlf, extra, bom, bytes_mode, delimiter)| {
            let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut file = Vec::new();
            if bom {
                file.extend_from_slice("\u{feff}".as_bytes());
            }
            if extra == 0 {
                file.extend_from_slice("洛阳市中级人民法院案件信息导出".as_bytes());
                file.extend_from_slice(end);
            }
            file.extend_from_slice(header.join(&(delimiter as char).to_string()).as_bytes());
            file.extend_from_slice(end);
            for (cells, shape) in rows {
                if shape == 0 {
                    // An empty line.
                    file.extend_from_slice(end);
                    continue;
                }
                // Most rows have as many cells as the header; a few have one more or fewer.
                let count = match shape {
                    1 => header.len() + 1,
                    2 => header.len().saturating_sub(1),
                    _ => header.len(),
                };
                for index in 0..count {
                    if index > 0 {
                        file.push(delimiter);
                    }
                    if let Some((cell, quoting)) = cells.get(index) {
                        if bytes_mode < 2 && std::str::from_utf8(cell).is_err() {
                            continue;
                        }
                        file.extend_from_slice(&written(cell, *quoting));
                    }
                }
                file.extend_from_slice(end);
            }
            if extra == 1 {
                // No line break after the last row.
                while file.ends_with(b"\n") || file.ends_with(b"\r") {
                    file.pop();
                }
            }
            if bytes_mode == 1 && !bom {
                // The whole file in GB18030, as Excel on Chinese Windows writes it.
                let text = String::from_utf8(file).unwrap_or_default();
                return encoding_rs::GB18030.encode(&text).0.into_owned();
            }
            file
        })
}

/// Rows that always read: known columns, well-formed dates and case numbers, quoted text.
fn valid_export() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        case_no_cell(),
        prop::sample::select(vec![
            "洛阳市老城区人民法院",
            "洛阳市中级人民法院",
            "河南省高级人民法院",
            "=cmd|' /C calc'!A0",
        ]),
        prop::sample::select(vec!["一审", "二审", "首次执行", "", "简易程序"]),
        prop::sample::select(vec!["是", "否", ""]),
        date_cell(),
        date_cell(),
        date_cell(),
        prop::sample::select(vec!["", "0", "12", "40", "1.5"]),
        date_cell(),
        case_no_cell(),
    );
    prop::collection::vec(row, 0..30).prop_map(|rows| {
        let mut file = "案号,经办法院,审判程序,涉营商环境,收到材料日期,立案日期,结案日期,扣除审限天数,上诉状收到日期,原审案号\n"
            .as_bytes()
            .to_vec();
        for (no, court, procedure, flag, received, filed, closed, deducted, appeal, original) in
            rows
        {
            let cells: [&[u8]; 10] = [
                &no,
                court.as_bytes(),
                procedure.as_bytes(),
                flag.as_bytes(),
                &received,
                &filed,
                &closed,
                deducted.as_bytes(),
                &appeal,
                &original,
            ];
            for (index, cell) in cells.iter().enumerate() {
                if index > 0 {
                    file.push(b',');
                }
                file.extend_from_slice(&written(cell, 150));
            }
            file.push(b'\n');
        }
        file
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_read_the_same_way_whatever_the_threads_and_blocks(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        configs in read_configs(),
    ) {
        same_outcome_everywhere(&bytes, &configs);
    }

    #[test]
    fn a_header_then_arbitrary_bytes_read_the_same_way(
        body in prop::collection::vec(any::<u8>(), 0..2048),
        configs in read_configs(),
    ) {
        let mut bytes = "案号,立案日期,结案日期\n".as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        same_outcome_everywhere(&bytes, &configs);
    }

    #[test]
    fn random_exports_read_the_same_way_whatever_the_threads_and_blocks(
        bytes in export_file(),
        configs in read_configs(),
    ) {
        same_outcome_everywhere(&bytes, &configs);
    }
}

proptest! {
    // Each case computes twice with polars: fewer cases keep the debug build's run short.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn valid_exports_read_the_same_way_and_compute_without_panicking(
        bytes in valid_export(),
        configs in read_configs(),
    ) {
        let outcome = same_outcome_everywhere(&bytes, &configs);
        prop_assert!(!outcome.starts_with("error"), "a valid export failed: {}", outcome);
        compute_does_not_panic(&bytes);
    }

    #[test]
    fn random_exports_compute_without_panicking(bytes in export_file()) {
        compute_does_not_panic(&bytes);
    }
}

/// Regression (found by `random_exports_read_the_same_way_whatever_the_threads_and_blocks`): a
/// block holding a ragged row and, further on, bytes that are not UTF-8 reported the bad bytes,
/// while smaller blocks reported the ragged row first: the error named depended on the block size.
#[test]
fn an_earlier_ragged_row_is_reported_before_later_bad_bytes_whatever_the_block_size() {
    let mut bytes = "\u{feff}案号,立案日期\n(2021)豫0302民初1号,2021-03-01,extra\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\"(2021)\xe8\xb1\xab0302\n\xff\",2021-03-02\n");
    let outcome = same_outcome_everywhere(&bytes, &[(1, 1), (2, 40), (4, 4096), (3, 70)]);
    assert!(
        outcome.ends_with(
            "export.csv:2: row has 3 fields but the header has 2 (ragged row; check quoting and the delimiter)"
        ),
        "{outcome}"
    );
}

/// What is done to a large export: bytes inserted at a point (a fraction of its length).
fn mutation() -> impl Strategy<Value = (f64, Vec<u8>)> {
    let bytes = prop_oneof![
        Just(encoding_rs::GB18030.encode("洛阳").0.into_owned()),
        Just(vec![0xff]),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n\n".to_vec()),
    ];
    (0.0f64..1.0, bytes)
}

proptest! {
    // Files past the 256 KiB looked at for the header and the encoding: a byte that is not UTF-8
    // deep in the file makes the reader start again as GB18030, whatever block it falls in.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn large_exports_with_late_faults_read_the_same_way(
        mutations in prop::collection::vec(mutation(), 0..3),
        configs in prop::collection::vec((1usize..=4, 1usize..=4096), 2),
    ) {
        let mut bytes = "案号,经办法院,立案日期,结案日期\n".as_bytes().to_vec();
        let mut number = 0;
        while bytes.len() < 300 * 1024 {
            number += 1;
            bytes.extend_from_slice(
                format!("(2021)豫0302民初{number}号,洛阳市老城区人民法院,2021-03-01,2021-04-{:02}\n", number % 28 + 1)
                    .as_bytes(),
            );
        }
        for (at, inserted) in mutations {
            let at = (at * bytes.len() as f64) as usize;
            bytes.splice(at..at, inserted);
        }
        same_outcome_everywhere(&bytes, &configs);
    }
}

/// Regression (found by `random_exports_read_the_same_way_whatever_the_threads_and_blocks`): the
/// csv crate skips an empty line without counting it, so a row after one was reported a line short
/// unless a block boundary fell on the empty line.
#[test]
fn rows_after_empty_lines_keep_their_line_numbers_whatever_the_block_size() {
    let bytes =
        "案号,立案日期\n(2021)豫0302民初1号,\"2021-03-01\n\"\n\n\n(2021)豫0302民初2号,2021-03-01\n";
    let outcome = same_outcome_everywhere(bytes.as_bytes(), &[(1, 1), (2, 30), (4, 4096)]);
    assert!(outcome.contains("\n0 2 (2021)豫0302民初1号\n"), "{outcome}");
    assert!(outcome.contains("\n0 6 (2021)豫0302民初2号\n"), "{outcome}");
}

/// Regression (found with the property above): an empty line of a CRLF file (what Excel writes)
/// is a lone `\r`, which the csv crate reads as a row of one cell: the run stopped on a "ragged
/// row", while the same empty line in an LF file is skipped.
#[test]
fn an_empty_crlf_line_is_skipped_like_an_empty_lf_line() {
    let lf = "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n\n(2021)豫0302民初2号,2021-03-01\n";
    let crlf = lf.replace('\n', "\r\n");
    let configs = [(1, 1), (3, 17), (2, 4096)];
    let outcome = same_outcome_everywhere(crlf.as_bytes(), &configs);
    assert!(outcome.starts_with("Quality { rows_read: 2,"), "{outcome}");
    assert!(outcome.contains("\n0 4 (2021)豫0302民初2号\n"), "{outcome}");
    // Apart from the file's hash, the same table as the LF file.
    let without_hash = |text: &str| {
        text.lines()
            .filter(|line| !line.starts_with("source "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_hash(&outcome),
        without_hash(&same_outcome_everywhere(lf.as_bytes(), &configs))
    );
}

/// Regression (found by `random_exports_read_the_same_way_whatever_the_threads_and_blocks`):
/// csv-core drops a UTF-8 BOM at the start of its input, so a row whose case number begins with
/// U+FEFF lost it when a block started with that row: the row was rejected (no case number) or
/// kept depending on the block size.
#[test]
fn a_bom_starting_a_row_is_kept_whatever_the_block_size() {
    let bytes = "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n\u{feff},2021-03-02\n\u{feff}(2021)豫0302民初2号,2021-03-03\n";
    let outcome = same_outcome_everywhere(bytes.as_bytes(), &[(1, 1), (2, 33), (3, 40), (4, 4096)]);
    // Neither BOM row is rejected: U+FEFF is not a space, so the cell is not empty.
    assert!(
        outcome.starts_with("Quality { rows_read: 3, duplicates: 0, conflicting: 0, rejected: 0,"),
        "{outcome}"
    );
}
