//! Listing the cases behind a figure, or those left out of it, for auditors
//! (`casemetrics cases`).

use polars::prelude::*;

use crate::error::{Error, Result, computing};
use crate::measure::appeals::AppealLinks;
use crate::measure::compute::ComputeOptions;
use crate::measure::engine::{
    EngineColumn, INVALID, MISSING, PRESENT, Reads, day, joins_appeals, measure_chunks, seconds,
    state, unit_per_day,
};
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::{CaseColumn, CaseFrame};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::{Event, INDICATORS, Indicator, Measure};
use crate::model::calendar;
use crate::model::fields::LabelField;

/// One case behind a figure, or one case left out of it, for auditors (`casemetrics cases`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    /// Row in the register.
    pub row: usize,
    /// Court code (label in `Register::courts`).
    pub court: u32,
    /// Codes of the other break-down keys: court level, cause, department, judge.
    pub court_level: u8,
    /// Cause code.
    pub cause: u32,
    /// Department code.
    pub department: u32,
    /// Judge code.
    pub judge: u32,
    /// The start date used (for appeals: the resolved receipt date), if read.
    pub start: Option<calendar::Timestamp>,
    /// The end date used, if read.
    pub end: Option<calendar::Timestamp>,
    /// Days deducted (0 when missing), when the indicator is net and the value was read.
    pub deducted: Option<i64>,
    /// Days counted (fractional for filing review with times); None for excluded cases.
    pub days: Option<f64>,
    /// For a within-days share: whether the case counts as within the limit; None otherwise.
    pub within: Option<bool>,
    /// Why the case was left out, if it was.
    pub exclusion: Option<Exclusion>,
}

impl CaseLine {
    /// The code of `key` for this case, as the report groups it (month and quarter of the end
    /// date, which is every indicator's period date); None when the end date was not read.
    pub fn group_code(&self, key: GroupKey) -> Option<i64> {
        Some(match key {
            GroupKey::Court => i64::from(self.court),
            GroupKey::CourtLevel => i64::from(self.court_level),
            GroupKey::Cause => i64::from(self.cause),
            GroupKey::Department => i64::from(self.department),
            GroupKey::Judge => i64::from(self.judge),
            GroupKey::Month => i64::from(calendar::month_key(self.end?.day)),
            GroupKey::Quarter => i64::from(calendar::quarter_key(self.end?.day)),
        })
    }
}

/// A usage error unless `cases --indicator` can list `indicator` (see `Indicator::listable`).
pub fn check_listable(indicator: &Indicator) -> Result<()> {
    if indicator.listable() {
        return Ok(());
    }
    let listable: Vec<&str> = INDICATORS
        .iter()
        .filter(|i| i.listable())
        .map(|i| i.id)
        .collect();
    Err(Error::Usage(format!(
        "{} is not made of one duration per case and cannot be listed; listed: {}",
        indicator.id,
        listable.join(", ")
    )))
}

/// The values of a listed chunk's column `name`, typed `T`: one contiguous slice (the chunk is
/// rechunked, and kept columns have no nulls, see `list_cases`).
fn values<'a, T: PolarsNumericType>(chunk: &'a DataFrame, name: &str) -> Result<&'a [T::Native]> {
    chunk
        .column(name)
        .and_then(|c| c.as_materialized_series().unpack::<T>())
        .and_then(|c| c.cont_slice())
        .map_err(|e| computing(name, e))
}

/// Names the listing gives the day, time-of-day and state columns of the start or end event.
struct EventNames {
    day: &'static str,
    seconds: &'static str,
    state: &'static str,
}

const START: EventNames = EventNames {
    day: "start_day",
    seconds: "start_sec",
    state: "start_state",
};

const END: EventNames = EventNames {
    day: "end_day",
    seconds: "end_sec",
    state: "end_state",
};

/// The labels a case line carries.
const LABELS: [LabelField; 4] = [
    LabelField::Court,
    LabelField::Cause,
    LabelField::Department,
    LabelField::Judge,
];

/// A kept column in the type it is read as: a no-op for most, a widening for codes that may be
/// 16-bit. A null (none is expected) reads as the old listing read it: 0, or a missing date.
fn typed(expr: Expr, dtype: DataType, fill: Expr, name: &str) -> Expr {
    expr.cast(dtype.clone())
        .fill_null(fill.cast(dtype))
        .alias(name.to_string())
}

