//! Dates and times as they appear in court case-management exports
//! (收到材料日期, 立案日期, 结案日期 …), parsed by hand from bytes.
//!
//! Accepted cell formats (spec §3), after trimming ASCII and full-width
//! (U+3000) spaces:
//!
//! - `2021-03-05`, `2021/3/5`, `2021.3.5`: a 4-digit year, then month and day
//!   of 1 or 2 digits, all joined by the same separator;
//! - `2021年3月5日`;
//! - `20210305`: exactly 8 digits.
//!
//! Any of them may be followed by a time of day `H:MM`, `HH:MM` or
//! `HH:MM:SS`, separated from the date by one or more spaces (ASCII space,
//! tab or U+3000); after `日` the space is optional (`2021年3月5日9:30`).
//! Database exports often write fractional seconds (`09:30:00.0`); they are
//! accepted and ignored. A `T` between date and time is not accepted.
//!
//! An hour above 23 or a minute or second above 59 (`24:00`, `09:60`) is an
//! impossible time and reported as [`DateError::Impossible`], like 2021-02-30.

use crate::model::calendar::{
    DateRange, DayNumber, Timestamp, day_number, days_from_civil, days_in_month, format_day,
};

/// Why a date cell could not be used. Display gives a short English reason for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not in any of the date formats seen in court exports.
    #[error("unrecognised date format")]
    Unrecognised,
    /// The text has a date format but names no real day or time (2021-02-30, 25:00).
    #[error("impossible date")]
    Impossible,
    /// A real date outside the plausible range of the report (default 1950-01-01..2099-12-31).
    #[error("date outside {}..{}", format_day(*.first), format_day(*.last))]
    OutOfRange {
        /// First plausible day.
        first: DayNumber,
        /// Last plausible day.
        last: DayNumber,
    },
}

/// The date format name meaning ISO 8601 / RFC 3339 with `T` and a zone (`2021-03-01T09:30:00+08:00`,
/// `…Z`).
pub const RFC3339: &str = "rfc3339";

/// Read a date or date-time in one of a profile's `formats` (chrono's syntax, or `rfc3339`), tried
/// in order; `None` when none fits. A time with a zone is taken as written, in its own zone: the
/// court's local time, as the built-in formats read times.
pub fn parse_with_formats(
    text: &str,
    formats: &[String],
    range: &DateRange,
) -> Option<Result<Timestamp, DateError>> {
    let text = trim_cell(text);
    let seconds_of = |time: chrono::NaiveTime| {
        use chrono::Timelike;
        time.num_seconds_from_midnight()
    };
    for format in formats {
        let read = if format == RFC3339 {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|moment| moment.naive_local())
                .map(|moment| (moment.date(), Some(seconds_of(moment.time()))))
        } else if let Ok(moment) = chrono::DateTime::parse_from_str(text, format) {
            let moment = moment.naive_local();
            Some((moment.date(), Some(seconds_of(moment.time()))))
        } else if let Ok(moment) = chrono::NaiveDateTime::parse_from_str(text, format) {
            Some((moment.date(), Some(seconds_of(moment.time()))))
        } else {
            chrono::NaiveDate::parse_from_str(text, format)
                .ok()
                .map(|date| (date, None))
        };
        if let Some((date, seconds)) = read {
            let day = day_number(date);
            if !range.contains(day) {
                return Some(Err(out_of_range(range)));
            }
            return Some(Ok(Timestamp { day, seconds }));
        }
    }
    None
}

/// Reads a date cell of an export (立案日期, 结案日期 …) with its time of day if present.
///
/// `Ok(None)` for an empty or whitespace-only cell (missing value).
pub fn parse_timestamp(text: &str, range: &DateRange) -> Result<Option<Timestamp>, DateError> {
    let text = trim_cell(text);
    if text.is_empty() {
        return Ok(None);
    }
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let date = read_date(&mut cursor)?;
    let time = read_time(&mut cursor, date.time_needs_space)?;
    if !cursor.at_end() {
        return Err(DateError::Unrecognised);
    }

    if !(1..=12).contains(&date.month) || date.day == 0 {
        return Err(DateError::Impossible);
    }
    if date.day > days_in_month(date.year, date.month) {
        return Err(DateError::Impossible);
    }
    let seconds = match time {
        None => None,
        Some(t) => {
            if t.hour > 23 || t.minute > 59 || t.second > 59 {
                return Err(DateError::Impossible);
            }
            Some(t.hour * 3600 + t.minute * 60 + t.second)
        }
    };
    let day = days_from_civil(date.year, date.month, date.day);
    if !range.contains(day) {
        return Err(out_of_range(range));
    }
    Ok(Some(Timestamp { day, seconds }))
}

