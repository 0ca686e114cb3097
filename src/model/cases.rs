//! Checked case records held as compact typed columns: one entry per kept case, dates as day
//! numbers, courts/causes/departments/judges as dictionary codes. The input layer fills it; the
//! indicators read it and never see raw text.

use std::collections::HashMap;

use crate::model::calendar::{DayNumber, Timestamp};
use crate::read::case_number::{CourtLevel, Procedure};
use crate::read::encoding::TextEncoding;

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

    /// Days, states and (when kept) seconds of the cells `first..first + count`, as the polars
    /// columns `{event}_day`, `{event}_state` and `{event}_sec`.
    pub fn unpack(&self, first: usize, count: usize) -> (Vec<DayNumber>, Vec<u8>, Vec<i32>) {
        let rows = first..first + count;
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
fn append_values<T: Copy>(to: &mut Vec<T>, from: &[T], rows: Option<&[u32]>) {
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

    fn reserve(&mut self, additional: usize) {
        match self {
            CodeVec::Narrow(codes) => codes.reserve(additional),
            CodeVec::Wide(codes) => codes.reserve(additional),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            CodeVec::Narrow(codes) => codes.truncate(len),
            CodeVec::Wide(codes) => codes.truncate(len),
        }
    }

    /// Append the codes `rows` of `from` (all when `None`), each translated through `remap`.
    fn append(&mut self, from: &CodeVec, rows: Option<&[u32]>, remap: &[u32]) {
        let count = rows.map_or(from.len(), <[u32]>::len);
        self.reserve(count);
        for position in 0..count {
            let row = rows.map_or(position, |rows| rows[position] as usize);
            self.push(remap[from.get(row) as usize]);
        }
    }
}

/// Labels (court names, causes …) stored once, referred to by code. Code 0 is the empty label.
#[derive(Debug, Clone)]
pub struct Dictionary {
    labels: Vec<String>,
    codes: HashMap<String, u32, crate::model::case_keys::FixedState>,
}

impl Default for Dictionary {
    fn default() -> Self {
        Dictionary {
            labels: vec![String::new()],
            codes: {
                let mut codes = HashMap::with_hasher(crate::model::case_keys::FixedState);
                codes.insert(String::new(), 0);
                codes
            },
        }
    }
}

impl Dictionary {
    /// The code of `label`, adding it if new.
    pub fn code(&mut self, label: &str) -> u32 {
        if let Some(&code) = self.codes.get(label) {
            return code;
        }
        let code = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.codes.insert(label.to_string(), code);
        code
    }

    /// Every label, by code.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The codes here of every label of `other`, indexed by `other`'s codes (adding new labels).
    pub fn remap(&mut self, other: &Dictionary) -> Vec<u32> {
        other.labels.iter().map(|label| self.code(label)).collect()
    }

    /// Forget the labels from code `len` on.
    pub fn truncate(&mut self, len: usize) {
        for label in self.labels.drain(len.max(1)..) {
            self.codes.remove(&label);
        }
    }

    /// The label of `code` (empty for 0 or an unknown code).
    pub fn label(&self, code: u32) -> &str {
        self.labels.get(code as usize).map_or("", String::as_str)
    }
}

/// How one input decided which cases are business-environment cases (spec §1, "Scope").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRule {
    /// The business flag column (涉营商环境 / 绿标签) is truthy.
    BusinessFlag,
    /// No flag column: the cause (案由) is one of the configured causes.
    CauseList,
    /// Neither a flag column nor a cause list: every case.
    AllNoScopeData,
    /// `--scope all`: every case, whatever the export says.
    AllRequested,
}

