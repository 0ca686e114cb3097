//! Finding the header row of a CSV export (exports often put a title line or two above it), its
//! delimiter, the fields its headers name, and where the rows start.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::fields::{ColumnMap, Field, HeaderAliases};
use crate::read::ReadStop;
use crate::read::bad_input::{csv_error, malformed_error};
use crate::read::cells::trim_cell;
use crate::read::encoding::{TextEncoding, decode_block};
use crate::read::file_blocks::{EncodingGuess, PREFIX_BYTES, line_at};

/// The header row of one file, as found in its first bytes, and where its rows start.
pub(super) struct FileHeader {
    /// Its line number (1 when the file starts with it).
    pub line: u64,
    /// Lines the header row spans (a quoted header cell may hold line feeds).
    pub lines_in_header: u64,
    /// The delimiter the file is split by.
    pub delimiter: u8,
    /// The lines above it (a title, an export date …), trimmed.
    pub skipped_lines: Vec<String>,
    /// Its headers and the fields they supply.
    pub columns: ColumnMap,
    /// The byte offset of the first row; the file's length when it ends with the header.
    pub data_start: u64,
}

/// Find and read the header row of a file from its first bytes (`prefix`), decoded as `guess`
/// says; `delimiter`, when given, is used instead of detecting one.
pub(super) fn read_header(
    path: &Path,
    file_len: u64,
    prefix: &[u8],
    guess: &EncodingGuess,
    delimiter: Option<u8>,
    aliases: &HeaderAliases,
) -> std::result::Result<FileHeader, ReadStop> {
    let encoding = guess.encoding;
    let bom = if encoding == TextEncoding::Utf8Bom {
        3
    } else {
        0
    };
    // The first bytes as text, as far as they decode (a character cut at the end, or a bad
    // byte, ends them; a bad byte in the header is reported below).
    let (text, bad_byte) = decode_prefix(&prefix[bom..], encoding);
    let header = find_header(text.as_bytes(), delimiter, aliases);
    let skipped_lines = skipped_lines(text.as_bytes(), &header);
    let header_text = &text.as_bytes()[header.skip..];
    let (headers, header_bytes) = header_record(path, header_text, &header)?;
    let lines_in_header = memchr::memchr_iter(b'\n', header_bytes).count() as u64;
    if let Some(offset) = bad_byte {
        let bad_line = line_at(&prefix[bom..], offset);
        if bad_line <= header.line + lines_in_header {
            return Err(malformed_error(path, bad_line, encoding, guess.not_utf8_at).into());
        }
    }
    if !header_bytes.ends_with(b"\n") && prefix.len() >= PREFIX_BYTES {
        // The header row does not end within the bytes looked at: its rows cannot be found.
        return Err(header_too_long(path, header.line).into());
    }
    if headers.iter().all(|h| trim_cell(h).is_empty()) {
        return Err(Error::input(
            path,
            Some(header.line),
            "no header row: the first line is empty",
        )
        .into());
    }
    let columns = ColumnMap::new(headers, aliases);
    check_required_columns(path, &columns, aliases)?;
    let data_start = if header_bytes.ends_with(b"\n") {
        data_start(path, prefix, header.line, lines_in_header)?
    } else {
        file_len
    };
    Ok(FileHeader {
        line: header.line,
        lines_in_header,
        delimiter: header.delimiter,
        skipped_lines,
        columns,
        data_start,
    })
}

/// The lines above the header row, trimmed.
fn skipped_lines(text: &[u8], header: &HeaderRow) -> Vec<String> {
    text[..header.skip]
        .split(|&b| b == b'\n')
        .take((header.line - 1) as usize)
        .map(|line| {
            // A title row saved from a spreadsheet ends in empty cells: "标题,,,,".
            let line = String::from_utf8_lossy(line);
            let cells = trim_cell(&line).trim_end_matches(char::from(header.delimiter));
            trim_cell(cells).to_string()
        })
        .collect()
}

