//! Exports that are text but not in the shape the block reader takes: Excel's "Unicode text"
//! (UTF-16 with a byte-order mark, tab-delimited) and Excel for Mac's "CSV (Macintosh)" (lines
//! ended by a carriage return alone). Each is rewritten in memory once — UTF-16 as UTF-8, lone
//! CRs as LFs — and then read like any other export, with the SHA-256 of the file's own bytes.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::read::encoding::TextEncoding;
use crate::read::file_blocks::{Input, hex};

/// Largest file rewritten in memory: 4 GiB, beyond any export Excel writes (1,048,576 rows).
const MAX_REWRITTEN_BYTES: u64 = 4 << 30;

/// An input rewritten to be read like any other.
pub(super) struct Rewritten {
    /// The rewritten bytes, held in memory.
    pub input: Input,
    /// The encoding the file was in when it is not the rewritten bytes' own (UTF-16), to show in
    /// reports; `None`: detect from the rewritten bytes as usual.
    pub encoding: Option<TextEncoding>,
    /// SHA-256 of the file's own bytes, in hex.
    pub sha256: String,
}

/// The encoding a UTF-16 byte-order mark at the start of `prefix` names.
fn utf16_bom(prefix: &[u8]) -> Option<TextEncoding> {
    match prefix {
        [0xFF, 0xFE, ..] => Some(TextEncoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(TextEncoding::Utf16Be),
        _ => None,
    }
}

/// Whether a text's lines end with a carriage return alone: a CR in its first bytes and no LF.
fn cr_only(prefix: &[u8]) -> bool {
    memchr::memchr(b'\r', prefix).is_some() && memchr::memchr(b'\n', prefix).is_none()
}

/// `input` rewritten when it is UTF-16 or has CR-only line endings; `None` for any other input,
/// read as it is.
pub(super) fn rewrite_if_needed(
    path: &Path,
    input: &Input,
    prefix: &[u8],
) -> Result<Option<Rewritten>> {
    let utf16 = utf16_bom(prefix);
    if utf16.is_none() && !cr_only(prefix) {
        return Ok(None);
    }
    let bytes = read_whole(path, input)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = match utf16 {
        Some(encoding) => decode_utf16(path, &bytes, encoding)?.into_bytes(),
        None => bytes,
    };
    let text = match cr_only(&text[..text.len().min(prefix.len())]) {
        true => lone_crs_to_lfs(&text),
        false => text,
    };
    Ok(Some(Rewritten {
        input: Input::Memory(text),
        encoding: utf16,
        sha256,
    }))
}

/// Every byte of the input, refusing one over `MAX_REWRITTEN_BYTES`.
fn read_whole(path: &Path, input: &Input) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut reader = input.reader()?.take(MAX_REWRITTEN_BYTES + 1);
    reader
        .read_to_end(&mut bytes)
        .map_err(|error| Error::input(path, None, format!("cannot read: {error}")))?;
    if bytes.len() as u64 > MAX_REWRITTEN_BYTES {
        return Err(Error::input(
            path,
            None,
            "a UTF-16 or CR-only export over 4 GiB: save it as CSV UTF-8 to read it",
        ));
    }
    Ok(bytes)
}

/// UTF-16 bytes (starting with their BOM) as UTF-8 text; bytes that are not UTF-16 (a lone
/// surrogate, an odd byte at the end) stop the run with their line.
fn decode_utf16(path: &Path, bytes: &[u8], encoding: TextEncoding) -> Result<String> {
    let codec = match encoding {
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        _ => encoding_rs::UTF_16LE,
    };
    let body = &bytes[2..];
    if let Some(text) = codec.decode_without_bom_handling_and_without_replacement(body) {
        return Ok(text.into_owned());
    }
    let (lossy, _) = codec.decode_without_bom_handling(body);
    let line = 1 + lossy
        .split('\u{FFFD}')
        .next()
        .map_or(0, |good| good.matches('\n').count());
    Err(Error::input(
        path,
        Some(line as u64),
        format!(
            "bytes that are not valid {encoding} although the file starts with its byte-order mark"
        ),
    ))
}

/// Text whose lines end with CR alone, with LF instead (a CRLF, should one occur, stays).
fn lone_crs_to_lfs(text: &[u8]) -> Vec<u8> {
    let mut out = text.to_vec();
    for index in 0..out.len() {
        if out[index] == b'\r' && out.get(index + 1) != Some(&b'\n') {
            out[index] = b'\n';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn utf16_is_rewritten_as_utf8_and_keeps_the_sha256_of_the_file() {
        let bytes = utf16le("案号\t立案日期\r\n(2021)豫0302民初1号\t2021-03-01\r\n");
        let input = Input::Memory(bytes.clone());
        let rewritten = rewrite_if_needed(Path::new("u.txt"), &input, &bytes)
            .unwrap()
            .unwrap();
        let Input::Memory(text) = &rewritten.input else {
            panic!("in memory")
        };
        assert_eq!(
            String::from_utf8_lossy(text),
            "案号\t立案日期\r\n(2021)豫0302民初1号\t2021-03-01\r\n"
        );
        assert_eq!(rewritten.encoding, Some(TextEncoding::Utf16Le));
        assert_eq!(rewritten.sha256, hex(&Sha256::digest(&bytes)));
    }

    #[test]
    fn a_lone_surrogate_names_its_line() {
        let mut bytes = utf16le("a\nb\n");
        bytes.extend_from_slice(&[0x00, 0xD8, b'x', 0]);
        let error = decode_utf16(Path::new("u.txt"), &bytes, TextEncoding::Utf16Le).unwrap_err();
        assert_eq!(
            error.to_string(),
            "u.txt:3: bytes that are not valid utf-16le although the file starts with its byte-order mark"
        );
    }

    #[test]
    fn cr_only_lines_become_lf_lines_and_others_are_left_alone() {
        assert_eq!(lone_crs_to_lfs(b"a,b\rc,d\r"), b"a,b\nc,d\n");
        assert_eq!(lone_crs_to_lfs(b"a\r\nb\r"), b"a\r\nb\n");
        assert!(cr_only(b"a,b\rc,d\r"));
        assert!(!cr_only(b"a,b\r\nc,d\r\n"));
        assert!(!cr_only(b"a,b\nc,d\n"));
        let input = Input::Memory(b"a,b\n".to_vec());
        assert!(
            rewrite_if_needed(Path::new("x.csv"), &input, b"a,b\n")
                .unwrap()
                .is_none()
        );
    }
}
