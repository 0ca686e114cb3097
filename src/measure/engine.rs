//! The polars engine: the lazy frame of an indicator's case set, chunk by chunk — in-scope and
//! case-set filters, the appeal join, the counted days, the exclusion reason, the period filter
//! and the value and weight each measure aggregates.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::measure::appeals::{AppealLinks, with_resolved_appeal_dates};
use crate::measure::case_sets::{case_set_columns, case_set_rows, in_case_set};
use crate::measure::compute::ComputeOptions;
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::{CaseColumn, CaseFrame, owned};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::{CaseSet, Event, Indicator, Limit, Measure};
use crate::model::calendar;
use crate::model::cases::{AGAINST_RULING, Rows, ValueState, court_level_code};
use crate::model::fields::{CodeField, DateField};
use crate::model::period::Period;

/// State of a value that was read.
pub(super) const PRESENT: u8 = ValueState::Present as u8;
/// State of an empty cell.
pub(super) const MISSING: u8 = ValueState::Missing as u8;
/// State of a cell that could not be read.
pub(super) const INVALID: u8 = ValueState::Invalid as u8;
/// State of a resolved appeal date when neither row carries one.
pub(super) const NO_APPEAL_DATE: u8 = 3;
const SECONDS_PER_DAY: i64 = 86_400;

/// Fewest rows measured at a time when the chunk size is left to the export's size
/// (`ComputeOptions::chunk_rows` 0): polars' working columns for one indicator stay about this
/// long for exports up to a million cases.
pub const CHUNK_ROWS: usize = 1 << 17;

/// Most rows measured at a time when the chunk size is left to the export's size.
const MAX_CHUNK_ROWS: usize = 1 << 19;

/// Rows measured at a time for `cases` cases: as `asked`, or (0) an eighth of the cases within
/// `CHUNK_ROWS..=MAX_CHUNK_ROWS` (131,072 to 524,288 rows).
// why: each chunk costs polars a plan of its own (about a millisecond per indicator); with tens
// of millions of cases small chunks made that overhead a tenth of the computing, while at a
// million cases the chunks' working columns are most of the memory above the cases themselves.
fn chunk_rows(asked: usize, cases: usize) -> usize {
    match asked {
        0 => (cases / 8).clamp(CHUNK_ROWS, MAX_CHUNK_ROWS),
        asked => asked,
    }
}

/// A column the engine derives itself, beside the stored case columns (`CaseColumn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EngineColumn {
    /// The case's row in the register.
    Row,
    /// What the figure adds up per case: days counted (in the indicator's unit), 1 or 0 for a
    /// share, the numerator in fen for an amount ratio, 1 per case closed for a clearance rate.
    Value,
    /// Days counted, in the indicator's unit.
    Days,
    /// What the case weighs in the figure: 1, the denominator in fen for an amount ratio, 1 per
    /// case registered for a clearance rate.
    Weight,
    /// 0 when the case is counted, else its `Exclusion` code.
    Reason,
    /// The case's group number (see `GroupLayout`).
    Group,
    /// In the appeal links: the appeal's row.
    AppealRow,
    /// In the appeal links: the first-instance row the appeal names.
    FirstInstanceRow,
    /// The appeal receipt day written on the first-instance row.
    FirstInstanceAppealDay,
    /// Its `ValueState`.
    FirstInstanceAppealState,
    /// The appeal receipt day an appeal is measured from (own row's, else first-instance row's).
    AppealDay,
    /// Its state: a `ValueState`, or `NO_APPEAL_DATE` when neither row has one.
    AppealState,
    /// A break-down key's code.
    Key(GroupKey),
    /// The calendar month of a date (`calendar::month_key`).
    Month(DateField),
    /// The calendar quarter of a date (`calendar::quarter_key`).
    Quarter(DateField),
}