impl ScopeRule {
    /// Short id for JSON and CSV.
    pub fn id(&self) -> &'static str {
        match self {
            ScopeRule::BusinessFlag => "business_flag",
            ScopeRule::CauseList => "cause_list",
            ScopeRule::AllNoScopeData => "all",
            ScopeRule::AllRequested => "all_requested",
        }
    }

    /// Sentence for people.
    pub fn describe(&self) -> &'static str {
        match self {
            ScopeRule::BusinessFlag => {
                "business-environment cases: business flag column (涉营商环境) is 是/Y/yes/true/1"
            }
            ScopeRule::CauseList => {
                "business-environment cases: cause (案由) is one of the config's [scope] causes"
            }
            ScopeRule::AllNoScopeData => {
                "all cases: the export has no business flag column and no cause list is configured"
            }
            ScopeRule::AllRequested => "all cases (--scope all)",
        }
    }
}

/// One input file as read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name given on the command line (`-` for standard input).
    pub name: String,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// The encoding it was read in.
    pub encoding: TextEncoding,
    /// The field delimiter.
    pub delimiter: u8,
    /// Line of the header row (1 unless title lines stand above it).
    pub header_line: u64,
    /// How it decided scope.
    pub scope: ScopeRule,
    /// Headers as written, and which field each supplies.
    pub columns: crate::model::fields::ColumnMap,
}

impl Source {
    /// The input as every JSON output names it: path, SHA-256, rows, encoding, delimiter, header
    /// line and scope rule.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "path": self.name,
            "sha256": self.sha256,
            "rows": self.rows,
            "encoding": self.encoding.id(),
            "delimiter": (self.delimiter as char).to_string(),
            "header_line": self.header_line,
            "scope": self.scope.id(),
        })
    }
}

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

/// No row: a block's case row that was not kept (a duplicate or conflicting row), while merging.
pub const NO_ROW: u32 = u32::MAX;

/// Who and where each kept case is: its file, line and case number, and the labels its codes
/// stand for. Row `i` here is row `i` of `CaseColumns`.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// The input files.
    pub sources: Vec<Source>,
    /// The first case of each input file: file `i` holds cases `source_starts[i]` up to the next
    /// file's first (cases are kept file by file, so ranges take the place of a file per case).
    source_starts: Vec<u32>,
    /// Line where each case's row starts in its file.
    pub line: Vec<u32>,
    /// Case numbers (canonical form: half-width brackets, no spaces), 8 bytes each.
    pub case_numbers: crate::model::case_keys::CaseNumbers,
    /// Court names (经办法院), by code.
    pub courts: Dictionary,
    /// Causes (案由), by code.
    pub causes: Dictionary,
    /// Departments (承办部门), by code.
    pub departments: Dictionary,
    /// Judges (承办人), by code.
    pub judges: Dictionary,
}

impl Register {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// The header(s) that supplied `field`, over all inputs, joined by ` / `; `None` when no input
    /// has the field.
    pub fn columns_of(&self, field: crate::model::fields::Field) -> Option<String> {
        let mut names: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.columns.has(field))
            .map(|s| s.columns.header_of(field))
            .collect();
        names.dedup();
        (!names.is_empty()).then(|| names.join(" / "))
    }

    /// The index in `sources` of case `row`'s file.
    pub fn source_of(&self, row: usize) -> usize {
        self.source_starts
            .partition_point(|&first| first as usize <= row)
            .saturating_sub(1)
    }

    /// Note that cases from here on come from file `index` (files are read in order).
    pub fn begin_source(&mut self, index: usize) {
        while self.source_starts.len() <= index {
            self.source_starts.push(self.len() as u32);
        }
    }

    /// Forget the file starts after case `len`, when the cases from `len` on are dropped.
    pub fn truncate_sources(&mut self, len: usize) {
        self.source_starts.retain(|&first| first as usize <= len);
    }

    /// The file name of case `row`.
    pub fn source_name(&self, row: usize) -> &str {
        &self.sources[self.source_of(row)].name
    }
}

