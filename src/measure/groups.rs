//! Break-downs (`--by`): the group keys, how a run's keys fold into one group number per case,
//! and the labels report rows show for each key's codes.

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::measure::engine::EngineColumn;
use crate::measure::frame::CaseFrame;
use crate::model::cases::{CaseColumns, Register, ValueState, court_level_of_code};

use crate::model::calendar;
use crate::model::fields::DateField;

/// A dimension results can be broken down by (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    /// 经办法院.
    Court,
    /// Court level (high / intermediate / basic).
    CourtLevel,
    /// Calendar month of the attribution date.
    Month,
    /// Calendar quarter of the attribution date.
    Quarter,
    /// 案由.
    Cause,
    /// 承办部门.
    Department,
    /// 承办人.
    Judge,
}

impl GroupKey {
    /// Every key, in the order columns are shown.
    pub const ALL: [GroupKey; 7] = [
        GroupKey::Court,
        GroupKey::CourtLevel,
        GroupKey::Month,
        GroupKey::Quarter,
        GroupKey::Cause,
        GroupKey::Department,
        GroupKey::Judge,
    ];

    /// The name used in `--by` and output columns.
    pub fn id(self) -> &'static str {
        match self {
            GroupKey::Court => "court",
            GroupKey::CourtLevel => "court_level",
            GroupKey::Month => "month",
            GroupKey::Quarter => "quarter",
            GroupKey::Cause => "cause",
            GroupKey::Department => "department",
            GroupKey::Judge => "judge",
        }
    }

    /// The key named `id`; an unknown one is a usage error naming `option` and the known keys.
    pub fn parse(id: &str, option: &str) -> Result<GroupKey> {
        GroupKey::ALL
            .into_iter()
            .find(|k| k.id() == id.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = GroupKey::ALL.iter().map(|k| k.id()).collect();
                Error::Usage(format!(
                    "unknown {option} key \"{}\"; known: {}",
                    id.trim(),
                    known.join(", ")
                ))
            })
    }

    /// Parse a comma-separated `--by` list; unknown keys are usage errors.
    pub fn parse_list(text: &str) -> Result<Vec<GroupKey>> {
        let mut keys = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let key = GroupKey::parse(part, "--by")?;
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Ok(keys)
    }
}

/// How the break-down keys (`--by`) of a run are folded into one group number per case, so that
/// polars groups by one integer column: several key columns would be encoded into a row of bytes
/// per case first (about 16 bytes each). Each key takes the codes `first..first + count`; the
/// number is the keys' codes written in mixed radix, the first key lowest.
pub(super) struct GroupLayout {
    /// Each key, the smallest code it takes and how many codes from there.
    keys: Vec<(GroupKey, i64, i64)>,
    /// Whether the numbers need 64 bits.
    wide: bool,
}

impl GroupLayout {
    /// The layout for `by` over `cases`: dictionary keys take every code of their
    /// dictionary, court levels their four codes, months and quarters those of the earliest to the
    /// latest date read in any date column.
    pub(super) fn new(
        cases: &CaseFrame,
        register: &Register,
        by: &[GroupKey],
    ) -> Result<GroupLayout> {
        // The span of dates is needed only to number months or quarters.
        let calendar_keys = by
            .iter()
            .any(|key| matches!(key, GroupKey::Month | GroupKey::Quarter));
        let (first_day, last_day) = match calendar_keys {
            true => date_span(&cases.columns),
            false => (0, 0),
        };
        let mut keys = Vec::with_capacity(by.len());
        let mut numbers: i64 = 1;
        for &key in by {
            let (first, count) = match key {
                GroupKey::Court => (0, register.courts.labels().len() as i64),
                GroupKey::Cause => (0, register.causes.labels().len() as i64),
                GroupKey::Department => (0, register.departments.labels().len() as i64),
                GroupKey::Judge => (0, register.judges.labels().len() as i64),
                GroupKey::CourtLevel => (0, 4),
                GroupKey::Month => {
                    let first = i64::from(calendar::month_key(first_day));
                    (first, i64::from(calendar::month_key(last_day)) - first + 1)
                }
                GroupKey::Quarter => {
                    let first = i64::from(calendar::quarter_key(first_day));
                    (
                        first,
                        i64::from(calendar::quarter_key(last_day)) - first + 1,
                    )
                }
            };
            numbers = numbers.checked_mul(count.max(1)).ok_or_else(|| {
                Error::Usage(format!(
                    "--by {}: too many combinations of these keys to break down by; use fewer keys",
                    by.iter().map(|k| k.id()).collect::<Vec<_>>().join(",")
                ))
            })?;
            keys.push((key, first, count.max(1)));
        }
        Ok(GroupLayout {
            keys,
            wide: numbers > i64::from(u32::MAX),
        })
    }

    /// The expression of each case's group number, as column `group`, from the `key_*` columns.
    pub(super) fn group_number(&self) -> Expr {
        let mut number = lit(0i64);
        let mut place: i64 = 1;
        for &(key, first, count) in &self.keys {
            number = number
                + (EngineColumn::Key(key).expr().cast(DataType::Int64) - lit(first)) * lit(place);
            place = place.saturating_mul(count);
        }
        let dtype = if self.wide {
            DataType::Int64
        } else {
            DataType::UInt32
        };
        number.cast(dtype).alias(EngineColumn::Group.name())
    }

    /// Each key's code in group `number`.
    pub(super) fn codes(&self, number: i64) -> impl Iterator<Item = (GroupKey, i64)> + '_ {
        let mut rest = number;
        self.keys.iter().map(move |&(key, first, count)| {
            let code = first + rest % count;
            rest /= count;
            (key, code)
        })
    }
}

/// The earliest and the latest day read in any date column (day 0 twice when none was read).
fn date_span(columns: &CaseColumns) -> (calendar::DayNumber, calendar::DayNumber) {
    let mut span: Option<(i32, i32)> = None;
    for dates in DateField::ALL.map(|field| columns.date(field)) {
        for row in 0..dates.len() {
            if dates.state(row) == ValueState::Present as u8 {
                let day = dates.day(row);
                span = Some(match span {
                    None => (day, day),
                    Some((low, high)) => (low.min(day), high.max(day)),
                });
            }
        }
    }
    span.unwrap_or((0, 0))
}

/// The label of a group key's code, as report rows and `cases --group` show it.
pub fn group_label(register: &Register, key: GroupKey, code: i64) -> String {
    let blank = |label: &str| {
        if label.is_empty() {
            "(blank)".to_string()
        } else {
            label.to_string()
        }
    };
    match key {
        GroupKey::Court => blank(register.courts.label(code as u32)),
        GroupKey::Cause => blank(register.causes.label(code as u32)),
        GroupKey::Department => blank(register.departments.label(code as u32)),
        GroupKey::Judge => blank(register.judges.label(code as u32)),
        GroupKey::CourtLevel => {
            court_level_of_code(code as u8).map_or("unknown".to_string(), |l| l.id().to_string())
        }
        GroupKey::Month => calendar::month_label(code as i32),
        GroupKey::Quarter => calendar::quarter_label(code as i32),
    }
}
