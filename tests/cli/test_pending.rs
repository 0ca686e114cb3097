//! `casemetrics pending`: the long-pending ledger, the age profile and the disposition time.
//!
//! tests/fixtures/pending.csv, as of 2021-12-31, in scope (涉营商环境 = 是) unless noted.
//! age = 2021-12-31 − 立案日期; limit day = 立案日期 + N calendar months (same day number, or the
//! month's last day) + 扣除审限天数; days over = 2021-12-31 − limit day (past when > 0).
//!   line  2 破1    破产, reg 2020-12-31: age 365 (not > 365), no limit          → not listed
//!   line  3 破2    破产, reg 2020-12-30: age 366                                → over_365_days
//!   line  4 民初11 一审 6 m, reg 2021-06-01: age 213; limit 2021-12-01 (183 d), over 30 → past_limit
//!   line  5 民初12 简易程序 3 m, reg 2021-09-15: age 107; limit 2021-12-15 (91 d), over 16 → past_limit
//!   line  6 民初13 小额诉讼 2 m, reg 2021-10-31: age 61; limit 2021-12-31 (61 d), over 0 → not listed
//!   line  7 民终5  二审 3 m, reg 2021-09-20: age 102; limit 2021-12-20 (91 d), over 11 → past_limit
//!   line  8 执7    首次执行 6 m, reg 2021-05-10: age 235; limit 2021-11-10 (184 d), over 51 → past_limit
//!   line  9 民初14 一审 6 m + 60 deducted, reg 2021-05-20: age 225; limit 2021-11-20 + 60 =
//!                  2022-01-19 (244 d), within → not listed (--gross: limit 2021-11-20, over 41)
//!   line 10 民初90 一审, reg 2020-11-15, closed 2022-01-10 (after the as-of date: open then):
//!                  age 411; limit 2021-05-15 (181 d), over 230 → both
//!   line 11 民初1 (2022) reg 2022-01-05: registered after the as-of date → not counted
//!   line 12 民初1  closed 2021-03-01 → closed in the window 2021-01-01..2021-12-31
//!   line 13 民初2  closed 2021-12-31 (on the as-of date: closed, not open) → in the window
//!   line 14 民初80 closed 2020-12-31 → before the window (starts 2021-12-31 − 364 = 2021-01-01)
//!   line 15 民初85 closed 2021-01-01 → in the window (its first day)
//!   line 16 民初5 (2019) out of scope (否): reg 2019-01-01, open (--scope all: age 1095,
//!                  limit 2019-07-01, over 914 → both)
//!   line 17 民终40 二审, reg 2020-10-10: age 447; limit 2021-01-10 (92 d), over 355 → both
//!   line 18 执3 (老城区) 首次执行 + 10 deducted, reg 2021-03-01: age 305; limit 2021-09-01 + 10 =
//!                  2021-09-11 (194 d), over 111 → past_limit (--gross: over 121)
//!   line 19 民初15 no registration date, open → not counted
//!   line 20 民初99 一审, reg 2020-12-31: age 365 (not > 365); limit 2021-06-30 (181 d), over 184
//!                  → past_limit only, not both
//!   line 21 民初3  closed 2021-06-30 → in the window
//!   line 22 执1    closed 2021-11-11 → in the window
//! Open on 2021-12-31 (12): ages 61 | 107, 102 | 365, 213, 235, 225, 305, 365 | 366, 411, 447
//!   → 0–90: 1, 91–180: 2, 181–365: 6, over 365: 3.
//! Closed 2021-01-01..2021-12-31: lines 12, 13, 15, 21, 22 = 5.
//! Disposition time = 365 × 12 / 5 = 876 days.
//! Listed: 9 = 1 over 365 days only (line 3) + 6 past the limit only + 2 both (lines 10, 17).

use serde_json::{Value, json};

use super::workdir::{Workdir, csv_rows, stderr, stdout};

fn with_fixture() -> Workdir {
    Workdir::with_copy("pending.csv", "tests/fixtures/pending.csv")
}

fn run_ok(wd: &Workdir, extra: &[&str]) -> String {
    let mut args = vec!["pending", "pending.csv", "--as-of", "2021-12-31"];
    args.extend_from_slice(extra);
    let output = wd.run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn json(wd: &Workdir, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run_ok(wd, &args)).unwrap()
}