/// A stored column, typed (see `typed`) under its own name.
fn typed_case(column: CaseColumn, dtype: DataType, fill: Expr) -> Expr {
    typed(column.expr(), dtype, fill, column.name())
}

/// Day, time of day (-1: none kept) and state of `event`, under `names`.
fn event_columns(event: Event, names: &EventNames) -> [Expr; 3] {
    [
        typed(day(event), DataType::Int32, lit(0), names.day),
        typed(
            seconds(event).unwrap_or_else(|| lit(-1i32)),
            DataType::Int32,
            lit(-1),
            names.seconds,
        ),
        typed(state(event), DataType::UInt8, lit(MISSING), names.state),
    ]
}

/// The columns a listing keeps of each measured chunk.
fn listed_columns(indicator: &Indicator, within_share: bool) -> Vec<Expr> {
    let mut columns = vec![
        typed(
            EngineColumn::Row.expr(),
            IDX_DTYPE,
            lit(0),
            EngineColumn::Row.name(),
        ),
        typed_case(CaseColumn::CourtLevel, DataType::UInt8, lit(0)),
    ];
    for field in LABELS {
        columns.push(typed_case(
            CaseColumn::Label(field),
            DataType::UInt32,
            lit(0),
        ));
    }
    columns.extend(event_columns(indicator.start, &START));
    columns.extend(event_columns(indicator.end, &END));
    columns.extend([
        typed_case(CaseColumn::Deducted, DataType::Int32, lit(0)),
        typed_case(CaseColumn::DeductedState, DataType::UInt8, lit(0)),
        typed(
            EngineColumn::Days.expr(),
            DataType::Int64,
            lit(0),
            EngineColumn::Days.name(),
        ),
        EngineColumn::Reason.expr(),
    ]);
    if within_share {
        let value = EngineColumn::Value;
        columns.push(typed(value.expr(), DataType::Int64, lit(0), value.name()));
    }
    columns
}

/// The day, time-of-day and state cells of an event in a listed chunk.
struct EventCells<'a> {
    day: &'a [i32],
    seconds: &'a [i32],
    state: &'a [u8],
}

impl<'a> EventCells<'a> {
    fn new(part: &'a DataFrame, names: &EventNames) -> Result<Self> {
        Ok(EventCells {
            day: values::<Int32Type>(part, names.day)?,
            seconds: values::<Int32Type>(part, names.seconds)?,
            state: values::<UInt8Type>(part, names.state)?,
        })
    }

    /// The date and time at `index`, when read.
    fn timestamp(&self, index: usize) -> Option<calendar::Timestamp> {
        (self.state[index] == PRESENT).then(|| calendar::Timestamp {
            day: self.day[index],
            seconds: u32::try_from(self.seconds[index]).ok(),
        })
    }
}

/// A listed chunk's columns, each looked up once; every cell is then read by position.
struct ListedChunk<'a> {
    row: &'a [IdxSize],
    court_level: &'a [u8],
    labels: [&'a [u32]; 4],
    start: EventCells<'a>,
    end: EventCells<'a>,
    deducted: &'a [i32],
    deducted_state: &'a [u8],
    days: &'a [i64],
    reason: &'a [u8],
    /// Within the limit (1) or not, for a within-days share.
    value: Option<&'a [i64]>,
}

impl<'a> ListedChunk<'a> {
    fn new(part: &'a DataFrame, within_share: bool) -> Result<Self> {
        let [court, cause, department, judge] = LABELS;
        let label = |field| values::<UInt32Type>(part, CaseColumn::Label(field).name());
        Ok(ListedChunk {
            row: values::<IdxType>(part, EngineColumn::Row.name())?,
            court_level: values::<UInt8Type>(part, CaseColumn::CourtLevel.name())?,
            labels: [
                label(court)?,
                label(cause)?,
                label(department)?,
                label(judge)?,
            ],
            start: EventCells::new(part, &START)?,
            end: EventCells::new(part, &END)?,
            deducted: values::<Int32Type>(part, CaseColumn::Deducted.name())?,
            deducted_state: values::<UInt8Type>(part, CaseColumn::DeductedState.name())?,
            days: values::<Int64Type>(part, EngineColumn::Days.name())?,
            reason: values::<UInt8Type>(part, EngineColumn::Reason.name())?,
            value: match within_share {
                true => Some(values::<Int64Type>(part, EngineColumn::Value.name())?),
                false => None,
            },
        })
    }