impl EngineColumn {
    /// The column's name in polars expressions.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EngineColumn::Row => "row",
            EngineColumn::Value => "value",
            EngineColumn::Days => "days",
            EngineColumn::Weight => "weight",
            EngineColumn::Reason => "reason",
            EngineColumn::Group => "group",
            EngineColumn::AppealRow => "appeal_row",
            EngineColumn::FirstInstanceRow => "first_instance_row",
            EngineColumn::FirstInstanceAppealDay => "first_instance_appeal_day",
            EngineColumn::FirstInstanceAppealState => "first_instance_appeal_state",
            EngineColumn::AppealDay => "appeal_day",
            EngineColumn::AppealState => "appeal_state",
            EngineColumn::Key(key) => match key {
                GroupKey::Court => "key_court",
                GroupKey::CourtLevel => "key_court_level",
                GroupKey::Month => "key_month",
                GroupKey::Quarter => "key_quarter",
                GroupKey::Cause => "key_cause",
                GroupKey::Department => "key_department",
                GroupKey::Judge => "key_judge",
            },
            EngineColumn::Month(field) => match field {
                DateField::Received => "received_month",
                DateField::Filed => "filed_month",
                DateField::Closed => "closed_month",
                DateField::AppealReceived => "own_appeal_month",
                DateField::InForce => "in_force_month",
                DateField::FundsReceived => "funds_received_month",
                DateField::FundsPaid => "funds_paid_month",
            },
            EngineColumn::Quarter(field) => match field {
                DateField::Received => "received_quarter",
                DateField::Filed => "filed_quarter",
                DateField::Closed => "closed_quarter",
                DateField::AppealReceived => "own_appeal_quarter",
                DateField::InForce => "in_force_quarter",
                DateField::FundsReceived => "funds_received_quarter",
                DateField::FundsPaid => "funds_paid_quarter",
            },
        }
    }

    /// The column as a polars expression.
    pub(crate) fn expr(self) -> Expr {
        col(self.name())
    }
}

/// A one-byte literal: keeps every branch of a when/then chain one byte wide instead of the
/// default 32-bit integer.
pub(super) fn code(value: u8) -> Expr {
    lit(Scalar::from(value))
}

/// The state of `event`'s date as measured (an appeal's: resolved, see `appeals`).
pub(super) fn state(event: Event) -> Expr {
    match event {
        Event::AppealReceived => EngineColumn::AppealState.expr(),
        _ => CaseColumn::DateState(event.date_field()).expr(),
    }
}

/// The day of `event` as measured (an appeal's: resolved, see `appeals`).
pub(super) fn day(event: Event) -> Expr {
    match event {
        Event::AppealReceived => EngineColumn::AppealDay.expr(),
        _ => CaseColumn::Day(event.date_field()).expr(),
    }
}

/// Times of day are kept for the two events filing review measures in hours.
pub(super) fn seconds(event: Event) -> Option<Expr> {
    let field = event.date_field();
    field
        .keeps_time()
        .then(|| CaseColumn::Seconds(field).expr())
}

/// Days counted per case in the indicator's unit: seconds when fractional, else whole days.
pub(super) fn unit_per_day(indicator: &Indicator) -> i64 {
    if indicator.fractional_days {
        SECONDS_PER_DAY
    } else {
        1
    }
}

/// What a caller of `measure_chunks` reads of each measured chunk.
pub(super) struct Reads<'a> {
    /// Stored columns read beside the figure's own (a listing's labels).
    pub(super) stored: &'a [CaseColumn],
    /// Whether row numbers are read.
    pub(super) row: bool,
    /// The columns handed over; must include `reason`.
    pub(super) keep: &'a [Expr],
    /// Which cases are handed over.
    pub(super) wanted: Expr,
}

/// Measure an indicator over every case, a chunk of rows at a time: each chunk's cases
/// `reads.wanted`, with the columns `reads.keep`, are handed to `on_chunk`, chunk after chunk in
/// row order. Returns how many cases were excluded, by `Exclusion` code.
pub(super) fn measure_chunks(
    cases: &CaseFrame,
    appeals: &AppealLinks<'_>,
    indicator: &Indicator,
    options: &ComputeOptions,
    reads: &Reads,
    mut on_chunk: impl FnMut(DataFrame) -> Result<()>,
) -> Result<BTreeMap<u8, u64>> {
    let fail = |e: PolarsError| computing(indicator.id, e);
    let mut excluded = BTreeMap::new();
    let chunk_rows = chunk_rows(options.chunk_rows, cases.height());
    let stored = needed_columns(indicator, options, reads.stored);
    let numbered = reads_rows(indicator, reads.row);
    let mut offset = 0;
    loop {
        let range = offset..(offset + chunk_rows).min(cases.height());
        let listed = case_set_rows(cases, &range, indicator.case_set)?;
        let rows = match &listed {
            Some(listed) => Rows::Listed(listed),
            None => Rows::Range(range),
        };
        let mut chunk = cases.chunk(&rows, &stored)?;
        if numbered {
            match &listed {
                Some(listed) => {
                    chunk
                        .with_column(owned(EngineColumn::Row.name(), listed.clone()))
                        .map_err(fail)?;
                }
                None => {
                    chunk = chunk
                        .with_row_index(EngineColumn::Row.name().into(), Some(offset as IdxSize))
                        .map_err(fail)?;
                }
            }
        }
        let chunk = with_calendar_keys(chunk, &options.by, &calendar_events(indicator))?;
        let appeal_dates = match joins_appeals(indicator) {
            true => Some(appeals.chunk(offset, chunk_rows)?),
            false => None,
        };
        let part = measured(&chunk, appeal_dates.as_ref(), indicator, options, reads)?
            .select(reads.keep)
            .collect()
            .map_err(fail)?;
        let reasons = part
            .column(EngineColumn::Reason.name())
            .and_then(|c| c.u8().cloned())
            .map_err(fail)?;
        for reason in reasons.into_no_null_iter().filter(|&r| r != 0) {
            *excluded.entry(reason).or_insert(0) += 1;
        }
        let part = part
            .lazy()
            .filter(reads.wanted.clone())
            .collect()
            .map_err(fail)?;
        on_chunk(part)?;
        offset += chunk_rows;
        if offset >= cases.height() {
            break;
        }
    }
    Ok(excluded)
}

