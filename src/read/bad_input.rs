//! The errors for bytes that do not decode and CSV that does not parse, with the line to look at.

use std::path::Path;

use crate::error::Error;
use crate::read::encoding::TextEncoding;

/// The error for bytes not valid in the encoding the file is read in. `not_utf8_at`: where the
/// file stopped being UTF-8 when detection fell back to GB18030; a file that is neither is most
/// often a damaged UTF-8 export, so that line is the one to look at.
pub(super) fn malformed_error(
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
        TextEncoding::Utf8
        | TextEncoding::Utf8Bom
        | TextEncoding::Utf16Le
        | TextEncoding::Utf16Be => "UTF-8",
    };
    if name == "UTF-8" && reads_as_gb18030(path) {
        return Error::input(
            path,
            Some(line),
            "bytes that are not valid UTF-8 (--encoding utf-8), but the file reads as GB18030: drop --encoding or give --encoding gb18030",
        );
    }
    Error::input(
        path,
        Some(line),
        format!(
            "bytes that are not valid {name}: the file is neither UTF-8 nor GB18030 (try --encoding)"
        ),
    )
}

/// Whether the start of the file at `path` (up to 4 MiB, cut after its last whole line) decodes as
/// GB18030: the hint for a GBK export read with `--encoding utf-8`. Standard input and files
/// that cannot be read again get no hint.
fn reads_as_gb18030(path: &Path) -> bool {
    use std::io::Read;
    const SAMPLE_BYTES: u64 = 4 << 20;
    let mut sample = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|file| file.take(SAMPLE_BYTES).read_to_end(&mut sample));
    if read.is_err() || sample.is_empty() {
        return false;
    }
    if sample.len() as u64 == SAMPLE_BYTES
        && let Some(end) = memchr::memrchr(b'\n', &sample)
    {
        sample.truncate(end + 1);
    }
    crate::read::encoding::decode_block(&sample, TextEncoding::Gb18030).is_ok()
}

/// `line_offset`: lines skipped above the header, added to the csv crate's line numbers.
pub(super) fn csv_error(path: &Path, error: csv::Error, line_offset: u64) -> Error {
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
