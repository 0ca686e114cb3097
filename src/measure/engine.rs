//! The polars engine: the lazy frame of an indicator's case set, chunk by chunk — in-scope and
//! case-set filters, the appeal join, the counted days, the exclusion reason, the period filter
//! and the value and weight each measure aggregates.

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::measure::compute::ComputeOptions;
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::{CaseColumn, CaseFrame, owned};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::{CaseSet, Event, Indicator, Limit, Measure};
use crate::model::cases::{
    AGAINST_RULING, TYPE_BANKRUPTCY_APPLICATION, TYPE_IP, ValueState, court_level_code,
    procedure_code,
};
use crate::model::fields::DateField;
use crate::read::case_number::{CourtLevel, Procedure};
use crate::read::dates;

pub(super) const PRESENT: u8 = ValueState::Present as u8;
pub(super) const MISSING: u8 = ValueState::Missing as u8;
pub(super) const INVALID: u8 = ValueState::Invalid as u8;
/// State of a resolved appeal date when neither row carries one.
const NO_APPEAL_DATE: u8 = 3;
const SECONDS_PER_DAY: i64 = 86_400;

/// A one-byte literal: keeps every branch of a when/then chain one byte wide instead of the
/// default 32-bit integer.
fn code(value: u8) -> Expr {
    lit(Scalar::from(value))
}

fn state(event: Event) -> Expr {
    col(format!("{}_state", event.prefix()))
}

fn day(event: Event) -> Expr {
    col(format!("{}_day", event.prefix()))
}

/// Times of day are kept for the two events filing review measures in hours.
pub(super) fn seconds(event: Event) -> Option<Expr> {
    match event {
        Event::MaterialsReceived | Event::Registered => {
            Some(col(format!("{}_sec", event.prefix())))
        }
        _ => None,
    }
}

fn procedure_is(procedure: Procedure) -> Expr {
    col("procedure").eq(lit(procedure_code(procedure)))
}

/// Whether the `type_flags` bit `flag` is set (the two bits spelt out: no bitwise operators in
/// polars' expression DSL without more features).
fn type_flag(flag: u8) -> Expr {
    let all = crate::model::cases::TYPE_IP | TYPE_BANKRUPTCY_APPLICATION;
    (0..=all)
        .filter(|value| value & flag != 0)
        .fold(lit(false), |any, value| {
            any.or(col("type_flags").eq(lit(value)))
        })
}

fn in_case_set(case_set: CaseSet) -> Expr {
    match case_set {
        CaseSet::FilingReview => procedure_is(Procedure::FirstInstance)
            .or(procedure_is(Procedure::SecondInstance))
            .or(procedure_is(Procedure::FirstEnforcement)),
        CaseSet::BasicFirstInstance => procedure_is(Procedure::FirstInstance).and(
            col("court_level")
                .eq(lit(court_level_code(Some(CourtLevel::Basic))))
                .or(col("court_level").eq(lit(court_level_code(None)))),
        ),
        CaseSet::FirstInstance => procedure_is(Procedure::FirstInstance),
        CaseSet::SecondInstance => procedure_is(Procedure::SecondInstance),
        CaseSet::IpFirstInstance => procedure_is(Procedure::FirstInstance).and(type_flag(TYPE_IP)),
        CaseSet::IpSecondInstance => {
            procedure_is(Procedure::SecondInstance).and(type_flag(TYPE_IP))
        }
        CaseSet::FirstEnforcement => procedure_is(Procedure::FirstEnforcement),
        CaseSet::Bankruptcy => {
            procedure_is(Procedure::Bankruptcy).and(type_flag(TYPE_BANKRUPTCY_APPLICATION).not())
        }
        CaseSet::Trials => {
            procedure_is(Procedure::FirstInstance).or(procedure_is(Procedure::SecondInstance))
        }
        CaseSet::Every => lit(true),
        CaseSet::WithFunds => col("funds_received_state").neq(lit(MISSING)),
    }
}

