//! Reading exports: bytes, encodings, delimiters, headers and line numbers. Turns one or more CSV
//! files (or standard input) into a `CaseTable` and a `Quality` account of what could not be used.
//!
//! Each file is read in blocks of whole rows (`source`), parsed on every core (`rows`) and merged
//! here in file order, where duplicates are found: the result is the same whatever the number of
//! threads.

pub mod blocks;
pub mod case_number;
mod converted;
pub mod dates;
pub mod encoding;
mod parquet_file;
pub mod profile;
mod rows;
mod source;
mod workbook;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::measure::quality::{FieldCounts, Problem, Quality};
use crate::model::cases::{CaseTable, CodeRemaps, NO_ROW, ScopeRule, Source, procedure_code};
use crate::model::fields::{ColumnMap, FIELD_COUNT, Field, HeaderAliases};
use crate::read::case_number::Procedure;
use crate::read::encoding::{EncodingChoice, TextEncoding, decode_block};
use crate::read::profile::AppealLink;
use crate::read::profile::Profile;

use rows::{ParsedBlock, SourceContext, parse_block};
pub use source::{FileSnapshot, check_unchanged};
use source::{Input, Layout, PREFIX_BYTES, guess_encoding, line_at, progress_bar, read_blocks};

/// How to read the inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force an encoding, or detect it.
    pub encoding: EncodingChoice,
    /// Force a delimiter, or detect it from the header line (comma, tab or semicolon).
    pub delimiter: Option<u8>,
    /// `--scope all`: every case is in scope, whatever the export says.
    pub scope_all: bool,
    /// Header aliases, scope causes and date range.
    pub profile: Profile,
    /// Show a progress bar for large files when standard error is a terminal (off with `--quiet`).
    pub show_progress: bool,
    /// Threads parsing rows (0: one per core). The result does not depend on it.
    pub threads: usize,
    /// Bytes of rows parsed at a time by one thread. The result does not depend on it.
    pub block_bytes: usize,
    /// `--sheet`: the worksheet read from every spreadsheet input (default: the first).
    pub sheet: Option<String>,
}

/// Bytes of rows a parser thread takes at a time, by default.
pub const BLOCK_BYTES: usize = 4 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: EncodingChoice::Auto,
            delimiter: None,
            scope_all: false,
            profile: Profile::default(),
            show_progress: true,
            threads: 0,
            block_bytes: BLOCK_BYTES,
            sheet: None,
        }
    }
}

impl ReadOptions {
    fn parser_threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// Read every input, in order, as one export.
pub fn read_exports(inputs: &[PathBuf], options: &ReadOptions) -> Result<(CaseTable, Quality)> {
    let mut builder = TableBuilder::new(options);
    for (index, path) in inputs.iter().enumerate() {
        let source_index = u16::try_from(index)
            .map_err(|_| Error::Usage("at most 65535 input files per run".into()))?;
        builder.read_source(path, source_index)?;
    }
    Ok(builder.finish())
}

/// Why reading a file stopped.
pub enum Failure {
    /// It cannot be used.
    Error(Error),
    /// It was read as UTF-8 from its first bytes, but this line is not UTF-8: read it again as
    /// GB18030.
    NotUtf8 {
        /// The line of the first byte that is not UTF-8.
        line: u64,
    },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Error(error)
    }
}

fn display_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Pick the delimiter that splits the header line into the most fields (comma, tab, semicolon).
fn detect_delimiter(header_line: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for &byte in header_line {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in counts.iter_mut() {
                if byte == *delimiter {
                    *count += 1;
                }
            }
        }
    }
    let best = counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .copied()
        .unwrap_or((b',', 0));
    if best.1 == 0 { b',' } else { best.0 }
}

/// The values a business flag column uses for "yes" and "no" (spec §1, "Scope").
fn business_flag(text: &str) -> Option<bool> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if ["是", "y", "yes", "true", "1"].into_iter().any(is) {
        Some(true)
    } else if ["否", "n", "no", "false", "0"].into_iter().any(is) {
        Some(false)
    } else {
        None
    }
}

/// Read a deduction (扣除审限天数): a whole number of days ≥ 0. `12.0` is accepted as 12 because
/// spreadsheets write whole numbers that way; `12.5`, `-3` or text are not.
pub fn parse_deducted_days(text: &str) -> Option<i32> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse::<i32>().ok()
}

