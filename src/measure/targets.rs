//! Targets each indicator is checked against: the 2021 plan's values built in (spec §1), and a
//! user's `--targets FILE.toml` overriding any of them, optionally per court level.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::measure::indicators::{INDICATORS, Indicator};
use crate::read::case_number::CourtLevel;
use crate::read::profile::{one_line, read_settings_file};

/// How a figure is compared with its target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    /// The figure must be at most the value (durations).
    #[serde(rename = "<=")]
    AtMost,
    /// The figure must be at least the value (shares, rates).
    #[serde(rename = ">=")]
    AtLeast,
}

impl Comparison {
    /// `<=` or `>=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtMost => "<=",
            Comparison::AtLeast => ">=",
        }
    }

    /// Whether `figure` satisfies a target `value` under this comparison.
    pub fn holds(self, figure: f64, value: f64) -> bool {
        match self {
            Comparison::AtMost => figure <= value,
            Comparison::AtLeast => figure >= value,
        }
    }
}

/// A target: the figure must be `op` `value` (e.g. mean ≤ 50 days).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    /// The comparison.
    pub op: Comparison,
    /// The value, in the indicator's unit (days).
    pub value: f64,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.op {
            Comparison::AtMost => "≤",
            Comparison::AtLeast => "≥",
        };
        write!(f, "{sign} {}", self.value)
    }
}

