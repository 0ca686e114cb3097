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

/// Days since 1970-01-01 (the Unix epoch), negative before it.
pub type DayNumber = i32;

/// A moment read from an export cell: the calendar day and, when the cell carried one, the time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// The calendar day, e.g. the day a case was registered (立案).
    pub day: DayNumber,
    /// Seconds since midnight (0..86400) when the cell carried a time of day.
    pub seconds: Option<u32>,
}

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

/// Plausible range of dates for case events, inclusive. Default 1950-01-01..=2099-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First plausible day.
    pub first: DayNumber,
    /// Last plausible day.
    pub last: DayNumber,
}

impl Default for DateRange {
    fn default() -> Self {
        DateRange {
            first: days_from_civil(1950, 1, 1),
            last: days_from_civil(2099, 12, 31),
        }
    }
}

impl DateRange {
    /// The plausible range from `first` to `last`, both included.
    pub fn new(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Self {
        DateRange {
            first: day_number(first),
            last: day_number(last),
        }
    }

    /// Whether `day` lies inside the plausible range.
    pub fn contains(&self, day: DayNumber) -> bool {
        self.first <= day && day <= self.last
    }

    fn out_of_range(&self) -> DateError {
        DateError::OutOfRange {
            first: self.first,
            last: self.last,
        }
    }
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
                return Some(Err(range.out_of_range()));
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
        return Err(range.out_of_range());
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

/// The day number of a calendar date.
pub fn day_number(date: chrono::NaiveDate) -> DayNumber {
    use chrono::Datelike;
    // 1970-01-01 is day 719163 counted from 0001-01-01 as day 1.
    date.num_days_from_ce() - 719_163
}

/// The calendar date of a day number; clamps to chrono's supported range for extreme values.
pub fn date_of(day: DayNumber) -> chrono::NaiveDate {
    match chrono::NaiveDate::from_num_days_from_ce_opt(day.saturating_add(719_163)) {
        Some(date) => date,
        None if day < 0 => chrono::NaiveDate::MIN,
        None => chrono::NaiveDate::MAX,
    }
}

/// Calendar month key: year*12 + (month-1). Used to group cases by the month they were
/// registered or closed (monthly publication, plan item 16).
pub fn month_key(day: DayNumber) -> i32 {
    // Every case of every indicator is keyed by month with `--by month`: a table of the default
    // date range makes that a lookup instead of a calendar computation.
    static TABLE: std::sync::OnceLock<(DayNumber, Vec<i32>)> = std::sync::OnceLock::new();
    let (first, keys) = TABLE.get_or_init(|| {
        let range = DateRange::default();
        let keys = (range.first..=range.last).map(compute_month_key).collect();
        (range.first, keys)
    });
    match usize::try_from(day.wrapping_sub(*first)) {
        Ok(index) if index < keys.len() => keys[index],
        _ => compute_month_key(day),
    }
}

fn compute_month_key(day: DayNumber) -> i32 {
    let (year, month, _) = civil_from_days(day);
    year * 12 + (month as i32 - 1)
}

/// Calendar quarter key: year*4 + (quarter-1), i.e. `month_key(day).div_euclid(3)`.
pub fn quarter_key(day: DayNumber) -> i32 {
    month_key(day).div_euclid(3)
}

/// "2021-03" from a month key (see [`month_key`]).
pub fn month_label(key: i32) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// "2021-Q1" from a quarter key year*4 + (quarter-1) (see [`quarter_key`]).
pub fn quarter_label(key: i32) -> String {
    format!("{:04}-Q{}", key.div_euclid(4), key.rem_euclid(4) + 1)
}

/// Formats a day as YYYY-MM-DD.
pub fn format_day(day: DayNumber) -> String {
    let (year, month, dom) = civil_from_days(day);
    format!("{year:04}-{month:02}-{dom:02}")
}

/// Appends a timestamp to `out` as `format_timestamp` writes it.
pub fn write_timestamp(out: &mut String, t: Timestamp) {
    use std::fmt::Write;
    let (year, month, dom) = civil_from_days(t.day);
    // why: listings write two timestamps per case, millions of cases; digits pushed directly
    // cost a fraction of `write!`. Years outside 0..=9999 and times past a day take `write!`.
    let seconds = t.seconds.filter(|&s| s < 86_400);
    if !(0..=9999).contains(&year) || seconds != t.seconds {
        let _ = write!(out, "{year:04}-{month:02}-{dom:02}");
        if let Some(s) = t.seconds {
            let _ = write!(out, " {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
        }
        return;
    }
    let year = year as u32;
    let mut text = [0u8; 19];
    let mut put = |at: usize, value: u32| {
        text[at] = b'0' + (value / 10 % 10) as u8;
        text[at + 1] = b'0' + (value % 10) as u8;
    };
    put(0, year / 100);
    put(2, year % 100);
    put(5, month);
    put(8, dom);
    let mut len = 10;
    if let Some(s) = seconds {
        put(11, s / 3600);
        put(14, s / 60 % 60);
        put(17, s % 60);
        text[10] = b' ';
        text[13] = b':';
        text[16] = b':';
        len = 19;
    }
    text[4] = b'-';
    text[7] = b'-';
    // Only ASCII digits and separators were written.
    out.push_str(std::str::from_utf8(&text[..len]).unwrap_or_default());
}

/// Formats a timestamp as "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when it has a time of day.
pub fn format_timestamp(t: Timestamp) -> String {
    match t.seconds {
        None => format_day(t.day),
        Some(s) => format!(
            "{} {:02}:{:02}:{:02}",
            format_day(t.day),
            s / 3600,
            s / 60 % 60,
            s % 60
        ),
    }
}

fn trim_cell(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{3000}')
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

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
/// Expects a valid date with a year that fits 4 digits or so; arithmetic is in i64.
fn days_from_civil(year: i32, month: u32, day: u32) -> DayNumber {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era - 719_468) as DayNumber
}

/// (year, month, day) of a day number (H. Hinnant's `civil_from_days`); total for any i32.
fn civil_from_days(day: DayNumber) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let dom = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32, dom as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_keys_from_the_table_equal_the_calendar() {
        let range = DateRange::default();
        for day in [
            range.first - 40,
            range.first - 1,
            range.first,
            0,
            18_687,
            range.last,
            range.last + 1,
            range.last + 400,
        ] {
            assert_eq!(month_key(day), compute_month_key(day), "day {day}");
        }
        // 2021-03-31 and 2021-04-01
        assert_eq!(month_key(days_from_civil(2021, 3, 31)), 2021 * 12 + 2);
        assert_eq!(month_key(days_from_civil(2021, 4, 1)), 2021 * 12 + 3);
    }
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
    fn epoch_is_day_zero() {
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(ymd(1970, 1, 2), 1);
        assert_eq!(ymd(1969, 12, 31), -1);
        assert_eq!(ymd(2021, 3, 5), 18_691);
        assert_eq!(
            date_of(18_691),
            NaiveDate::from_ymd_opt(2021, 3, 5).unwrap()
        );
    }

    #[test]
    fn hand_calendar_agrees_with_chrono() {
        let mut day = ymd(1900, 1, 1);
        while day <= ymd(2200, 12, 31) {
            let (y, m, d) = civil_from_days(day);
            let date = date_of(day);
            assert_eq!(NaiveDate::from_ymd_opt(y, m, d), Some(date));
            assert_eq!(days_from_civil(y, m, d), day);
            day += 1;
        }
    }

    #[test]
    fn date_of_never_panics() {
        assert_eq!(date_of(i32::MIN), NaiveDate::MIN);
        assert_eq!(date_of(i32::MAX), NaiveDate::MAX);
        // Formatting and month keys are total too.
        assert!(!format_day(i32::MIN).is_empty());
        assert!(!format_day(i32::MAX).is_empty());
        let _ = month_key(i32::MIN);
        let _ = month_key(i32::MAX);
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
    fn month_and_quarter_keys() {
        assert_eq!(month_key(ymd(2021, 3, 5)), 2021 * 12 + 2);
        assert_eq!(month_key(ymd(2021, 1, 1)), 2021 * 12);
        assert_eq!(month_key(ymd(2021, 12, 31)), 2021 * 12 + 11);
        assert_eq!(month_label(month_key(ymd(2021, 3, 5))), "2021-03");
        assert_eq!(month_label(2021 * 12 + 11), "2021-12");
        assert_eq!(quarter_key(ymd(2021, 3, 31)), 2021 * 4);
        assert_eq!(quarter_key(ymd(2021, 4, 1)), 2021 * 4 + 1);
        assert_eq!(quarter_key(ymd(2021, 12, 31)), 2021 * 4 + 3);
        assert_eq!(quarter_label(2021 * 4), "2021-Q1");
        assert_eq!(quarter_label(quarter_key(ymd(2021, 11, 5))), "2021-Q4");
        assert_eq!(month_label(month_key(ymd(1969, 12, 31))), "1969-12");
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

    #[test]
    fn write_timestamp_pushes_the_digits_write_would_format() {
        // The digit-pushing fast path against `write!`-style formatting, and the odd values that
        // leave it (a year before 0 or after 9999, a time past a day).
        let days = (ymd(1949, 12, 25)..ymd(2100, 1, 5)).step_by(7).chain([
            ymd(-5, 3, 1),
            ymd(10_000, 1, 1),
            ymd(9999, 12, 31),
            ymd(0, 1, 1),
        ]);
        for day in days {
            for seconds in [
                None,
                Some(0),
                Some(9 * 3600 + 5 * 60 + 7),
                Some(86_399),
                Some(90_000),
            ] {
                let t = Timestamp { day, seconds };
                let mut written = String::from("x");
                write_timestamp(&mut written, t);
                let (year, month, dom) = civil_from_days(day);
                let mut expected = format!("x{year:04}-{month:02}-{dom:02}");
                if let Some(s) = seconds {
                    expected += &format!(" {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
                }
                assert_eq!(written, expected);
            }
        }
    }
}