/// Read a yes/no column (文书上网, 庭审直播): the business flag's words, plus the forms case systems
/// print for these two (已上网/未上网, 已直播/未直播, 有/无).
fn yes_no(text: &str) -> Option<bool> {
    match text {
        "已上网" | "已公开" | "已直播" | "有" => Some(true),
        "未上网" | "不公开" | "未公开" | "未直播" | "无" => Some(false),
        _ => business_flag(text),
    }
}

/// Read what an appeal is against (上诉对象 / 裁判类型): 判决 (judgment) or 裁定 (ruling).
fn appeal_against(text: &str) -> Option<u8> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if ["判决", "不服判决", "民事判决", "judgment"]
        .into_iter()
        .any(is)
    {
        Some(crate::model::cases::AGAINST_JUDGMENT)
    } else if ["裁定", "不服裁定", "民事裁定", "ruling"]
        .into_iter()
        .any(is)
    {
        Some(crate::model::cases::AGAINST_RULING)
    } else {
        None
    }
}

/// Read an amount of money in yuan (`1234.5`, `1,234.56`, `1234.56元`) as whole fen. More than two
/// decimals, a sign, or anything else is unreadable; so is more than 10^15 yuan.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.strip_suffix('元').unwrap_or(text);
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: String = whole.chars().filter(|c| *c != ',').collect();
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 15
    {
        return None;
    }
    let fen = format!("{fraction:0<2}").parse::<i64>().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + fen)
}

/// Trim ASCII and full-width spaces from a cell.
fn trim_cell(text: &str) -> &str {
    // Most cells start and end with a visible ASCII character: nothing to trim.
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'),
    }
}

/// Fills a `CaseTable` source by source.
struct TableBuilder<'a> {
    options: &'a ReadOptions,
    table: CaseTable,
    quality: Quality,
    /// Kept rows by canonical case number, to find duplicates and first-instance cases.
    by_case_no: hashbrown::HashTable<u32>,
    /// Hash of each kept row's cells, to tell exact duplicates from conflicting rows. 32 bits
    /// are enough: only rows with the same case number are compared, and a collision (about 1
    /// in 4 billion for each conflicting row) would only call a conflicting row a duplicate; the
    /// first row is kept either way.
    row_hash: Vec<u32>,
    /// Appeal rows naming a first-instance case, resolved once every input is read: the row and
    /// where the canonical number it names ends in `original_texts`.
    originals: Vec<(u32, u32)>,
    /// The numbers `originals` name, one after another.
    original_texts: String,
    /// With `[appeal] link = "same_case_number"`: first-instance rows by canonical case number.
    first_instance_by_number: std::collections::HashMap<String, u32>,
}

/// How far a `TableBuilder` had got before a file, to undo the file when it must be read again.
struct Mark {
    cases: usize,
    problems: usize,
    counts: (u64, u64, u64, u64),
    fields: [FieldCounts; FIELD_COUNT],
    originals: usize,
    labels: [usize; 4],
}

impl<'a> TableBuilder<'a> {
    fn new(options: &'a ReadOptions) -> Self {
        TableBuilder {
            options,
            table: CaseTable::default(),
            quality: Quality::default(),
            by_case_no: hashbrown::HashTable::new(),
            row_hash: Vec::new(),
            originals: Vec::new(),
            original_texts: String::new(),
            first_instance_by_number: std::collections::HashMap::new(),
        }
    }

    fn read_source(&mut self, path: &Path, source_index: u16) -> Result<()> {
        if let Some(format) = converted::Format::of(path) {
            return self.read_converted(path, source_index, format);
        }
        let input = Input::open(path)?;
        let read = self.read_input(path, source_index, &input);
        // A file that changed while it was read explains any other failure: say that first.
        if read.is_err() {
            input.check_unchanged(None)?;
        }
        read
    }

