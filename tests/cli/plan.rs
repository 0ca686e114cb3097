//! The further plan indicators (spec §2) computed by hand from tests/fixtures/plan.csv, asserted
//! through the library (and once through the binary's JSON).
//!
//! plan.csv, every row in scope (涉营商环境 = 是) except line 25; no procedure column, so the case
//! number's type code gives the procedure. Days = closing − registration − deducted.
//!
//! Second instance (民终 / 知民终), limit = half of CPL art. 183: 45 for 判决, 15 for 裁定:
//!   line  2 民终1   判决  04-01→05-01 = 30           ≤ 45 within
//!   line  3 民终2   判决  04-01→05-26 = 55 − 10 = 45 ≤ 45 within (gross 55: not)
//!   line  4 民终3   裁定  04-01→04-20 = 19           > 15 not
//!   line  5 民终4   裁定  04-01→04-16 = 15           ≤ 15 within
//!   line  6 民终5   驳回 (invalid: judgment limit) 04-01→05-21 = 50 > 45 not
//!   line  7 民终6   registered 06-01, not closed
//!   line  8 知民终1 判决  03-01→04-10 = 40           ≤ 45 within
//!   line  9 知民终2 registered 05-01, not closed
//!   line 25 民终7   out of scope (否): in nothing
//!   second_instance_half_limit_share = 4 / 6 (gross 3 / 6); not_closed 2; no target (item 9
//!   names none).
//!   clearance_rate_second_instance = closed 6 (lines 2–6, 8) / registered 8 (lines 2–9) = 0.75.
//!   clearance_rate_ip_second_instance = 1 (line 8) / 2 (lines 8, 9) = 0.5 < 0.95: missed.
//!   In 2021-Q2: registered lines 2–7 and 9 = 7 (line 8 was registered 03-01); closed lines 2–6
//!   and 8 = 6 → 6 / 7.
//!
//! First instance (民初 / 知民初), 文书上网 / 庭审直播:
//!   line 10 民初1   03-01→04-10  是 / 否
//!   line 11 民初2   03-05→05-01  是 / 是
//!   line 12 民初3   03-01, not closed
//!   line 13 知民初1 02-01→03-01  否 / 是
//!   line 14 知民初9 2020-12-01→2021-01-20  未知 (invalid) / 否
//!   clearance_rate_first_instance = closed 4 / registered 5 = 0.8, no target (item 65 covers IP
//!   cases only).
//!   clearance_rate_ip_first_instance = 2 / 2 = 1 ≥ 0.99: met. In 2021: registered 1 (line 13),
//!   closed 2 (lines 13, 14) → 2.
//!
//! First enforcement (执), 生效日期 → 立案日期, and 案款到账 → 发放:
//!   line 15 执1  01-10→02-09 = 30; funds 03-01→03-20 = 19 within; closed, 文书上网 是
//!   line 16 执2  02-01→02-11 = 10; funds 03-01→04-15 = 45 late; not closed
//!   line 17 执3  03-01→03-21 = 20; funds 04-01→(unpaid): late; closed, 文书上网 否
//!   line 18 执4  生效 empty → missing_in_force_at; funds 04-10→05-10 = 30 within
//!   line 19 执5  生效 2021-13-01 → invalid_in_force_at; funds 05-01→04-20 → end_before_start
//!   enforcement_lag_days: 10, 20, 30 → mean 20, median 20, p90 20 + 0.8 × 10 = 28, max 30;
//!   no target (item 18 says "shorter"), so within-target share is null.
//!   funds_paid_within_30_days_share = 2 (lines 15, 18) / 4 = 0.5 < 1: missed.
//!
//! Bankruptcy (破; 破申 is not a bankruptcy case), amounts in yuan:
//!   line 20 (2020)破1  2020-03-01→2021-03-01 = 365; costs 150000, estate 1000000,
//!                      claims 4000000, paid 1000000; 文书上网 是
//!   line 21 破2        2021-01-01→06-30 = 180; costs 50000.50, estate 200000, claims 1000000,
//!                      paid 150000; 文书上网 是
//!   line 22 破3        not closed
//!   line 23 破申1      closed, 文书上网 否; in no bankruptcy figure
//!   line 24 (2019)破1  2019-06-01→2021-06-01 = 366 + 365 = 731; costs 十万 (invalid),
//!                      estate 500000, claims 2000000, paid empty; 文书上网 empty
//!   bankruptcy_days = (365 + 180 + 731) / 3 = 425.33 ≤ 450: met; median 365, p90 365 + 0.8 ×
//!   366 = 657.8, max 731, within 450: 2 / 3.
//!   bankruptcy_cost_share = (150000 + 50000.50) / (1000000 + 200000) = 0.1666671 > 0.15:
//!   missed (line 24 invalid_bankruptcy_costs, line 22 not_closed).
//!   creditor_recovery_rate = (1000000 + 150000) / (4000000 + 1000000) = 0.23 < 0.5: missed
//!   (line 24 missing_claims_paid, line 22 not_closed).
//!
//! judgments_online_share, every closed case: yes on lines 2, 3, 4, 5, 8, 10, 11, 15, 20, 21;
//!   no on 6, 13, 17, 23 → 10 / 14 < 0.9: missed. Left out: not_closed 7 (lines 7, 9, 12, 16,
//!   18, 19, 22), invalid 1 (line 14), missing 1 (line 24).
//! trials_streamed_share, closed first and second instance: yes on 8, 11, 13; no on 2–6, 10, 14
//!   → 3 / 10 ≥ 0.2: met; not_closed 3 (lines 7, 9, 12).

