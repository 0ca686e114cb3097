//! The compact column types every kept case's values are stored in: a day code per date cell,
//! dictionary codes, one-byte codes and amounts, each with the state of its cell (read, empty or
//! unreadable), and the sparse columns that take no memory until an input has them.

use crate::model::calendar::{DayNumber, Timestamp};

/// Which cases a chunk handed to the indicators holds: every case of a range, or only the listed
/// ones (the cases of an indicator's case set, when they are few).
#[derive(Debug, Clone)]
pub enum Rows<'r> {
    /// Cases `start..end`.
    Range(std::ops::Range<usize>),
    /// These cases, in ascending order.
    Listed(&'r [u32]),
}

impl Rows<'_> {
    /// Number of cases.
    pub fn len(&self) -> usize {
        match self {
            Rows::Range(range) => range.len(),
            Rows::Listed(rows) => rows.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `values` of these cases.
    pub fn gather<T: Copy>(&self, values: &[T]) -> Vec<T> {
        match self {
            Rows::Range(range) => values[range.clone()].to_vec(),
            Rows::Listed(rows) => rows.iter().map(|&row| values[row as usize]).collect(),
        }
    }

    /// `value(row)` of each of these cases.
    pub fn map<T>(&self, value: impl FnMut(usize) -> T) -> Vec<T> {
        match self {
            Rows::Range(range) => range.clone().map(value).collect(),
            Rows::Listed(rows) => rows.iter().map(|&row| row as usize).map(value).collect(),
        }
    }
}

/// Whether a cell held a usable value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ValueState {
    /// The value was read.
    Present = 0,
    /// The cell was empty (or the column absent).
    Missing = 1,
    /// The cell held something that could not be read.
    Invalid = 2,
}

impl ValueState {
    /// The state written as `state as u8`.
    pub fn from_code(code: u8) -> ValueState {
        match code {
            0 => ValueState::Present,
            1 => ValueState::Missing,
            _ => ValueState::Invalid,
        }
    }
}

/// First day a two-byte day code can hold: 1950-01-01, the default earliest plausible date.
const NARROW_FIRST: DayNumber = -7305;
/// Two-byte day code of a cell that could not be read.
const NARROW_INVALID: u16 = u16::MAX - 1;
/// Two-byte day code of an empty cell.
const NARROW_MISSING: u16 = u16::MAX;
/// Four-byte day code of a cell that could not be read.
const WIDE_INVALID: i32 = i32::MIN + 1;
/// Four-byte day code of an empty cell.
const WIDE_MISSING: i32 = i32::MIN;

/// The day of each cell of a date column, and whether it was read, in one code per cell: two
/// bytes (days since 1950-01-01, the top two codes meaning invalid and missing) while every day
/// read lies before 2129-06, which is nearly always (the default plausible range ends in 2099);
/// four bytes for good once one does not.
#[derive(Debug, Clone, PartialEq)]
enum DayCodes {
    Narrow(Vec<u16>),
    Wide(Vec<i32>),
}

impl Default for DayCodes {
    fn default() -> Self {
        DayCodes::Narrow(Vec::new())
    }
}

impl DayCodes {
    fn len(&self) -> usize {
        match self {
            DayCodes::Narrow(codes) => codes.len(),
            DayCodes::Wide(codes) => codes.len(),
        }
    }

    fn reserve(&mut self, additional: usize) {
        match self {
            DayCodes::Narrow(codes) => codes.reserve(additional),
            DayCodes::Wide(codes) => codes.reserve(additional),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            DayCodes::Narrow(codes) => codes.truncate(len),
            DayCodes::Wide(codes) => codes.truncate(len),
        }
    }

    /// The day (0 unless read) and `ValueState` of cell `row`.
    fn get(&self, row: usize) -> (DayNumber, u8) {
        match self {
            DayCodes::Narrow(codes) => match codes[row] {
                NARROW_MISSING => (0, ValueState::Missing as u8),
                NARROW_INVALID => (0, ValueState::Invalid as u8),
                code => (
                    NARROW_FIRST + DayNumber::from(code),
                    ValueState::Present as u8,
                ),
            },
            DayCodes::Wide(codes) => match codes[row] {
                WIDE_MISSING => (0, ValueState::Missing as u8),
                WIDE_INVALID => (0, ValueState::Invalid as u8),
                day => (day, ValueState::Present as u8),
            },
        }
    }