    fn read_input(&mut self, path: &Path, source_index: u16, input: &Input) -> Result<()> {
        let prefix = input.prefix(path)?;
        let whole = prefix.len() < PREFIX_BYTES;
        let guess = guess_encoding(&prefix, self.options.encoding, whole);
        let mark = self.mark();
        let first = self.read_source_as(path, source_index, input, &prefix, &guess, None);
        match first {
            Ok(()) => Ok(()),
            Err(Failure::Error(error)) => Err(error),
            Err(Failure::NotUtf8 { line }) => {
                // A byte deep in the file is not UTF-8: the whole file is GB18030 (spec §3).
                self.rollback(mark);
                let guess = source::EncodingGuess {
                    encoding: TextEncoding::Gb18030,
                    not_utf8_at: Some(line),
                    tentative: false,
                };
                match self.read_source_as(path, source_index, input, &prefix, &guess, None) {
                    Ok(()) => Ok(()),
                    Err(Failure::Error(error)) => Err(error),
                    Err(Failure::NotUtf8 { line }) => Err(malformed_error(
                        path,
                        line,
                        TextEncoding::Gb18030,
                        Some(line),
                    )),
                }
            }
        }
    }

    /// Read a spreadsheet or Parquet file: converted to UTF-8 CSV text in memory, then read like
    /// any CSV file, with the SHA-256 of the file's own bytes.
    fn read_converted(
        &mut self,
        path: &Path,
        source_index: u16,
        format: converted::Format,
    ) -> Result<()> {
        let converted = converted::convert(path, format, self.options.sheet.as_deref())?;
        let input = Input::Memory(converted.csv);
        let prefix = input.prefix(path)?;
        let guess = source::EncodingGuess {
            encoding: TextEncoding::Utf8,
            not_utf8_at: None,
            tentative: false,
        };
        match self.read_source_as(path, source_index, &input, &prefix, &guess, Some(b',')) {
            Ok(()) => {}
            Err(Failure::Error(error)) => return Err(error),
            Err(Failure::NotUtf8 { line }) => {
                return Err(malformed_error(path, line, TextEncoding::Utf8, None));
            }
        }
        if let Some(source) = self.table.register.sources.last_mut() {
            source.sha256 = converted.sha256;
        }
        Ok(())
    }