/// Whether the appeal join resolves an appeal's receipt date for the indicator.
pub(super) fn joins_appeals(indicator: &Indicator) -> bool {
    indicator.start == Event::AppealReceived || indicator.end == Event::AppealReceived
}

/// Whether measuring reads row numbers: when asked, and for the appeal join (not for a clearance
/// rate, which reads neither).
fn reads_rows(indicator: &Indicator, asked: bool) -> bool {
    indicator.measure != Measure::Clearance && (asked || joins_appeals(indicator))
}

/// The events whose month or quarter places an indicator's cases in groups: the one it is
/// attributed by, or both registration and closing for a clearance rate.
fn calendar_events(indicator: &Indicator) -> Vec<Event> {
    match indicator.measure {
        Measure::Clearance => vec![Event::Registered, Event::Closed],
        _ => vec![indicator.attributed_by],
    }
}

/// The month or quarter key column of `event`'s date.
fn calendar_column(key: GroupKey, event: Event) -> Option<EngineColumn> {
    match key {
        GroupKey::Month => Some(EngineColumn::Month(event.date_field())),
        GroupKey::Quarter => Some(EngineColumn::Quarter(event.date_field())),
        _ => None,
    }
}

/// A calendar break-down key: its column for a date, and the key of a day.
struct CalendarKey {
    key: GroupKey,
    column_of: fn(DateField) -> EngineColumn,
    key_of: fn(calendar::DayNumber) -> i32,
}

const CALENDAR_KEYS: [CalendarKey; 2] = [
    CalendarKey {
        key: GroupKey::Month,
        column_of: EngineColumn::Month,
        key_of: calendar::month_key,
    },
    CalendarKey {
        key: GroupKey::Quarter,
        column_of: EngineColumn::Quarter,
        key_of: calendar::quarter_key,
    },
];

/// `frame` with month or quarter keys of `events` added, when `by` asks for them. Added to one
/// chunk at a time, so they are never held for the whole export.
fn with_calendar_keys(
    mut frame: DataFrame,
    by: &[GroupKey],
    events: &[Event],
) -> Result<DataFrame> {
    for CalendarKey {
        key,
        column_of,
        key_of,
    } in CALENDAR_KEYS
    {
        if !by.contains(&key) {
            continue;
        }
        for &event in events {
            let Ok(column) = frame.column(CaseColumn::Day(event.date_field()).name()) else {
                continue;
            };
            let name = column_of(event.date_field()).name();
            let keys = match column {
                // One day for every row: polars holds a one-row column so, and a sparse column
                // no input had is one missing day (0) for every row.
                Column::Scalar(scalar) => {
                    let day = scalar.scalar().value().extract::<i32>().unwrap_or(0);
                    Column::new_scalar(name.into(), key_of(day).into(), column.len())
                }
                _ => {
                    let days = column
                        .i32()
                        .cloned()
                        .map_err(|e| computing("calendar keys", e))?;
                    let keys: Vec<i32> = days.into_no_null_iter().map(key_of).collect();
                    Column::new(name.into(), keys)
                }
            };
            frame
                .with_column(keys)
                .map_err(|e| computing("calendar keys", e))?;
        }
    }
    Ok(frame)
}