/// The ledger as CSV rows, each cut down to `columns` (by header name).
fn ledger(wd: &Workdir, extra: &[&str], columns: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec!["--format", "csv"];
    args.extend_from_slice(extra);
    let rows = csv_rows(&run_ok(wd, &args));
    let index: Vec<usize> = columns
        .iter()
        .map(|c| rows[0].iter().position(|h| h == c).expect(c))
        .collect();
    rows[1..]
        .iter()
        .map(|row| index.iter().map(|&i| row[i].clone()).collect())
        .collect()
}

#[test]
fn the_ledger_lists_every_long_pending_case_with_its_hand_computed_figures() {
    let wd = with_fixture();
    let rows = ledger(
        &wd,
        &[],
        &[
            "line",
            "case_no",
            "procedure",
            "registered",
            "age_days",
            "limit_months",
            "deducted_days",
            "limit_date",
            "limit_days",
            "days_over_limit",
            "why",
        ],
    );
    let expected = [
        [
            "3",
            "(2020)豫0303破2号",
            "破产",
            "2020-12-30",
            "366",
            "",
            "0",
            "",
            "",
            "",
            "over_365_days",
        ],
        [
            "4",
            "(2021)豫0303民初11号",
            "一审",
            "2021-06-01",
            "213",
            "6",
            "0",
            "2021-12-01",
            "183",
            "30",
            "past_limit",
        ],
        [
            "5",
            "(2021)豫0303民初12号",
            "一审 (简易程序)",
            "2021-09-15",
            "107",
            "3",
            "0",
            "2021-12-15",
            "91",
            "16",
            "past_limit",
        ],
        [
            "7",
            "(2021)豫03民终5号",
            "二审",
            "2021-09-20",
            "102",
            "3",
            "0",
            "2021-12-20",
            "91",
            "11",
            "past_limit",
        ],
        [
            "8",
            "(2021)豫0303执7号",
            "首次执行",
            "2021-05-10",
            "235",
            "6",
            "0",
            "2021-11-10",
            "184",
            "51",
            "past_limit",
        ],
        [
            "10",
            "(2020)豫0303民初90号",
            "一审",
            "2020-11-15",
            "411",
            "6",
            "0",
            "2021-05-15",
            "181",
            "230",
            "both",
        ],
        [
            "17",
            "(2020)豫03民终40号",
            "二审",
            "2020-10-10",
            "447",
            "3",
            "0",
            "2021-01-10",
            "92",
            "355",
            "both",
        ],
        [
            "18",
            "(2021)豫0302执3号",
            "首次执行",
            "2021-03-01",
            "305",
            "6",
            "10",
            "2021-09-11",
            "194",
            "111",
            "past_limit",
        ],
        [
            "20",
            "(2020)豫0303民初99号",
            "一审",
            "2020-12-31",
            "365",
            "6",
            "0",
            "2021-06-30",
            "181",
            "184",
            "past_limit",
        ],
    ];
    assert_eq!(rows, expected);
}

#[test]
fn a_case_exactly_365_days_old_is_not_over_365_days() {
    let wd = with_fixture();
    let rows = ledger(&wd, &[], &["line", "age_days", "why"]);
    // line 2: bankruptcy, no statutory limit, 365 days → not listed at all;
    // line 20: first instance, 365 days but 184 days past its limit → past_limit, not both;
    // line 3: 366 days → over_365_days.
    assert!(!rows.iter().any(|r| r[0] == "2"), "{rows:?}");
    assert!(rows.contains(&vec!["20".into(), "365".into(), "past_limit".into()]));
    assert!(rows.contains(&vec!["3".into(), "366".into(), "over_365_days".into()]));
}

#[test]
fn a_limit_ending_on_the_as_of_date_is_not_yet_passed() {
    // line 6: small claims (2 months) registered 2021-10-31, limit day 2021-12-31 = the as-of date.
    let wd = with_fixture();
    let rows = ledger(&wd, &[], &["line"]);
    assert!(!rows.iter().any(|r| r[0] == "6"), "{rows:?}");
}

