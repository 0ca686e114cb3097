//! The one boundary between the compact case columns and polars: a chunk of cases handed to the
//! engine as typed columns.

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::model::cases::{CaseColumns, Kind, ValueState};

const MISSING: u8 = ValueState::Missing as u8;

/// A polars column that takes over `values` without copying them (`Column::new` would copy).
pub(crate) fn owned<T: NumericNative>(name: &str, values: Vec<T>) -> Column
where
    Series: NamedFromOwned<Vec<T>>,
{
    Series::from_vec(name.into(), values).into_column()
}

/// Dictionary codes `rows` of one column: 16-bit or 32-bit as the codes need.
fn codes(
    name: &str,
    values: &crate::model::cases::CodeVec,
    rows: std::ops::Range<usize>,
) -> Column {
    match values {
        crate::model::cases::CodeVec::Narrow(values) => owned(name, values[rows].to_vec()),
        crate::model::cases::CodeVec::Wide(values) => owned(name, values[rows].to_vec()),
    }
}

/// Cells `rows` of a sparse column (see `CaseColumns`), or `fill` repeated as one scalar (no
/// memory per case) when no input had the column.
fn sparse<T: NumericNative + Into<Scalar>>(
    name: &str,
    values: &[T],
    fill: T,
    rows: std::ops::Range<usize>,
) -> Column
where
    Series: NamedFromOwned<Vec<T>>,
{
    if values.is_empty() {
        Column::new_scalar(name.into(), fill.into(), rows.len())
    } else {
        owned(name, values[rows].to_vec())
    }
}

/// The `{prefix}_value` and `{prefix}_state` columns of a sparse value column (a flag, a code or
/// an amount), for cases `rows`, each when `wants` it.
fn value_and_state<T: NumericNative + Into<Scalar>>(
    prefix: &str,
    values: &[T],
    fill: T,
    states: &[u8],
    wants: &dyn Fn(&str) -> bool,
    rows: &std::ops::Range<usize>,
    frame_columns: &mut Vec<Column>,
) where
    Series: NamedFromOwned<Vec<T>>,
{
    let (value, state) = (format!("{prefix}_value"), format!("{prefix}_state"));
    if wants(&value) {
        frame_columns.push(sparse(&value, values, fill, rows.clone()));
    }
    if wants(&state) {
        frame_columns.push(sparse::<u8>(&state, states, MISSING, rows.clone()));
    }
}

/// Every kept case's values, for the indicators: held compactly (see `CaseColumns`) and handed
/// to polars a chunk of rows at a time, as typed columns of the names the expressions use.
#[derive(Debug, Clone)]
pub struct CaseFrame {
    pub(crate) columns: CaseColumns,
}

impl CaseFrame {
    /// Take over the cases' columns.
    pub fn new(columns: CaseColumns) -> Result<CaseFrame> {
        Ok(CaseFrame { columns })
    }

    /// Number of cases.
    pub fn height(&self) -> usize {
        self.columns.len()
    }

    /// The polars frame of cases `first..first + count` (clipped to the cases there are), with
    /// those of the columns `names` the cases hold (other names, such as row numbers and
    /// calendar keys, are added to each chunk later).
    pub(crate) fn chunk(&self, first: usize, count: usize, names: &[String]) -> Result<DataFrame> {
        let columns = &self.columns;
        let rows = first.min(columns.len())..(first + count).min(columns.len());
        let height = rows.len();
        let mut frame_columns = Vec::with_capacity(names.len());
        let wants = |name: &str| names.iter().any(|n| n == name);
        let kind = |name: &str, field: fn(Kind) -> u8| {
            owned(name, columns.unpack_kind(rows.start, height, field))
        };
        if wants("procedure") {
            frame_columns.push(kind("procedure", Kind::procedure));
        }
        if wants("court_level") {
            frame_columns.push(kind("court_level", Kind::court_level));
        }
        if wants("type_flags") {
            frame_columns.push(kind("type_flags", Kind::type_flags));
        }
        if wants("in_scope") {
            let in_scope = columns.unpack_kind(rows.start, height, Kind::in_scope);
            frame_columns.push(Column::new("in_scope".into(), in_scope));
        }
        for (name, values) in [
            ("court", &columns.court),
            ("cause", &columns.cause),
            ("department", &columns.department),
            ("judge", &columns.judge),
        ] {
            if wants(name) {
                frame_columns.push(codes(name, values, rows.clone()));
            }
        }
        for (prefix, dates) in [
            ("received", &columns.received_at),
            ("filed", &columns.filed_at),
            ("closed", &columns.closed_at),
            ("own_appeal", &columns.appeal_received_at),
            ("in_force", &columns.in_force_at),
            ("funds_received", &columns.funds_received_at),
            ("funds_paid", &columns.funds_paid_at),
        ] {
            let (day, state, sec) = (
                format!("{prefix}_day"),
                format!("{prefix}_state"),
                format!("{prefix}_sec"),
            );
            if !(wants(&day) || wants(&state) || wants(&sec)) {
                continue;
            }
            if dates.is_empty() {
                // A sparse column no input had: every cell missing.
                frame_columns.push(Column::new_scalar(day.into(), 0i32.into(), height));
                frame_columns.push(Column::new_scalar(state.into(), MISSING.into(), height));
                continue;
            }
            let (days, states, seconds) = dates.unpack(rows.start, height);
            frame_columns.push(owned(&day, days));
            frame_columns.push(owned(&state, states));
            if wants(&sec) {
                frame_columns.push(owned(&sec, seconds));
            }
        }
        if wants("deducted") || wants("deducted_state") {
            let days: Vec<i32> = rows.clone().map(|row| columns.deducted_days(row)).collect();
            let states: Vec<u8> = rows
                .clone()
                .map(|row| columns.deducted_state(row))
                .collect();
            frame_columns.push(owned("deducted", days));
            frame_columns.push(owned("deducted_state", states));
        }
        for (prefix, column) in [
            ("appeal_against", &columns.appeal_against),
            ("judgment_online", &columns.judgment_online),
            ("trial_streamed", &columns.trial_streamed),
        ] {
            let (values, states) = (&column.value, &column.state);
            value_and_state(
                prefix,
                values,
                0u8,
                states,
                &wants,
                &rows,
                &mut frame_columns,
            );
        }
        for (prefix, column) in [
            ("bankruptcy_costs", &columns.bankruptcy_costs),
            ("estate_value", &columns.estate_value),
            ("claims_total", &columns.claims_total),
            ("claims_paid", &columns.claims_paid),
        ] {
            let (values, states) = (&column.fen, &column.state);
            value_and_state(
                prefix,
                values,
                0i64,
                states,
                &wants,
                &rows,
                &mut frame_columns,
            );
        }
        DataFrame::new(height, frame_columns).map_err(|e| computing("building the case frame", e))
    }
}