/// The frame columns a case set's filter reads beside procedure and court level.
fn case_set_columns(case_set: CaseSet) -> &'static [&'static str] {
    match case_set {
        CaseSet::IpFirstInstance | CaseSet::IpSecondInstance | CaseSet::Bankruptcy => {
            &["type_flags"]
        }
        CaseSet::WithFunds => &["funds_received_state"],
        _ => &[],
    }
}

/// Days counted per case in the indicator's unit: seconds when fractional, else whole days.
pub(super) fn unit_per_day(indicator: &Indicator) -> i64 {
    if indicator.fractional_days {
        SECONDS_PER_DAY
    } else {
        1
    }
}

/// The appeal receipt dates written on first-instance rows, by the appeal naming each row: one
/// row per appeal linked to a first-instance case that carries an appeal date (or an unreadable
/// one), in the appeal's row order. Joined once per run; each chunk then joins only its own
/// appeals' part, so the join's work does not grow with the export.
pub(super) struct AppealLinks {
    /// `appeal_row`, `first_instance_appeal_day`, `first_instance_appeal_state`.
    frame: DataFrame,
    /// The `appeal_row` column, to find a chunk's part.
    appeal_rows: Vec<u32>,
}

impl AppealLinks {
    pub(super) fn new(cases: &CaseFrame) -> Result<AppealLinks> {
        let fail = |e: PolarsError| computing("appeal dates", e);
        let links = cases.columns.first_instance_links();
        let pairs = DataFrame::new(
            links.len(),
            vec![
                owned(
                    "appeal_row",
                    links.iter().map(|&(appeal, _)| appeal).collect(),
                ),
                owned(
                    "first_instance_row",
                    links.iter().map(|&(_, row)| row).collect(),
                ),
            ],
        )
        .map_err(fail)?;
        let frame = pairs
            .lazy()
            .join(
                appeal_dates(cases)?.lazy(),
                [col("first_instance_row")],
                [col("first_instance_row")],
                JoinArgs::new(JoinType::Inner),
            )
            .select([
                col("appeal_row"),
                col("first_instance_appeal_day"),
                col("first_instance_appeal_state"),
            ])
            .sort(["appeal_row"], SortMultipleOptions::default())
            .collect()
            .map_err(fail)?;
        let appeal_rows = frame
            .column("appeal_row")
            .and_then(|c| c.u32().cloned())
            .map_err(fail)?
            .into_no_null_iter()
            .collect();
        Ok(AppealLinks { frame, appeal_rows })
    }

    /// The links of the appeals among cases `first..first + count`.
    fn chunk(&self, first: usize, count: usize) -> DataFrame {
        let start = self
            .appeal_rows
            .partition_point(|&row| (row as usize) < first);
        let end = self
            .appeal_rows
            .partition_point(|&row| (row as usize) < first + count);
        self.frame.slice(start as i64, end - start)
    }
}

/// Rows that carry their own appeal receipt date (or an unreadable one), as the look-up side of
/// the appeal join. A first-instance row without one adds nothing to the join, so it is left out
/// and the join's table stays small.
fn appeal_dates(cases: &CaseFrame) -> Result<DataFrame> {
    let dates = cases.columns.date(DateField::AppealReceived);
    let (mut rows, mut days, mut states) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..dates.len() {
        let state = dates.state(row);
        if state != MISSING {
            rows.push(row as u32);
            days.push(dates.day(row));
            states.push(state);
        }
    }
    DataFrame::new(
        rows.len(),
        vec![
            owned("first_instance_row", rows),
            owned("first_instance_appeal_day", days),
            owned("first_instance_appeal_state", states),
        ],
    )
    .map_err(|e| computing("appeal dates", e))
}

/// Rows measured at a time by default: polars' working columns for one indicator stay this long,
/// however long the export.
pub const CHUNK_ROWS: usize = 1 << 20;