#[test]
fn deducted_days_extend_the_limit_unless_gross() {
    let wd = with_fixture();
    let columns = [
        "line",
        "deducted_days",
        "limit_date",
        "days_over_limit",
        "why",
    ];
    let net = ledger(&wd, &[], &columns);
    // line 9: 2021-11-20 + 60 days = 2022-01-19, still within its limit on 2021-12-31.
    assert!(!net.iter().any(|r| r[0] == "9"), "{net:?}");
    let gross = ledger(&wd, &["--gross"], &columns);
    assert_eq!(gross.len(), 10);
    assert!(gross.contains(&vec![
        "9".into(),
        "60".into(),
        "2021-11-20".into(),
        "41".into(),
        "past_limit".into()
    ]));
    // line 18: 2021-09-11 with its 10 days, 2021-09-01 without.
    assert!(net.contains(&vec![
        "18".into(),
        "10".into(),
        "2021-09-11".into(),
        "111".into(),
        "past_limit".into()
    ]));
    assert!(gross.contains(&vec![
        "18".into(),
        "10".into(),
        "2021-09-01".into(),
        "121".into(),
        "past_limit".into()
    ]));
    assert_eq!(json(&wd, &["--gross"])["deductions_extend_limits"], false);
}

#[test]
fn a_case_closed_after_the_as_of_date_was_open_at_it_and_one_registered_after_is_not() {
    let wd = with_fixture();
    let rows = ledger(&wd, &[], &["line", "closed_after_as_of", "age_days", "why"]);
    assert!(rows.contains(&vec![
        "10".into(),
        "2022-01-10".into(),
        "411".into(),
        "both".into()
    ]));
    assert!(!rows.iter().any(|r| r[0] == "11"), "{rows:?}");
    let json = json(&wd, &[]);
    assert_eq!(
        json["not_counted"],
        json!({"no_registration_date": 1, "invalid_closing_date": 0, "registered_after_as_of": 1})
    );
    // As of 2022-01-09 line 10 is still open (age 420); as of 2022-01-10 it is closed.
    let later = |as_of: &str| {
        let output = wd.run(&[
            "pending",
            "pending.csv",
            "--as-of",
            as_of,
            "--format",
            "csv",
        ]);
        csv_rows(&stdout(&output))
            .iter()
            .any(|row| row[1] == "10" && row[9] == "420")
    };
    assert!(later("2022-01-09"));
    assert!(!later("2022-01-10"));
}

#[test]
fn age_profile_and_disposition_time_match_the_hand_count() {
    let wd = with_fixture();
    let json = json(&wd, &[]);
    assert_eq!(
        json["age_profile"],
        json!({"0-90": 1, "91-180": 2, "181-365": 6, "over_365": 3, "open": 12})
    );
    assert_eq!(
        json["disposition_time"],
        json!({"days": 876.0, "pending": 12, "closed": 5,
               "closed_from": "2021-01-01", "closed_to": "2021-12-31"})
    );
    assert_eq!(
        json["listed"],
        json!({"total": 9, "over_365_days": 1, "past_limit": 6, "both": 2})
    );
    assert_eq!(json["as_of"], "2021-12-31");
    assert_eq!(json["scope"]["rule"], "business_flag");
    let line = &json["ledger"][5];
    assert_eq!(line["case_no"], "(2020)豫0303民初90号");
    assert_eq!(
        line["limit"],
        json!({"months": 6, "basis": "CPL art. 152", "extension_days": 0,
               "last_day": "2021-05-15", "days": 181})
    );
    assert_eq!(line["days_over_limit"], 230);
    assert_eq!(line["track"], Value::Null);
    assert_eq!(json["ledger"][2]["track"], "简易程序");
    assert_eq!(json["ledger"][0]["limit"], Value::Null);
}