use std::path::PathBuf;

use casemetrics::measure::CaseFrame;
use casemetrics::measure::compute::{ComputeOptions, Computed, IndicatorResult, Status, compute};
use casemetrics::measure::exclusions::Exclusion;
use casemetrics::measure::quality::Quality;
use casemetrics::measure::targets::{Comparison, Target};
use casemetrics::model::cases::CaseTable;
use casemetrics::model::fields::Field;
use casemetrics::model::period::Period;
use casemetrics::read::{ReadOptions, read_exports};

use super::workdir::{Workdir, repo, stdout};

fn read(path: &str) -> (CaseTable, Quality) {
    read_exports(&[PathBuf::from(repo(path))], &ReadOptions::default()).expect("fixture reads")
}

fn plan(options: &ComputeOptions) -> Computed {
    let (table, _) = read("tests/fixtures/plan.csv");
    let cases = CaseFrame::new(table.columns);
    compute(&cases, &table.register, options).expect("computes")
}

fn overall<'a>(computed: &'a Computed, id: &str) -> &'a IndicatorResult {
    computed
        .results
        .iter()
        .find(|r| r.indicator.id == id && r.group.is_empty())
        .unwrap_or_else(|| panic!("no overall row for {id}"))
}

fn excluded(computed: &Computed, id: &str) -> Vec<(Exclusion, u64)> {
    computed
        .exclusions
        .iter()
        .find(|e| e.indicator.id == id)
        .unwrap()
        .counts
        .clone()
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

/// A share or rate: its figure and count, no day statistics.
fn share(r: &IndicatorResult, cases: u64, figure: f64, status: Status) {
    assert_eq!(r.cases, cases, "{}", r.indicator.id);
    close(r.mean, figure);
    assert_eq!(
        (r.median, r.p90, r.max, r.within_target_share),
        (None, None, None, None),
        "{}",
        r.indicator.id
    );
    assert_eq!(r.status, status, "{}", r.indicator.id);
}

fn at_least(value: f64) -> Option<Target> {
    Some(Target {
        op: Comparison::AtLeast,
        value,
    })
}

#[test]
fn half_limit_share_uses_the_ruling_limit_and_net_days() {
    let c = plan(&ComputeOptions::default());
    let r = overall(&c, "second_instance_half_limit_share");
    share(r, 6, 4.0 / 6.0, Status::NoTarget);
    assert_eq!(r.target, None);
    assert_eq!(
        excluded(&c, "second_instance_half_limit_share"),
        vec![(Exclusion::MissingEnd, 2)]
    );
    let gross = plan(&ComputeOptions {
        gross: true,
        ..ComputeOptions::default()
    });
    close(
        overall(&gross, "second_instance_half_limit_share").mean,
        3.0 / 6.0,
    );
}

#[test]
fn clearance_rates_per_procedure_with_ip_targets() {
    let c = plan(&ComputeOptions::default());
    share(
        overall(&c, "clearance_rate_first_instance"),
        5,
        0.8,
        Status::NoTarget,
    );
    share(
        overall(&c, "clearance_rate_second_instance"),
        8,
        0.75,
        Status::NoTarget,
    );
    let ip_first = overall(&c, "clearance_rate_ip_first_instance");
    share(ip_first, 2, 1.0, Status::Met);
    assert_eq!(ip_first.target, at_least(0.99));
    let ip_second = overall(&c, "clearance_rate_ip_second_instance");
    share(ip_second, 2, 0.5, Status::Missed);
    assert_eq!(ip_second.target, at_least(0.95));
    assert!(excluded(&c, "clearance_rate_second_instance").is_empty());
}

#[test]
fn clearance_counts_closings_and_registrations_of_the_period_each_by_its_own_date() {
    let q2 = plan(&ComputeOptions {
        period: Period::parse("2021-Q2").unwrap(),
        ..ComputeOptions::default()
    });
    share(
        overall(&q2, "clearance_rate_second_instance"),
        7,
        6.0 / 7.0,
        Status::NoTarget,
    );
    let year = plan(&ComputeOptions {
        period: Period::parse("2021").unwrap(),
        ..ComputeOptions::default()
    });
    share(
        overall(&year, "clearance_rate_ip_first_instance"),
        1,
        2.0,
        Status::Met,
    );
}

#[test]
fn enforcement_lag_from_judgment_in_force_to_registration() {
    let c = plan(&ComputeOptions::default());
    let r = overall(&c, "enforcement_lag_days");
    assert_eq!(r.cases, 3);
    close(r.mean, 20.0);
    close(r.median, 20.0);
    close(r.p90, 28.0);
    close(r.max, 30.0);
    assert_eq!((r.within_target_share, r.target), (None, None));
    assert_eq!(r.status, Status::NoTarget);
    assert_eq!(
        excluded(&c, "enforcement_lag_days"),
        vec![(Exclusion::MissingStart, 1), (Exclusion::InvalidStart, 1)]
    );
}

#[test]
fn funds_still_unpaid_count_as_late() {
    let c = plan(&ComputeOptions::default());
    let r = overall(&c, "funds_paid_within_30_days_share");
    share(r, 4, 0.5, Status::Missed);
    assert_eq!(r.target, at_least(1.0));
    assert_eq!(
        excluded(&c, "funds_paid_within_30_days_share"),
        vec![(Exclusion::EndBeforeStart, 1)]
    );
}

#[test]
fn judgments_online_and_trials_streamed_over_closed_cases() {
    let c = plan(&ComputeOptions::default());
    let online = overall(&c, "judgments_online_share");
    share(online, 14, 10.0 / 14.0, Status::Missed);
    assert_eq!(online.target, at_least(0.9));
    assert_eq!(
        excluded(&c, "judgments_online_share"),
        vec![
            (Exclusion::MissingEnd, 7),
            (Exclusion::MissingValue, 1),
            (Exclusion::InvalidValue, 1)
        ]
    );
    let streamed = overall(&c, "trials_streamed_share");
    share(streamed, 10, 0.3, Status::Met);
    assert_eq!(streamed.target, at_least(0.2));
    assert_eq!(
        excluded(&c, "trials_streamed_share"),
        vec![(Exclusion::MissingEnd, 3)]
    );
}

#[test]
fn bankruptcy_days_and_amount_ratios_sum_over_sum() {
    let c = plan(&ComputeOptions::default());
    let days = overall(&c, "bankruptcy_days");
    assert_eq!(days.cases, 3);
    close(days.mean, 1276.0 / 3.0);
    close(days.median, 365.0);
    close(days.p90, 657.8);
    close(days.max, 731.0);
    close(days.within_target_share, 2.0 / 3.0);
    assert_eq!(days.status, Status::Met);
    assert_eq!(
        excluded(&c, "bankruptcy_days"),
        vec![(Exclusion::MissingEnd, 1)]
    );
    let costs = overall(&c, "bankruptcy_cost_share");
    share(costs, 2, 200_000.5 / 1_200_000.0, Status::Missed);
    assert_eq!(
        excluded(&c, "bankruptcy_cost_share"),
        vec![(Exclusion::MissingEnd, 1), (Exclusion::InvalidValue, 1)]
    );
    let recovery = overall(&c, "creditor_recovery_rate");
    share(recovery, 2, 0.23, Status::Missed);
    assert_eq!(
        excluded(&c, "creditor_recovery_rate"),
        vec![(Exclusion::MissingEnd, 1), (Exclusion::MissingValue, 1)]
    );
    let indicator = casemetrics::measure::indicators::indicator("creditor_recovery_rate").unwrap();
    assert_eq!(Exclusion::MissingValue.id(indicator), "missing_claims_paid");
}

#[test]
fn invalid_values_in_the_new_columns_are_counted_and_listed() {
    let (_, quality) = read("tests/fixtures/plan.csv");
    for field in [
        Field::AppealAgainst,
        Field::InForceAt,
        Field::JudgmentOnline,
        Field::BankruptcyCosts,
    ] {
        assert_eq!(quality.field(field).invalid, 1, "{field}");
    }
    let listed: Vec<(u64, &str, &str)> = quality
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            (6, "上诉对象", "驳回"),
            (14, "文书上网", "未知"),
            (19, "生效日期", "2021-13-01"),
            (24, "破产费用", "十万"),
        ]
    );
}

