//! Reporting periods: a month, a quarter, a year, or an inclusive date range. A case belongs to a
//! period by the date its indicator is attributed by (spec §1: registration or closing date).

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::model::calendar::{self, DateRange, DayNumber};
use crate::read::dates;

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
            from: Some(calendar::day_number(first)),
            to: Some(calendar::day_number(last)),
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
                calendar::format_day(from),
                calendar::format_day(to)
            )));
        }
        let label = format!(
            "{}..{}",
            from.map(calendar::format_day).unwrap_or_default(),
            to.map(calendar::format_day).unwrap_or_default()
        );
        Ok(Period { from, to, label })
    }
}

/// Which earlier period a report is compared with (`--compare`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The period of the same length just before (the month before a month, the quarter before
    /// a quarter, the year before a year, the same number of days before a date range).
    Previous,
    /// The same dates one year earlier (同比).
    LastYear,
}

impl Compare {
    /// Stable id, as written on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Compare::Previous => "previous",
            Compare::LastYear => "last-year",
        }
    }
}

/// The earlier period of a comparison, and how far back it lies in whole months when it does
/// (used to pair month and quarter rows: 2021-03 with 2021-02, or with 2020-03).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierPeriod {
    /// The earlier period.
    pub period: Period,
    /// Months back, when both periods are whole calendar months.
    pub months_back: Option<i32>,
}

impl Period {
    /// The period `compare` sets this one against. Needs a bounded period.
    pub fn earlier(&self, compare: Compare) -> Result<EarlierPeriod> {
        let (Some(from), Some(to)) = (self.from, self.to) else {
            return Err(Error::Usage(format!(
                "--compare {} needs a period with both ends: --period, or --from and --to",
                compare.id()
            )));
        };
        let (first, last) = (calendar::date_of(from), calendar::date_of(to));
        let whole_months = first.day() == 1 && last.succ_opt().is_some_and(|next| next.day() == 1);
        if whole_months {
            let months = month_index(last) - month_index(first) + 1;
            let back = match compare {
                Compare::Previous => months,
                Compare::LastYear => 12,
            };
            let first = month_start(month_index(first) - back);
            let last = month_start(month_index(last) - back + 1).and_then(|next| next.pred_opt());
            let (Some(first), Some(last)) = (first, last) else {
                return Err(Error::Usage(
                    "--compare: the earlier period is out of range".into(),
                ));
            };
            let period = Period {
                from: Some(calendar::day_number(first)),
                to: Some(calendar::day_number(last)),
                label: whole_months_label(first, last),
            };
            return Ok(EarlierPeriod {
                period,
                months_back: Some(back),
            });
        }
        let (first, last) = match compare {
            Compare::Previous => {
                let days = i64::from(to - from) + 1;
                (
                    first - chrono::Duration::days(days),
                    last - chrono::Duration::days(days),
                )
            }
            // why: a year back from 29 February is 28 February (as spreadsheets' EDATE does).
            Compare::LastYear => (year_back(first), year_back(last)),
        };
        let period = Period {
            from: Some(calendar::day_number(first)),
            to: Some(calendar::day_number(last)),
            label: format!("{}..{}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d")),
        };
        Ok(EarlierPeriod {
            period,
            months_back: (compare == Compare::LastYear).then_some(12),
        })
    }
}

/// Months since year 0, for month arithmetic.
fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

fn month_start(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

fn year_back(date: NaiveDate) -> NaiveDate {
    date.with_year(date.year() - 1)
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - 1, date.month(), 28))
        .unwrap_or(date)
}

/// `2021-02`, `2021-Q1`, `2020`, or `2021-01..2021-02` for whole months.
fn whole_months_label(first: NaiveDate, last: NaiveDate) -> String {
    let months = month_index(last) - month_index(first) + 1;
    match months {
        1 => calendar::month_label(month_index(first)),
        3 if first.month0().is_multiple_of(3) => {
            calendar::quarter_label(month_index(first).div_euclid(3))
        }
        12 if first.month() == 1 => first.year().to_string(),
        _ => format!(
            "{}..{}",
            calendar::month_label(month_index(first)),
            calendar::month_label(month_index(last))
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> DayNumber {
        calendar::day_number(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
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

    fn earlier(period: &Period, compare: Compare) -> (String, String, String, Option<i32>) {
        let earlier = period.earlier(compare).unwrap();
        (
            calendar::format_day(earlier.period.from.unwrap()),
            calendar::format_day(earlier.period.to.unwrap()),
            earlier.period.label,
            earlier.months_back,
        )
    }

    #[test]
    fn previous_period_crosses_year_boundaries() {
        let january = Period::parse("2021-01").unwrap();
        assert_eq!(
            earlier(&january, Compare::Previous),
            (
                "2020-12-01".into(),
                "2020-12-31".into(),
                "2020-12".into(),
                Some(1)
            )
        );
        let q1 = Period::parse("2021-Q1").unwrap();
        assert_eq!(
            earlier(&q1, Compare::Previous),
            (
                "2020-10-01".into(),
                "2020-12-31".into(),
                "2020-Q4".into(),
                Some(3)
            )
        );
        let year = Period::parse("2021").unwrap();
        assert_eq!(
            earlier(&year, Compare::Previous),
            (
                "2020-01-01".into(),
                "2020-12-31".into(),
                "2020".into(),
                Some(12)
            )
        );
        // March has 31 days, the month before 28: whole months are compared, not day counts.
        let march = Period::between(Some("2021-03-01"), Some("2021-03-31")).unwrap();
        assert_eq!(
            earlier(&march, Compare::Previous),
            (
                "2021-02-01".into(),
                "2021-02-28".into(),
                "2021-02".into(),
                Some(1)
            )
        );
        // A range that is not whole months: the same number of days just before.
        let days = Period::between(Some("2021-01-10"), Some("2021-01-19")).unwrap();
        assert_eq!(
            earlier(&days, Compare::Previous),
            (
                "2020-12-31".into(),
                "2021-01-09".into(),
                "2020-12-31..2021-01-09".into(),
                None
            )
        );
    }

    #[test]
    fn last_year_is_the_same_dates_a_year_before() {
        let march = Period::parse("2021-03").unwrap();
        assert_eq!(
            earlier(&march, Compare::LastYear),
            (
                "2020-03-01".into(),
                "2020-03-31".into(),
                "2020-03".into(),
                Some(12)
            )
        );
        // February of a leap year against February of a common year: whole months.
        let february = Period::parse("2020-02").unwrap();
        assert_eq!(
            earlier(&february, Compare::LastYear),
            (
                "2019-02-01".into(),
                "2019-02-28".into(),
                "2019-02".into(),
                Some(12)
            )
        );
        let leap_day = Period::between(Some("2020-02-15"), Some("2020-02-29")).unwrap();
        assert_eq!(
            earlier(&leap_day, Compare::LastYear),
            (
                "2019-02-15".into(),
                "2019-02-28".into(),
                "2019-02-15..2019-02-28".into(),
                Some(12)
            )
        );
        assert!(matches!(
            Period::all().earlier(Compare::LastYear),
            Err(Error::Usage(_))
        ));
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
