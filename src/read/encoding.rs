//! Text encodings of exports: UTF-8 (with or without BOM) and GBK/GB18030, which is what Excel on
//! Chinese Windows writes as "CSV" (spec §3).

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
}

impl TextEncoding {
    /// The name shown in reports and accepted by `--encoding`.
    pub fn id(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Gb18030 => "gb18030",
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

/// Checks that a stream of bytes is UTF-8, chunk by chunk, without holding it, and remembers the
/// line of the first byte that is not.
#[derive(Debug, Default)]
pub struct Utf8Check {
    /// Bytes of a character split across two chunks.
    pending: Vec<u8>,
    /// Newlines in the valid text so far.
    newlines: u64,
    /// Line of the first invalid byte, once found.
    invalid_line: Option<u64>,
}

impl Utf8Check {
    /// A check that has seen nothing yet.
    pub fn new() -> Self {
        Utf8Check::default()
    }

    /// Feed the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.invalid_line.is_some() {
            return;
        }
        if self.pending.is_empty() {
            self.check(chunk);
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(chunk);
            self.check(&joined);
        }
    }

    fn check(&mut self, chunk: &[u8]) {
        let valid_up_to = match std::str::from_utf8(chunk) {
            Ok(_) => chunk.len(),
            Err(error) => error.valid_up_to(),
        };
        self.newlines += memchr::memchr_iter(b'\n', &chunk[..valid_up_to]).count() as u64;
        match std::str::from_utf8(chunk) {
            Ok(_) => {}
            Err(error) if error.error_len().is_none() => {
                // An incomplete character at the end: keep it for the next chunk.
                self.pending = chunk[valid_up_to..].to_vec();
            }
            Err(_) => self.invalid_line = Some(self.newlines + 1),
        }
    }

    /// None when everything fed was UTF-8; otherwise the line of the first invalid byte (a
    /// character cut off at the very end is invalid).
    pub fn finish(self) -> Option<u64> {
        match self.invalid_line {
            Some(line) => Some(line),
            None if !self.pending.is_empty() => Some(self.newlines + 1),
            None => None,
        }
    }
}

/// Reads bytes in a given encoding and yields UTF-8, failing — never replacing — on bytes that are
/// not valid in that encoding. The error names the line where the bad bytes stand.
pub struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    at_end_of_input: bool,
    finished: bool,
    /// Line number (1-based) of the next decoded byte.
    line: u64,
}

/// The message of the error a `DecodingReader` returns on bad bytes.
#[derive(Debug)]
pub struct MalformedText {
    /// The line where the bad bytes stand.
    pub line: u64,
    /// The encoding that could not read them.
    pub encoding: &'static str,
}

impl fmt::Display for MalformedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bytes that are not valid {}", self.encoding)
    }
}

impl std::error::Error for MalformedText {}

impl<R: Read> DecodingReader<R> {
    /// Decode `inner` from `encoding` (UTF-8 or GB18030; a leading BOM is removed).
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 64 * 1024],
            input_start: 0,
            input_end: 0,
            output: vec![0; 192 * 1024 + 16],
            output_start: 0,
            output_end: 0,
            at_end_of_input: false,
            finished: false,
            line: 1,
        }
    }

    /// Decode until some output is ready or the input is used up.
    fn refill(&mut self) -> io::Result<()> {
        loop {
            if self.input_start == self.input_end && !self.at_end_of_input {
                self.input_start = 0;
                self.input_end = read_full(&mut self.inner, &mut self.input)?;
                self.at_end_of_input = self.input_end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.input_start..self.input_end],
                &mut self.output,
                self.at_end_of_input,
            );
            self.input_start += read;
            let newlines = memchr::memchr_iter(b'\n', &self.output[..written]).count() as u64;
            match result {
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        MalformedText {
                            line: self.line + newlines,
                            encoding: self.decoder.encoding().name(),
                        },
                    ));
                }
                encoding_rs::DecoderResult::InputEmpty if self.at_end_of_input => {
                    self.finished = true
                }
                _ => {}
            }
            self.line += newlines;
            self.output_start = 0;
            self.output_end = written;
            if written > 0 || self.finished {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output_end {
            if self.finished {
                return Ok(0);
            }
            self.refill()?;
            if self.output_start == self.output_end {
                return Ok(0);
            }
        }
        let available = self.output_end - self.output_start;
        let count = available.min(buf.len());
        buf[..count].copy_from_slice(&self.output[self.output_start..self.output_start + count]);
        self.output_start += count;
        Ok(count)
    }
}

/// Decode a whole block of bytes in `encoding` (without a BOM) to text. On bytes that are not
/// valid in it, the error is the offset of the first of them.
pub(crate) fn decode_block(
    bytes: &[u8],
    encoding: TextEncoding,
) -> Result<std::borrow::Cow<'_, str>, usize> {
    match encoding {
        // why simdutf8: std's check runs a byte at a time through Chinese text and was the largest
        // single cost of reading; the SIMD one is several times faster and as strict.
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => match simdutf8::basic::from_utf8(bytes) {
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

    fn decode(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> io::Result<String> {
        let mut text = String::new();
        DecodingReader::new(bytes, encoding).read_to_string(&mut text)?;
        Ok(text)
    }

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
        let text = decode(&bytes, encoding_rs::GB18030).unwrap();
        assert_eq!(text, "案号,立案日期\n(2021)豫0302民初1号,2021-03-05\n");
    }

    #[test]
    fn bad_bytes_are_refused_with_their_line() {
        // 0xFF is valid in neither UTF-8 nor GB18030.
        let bytes = b"a,b\n1,2\nx\xFF,3\n";
        let error = decode(bytes, encoding_rs::GB18030).unwrap_err();
        let malformed = error
            .get_ref()
            .unwrap()
            .downcast_ref::<MalformedText>()
            .unwrap();
        assert_eq!(malformed.line, 3);
    }

    #[test]
    fn utf8_decoding_removes_the_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,b\n", encoding_rs::UTF_8).unwrap(),
            "a,b\n"
        );
    }

    #[test]
    fn utf8_check_across_chunk_boundaries() {
        let text = "案号,日期".as_bytes();
        let mut check = Utf8Check::new();
        check.feed(&text[..1]);
        check.feed(&text[1..4]);
        check.feed(&text[4..]);
        assert_eq!(check.finish(), None);
        let mut check = Utf8Check::new();
        check.feed(&text[..2]);
        assert_eq!(
            check.finish(),
            Some(1),
            "a character cut off at the end is not UTF-8"
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode("a\nb\n案号");
        let mut check = Utf8Check::new();
        check.feed(&gbk[..3]);
        check.feed(&gbk[3..]);
        assert_eq!(check.finish(), Some(3));
    }

    #[test]
    fn long_input_crosses_buffers() {
        let row = "（2021）豫0302民初1234号,2021年3月5日\n";
        let text: String = row.repeat(5000);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(decode(&bytes, encoding_rs::GB18030).unwrap(), text);
    }
}