#[test]
fn every_new_indicator_is_in_the_json_with_the_same_keys() {
    let wd = Workdir::with_copy("plan.csv", "tests/fixtures/plan.csv");
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &wd.run(&["report", "plan.csv", "--format", "json"]),
    ))
    .unwrap();
    let results = json["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["indicator"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = casemetrics::measure::indicators::INDICATORS
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, all);
    let keys =
        |r: &serde_json::Value| -> Vec<String> { r.as_object().unwrap().keys().cloned().collect() };
    for result in results {
        assert_eq!(keys(result), keys(&results[0]));
    }
    let lag = &results[ids
        .iter()
        .position(|id| *id == "enforcement_lag_days")
        .unwrap()];
    assert_eq!(lag["target"], serde_json::Value::Null);
    assert_eq!(lag["status"], "no_target");
    let online = &results[ids
        .iter()
        .position(|id| *id == "judgments_online_share")
        .unwrap()];
    assert_eq!(online["target"]["op"], ">=");
    assert_eq!(online["median"], serde_json::Value::Null);
}

/// The indicators beyond the five that an export with these columns reports.
fn reported(csv: &str) -> Vec<String> {
    let wd = Workdir::new();
    wd.write("export.csv", csv);
    let (table, _) = read_exports(&[wd.path("export.csv")], &ReadOptions::default()).unwrap();
    let cases = CaseFrame::new(table.columns);
    let computed = compute(&cases, &table.register, &ComputeOptions::default()).unwrap();
    computed
        .results
        .iter()
        .map(|r| r.indicator.id.to_string())
        .skip(5)
        .collect()
}