/// Reads a date typed by a user (a CLI option such as `--from`): the same formats as
/// export cells; a time of day, if given, is checked and then ignored.
///
/// `Ok(None)` for empty or whitespace-only text.
pub fn parse_day(text: &str, range: &DateRange) -> Result<Option<DayNumber>, DateError> {
    Ok(parse_timestamp(text, range)?.map(|t| t.day))
}

/// The error for a real date outside the plausible range.
fn out_of_range(range: &DateRange) -> DateError {
    DateError::OutOfRange {
        first: range.first,
        last: range.last,
    }
}

fn trim_cell(text: &str) -> &str {
    // A date read from a cell is trimmed already, and starts and ends with a digit.
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_digit() && last.is_ascii_digit() => text,
        _ => text.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{3000}'),
    }
}

/// Year, month and day as written, not yet checked against the calendar.
struct RawDate {
    year: i32,
    month: u32,
    day: u32,
    /// Whether a following time must be separated by whitespace (all forms but 年月日).
    time_needs_space: bool,
}

struct RawTime {
    hour: u32,
    minute: u32,
    second: u32,
}

const NIAN: &[u8] = "年".as_bytes();
const YUE: &[u8] = "月".as_bytes();
const RI: &[u8] = "日".as_bytes();
const IDEOGRAPHIC_SPACE: &[u8] = "\u{3000}".as_bytes();

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &[u8]) -> bool {
        match self.bytes.get(self.pos..) {
            Some(rest) if rest.starts_with(s) => {
                self.pos += s.len();
                true
            }
            _ => false,
        }
    }

    /// Number of ASCII digits starting at the cursor.
    fn count_digits(&self) -> usize {
        self.bytes
            .get(self.pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// Reads a run of `min..=max` digits; fails if the run is shorter or longer.
    fn digits(&mut self, min: usize, max: usize) -> Result<u32, DateError> {
        let n = self.count_digits();
        if n < min || n > max {
            return Err(DateError::Unrecognised);
        }
        Ok(self.fixed_digits(n))
    }

    /// Reads exactly `n` digits already known to be present (n ≤ 9, so no overflow).
    fn fixed_digits(&mut self, n: usize) -> u32 {
        let mut value = 0;
        for _ in 0..n {
            if let Some(b) = self.peek().filter(u8::is_ascii_digit) {
                value = value * 10 + u32::from(b - b'0');
                self.pos += 1;
            }
        }
        value
    }

    /// Skips ASCII spaces, tabs and U+3000; returns whether anything was skipped.
    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        loop {
            if self.eat(b' ') || self.eat(b'\t') || self.eat_str(IDEOGRAPHIC_SPACE) {
                continue;
            }
            return self.pos > start;
        }
    }
}

fn read_date(cursor: &mut Cursor<'_>) -> Result<RawDate, DateError> {
    match cursor.count_digits() {
        8 => {
            let year = cursor.fixed_digits(4) as i32;
            let month = cursor.fixed_digits(2);
            let day = cursor.fixed_digits(2);
            Ok(RawDate {
                year,
                month,
                day,
                time_needs_space: true,
            })
        }
        4 => {
            let year = cursor.fixed_digits(4) as i32;
            match cursor.peek() {
                Some(sep @ (b'-' | b'/' | b'.')) => {
                    cursor.pos += 1;
                    let month = cursor.digits(1, 2)?;
                    if !cursor.eat(sep) {
                        return Err(DateError::Unrecognised);
                    }
                    let day = cursor.digits(1, 2)?;
                    Ok(RawDate {
                        year,
                        month,
                        day,
                        time_needs_space: true,
                    })
                }
                _ => {
                    if !cursor.eat_str(NIAN) {
                        return Err(DateError::Unrecognised);
                    }
                    let month = cursor.digits(1, 2)?;
                    if !cursor.eat_str(YUE) {
                        return Err(DateError::Unrecognised);
                    }
                    let day = cursor.digits(1, 2)?;
                    if !cursor.eat_str(RI) {
                        return Err(DateError::Unrecognised);
                    }
                    Ok(RawDate {
                        year,
                        month,
                        day,
                        time_needs_space: false,
                    })
                }
            }
        }
        _ => Err(DateError::Unrecognised),
    }
}