    /// The case at `index`; `net`: whether deductions count, `per_day`: the indicator's unit.
    fn line(&self, index: usize, net: bool, per_day: f64) -> CaseLine {
        let exclusion = Exclusion::from_code(self.reason[index]);
        let [court, cause, department, judge] = self.labels.map(|label| label[index]);
        CaseLine {
            row: self.row[index] as usize,
            court,
            court_level: self.court_level[index],
            cause,
            department,
            judge,
            start: self.start.timestamp(index),
            end: self.end.timestamp(index),
            deducted: (net && self.deducted_state[index] != INVALID)
                .then(|| i64::from(self.deducted[index])),
            days: match exclusion {
                None => Some(self.days[index] as f64 / per_day),
                Some(_) => None,
            },
            within: match (self.value, exclusion) {
                (Some(value), None) => Some(value[index] == 1),
                _ => None,
            },
            exclusion,
        }
    }
}

/// Lines handed over at a time by `list_case_batches`.
pub const LINE_BATCH: usize = 1 << 13;

/// Every case of an indicator's case set within the period, counted ones (`excluded = false`) or
/// excluded ones (`excluded = true`), handed to `on_line` one at a time in input order. Each
/// chunk of `options.chunk_rows` rows is measured and its lines handed over before the next is
/// measured, so the listing is never held whole.
pub fn list_cases(
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
    mut on_line: impl FnMut(&CaseLine) -> Result<()>,
) -> Result<()> {
    list_case_batches(cases, indicator, options, excluded, |lines| {
        lines.iter().try_for_each(&mut on_line)
    })
}

/// `list_cases`, its lines handed over in row order at most `LINE_BATCH` at a time, so that a
/// writer can lay out a batch on every core.
pub fn list_case_batches(
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
    mut on_batch: impl FnMut(&[CaseLine]) -> Result<()>,
) -> Result<()> {
    check_listable(indicator)?;
    let reason = EngineColumn::Reason.expr();
    let wanted = match excluded {
        true => reason.neq(lit(0)),
        false => reason.eq(lit(0)),
    };
    let within_share = matches!(indicator.measure, Measure::WithinDays { .. });
    let keep = listed_columns(indicator, within_share);
    // A listing has no groups: every case of the period is listed.
    let options = &ComputeOptions {
        by: Vec::new(),
        ..options.clone()
    };
    let per_day = unit_per_day(indicator) as f64;
    let net = indicator.net_of_deductions && !options.gross;
    let appeals = AppealLinks::new(cases);
    let stored = LABELS.map(CaseColumn::Label);
    let reads = Reads {
        stored: &stored,
        row: true,
        keep: &keep,
        wanted,
    };
    // why: measuring a chunk (polars) and writing its lines each kept one core busy in turn;
    // the next chunk is now measured on another thread while this one's lines are written.
    let (measured, parts) = std::sync::mpsc::sync_channel::<DataFrame>(1);
    std::thread::scope(|scope| {
        let measuring = scope.spawn(|| {
            measure_chunks(cases, &appeals, indicator, options, &reads, move |part| {
                // The listing stopped (its output failed): its own error is reported.
                measured
                    .send(part)
                    .map_err(|_| computing(indicator.id, "listing stopped"))
            })
        });
        let mut batch = Vec::with_capacity(LINE_BATCH);
        let listed = parts.iter().try_for_each(|part| {
            let part = in_row_order(part, indicator)?;
            let chunk = ListedChunk::new(&part, within_share)?;
            for first in (0..part.height()).step_by(LINE_BATCH) {
                let end = (first + LINE_BATCH).min(part.height());
                batch.clear();
                batch.extend((first..end).map(|index| chunk.line(index, net, per_day)));
                on_batch(&batch)?;
            }
            Ok(())
        });
        // Unblocks the measuring thread when the listing stopped early.
        drop(parts);
        let measuring = measuring
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        listed.and(measuring.map(|_| ()))
    })
}

/// A measured chunk in row order, in one contiguous piece per column. Chunks are measured in
/// order and filters keep it; only the appeal join may not, within a chunk.
fn in_row_order(part: DataFrame, indicator: &Indicator) -> Result<DataFrame> {
    let mut part = if joins_appeals(indicator) {
        part.lazy()
            .sort([EngineColumn::Row.name()], SortMultipleOptions::default())
            .collect()
            .map_err(|e| computing(indicator.id, e))?
    } else {
        part
    };
    part.rechunk_mut_par();
    Ok(part)
}