/// The stored columns a group key reads: a label or the court level; None for the month and
/// quarter keys, which the engine adds (`with_calendar_keys`).
fn key_case_column(key: GroupKey) -> Option<CaseColumn> {
    use crate::model::fields::LabelField;
    match key {
        GroupKey::Court => Some(CaseColumn::Label(LabelField::Court)),
        GroupKey::Cause => Some(CaseColumn::Label(LabelField::Cause)),
        GroupKey::Department => Some(CaseColumn::Label(LabelField::Department)),
        GroupKey::Judge => Some(CaseColumn::Label(LabelField::Judge)),
        GroupKey::CourtLevel => Some(CaseColumn::CourtLevel),
        GroupKey::Month | GroupKey::Quarter => None,
    }
}

/// The column a group key reads (month and quarter of the date of `event`).
fn key_source(key: GroupKey, event: Event) -> Expr {
    match key_case_column(key) {
        Some(column) => column.expr(),
        None if key == GroupKey::Quarter => EngineColumn::Quarter(event.date_field()).expr(),
        None => EngineColumn::Month(event.date_field()).expr(),
    }
}

/// The group-key columns (`key_*`) of `by`, read from the date of `event` for months and
/// quarters.
fn group_keys(by: &[GroupKey], event: Event) -> Vec<Expr> {
    by.iter()
        .map(|&key| key_source(key, event).alias(EngineColumn::Key(key).name()))
        .collect()
}

/// The stored value and state columns a measure reads beside its dates.
fn value_columns(measure: Measure) -> Vec<CaseColumn> {
    match measure {
        Measure::Flag(field) => vec![CaseColumn::Code(field), CaseColumn::CodeState(field)],
        Measure::AmountRatio(numerator, denominator) => vec![
            CaseColumn::Amount(numerator),
            CaseColumn::AmountState(numerator),
            CaseColumn::Amount(denominator),
            CaseColumn::AmountState(denominator),
        ],
        Measure::WithinDays {
            limit: Limit::HalfAppealLimit,
            ..
        } => vec![CaseColumn::Code(CodeField::AppealAgainst)],
        _ => Vec::new(),
    }
}

/// The state columns of the (first, second) value a measure reads, for exclusion reasons.
fn value_states(measure: Measure) -> [Option<CaseColumn>; 2] {
    match measure {
        Measure::Flag(field) => [Some(CaseColumn::CodeState(field)), None],
        Measure::AmountRatio(numerator, denominator) => [
            Some(CaseColumn::AmountState(numerator)),
            Some(CaseColumn::AmountState(denominator)),
        ],
        _ => [None, None],
    }
}

/// The stored case columns measuring `indicator` reads (`extra` beside its own), sorted.
fn needed_columns(
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[CaseColumn],
) -> Vec<CaseColumn> {
    let mut needed = vec![
        CaseColumn::Procedure,
        CaseColumn::CourtLevel,
        CaseColumn::InScope,
    ];
    needed.extend(case_set_columns(indicator.case_set));
    needed.extend(options.by.iter().filter_map(|&key| key_case_column(key)));
    let events = if indicator.measure == Measure::Clearance {
        vec![Event::Registered, Event::Closed]
    } else {
        needed.extend([CaseColumn::Deducted, CaseColumn::DeductedState]);
        needed.extend(extra);
        needed.extend(value_columns(indicator.measure));
        vec![indicator.start, indicator.end, indicator.attributed_by]
    };
    for event in events {
        let field = event.date_field();
        needed.extend([CaseColumn::Day(field), CaseColumn::DateState(field)]);
        if indicator.measure != Measure::Clearance && field.keeps_time() {
            needed.push(CaseColumn::Seconds(field));
        }
    }
    needed.sort();
    needed.dedup();
    needed
}

/// Every column of a chunk that measuring reads: the stored ones, row numbers and calendar keys.
fn read_columns(indicator: &Indicator, options: &ComputeOptions, reads: &Reads) -> Vec<Expr> {
    let extra = if indicator.measure == Measure::Clearance {
        &[]
    } else {
        reads.stored
    };
    let mut derived = Vec::new();
    if reads_rows(indicator, reads.row) {
        derived.push(EngineColumn::Row);
    }
    for event in calendar_events(indicator) {
        for &key in &options.by {
            if let Some(column) = calendar_column(key, event)
                && !derived.contains(&column)
            {
                derived.push(column);
            }
        }
    }
    let stored = needed_columns(indicator, options, extra);
    let stored = stored.into_iter().map(CaseColumn::expr);
    stored
        .chain(derived.into_iter().map(EngineColumn::expr))
        .collect()
}