    /// Read one file in the encoding guessed; `delimiter` overrides the one the options give.
    fn read_source_as(
        &mut self,
        path: &Path,
        source_index: u16,
        input: &Input,
        prefix: &[u8],
        guess: &source::EncodingGuess,
        delimiter: Option<u8>,
    ) -> std::result::Result<(), Failure> {
        let encoding = guess.encoding;
        let not_utf8_at = guess.not_utf8_at;
        let bom = if encoding == TextEncoding::Utf8Bom {
            3
        } else {
            0
        };
        // The first bytes as text, as far as they decode (a character cut at the end, or a bad
        // byte, ends them; a bad byte in the header is reported below).
        let (text, bad_byte) = decode_prefix(&prefix[bom..], encoding);
        let header = find_header(
            text.as_bytes(),
            delimiter.or(self.options.delimiter),
            &self.options.profile.aliases,
        );
        let skipped_lines: Vec<String> = text.as_bytes()[..header.skip]
            .split(|&b| b == b'\n')
            .take((header.line - 1) as usize)
            .map(|line| {
                // A title row saved from a spreadsheet ends in empty cells: "标题,,,,".
                let line = String::from_utf8_lossy(line);
                let cells = trim_cell(&line).trim_end_matches(char::from(header.delimiter));
                trim_cell(cells).to_string()
            })
            .collect();
        let delimiter = header.delimiter;
        let header_text = &text.as_bytes()[header.skip..];
        let mut reader = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(header_text);
        let mut record = csv::ByteRecord::new();
        reader
            .read_byte_record(&mut record)
            .map_err(|error| csv_error(path, error, header.line - 1))?;
        let consumed = reader.position().byte() as usize;
        let header_bytes = &header_text[..consumed.min(header_text.len())];
        let lines_in_header = memchr::memchr_iter(b'\n', header_bytes).count() as u64;
        if let Some(offset) = bad_byte {
            let bad_line = line_at(&prefix[bom..], offset);
            if bad_line <= header.line + lines_in_header {
                return Err(malformed_error(path, bad_line, encoding, not_utf8_at).into());
            }
        }
        let headers: Vec<String> = record
            .iter()
            .map(|cell| {
                String::from_utf8_lossy(cell)
                    .trim_end_matches('\r')
                    .to_string()
            })
            .collect();
        if headers.iter().all(|h| trim_cell(h).is_empty()) {
            return Err(Error::input(
                path,
                Some(header.line),
                "no header row: the first line is empty",
            )
            .into());
        }
        let columns = ColumnMap::new(headers, &self.options.profile.aliases);
        check_required_columns(path, &columns)?;
        // Rows start after the header's last line feed; none when the file ends with the header.
        let data_start = if header_bytes.ends_with(b"\n") {
            let lines_before_data = (header.line - 1 + lines_in_header) as usize;
            match memchr::memchr_iter(b'\n', prefix).nth(lines_before_data - 1) {
                Some(at) => at as u64 + 1,
                None => {
                    return Err(Error::input(
                        path,
                        Some(header.line),
                        "header row longer than 256 KiB",
                    )
                    .into());
                }
            }
        } else {
            input.len()
        };
        // Lines above the header (a title, an export date …) are not data; say so, never hide them.
        for (index, text) in skipped_lines.iter().enumerate() {
            self.quality.problems.push(Problem {
                file: display_name(path),
                line: index as u64 + 1,
                column: String::new(),
                value: text.clone(),
                reason: format!("above the header row (line {}); skipped", header.line),
            });
        }
        let scope = if self.options.scope_all {
            ScopeRule::AllRequested
        } else if columns.has(Field::Business) {
            ScopeRule::BusinessFlag
        } else if !self.options.profile.scope_causes.is_empty() {
            ScopeRule::CauseList
        } else {
            ScopeRule::AllNoScopeData
        };
        self.reserve(estimated_rows(input.len(), prefix, data_start));
        let name = display_name(path);
        let key_columns = key_columns(path, &columns, &self.options.profile.case_key, header.line)?;
        let context = SourceContext {
            path,
            name: &name,
            columns: &columns,
            scope: &scope,
            options: self.options,
            encoding,
            tentative_utf8: guess.tentative,
            not_utf8_at,
            delimiter,
            key_columns,
        };
        let layout = Layout {
            data_start,
            first_line: header.line + lines_in_header,
            delimiter,
            block_bytes: self.options.block_bytes.max(1),
            threads: self.options.parser_threads(),
        };
        let progress = progress_bar(path, input.len(), self.options.show_progress);
        let mut rows = 0u64;
        let ending = read_blocks(
            path,
            input,
            &layout,
            progress.as_ref(),
            |block| parse_block(&context, &block),
            |parsed| {
                rows += parsed.rows;
                self.merge(&context, source_index, parsed)
            },
        )?;
        input.check_unchanged(Some(ending.bytes_read))?;
        if let Some(line) = ending.unterminated_at {
            return Err(Error::input(
                path,
                Some(line),
                "unterminated quoted field: a quote opened in this row is never closed",
            )
            .into());
        }
        if let Some(progress) = &progress {
            progress.finish_and_clear();
        }
        self.quality.rows_read += rows;
        self.table.register.sources.push(Source {
            name,
            sha256: ending.sha256,
            rows,
            encoding,
            delimiter,
            header_line: header.line,
            scope,
            columns,
        });
        Ok(())
    }

