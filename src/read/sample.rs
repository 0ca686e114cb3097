//! The first rows of an export as text cells, for `profile draft` (which guesses what each column
//! is) and `profile check` (which shows example values). The file is opened, its encoding
//! detected, its header found and a workbook or Parquet file converted exactly as the reader does
//! (`read_exports`), but the headers need not name any field.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::fields::HeaderAliases;
use crate::read::bad_input::malformed_error;
use crate::read::blocks::RecordScanner;
use crate::read::cells::trim_cell;
use crate::read::converted;
use crate::read::encoding::{EncodingChoice, TextEncoding, decode_block, read_full};
use crate::read::file_blocks::{EncodingGuess, Input, PREFIX_BYTES, guess_encoding, line_at};
use crate::read::header::{cells_of, detect_delimiter, find_header};
use crate::read::transcode;

/// How to take a sample.
#[derive(Debug, Clone)]
pub struct SampleOptions<'a> {
    /// Force an encoding, or detect it.
    pub encoding: EncodingChoice,
    /// Force a delimiter, or detect it.
    pub delimiter: Option<u8>,
    /// The worksheet of a workbook (default: the first).
    pub sheet: Option<&'a str>,
    /// Data rows taken at most.
    pub rows: usize,
    /// The header names that find the header row under title lines.
    pub aliases: &'a HeaderAliases,
}

/// What kind of file an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKind {
    /// CSV text (or Excel's "Unicode text").
    Csv,
    /// A workbook (`.xlsx`, `.xlsm`, `.xls`).
    Workbook,
    /// A Parquet file.
    Parquet,
}

/// The first rows of an export.
#[derive(Debug, Clone)]
pub struct Sample {
    /// What kind of file it is.
    pub kind: SampleKind,
    /// The encoding it is read in.
    pub encoding: TextEncoding,
    /// The delimiter (`,` for workbooks and Parquet).
    pub delimiter: u8,
    /// The line (sheet row) of the header.
    pub header_line: u64,
    /// The headers, as written.
    pub headers: Vec<String>,
    /// The data rows taken, each cell trimmed, each as wide as the header.
    pub rows: Vec<Vec<String>>,
    /// Whether the rows taken are every row of the file.
    pub whole_file: bool,
}

/// Bytes read at most for a sample, however few rows they hold.
const MAX_SAMPLE_BYTES: usize = 256 << 20;

/// Lines looked at for the header row (as `read_header` does), beyond the rows sampled.
const HEADER_LINES: usize = 10;

/// Take the first `options.rows` data rows of `path`.
pub fn read_sample(path: &Path, options: &SampleOptions<'_>) -> Result<Sample> {
    if let Some(format) = converted::Format::of(path) {
        let converted = converted::convert(path, format, options.sheet)?;
        let kind = match format {
            converted::Format::Parquet => SampleKind::Parquet,
            _ => SampleKind::Workbook,
        };
        let input = Input::Memory(converted.csv);
        let text = Text {
            kind,
            known: Some(TextEncoding::Utf8),
            delimiter: Some(b','),
        };
        return sample_text(path, &input, &text, options);
    }
    let input = Input::open(path)?;
    let prefix = input.prefix(path)?;
    let text = Text {
        kind: SampleKind::Csv,
        known: None,
        delimiter: options.delimiter,
    };
    match transcode::rewrite_if_needed(path, &input, &prefix)? {
        Some(rewritten) => {
            let text = Text {
                known: rewritten.encoding,
                ..text
            };
            sample_text(path, &rewritten.input, &text, options)
        }
        None => sample_text(path, &input, &text, options),
    }
}

/// How an input's text is to be read.
struct Text {
    kind: SampleKind,
    /// Its encoding, when known without looking (converted and UTF-16 inputs).
    known: Option<TextEncoding>,
    /// The delimiter, when known or forced.
    delimiter: Option<u8>,
}

/// The sample of an input's text.
fn sample_text(
    path: &Path,
    input: &Input,
    text: &Text,
    options: &SampleOptions<'_>,
) -> Result<Sample> {
    let (bytes, whole) = first_rows(path, input, options.rows + HEADER_LINES + 1)?;
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let guess = match text.known {
        Some(encoding) => EncodingGuess {
            encoding,
            not_utf8_at: None,
            tentative: false,
        },
        None => guess_encoding(
            prefix,
            options.encoding,
            whole && bytes.len() < PREFIX_BYTES,
        ),
    };
    let (decoded, encoding) = decode_sample(path, &bytes, &guess)?;
    let found = find_header(decoded.as_bytes(), text.delimiter, options.aliases);
    let (headers, rows, more) = records(path, &decoded[found.skip..], &found, options.rows)?;
    Ok(Sample {
        kind: text.kind,
        encoding,
        delimiter: found.delimiter,
        header_line: found.line,
        headers,
        rows,
        whole_file: whole && !more,
    })
}

