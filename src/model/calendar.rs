//! The calendar: days as numbers, calendar months and quarters as keys and labels (the periods
//! courts report by), whole calendar months added to a day (how time limits run), and days and
//! moments written as text.

/// A calendar day, such as the day a case was registered (立案) or closed (结案): days since
/// 1970-01-01 (the Unix epoch), negative before it.
pub type DayNumber = i32;

/// A moment read from an export cell: the calendar day and, when the cell carried one, the time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// The calendar day, e.g. the day a case was registered (立案).
    pub day: DayNumber,
    /// Seconds since midnight (0..86400) when the cell carried a time of day.
    pub seconds: Option<u32>,
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
    /// The plausible range from `first` to `last`, both included (profiles give the range as
    /// day numbers; tests as dates).
    #[cfg(test)]
    pub(crate) fn new(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Self {
        DateRange {
            first: day_number(first),
            last: day_number(last),
        }
    }

    /// Whether `day` lies inside the plausible range.
    pub fn contains(&self, day: DayNumber) -> bool {
        self.first <= day && day <= self.last
    }
}

/// The day number of a calendar date.
pub(crate) fn day_number(date: chrono::NaiveDate) -> DayNumber {
    use chrono::Datelike;
    // 1970-01-01 is day 719163 counted from 0001-01-01 as day 1.
    date.num_days_from_ce() - 719_163
}

/// The calendar date of a day number; clamps to chrono's supported range for extreme values.
pub(crate) fn date_of(day: DayNumber) -> chrono::NaiveDate {
    match chrono::NaiveDate::from_num_days_from_ce_opt(day.saturating_add(719_163)) {
        Some(date) => date,
        None if day < 0 => chrono::NaiveDate::MIN,
        None => chrono::NaiveDate::MAX,
    }
}

/// Calendar month key: year*12 + (month-1). Used to group cases by the month they were
/// registered or closed (monthly publication, plan item 16).
pub(crate) fn month_key(day: DayNumber) -> i32 {
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
pub(crate) fn quarter_key(day: DayNumber) -> i32 {
    month_key(day).div_euclid(3)
}

/// "2021-03" from a month key (see [`month_key`]).
pub(crate) fn month_label(key: i32) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// "2021-Q1" from a quarter key year*4 + (quarter-1) (see [`quarter_key`]).
pub(crate) fn quarter_label(key: i32) -> String {
    format!("{:04}-Q{}", key.div_euclid(4), key.rem_euclid(4) + 1)
}

/// Formats a day as YYYY-MM-DD.
pub(crate) fn format_day(day: DayNumber) -> String {
    let (year, month, dom) = civil_from_days(day);
    format!("{year:04}-{month:02}-{dom:02}")
}

/// Appends a timestamp to `out` as `format_timestamp` writes it.
pub(crate) fn write_timestamp(out: &mut String, t: Timestamp) {
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
#[cfg(test)]
pub(crate) fn format_timestamp(t: Timestamp) -> String {
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

/// The day of the same number `months` calendar months after `day`, or that month's last day
/// when it is shorter (08-31 + 6 months is 02-28 or 02-29).
pub(crate) fn add_months(day: DayNumber, months: u32) -> DayNumber {
    let end = date_of(day)
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(chrono::NaiveDate::MAX);
    day_number(end)
}

/// Shift a month label (`2021-03`) or quarter label (`2021-Q2`) back by `months`; None for other
/// labels, or a quarter label and a shift that is not whole quarters.
pub(crate) fn shift_calendar_label(label: &str, months: i32) -> Option<String> {
    let (year, rest) = label.split_once('-')?;
    let year: i32 = year.parse().ok()?;
    if let Some(quarter) = rest.strip_prefix('Q') {
        let quarter: i32 = quarter.parse().ok()?;
        if months % 3 != 0 || !(1..=4).contains(&quarter) {
            return None;
        }
        return Some(quarter_label(year * 4 + quarter - 1 - months / 3));
    }
    let month: i32 = rest.parse().ok()?;
    if !(1..=12).contains(&month) || rest.len() != 2 {
        return None;
    }
    Some(month_label(year * 12 + month - 1 - months))
}

/// Whether `year` has a 29 February.
fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1..=12) of `year`; 0 for another month number.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
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
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> DayNumber {
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
    use chrono::NaiveDate;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> DayNumber {
        day_number(NaiveDate::from_ymd_opt(y, m, d).expect("valid test date"))
    }

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

    #[test]
    fn calendar_labels_shift_back() {
        assert_eq!(
            shift_calendar_label("2021-01", 1).as_deref(),
            Some("2020-12")
        );
        assert_eq!(
            shift_calendar_label("2021-03", 12).as_deref(),
            Some("2020-03")
        );
        assert_eq!(
            shift_calendar_label("2021-Q1", 3).as_deref(),
            Some("2020-Q4")
        );
        assert_eq!(shift_calendar_label("2021-Q1", 1), None);
        assert_eq!(shift_calendar_label("洛阳市中级人民法院", 1), None);
    }
}