    /// Add a parsed block's case rows, in file order: a case number seen before makes the row a
    /// duplicate (identical cells) or a conflicting row (other values); the first row is kept.
    fn merge(
        &mut self,
        context: &SourceContext<'_>,
        source_index: u16,
        mut block: ParsedBlock,
    ) -> std::result::Result<(), Failure> {
        if let Some(failure) = block.failure.take() {
            return Err(failure);
        }
        let ParsedBlock {
            rejected,
            columns,
            numbers,
            courts,
            causes,
            departments,
            judges,
            lines,
            row_hash,
            missing,
            problems,
            originals,
            ..
        } = &block;
        self.quality.rejected += rejected;
        let register = &mut self.table.register;
        let remaps = CodeRemaps {
            courts: register.courts.remap(courts),
            causes: register.causes.remap(causes),
            departments: register.departments.remap(departments),
            judges: register.judges.remap(judges),
        };
        register.begin_source(usize::from(source_index));
        let key_remap = register.case_numbers.remap(numbers);
        let candidates = numbers.len();
        let mut kept: Vec<u32> = Vec::with_capacity(candidates);
        let mut row_of: Vec<u32> = Vec::with_capacity(candidates);
        let mut problems = problems.iter().peekable();
        for candidate in 0..candidates {
            // Problems of rows before this one that could not be cases.
            while let Some(problem) =
                problems.next_if(|p| p.candidate as usize == candidate && !p.own)
            {
                self.quality.problems.push(problem.problem.clone());
            }
            let register = &mut self.table.register;
            let (probe, canonical) = register
                .case_numbers
                .translate(numbers, &key_remap, candidate);
            let hash = register.case_numbers.hash_probe(probe, &canonical);
            let index = register.len() as u32;
            let stored = &register.case_numbers;
            // One probe finds an earlier row or the slot for this one (the table is large: each
            // probe is a cache miss).
            let entry = self.by_case_no.entry(
                hash,
                |&kept| stored.matches(kept as usize, probe, &canonical),
                |&kept| stored.hash_stored(kept as usize),
            );
            if let hashbrown::hash_table::Entry::Occupied(entry) = entry {
                let earlier = *entry.get();
                let earlier_line = register.line[earlier as usize];
                let earlier_source = register.source_of(earlier as usize);
                let place = if earlier_source == usize::from(source_index) {
                    format!("line {earlier_line}")
                } else {
                    format!(
                        "{} line {earlier_line}",
                        register.sources[earlier_source].name
                    )
                };
                let reason = if self.row_hash[earlier as usize] == row_hash[candidate] as u32 {
                    self.quality.duplicates += 1;
                    format!("duplicate row: identical to {place}; counted once")
                } else {
                    self.quality.conflicting += 1;
                    format!(
                        "case number already on {place} with other values; the first row is kept"
                    )
                };
                self.quality.problems.push(Problem {
                    file: context.name.to_string(),
                    line: u64::from(lines[candidate]),
                    column: String::new(),
                    value: block.case_no_as_written(candidate).to_string(),
                    reason,
                });
                // Its own values were never used, so their problems are not counted.
                while problems
                    .next_if(|p| p.candidate as usize == candidate && p.own)
                    .is_some()
                {}
                row_of.push(NO_ROW);
                continue;
            }
            if let hashbrown::hash_table::Entry::Vacant(slot) = entry {
                slot.insert(index);
            }
            register.case_numbers.push(probe, &canonical);
            register.line.push(lines[candidate]);
            self.row_hash.push(row_hash[candidate] as u32);
            while let Some(problem) =
                problems.next_if(|p| p.candidate as usize == candidate && p.own)
            {
                if let Some(field) = problem.invalid {
                    self.quality.fields[field as usize].invalid += 1;
                }
                self.quality.problems.push(problem.problem.clone());
            }
            let mut empty_fields = missing[candidate];
            while empty_fields != 0 {
                self.quality.fields[empty_fields.trailing_zeros() as usize].missing += 1;
                empty_fields &= empty_fields - 1;
            }
            if self.options.profile.appeal_link == AppealLink::SameCaseNumber
                && columns.procedure(candidate) == procedure_code(Procedure::FirstInstance)
            {
                let number =
                    case_number::canonical_case_number(block.case_no_as_written(candidate));
                self.first_instance_by_number
                    .entry(number.into_owned())
                    .or_insert(index);
            }
            kept.push(candidate as u32);
            row_of.push(index);
        }
        for problem in problems {
            self.quality.problems.push(problem.problem.clone());
        }
        let rows = (kept.len() < candidates).then_some(kept.as_slice());
        self.table.columns.append(columns, rows, &remaps);
        for (candidate, original) in originals {
            let row = row_of[*candidate as usize];
            if row != NO_ROW {
                self.original_texts.push_str(original);
                self.originals.push((row, self.original_texts.len() as u32));
            }
        }
        Ok(())
    }

    /// Size every column once for about `rows` more cases.
    fn reserve(&mut self, rows: usize) {
        self.table.columns.reserve(rows);
        self.table.register.line.reserve(rows);
        self.table.register.case_numbers.reserve(rows);
        self.row_hash.reserve(rows);
        let numbers = &self.table.register.case_numbers;
        self.by_case_no
            .reserve(rows, |&kept| numbers.hash_stored(kept as usize));
    }