    /// Append a cell: `day` when `state` is `Present`.
    fn push(&mut self, day: DayNumber, state: ValueState) {
        if let DayCodes::Narrow(codes) = self {
            let code = match state {
                ValueState::Missing => Some(NARROW_MISSING),
                ValueState::Invalid => Some(NARROW_INVALID),
                ValueState::Present => u16::try_from(i64::from(day) - i64::from(NARROW_FIRST))
                    .ok()
                    .filter(|&code| code < NARROW_INVALID),
            };
            match code {
                Some(code) => return codes.push(code),
                None => self.widen(),
            }
        }
        if let DayCodes::Wide(codes) = self {
            codes.push(match state {
                ValueState::Missing => WIDE_MISSING,
                ValueState::Invalid => WIDE_INVALID,
                ValueState::Present => day,
            });
        }
    }

    fn widen(&mut self) {
        if let DayCodes::Narrow(codes) = self {
            let wide = codes
                .iter()
                .map(|&code| match code {
                    NARROW_MISSING => WIDE_MISSING,
                    NARROW_INVALID => WIDE_INVALID,
                    code => NARROW_FIRST + DayNumber::from(code),
                })
                .collect();
            *self = DayCodes::Wide(wide);
        }
    }

    /// Append the cells `rows` of `from` (all when `None`).
    fn append(&mut self, from: &DayCodes, rows: Option<&[u32]>) {
        match (&mut *self, from) {
            (DayCodes::Narrow(to), DayCodes::Narrow(from)) => append_values(to, from, rows),
            (DayCodes::Wide(to), DayCodes::Wide(from)) => append_values(to, from, rows),
            _ => {
                let count = rows.map_or(from.len(), <[u32]>::len);
                self.reserve(count);
                for position in 0..count {
                    let row = rows.map_or(position, |rows| rows[position] as usize);
                    let (day, state) = from.get(row);
                    self.push(day, ValueState::from_code(state));
                }
            }
        }
    }

    /// `count` missing cells.
    fn push_missing(&mut self, count: usize) {
        match self {
            DayCodes::Narrow(codes) => codes.resize(codes.len() + count, NARROW_MISSING),
            DayCodes::Wide(codes) => codes.resize(codes.len() + count, WIDE_MISSING),
        }
    }
}

/// A date field of every case: the day and whether it was read, and the time of day where an
/// indicator uses it (filing review measures hours).
#[derive(Debug, Clone, Default)]
pub struct DateColumn {
    days: DayCodes,
    /// Minute of the day plus one, 0 when the cell carried no time; empty for a date-only field.
    minutes: Vec<u16>,
    /// Second of the minute; empty (every second 0) until a time with seconds is read, as most
    /// exports write times to the minute.
    seconds: Vec<u8>,
    /// Whether times of day are kept.
    keeps_time: bool,
}

/// Two columns are equal when they hold the same cells, however they are stored (two or four
/// bytes a day; seconds kept or all 0).
impl PartialEq for DateColumn {
    fn eq(&self, other: &Self) -> bool {
        self.keeps_time == other.keeps_time
            && self.len() == other.len()
            && (0..self.len()).all(|row| {
                self.days.get(row) == other.days.get(row) && self.seconds(row) == other.seconds(row)
            })
    }
}

impl DateColumn {
    /// A column that keeps times of day.
    pub fn with_time() -> Self {
        DateColumn {
            keeps_time: true,
            ..DateColumn::default()
        }
    }

    /// A column that keeps dates only.
    pub fn date_only() -> Self {
        DateColumn::default()
    }

    /// Number of cells (0 for a sparse column no input had).
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Make room for `additional` more cells.
    pub fn reserve(&mut self, additional: usize) {
        self.days.reserve(additional);
        if self.keeps_time {
            self.minutes.reserve(additional);
        }
    }

    /// Append one cell's result.
    pub fn push(&mut self, value: Option<Timestamp>, state: ValueState) {
        let value = value.filter(|_| state == ValueState::Present);
        let state = if value.is_some() {
            state
        } else if state == ValueState::Present {
            ValueState::Missing
        } else {
            state
        };
        if self.keeps_time {
            let seconds = value.and_then(|t| t.seconds);
            self.minutes
                .push(seconds.map_or(0, |s| (s / 60 + 1) as u16));
            let second = seconds.map_or(0, |s| (s % 60) as u8);
            if second != 0 || !self.seconds.is_empty() {
                // The first second other than 0: the cells before it had 0.
                self.seconds.resize(self.days.len(), 0);
                self.seconds.push(second);
            }
        }
        self.days.push(value.map_or(0, |t| t.day), state);
    }

