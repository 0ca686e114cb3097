//! The trend the HTML page charts for a month's or a quarter's report: the twelve months (or four
//! quarters) up to and including the period, from the same export, with every other option of the
//! report unchanged. It is [`compute`] over the wider span, broken down by month (or quarter).

use crate::error::Result;
use crate::measure::CaseFrame;
use crate::measure::compute::{ComputeOptions, Computed, compute};
use crate::measure::groups::GroupKey;
use crate::model::calendar::{self, DayNumber};
use crate::model::cases::Register;
use crate::model::period::Period;

/// Months a month's trend covers, the month itself included.
pub const TREND_MONTHS: i32 = 12;
/// Quarters a quarter's trend covers, the quarter itself included.
pub const TREND_QUARTERS: i32 = 4;

/// The figures of the months (or quarters) up to the reported period.
#[derive(Debug, Clone)]
pub struct Trend {
    /// `month` or `quarter`: what a slot is.
    pub key: GroupKey,
    /// Every slot's label, oldest first; the last is the reported period (`2020-07` … `2021-06`).
    pub slots: Vec<String>,
    /// The figures over the slots' span, broken down by `key` alone.
    pub computed: Computed,
}

impl Trend {
    /// The label of the reported period: the last slot.
    pub fn current(&self) -> &str {
        self.slots.last().map_or("", String::as_str)
    }
}

/// The span and slots of the trend of `period`, when it is one calendar month or quarter; `None`
/// for a year, a date range or all data (their page charts the period's own months).
pub fn trend_window(period: &Period) -> Option<(Period, GroupKey, Vec<String>)> {
    let (from, to) = (period.from?, period.to?);
    let (first_month, last_month) = (calendar::month_key(from), calendar::month_key(to));
    let whole_months = is_month_start(from) && is_month_start(to + 1);
    if !whole_months {
        return None;
    }
    let (key, slots) = match last_month - first_month + 1 {
        1 => (
            GroupKey::Month,
            (last_month - TREND_MONTHS + 1..=last_month)
                .map(calendar::month_label)
                .collect::<Vec<_>>(),
        ),
        3 if first_month.rem_euclid(3) == 0 => {
            let quarter = first_month.div_euclid(3);
            (
                GroupKey::Quarter,
                (quarter - TREND_QUARTERS + 1..=quarter)
                    .map(calendar::quarter_label)
                    .collect(),
            )
        }
        _ => return None,
    };
    let span_months = match key {
        GroupKey::Quarter => 3 * TREND_QUARTERS,
        _ => TREND_MONTHS,
    };
    let first_day = month_start(last_month - span_months + 1)?;
    let span = Period {
        from: Some(first_day),
        to: Some(to),
        label: format!("{}..{}", slots[0], period.label),
    };
    Some((span, key, slots))
}

/// The trend of the report `options` describes; `None` when its period is not one month or
/// quarter.
pub fn trend(
    cases: &CaseFrame,
    register: &Register,
    options: &ComputeOptions,
) -> Result<Option<Trend>> {
    let Some((span, key, slots)) = trend_window(&options.period) else {
        return Ok(None);
    };
    let wide = ComputeOptions {
        period: span,
        by: vec![key],
        ..options.clone()
    };
    let computed = compute(cases, register, &wide)?;
    Ok(Some(Trend {
        key,
        slots,
        computed,
    }))
}

fn is_month_start(day: DayNumber) -> bool {
    calendar::month_key(day) != calendar::month_key(day - 1)
}

/// The first day of month key `key` (year × 12 + month − 1).
fn month_start(key: i32) -> Option<DayNumber> {
    let date =
        chrono::NaiveDate::from_ymd_opt(key.div_euclid(12), key.rem_euclid(12) as u32 + 1, 1)?;
    Some(calendar::day_number(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_trends_over_twelve_months_and_a_quarter_over_four_quarters() {
        let (span, key, slots) = trend_window(&Period::parse("2021-06").unwrap()).unwrap();
        assert_eq!(key, GroupKey::Month);
        assert_eq!(slots.len(), 12);
        assert_eq!(
            (slots[0].as_str(), slots[11].as_str()),
            ("2020-07", "2021-06")
        );
        assert_eq!(span.from.map(calendar::format_day).unwrap(), "2020-07-01");
        assert_eq!(span.to.map(calendar::format_day).unwrap(), "2021-06-30");

        let (span, key, slots) = trend_window(&Period::parse("2021-Q1").unwrap()).unwrap();
        assert_eq!(key, GroupKey::Quarter);
        assert_eq!(slots, ["2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1"]);
        assert_eq!(span.from.map(calendar::format_day).unwrap(), "2020-04-01");
        assert_eq!(span.to.map(calendar::format_day).unwrap(), "2021-03-31");
    }

    #[test]
    fn a_year_a_range_or_all_data_has_no_trend() {
        assert!(trend_window(&Period::parse("2021").unwrap()).is_none());
        assert!(trend_window(&Period::all()).is_none());
        let range = Period::between(Some("2021-06-01"), Some("2021-06-29")).unwrap();
        assert!(trend_window(&range).is_none());
        let two_months = Period::between(Some("2021-05-01"), Some("2021-06-30")).unwrap();
        assert!(trend_window(&two_months).is_none());
    }
}