    fn mark(&self) -> Mark {
        let register = &self.table.register;
        Mark {
            cases: self.table.len(),
            problems: self.quality.problems.len(),
            counts: (
                self.quality.rows_read,
                self.quality.duplicates,
                self.quality.conflicting,
                self.quality.rejected,
            ),
            fields: self.quality.fields,
            originals: self.originals.len(),
            labels: [
                register.courts.labels().len(),
                register.causes.labels().len(),
                register.departments.labels().len(),
                register.judges.labels().len(),
            ],
        }
    }

    /// Forget everything read since `mark`.
    fn rollback(&mut self, mark: Mark) {
        let register = &mut self.table.register;
        for row in mark.cases..register.len() {
            let hash = register.case_numbers.hash_stored(row);
            if let Ok(entry) = self
                .by_case_no
                .find_entry(hash, |&kept| kept as usize == row)
            {
                entry.remove();
            }
        }
        register.case_numbers.truncate(mark.cases);
        register.truncate_sources(mark.cases);
        register.line.truncate(mark.cases);
        register.courts.truncate(mark.labels[0]);
        register.causes.truncate(mark.labels[1]);
        register.departments.truncate(mark.labels[2]);
        register.judges.truncate(mark.labels[3]);
        self.table.columns.truncate(mark.cases);
        self.row_hash.truncate(mark.cases);
        self.originals.truncate(mark.originals);
        let texts_end = self.originals.last().map_or(0, |&(_, end)| end as usize);
        self.original_texts.truncate(texts_end);
        self.first_instance_by_number
            .retain(|_, row| (*row as usize) < mark.cases);
        self.quality.problems.truncate(mark.problems);
        (
            self.quality.rows_read,
            self.quality.duplicates,
            self.quality.conflicting,
            self.quality.rejected,
        ) = mark.counts;
        self.quality.fields = mark.fields;
    }

    /// Link appeals to their first-instance rows, now that every input is read.
    fn finish(mut self) -> (CaseTable, Quality) {
        // Rows are no longer compared: their hashes can go before the look-ups below.
        self.row_hash = Vec::new();
        let originals = std::mem::take(&mut self.originals);
        let texts = std::mem::take(&mut self.original_texts);
        let text = |index: usize| {
            let start = index
                .checked_sub(1)
                .map_or(0, |before| originals[before].1 as usize);
            &texts[start..originals[index].1 as usize]
        };
        if self.options.profile.appeal_link == AppealLink::SameCaseNumber {
            for (index, &(appeal, _)) in originals.iter().enumerate() {
                if let Some(&row) = self.first_instance_by_number.get(text(index)) {
                    self.table.columns.link_first_instance(appeal, row);
                }
            }
            return (self.table, self.quality);
        }
        // Looked up in the order of their slots in the table, not in file order: with tens of
        // millions of cases the table is far larger than the processor's caches, and walking it
        // in order turns a cache miss per appeal into a stream of neighbouring reads.
        let slots = (self.by_case_no.capacity() * 8 / 7 + 1).next_power_of_two() as u64 - 1;
        let numbers = &mut self.table.register.case_numbers;
        let probe_of = |numbers: &mut crate::model::case_keys::CaseNumbers, original: &str| {
            let parsed = case_number::parse_canonical(original).ok();
            let probe = numbers.probe(original, parsed.as_ref());
            (probe, numbers.hash_probe(probe, original))
        };
        // Each number is parsed twice (to sort, then to look up) rather than kept parsed: this
        // runs at the memory peak, where 8 bytes per appeal are affordable and 24 are not.
        let mut order: Vec<(u32, u32)> = (0..originals.len())
            .map(|index| {
                let (_, hash) = probe_of(numbers, text(index));
                ((hash & slots) as u32, index as u32)
            })
            .collect();
        order.sort_unstable();
        let mut links: Vec<(u32, u32)> = Vec::with_capacity(order.len());
        for (_, index) in order {
            let original = text(index as usize);
            let (probe, hash) = probe_of(&mut self.table.register.case_numbers, original);
            let numbers = &self.table.register.case_numbers;
            if let Some(&row) = self.by_case_no.find(hash, |&kept| {
                numbers.matches(kept as usize, probe, original)
            }) {
                links.push((originals[index as usize].0, row));
            }
        }
        links.sort_unstable();
        for (appeal, row) in links {
            self.table.columns.link_first_instance(appeal, row);
        }
        (self.table, self.quality)
    }
}