    /// The `ValueState` of cell `row`, as `u8`.
    pub fn state(&self, row: usize) -> u8 {
        self.days.get(row).1
    }

    /// The day of cell `row`; 0 unless its state is `Present`.
    pub fn day(&self, row: usize) -> DayNumber {
        self.days.get(row).0
    }

    /// Seconds since midnight of cell `row`, or -1 when it carried no time (or times are not
    /// kept).
    pub fn seconds(&self, row: usize) -> i32 {
        match self.minutes.get(row) {
            Some(&minute) if minute > 0 => {
                let second = self.seconds.get(row).copied().unwrap_or(0);
                (i32::from(minute) - 1) * 60 + i32::from(second)
            }
            _ => -1,
        }
    }

    /// Days, states and (when kept) seconds of the cells `rows`, as the polars columns
    /// `{event}_day`, `{event}_state` and `{event}_sec`.
    pub fn unpack(&self, rows: &Rows<'_>) -> (Vec<DayNumber>, Vec<u8>, Vec<i32>) {
        match rows {
            Rows::Range(range) => self.unpack_range(range.clone()),
            Rows::Listed(listed) => {
                let (days, states) = listed
                    .iter()
                    .map(|&row| self.days.get(row as usize))
                    .unzip();
                let seconds = match self.keeps_time {
                    true => rows.map(|row| self.seconds(row)),
                    false => Vec::new(),
                };
                (days, states, seconds)
            }
        }
    }

    /// `unpack` of a range of cells, reading the codes in order.
    fn unpack_range(&self, rows: std::ops::Range<usize>) -> (Vec<DayNumber>, Vec<u8>, Vec<i32>) {
        let (days, states) = match &self.days {
            DayCodes::Narrow(codes) => codes[rows.clone()]
                .iter()
                .map(|&code| match code {
                    NARROW_MISSING => (0, ValueState::Missing as u8),
                    NARROW_INVALID => (0, ValueState::Invalid as u8),
                    code => (
                        NARROW_FIRST + DayNumber::from(code),
                        ValueState::Present as u8,
                    ),
                })
                .unzip(),
            DayCodes::Wide(_) => rows.clone().map(|row| self.days.get(row)).unzip(),
        };
        let seconds = if !self.keeps_time {
            Vec::new()
        } else if self.seconds.is_empty() {
            self.minutes[rows]
                .iter()
                .map(|&minute| match minute {
                    0 => -1,
                    minute => (i32::from(minute) - 1) * 60,
                })
                .collect()
        } else {
            rows.map(|row| self.seconds(row)).collect()
        };
        (days, states, seconds)
    }

    /// Append the cells `rows` of `other` (all of them when `rows` is `None`).
    pub fn append(&mut self, other: &DateColumn, rows: Option<&[u32]>) {
        let added = rows.map_or(other.len(), <[u32]>::len);
        let before = self.len();
        self.days.append(&other.days, rows);
        if self.keeps_time {
            append_values(&mut self.minutes, &other.minutes, rows);
            append_sparse(&mut self.seconds, &other.seconds, rows, before, added, 0);
        }
    }

    /// Keep the first `len` cells.
    pub fn truncate(&mut self, len: usize) {
        self.days.truncate(len);
        self.minutes.truncate(len);
        self.seconds.truncate(len);
    }

    /// Append to a sparse date-only column (see `append_sparse`).
    pub fn append_sparse(
        &mut self,
        other: &DateColumn,
        rows: Option<&[u32]>,
        len_before: usize,
        added: usize,
    ) {
        if other.is_empty() {
            if !self.is_empty() {
                self.days.push_missing(len_before + added - self.len());
            }
            return;
        }
        if self.is_empty() {
            self.days.push_missing(len_before);
        }
        self.days.append(&other.days, rows);
    }
}

/// A one-byte value per case (a yes/no flag, a judgment/ruling code) and whether each cell was
/// usable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeColumn {
    /// The value; 0 where the state is not `Present`.
    pub value: Vec<u8>,
    /// `ValueState` of each cell, as `u8`.
    pub state: Vec<u8>,
}

