//! Checked case records held as compact typed columns: one entry per kept case, dates as day
//! numbers, courts/causes/departments/judges as dictionary codes. The input layer fills it; the
//! indicators read it and never see raw text.

use crate::model::fields::{AmountField, CodeField, DateField, LabelField};
use crate::read::case_number::{CourtLevel, Procedure};

use crate::model::columns::append_values;
pub use crate::model::columns::{
    AGAINST_JUDGMENT, AGAINST_RULING, AmountColumn, CodeColumn, CodeVec, DateColumn, Rows,
    TYPE_BANKRUPTCY_APPLICATION, TYPE_IP, ValueState,
};
pub use crate::model::register::{Dictionary, NO_ROW, Register, ScopeRule, Source};

/// Code of a court level in the `court_level` column: 0 unknown, then `CourtLevel` order.
pub fn court_level_code(level: Option<CourtLevel>) -> u8 {
    match level {
        None => 0,
        Some(CourtLevel::High) => 1,
        Some(CourtLevel::Intermediate) => 2,
        Some(CourtLevel::Basic) => 3,
    }
}

/// The court level of a code written by `court_level_code`.
pub fn court_level_of_code(code: u8) -> Option<CourtLevel> {
    match code {
        1 => Some(CourtLevel::High),
        2 => Some(CourtLevel::Intermediate),
        3 => Some(CourtLevel::Basic),
        _ => None,
    }
}

/// Code of a procedure in the `procedure` column: its position in `Procedure::ALL`.
pub fn procedure_code(procedure: Procedure) -> u8 {
    Procedure::ALL
        .iter()
        .position(|p| *p == procedure)
        .unwrap_or(Procedure::ALL.len() - 1) as u8
}

/// The typed values of every kept case that the indicators are computed from, column by column;
/// one column per field of the field table (`model::fields::FIELDS`) that the indicators read.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseColumns {
    /// Each case's procedure, trial track, court level, scope and type flags, packed into two
    /// bytes (see `KIND_*`); read them with `procedure`, `track`, `court_level`, `in_scope` and
    /// `type_flags`.
    kind: Vec<u16>,
    /// Dictionary codes of each label field, in `LabelField::ALL` order (labels in the
    /// `Register`'s dictionaries).
    labels: [CodeVec; LabelField::ALL.len()],
    /// Each date field, in `DateField::ALL` order. The sparse ones (`DateField::is_sparse`) stay
    /// empty while no input has the column.
    dates: [DateColumn; DateField::ALL.len()],
    /// 扣除审限天数: the days (≥ 0), or `DEDUCTION_MISSING` / `DEDUCTION_INVALID`; read with
    /// `deducted_days` and `deducted_state`.
    deducted: Vec<i32>,
    /// Appeals linked to their first-instance case: (appeal's row, first-instance row), in row
    /// order. Only appeals have one, so pairs take the place of a row per case.
    first_instance: Vec<(u32, u32)>,
    /// Each code field, in `CodeField::ALL` order (上诉对象: `AGAINST_JUDGMENT` or
    /// `AGAINST_RULING`; yes/no flags: 1 yes, 0 no). Sparse: empty while no input has the column.
    codes: [CodeColumn; CodeField::ALL.len()],
    /// Each amount field, in `AmountField::ALL` order. Sparse.
    amounts: [AmountColumn; AmountField::ALL.len()],
}

impl Default for CaseColumns {
    fn default() -> Self {
        CaseColumns {
            kind: Vec::new(),
            labels: Default::default(),
            dates: DateField::ALL.map(|field| match field.keeps_time() {
                true => DateColumn::with_time(),
                false => DateColumn::date_only(),
            }),
            deducted: Vec::new(),
            first_instance: Vec::new(),
            codes: Default::default(),
            amounts: Default::default(),
        }
    }
}

impl CaseColumns {
    /// The dictionary codes of a label field.
    pub fn label(&self, field: LabelField) -> &CodeVec {
        &self.labels[field as usize]
    }

    /// The dictionary codes of a label field, to append to.
    pub fn label_mut(&mut self, field: LabelField) -> &mut CodeVec {
        &mut self.labels[field as usize]
    }

    /// A date field's column.
    pub fn date(&self, field: DateField) -> &DateColumn {
        &self.dates[field as usize]
    }

    /// A date field's column, to append to.
    pub fn date_mut(&mut self, field: DateField) -> &mut DateColumn {
        &mut self.dates[field as usize]
    }

    /// A code field's column (empty when no input had it).
    pub fn code(&self, field: CodeField) -> &CodeColumn {
        &self.codes[field as usize]
    }

    /// A code field's column, to append to.
    pub fn code_mut(&mut self, field: CodeField) -> &mut CodeColumn {
        &mut self.codes[field as usize]
    }

    /// An amount field's column (empty when no input had it).
    pub fn amount(&self, field: AmountField) -> &AmountColumn {
        &self.amounts[field as usize]
    }

    /// An amount field's column, to append to.
    pub fn amount_mut(&mut self, field: AmountField) -> &mut AmountColumn {
        &mut self.amounts[field as usize]
    }
}