/// The columns of the profile's case key in one file; a header it names that the file lacks is
/// an error.
fn key_columns(
    path: &Path,
    columns: &ColumnMap,
    key: &[String],
    header_line: u64,
) -> Result<Vec<usize>> {
    key.iter()
        .map(|name| {
            let wanted = crate::model::fields::normalize_header(name);
            columns
                .headers
                .iter()
                .position(|header| crate::model::fields::normalize_header(header) == wanted)
                .ok_or_else(|| {
                    Error::input(
                        path,
                        Some(header_line),
                        format!(
                            "the profile's [case_key] names column \"{name}\", which this file does not have; headers seen: {}",
                            columns.headers.join(", ")
                        ),
                    )
                })
        })
        .collect()
}

/// About how many rows a file holds, from the rows in its first bytes.
fn estimated_rows(len: u64, prefix: &[u8], data_start: u64) -> usize {
    let start = (data_start as usize).min(prefix.len());
    let sample = &prefix[start..];
    let rows = memchr::memchr_iter(b'\n', sample).count().max(1) as u64;
    let bytes = sample.len().max(1) as u64;
    (len.saturating_sub(data_start) * rows / bytes + 16) as usize
}

/// The longest start of `bytes` that decodes in `encoding`, and the offset of a bad byte that
/// ended it (not a character cut at the end).
fn decode_prefix(bytes: &[u8], encoding: TextEncoding) -> (String, Option<usize>) {
    match decode_block(bytes, encoding) {
        Ok(text) => (text.into_owned(), None),
        Err(offset) => {
            let text = decode_block(&bytes[..offset], encoding)
                .map(|text| text.into_owned())
                .unwrap_or_default();
            // A character cut by the end of the prefix is not a bad byte.
            let cut = bytes.len() - offset < 4
                && decode_block(&bytes[offset..], encoding).is_err()
                && bytes.len() == PREFIX_BYTES;
            (text, (!cut).then_some(offset))
        }
    }
}

/// The error for bytes not valid in the encoding the file is read in. `not_utf8_at`: where the
/// file stopped being UTF-8 when detection fell back to GB18030; a file that is neither is most
/// often a damaged UTF-8 export, so that line is the one to look at.
fn malformed_error(
    path: &Path,
    line: u64,
    encoding: TextEncoding,
    not_utf8_at: Option<u64>,
) -> Error {
    if let Some(utf8_line) = not_utf8_at {
        return Error::input(
            path,
            Some(utf8_line),
            format!(
                "bytes that are not valid UTF-8, and the file does not read as GB18030 either (line {line}): neither encoding fits; check the export or try --encoding"
            ),
        );
    }
    let name = match encoding {
        TextEncoding::Gb18030 => "gb18030",
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => "UTF-8",
    };
    Error::input(
        path,
        Some(line),
        format!(
            "bytes that are not valid {name}: the file is neither UTF-8 nor GB18030 (try --encoding)"
        ),
    )
}

/// Lines looked at for the header row: exports often put a title line or two above it.
const HEADER_SEARCH_LINES: usize = 10;

/// Where the header row is.
struct HeaderRow {
    /// Bytes before it (lines skipped).
    skip: usize,
    /// Its line number (1 when the file starts with it).
    line: u64,
    /// The delimiter it is split by.
    delimiter: u8,
}

/// The header is the first of the first lines that names a case-number column and a date column;
/// when none does, line 1 (whose error then names what it holds).
fn find_header(peek: &[u8], forced: Option<u8>, aliases: &HeaderAliases) -> HeaderRow {
    let mut start = 0;
    for index in 0..HEADER_SEARCH_LINES {
        if start >= peek.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &peek[start..]).map_or(peek.len(), |e| start + e);
        let line = &peek[start..end];
        let delimiter = forced.unwrap_or_else(|| detect_delimiter(line));
        if let Some(headers) = split_line(line, delimiter)
            && has_required_columns(&ColumnMap::new(headers, aliases))
        {
            return HeaderRow {
                skip: start,
                line: index as u64 + 1,
                delimiter,
            };
        }
        start = end + 1;
    }
    let end = memchr::memchr(b'\n', peek).unwrap_or(peek.len());
    HeaderRow {
        skip: 0,
        line: 1,
        delimiter: forced.unwrap_or_else(|| detect_delimiter(&peek[..end])),
    }
}

