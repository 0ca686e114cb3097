//! Turning one block of rows into typed case values. Runs on every core at once: each block gets
//! its own dictionaries and case-number store, which the merge maps into the run's, in file order,
//! where duplicates are also found.

use std::hash::{BuildHasher, Hash, Hasher};
use std::path::Path;

use crate::error::Error;
use crate::measure::quality::{BLANK_BUSINESS_FLAG, Problem};
use crate::model::calendar::{Timestamp, format_day};
use crate::model::case_keys::{CaseNumbers, FixedState};
use crate::model::cases::{
    CaseColumns, Dictionary, ScopeRule, ValueState, court_level_code, procedure_code,
};
use crate::model::cases::{TYPE_BANKRUPTCY_APPLICATION, TYPE_IP};
use crate::model::fields::{
    CodeField, CodeParser, ColumnMap, DateField, FIELD_COUNT, Field, FieldKind, LabelField,
};
use crate::read::blocks::{RecordScanner, Row, UnquotedRows};
use crate::read::case_number::{self, CourtLevel, Procedure};
use crate::read::conditions::FileConditions;
use crate::read::dates;
use crate::read::encoding::{TextEncoding, decode_block};
use crate::read::profile::{AppealLink, CaseNumberFormat};

use super::ReadStop;
use super::bad_input::{csv_error, malformed_error};
use super::cells::{
    appeal_against, business_flag, first_control_character, may_hold_control_characters,
    parse_amount, parse_deducted_days, trim_cell, yes_no,
};
use super::file_blocks::Block;
use super::options::ReadOptions;

mod checks;

/// What every block of one input shares.
pub struct SourceContext<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its name as given.
    pub name: &'a str,
    /// Its headers and the fields they supply.
    pub columns: &'a ColumnMap,
    /// How its cases are put in or out of scope.
    pub scope: &'a ScopeRule,
    /// The run's reading options.
    pub options: &'a ReadOptions,
    /// The encoding its bytes are read in.
    pub encoding: TextEncoding,
    /// UTF-8 guessed from the first bytes only (a bad byte later means: read again as GB18030).
    pub tentative_utf8: bool,
    /// Where the file stopped being UTF-8, when it is read as GB18030 for that reason.
    pub not_utf8_at: Option<u64>,
    /// The delimiter.
    pub delimiter: u8,
    /// Columns of the profile's case key (empty: the case number identifies a case).
    pub key_columns: Vec<usize>,
    /// The profile's procedure rules and conditional fields, found in this file.
    pub conditions: FileConditions,
}

/// A problem found in a block, placed relative to the block's case rows so that the merge can
/// drop those of rows that turn out to be duplicates.
pub struct BlockProblem {
    /// The case row it belongs to, or (for a row that is no case) the case row that follows it.
    pub candidate: u32,
    /// Whether it is a problem of case row `candidate` itself.
    pub own: bool,
    /// The field whose invalid count it adds to, if any.
    pub invalid: Option<Field>,
    /// The problem.
    pub problem: Problem,
}

/// One block's rows: every row with a case number ("case row", duplicates not yet removed).
#[derive(Default)]
pub struct ParsedBlock {
    /// Data rows read.
    pub rows: u64,
    /// Rows that cannot be a case (no case number).
    pub rejected: u64,
    /// Values of every case row.
    pub columns: CaseColumns,
    /// Case numbers of every case row, with this block's own province and type-code dictionaries.
    pub numbers: CaseNumbers,
    /// Court names by this block's codes.
    pub courts: Dictionary,
    /// Causes.
    pub causes: Dictionary,
    /// Departments.
    pub departments: Dictionary,
    /// Judges.
    pub judges: Dictionary,
    /// Line of each case row.
    pub lines: Vec<u32>,
    /// Hash of each case row's cells, to tell exact duplicates from conflicting rows.
    pub row_hash: Vec<u64>,
    /// Case numbers as written (trimmed), concatenated; `case_no_ends` cuts them.
    pub case_no_text: String,
    /// End of each case row's text in `case_no_text`.
    pub case_no_ends: Vec<u32>,
    /// Fields left empty in each case row, one bit per `Field`.
    pub missing: Vec<u32>,
    /// Problems, in row order.
    pub problems: Vec<BlockProblem>,
    /// Case rows naming a first-instance case (原审案号): (case row, canonical number).
    pub originals: Vec<(u32, String)>,
    /// Rows whose case number had full-width digits, letters or signs (２０２１), read as ASCII.
    pub case_numbers_normalised: u64,
    /// What stopped the block, if anything; the rows before it are complete.
    pub stop: Option<ReadStop>,
}

