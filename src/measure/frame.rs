//! The one boundary between the compact case columns and polars: a chunk of cases handed to the
//! engine as typed columns.

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::model::cases::{CaseColumns, CaseKind, CodeVec, Rows, ValueState};
use crate::model::fields::{AmountField, CodeField, DateField, Field, LabelField};

const MISSING: u8 = ValueState::Missing as u8;

/// A polars column that takes over `values` without copying them (`Column::new` would copy).
pub(crate) fn owned<T: NumericNative>(name: &str, values: Vec<T>) -> Column
where
    Series: NamedFromOwned<Vec<T>>,
{
    Series::from_vec(name.into(), values).into_column()
}

/// A column of the case frame handed to polars: each names one stored value of the field table
/// (or of a case's kind), so the engine asks for columns by type and the frame builds exactly
/// those. A column that is asked for always exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum CaseColumn {
    /// `procedure_code` of the case.
    Procedure,
    /// `court_level_code` of the case.
    CourtLevel,
    /// `TYPE_IP`, `TYPE_BANKRUPTCY_APPLICATION` bits.
    TypeFlags,
    /// Whether the case is in the report's scope.
    InScope,
    /// Dictionary code of a label field.
    Label(LabelField),
    /// Day number of a date field (0 unless read).
    Day(DateField),
    /// `ValueState` of a date field.
    DateState(DateField),
    /// Seconds since midnight of a date field that keeps times, -1 without a time.
    Seconds(DateField),
    /// Days deducted (0 unless read).
    Deducted,
    /// `ValueState` of the deduction.
    DeductedState,
    /// A code field's value (0 unless read).
    Code(CodeField),
    /// `ValueState` of a code field.
    CodeState(CodeField),
    /// An amount field's fen (0 unless read).
    Amount(AmountField),
    /// `ValueState` of an amount field.
    AmountState(AmountField),
}

impl CaseColumn {
    /// The column's name in polars expressions.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CaseColumn::Procedure => "procedure",
            CaseColumn::CourtLevel => "court_level",
            CaseColumn::TypeFlags => "type_flags",
            CaseColumn::InScope => "in_scope",
            CaseColumn::Label(field) => field.field().id(),
            CaseColumn::Day(field) => date_names(field)[0],
            CaseColumn::DateState(field) => date_names(field)[1],
            CaseColumn::Seconds(field) => date_names(field)[2],
            CaseColumn::Deducted => "deducted",
            CaseColumn::DeductedState => "deducted_state",
            CaseColumn::Code(field) => value_names(field.field())[0],
            CaseColumn::CodeState(field) => value_names(field.field())[1],
            CaseColumn::Amount(field) => value_names(field.field())[0],
            CaseColumn::AmountState(field) => value_names(field.field())[1],
        }
    }

    /// The column as a polars expression.
    pub(crate) fn expr(self) -> Expr {
        col(self.name())
    }
}

/// Day, state and seconds column names of a date field. The row's own 上诉状收到日期 is
/// `own_appeal`: the engine resolves the date an appeal is measured from (own row, else its
/// first-instance row) into `appeal`.
fn date_names(field: DateField) -> [&'static str; 3] {
    match field {
        DateField::Received => ["received_day", "received_state", "received_sec"],
        DateField::Filed => ["filed_day", "filed_state", "filed_sec"],
        DateField::Closed => ["closed_day", "closed_state", "closed_sec"],
        DateField::AppealReceived => ["own_appeal_day", "own_appeal_state", "own_appeal_sec"],
        DateField::InForce => ["in_force_day", "in_force_state", "in_force_sec"],
        DateField::FundsReceived => [
            "funds_received_day",
            "funds_received_state",
            "funds_received_sec",
        ],
        DateField::FundsPaid => ["funds_paid_day", "funds_paid_state", "funds_paid_sec"],
    }
}

/// Value and state column names of a code or amount field.
fn value_names(field: Field) -> [&'static str; 2] {
    match field {
        Field::AppealAgainst => ["appeal_against_value", "appeal_against_state"],
        Field::JudgmentOnline => ["judgment_online_value", "judgment_online_state"],
        Field::TrialStreamed => ["trial_streamed_value", "trial_streamed_state"],
        Field::BankruptcyCosts => ["bankruptcy_costs_value", "bankruptcy_costs_state"],
        Field::EstateValue => ["estate_value_value", "estate_value_state"],
        Field::ClaimsTotal => ["claims_total_value", "claims_total_state"],
        _ => ["claims_paid_value", "claims_paid_state"],
    }
}

/// Dictionary codes `rows` of one column: 16-bit or 32-bit as the codes need.
fn codes(name: &str, values: &CodeVec, rows: &Rows<'_>) -> Column {
    match values {
        CodeVec::Narrow(values) => owned(name, rows.gather(values)),
        CodeVec::Wide(values) => owned(name, rows.gather(values)),
    }
}

