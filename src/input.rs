//! Reading exports: bytes, encodings, delimiters, headers and line numbers. Turns one or more CSV
//! files (or standard input) into a `CaseTable` and a `Quality` account of what could not be used.

use std::fs::File;
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::case_keys::FixedState;
use crate::case_number::{self, CourtLevel, Procedure};
use crate::cases::{
    CaseTable, NO_ROW, ScopeRule, Source, ValueState, court_level_code, procedure_code,
};
use crate::config::Config;
use crate::dates::{self, Timestamp};
use crate::encoding::{
    DecodingReader, EncodingChoice, MalformedText, TextEncoding, Utf8Check, has_bom,
};
use crate::error::{Error, Result};
use crate::fields::{ColumnMap, Field, HeaderAliases};
use crate::quality::{Problem, Quality};

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
    pub config: Config,
    /// Show a progress bar for large files when standard error is a terminal (off with `--quiet`).
    pub show_progress: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: EncodingChoice::Auto,
            delimiter: None,
            scope_all: false,
            config: Config::default(),
            show_progress: true,
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

/// The bytes of one input, opened and with its encoding settled.
struct OpenedSource {
    reader: Box<dyn Read>,
    encoding: TextEncoding,
    /// When detection fell back to GB18030: the line of the first byte that is not UTF-8.
    not_utf8_at: Option<u64>,
    /// Newlines in the input, an upper bound on its rows.
    newlines: u64,
    /// The progress bar shown while it is read, if any.
    progress: Option<ProgressBar>,
    digest: std::rc::Rc<std::cell::RefCell<Sha256>>,
}

fn display_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Open a file or standard input and decide its encoding (spec §3: BOM → UTF-8; valid UTF-8 →
/// UTF-8; else GB18030).
fn open_source(path: &Path, choice: EncodingChoice, show_progress: bool) -> Result<OpenedSource> {
    let digest = std::rc::Rc::new(std::cell::RefCell::new(Sha256::new()));
    if is_stdin(path) {
        // Standard input cannot be read twice, so it is held in memory to detect its encoding.
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map_err(|error| {
            Error::input(path, None, format!("cannot read standard input: {error}"))
        })?;
        if bytes.is_empty() {
            return Err(Error::input(
                path,
                None,
                "empty input: standard input held no data",
            ));
        }
        let mut check = Utf8Check::new();
        check.feed(&bytes);
        let not_utf8_at = check.finish();
        let detected = match choice {
            EncodingChoice::Auto if has_bom(&bytes) => TextEncoding::Utf8Bom,
            EncodingChoice::Auto if not_utf8_at.is_none() => TextEncoding::Utf8,
            EncodingChoice::Auto | EncodingChoice::Gb18030 => TextEncoding::Gb18030,
            EncodingChoice::Utf8 if has_bom(&bytes) => TextEncoding::Utf8Bom,
            EncodingChoice::Utf8 => TextEncoding::Utf8,
        };
        let not_utf8_at = not_utf8_at.filter(|_| choice == EncodingChoice::Auto);
        let hashing = HashingReader {
            inner: io::Cursor::new(bytes),
            digest: digest.clone(),
            progress: None,
        };
        let newlines = memchr::memchr_iter(b'\n', hashing.inner.get_ref()).count() as u64;
        return Ok(OpenedSource {
            reader: decoder_for(hashing, detected),
            encoding: detected,
            not_utf8_at,
            newlines,
            progress: None,
            digest,
        });
    }
    let metadata = std::fs::metadata(path).map_err(|error| open_error(path, &error))?;
    if metadata.is_dir() {
        return Err(Error::input(
            path,
            None,
            "is a directory, not an export file",
        ));
    }
    if metadata.len() == 0 {
        return Err(Error::input(path, None, "empty file: no header row"));
    }
    let survey = survey_file(path)?;
    let (encoding, not_utf8_at) = match choice {
        EncodingChoice::Auto => (survey.encoding, survey.not_utf8_at),
        EncodingChoice::Utf8 if survey.encoding == TextEncoding::Utf8Bom => {
            (TextEncoding::Utf8Bom, None)
        }
        EncodingChoice::Utf8 => (TextEncoding::Utf8, None),
        EncodingChoice::Gb18030 => (TextEncoding::Gb18030, None),
    };
    let file = File::open(path).map_err(|error| open_error(path, &error))?;
    let progress = progress_bar(path, metadata.len(), show_progress);
    let hashing = HashingReader {
        inner: file,
        digest: digest.clone(),
        progress: progress.clone(),
    };
    // A detected UTF-8 file is already known to be valid, so it is passed through undecoded; a
    // forced one is checked as it is read.
    let reader: Box<dyn Read> =
        if choice == EncodingChoice::Auto && encoding != TextEncoding::Gb18030 {
            let mut reader = BufReader::with_capacity(256 * 1024, hashing);
            if encoding == TextEncoding::Utf8Bom {
                reader
                    .fill_buf()
                    .map_err(|error| open_error(path, &error))?;
                reader.consume(3);
            }
            Box::new(reader)
        } else {
            decoder_for(hashing, encoding)
        };
    Ok(OpenedSource {
        reader,
        encoding,
        not_utf8_at,
        newlines: survey.newlines,
        progress,
        digest,
    })
}

fn decoder_for(inner: impl Read + 'static, encoding: TextEncoding) -> Box<dyn Read> {
    let encoding = match encoding {
        TextEncoding::Gb18030 => encoding_rs::GB18030,
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
    };
    Box::new(DecodingReader::new(inner, encoding))
}

fn open_error(path: &Path, error: &io::Error) -> Error {
    let message = match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot open: {error}"),
    };
    Error::input(path, None, message)
}