/// The input's first bytes, cut after the `lines`-th row end (quotes followed), and whether they
/// are the whole input.
fn first_rows(path: &Path, input: &Input, lines: usize) -> Result<(Vec<u8>, bool)> {
    let mut reader = input.reader()?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut scanner: Option<RecordScanner> = None;
    let (mut rows, mut cut) = (0usize, 0usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let count = read_full(&mut reader, &mut chunk)
            .map_err(|error| Error::input(path, None, format!("cannot read: {error}")))?;
        if count == 0 {
            return Ok((bytes, true));
        }
        let start = bytes.len();
        bytes.extend_from_slice(&chunk[..count]);
        let scanner = scanner.get_or_insert_with(|| {
            let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
            RecordScanner::new(detect_delimiter(first_line))
        });
        // Count row ends one line at a time, to stop at the `lines`-th.
        let mut at = start;
        for end in memchr::memchr_iter(b'\n', &bytes[start..]) {
            let end = start + end + 1;
            if scanner.scan(&bytes[at..end]).is_some() {
                rows += 1;
                cut = end;
            }
            at = end;
            if rows >= lines {
                bytes.truncate(cut);
                return Ok((bytes, false));
            }
        }
        scanner.scan(&bytes[at..]);
        if bytes.len() >= MAX_SAMPLE_BYTES {
            bytes.truncate(cut);
            return Ok((bytes, false));
        }
    }
}

/// The sample's bytes as text, again as GB18030 when they stop being UTF-8 after the first bytes.
fn decode_sample(
    path: &Path,
    bytes: &[u8],
    guess: &EncodingGuess,
) -> Result<(String, TextEncoding)> {
    let body = match guess.encoding {
        TextEncoding::Utf8Bom => &bytes[3.min(bytes.len())..],
        _ => bytes,
    };
    match decode_block(body, guess.encoding) {
        Ok(text) => Ok((text.into_owned(), guess.encoding)),
        Err(offset) if guess.tentative => {
            let line = line_at(body, offset);
            decode_block(body, TextEncoding::Gb18030)
                .map(|text| (text.into_owned(), TextEncoding::Gb18030))
                .map_err(|at| {
                    malformed_error(path, line_at(body, at), TextEncoding::Gb18030, Some(line))
                })
        }
        Err(offset) => Err(malformed_error(
            path,
            line_at(body, offset),
            guess.encoding,
            guess.not_utf8_at,
        )),
    }
}

/// The header's cells, up to `limit` data rows below it (trimmed), and whether more rows follow.
fn records(
    path: &Path,
    text: &str,
    header: &crate::read::header::HeaderRow,
    limit: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>, bool)> {
    let mut reader = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(header.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let read = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord| {
        reader.read_byte_record(record).map_err(|error| {
            let line = error.position().map(|p| p.line() + header.line - 1);
            Error::input(path, line, format!("not CSV: {error}"))
        })
    };
    if !read(&mut reader, &mut record)? {
        return Err(Error::input(path, Some(header.line), "no header row"));
    }
    let headers = cells_of(&record);
    if headers.iter().all(|h| trim_cell(h).is_empty()) {
        return Err(Error::input(
            path,
            Some(header.line),
            "no header row: the first line is empty",
        ));
    }
    let mut rows = Vec::new();
    while read(&mut reader, &mut record)? {
        if record.len() == 1 && record.get(0) == Some(b"\r".as_slice()) {
            continue;
        }
        if rows.len() == limit {
            return Ok((headers, rows, true));
        }
        if record.len() != headers.len() {
            let at = record.position().map_or(0, |p| p.byte() as usize);
            let line = header.line + line_at(text.as_bytes(), at).saturating_sub(1);
            let line = line + u64::from(text.as_bytes().get(at) == Some(&b'\n'));
            return Err(Error::input(
                path,
                Some(line),
                format!(
                    "row has {} fields but the header has {} (ragged row; check quoting and the delimiter)",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        rows.push(
            cells_of(&record)
                .iter()
                .map(|c| trim_cell(c).to_string())
                .collect(),
        );
    }
    Ok((headers, rows, false))
}

impl Sample {
    /// Up to `count` distinct filled values of column `index`, in file order.
    pub fn first_distinct(&self, index: usize, count: usize) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for row in &self.rows {
            let Some(cell) = row.get(index).filter(|c| !c.is_empty()) else {
                continue;
            };
            if !seen.contains(cell) {
                seen.push(cell.clone());
                if seen.len() == count {
                    break;
                }
            }
        }
        seen
    }

    /// The column (0-based) whose header is `header` (compared as headers are).
    pub fn column(&self, header: &str) -> Option<usize> {
        let wanted = crate::model::fields::normalize_header(header);
        self.headers
            .iter()
            .position(|h| crate::model::fields::normalize_header(h) == wanted)
    }
}

/// A column's letters as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn a_sample_stops_at_its_rows_and_says_when_it_is_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let aliases = HeaderAliases::default();
        let mut options = SampleOptions {
            encoding: EncodingChoice::Auto,
            delimiter: None,
            sheet: None,
            rows: 2,
            aliases: &aliases,
        };
        std::fs::write(&path, "a;b\n1;\"x\ny\"\n2;z\n\n3;w\n").unwrap();
        let sample = read_sample(&path, &options).unwrap();
        assert_eq!(sample.headers, vec!["a", "b"]);
        assert_eq!(sample.delimiter, b';');
        assert_eq!(sample.rows, vec![vec!["1", "x\ny"], vec!["2", "z"]]);
        assert!(!sample.whole_file);
        options.rows = 10;
        let sample = read_sample(&path, &options).unwrap();
        assert_eq!(sample.rows.len(), 3);
        assert!(sample.whole_file);
        assert_eq!(sample.first_distinct(0, 2), vec!["1", "2"]);
    }
}