/// Measure an indicator over every case, a chunk of rows at a time: each chunk's rows `wanted`,
/// with the columns `keep`, are handed to `on_chunk`, chunk after chunk in row order. Returns how
/// many cases were excluded, by `Exclusion` code. `keep` must include `reason`.
#[allow(clippy::too_many_arguments)]
pub(super) fn measure_chunks(
    cases: &CaseFrame,
    appeals: &AppealLinks,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
    keep: &[Expr],
    wanted: Expr,
    mut on_chunk: impl FnMut(DataFrame) -> Result<()>,
) -> Result<std::collections::BTreeMap<u8, u64>> {
    let mut excluded = std::collections::BTreeMap::new();
    let chunk_rows = options.chunk_rows.max(1);
    let names = needed_columns(indicator, options, extra);
    let stored: Vec<CaseColumn> = CaseColumn::all()
        .into_iter()
        .filter(|column| names.iter().any(|name| name == column.name()))
        .collect();
    let mut offset = 0;
    loop {
        let mut chunk = cases.chunk(offset, chunk_rows, &stored)?;
        if names.iter().any(|name| name == "row") {
            chunk = chunk
                .with_row_index("row".into(), Some(offset as IdxSize))
                .map_err(|e| computing(indicator.id, e))?;
        }
        let chunk = with_calendar_keys(chunk, &options.by, &calendar_events(indicator))?;
        let appeal_dates = appeals.chunk(offset, chunk_rows);
        let part = measured(&chunk, &appeal_dates, indicator, options, extra)?
            .select(keep)
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        let reasons = part
            .column("reason")
            .and_then(|c| c.u8().cloned())
            .map_err(|e| computing(indicator.id, e))?;
        for reason in reasons.into_no_null_iter().filter(|&r| r != 0) {
            *excluded.entry(reason).or_insert(0) += 1;
        }
        let part = part
            .lazy()
            .filter(wanted.clone())
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        on_chunk(part)?;
        offset += chunk_rows;
        if offset >= cases.height() {
            break;
        }
    }
    Ok(excluded)
}

/// The events whose month or quarter places an indicator's cases in groups: the one it is
/// attributed by, or both registration and closing for a clearance rate.
fn calendar_events(indicator: &Indicator) -> Vec<&'static str> {
    match indicator.measure {
        Measure::Clearance => vec![Event::Registered.prefix(), Event::Closed.prefix()],
        _ => vec![indicator.attributed_by.prefix()],
    }
}

/// `frame` with month or quarter keys of `events` added, when `by` asks for them. Added to one
/// chunk at a time, so they are never held for the whole export.
fn with_calendar_keys(mut frame: DataFrame, by: &[GroupKey], events: &[&str]) -> Result<DataFrame> {
    let calendar_keys = [
        (
            GroupKey::Month,
            "month",
            dates::month_key as fn(dates::DayNumber) -> i32,
        ),
        (GroupKey::Quarter, "quarter", dates::quarter_key),
    ];
    for (key, unit, key_of) in calendar_keys {
        if !by.contains(&key) {
            continue;
        }
        for event in events {
            // No such date column, or a sparse one no input had (one scalar): no keys needed.
            let Ok(column) = frame.column(&format!("{event}_day")) else {
                continue;
            };
            if matches!(column, Column::Scalar(_)) {
                continue;
            }
            let days = column
                .i32()
                .cloned()
                .map_err(|e| computing("calendar keys", e))?;
            let keys: Vec<i32> = days.into_no_null_iter().map(key_of).collect();
            frame
                .with_column(Column::new(format!("{event}_{unit}").into(), keys))
                .map_err(|e| computing("calendar keys", e))?;
        }
    }
    Ok(frame)
}