impl ParsedBlock {
    /// The block's dictionary of a label field.
    fn dictionary_mut(&mut self, field: LabelField) -> &mut Dictionary {
        match field {
            LabelField::Court => &mut self.courts,
            LabelField::Cause => &mut self.causes,
            LabelField::Department => &mut self.departments,
            LabelField::Judge => &mut self.judges,
        }
    }

    /// The case number of case row `index` as written.
    pub fn case_no_as_written(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.case_no_ends[index - 1] as usize,
        };
        &self.case_no_text[start..self.case_no_ends[index] as usize]
    }
}

/// The case key of a record: the profile's key columns' cells (trimmed), joined by ` · `.
fn case_key(record: &Row<'_>, key_columns: &[usize]) -> String {
    key_columns
        .iter()
        .map(|&index| trim_cell(cell_text(record.get(index).unwrap_or_default())))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A cell of a record read from text that is valid UTF-8.
fn cell_text(bytes: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(bytes).is_ok());
    // SAFETY: the block was decoded (or checked) to valid UTF-8 as a whole before the csv reader
    // saw it, and the reader only splits and unescapes at the ASCII bytes `"`, the delimiter and
    // line feed, which never occur inside a multi-byte UTF-8 character; so every cell is valid
    // UTF-8. (Checking each cell again cost 8 % of the whole run.)
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// The order the fields of a case row are read in after its case number and procedure: the order
/// in which one row's problems are listed.
const READ_ORDER: [Field; 22] = [
    Field::Court,
    Field::Cause,
    Field::Department,
    Field::Judge,
    Field::ClosingMethod,
    Field::Business,
    Field::ReceivedAt,
    Field::FiledAt,
    Field::ClosedAt,
    Field::AppealReceivedAt,
    Field::DeductedDays,
    Field::AppealAgainst,
    Field::InForceAt,
    Field::FundsReceivedAt,
    Field::FundsPaidAt,
    Field::JudgmentOnline,
    Field::TrialStreamed,
    Field::BankruptcyCosts,
    Field::EstateValue,
    Field::ClaimsTotal,
    Field::ClaimsPaid,
    Field::OriginalCaseNo,
];

/// What a case's type code says beyond its procedure: `TYPE_IP`, `TYPE_BANKRUPTCY_APPLICATION`.
fn type_flags(cells: &[&str; FIELD_COUNT], parsed: Option<&case_number::CaseNumber>) -> u8 {
    let type_code = parsed.map_or("", |p| p.type_code);
    let mut flags = 0;
    if type_code.starts_with('知') {
        flags |= TYPE_IP;
    }
    // why: 破申 is an application under review, not a bankruptcy case (spec §4); a procedure
    // column saying 破产申请 means the same when the case number is unreadable.
    if type_code == "破申" || (parsed.is_none() && cells[Field::Procedure as usize] == "破产申请")
    {
        flags |= TYPE_BANKRUPTCY_APPLICATION;
    }
    flags
}

/// Hash of a row's cells, to tell an exact duplicate from a conflicting row.
fn row_hash(record: &Row<'_>) -> u64 {
    let mut hasher = FixedState.build_hasher();
    let last = record.len().saturating_sub(1);
    for (index, cell) in record.cells().enumerate() {
        // The line ending's \r is not part of the row (CRLF and LF copies are identical).
        let cell = match index == last {
            true => cell.strip_suffix(b"\r").unwrap_or(cell),
            false => cell,
        };
        cell.hash(&mut hasher);
    }
    hasher.finish()
}

/// Parse a block of whole rows.
pub fn parse_block(context: &SourceContext<'_>, block: &Block) -> ParsedBlock {
    let mut builder = BlockBuilder {
        context,
        out: ParsedBlock::default(),
        line: 0,
        control_suspects: true,
    };
    if let Err(stop) = builder.read(block) {
        builder.out.stop = Some(stop);
    }
    builder.out
}

struct BlockBuilder<'a> {
    context: &'a SourceContext<'a>,
    out: ParsedBlock,
    /// Line of the row being read.
    line: u64,
    /// Whether the rows being read hold a byte a control character can start with; when not,
    /// no cell needs looking at for one.
    control_suspects: bool,
}