/// The in-scope cases of the indicator's case set, with only the columns measuring reads (so the
/// case set is not copied whole).
fn case_set(
    frame: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    reads: &Reads,
) -> LazyFrame {
    frame
        .clone()
        .lazy()
        .select(read_columns(indicator, options, reads))
        .filter(
            CaseColumn::InScope
                .expr()
                .and(in_case_set(indicator.case_set)),
        )
}

/// Whether a case's `event` date, when read, falls in the period: `read` and-ed with the
/// period's bounds.
fn within_period(event: Event, period: &Period, read: Expr) -> Expr {
    let mut within = read;
    if let Some(from) = period.from {
        within = within.and(day(event).gt_eq(lit(from)));
    }
    if let Some(to) = period.to {
        within = within.and(day(event).lt_eq(lit(to)));
    }
    within
}

/// Elapsed time from start to end in the indicator's unit. Whole days stay 32-bit; seconds
/// (filing review with times) need 64.
fn elapsed(indicator: &Indicator) -> Expr {
    let (start, end) = (indicator.start, indicator.end);
    let day_difference = day(end) - day(start);
    match (indicator.fractional_days, seconds(start), seconds(end)) {
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
    }
}

/// Days counted: elapsed, less the days deducted when `net`.
fn counted(indicator: &Indicator, net: bool, elapsed: Expr) -> Expr {
    let deducted = CaseColumn::Deducted.expr();
    match (net, indicator.fractional_days) {
        (true, true) => elapsed - deducted.cast(DataType::Int64) * lit(SECONDS_PER_DAY),
        (true, false) => elapsed - deducted,
        (false, _) => elapsed,
    }
}

/// Why a case is left out (`Exclusion` code, 0 when counted): the first reason that applies,
/// in the order of `Exclusion`.
fn exclusion_reason(indicator: &Indicator, net: bool, elapsed: Expr, counted: Expr) -> Expr {
    let (start, end) = (indicator.start, indicator.end);
    let deduction_invalid = match net {
        true => CaseColumn::DeductedState.expr().eq(lit(INVALID)),
        false => lit(false),
    };
    let first_instance_level_unknown = match indicator.case_set {
        CaseSet::BasicFirstInstance => CaseColumn::CourtLevel
            .expr()
            .eq(lit(court_level_code(None))),
        _ => lit(false),
    };
    let open_is_late = matches!(
        indicator.measure,
        Measure::WithinDays {
            open_is_late: true,
            ..
        }
    );
    // An empty end date of an open-is-late share is not done yet: counted, as not within.
    let end_missing = match open_is_late {
        true => lit(false),
        false => state(end).eq(lit(MISSING)),
    };
    let value_states = value_states(indicator.measure);
    let value_state = |index: usize, wanted: u8| match value_states[index] {
        Some(column) => column.expr().eq(lit(wanted)),
        None => lit(false),
    };
    let end_read = state(end).eq(lit(PRESENT));
    let reason = |exclusion: Exclusion| code(exclusion as u8);
    when(first_instance_level_unknown)
        .then(reason(Exclusion::UnknownCourtLevel))
        .when(end_missing)
        .then(reason(Exclusion::MissingEnd))
        .when(state(end).eq(lit(INVALID)))
        .then(reason(Exclusion::InvalidEnd))
        .when(state(start).eq(lit(MISSING)))
        .then(reason(Exclusion::MissingStart))
        .when(state(start).eq(lit(INVALID)))
        .then(reason(Exclusion::InvalidStart))
        .when(state(start).eq(lit(NO_APPEAL_DATE)))
        .then(reason(Exclusion::NoAppealDate))
        .when(value_state(0, MISSING))
        .then(reason(Exclusion::MissingValue))
        .when(value_state(0, INVALID))
        .then(reason(Exclusion::InvalidValue))
        .when(value_state(1, MISSING))
        .then(reason(Exclusion::MissingSecondValue))
        .when(value_state(1, INVALID))
        .then(reason(Exclusion::InvalidSecondValue))
        .when(deduction_invalid)
        .then(reason(Exclusion::InvalidDeduction))
        .when(end_read.clone().and(elapsed.lt(lit(0))))
        .then(reason(Exclusion::EndBeforeStart))
        .when(end_read.and(counted.lt(lit(0))))
        .then(reason(Exclusion::NegativeNetDays))
        .otherwise(code(0))
        .cast(DataType::UInt8)
}

