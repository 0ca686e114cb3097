//! Text encodings of exports: UTF-8 (with or without BOM) and GBK/GB18030, which is what Excel on
//! Chinese Windows writes as "CSV" (spec §3), and UTF-16 with a BOM, Excel's "Unicode text".

use std::fmt;
use std::io::{self, Read};

/// The encoding an export is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 starting with the byte-order mark EF BB BF (Excel's "CSV UTF-8").
    Utf8Bom,
    /// GB18030, the superset of GBK and GB2312.
    Gb18030,
    /// UTF-16 little-endian with its BOM FF FE (Excel's "Unicode text"), held rewritten as UTF-8.
    Utf16Le,
    /// UTF-16 big-endian with its BOM FE FF, held rewritten as UTF-8.
    Utf16Be,
}

impl TextEncoding {
    /// The name shown in reports and accepted by `--encoding`.
    pub fn id(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Gb18030 => "gb18030",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The encoding a user forces with `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingChoice {
    /// Detect: BOM → UTF-8; valid UTF-8 → UTF-8; otherwise GB18030.
    Auto,
    /// UTF-8 (a BOM, if present, is skipped).
    Utf8,
    /// GB18030 (also reads GBK and GB2312).
    Gb18030,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether the bytes start with a UTF-8 byte-order mark.
pub(crate) fn has_bom(prefix: &[u8]) -> bool {
    prefix.starts_with(BOM)
}

/// Decode a whole block of bytes in `encoding` (without a BOM) to text. On bytes that are not
/// valid in it, the error is the offset of the first of them. A UTF-16 input's bytes were
/// rewritten as UTF-8 before (`read::transcode`): they are decoded as UTF-8.
pub(crate) fn decode_block(
    bytes: &[u8],
    encoding: TextEncoding,
) -> Result<std::borrow::Cow<'_, str>, usize> {
    match encoding {
        // why simdutf8: std's check runs a byte at a time through Chinese text and was the largest
        // single cost of reading; the SIMD one is several times faster and as strict.
        TextEncoding::Utf8
        | TextEncoding::Utf8Bom
        | TextEncoding::Utf16Le
        | TextEncoding::Utf16Be => match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
            Err(_) => Err(std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0)),
        },
        TextEncoding::Gb18030 => {
            if let Some(text) =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
            {
                return Ok(text);
            }
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let capacity = decoder
                .max_utf8_buffer_length_without_replacement(bytes.len())
                .unwrap_or(bytes.len() * 3);
            let mut text = String::with_capacity(capacity);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut text, true);
            match result {
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    Err(read - usize::from(bad) - usize::from(after))
                }
                _ => Ok(std::borrow::Cow::Owned(text)),
            }
        }
    }
}

/// Fill `buf` as far as the reader allows; fewer bytes only at the end of the input (0: at the end).
pub(crate) fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(count) => filled += count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_that_does_not_decode_names_the_offset_of_its_first_bad_byte() {
        let (gb, _, _) = encoding_rs::GB18030.encode("案号\n号");
        let mut bytes = gb.into_owned();
        assert_eq!(
            decode_block(&bytes, TextEncoding::Gb18030).unwrap(),
            "案号\n号"
        );
        bytes.insert(5, 0xFF);
        assert_eq!(decode_block(&bytes, TextEncoding::Gb18030), Err(5));
        assert_eq!(
            decode_block("ab\n案".as_bytes(), TextEncoding::Utf8).unwrap(),
            "ab\n案"
        );
        assert_eq!(decode_block(b"ab\n\xFF", TextEncoding::Utf8), Err(3));
    }

    #[test]
    fn gb18030_decodes_chinese_headers() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("案号,立案日期\n(2021)豫0302民初1号,2021-03-05\n");
        let text = decode_block(&bytes, TextEncoding::Gb18030).unwrap();
        assert_eq!(text, "案号,立案日期\n(2021)豫0302民初1号,2021-03-05\n");
    }

    #[test]
    fn bad_bytes_are_refused_with_their_offset() {
        // 0xFF is valid in neither UTF-8 nor GB18030; it stands on line 3, at byte 9.
        let bytes = b"a,b\n1,2\nx\xFF,3\n";
        assert_eq!(decode_block(bytes, TextEncoding::Gb18030), Err(9));
    }

    #[test]
    fn a_utf8_bom_is_told_apart_from_the_text_after_it() {
        let bytes = b"\xEF\xBB\xBFa,b\n";
        assert!(has_bom(bytes));
        assert_eq!(
            decode_block(&bytes[3..], TextEncoding::Utf8).unwrap(),
            "a,b\n"
        );
    }

    #[test]
    fn a_character_cut_off_at_the_end_is_not_utf8() {
        let text = "案号,日期".as_bytes();
        assert_eq!(decode_block(&text[..2], TextEncoding::Utf8), Err(0));
        let (gbk, _, _) = encoding_rs::GB18030.encode("a\nb\n案号");
        assert_eq!(decode_block(&gbk, TextEncoding::Utf8), Err(4));
    }

    #[test]
    fn long_input_decodes_whole() {
        let row = "（2021）豫0302民初1234号,2021年3月5日\n";
        let text: String = row.repeat(5000);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(decode_block(&bytes, TextEncoding::Gb18030).unwrap(), text);
    }
}
