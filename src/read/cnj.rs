//! Brazil's unified process numbers (numeração única, CNJ Resolution 65/2008):
//! `NNNNNNN-DD.AAAA.J.TR.OOOO` — sequence, two check digits, year of filing, justice segment,
//! tribunal, originating court — written with or without the punctuation.

use std::fmt;

/// A CNJ number, read and its check digits verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnjNumber {
    /// AAAA: the year the case was filed (ajuizamento).
    pub year: u16,
    /// J.TR.OOOO: the justice segment, the tribunal and the originating court (unit), as written
    /// in the punctuated form (`8.26.0100`).
    pub origin: String,
}

/// Why a CNJ number does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CnjError {
    /// Not 20 digits (punctuation aside).
    NotTwentyDigits,
    /// The check digits DD are not those of the other 18 digits.
    CheckDigits {
        /// DD as written.
        written: u8,
        /// DD as computed.
        expected: u8,
    },
}

impl fmt::Display for CnjError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CnjError::NotTwentyDigits => f.write_str(
                "not a CNJ number (NNNNNNN-DD.AAAA.J.TR.OOOO: 20 digits, punctuation optional)",
            ),
            CnjError::CheckDigits { written, expected } => write!(
                f,
                "wrong CNJ check digits: {written:02} written, {expected:02} expected (ISO 7064 mod 97-10, CNJ Resolution 65/2008)"
            ),
        }
    }
}

/// The check digits of the 18 digits `NNNNNNN AAAA J TR OOOO`.
// why: CNJ Resolution 65/2008, annex VIII: DD = 98 − (NNNNNNN AAAA J TR OOOO 00 mod 97), the
// ISO 7064 mod 97-10 scheme.
pub fn check_digits(digits18: &[u8]) -> u8 {
    let rest = digits18
        .iter()
        .chain(b"00")
        .fold(0u32, |acc, &d| (acc * 10 + u32::from(d - b'0')) % 97);
    (98 - rest) as u8
}

/// Read a CNJ number: 20 digits once `-`, `.` and spaces are removed.
pub fn parse_cnj(text: &str) -> Result<CnjNumber, CnjError> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'-' | b'.' | b' '))
        .collect();
    if digits.len() != 20 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(CnjError::NotTwentyDigits);
    }
    let number = |range: std::ops::Range<usize>| -> u32 {
        digits[range]
            .iter()
            .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    let written = number(7..9) as u8;
    let body: Vec<u8> = [&digits[..7], &digits[9..]].concat();
    let expected = check_digits(&body);
    if written != expected {
        return Err(CnjError::CheckDigits { written, expected });
    }
    let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&digits[range]).into_owned();
    Ok(CnjNumber {
        year: number(9..13) as u16,
        origin: format!("{}.{}.{}", text(13..14), text(14..16), text(16..20)),
    })
}

/// The year of a filing date that contradicts the year read from its case number: a case cannot
/// be filed before the year its number carries. None when they agree or either is unknown.
// why: the number's year is the year of filing (CNJ Resolution 65/2008 art. 1 §3 for AAAA; the
// (2021) of a 案号 is its filing year, spec §4); a later filing year is not a contradiction, as
// one CNJ number runs through every instance (issue 15, point 6).
pub fn filing_year_contradiction(filed_year: Option<i32>, number_year: Option<u16>) -> Option<i32> {
    let (filed, number) = (filed_year?, i32::from(number_year?));
    (filed < number).then_some(filed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_year_and_origin_and_verifies_the_check_digits() {
        // 1 2021 8 26 0100 00: 12021826010000 = 97 × 123936350618 + 54, so DD = 98 − 54 = 44.
        assert_eq!(12_021_826_010_000u64 % 97, 54);
        let number = parse_cnj("0000001-44.2021.8.26.0100").expect("reads");
        assert_eq!(number.year, 2021);
        assert_eq!(number.origin, "8.26.0100");
        assert_eq!(parse_cnj("00000014420218260100"), Ok(number));
        assert_eq!(
            parse_cnj("0000001-45.2021.8.26.0100"),
            Err(CnjError::CheckDigits {
                written: 45,
                expected: 44
            })
        );
        assert_eq!(
            parse_cnj("0000001-44.2021.8.26"),
            Err(CnjError::NotTwentyDigits)
        );
        assert_eq!(
            parse_cnj("(2021)豫0302民初1号"),
            Err(CnjError::NotTwentyDigits)
        );
    }

    #[test]
    fn a_filing_before_the_numbers_year_contradicts_it() {
        assert_eq!(
            filing_year_contradiction(Some(1970), Some(2021)),
            Some(1970)
        );
        assert_eq!(filing_year_contradiction(Some(2021), Some(2021)), None);
        assert_eq!(filing_year_contradiction(Some(2023), Some(2021)), None);
        assert_eq!(filing_year_contradiction(None, Some(2021)), None);
    }
}