/// Cells `rows` of a sparse column (see `CaseColumns`), or `fill` repeated as one scalar (no
/// memory per case) when no input had the column.
fn sparse<T: NumericNative + Into<Scalar>>(
    name: &str,
    values: &[T],
    fill: T,
    rows: &Rows<'_>,
) -> Column
where
    Series: NamedFromOwned<Vec<T>>,
{
    if values.is_empty() {
        Column::new_scalar(name.into(), fill.into(), rows.len())
    } else {
        owned(name, rows.gather(values))
    }
}

/// Every kept case's values, for the indicators: held compactly (see `CaseColumns`) and handed
/// to polars a chunk of rows at a time, as the typed columns the engine asks for.
#[derive(Debug, Clone)]
pub struct CaseFrame {
    pub(crate) columns: CaseColumns,
}

impl CaseFrame {
    /// Take over the cases' columns.
    pub fn new(columns: CaseColumns) -> CaseFrame {
        CaseFrame { columns }
    }

    /// Number of cases.
    pub fn height(&self) -> usize {
        self.columns.len()
    }

    /// The polars frame of cases `rows`, with the columns `wanted` (row numbers and calendar keys
    /// are added to each chunk by the engine).
    pub(crate) fn chunk(&self, rows: &Rows<'_>, wanted: &[CaseColumn]) -> Result<DataFrame> {
        let mut frame_columns = Vec::with_capacity(wanted.len());
        for field in DateField::ALL {
            self.date_columns(field, rows, wanted, &mut frame_columns);
        }
        for &column in wanted {
            if let Some(built) = self.column(column, rows) {
                frame_columns.push(built);
            }
        }
        DataFrame::new(rows.len(), frame_columns)
            .map_err(|e| computing("building the case frame", e))
    }

    /// One wanted column that is not a date's; `None` for a date's (see `date_columns`).
    fn column(&self, column: CaseColumn, rows: &Rows<'_>) -> Option<Column> {
        let columns = &self.columns;
        let name = column.name();
        let kind = |field: fn(CaseKind) -> u8| owned(name, columns.unpack_kind(rows, field));
        Some(match column {
            CaseColumn::Procedure => kind(CaseKind::procedure),
            CaseColumn::CourtLevel => kind(CaseKind::court_level),
            CaseColumn::TypeFlags => kind(CaseKind::type_flags),
            CaseColumn::InScope => {
                Column::new(name.into(), columns.unpack_kind(rows, CaseKind::in_scope))
            }
            CaseColumn::Label(field) => codes(name, columns.label(field), rows),
            CaseColumn::Day(_) | CaseColumn::DateState(_) | CaseColumn::Seconds(_) => return None,
            CaseColumn::Deducted => owned(name, rows.map(|row| columns.deducted_days(row))),
            CaseColumn::DeductedState => owned(name, rows.map(|row| columns.deducted_state(row))),
            CaseColumn::Code(field) => sparse(name, &columns.code(field).value, 0u8, rows),
            CaseColumn::CodeState(field) => sparse(name, &columns.code(field).state, MISSING, rows),
            CaseColumn::Amount(field) => sparse(name, &columns.amount(field).fen, 0i64, rows),
            CaseColumn::AmountState(field) => {
                sparse(name, &columns.amount(field).state, MISSING, rows)
            }
        })
    }

    /// The wanted day, state and seconds columns of one date field, unpacked together.
    fn date_columns(
        &self,
        field: DateField,
        rows: &Rows<'_>,
        wanted: &[CaseColumn],
        frame_columns: &mut Vec<Column>,
    ) {
        let [day, state, seconds] = [
            CaseColumn::Day(field),
            CaseColumn::DateState(field),
            CaseColumn::Seconds(field),
        ]
        .map(|column| wanted.contains(&column).then_some(column.name()));
        if day.is_none() && state.is_none() && seconds.is_none() {
            return;
        }
        let dates = self.columns.date(field);
        let height = rows.len();
        if dates.is_empty() {
            // A sparse column no input had, or no case at all: every cell missing.
            let missing: [(Option<&str>, Scalar); 3] = [
                (day, 0i32.into()),
                (state, MISSING.into()),
                (seconds, (-1i32).into()),
            ];
            for (name, fill) in missing {
                if let Some(name) = name {
                    frame_columns.push(Column::new_scalar(name.into(), fill, height));
                }
            }
            return;
        }
        let (days, states, second_values) = dates.unpack(rows);
        if let Some(name) = day {
            frame_columns.push(owned(name, days));
        }
        if let Some(name) = state {
            frame_columns.push(owned(name, states));
        }
        if let Some(name) = seconds {
            frame_columns.push(match field.keeps_time() {
                true => owned(name, second_values),
                false => Column::new_scalar(name.into(), (-1i32).into(), height),
            });
        }
    }
}