/// An amount of money per case, in whole fen (分, 0.01 yuan), so that sums are exact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AmountColumn {
    /// Fen; 0 where the state is not `Present`.
    pub fen: Vec<i64>,
    /// `ValueState` of each cell, as `u8`.
    pub state: Vec<u8>,
}

/// The two-vector columns (a value and its state) share reserving, appending and truncating.
macro_rules! value_and_state {
    ($column:ty, $values:ident, $value:ty) => {
        impl $column {
            /// Make room for `additional` more cells.
            pub fn reserve(&mut self, additional: usize) {
                self.$values.reserve(additional);
                self.state.reserve(additional);
            }

            /// Append one cell.
            pub fn push(&mut self, value: $value, state: ValueState) {
                self.$values.push(value);
                self.state.push(state as u8);
            }

            /// Append the cells `rows` of `other` (all of them when `rows` is `None`).
            pub fn append(&mut self, other: &Self, rows: Option<&[u32]>) {
                append_values(&mut self.$values, &other.$values, rows);
                append_values(&mut self.state, &other.state, rows);
            }

            /// Keep the first `len` cells.
            pub fn truncate(&mut self, len: usize) {
                self.$values.truncate(len);
                self.state.truncate(len);
            }

            /// Append as `append` does, to a sparse column (see `append_sparse`) that held
            /// `len_before` cases, `added` of them being appended.
            pub fn append_sparse(
                &mut self,
                other: &Self,
                rows: Option<&[u32]>,
                len_before: usize,
                added: usize,
            ) {
                let missing = ValueState::Missing as u8;
                append_sparse(
                    &mut self.$values,
                    &other.$values,
                    rows,
                    len_before,
                    added,
                    0,
                );
                append_sparse(
                    &mut self.state,
                    &other.state,
                    rows,
                    len_before,
                    added,
                    missing,
                );
            }
        }
    };
}

value_and_state!(CodeColumn, value, u8);
value_and_state!(AmountColumn, fen, i64);

/// Code of `appeal_against` for an appeal against a judgment (判决), or one not stated.
pub const AGAINST_JUDGMENT: u8 = 1;
/// Code of `appeal_against` for an appeal against a ruling (裁定).
pub const AGAINST_RULING: u8 = 2;

/// `type_flags` bit: an intellectual-property case (type code starting with 知: 知民初, 知民终 …).
pub const TYPE_IP: u8 = 1;
/// `type_flags` bit: a bankruptcy application under review (破申), not a bankruptcy case (破).
pub const TYPE_BANKRUPTCY_APPLICATION: u8 = 2;

/// Append to a sparse column: one that stays empty (every cell missing) until an input has the
/// column, so that exports without the further plan columns spend no memory on them. `to` held
/// `len_before` cases and `added` are appended; an empty `from` adds `fill` cells to a column
/// that is already filled, and a first non-empty `from` fills the earlier cases with `fill`.
fn append_sparse<T: Copy>(
    to: &mut Vec<T>,
    from: &[T],
    rows: Option<&[u32]>,
    len_before: usize,
    added: usize,
    fill: T,
) {
    if from.is_empty() {
        if !to.is_empty() {
            to.resize(len_before + added, fill);
        }
        return;
    }
    if to.is_empty() {
        to.resize(len_before, fill);
    }
    append_values(to, from, rows);
}

/// Append `from[rows]` (or all of `from`) to `to`.
pub(crate) fn append_values<T: Copy>(to: &mut Vec<T>, from: &[T], rows: Option<&[u32]>) {
    match rows {
        None => to.extend_from_slice(from),
        Some(rows) => to.extend(rows.iter().map(|&row| from[row as usize])),
    }
}

/// Dictionary codes of one column (court, cause, department, judge): two bytes each while every
/// code fits, which is nearly always (a province has a few hundred courts and causes), widened to
/// four bytes for good once one does not.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeVec {
    /// Every code below 65,536.
    Narrow(Vec<u16>),
    /// Some code above.
    Wide(Vec<u32>),
}

impl Default for CodeVec {
    fn default() -> Self {
        CodeVec::Narrow(Vec::new())
    }
}

impl CodeVec {
    /// Append a code.
    pub fn push(&mut self, code: u32) {
        if let CodeVec::Narrow(codes) = self {
            match u16::try_from(code) {
                Ok(code) => return codes.push(code),
                Err(_) => self.widen(),
            }
        }
        if let CodeVec::Wide(codes) = self {
            codes.push(code);
        }
    }