/// The columns of the case frame (and the calendar keys and row numbers added to each chunk)
/// that measuring `indicator` reads, sorted.
fn needed_columns(indicator: &Indicator, options: &ComputeOptions, extra: &[&str]) -> Vec<String> {
    if indicator.measure == Measure::Clearance {
        let mut needed: Vec<String> = [
            "procedure",
            "court_level",
            "in_scope",
            "filed_day",
            "filed_state",
            "closed_day",
            "closed_state",
        ]
        .iter()
        .chain(case_set_columns(indicator.case_set))
        .map(|name| name.to_string())
        .collect();
        for key in &options.by {
            needed.push(key_source(*key, Event::Registered.prefix()));
            needed.push(key_source(*key, Event::Closed.prefix()));
        }
        needed.sort();
        needed.dedup();
        return needed;
    }
    let mut needed: Vec<String> = [
        "procedure",
        "court_level",
        "in_scope",
        "deducted",
        "deducted_state",
    ]
    .iter()
    .chain(extra)
    .chain(case_set_columns(indicator.case_set))
    .map(|name| name.to_string())
    .collect();
    for field in indicator.measure.value_fields().iter().flatten() {
        needed.push(format!("{}_value", field.id()));
        needed.push(format!("{}_state", field.id()));
    }
    if let Measure::WithinDays {
        limit: Limit::HalfAppealLimit,
        ..
    } = indicator.measure
    {
        needed.push("appeal_against_value".into());
    }
    for event in [indicator.start, indicator.end, indicator.attributed_by] {
        match event {
            Event::AppealReceived => {
                needed.extend(["own_appeal_day", "own_appeal_state", "row"].map(String::from))
            }
            _ => needed.extend([
                format!("{}_day", event.prefix()),
                format!("{}_state", event.prefix()),
            ]),
        }
        if seconds(event).is_some() {
            needed.push(format!("{}_sec", event.prefix()));
        }
    }
    let calendar_prefix = indicator.attributed_by.prefix();
    for key in &options.by {
        needed.push(key_source(*key, calendar_prefix));
    }
    needed.sort();
    needed.dedup();
    needed
}