#[test]
fn an_export_without_the_plan_columns_reports_none_of_the_new_indicators() {
    // No closing date: none of the new indicators (the five are always reported).
    let bare = "案号,收到材料日期,立案日期\n(2021)豫0302民初1号,2021-03-01,2021-03-02\n";
    assert_eq!(reported(bare), Vec::<String>::new());
    // five.csv has registration and closing dates only: the figures needing nothing more.
    let five = std::fs::read_to_string(repo("tests/fixtures/five.csv")).unwrap();
    assert_eq!(
        reported(&five),
        [
            "second_instance_half_limit_share",
            "clearance_rate_first_instance",
            "clearance_rate_second_instance",
            "clearance_rate_ip_first_instance",
            "clearance_rate_ip_second_instance",
            "bankruptcy_days",
        ]
    );
}

#[test]
fn a_targets_file_gives_a_target_where_the_plan_names_none() {
    let (table, _) = read("tests/fixtures/plan.csv");
    let targets = casemetrics::measure::targets::Targets::parse(
        "[second_instance_half_limit_share]\nvalue = 0.7\n[enforcement_lag_days]\nvalue = 25\n",
        std::path::Path::new("t.toml"),
    )
    .unwrap();
    let cases = CaseFrame::new(table.columns);
    let c = compute(
        &cases,
        &table.register,
        &ComputeOptions {
            targets,
            ..ComputeOptions::default()
        },
    )
    .unwrap();
    let half = overall(&c, "second_instance_half_limit_share");
    assert_eq!(half.target, at_least(0.7));
    assert_eq!(half.status, Status::Missed); // 0.667 < 0.7
    let lag = overall(&c, "enforcement_lag_days");
    assert_eq!(lag.status, Status::Met); // 20 ≤ 25
    close(lag.within_target_share, 2.0 / 3.0); // 10, 20 ≤ 25; 30 not
}