fn read_time(cursor: &mut Cursor<'_>, needs_space: bool) -> Result<Option<RawTime>, DateError> {
    if cursor.at_end() {
        return Ok(None);
    }
    if !cursor.skip_spaces() && needs_space {
        return Err(DateError::Unrecognised);
    }
    let hour = cursor.digits(1, 2)?;
    if !cursor.eat(b':') {
        return Err(DateError::Unrecognised);
    }
    let minute = cursor.digits(2, 2)?;
    let mut second = 0;
    if cursor.eat(b':') {
        second = cursor.digits(2, 2)?;
        if cursor.eat(b'.') {
            // Fractional seconds: at least one digit, value ignored.
            let n = cursor.count_digits();
            if n == 0 {
                return Err(DateError::Unrecognised);
            }
            cursor.pos += n;
        }
    }
    Ok(Some(RawTime {
        hour,
        minute,
        second,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a date cell holds, reading it ends in a value, nothing or an error; a value
        /// always lies in the plausible range.
        #[test]
        fn any_text_is_a_date_nothing_or_an_error(text in "\\PC{0,24}|[0-9年月日/.: -]{0,24}") {
            let range = DateRange::default();
            if let Ok(Some(stamp)) = parse_timestamp(&text, &range) {
                proptest::prop_assert!(range.contains(stamp.day), "{text:?}");
            }
        }
    }
    use crate::model::calendar::format_timestamp;

    use chrono::NaiveDate;

    fn ymd(y: i32, m: u32, d: u32) -> DayNumber {
        day_number(NaiveDate::from_ymd_opt(y, m, d).expect("valid test date"))
    }

    fn ts(text: &str) -> Result<Option<Timestamp>, DateError> {
        parse_timestamp(text, &DateRange::default())
    }

    fn at(day: DayNumber, h: u32, m: u32, s: u32) -> Option<Timestamp> {
        Some(Timestamp {
            day,
            seconds: Some(h * 3600 + m * 60 + s),
        })
    }

    fn date_only(day: DayNumber) -> Option<Timestamp> {
        Some(Timestamp { day, seconds: None })
    }

    #[test]
    fn all_formats_without_time() {
        let day = ymd(2021, 3, 5);
        for text in [
            "2021-03-05",
            "2021-3-5",
            "2021/3/5",
            "2021/03/05",
            "2021.3.5",
            "2021.03.05",
            "2021年3月5日",
            "2021年03月05日",
            "20210305",
        ] {
            assert_eq!(ts(text), Ok(date_only(day)), "{text}");
        }
        assert_eq!(ts("2021-12-31"), Ok(date_only(ymd(2021, 12, 31))));
        assert_eq!(ts("2021/12/1"), Ok(date_only(ymd(2021, 12, 1))));
    }

    #[test]
    fn all_formats_with_time() {
        let day = ymd(2021, 3, 5);
        for text in [
            "2021-03-05 09:30:15",
            "2021/3/5 9:30:15",
            "2021.3.5 09:30:15",
            "2021年3月5日 09:30:15",
            "2021年3月5日09:30:15",
            "20210305 09:30:15",
            "2021-03-05  09:30:15",
            "2021-03-05\u{3000}09:30:15",
            "2021-03-05 09:30:15.0",
            "2021-03-05 09:30:15.123456",
        ] {
            assert_eq!(ts(text), Ok(at(day, 9, 30, 15)), "{text}");
        }
        for text in ["2021-03-05 09:30", "2021-03-05 9:30", "2021年3月5日9:30"] {
            assert_eq!(ts(text), Ok(at(day, 9, 30, 0)), "{text}");
        }
        assert_eq!(ts("2021-03-05 00:00"), Ok(at(day, 0, 0, 0)));
        assert_eq!(ts("2021-03-05 23:59:59"), Ok(at(day, 23, 59, 59)));
    }

    #[test]
    fn surrounding_spaces_are_trimmed() {
        let day = ymd(2021, 3, 5);
        assert_eq!(ts("  2021-03-05 "), Ok(date_only(day)));
        assert_eq!(ts("\u{3000}2021年3月5日\u{3000}"), Ok(date_only(day)));
        assert_eq!(ts("\t20210305\r\n"), Ok(date_only(day)));
        assert_eq!(
            ts("\u{3000} 2021/3/5 10:00 \u{3000}"),
            Ok(at(day, 10, 0, 0))
        );
    }

    #[test]
    fn empty_cell_is_missing() {
        assert_eq!(ts(""), Ok(None));
        assert_eq!(ts("   "), Ok(None));
        assert_eq!(ts("\u{3000}\u{3000}"), Ok(None));
        assert_eq!(parse_day(" ", &DateRange::default()), Ok(None));
    }

    #[test]
    fn unrecognised_formats() {
        for text in [
            "abc",
            "未结",
            "2021-03",
            "05/03/2021",
            "2021-03-05x",
            "2021-3/5",
            "2021/3-5",
            "2021-03-05T09:30",
            "2021-03-0509:30",
            "20210305 9",
            "2021-03-05 09",
            "2021-03-05 09:3",
            "2021-03-05 09:30:1",
            "2021-03-05 09:30:00.",
            "2021-03-05 09:30.5",
            "2021-03-05 123:00",
            "2021-003-05",
            "2021-03-005",
            "21-3-5",
            "44260",
            "44260.5",
            "2021",
            "202103051",
            "2021030",
            "2021年3月5",
            "2021年3月5号",
            "2021年3-5日",
            "二〇二一年三月五日",
            "２０２１-03-05",
            "2021-03-05 09:30 extra",
        ] {
            assert_eq!(ts(text), Err(DateError::Unrecognised), "{text}");
        }
    }

    #[test]
    fn impossible_dates_and_times() {
        for text in [
            "2021-02-30",
            "2021-02-29",
            "2021-13-01",
            "2021-00-10",
            "2021-03-00",
            "2021-04-31",
            "20211301",
            "2021年2月30日",
            "1900/2/29",
            "2021-03-05 24:00",
            "2021-03-05 23:60",
            "2021-03-05 23:59:60",
        ] {
            assert_eq!(ts(text), Err(DateError::Impossible), "{text}");
        }
    }

    #[test]
    fn leap_days() {
        assert_eq!(ts("2020-02-29"), Ok(date_only(ymd(2020, 2, 29))));
        assert_eq!(ts("2000/2/29"), Ok(date_only(ymd(2000, 2, 29))));
    }

    #[test]
    fn range_edges() {
        let range = DateRange::default();
        let out = Err(DateError::OutOfRange {
            first: range.first,
            last: range.last,
        });
        assert_eq!(range.first, ymd(1950, 1, 1));
        assert_eq!(range.last, ymd(2099, 12, 31));
        assert_eq!(ts("1950-01-01"), Ok(date_only(ymd(1950, 1, 1))));
        assert_eq!(ts("1949-12-31"), out);
        assert_eq!(
            ts("2099-12-31 23:59:59"),
            Ok(at(ymd(2099, 12, 31), 23, 59, 59))
        );
        assert_eq!(ts("2100-01-01"), out);
        assert_eq!(ts("00000101"), out);
        assert_eq!(
            out.map(|_| ()).unwrap_err().to_string(),
            "date outside 1950-01-01..2099-12-31"
        );
        // Impossible wins over out of range.
        assert_eq!(ts("1900-02-30"), Err(DateError::Impossible));
    }

    #[test]
    fn custom_range() {
        let range = DateRange::new(
            NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
        );
        assert!(range.contains(ymd(2021, 6, 1)));
        assert!(!range.contains(ymd(2022, 1, 1)));
        assert_eq!(
            parse_day("2020-12-31", &range).map_err(|e| e.to_string()),
            Err("date outside 2021-01-01..2021-12-31".to_string())
        );
        assert_eq!(parse_day("2021-01-01", &range), Ok(Some(ymd(2021, 1, 1))));
    }

    #[test]
    fn parse_day_ignores_time() {
        let range = DateRange::default();
        assert_eq!(
            parse_day("2021/3/5 18:00", &range),
            Ok(Some(ymd(2021, 3, 5)))
        );
        assert_eq!(parse_day("20210305", &range), Ok(Some(ymd(2021, 3, 5))));
        assert_eq!(
            parse_day("2021/3/5 25:00", &range),
            Err(DateError::Impossible)
        );
        assert_eq!(parse_day("March 5", &range), Err(DateError::Unrecognised));
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            DateError::Unrecognised.to_string(),
            "unrecognised date format"
        );
        assert_eq!(DateError::Impossible.to_string(), "impossible date");
    }

    #[test]
    fn formatting_round_trips() {
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(ymd(2021, 3, 5)), "2021-03-05");
        assert_eq!(format_day(ymd(1950, 1, 1)), "1950-01-01");
        assert_eq!(
            format_timestamp(Timestamp {
                day: 0,
                seconds: None
            }),
            "1970-01-01"
        );
        let t = ts("2021/3/5 9:05:07").unwrap().unwrap();
        assert_eq!(format_timestamp(t), "2021-03-05 09:05:07");
        for text in ["2020-02-29", "2021-03-05 09:30:00", "2099-12-31 23:59:59"] {
            let t = ts(text).unwrap().unwrap();
            assert_eq!(format_timestamp(t), text);
            assert_eq!(ts(&format_timestamp(t)), Ok(Some(t)));
        }
    }
}