/// What a case adds to the figure and what it weighs, per measure (see `EngineColumn::Value`).
fn value_and_weight(indicator: &Indicator, counted: Expr) -> (Expr, Expr) {
    match indicator.measure {
        Measure::Days | Measure::Clearance => (counted, lit(1i64)),
        Measure::WithinDays { limit, .. } => {
            let limit = match limit {
                Limit::Days(days) => lit(days),
                // why: CPL art. 183 gives appeals against rulings 30 days, against judgments 3
                // months; item 9 counts half of each. An appeal whose 上诉对象 is not stated is
                // taken to be against a judgment, the common case.
                Limit::HalfAppealLimit => when(
                    CaseColumn::Code(CodeField::AppealAgainst)
                        .expr()
                        .eq(lit(AGAINST_RULING)),
                )
                .then(lit(15i32))
                .otherwise(lit(45i32)),
            };
            let end_read = state(indicator.end).eq(lit(PRESENT));
            let within = end_read.and(counted.lt_eq(limit));
            (when(within).then(lit(1i64)).otherwise(lit(0i64)), lit(1i64))
        }
        Measure::Flag(field) => (
            CaseColumn::Code(field).expr().cast(DataType::Int64),
            lit(1i64),
        ),
        Measure::AmountRatio(numerator, denominator) => (
            CaseColumn::Amount(numerator).expr(),
            CaseColumn::Amount(denominator).expr(),
        ),
    }
}

/// The lazy frame of an indicator's case set within the period, with `value`, `days`, `weight`,
/// `reason` (see `EngineColumn`) and the group-key columns.
fn measured(
    frame: &DataFrame,
    appeal_dates: Option<&DataFrame>,
    indicator: &Indicator,
    options: &ComputeOptions,
    reads: &Reads,
) -> Result<LazyFrame> {
    if indicator.measure == Measure::Clearance {
        return measured_clearance(frame, indicator, options, reads);
    }
    let mut cases = case_set(frame, indicator, options, reads);
    if let Some(appeal_dates) = appeal_dates {
        cases = with_resolved_appeal_dates(cases, appeal_dates);
    }
    let net = indicator.net_of_deductions && !options.gross;
    let elapsed = elapsed(indicator);
    let counted = counted(indicator, net, elapsed.clone());
    let reason = exclusion_reason(indicator, net, elapsed, counted.clone());
    let (value, weight) = value_and_weight(indicator, counted.clone());
    let mut columns = vec![
        value.alias(EngineColumn::Value.name()),
        counted.alias(EngineColumn::Days.name()),
        weight.alias(EngineColumn::Weight.name()),
        reason.alias(EngineColumn::Reason.name()),
    ];
    columns.extend(group_keys(&options.by, indicator.attributed_by));
    // A case whose period date was not read stays, to be counted among the exclusions.
    let attributed = indicator.attributed_by;
    let period_filter = state(attributed).neq(lit(PRESENT)).or(within_period(
        attributed,
        &options.period,
        lit(true),
    ));
    Ok(cases.filter(period_filter).with_columns(columns))
}

/// The lazy frame of a clearance rate: a row per case registered in the period (`weight` 1) and
/// one per case closed in it (`value` 1), each with the group keys of its own date, so that a
/// month's rate is the cases closed that month over those registered that month.
fn measured_clearance(
    frame: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    reads: &Reads,
) -> Result<LazyFrame> {
    use EngineColumn::{Reason, Value, Weight};
    let cases = case_set(frame, indicator, options, reads);
    let side = |event: Event, closed: i64, registered: i64| {
        let in_period = within_period(event, &options.period, state(event).eq(lit(PRESENT)));
        let mut columns = vec![
            lit(closed).alias(Value.name()),
            lit(registered).alias(Weight.name()),
            code(0).cast(DataType::UInt8).alias(Reason.name()),
        ];
        columns.extend(group_keys(&options.by, event));
        let mut kept = vec![
            Value.expr(),
            Weight.expr(),
            Reason.expr(),
            CaseColumn::CourtLevel.expr(),
        ];
        kept.extend(options.by.iter().map(|&key| EngineColumn::Key(key).expr()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_with_the_export_between_their_bounds() {
        assert_eq!(chunk_rows(0, 17), CHUNK_ROWS);
        assert_eq!(chunk_rows(0, 1_000_000), 131_072);
        assert_eq!(chunk_rows(0, 3_000_000), 375_000);
        assert_eq!(chunk_rows(0, 10_000_000), 524_288);
        assert_eq!(chunk_rows(37, 10_000_000), 37);
    }
}