    /// The code of case `index`.
    pub fn get(&self, index: usize) -> u32 {
        match self {
            CodeVec::Narrow(codes) => u32::from(codes[index]),
            CodeVec::Wide(codes) => codes[index],
        }
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        match self {
            CodeVec::Narrow(codes) => codes.len(),
            CodeVec::Wide(codes) => codes.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn widen(&mut self) {
        if let CodeVec::Narrow(codes) = self {
            *self = CodeVec::Wide(codes.iter().map(|&code| u32::from(code)).collect());
        }
    }

    /// Make room for `additional` more codes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        match self {
            CodeVec::Narrow(codes) => codes.reserve(additional),
            CodeVec::Wide(codes) => codes.reserve(additional),
        }
    }

    /// Keep the first `len` codes.
    pub(crate) fn truncate(&mut self, len: usize) {
        match self {
            CodeVec::Narrow(codes) => codes.truncate(len),
            CodeVec::Wide(codes) => codes.truncate(len),
        }
    }

    /// Append the codes `rows` of `from` (all when `None`), each translated through `remap`.
    pub(crate) fn append(&mut self, from: &CodeVec, rows: Option<&[u32]>, remap: &[u32]) {
        let count = rows.map_or(from.len(), <[u32]>::len);
        self.reserve(count);
        for position in 0..count {
            let row = rows.map_or(position, |rows| rows[position] as usize);
            self.push(remap[from.get(row) as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stay_two_bytes_until_one_does_not_fit() {
        let mut codes = CodeVec::default();
        codes.push(7);
        codes.push(65_535);
        assert!(matches!(codes, CodeVec::Narrow(_)));
        codes.push(65_536);
        assert!(matches!(codes, CodeVec::Wide(_)));
        assert_eq!(
            (0..3).map(|i| codes.get(i)).collect::<Vec<_>>(),
            [7, 65_535, 65_536]
        );
        // Block codes 7 and 65,536 are run codes 3 and 70,000: the merged column widens.
        let mut remap = vec![0; 65_537];
        remap[7] = 3;
        remap[65_536] = 70_000;
        let mut merged = CodeVec::default();
        merged.append(&codes, Some(&[0, 2]), &remap);
        assert_eq!(
            (0..2).map(|i| merged.get(i)).collect::<Vec<_>>(),
            [3, 70_000]
        );
    }

    #[test]
    fn a_sparse_column_stays_empty_until_an_input_has_it_then_covers_every_case() {
        let missing = ValueState::Missing as u8;
        let mut column = AmountColumn::default();
        let empty = AmountColumn::default();
        column.append_sparse(&empty, None, 0, 2);
        assert!(column.fen.is_empty());
        let mut filled = AmountColumn::default();
        filled.push(5, ValueState::Present);
        filled.push(7, ValueState::Present);
        filled.push(9, ValueState::Present);
        // the 2 cases before have no such column; of the 3 appended, rows 0 and 2 are kept
        column.append_sparse(&filled, Some(&[0, 2]), 2, 2);
        assert_eq!(column.fen, [0, 0, 5, 9]);
        column.append_sparse(&empty, None, 4, 1);
        assert_eq!(column.fen, [0, 0, 5, 9, 0]);
        assert_eq!(column.state, [missing, missing, 0, 0, missing]);
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    fn at(day: DayNumber, seconds: Option<u32>) -> Option<Timestamp> {
        Some(Timestamp { day, seconds })
    }

    #[test]
    fn seconds_survive_merging_blocks() {
        let mut first = DateColumn::with_time();
        first.push(at(18_000, Some(3_600)), ValueState::Present);
        let mut second = DateColumn::with_time();
        second.push(at(18_001, Some(3_637)), ValueState::Present);
        second.push(None, ValueState::Missing);
        let mut table = DateColumn::with_time();
        table.append(&first, None);
        table.append(&second, None);
        table.append(&first, Some(&[0]));
        assert_eq!(
            (0..4)
                .map(|row| (table.day(row), table.seconds(row), table.state(row)))
                .collect::<Vec<_>>(),
            [
                (18_000, 3_600, 0),
                (18_001, 3_637, 0),
                (0, -1, 1),
                (18_000, 3_600, 0)
            ]
        );
    }
}