impl BlockBuilder<'_> {
    fn read(&mut self, block: &Block) -> Result<(), ReadStop> {
        let context = self.context;
        match decode_block(&block.bytes, context.encoding) {
            Ok(text) => self.read_rows(text.as_bytes(), block.first_line),
            Err(offset) => {
                // why: the rows before the bad byte are read first, so that a fault in one of them
                // (a ragged row …) is reported before the bad byte, as it is when the block is cut
                // smaller and those rows come in a block of their own. Without this the error named
                // depended on the block size (found by tests/cli/prop_reader.rs).
                let rows_end = RecordScanner::new(context.delimiter)
                    .scan(&block.bytes[..offset])
                    .unwrap_or(0);
                if rows_end > 0
                    && let Ok(text) = decode_block(&block.bytes[..rows_end], context.encoding)
                {
                    self.read_rows(text.as_bytes(), block.first_line)?;
                }
                let line = block.first_line
                    + memchr::memchr_iter(b'\n', &block.bytes[..offset]).count() as u64;
                if context.tentative_utf8 {
                    return Err(ReadStop::NotUtf8 { line });
                }
                Err(ReadStop::Error(malformed_error(
                    context.path,
                    line,
                    context.encoding,
                    context.not_utf8_at,
                )))
            }
        }
    }

    /// Read the rows of `text` (whole rows, decoded), whose first byte is on `first_line`.
    fn read_rows(&mut self, text: &[u8], first_line: u64) -> Result<(), ReadStop> {
        let context = self.context;
        self.control_suspects = may_hold_control_characters(text);
        // why: csv-core drops a UTF-8 BOM at the very start of its input (meant for a file's
        // first bytes), so a block starting with a row whose first cell begins with U+FEFF lost
        // it, while a whole-file read kept it: whether such a row had a case number depended on
        // the block size (found by tests/cli/prop_reader.rs). A line feed put in front (an empty
        // line, skipped and not counted below) keeps it.
        let guarded: Vec<u8>;
        let (text, first_line) = if text.starts_with(b"\xef\xbb\xbf") {
            guarded = [b"\n".as_slice(), text].concat();
            (guarded.as_slice(), first_line.saturating_sub(1))
        } else {
            (text, first_line)
        };
        // why: with CRLF endings the csv crate ends a record at the \r and counts the \n into the
        // next one, so every line number after the header came out one short. Records end at \n;
        // the \r left at the end of the last cell is trimmed with the other whitespace.
        let mut bounds = Vec::new();
        if memchr::memchr(b'"', text).is_none() {
            let mut rows = UnquotedRows::new(text, context.delimiter);
            while let Some((lines_before, bytes)) = rows.next_row(&mut bounds) {
                self.take_row(&Row::new(bytes, &bounds), first_line + lines_before)?;
            }
            return Ok(());
        }
        let mut record = csv::ByteRecord::new();
        // why: with CRLF endings the csv crate ends a record at the \r and counts the \n into the
        // next one, so every line number after the header came out one short. Records end at \n;
        // the \r left at the end of the last cell is trimmed with the other whitespace.
        let mut reader = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(context.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let line_offset = first_line.saturating_sub(1);
        // Line numbers are counted here, not taken from the csv crate.
        // why: the csv crate skips empty lines without counting them, so every row after an empty
        // line came out a line short within a block, and the line reported depended on whether a
        // block boundary fell on the empty line (found by tests/cli/prop_reader.rs).
        let (mut counted, mut line) = (0usize, first_line);
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    return Err(ReadStop::Error(csv_error(context.path, error, line_offset)));
                }
            }
            // A record's position is where the previous one ended: skip the empty lines between.
            let mut start = record
                .position()
                .map_or(counted, |p| p.byte() as usize)
                .clamp(counted, text.len());
            while text.get(start) == Some(&b'\n') {
                start += 1;
            }
            line += memchr::memchr_iter(b'\n', &text[counted..start]).count() as u64;
            counted = start;
            self.take_row(&Row::of_record(&record, &mut bounds), line)?;
        }
        Ok(())
    }

    /// Take the record read on `line`: a data row, unless it is an empty CRLF line.
    fn take_row(&mut self, record: &Row<'_>, line: u64) -> Result<(), ReadStop> {
        self.line = line;
        // why: an empty line of a CRLF file (Excel) is a lone \r, which the csv crate reads as
        // a row of one cell; it stopped the run as a ragged row, while an empty LF line is
        // skipped. It is skipped too.
        if record.len() == 1 && record.get(0) == Some(b"\r".as_slice()) {
            return Ok(());
        }
        let header_len = self.context.columns.headers.len();
        if record.len() != header_len {
            return Err(ReadStop::Error(Error::input(
                self.context.path,
                Some(line),
                format!(
                    "row has {} fields but the header has {header_len} (ragged row; check quoting and the delimiter)",
                    record.len()
                ),
            )));
        }
        self.out.rows += 1;
        self.add_row(record)
    }

    fn add_row(&mut self, record: &Row<'_>) -> Result<(), ReadStop> {
        let context = self.context;
        let mut cells: [&str; FIELD_COUNT] = [""; FIELD_COUNT];
        for field in Field::ALL {
            if let Some(index) = context.columns.column_of[field as usize] {
                let bytes = record.get(index).unwrap_or_default();
                cells[field as usize] = trim_cell(cell_text(bytes));
            }
        }
        // why: a `[columns]` mapping with `when` takes its field only where the condition holds
        // (issue 15, point 3): elsewhere the cell counts as empty.
        for (field, condition) in &context.conditions.fields {
            if !condition.holds_in(record) {
                cells[*field as usize] = "";
            }
        }
        let case_no_text = cells[Field::CaseNo as usize];
        if case_no_text.is_empty() {
            self.out.rejected += 1;
            self.push_problem(
                false,
                None,
                Field::CaseNo,
                "",
                "missing case number: row cannot be a case",
            );
            return Ok(());
        }
        let cnj_court = self.cnj_court(case_no_text);
        if let Some(court) = &cnj_court {
            cells[Field::Court as usize] = court;
        }
        let line = u32::try_from(self.line).map_err(|_| {
            Error::input(
                context.path,
                Some(self.line),
                "more than 4,294,967,295 lines in one file; split the export",
            )
        })?;
        let canonical = case_number::canonical_case_number(case_no_text);
        if case_number::has_full_width_characters(case_no_text) {
            self.out.case_numbers_normalised += 1;
        }
        let config = &context.options.profile;
        let parsed = match config.case_numbers {
            CaseNumberFormat::Cn => case_number::parse_canonical(&canonical),
            // A number of another court system is no 案号: never read as one (CNJ numbers are
            // read in `fill_case`).
            CaseNumberFormat::Text | CaseNumberFormat::Cnj => {
                Err(case_number::CaseNumberError::Empty)
            }
        };
        let numbers = &mut self.out.numbers;
        if context.key_columns.is_empty() {
            let probe = numbers.encode(&canonical, parsed.as_ref().ok());
            numbers.push(probe, &canonical);
        } else {
            // The profile's case key: its columns' cells together identify a case.
            let key = case_key(record, &context.key_columns);
            let probe = numbers.encode(&key, None);
            numbers.push(probe, &key);
        }
        self.out.row_hash.push(row_hash(record));
        self.out.lines.push(line);
        self.out.case_no_text.push_str(case_no_text);
        self.out
            .case_no_ends
            .push(self.out.case_no_text.len() as u32);
        self.out.missing.push(0);
        self.fill_case(&cells, &parsed, record);
        Ok(())
    }

    /// Index of the case row being filled.
    fn candidate(&self) -> u32 {
        self.out.lines.len().saturating_sub(1) as u32
    }

    /// Parse the fields of a case row and append them to the block's columns.
    fn fill_case(
        &mut self,
        cells: &[&str; FIELD_COUNT],
        parsed: &std::result::Result<case_number::CaseNumber, case_number::CaseNumberError>,
        record: &Row<'_>,
    ) {
        let case_no_text = cells[Field::CaseNo as usize];
        let profile = &self.context.options.profile;
        let number_year = self.number_year(case_no_text, parsed.as_ref().ok());
        let parsed = match parsed {
            Ok(parsed) => Some(parsed),
            Err(_) if profile.case_numbers != CaseNumberFormat::Cn => None,
            Err(error) => {
                self.count_invalid(
                    Field::CaseNo,
                    case_no_text,
                    &format!("case number not read: {error}"),
                );
                None
            }
        };
        let level: Option<CourtLevel> = parsed
            .map(|p| p.court_level)
            .or_else(|| CourtLevel::from_court_name(cells[Field::Court as usize]))
            .or(profile.default_court_level);
        let procedure = match self.procedure_by_rules(record) {
            Some(procedure) => procedure,
            None => self.procedure_of(cells[Field::Procedure as usize], parsed),
        };
        let track = case_number::trial_track_from_label(cells[Field::Procedure as usize]);
        self.out.columns.push_kind(
            procedure_code(procedure),
            track as u8,
            court_level_code(level),
        );
        self.out.columns.set_type_flags(type_flags(cells, parsed));
        for field in READ_ORDER {
            self.fill_field(field, cells);
        }
        if self.control_suspects {
            self.note_control_characters(cells);
        }
        self.check_filing_year(cells[Field::FiledAt as usize], number_year);
        self.note_first_instance(cells, procedure);
    }

    /// Read one field's cell into its column, as the field table says its cells are read.
    fn fill_field(&mut self, field: Field, cells: &[&str; FIELD_COUNT]) {
        let text = cells[field as usize];
        match field.kind() {
            FieldKind::Label(label) => {
                self.count_missing(field, text);
                let code = self.out.dictionary_mut(label).code(text);
                self.out.columns.label_mut(label).push(code);
            }
            FieldKind::Text => self.count_missing(field, text),
            FieldKind::BusinessFlag => {
                let in_scope = self.in_scope(cells);
                self.out.columns.set_in_scope(in_scope);
            }
            FieldKind::Date(date) => {
                // A sparse column is filled only from files that have it (see `CaseColumns`).
                if date.is_sparse() && !self.context.columns.has(field) {
                    return;
                }
                let (value, state) = self.date(field, text);
                self.out.columns.date_mut(date).push(value, state);
            }
            FieldKind::DeductedDays => {
                let (days, state) = self.read_cell(field, text, parse_deducted_days, || match text
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                {
                    true => "deducted days too large: more than 2,147,483,647".into(),
                    false => "deducted days must be a whole number of days ≥ 0".into(),
                });
                let (days, state) = self.check_deduction(field, text, days, state);
                self.out.columns.push_deducted(days.unwrap_or(0), state);
            }
            FieldKind::Code(code) if self.context.columns.has(field) => {
                let (value, state) = self.code(code, text);
                self.out.columns.code_mut(code).push(value, state);
            }
            FieldKind::Amount(amount) if self.context.columns.has(field) => {
                let (value, state) = self.read_cell(field, text, parse_amount, || {
                    "amount must be yuan ≥ 0 with at most 2 decimals (1234.56)".into()
                });
                self.out
                    .columns
                    .amount_mut(amount)
                    .push(value.unwrap_or(0), state);
            }
            FieldKind::Code(_)
            | FieldKind::Amount(_)
            | FieldKind::CaseNumber
            | FieldKind::Procedure => {}
        }
    }

    /// List each cell holding a control character (ESC, NUL, a bidi override …): the value is
    /// kept, and shown escaped in terminal tables and HTML, but a user must be able to find it.
    fn note_control_characters(&mut self, cells: &[&str; FIELD_COUNT]) {
        for field in Field::ALL {
            let text = cells[field as usize];
            if let Some(c) = first_control_character(text) {
                let reason = format!(
                    "control character U+{:04X} in the cell: kept, shown escaped in tables",
                    c as u32
                );
                self.push_problem(true, None, field, text, &reason);
            }
        }
    }

    /// A deduction read is invalid when larger than the case's duration it is subtracted from
    /// (立案日期 → 结案日期, both of this row already read): it would make the duration negative.
    fn check_deduction(
        &mut self,
        field: Field,
        text: &str,
        days: Option<i32>,
        state: ValueState,
    ) -> (Option<i32>, ValueState) {
        let Some(deducted) = days else {
            return (days, state);
        };
        let columns = &self.out.columns;
        let (filed, closed) = (
            columns.date(DateField::Filed),
            columns.date(DateField::Closed),
        );
        let present = ValueState::Present as u8;
        let (Some(row), Some(_)) = (filed.len().checked_sub(1), closed.len().checked_sub(1)) else {
            return (days, state);
        };
        if filed.state(row) != present || closed.state(row) != present {
            return (days, state);
        }
        let duration = closed.day(row) - filed.day(row);
        if deducted <= duration.max(0) {
            return (days, state);
        }
        let reason = format!(
            "deducted days larger than the case's duration ({duration} days from 立案日期 to 结案日期)"
        );
        self.count_invalid(field, text, &reason);
        (None, ValueState::Invalid)
    }

    /// A code field's value (0 unless read) and state.
    fn code(&mut self, code: CodeField, text: &str) -> (u8, ValueState) {
        let field = code.field();
        match code.parser() {
            CodeParser::JudgmentOrRuling => {
                let (value, state) = self.read_cell(field, text, appeal_against, || {
                    "appeal against must be 判决 (judgment) or 裁定 (ruling); the judgment limit (45 days) applies".into()
                });
                (value.unwrap_or(0), state)
            }
            CodeParser::YesNo => {
                let (value, state) = self.read_cell(field, text, yes_no, || {
                    "must be 是/否 (已上网/未上网, 已直播/未直播, 有/无), Y/N, yes/no, true/false or 1/0"
                        .into()
                });
                (u8::from(value == Some(true)), state)
            }
        }
    }

    /// Note the first-instance case an appeal names (原审案号), or with `[appeal] link =
    /// "same_case_number"` its own number, for linking after the merge.
    fn note_first_instance(&mut self, cells: &[&str; FIELD_COUNT], procedure: Procedure) {
        let original_text = cells[Field::OriginalCaseNo as usize];
        let named = match self.context.options.profile.appeal_link {
            // The first-instance case of an appeal is the one with the same number.
            AppealLink::SameCaseNumber => {
                (procedure == Procedure::SecondInstance).then_some(cells[Field::CaseNo as usize])
            }
            _ => (!original_text.is_empty()).then_some(original_text),
        };
        if let Some(text) = named {
            let canonical = case_number::canonical_case_number(text).into_owned();
            let candidate = self.candidate();
            self.out.originals.push((candidate, canonical));
        }
    }

    /// Read one cell with `parse`: missing when empty, invalid (and listed with `reason`) when it
    /// does not read.
    fn read_cell<T>(
        &mut self,
        field: Field,
        text: &str,
        parse: impl Fn(&str) -> Option<T>,
        reason: impl Fn() -> String,
    ) -> (Option<T>, ValueState) {
        if text.is_empty() {
            self.count_missing(field, text);
            return (None, ValueState::Missing);
        }
        match parse(text) {
            Some(value) => (Some(value), ValueState::Present),
            None => {
                self.count_invalid(field, text, &reason());
                (None, ValueState::Invalid)
            }
        }
    }

    /// The procedure: an explicit procedure column wins; otherwise the case number's type code.
    fn procedure_of(&mut self, text: &str, parsed: Option<&case_number::CaseNumber>) -> Procedure {
        let config = &self.context.options.profile;
        // A profile's case classes come before the built-in table of type codes.
        let from_number = parsed.map_or(Procedure::Other, |p| {
            config
                .case_classes
                .get(p.type_code)
                .copied()
                .unwrap_or_else(|| p.procedure())
        });
        if !self.context.columns.has(Field::Procedure) {
            return from_number;
        }
        if text.is_empty() {
            self.count_missing(Field::Procedure, text);
            return from_number;
        }
        let read = match config.procedure_values.is_empty() {
            true => case_number::procedure_from_label(text),
            // A profile's values, exactly as written; procedure ids are accepted too.
            false => config.procedure_values.get(text).copied().or_else(|| {
                Procedure::ALL
                    .into_iter()
                    .find(|p| text.eq_ignore_ascii_case(p.id()))
            }),
        };
        match read {
            Some(procedure) => procedure,
            None => {
                // why: a text case number has no type code (issue 15, point 1): say what is done.
                let reason = match parsed {
                    Some(_) => {
                        "unrecognised procedure; the case number's type code is used instead"
                    }
                    None => {
                        "unrecognised procedure (not in the profile's [procedure.values]); counted as other"
                    }
                };
                self.count_invalid(Field::Procedure, text, reason);
                from_number
            }
        }
    }

    fn in_scope(&mut self, cells: &[&str; FIELD_COUNT]) -> bool {
        let flag_text = cells[Field::Business as usize];
        if self.context.columns.has(Field::Business) {
            if flag_text.is_empty() {
                self.count_missing(Field::Business, flag_text);
                if *self.context.scope == ScopeRule::BusinessFlag {
                    self.push_problem(true, None, Field::Business, "", BLANK_BUSINESS_FLAG);
                }
            } else if business_flag(flag_text).is_none() {
                self.count_invalid(
                    Field::Business,
                    flag_text,
                    "business flag must be 是/否, Y/N, yes/no, true/false or 1/0; case treated as out of scope",
                );
            }
        }
        match self.context.scope {
            ScopeRule::BusinessFlag => business_flag(flag_text) == Some(true),
            ScopeRule::CauseList => {
                let cause = cells[Field::Cause as usize];
                self.context
                    .options
                    .profile
                    .scope_causes
                    .iter()
                    .any(|listed| listed == cause)
            }
            ScopeRule::AllNoScopeData | ScopeRule::AllRequested => true,
        }
    }

    /// A date cell as the profile reads it: its date formats first, then the built-in ones.
    fn read_date(&self, text: &str) -> Result<Option<Timestamp>, dates::DateError> {
        let config = &self.context.options.profile;
        dates::parse_with_formats(text, &config.date_formats, &config.date_range)
            .map(|read| read.map(Some))
            .unwrap_or_else(|| dates::parse_timestamp(text, &config.date_range))
    }

    fn date(&mut self, field: Field, text: &str) -> (Option<Timestamp>, ValueState) {
        match self.read_date(text) {
            Ok(Some(value)) => match self.context.options.today {
                Some(today) if value.day > today => {
                    let reason = format!(
                        "in the future: after {}, the day of the run (--today)",
                        format_day(today)
                    );
                    self.count_invalid(field, text, &reason);
                    (None, ValueState::Invalid)
                }
                _ => (Some(value), ValueState::Present),
            },
            Ok(None) => {
                self.count_missing(field, text);
                (None, ValueState::Missing)
            }
            Err(error) => {
                self.count_invalid(field, text, &error.to_string());
                (None, ValueState::Invalid)
            }
        }
    }

    fn count_missing(&mut self, field: Field, text: &str) {
        if text.is_empty()
            && self.context.columns.has(field)
            && let Some(mask) = self.out.missing.last_mut()
        {
            *mask |= 1 << field as u32;
        }
    }

    fn count_invalid(&mut self, field: Field, text: &str, reason: &str) {
        self.push_problem(true, Some(field), field, text, reason);
    }

    /// A problem with one cell: its column is the header that supplies `field`.
    fn push_problem(
        &mut self,
        own: bool,
        invalid: Option<Field>,
        field: Field,
        value: &str,
        reason: &str,
    ) {
        let candidate = match own {
            true => self.candidate(),
            false => self.out.lines.len() as u32,
        };
        self.out.problems.push(BlockProblem {
            candidate,
            own,
            invalid,
            problem: Problem {
                file: self.context.name.to_string(),
                line: self.line,
                column: self.context.columns.header_of(field).to_string(),
                value: value.to_string(),
                reason: reason.to_string(),
            },
        });
    }
}
