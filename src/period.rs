//! Reporting periods: a month, a quarter, a year, or an inclusive date range. A case belongs to a
//! period by the date its indicator is attributed by (spec §1: registration or closing date).

use chrono::{Datelike, NaiveDate};

use crate::dates::{self, DateRange, DayNumber};
use crate::error::{Error, Result};

/// The days a report covers, inclusive at both ends. No bounds means all data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First day, if bounded.
    pub from: Option<DayNumber>,
    /// Last day, if bounded.
    pub to: Option<DayNumber>,
    /// How the user named it (`2021-06`, `2021-Q2`, `2021`, `2021-01-01..2021-03-31`, or `all`).
    pub label: String,
}

impl Period {
    /// Every case, whatever its date.
    pub fn all() -> Period {
        Period {
            from: None,
            to: None,
            label: "all".to_string(),
        }
    }

    /// Whether `day` falls in the period.
    pub fn contains(&self, day: DayNumber) -> bool {
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }

    /// Read `--period`: `YYYY-MM`, `YYYY-Qn` or `YYYY`.
    pub fn parse(text: &str) -> Result<Period> {
        let text = text.trim();
        let bad = || {
            Error::Usage(format!(
                "--period \"{text}\" is not a period: use YYYY-MM (2021-06), YYYY-Qn (2021-Q2) or YYYY (2021)"
            ))
        };
        let (year_text, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year_text.parse().map_err(|_| bad())?;
        let (first_month, last_month) = match rest {
            None => (1, 12),
            Some(quarter)
                if quarter.len() == 2 && quarter.as_bytes()[0].eq_ignore_ascii_case(&b'q') =>
            {
                let q: u32 = quarter[1..].parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(bad());
                }
                (3 * q - 2, 3 * q)
            }
            Some(month)
                if (1..=2).contains(&month.len()) && month.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let m: u32 = month.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                (m, m)
            }
            Some(_) => return Err(bad()),
        };
        let first = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(bad)?;
        let last = last_day_of_month(year, last_month).ok_or_else(bad)?;
        Ok(Period {
            from: Some(dates::day_number(first)),
            to: Some(dates::day_number(last)),
            label: text.to_uppercase(),
        })
    }

    /// Build a period from `--from` and `--to` (either may be absent; both inclusive).
    pub fn between(from: Option<&str>, to: Option<&str>) -> Result<Period> {
        let wide = DateRange {
            first: i32::MIN,
            last: i32::MAX,
        };
        let day = |text: &str, option: &str| -> Result<DayNumber> {
            match dates::parse_day(text, &wide) {
                Ok(Some(day)) => Ok(day),
                _ => Err(Error::Usage(format!(
                    "{option} \"{text}\" is not a date: use YYYY-MM-DD (or 2021/3/5, 2021年3月5日, 20210305)"
                ))),
            }
        };
        let from = from.map(|text| day(text, "--from")).transpose()?;
        let to = to.map(|text| day(text, "--to")).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(Error::Usage(format!(
                "--from {} is after --to {}",
                dates::format_day(from),
                dates::format_day(to)
            )));
        }
        let label = format!(
            "{}..{}",
            from.map(dates::format_day).unwrap_or_default(),
            to.map(dates::format_day).unwrap_or_default()
        );
        Ok(Period { from, to, label })
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

/// The year of a day, for labels.
pub fn year_of(day: DayNumber) -> i32 {
    dates::date_of(day).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> DayNumber {
        dates::day_number(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn month_quarter_and_year() {
        let june = Period::parse("2021-06").unwrap();
        assert_eq!(
            (june.from, june.to),
            (Some(day("2021-06-01")), Some(day("2021-06-30")))
        );
        let feb = Period::parse("2020-2").unwrap();
        assert_eq!(feb.to, Some(day("2020-02-29")));
        let q4 = Period::parse("2021-q4").unwrap();
        assert_eq!(
            (q4.from, q4.to),
            (Some(day("2021-10-01")), Some(day("2021-12-31")))
        );
        assert_eq!(q4.label, "2021-Q4");
        let year = Period::parse("2021").unwrap();
        assert_eq!(
            (year.from, year.to),
            (Some(day("2021-01-01")), Some(day("2021-12-31")))
        );
    }

    #[test]
    fn malformed_periods_are_usage_errors() {
        for text in ["2021-13", "2021-Q5", "21", "2021-06-01", "June", "2021-Q"] {
            let error = Period::parse(text).unwrap_err();
            assert!(matches!(error, Error::Usage(_)), "{text}");
        }
    }

    #[test]
    fn from_to_is_inclusive_and_ordered() {
        let period = Period::between(Some("2021-03-01"), Some("2021/3/31")).unwrap();
        assert!(period.contains(day("2021-03-01")));
        assert!(period.contains(day("2021-03-31")));
        assert!(!period.contains(day("2021-04-01")));
        let error = Period::between(Some("2021-04-01"), Some("2021-03-01")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--from 2021-04-01 is after --to 2021-03-01"
        );
    }
}