/// What one pass over a file's bytes tells before it is parsed.
struct Survey {
    /// Encoding detected (a BOM, or UTF-8 validity).
    encoding: TextEncoding,
    /// Where the file stops being UTF-8, if it does.
    not_utf8_at: Option<u64>,
    /// Newlines in the file: an upper bound on its rows, used to size the columns once.
    newlines: u64,
}

/// Read the whole file once: count its lines and see whether it is valid UTF-8.
fn survey_file(path: &Path) -> Result<Survey> {
    let mut file = File::open(path).map_err(|error| open_error(path, &error))?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut check = Utf8Check::new();
    let mut newlines = 0u64;
    let mut bom = None;
    loop {
        let count = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(Error::input(path, None, format!("cannot read: {error}"))),
        };
        let chunk = &buffer[..count];
        if bom.is_none() {
            bom = Some(has_bom(chunk));
        }
        newlines += memchr::memchr_iter(b'\n', chunk).count() as u64;
        if bom == Some(false) {
            check.feed(chunk);
        }
    }
    let (encoding, not_utf8_at) = match (bom, check.finish()) {
        (Some(true), _) => (TextEncoding::Utf8Bom, None),
        (_, None) => (TextEncoding::Utf8, None),
        (_, Some(line)) => (TextEncoding::Gb18030, Some(line)),
    };
    Ok(Survey {
        encoding,
        not_utf8_at,
        newlines,
    })
}

/// Passes bytes through while computing their SHA-256.
/// Also advances the progress bar, if there is one.
struct HashingReader<R> {
    inner: R,
    digest: std::rc::Rc<std::cell::RefCell<Sha256>>,
    progress: Option<ProgressBar>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        self.digest.borrow_mut().update(&buf[..count]);
        if let Some(progress) = &self.progress {
            progress.inc(count as u64);
        }
        Ok(count)
    }
}

/// Inputs above this size show a progress bar while they are read.
const LARGE_INPUT: u64 = 50 * 1024 * 1024;

/// A progress bar on standard error for a large file, when standard error is a terminal (so
/// scripts and cron jobs never see one).
fn progress_bar(path: &Path, bytes: u64, wanted: bool) -> Option<ProgressBar> {
    if !wanted || bytes < LARGE_INPUT || !io::stderr().is_terminal() {
        return None;
    }
    // Cleared when dropped, so an error stops it without leaving it drawn above the message.
    let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr())
        .with_finish(ProgressFinish::AndClear);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta} left)")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("reading {}", path.display()));
    Some(bar)
}

/// Passes decoded text through while counting quote characters and newlines, so that a quoted
/// field left open at the end of the file can be reported (the csv crate accepts it silently).
struct QuoteWatch<R> {
    inner: R,
    state: std::rc::Rc<std::cell::Cell<(u64, u64)>>,
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        let (quotes, newlines) = self.state.get();
        let chunk = &buf[..count];
        let more_quotes = chunk.iter().filter(|&&b| b == b'"').count() as u64;
        let more_newlines = memchr::memchr_iter(b'\n', chunk).count() as u64;
        self.state
            .set((quotes + more_quotes, newlines + more_newlines));
        Ok(count)
    }
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
    match text.to_ascii_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" => Some(true),
        "否" | "n" | "no" | "false" | "0" => Some(false),
        _ => None,
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