#[test]
fn table_and_markdown_state_the_counts_profile_and_disposition_time() {
    let wd = with_fixture();
    let summary = [
        "9 cases listed: 1 over 365 days only, 6 past the statutory limit only, 2 both",
        "age of the 12 cases open on 2021-12-31 (CourTools 4): 0-90 days 1, 91-180 days 2, 181-365 days 6, over 365 days 3",
        "disposition time (CEPEJ): 365 × 12 pending on 2021-12-31 / 5 closed 2021-01-01..2021-12-31 = 876.00 days",
        "not counted: 1 with no readable registration date, 0 with an unreadable closing date, 1 registered after 2021-12-31",
    ];
    let table = run_ok(&wd, &[]);
    assert!(table.starts_with("casemetrics pending — as of 2021-12-31\n"));
    for line in summary {
        assert!(table.contains(&format!("{line}\n")), "{line}\n{table}");
    }
    let markdown = run_ok(&wd, &["--format", "markdown"]);
    assert!(
        markdown.contains("| cases | 1 | 2 | 6 | 3 | 12 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| pending.csv | 18 | (2021)豫0302执3号 | 洛阳市老城区人民法院 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!("- {}\n", summary[2])),
        "{markdown}"
    );
}

#[test]
fn court_and_scope_options_choose_the_cases() {
    let wd = with_fixture();
    let court = json(&wd, &["--court", "洛阳市老城区人民法院"]);
    assert_eq!(court["listed"]["total"], 1);
    assert_eq!(court["ledger"][0]["line"], 18);
    assert_eq!(court["age_profile"]["open"], 1);
    assert_eq!(court["disposition_time"]["closed"], 0);
    assert_eq!(court["disposition_time"]["days"], Value::Null);
    // --scope all adds the out-of-scope line 16: 1095 days old, 914 past 2019-07-01.
    let rows = ledger(
        &wd,
        &["--scope", "all"],
        &["line", "age_days", "limit_date", "days_over_limit", "why"],
    );
    assert_eq!(rows.len(), 10);
    assert!(rows.contains(&vec![
        "16".into(),
        "1095".into(),
        "2019-07-01".into(),
        "914".into(),
        "both".into()
    ]));
}

#[test]
fn output_file_holds_what_standard_output_shows() {
    let wd = with_fixture();
    let printed = run_ok(&wd, &["--format", "csv"]);
    let output = wd.run(&[
        "pending",
        "pending.csv",
        "--as-of",
        "2021-12-31",
        "--format",
        "csv",
        "-o",
        "ledger.csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        std::fs::read_to_string(wd.path("ledger.csv")).unwrap(),
        printed
    );
}

#[test]
fn a_bad_as_of_date_is_a_usage_error() {
    let wd = with_fixture();
    for date in ["2021-02-30", "yesterday"] {
        let output = wd.run(&["pending", "pending.csv", "--as-of", date]);
        assert_eq!(output.status.code(), Some(2), "{date}");
        assert!(stderr(&output).contains("--as-of"), "{}", stderr(&output));
    }
    let output = wd.run(&["pending", "pending.csv"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_sample_ledger_lists_only_cases_over_365_days_or_past_their_limit() {
    let wd = Workdir::with_copy("sample.csv", "data-samples/luoyang-2021.csv");
    let output = wd.run(&[
        "pending",
        "sample.csv",
        "--as-of",
        "2021-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let lines = json["ledger"].as_array().unwrap();
    for line in lines {
        let over_year = line["age_days"].as_i64().unwrap() > 365;
        let past = line["days_over_limit"].as_i64().is_some_and(|d| d > 0);
        let why = match (over_year, past) {
            (true, true) => "both",
            (true, false) => "over_365_days",
            (false, true) => "past_limit",
            (false, false) => panic!("listed for nothing: {line}"),
        };
        assert_eq!(line["why"], why, "{line}");
    }
    let profile = &json["age_profile"];
    let bands: u64 = ["0-90", "91-180", "181-365", "over_365"]
        .iter()
        .map(|band| profile[band].as_u64().unwrap())
        .sum();
    assert_eq!(bands, profile["open"].as_u64().unwrap());
    assert_eq!(json["disposition_time"]["pending"], profile["open"]);
    // The README's figures, also computed independently in Python (tests/fixtures/README.md).
    assert_eq!(lines.len(), 16);
    assert_eq!(
        *profile,
        json!({"0-90": 339, "91-180": 50, "181-365": 21, "over_365": 0, "open": 410})
    );
    assert_eq!(json["disposition_time"]["closed"], 1697);
    let days = json["disposition_time"]["days"].as_f64().unwrap();
    assert!((days - 365.0 * 410.0 / 1697.0).abs() < 1e-9, "{days}");
}