/// The lazy frame of an indicator's case set, with `value` (days counted, in the indicator's
/// unit; for shares 1 or 0; for amount ratios the numerator in fen), `weight` (1; for amount
/// ratios the denominator in fen), `reason` (0 = counted, else an `Exclusion`) and the group-key
/// columns.
fn measured(
    frame: &DataFrame,
    appeal_dates: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
) -> Result<LazyFrame> {
    if indicator.measure == Measure::Clearance {
        return measured_clearance(frame, indicator, options);
    }
    // Only the columns this indicator reads are carried through the filter, so the case set is
    // not copied whole.
    let needed = needed_columns(indicator, options, extra);
    let value_fields = indicator.measure.value_fields();
    let calendar_prefix = indicator.attributed_by.prefix();
    let mut lf = frame
        .clone()
        .lazy()
        .select(
            needed
                .iter()
                .map(|name| col(name.as_str()))
                .collect::<Vec<_>>(),
        )
        .filter(col("in_scope").and(in_case_set(indicator.case_set)));
    if indicator.start == Event::AppealReceived || indicator.end == Event::AppealReceived {
        // Appeal receipt date: the appeal row's own value wins; otherwise the value on the
        // first-instance row it names (spec §1). An unreadable own value is not replaced.
        lf = lf
            .join(
                appeal_dates.clone().lazy(),
                [col("row")],
                [col("appeal_row")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                when(col("own_appeal_state").eq(lit(PRESENT)))
                    .then(col("own_appeal_day"))
                    .otherwise(col("first_instance_appeal_day").fill_null(lit(0)))
                    .alias("appeal_day"),
                when(col("own_appeal_state").eq(lit(PRESENT)))
                    .then(code(PRESENT))
                    .when(col("own_appeal_state").eq(lit(INVALID)))
                    .then(code(INVALID))
                    .when(col("first_instance_appeal_state").eq(lit(PRESENT)))
                    .then(code(PRESENT))
                    .when(col("first_instance_appeal_state").eq(lit(INVALID)))
                    .then(code(INVALID))
                    .otherwise(code(NO_APPEAL_DATE))
                    .cast(DataType::UInt8)
                    .alias("appeal_state"),
            ]);
    }
    let (start, end) = (indicator.start, indicator.end);
    // Whole days stay 32-bit; seconds (filing review with times) need 64.
    let day_difference = day(end) - day(start);
    let elapsed = match (indicator.fractional_days, seconds(start), seconds(end)) {
        (true, Some(start_seconds), Some(end_seconds)) => {
            // Both times known: hours / 24; otherwise calendar days (spec §1).
            when(
                start_seconds
                    .clone()
                    .gt_eq(lit(0))
                    .and(end_seconds.clone().gt_eq(lit(0))),
            )
            .then(
                day_difference.clone() * lit(SECONDS_PER_DAY)
                    + (end_seconds - start_seconds).cast(DataType::Int64),
            )
            .otherwise(day_difference * lit(SECONDS_PER_DAY))
        }
        _ => day_difference,
    };
    let net = indicator.net_of_deductions && !options.gross;
    let counted = if net {
        match indicator.fractional_days {
            true => elapsed.clone() - col("deducted").cast(DataType::Int64) * lit(SECONDS_PER_DAY),
            false => elapsed.clone() - col("deducted"),
        }
    } else {
        elapsed.clone()
    };
    let deduction_invalid = if net {
        col("deducted_state").eq(lit(INVALID))
    } else {
        lit(false)
    };
    let first_instance_level_unknown = if indicator.case_set == CaseSet::BasicFirstInstance {
        col("court_level").eq(lit(court_level_code(None)))
    } else {
        lit(false)
    };
    let open_is_late = matches!(
        indicator.measure,
        Measure::WithinDays {
            open_is_late: true,
            ..
        }
    );
    let end_missing = if open_is_late {
        // An empty end date is not done yet: counted, as not within the limit.
        lit(false)
    } else {
        state(end).eq(lit(MISSING))
    };
    let value_state = |index: usize, wanted: u8| match value_fields[index] {
        Some(field) => col(format!("{}_state", field.id())).eq(lit(wanted)),
        None => lit(false),
    };
    let end_read = state(end).eq(lit(PRESENT));
    let reason = when(first_instance_level_unknown)
        .then(code(Exclusion::UnknownCourtLevel as u8))
        .when(end_missing)
        .then(code(Exclusion::MissingEnd as u8))
        .when(state(end).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidEnd as u8))
        .when(state(start).eq(lit(MISSING)))
        .then(code(Exclusion::MissingStart as u8))
        .when(state(start).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidStart as u8))
        .when(state(start).eq(lit(NO_APPEAL_DATE)))
        .then(code(Exclusion::NoAppealDate as u8))
        .when(value_state(0, MISSING))
        .then(code(Exclusion::MissingValue as u8))
        .when(value_state(0, INVALID))
        .then(code(Exclusion::InvalidValue as u8))
        .when(value_state(1, MISSING))
        .then(code(Exclusion::MissingSecondValue as u8))
        .when(value_state(1, INVALID))
        .then(code(Exclusion::InvalidSecondValue as u8))
        .when(deduction_invalid)
        .then(code(Exclusion::InvalidDeduction as u8))
        .when(end_read.clone().and(elapsed.clone().lt(lit(0))))
        .then(code(Exclusion::EndBeforeStart as u8))
        .when(end_read.clone().and(counted.clone().lt(lit(0))))
        .then(code(Exclusion::NegativeNetDays as u8))
        .otherwise(code(0))
        .cast(DataType::UInt8);
    let attributed = indicator.attributed_by;
    let mut period_filter = state(attributed).neq(lit(PRESENT));
    let mut in_period = lit(true);
    if let Some(from) = options.period.from {
        in_period = in_period.and(day(attributed).gt_eq(lit(from)));
    }
    if let Some(to) = options.period.to {
        in_period = in_period.and(day(attributed).lt_eq(lit(to)));
    }
    period_filter = period_filter.or(in_period);
    let days = counted.clone();
    let (value, weight) = match indicator.measure {
        Measure::Days | Measure::Clearance => (counted, lit(1i64)),
        Measure::WithinDays { limit, .. } => {
            let limit = match limit {
                Limit::Days(days) => lit(days),
                // why: CPL art. 183 gives appeals against rulings 30 days, against judgments 3
                // months; item 9 counts half of each. An appeal whose 上诉对象 is not stated is
                // taken to be against a judgment, the common case.
                Limit::HalfAppealLimit => when(col("appeal_against_value").eq(lit(AGAINST_RULING)))
                    .then(lit(15i32))
                    .otherwise(lit(45i32)),
            };
            let within = end_read.and(counted.lt_eq(limit));
            (when(within).then(lit(1i64)).otherwise(lit(0i64)), lit(1i64))
        }
        Measure::Flag(field) => (
            col(format!("{}_value", field.id())).cast(DataType::Int64),
            lit(1i64),
        ),
        Measure::AmountRatio(numerator, denominator) => (
            col(format!("{}_value", numerator.id())),
            col(format!("{}_value", denominator.id())),
        ),
    };
    let mut keyed = vec![
        value.alias("value"),
        days.alias("days"),
        weight.alias("weight"),
        reason.alias("reason"),
    ];
    for key in &options.by {
        keyed.push(col(key_source(*key, calendar_prefix)).alias(key.column()));
    }
    Ok(lf.filter(period_filter).with_columns(keyed))
}