/// The typed values of every kept case that the indicators are computed from, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseColumns {
    /// Each case's procedure, trial track, court level, scope and type flags, packed into two
    /// bytes (see `KIND_*`); read them with `procedure`, `track`, `court_level`, `in_scope` and
    /// `type_flags`.
    kind: Vec<u16>,
    /// Court codes (labels in `Register::courts`).
    pub court: CodeVec,
    /// Cause codes.
    pub cause: CodeVec,
    /// Department codes.
    pub department: CodeVec,
    /// Judge codes.
    pub judge: CodeVec,
    /// 收到材料日期, with times.
    pub received_at: DateColumn,
    /// 立案日期, with times.
    pub filed_at: DateColumn,
    /// 结案日期.
    pub closed_at: DateColumn,
    /// 上诉状收到日期 as written on the row itself.
    pub appeal_received_at: DateColumn,
    /// 扣除审限天数: the days (≥ 0), or `DEDUCTION_MISSING` / `DEDUCTION_INVALID`; read with
    /// `deducted_days` and `deducted_state`.
    deducted: Vec<i32>,
    /// Appeals linked to their first-instance case: (appeal's row, first-instance row), in row
    /// order. Only appeals have one, so pairs take the place of a row per case.
    first_instance: Vec<(u32, u32)>,
    /// 上诉对象: `AGAINST_JUDGMENT` or `AGAINST_RULING` (0 when not read). This and the columns
    /// below are sparse: empty while no input has the column (every case missing), else one cell
    /// per case.
    pub appeal_against: CodeColumn,
    /// 生效日期 of the judgment enforced.
    pub in_force_at: DateColumn,
    /// 案款到账日期.
    pub funds_received_at: DateColumn,
    /// 案款发放日期.
    pub funds_paid_at: DateColumn,
    /// 文书上网: 1 yes, 0 no.
    pub judgment_online: CodeColumn,
    /// 庭审直播: 1 yes, 0 no.
    pub trial_streamed: CodeColumn,
    /// 破产费用.
    pub bankruptcy_costs: AmountColumn,
    /// 破产财产总额.
    pub estate_value: AmountColumn,
    /// 债权总额.
    pub claims_total: AmountColumn,
    /// 债权清偿额.
    pub claims_paid: AmountColumn,
}