/// `kind` bits of the procedure code.
const KIND_PROCEDURE: u16 = 0b111;
/// `kind` bits of the trial track, shifted by 3.
const KIND_TRACK_SHIFT: u16 = 3;
/// `kind` bits of the court level code, shifted by 5.
const KIND_LEVEL_SHIFT: u16 = 5;
/// `kind` bit: the case is in the report's scope.
const KIND_IN_SCOPE: u16 = 1 << 7;
/// `kind` bits of the type flags, shifted by 8.
const KIND_TYPE_SHIFT: u16 = 8;

/// A case's procedure, trial track, court level, scope and type flags, as packed in two bytes.
#[derive(Debug, Clone, Copy)]
pub struct CaseKind(u16);

impl CaseKind {
    /// `procedure_code`.
    pub fn procedure(self) -> u8 {
        (self.0 & KIND_PROCEDURE) as u8
    }

    /// `TrialTrack as u8`.
    pub fn track(self) -> u8 {
        ((self.0 >> KIND_TRACK_SHIFT) & 0b11) as u8
    }

    /// `court_level_code`.
    pub fn court_level(self) -> u8 {
        ((self.0 >> KIND_LEVEL_SHIFT) & 0b11) as u8
    }

    /// Whether the case is in the report's scope.
    pub fn in_scope(self) -> bool {
        self.0 & KIND_IN_SCOPE != 0
    }

    /// `TYPE_IP`, `TYPE_BANKRUPTCY_APPLICATION` bits.
    pub fn type_flags(self) -> u8 {
        ((self.0 >> KIND_TYPE_SHIFT) & 0b11) as u8
    }
}

/// `deducted` value of an empty deduction cell.
const DEDUCTION_MISSING: i32 = -1;
/// `deducted` value of a deduction cell that could not be read.
const DEDUCTION_INVALID: i32 = -2;

impl CaseColumns {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.kind.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// Append a case's procedure (`procedure_code`), trial track (`TrialTrack as u8`) and court
    /// level (`court_level_code`); its scope and type flags are set by `set_in_scope` and
    /// `set_type_flags`.
    pub fn push_kind(&mut self, procedure: u8, track: u8, court_level: u8) {
        self.kind.push(
            (u16::from(procedure) & KIND_PROCEDURE)
                | (u16::from(track & 0b11) << KIND_TRACK_SHIFT)
                | (u16::from(court_level & 0b11) << KIND_LEVEL_SHIFT),
        );
    }

    /// Set whether the last case pushed is in the report's scope.
    pub fn set_in_scope(&mut self, in_scope: bool) {
        if let Some(kind) = self.kind.last_mut() {
            *kind = (*kind & !KIND_IN_SCOPE) | if in_scope { KIND_IN_SCOPE } else { 0 };
        }
    }

    /// Set the type flags (`TYPE_IP`, `TYPE_BANKRUPTCY_APPLICATION`) of the last case pushed.
    pub fn set_type_flags(&mut self, flags: u8) {
        if let Some(kind) = self.kind.last_mut() {
            *kind =
                (*kind & !(0b11 << KIND_TYPE_SHIFT)) | (u16::from(flags & 0b11) << KIND_TYPE_SHIFT);
        }
    }

    /// One of the `kind` fields of cases `rows`, read by `field` (`CaseKind::procedure`,
    /// `CaseKind::court_level` …).
    pub fn unpack_kind<T>(&self, rows: &Rows<'_>, field: fn(CaseKind) -> T) -> Vec<T> {
        match rows {
            Rows::Range(range) => self.kind[range.clone()]
                .iter()
                .map(|&kind| field(CaseKind(kind)))
                .collect(),
            Rows::Listed(_) => rows.map(|row| field(CaseKind(self.kind[row]))),
        }
    }

    /// `procedure_code` of case `row`.
    pub fn procedure(&self, row: usize) -> u8 {
        CaseKind(self.kind[row]).procedure()
    }

    /// `TrialTrack` of case `row` (`as u8`), when the procedure column names one.
    pub fn track(&self, row: usize) -> u8 {
        CaseKind(self.kind[row]).track()
    }

    /// `court_level_code` of case `row`.
    pub fn court_level(&self, row: usize) -> u8 {
        CaseKind(self.kind[row]).court_level()
    }

    /// Whether case `row` is in the report's scope.
    pub fn in_scope(&self, row: usize) -> bool {
        CaseKind(self.kind[row]).in_scope()
    }

    /// What case `row`'s type code says beyond the procedure: `TYPE_IP`,
    /// `TYPE_BANKRUPTCY_APPLICATION` bits.
    pub fn type_flags(&self, row: usize) -> u8 {
        CaseKind(self.kind[row]).type_flags()
    }

    /// Link appeal `appeal` to its first-instance case `row`; appeals are linked in row order.
    pub fn link_first_instance(&mut self, appeal: u32, row: u32) {
        debug_assert!(
            self.first_instance
                .last()
                .is_none_or(|&(last, _)| last < appeal)
        );
        self.first_instance.push((appeal, row));
    }