/// Trim ASCII and full-width spaces from a cell.
fn trim_cell(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Fills a `CaseTable` source by source.
struct TableBuilder<'a> {
    options: &'a ReadOptions,
    table: CaseTable,
    quality: Quality,
    /// Kept rows by canonical case number, to find duplicates and first-instance cases.
    by_case_no: hashbrown::HashTable<u32>,
    /// Hash of each kept row's cells, to tell exact duplicates from conflicting rows.
    row_hash: Vec<u64>,
    /// Appeal rows naming a first-instance case, resolved once every input is read.
    originals: Vec<(u32, String)>,
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
        }
    }

    fn read_source(&mut self, path: &Path, source_index: u16) -> Result<()> {
        let opened = open_source(path, self.options.encoding, self.options.show_progress)?;
        self.reserve(opened.newlines as usize);
        let not_utf8_at = opened.not_utf8_at;
        let quote_state = std::rc::Rc::new(std::cell::Cell::new((0u64, 0u64)));
        let watched = QuoteWatch {
            inner: opened.reader,
            state: quote_state.clone(),
        };
        let mut buffered = BufReader::with_capacity(256 * 1024, watched);
        let peek = buffered
            .fill_buf()
            .map_err(|error| read_error(path, error, not_utf8_at))?;
        let header = find_header(peek, self.options.delimiter, &self.options.config.aliases);
        let skipped_lines: Vec<String> = peek[..header.skip]
            .split(|&b| b == b'\n')
            .take((header.line - 1) as usize)
            .map(|line| trim_cell(&String::from_utf8_lossy(line)).to_string())
            .collect();
        buffered.consume(header.skip);
        let delimiter = header.delimiter;
        let line_offset = header.line - 1;
        // why: with CRLF endings the csv crate ends a record at the \r and counts the \n into the
        // next one, so every line number after the header came out one short. Records end at \n;
        // the \r left at the end of the last cell is trimmed with the other whitespace.
        let mut reader = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .buffer_capacity(256 * 1024)
            .from_reader(buffered);
        let headers = reader
            .byte_headers()
            .map_err(|error| csv_error(path, error, not_utf8_at, line_offset))?
            .clone();
        let headers: Vec<String> = headers
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
            ));
        }
        let columns = ColumnMap::new(headers, &self.options.config.aliases);
        check_required_columns(path, &columns)?;
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
        } else if !self.options.config.scope_causes.is_empty() {
            ScopeRule::CauseList
        } else {
            ScopeRule::AllNoScopeData
        };
        let name = display_name(path);
        let mut record = csv::ByteRecord::new();
        let mut rows = 0u64;
        let mut last_line = 1u64;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return Err(csv_error(path, error, not_utf8_at, line_offset)),
            }
            let line = record
                .position()
                .map_or(last_line + 1, |p| p.line() + line_offset);
            last_line = line;
            rows += 1;
            let row = RowContext {
                name: &name,
                source_index,
                line,
                columns: &columns,
                scope: &scope,
            };
            self.add_row(&row, &record, path)?;
        }
        let (quotes, newlines) = quote_state.get();
        if quotes % 2 == 1 && newlines + 1 > last_line {
            return Err(Error::input(
                path,
                Some(last_line),
                "unterminated quoted field: a quote opened in this row is never closed",
            ));
        }
        if let Some(progress) = &opened.progress {
            progress.finish_and_clear();
        }
        self.quality.rows_read += rows;
        let sha256 = hex(&opened.digest.borrow().clone().finalize());
        self.table.register.sources.push(Source {
            name,
            sha256,
            rows,
            encoding: opened.encoding,
            delimiter,
            header_line: header.line,
            scope,
            columns,
        });
        Ok(())
    }

    fn add_row(
        &mut self,
        row: &RowContext<'_>,
        record: &csv::ByteRecord,
        path: &Path,
    ) -> Result<()> {
        let mut cells: [&str; crate::fields::FIELD_COUNT] = [""; crate::fields::FIELD_COUNT];
        for field in Field::ALL {
            if let Some(index) = row.columns.column_of[field as usize] {
                let bytes = record.get(index).unwrap_or_default();
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    Error::input(path, Some(row.line), "bytes that are not valid UTF-8")
                })?;
                cells[field as usize] = trim_cell(text);
            }
        }
        let case_no_text = cells[Field::CaseNo as usize];
        if case_no_text.is_empty() {
            self.quality.rejected += 1;
            self.problem(
                row,
                Field::CaseNo,
                "",
                "missing case number: row cannot be a case",
            );
            return Ok(());
        }
        let canonical = case_number::canonical_case_number(case_no_text);
        let parsed = case_number::parse_canonical(&canonical);
        let numbers = &mut self.table.register.case_numbers;
        let probe = numbers.encode(&canonical, parsed.as_ref().ok());
        let hash = numbers.hash_probe(probe, &canonical);
        let record_hash = {
            let mut hasher = FixedState.build_hasher();
            let last = record.len().saturating_sub(1);
            for (index, cell) in record.iter().enumerate() {
                // The line ending's \r is not part of the row (CRLF and LF copies are identical).
                let cell = match index == last {
                    true => cell.strip_suffix(b"\r").unwrap_or(cell),
                    false => cell,
                };
                cell.hash(&mut hasher);
            }
            hasher.finish()
        };
        let numbers = &self.table.register.case_numbers;
        if let Some(&earlier) = self.by_case_no.find(hash, |&kept| {
            numbers.matches(kept as usize, probe, &canonical)
        }) {
            let earlier_line = self.table.register.line[earlier as usize];
            let earlier_source = self.table.register.source[earlier as usize];
            let place = if earlier_source == row.source_index {
                format!("line {earlier_line}")
            } else {
                format!(
                    "{} line {earlier_line}",
                    self.table.register.sources[earlier_source as usize].name
                )
            };
            if self.row_hash[earlier as usize] == record_hash {
                self.quality.duplicates += 1;
                self.row_problem(
                    row,
                    case_no_text,
                    &format!("duplicate row: identical to {place}; counted once"),
                );
            } else {
                self.quality.conflicting += 1;
                self.row_problem(
                    row,
                    case_no_text,
                    &format!(
                        "case number already on {place} with other values; the first row is kept"
                    ),
                );
            }
            return Ok(());
        }
        let line = u32::try_from(row.line).map_err(|_| {
            Error::input(
                path,
                Some(row.line),
                "more than 4,294,967,295 lines in one file; split the export",
            )
        })?;
        let index = self.table.len() as u32;
        let numbers = &self.table.register.case_numbers;
        self.by_case_no
            .insert_unique(hash, index, |&kept| numbers.hash_stored(kept as usize));
        self.table.register.case_numbers.push(probe, &canonical);
        self.row_hash.push(record_hash);
        self.table.register.source.push(row.source_index);
        self.table.register.line.push(line);
        self.fill_case(row, &cells, &parsed, index);
        Ok(())
    }

    /// Size every column once for `rows` more cases (an upper bound: the file's newlines).
    fn reserve(&mut self, rows: usize) {
        self.table.columns.reserve(rows);
        self.table.register.source.reserve(rows);
        self.table.register.line.reserve(rows);
        self.table.register.case_numbers.reserve(rows);
        self.row_hash.reserve(rows);
        let numbers = &self.table.register.case_numbers;
        self.by_case_no
            .reserve(rows, |&kept| numbers.hash_stored(kept as usize));
    }

    /// Parse the fields of a kept case and append them to the table.
    fn fill_case(
        &mut self,
        row: &RowContext<'_>,
        cells: &[&str; crate::fields::FIELD_COUNT],
        parsed: &std::result::Result<case_number::CaseNumber, case_number::CaseNumberError>,
        index: u32,
    ) {
        let case_no_text = cells[Field::CaseNo as usize];
        let parsed = match parsed {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.count_invalid(
                    row,
                    Field::CaseNo,
                    case_no_text,
                    &format!("case number not read: {error}"),
                );
                None
            }
        };
        let court_text = cells[Field::Court as usize];
        self.count_missing(row, Field::Court, court_text);
        let level: Option<CourtLevel> = parsed
            .map(|p| p.court_level)
            .or_else(|| CourtLevel::from_court_name(court_text));
        let procedure = self.procedure_of(row, cells[Field::Procedure as usize], parsed);
        self.table.columns.procedure.push(procedure_code(procedure));
        self.table.columns.court_level.push(court_level_code(level));
        let court = self.table.register.courts.code(court_text);
        self.table.columns.court.push(court);
        let cause_text = cells[Field::Cause as usize];
        self.count_missing(row, Field::Cause, cause_text);
        let cause = self.table.register.causes.code(cause_text);
        self.table.columns.cause.push(cause);
        let department_text = cells[Field::Department as usize];
        self.count_missing(row, Field::Department, department_text);
        let department = self.table.register.departments.code(department_text);
        self.table.columns.department.push(department);
        let judge_text = cells[Field::Judge as usize];
        self.count_missing(row, Field::Judge, judge_text);
        let judge = self.table.register.judges.code(judge_text);
        self.table.columns.judge.push(judge);
        self.count_missing(
            row,
            Field::ClosingMethod,
            cells[Field::ClosingMethod as usize],
        );

        let in_scope = self.in_scope(row, cells);
        self.table.columns.in_scope.push(in_scope);

        for field in [
            Field::ReceivedAt,
            Field::FiledAt,
            Field::ClosedAt,
            Field::AppealReceivedAt,
        ] {
            let (value, state) = self.date(row, field, cells[field as usize]);
            let column = match field {
                Field::ReceivedAt => &mut self.table.columns.received_at,
                Field::FiledAt => &mut self.table.columns.filed_at,
                Field::ClosedAt => &mut self.table.columns.closed_at,
                _ => &mut self.table.columns.appeal_received_at,
            };
            column.push(value, state);
        }

        let deducted_text = cells[Field::DeductedDays as usize];
        let (deducted, state) = if deducted_text.is_empty() {
            self.count_missing(row, Field::DeductedDays, deducted_text);
            (0, ValueState::Missing)
        } else {
            match parse_deducted_days(deducted_text) {
                Some(days) => (days, ValueState::Present),
                None => {
                    self.count_invalid(
                        row,
                        Field::DeductedDays,
                        deducted_text,
                        "deducted days must be a whole number of days ≥ 0",
                    );
                    (0, ValueState::Invalid)
                }
            }
        };
        self.table.columns.deducted_days.push(deducted);
        self.table.columns.deducted_state.push(state as u8);

        let original_text = cells[Field::OriginalCaseNo as usize];
        self.count_missing(row, Field::OriginalCaseNo, original_text);
        self.table.columns.original_row.push(NO_ROW);
        if !original_text.is_empty() {
            let canonical = case_number::canonical_case_number(original_text).into_owned();
            self.originals.push((index, canonical));
        }
    }

    /// The procedure: an explicit procedure column wins; otherwise the case number's type code.
    fn procedure_of(
        &mut self,
        row: &RowContext<'_>,
        text: &str,
        parsed: Option<&case_number::CaseNumber>,
    ) -> Procedure {
        let from_number = parsed.map_or(Procedure::Other, |p| p.procedure());
        if !row.columns.has(Field::Procedure) {
            return from_number;
        }
        if text.is_empty() {
            self.count_missing(row, Field::Procedure, text);
            return from_number;
        }
        match case_number::procedure_from_label(text) {
            Some(procedure) => procedure,
            None => {
                self.count_invalid(
                    row,
                    Field::Procedure,
                    text,
                    "unrecognised procedure; the case number's type code is used instead",
                );
                from_number
            }
        }
    }

    fn in_scope(
        &mut self,
        row: &RowContext<'_>,
        cells: &[&str; crate::fields::FIELD_COUNT],
    ) -> bool {
        let flag_text = cells[Field::Business as usize];
        if row.columns.has(Field::Business) {
            if flag_text.is_empty() {
                self.count_missing(row, Field::Business, flag_text);
            } else if business_flag(flag_text).is_none() {
                self.count_invalid(
                    row,
                    Field::Business,
                    flag_text,
                    "business flag must be 是/否, Y/N, yes/no, true/false or 1/0; case treated as out of scope",
                );
            }
        }
        match row.scope {
            ScopeRule::BusinessFlag => business_flag(flag_text) == Some(true),
            ScopeRule::CauseList => {
                let cause = cells[Field::Cause as usize];
                self.options
                    .config
                    .scope_causes
                    .iter()
                    .any(|listed| listed == cause)
            }
            ScopeRule::AllNoScopeData | ScopeRule::AllRequested => true,
        }
    }

    fn date(
        &mut self,
        row: &RowContext<'_>,
        field: Field,
        text: &str,
    ) -> (Option<Timestamp>, ValueState) {
        match dates::parse_timestamp(text, &self.options.config.date_range) {
            Ok(Some(value)) => (Some(value), ValueState::Present),
            Ok(None) => {
                self.count_missing(row, field, text);
                (None, ValueState::Missing)
            }
            Err(error) => {
                self.count_invalid(row, field, text, &error.to_string());
                (None, ValueState::Invalid)
            }
        }
    }

    fn count_missing(&mut self, row: &RowContext<'_>, field: Field, text: &str) {
        if text.is_empty() && row.columns.has(field) {
            self.quality.fields[field as usize].missing += 1;
        }
    }

    fn count_invalid(&mut self, row: &RowContext<'_>, field: Field, text: &str, reason: &str) {
        self.quality.fields[field as usize].invalid += 1;
        self.problem(row, field, text, reason);
    }

    /// A problem with one cell: its column is the header that supplies `field`.
    fn problem(&mut self, row: &RowContext<'_>, field: Field, value: &str, reason: &str) {
        let column = row.columns.header_of(field).to_string();
        self.push_problem(row, column, value, reason);
    }

    /// A problem with the whole row (a duplicate or conflicting row): no single column.
    fn row_problem(&mut self, row: &RowContext<'_>, case_no: &str, reason: &str) {
        self.push_problem(row, String::new(), case_no, reason);
    }

    fn push_problem(&mut self, row: &RowContext<'_>, column: String, value: &str, reason: &str) {
        self.quality.problems.push(Problem {
            file: row.name.to_string(),
            line: row.line,
            column,
            value: value.to_string(),
            reason: reason.to_string(),
        });
    }

    /// Link appeals to their first-instance rows, now that every input is read.
    fn finish(mut self) -> (CaseTable, Quality) {
        for (appeal, original) in std::mem::take(&mut self.originals) {
            let parsed = case_number::parse_canonical(&original).ok();
            let numbers = &mut self.table.register.case_numbers;
            let probe = numbers.probe(&original, parsed.as_ref());
            let hash = numbers.hash_probe(probe, &original);
            let numbers = &self.table.register.case_numbers;
            if let Some(&row) = self.by_case_no.find(hash, |&kept| {
                numbers.matches(kept as usize, probe, &original)
            }) {
                self.table.columns.original_row[appeal as usize] = row;
            }
        }
        (self.table, self.quality)
    }
}