#[test]
fn the_half_limit_listing_marks_each_case_within_or_not_and_reproduces_the_share() {
    let wd = Workdir::with_copy("plan.csv", "tests/fixtures/plan.csv");
    let args = [
        "cases",
        "plan.csv",
        "--indicator",
        "second_instance_half_limit_share",
    ];
    let rows = super::workdir::csv_rows(&stdout(
        &wd.run(&[&args[..], &["--format", "csv"]].concat()),
    ));
    let within = rows[0].iter().position(|h| h == "within_limit").unwrap();
    let marks: Vec<&str> = rows[1..].iter().map(|r| r[within].as_str()).collect();
    // lines 2, 3, 4, 5, 6, 8 (see the top of this file)
    assert_eq!(marks, ["yes", "yes", "no", "yes", "no", "yes"]);
    assert_eq!(
        super::workdir::listed_days(&rows),
        [30.0, 45.0, 19.0, 15.0, 50.0, 40.0]
    );
    let table = stdout(&wd.run(&args));
    assert!(
        table.ends_with(
            "6 cases in second_instance_half_limit_share; 4 within the limit: share 0.67\n"
        ),
        "{table}"
    );
}

#[test]
fn monthly_groups_place_funds_by_arrival_and_clearance_by_each_date() {
    let c = plan(&ComputeOptions {
        by: vec![casemetrics::measure::groups::GroupKey::Month],
        ..ComputeOptions::default()
    });
    let month = |id: &str, label: &str| -> &IndicatorResult {
        c.results
            .iter()
            .find(|r| {
                r.indicator.id == id && r.group.first().map(|(_, l)| l.as_str()) == Some(label)
            })
            .unwrap_or_else(|| panic!("no {label} row for {id}"))
    };
    // funds arrived in March: lines 15 (within), 16 (late); in April: 17 (unpaid), 18 (within)
    for label in ["2021-03", "2021-04"] {
        share(
            month("funds_paid_within_30_days_share", label),
            2,
            0.5,
            Status::Missed,
        );
    }
    // IP appeals: line 8 registered in March, closed in April; line 9 registered in May
    share(
        month("clearance_rate_ip_second_instance", "2021-03"),
        1,
        0.0,
        Status::Missed,
    );
    let april = month("clearance_rate_ip_second_instance", "2021-04");
    assert_eq!(
        (april.cases, april.mean, april.status),
        (0, None, Status::NoData)
    );
}