/// The targets in force for a run.
#[derive(Debug, Clone)]
pub struct Targets {
    overall: BTreeMap<&'static str, Target>,
    by_level: BTreeMap<(&'static str, CourtLevel), Target>,
}

impl Default for Targets {
    /// The 2021 plan's targets.
    fn default() -> Self {
        Targets {
            overall: INDICATORS
                .iter()
                .filter_map(|i| Some((i.id, i.plan_target?)))
                .collect(),
            by_level: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    op: Option<Comparison>,
    value: Option<f64>,
    #[serde(default)]
    court_level: BTreeMap<String, f64>,
}

impl Targets {
    /// The target for `indicator` in a group whose cases all belong to `level` (None: mixed or
    /// unknown); None when neither the plan nor a targets file gives one.
    pub fn target(&self, indicator: &Indicator, level: Option<CourtLevel>) -> Option<Target> {
        level
            .and_then(|level| self.by_level.get(&(indicator.id, level)))
            .or_else(|| self.overall.get(indicator.id))
            .copied()
    }

    /// Every distinct target that may apply to `indicator` (the overall one first).
    pub fn candidates(&self, indicator: &Indicator) -> Vec<Target> {
        let mut all: Vec<Target> = Vec::new();
        for level in [
            None,
            Some(CourtLevel::High),
            Some(CourtLevel::Intermediate),
            Some(CourtLevel::Basic),
        ] {
            if let Some(target) = self.target(indicator, level)
                && !all.contains(&target)
            {
                all.push(target);
            }
        }
        all
    }

    /// Read a targets file. Text that does not parse, or names an unknown indicator, level or key, is
    /// a usage error (exit 2).
    pub fn load(path: &Path) -> Result<Targets> {
        // A file that cannot be read is an input problem (exit 1); one that says something wrong
        // is a usage error (exit 2).
        let text = read_settings_file(path, "targets file")?;
        Targets::parse(&text, path)
    }

    /// Check the text of a targets file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Targets> {
        let bad = |message: String| Error::Usage(format!("{}: {message}", path.display()));
        let entries: BTreeMap<String, TargetEntry> = toml::from_str(text).map_err(|error| {
            bad(format!(
                "not a valid targets file: {}",
                one_line(&error.to_string())
            ))
        })?;
        let mut targets = Targets::default();
        for (id, entry) in entries {
            let indicator = INDICATORS.iter().find(|i| i.id == id).ok_or_else(|| {
                let known: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
                bad(format!(
                    "unknown indicator \"{id}\"; known: {}",
                    known.join(", ")
                ))
            })?;
            let base = targets.target(indicator, None);
            let op = entry.op.or(base.map(|b| b.op)).unwrap_or(indicator.better);
            for value in entry.value.iter().chain(entry.court_level.values()) {
                check_value(indicator, *value).map_err(bad)?;
            }
            // A level-only entry for an indicator without a target leaves the overall row without one.
            if let Some(value) = entry.value.or(base.map(|b| b.value)) {
                targets.overall.insert(indicator.id, Target { op, value });
            }
            for (level_name, value) in entry.court_level {
                let level = CourtLevel::parse_id(&level_name).ok_or_else(|| {
                    bad(format!(
                        "{id}: unknown court level \"{level_name}\"; use high, intermediate or basic"
                    ))
                })?;
                targets
                    .by_level
                    .insert((indicator.id, level), Target { op, value });
            }
        }
        Ok(targets)
    }
}

/// A target value the figure can meet: days ≥ 0; a share or rate from 0 to 1 (`0.9` for 90 %, the
/// way the figure itself is written), so that `value = 90` is refused instead of always missed.
fn check_value(indicator: &Indicator, value: f64) -> std::result::Result<(), String> {
    let id = indicator.id;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{id}: target value {value} must be a number ≥ 0"));
    }
    if !indicator.measure.is_days() && value > 1.0 {
        let hint = if value <= 100.0 {
            format!(" (e.g. {} for {value} %)", value / 100.0)
        } else {
            String::new()
        };
        return Err(format!(
            "{id}: target value {value} is a share or rate and must be from 0 to 1{hint}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::indicators::indicator;

    #[test]
    fn plan_targets_are_built_in() {
        let targets = Targets::default();
        let first = indicator("first_instance_days").unwrap();
        assert_eq!(
            targets.target(first, None),
            Some(Target {
                op: Comparison::AtMost,
                value: 50.0
            })
        );
        let filing = indicator("filing_review_days").unwrap();
        assert_eq!(
            targets
                .target(filing, Some(CourtLevel::Basic))
                .unwrap()
                .value,
            1.0
        );
        let lag = indicator("enforcement_lag_days").unwrap();
        assert_eq!(targets.target(lag, None), None);
        assert!(targets.candidates(lag).is_empty());
    }

    #[test]
    fn a_file_sets_a_target_the_plan_does_not_name_taking_the_better_direction() {
        let text = "[second_instance_half_limit_share]\nvalue = 0.5\n[enforcement_lag_days.court_level]\nbasic = 20\n";
        let targets = Targets::parse(text, Path::new("t.toml")).unwrap();
        let share = indicator("second_instance_half_limit_share").unwrap();
        assert_eq!(
            targets.target(share, None),
            Some(Target {
                op: Comparison::AtLeast,
                value: 0.5
            })
        );
        let lag = indicator("enforcement_lag_days").unwrap();
        assert_eq!(targets.target(lag, None), None);
        assert_eq!(
            targets.target(lag, Some(CourtLevel::Basic)),
            Some(Target {
                op: Comparison::AtMost,
                value: 20.0
            })
        );
    }

    #[test]
    fn a_file_overrides_values_and_court_levels() {
        let text = "[second_instance_days]\nvalue = 40\n[second_instance_days.court_level]\nintermediate = 42\n";
        let targets = Targets::parse(text, Path::new("t.toml")).unwrap();
        let second = indicator("second_instance_days").unwrap();
        let value = |level| targets.target(second, level).unwrap().value;
        assert_eq!(value(None), 40.0);
        assert_eq!(value(Some(CourtLevel::Intermediate)), 42.0);
        assert_eq!(value(Some(CourtLevel::Basic)), 40.0);
        assert_eq!(targets.candidates(second).len(), 2);
    }

    #[test]
    fn unknown_indicator_is_a_usage_error() {
        let error = Targets::parse("[trial_days]\nvalue = 3\n", Path::new("t.toml")).unwrap_err();
        assert!(matches!(error, Error::Usage(_)));
        assert!(
            error
                .to_string()
                .starts_with("t.toml: unknown indicator \"trial_days\""),
            "{error}"
        );
    }
}
