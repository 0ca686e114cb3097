//! Trends: every figure beside the same figure for an earlier period (`--compare previous` or
//! `--compare last-year`), and the change between them.

use std::collections::HashMap;

use crate::measure::compute::{Computed, IndicatorResult};
use crate::measure::groups::GroupKey;
use crate::model::calendar::shift_calendar_label;
use crate::model::period::{Compare, EarlierPeriod};

/// An indicator id and a group's keys and labels.
type RowKey = (&'static str, Vec<(GroupKey, String)>);

/// The figures of the earlier period, ready to be paired with the current rows.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Which earlier period was asked for.
    pub compare: Compare,
    /// The earlier period.
    pub earlier: EarlierPeriod,
    /// Its figures, computed with every other option unchanged.
    pub computed: Computed,
    /// Row of `computed.results` by indicator id and group.
    index: HashMap<RowKey, usize>,
}

impl Comparison {
    /// Pair `computed` (the earlier period's figures) for lookups.
    pub fn new(compare: Compare, earlier: EarlierPeriod, computed: Computed) -> Comparison {
        let index = computed
            .results
            .iter()
            .enumerate()
            .map(|(row, result)| ((result.indicator.id, result.group.clone()), row))
            .collect();
        Comparison {
            compare,
            earlier,
            computed,
            index,
        }
    }

    /// The earlier figure of the same indicator and group. Courts, causes and the like are the
    /// same group in both periods; a month or quarter is paired with the one as far back as the
    /// earlier period lies (2021-03 with 2021-02 for the previous month, with 2020-03 a year
    /// back). None when the earlier period has no such group.
    pub fn earlier_of(&self, result: &IndicatorResult) -> Option<&IndicatorResult> {
        let group = result
            .group
            .iter()
            .map(|(key, label)| match key {
                GroupKey::Month | GroupKey::Quarter => {
                    shift_calendar_label(label, self.earlier.months_back?).map(|l| (*key, l))
                }
                _ => Some((*key, label.clone())),
            })
            .collect::<Option<Vec<_>>>()?;
        let row = self.index.get(&(result.indicator.id, group))?;
        Some(&self.computed.results[*row])
    }

    /// Current mean minus the earlier mean, in days; None when either has no cases.
    pub fn change(&self, result: &IndicatorResult) -> Option<f64> {
        Some(result.mean? - self.earlier_of(result)?.mean?)
    }
}
