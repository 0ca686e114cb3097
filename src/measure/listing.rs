//! Listing the cases behind a figure, or those left out of it, for auditors
//! (`casemetrics cases`).

use polars::prelude::*;

use crate::error::{Error, Result, computing};
use crate::measure::compute::ComputeOptions;
use crate::measure::engine::{
    AppealLinks, INVALID, MISSING, PRESENT, measure_chunks, seconds, unit_per_day,
};
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::CaseFrame;
use crate::measure::groups::GroupKey;
use crate::measure::indicators::{Event, INDICATORS, Indicator, Measure};

use crate::read::dates;

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
    pub start: Option<dates::Timestamp>,
    /// The end date used, if read.
    pub end: Option<dates::Timestamp>,
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
            GroupKey::Month => i64::from(dates::month_key(self.end?.day)),
            GroupKey::Quarter => i64::from(dates::quarter_key(self.end?.day)),
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
    check_listable(indicator)?;
    let wanted = if excluded {
        col("reason").neq(lit(0))
    } else {
        col("reason").eq(lit(0))
    };
    let (start, end) = (indicator.start, indicator.end);
    let within_share = matches!(indicator.measure, Measure::WithinDays { .. });
    // Each kept column in the type it is read as: a no-op for most, a widening for codes that may
    // be 16-bit. A null (none is expected) reads as the old listing read it: 0, or a missing date.
    let typed = |expr: Expr, dtype: DataType, fill: Expr, name: &str| {
        expr.cast(dtype.clone())
            .fill_null(fill.cast(dtype))
            .alias(name.to_string())
    };
    let resolved = |event: Event, part: &str| {
        if event == Event::AppealReceived {
            col(format!("appeal_{part}"))
        } else {
            col(format!("{}_{part}", event.prefix()))
        }
    };
    // Day, time of day (-1: none kept) and state of the event, as `{name}_day/_sec/_state`.
    let event_columns = |event: Event, name: &str| {
        [
            typed(
                resolved(event, "day"),
                DataType::Int32,
                lit(0),
                &format!("{name}_day"),
            ),
            typed(
                seconds(event).unwrap_or_else(|| lit(-1i32)),
                DataType::Int32,
                lit(-1),
                &format!("{name}_sec"),
            ),
            typed(
                resolved(event, "state"),
                DataType::UInt8,
                lit(MISSING),
                &format!("{name}_state"),
            ),
        ]
    };
    let mut columns = vec![
        typed(col("row"), IDX_DTYPE, lit(0), "row"),
        typed(col("court_level"), DataType::UInt8, lit(0), "court_level"),
    ];
    for name in ["court", "cause", "department", "judge"] {
        columns.push(typed(col(name), DataType::UInt32, lit(0), name));
    }
    columns.extend(event_columns(start, "start"));
    columns.extend(event_columns(end, "end"));
    columns.extend([
        typed(col("deducted"), DataType::Int32, lit(0), "deducted"),
        typed(
            col("deducted_state"),
            DataType::UInt8,
            lit(0),
            "deducted_state",
        ),
        typed(col("days"), DataType::Int64, lit(0), "days"),
        col("reason"),
    ]);
    if within_share {
        columns.push(typed(col("value"), DataType::Int64, lit(0), "value"));
    }
    // A listing has no groups: every case of the period is listed.
    let options = &ComputeOptions {
        by: Vec::new(),
        ..options.clone()
    };
    // Chunks are measured in order and filters keep it; only the appeal join may not, within a
    // chunk.
    let joins_appeals = start == Event::AppealReceived || end == Event::AppealReceived;
    let per_day = unit_per_day(indicator) as f64;
    let net = indicator.net_of_deductions && !options.gross;
    let appeals = AppealLinks::new(cases)?;
    let mut on_chunk = |part: DataFrame| -> Result<()> {
        let mut part = if joins_appeals {
            part.lazy()
                .sort(["row"], SortMultipleOptions::default())
                .collect()
                .map_err(|e| computing(indicator.id, e))?
        } else {
            part
        };
        part.rechunk_mut_par();
        let part = &part;
        // Each column is looked up once; every cell is then read by position.
        let row = values::<IdxType>(part, "row")?;
        let court_level = values::<UInt8Type>(part, "court_level")?;
        let court = values::<UInt32Type>(part, "court")?;
        let cause = values::<UInt32Type>(part, "cause")?;
        let department = values::<UInt32Type>(part, "department")?;
        let judge = values::<UInt32Type>(part, "judge")?;
        let deducted = values::<Int32Type>(part, "deducted")?;
        let deducted_state = values::<UInt8Type>(part, "deducted_state")?;
        let days_counted = values::<Int64Type>(part, "days")?;
        let reason = values::<UInt8Type>(part, "reason")?;
        let value = if within_share {
            Some(values::<Int64Type>(part, "value")?)
        } else {
            None
        };
        let event = |prefix: &str| -> Result<(&[i32], &[i32], &[u8])> {
            Ok((
                values::<Int32Type>(part, &format!("{prefix}_day"))?,
                values::<Int32Type>(part, &format!("{prefix}_sec"))?,
                values::<UInt8Type>(part, &format!("{prefix}_state"))?,
            ))
        };
        let (start_event, end_event) = (event("start")?, event("end")?);
        let timestamp = |(day, sec, state): (&[i32], &[i32], &[u8]), index: usize| {
            (state[index] == PRESENT).then(|| dates::Timestamp {
                day: day[index],
                seconds: u32::try_from(sec[index]).ok(),
            })
        };
        for index in 0..part.height() {
            let exclusion = Exclusion::from_code(reason[index]);
            let line = CaseLine {
                row: row[index] as usize,
                court: court[index],
                court_level: court_level[index],
                cause: cause[index],
                department: department[index],
                judge: judge[index],
                start: timestamp(start_event, index),
                end: timestamp(end_event, index),
                deducted: (net && deducted_state[index] != INVALID)
                    .then(|| i64::from(deducted[index])),
                days: match exclusion {
                    None => Some(days_counted[index] as f64 / per_day),
                    Some(_) => None,
                },
                within: match (value, exclusion) {
                    (Some(value), None) => Some(value[index] == 1),
                    _ => None,
                },
                exclusion,
            };
            on_line(&line)?;
        }
        Ok(())
    };
    measure_chunks(
        cases,
        &appeals,
        indicator,
        options,
        &["row", "court", "cause", "department", "judge"],
        &columns,
        wanted,
        &mut on_chunk,
    )?;
    Ok(())
}