    /// Appeals linked to their first-instance case: (appeal's row, first-instance row), in row
    /// order.
    pub fn first_instance_links(&self) -> &[(u32, u32)] {
        &self.first_instance
    }

    /// Append a case's deduction (扣除审限天数): `days` when `state` is `Present`.
    pub fn push_deducted(&mut self, days: i32, state: ValueState) {
        self.deducted.push(match state {
            ValueState::Present => days.max(0),
            ValueState::Missing => DEDUCTION_MISSING,
            ValueState::Invalid => DEDUCTION_INVALID,
        });
    }

    /// Days deducted from case `row`'s period (0 when missing or invalid).
    pub fn deducted_days(&self, row: usize) -> i32 {
        self.deducted[row].max(0)
    }

    /// `ValueState` of case `row`'s deduction, as `u8`.
    pub fn deducted_state(&self, row: usize) -> u8 {
        match self.deducted[row] {
            DEDUCTION_MISSING => ValueState::Missing as u8,
            DEDUCTION_INVALID => ValueState::Invalid as u8,
            _ => ValueState::Present as u8,
        }
    }

    /// Cases none of whose dates (received, filed, closed, appeal received) could be read: they
    /// can enter no indicator.
    pub fn rows_without_any_date(&self) -> u64 {
        (0..self.len())
            .filter(|&row| !self.has_any_date(row))
            .count() as u64
    }

    /// Whether any of case `row`'s dates (received, filed, closed, appeal received) was read.
    pub fn has_any_date(&self, row: usize) -> bool {
        let present = ValueState::Present as u8;
        [
            DateField::Received,
            DateField::Filed,
            DateField::Closed,
            DateField::AppealReceived,
        ]
        .into_iter()
        .any(|field| self.date(field).state(row) == present)
    }

    /// Make room for `additional` more cases, so that long exports do not leave the columns a
    /// third empty after their last doubling.
    pub fn reserve(&mut self, additional: usize) {
        self.kind.reserve(additional);
        for labels in &mut self.labels {
            labels.reserve(additional);
        }
        for field in DateField::ALL
            .into_iter()
            .filter(|field| !field.is_sparse())
        {
            self.date_mut(field).reserve(additional);
        }
        self.deducted.reserve(additional);
    }
}

/// How the dictionary codes of a block of cases map into the run's dictionaries.
#[derive(Debug, Clone, Default)]
pub struct CodeRemaps {
    /// Court codes.
    pub courts: Vec<u32>,
    /// Cause codes.
    pub causes: Vec<u32>,
    /// Department codes.
    pub departments: Vec<u32>,
    /// Judge codes.
    pub judges: Vec<u32>,
}

impl CodeRemaps {
    /// The run's code of each of the block's codes of a label field.
    fn of(&self, field: LabelField) -> &[u32] {
        match field {
            LabelField::Court => &self.courts,
            LabelField::Cause => &self.causes,
            LabelField::Department => &self.departments,
            LabelField::Judge => &self.judges,
        }
    }
}

impl CaseColumns {
    /// Append the cases `rows` of `other` (all of them when `rows` is `None`), its dictionary
    /// codes translated through `remaps`. Appeals are linked to first-instance cases later.
    pub fn append(&mut self, other: &CaseColumns, rows: Option<&[u32]>, remaps: &CodeRemaps) {
        append_values(&mut self.kind, &other.kind, rows);
        for field in LabelField::ALL {
            let remap = remaps.of(field);
            self.label_mut(field)
                .append(other.label(field), rows, remap);
        }
        append_values(&mut self.deducted, &other.deducted, rows);
        let added = rows.map_or(other.len(), <[u32]>::len);
        let before = self.len() - added;
        for field in DateField::ALL {
            match field.is_sparse() {
                false => self.date_mut(field).append(other.date(field), rows),
                true => self
                    .date_mut(field)
                    .append_sparse(other.date(field), rows, before, added),
            }
        }
        for field in CodeField::ALL {
            self.code_mut(field)
                .append_sparse(other.code(field), rows, before, added);
        }
        for field in AmountField::ALL {
            self.amount_mut(field)
                .append_sparse(other.amount(field), rows, before, added);
        }
    }

    /// Keep the first `len` cases.
    pub fn truncate(&mut self, len: usize) {
        self.kind.truncate(len);
        for labels in &mut self.labels {
            labels.truncate(len);
        }
        for dates in &mut self.dates {
            dates.truncate(len);
        }
        self.deducted.truncate(len);
        self.first_instance
            .retain(|&(appeal, _)| (appeal as usize) < len);
        for codes in &mut self.codes {
            codes.truncate(len);
        }
        for amounts in &mut self.amounts {
            amounts.truncate(len);
        }
    }
}

/// Every kept case of a run: where it came from, and its values.
#[derive(Debug, Clone, Default)]
pub struct CaseTable {
    /// Files, lines, case numbers and labels.
    pub register: Register,
    /// The values the indicators use.
    pub columns: CaseColumns,
}

impl CaseTable {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.register.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.register.is_empty()
    }
}