/// The header row's cells, and its bytes as the csv crate read them (with the line feeds of
/// quoted cells and the one ending it).
fn header_record<'t>(
    path: &Path,
    header_text: &'t [u8],
    header: &HeaderRow,
) -> Result<(Vec<String>, &'t [u8])> {
    let mut reader = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(header.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(header_text);
    let mut record = csv::ByteRecord::new();
    reader
        .read_byte_record(&mut record)
        .map_err(|error| csv_error(path, error, header.line - 1))?;
    let consumed = reader.position().byte() as usize;
    let header_bytes = &header_text[..consumed.min(header_text.len())];
    Ok((cells_of(&record), header_bytes))
}

/// A record's cells as text, without a carriage return ending a line.
pub(super) fn cells_of(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|cell| {
            String::from_utf8_lossy(cell)
                .trim_end_matches('\r')
                .to_string()
        })
        .collect()
}

/// Rows start after the header's last line feed.
fn data_start(path: &Path, prefix: &[u8], header_line: u64, lines_in_header: u64) -> Result<u64> {
    let lines_before_data = (header_line - 1 + lines_in_header) as usize;
    match memchr::memchr_iter(b'\n', prefix).nth(lines_before_data - 1) {
        Some(at) => Ok(at as u64 + 1),
        None => Err(header_too_long(path, header_line)),
    }
}

/// The error for a header row (with any title lines above it) that does not end within the
/// first 256 KiB.
fn header_too_long(path: &Path, header_line: u64) -> Error {
    Error::input(
        path,
        Some(header_line),
        "header row longer than 256 KiB: check the delimiter and the line endings",
    )
}

/// Pick the delimiter that splits the header line into the most fields (comma, tab, semicolon).
pub(super) fn detect_delimiter(header_line: &[u8]) -> u8 {
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

/// Lines looked at for the header row: exports often put a title line or two above it.
const HEADER_SEARCH_LINES: usize = 10;

/// Where the header row is.
pub(super) struct HeaderRow {
    /// Bytes before it (lines skipped).
    pub skip: usize,
    /// Its line number (1 when the file starts with it).
    pub line: u64,
    /// The delimiter it is split by.
    pub delimiter: u8,
}

/// The header is the first of the first lines that names a case-number column and a date column;
/// when none does, line 1 (whose error then names what it holds).
pub(super) fn find_header(peek: &[u8], forced: Option<u8>, aliases: &HeaderAliases) -> HeaderRow {
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
    Some(cells_of(&record))
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

/// The names accepted for `field`: its built-in names, then the headers the profile maps to it.
fn accepted_names(field: Field, aliases: &HeaderAliases) -> Vec<&str> {
    let mut names = field.accepted_names();
    for name in aliases.mapped_names(field) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// An export must name its cases and carry at least one date to measure anything.
fn check_required_columns(path: &Path, columns: &ColumnMap, aliases: &HeaderAliases) -> Result<()> {
    let seen = columns.headers.join(", ");
    if !columns.has(Field::CaseNo) {
        // why: the names a user's own profile gave must be among those listed (issue 15,
        // point 7): the file and the profile disagree, and both sides are shown.
        return Err(Error::input(
            path,
            Some(1),
            format!(
                "no case-number column; headers seen: {seen}; accepted names: {} (or map a header to case_no in the --profile file's [columns])",
                accepted_names(Field::CaseNo, aliases).join(", ")
            ),
        ));
    }
    if !DATE_FIELDS.iter().any(|field| columns.has(*field)) {
        let accepted: Vec<&str> = DATE_FIELDS
            .iter()
            .flat_map(|f| accepted_names(*f, aliases))
            .collect();
        return Err(Error::input(
            path,
            Some(1),
            format!(
                "no date column; headers seen: {seen}; accepted names: {} (or map a header in the --profile file's [columns])",
                accepted.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The columns of the profile's case key in one file; a header it names that the file lacks is
/// an error.
pub(super) fn key_columns(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_one_splitting_the_header_most() {
        assert_eq!(detect_delimiter(b"a,b,c"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a;b;\"c,d\""), b';');
        assert_eq!(detect_delimiter(b"abc"), b',');
    }
}