impl Default for CaseColumns {
    fn default() -> Self {
        CaseColumns {
            kind: Vec::new(),
            court: CodeVec::default(),
            cause: CodeVec::default(),
            department: CodeVec::default(),
            judge: CodeVec::default(),
            received_at: DateColumn::with_time(),
            filed_at: DateColumn::with_time(),
            closed_at: DateColumn::date_only(),
            appeal_received_at: DateColumn::date_only(),
            deducted: Vec::new(),
            first_instance: Vec::new(),
            appeal_against: CodeColumn::default(),
            in_force_at: DateColumn::date_only(),
            funds_received_at: DateColumn::date_only(),
            funds_paid_at: DateColumn::date_only(),
            judgment_online: CodeColumn::default(),
            trial_streamed: CodeColumn::default(),
            bankruptcy_costs: AmountColumn::default(),
            estate_value: AmountColumn::default(),
            claims_total: AmountColumn::default(),
            claims_paid: AmountColumn::default(),
        }
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
pub struct Kind(u16);

impl Kind {
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

    /// One of the `kind` fields of cases `first..first + count`, read by `field`
    /// (`Kind::procedure`, `Kind::court_level` …).
    pub fn unpack_kind<T>(&self, first: usize, count: usize, field: fn(Kind) -> T) -> Vec<T> {
        self.kind[first..first + count]
            .iter()
            .map(|&kind| field(Kind(kind)))
            .collect()
    }

    /// `procedure_code` of case `row`.
    pub fn procedure(&self, row: usize) -> u8 {
        Kind(self.kind[row]).procedure()
    }

    /// `TrialTrack` of case `row` (`as u8`), when the procedure column names one.
    pub fn track(&self, row: usize) -> u8 {
        Kind(self.kind[row]).track()
    }

    /// `court_level_code` of case `row`.
    pub fn court_level(&self, row: usize) -> u8 {
        Kind(self.kind[row]).court_level()
    }

    /// Whether case `row` is in the report's scope.
    pub fn in_scope(&self, row: usize) -> bool {
        Kind(self.kind[row]).in_scope()
    }

    /// What case `row`'s type code says beyond the procedure: `TYPE_IP`,
    /// `TYPE_BANKRUPTCY_APPLICATION` bits.
    pub fn type_flags(&self, row: usize) -> u8 {
        Kind(self.kind[row]).type_flags()
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
        let present = ValueState::Present as u8;
        let dates = [
            &self.received_at,
            &self.filed_at,
            &self.closed_at,
            &self.appeal_received_at,
        ];
        (0..self.len())
            .filter(|&row| dates.iter().all(|column| column.state(row) != present))
            .count() as u64
    }

    /// Make room for `additional` more cases, so that long exports do not leave the columns a
    /// third empty after their last doubling.
    pub fn reserve(&mut self, additional: usize) {
        self.kind.reserve(additional);
        self.court.reserve(additional);
        self.cause.reserve(additional);
        self.department.reserve(additional);
        self.judge.reserve(additional);
        self.received_at.reserve(additional);
        self.filed_at.reserve(additional);
        self.closed_at.reserve(additional);
        self.appeal_received_at.reserve(additional);
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

impl CaseColumns {
    /// Append the cases `rows` of `other` (all of them when `rows` is `None`), its dictionary
    /// codes translated through `remaps`. Appeals are linked to first-instance cases later.
    pub fn append(&mut self, other: &CaseColumns, rows: Option<&[u32]>, remaps: &CodeRemaps) {
        append_values(&mut self.kind, &other.kind, rows);
        self.court.append(&other.court, rows, &remaps.courts);
        self.cause.append(&other.cause, rows, &remaps.causes);
        self.department
            .append(&other.department, rows, &remaps.departments);
        self.judge.append(&other.judge, rows, &remaps.judges);
        self.received_at.append(&other.received_at, rows);
        self.filed_at.append(&other.filed_at, rows);
        self.closed_at.append(&other.closed_at, rows);
        self.appeal_received_at
            .append(&other.appeal_received_at, rows);
        append_values(&mut self.deducted, &other.deducted, rows);
        let added = rows.map_or(other.len(), <[u32]>::len);
        let before = self.len() - added;
        self.appeal_against
            .append_sparse(&other.appeal_against, rows, before, added);
        self.in_force_at
            .append_sparse(&other.in_force_at, rows, before, added);
        self.funds_received_at
            .append_sparse(&other.funds_received_at, rows, before, added);
        self.funds_paid_at
            .append_sparse(&other.funds_paid_at, rows, before, added);
        self.judgment_online
            .append_sparse(&other.judgment_online, rows, before, added);
        self.trial_streamed
            .append_sparse(&other.trial_streamed, rows, before, added);
        self.bankruptcy_costs
            .append_sparse(&other.bankruptcy_costs, rows, before, added);
        self.estate_value
            .append_sparse(&other.estate_value, rows, before, added);
        self.claims_total
            .append_sparse(&other.claims_total, rows, before, added);
        self.claims_paid
            .append_sparse(&other.claims_paid, rows, before, added);
    }

    /// Keep the first `len` cases.
    pub fn truncate(&mut self, len: usize) {
        self.kind.truncate(len);
        self.court.truncate(len);
        self.cause.truncate(len);
        self.department.truncate(len);
        self.judge.truncate(len);
        self.received_at.truncate(len);
        self.filed_at.truncate(len);
        self.closed_at.truncate(len);
        self.appeal_received_at.truncate(len);
        self.deducted.truncate(len);
        self.first_instance
            .retain(|&(appeal, _)| (appeal as usize) < len);
        self.appeal_against.truncate(len);
        self.in_force_at.truncate(len);
        self.funds_received_at.truncate(len);
        self.funds_paid_at.truncate(len);
        self.judgment_online.truncate(len);
        self.trial_streamed.truncate(len);
        self.bankruptcy_costs.truncate(len);
        self.estate_value.truncate(len);
        self.claims_total.truncate(len);
        self.claims_paid.truncate(len);
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