/// The lazy frame of a clearance rate: a row per case registered in the period (`weight` 1) and
/// one per case closed in it (`value` 1), each with the group keys of its own date, so that a
/// month's rate is the cases closed that month over those registered that month.
fn measured_clearance(
    frame: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
) -> Result<LazyFrame> {
    let needed = needed_columns(indicator, options, &[]);
    let cases = frame
        .clone()
        .lazy()
        .select(
            needed
                .iter()
                .map(|name| col(name.as_str()))
                .collect::<Vec<_>>(),
        )
        .filter(col("in_scope").and(in_case_set(indicator.case_set)));
    let side = |event: Event, closed: i64, registered: i64| {
        let mut in_period = state(event).eq(lit(PRESENT));
        if let Some(from) = options.period.from {
            in_period = in_period.and(day(event).gt_eq(lit(from)));
        }
        if let Some(to) = options.period.to {
            in_period = in_period.and(day(event).lt_eq(lit(to)));
        }
        let mut columns = vec![
            lit(closed).alias("value"),
            lit(registered).alias("weight"),
            code(0).cast(DataType::UInt8).alias("reason"),
        ];
        for key in &options.by {
            columns.push(col(key_source(*key, event.prefix())).alias(key.column()));
        }
        let mut kept = vec![
            col("value"),
            col("weight"),
            col("reason"),
            col("court_level"),
        ];
        kept.extend(options.by.iter().map(|key| col(key.column())));
        cases
            .clone()
            .filter(in_period)
            .with_columns(columns)
            .select(kept)
    };
    concat(
        [side(Event::Registered, 0, 1), side(Event::Closed, 1, 0)],
        UnionArgs::default(),
    )
    .map_err(|e| computing(indicator.id, e))
}

/// The frame column a group key reads (month and quarter of the period date).
fn key_source(key: GroupKey, calendar_prefix: &str) -> String {
    match key {
        GroupKey::Court | GroupKey::Cause | GroupKey::Department | GroupKey::Judge => {
            key.id().to_string()
        }
        GroupKey::CourtLevel => "court_level".to_string(),
        GroupKey::Month => format!("{calendar_prefix}_month"),
        GroupKey::Quarter => format!("{calendar_prefix}_quarter"),
    }
}