/// Where a row stands, for its problems.
struct RowContext<'a> {
    name: &'a str,
    source_index: u16,
    line: u64,
    columns: &'a ColumnMap,
    scope: &'a ScopeRule,
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

/// An error from reading decoded text. `not_utf8_at` is where the file stopped being UTF-8 when
/// detection fell back to GB18030: a file that is neither is most often a damaged UTF-8 export, so
/// that line is the one to look at.
fn read_error(path: &Path, error: io::Error, not_utf8_at: Option<u64>) -> Error {
    if let Some(malformed) = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<MalformedText>())
    {
        if let Some(utf8_line) = not_utf8_at {
            return Error::input(
                path,
                Some(utf8_line),
                format!(
                    "bytes that are not valid UTF-8, and the file does not read as GB18030 either (line {}): neither encoding fits; check the export or try --encoding",
                    malformed.line
                ),
            );
        }
        return Error::input(
            path,
            Some(malformed.line),
            format!("{malformed}: the file is neither UTF-8 nor GB18030 (try --encoding)"),
        );
    }
    Error::input(path, None, format!("cannot read: {error}"))
}

/// `line_offset`: lines skipped above the header, added to the csv crate's line numbers.
fn csv_error(path: &Path, error: csv::Error, not_utf8_at: Option<u64>, line_offset: u64) -> Error {
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
        csv::ErrorKind::Io(error) => read_error(path, error, not_utf8_at),
        csv::ErrorKind::Utf8 { pos, .. } => Error::input(
            path,
            pos.map(|p| p.line() + line_offset).or(line),
            "bytes that are not valid UTF-8",
        ),
        other => Error::input(path, line, format!("cannot read CSV: {other:?}")),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