/// The cells of one line, or None when it does not parse as one CSV record.
fn split_line(line: &[u8], delimiter: u8) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line);
    let record = reader.byte_records().next()?.ok()?;
    Some(
        record
            .iter()
            .map(|cell| {
                String::from_utf8_lossy(cell)
                    .trim_end_matches('\r')
                    .to_string()
            })
            .collect(),
    )
}

/// The date fields, at least one of which an export must have.
const DATE_FIELDS: [Field; 4] = [
    Field::ReceivedAt,
    Field::FiledAt,
    Field::ClosedAt,
    Field::AppealReceivedAt,
];

/// Whether a header names the case number and at least one date.
fn has_required_columns(columns: &ColumnMap) -> bool {
    columns.has(Field::CaseNo) && DATE_FIELDS.iter().any(|field| columns.has(*field))
}

/// An export must name its cases and carry at least one date to measure anything.
fn check_required_columns(path: &Path, columns: &ColumnMap) -> Result<()> {
    let seen = columns.headers.join(", ");
    if !columns.has(Field::CaseNo) {
        return Err(Error::input(
            path,
            Some(1),
            format!(
                "no case-number column; headers seen: {seen}; accepted names: {} (or map a header to case_no in --config [columns])",
                Field::CaseNo.accepted_names().join(", ")
            ),
        ));
    }
    if !DATE_FIELDS.iter().any(|field| columns.has(*field)) {
        let accepted: Vec<&str> = DATE_FIELDS
            .iter()
            .flat_map(|f| f.accepted_names())
            .collect();
        return Err(Error::input(
            path,
            Some(1),
            format!(
                "no date column; headers seen: {seen}; accepted names: {} (or map a header in --config [columns])",
                accepted.join(", ")
            ),
        ));
    }
    Ok(())
}

/// `line_offset`: lines skipped above the header, added to the csv crate's line numbers.
fn csv_error(path: &Path, error: csv::Error, line_offset: u64) -> Error {
    let line = error.position().map(|p| p.line() + line_offset);
    match error.into_kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::input(
            path,
            pos.map(|p| p.line() + line_offset).or(line),
            format!(
                "row has {len} fields but the header has {expected_len} (ragged row; check quoting and the delimiter)"
            ),
        ),
        csv::ErrorKind::Io(error) => Error::input(path, line, format!("cannot read: {error}")),
        csv::ErrorKind::Utf8 { pos, .. } => Error::input(
            path,
            pos.map(|p| p.line() + line_offset).or(line),
            "bytes that are not valid UTF-8",
        ),
        other => Error::input(path, line, format!("cannot read CSV: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deducted_days_are_whole_numbers_at_least_zero() {
        assert_eq!(parse_deducted_days("0"), Some(0));
        assert_eq!(parse_deducted_days("15"), Some(15));
        assert_eq!(parse_deducted_days("15.0"), Some(15));
        assert_eq!(parse_deducted_days("15.5"), None);
        assert_eq!(parse_deducted_days("-3"), None);
        assert_eq!(parse_deducted_days("三"), None);
        assert_eq!(parse_deducted_days(".0"), None);
    }

    #[test]
    fn delimiter_is_the_one_splitting_the_header_most() {
        assert_eq!(detect_delimiter(b"a,b,c"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a;b;\"c,d\""), b';');
        assert_eq!(detect_delimiter(b"abc"), b',');
    }

    #[test]
    fn amounts_are_whole_fen() {
        assert_eq!(parse_amount("1234.5"), Some(123_450));
        assert_eq!(parse_amount("1,234.56元"), Some(123_456));
        assert_eq!(parse_amount("0"), Some(0));
        for bad in ["-3", "1.234", "十万", "", ".5", "1e5"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        assert_eq!(
            appeal_against("裁定"),
            Some(crate::model::cases::AGAINST_RULING)
        );
        assert_eq!(yes_no("已上网"), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no("也许"), None);
    }

    #[test]
    fn business_flags() {
        for yes in ["是", "Y", "yes", "TRUE", "1"] {
            assert_eq!(business_flag(yes), Some(true), "{yes}");
        }
        for no in ["否", "n", "No", "false", "0"] {
            assert_eq!(business_flag(no), Some(false), "{no}");
        }
        assert_eq!(business_flag("maybe"), None);
    }
}
