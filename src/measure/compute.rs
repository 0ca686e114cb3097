//! Computing every indicator for `report`: each indicator's case set measured chunk by chunk,
//! aggregated overall and per group, with its exclusions per reason and the status against its
//! target.

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Result, computing};
use crate::measure::aggregate::{
    DayValues, chunk_aggregations, combined_aggregations, figure, int_at, quantiles,
};
pub use crate::measure::engine::CHUNK_ROWS;
use crate::measure::engine::{AppealLinks, measure_chunks};
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::CaseFrame;
use crate::measure::groups::{GroupKey, GroupLayout, group_label};
use crate::measure::indicators::{INDICATORS, Indicator};
use crate::measure::targets::{Target, Targets};
use crate::model::cases::Register;
use crate::model::period::Period;

/// Options shared by `report` and `cases`.
#[derive(Debug, Clone)]
pub struct ComputeOptions {
    /// The period reported.
    pub period: Period,
    /// `--gross`: report days without subtracting deductions.
    pub gross: bool,
    /// Break-down keys (`--by`); the overall row is always computed.
    pub by: Vec<GroupKey>,
    /// Targets in force.
    pub targets: Targets,
    /// Rows measured at a time (bounds polars' working memory); results never depend on it.
    pub chunk_rows: usize,
}

impl Default for ComputeOptions {
    fn default() -> Self {
        ComputeOptions {
            period: Period::all(),
            gross: false,
            by: Vec::new(),
            targets: Targets::default(),
            chunk_rows: CHUNK_ROWS,
        }
    }
}

/// Whether a figure met its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The unrounded mean satisfies the target.
    Met,
    /// It does not.
    Missed,
    /// No case entered the figure.
    NoData,
    /// Cases entered the figure, but no target applies to it (the plan names no number).
    NoTarget,
}

impl Status {
    /// `met`, `missed` or `no_data`.
    pub fn id(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NoData => "no_data",
            Status::NoTarget => "no_target",
        }
    }
}

/// One figure: an indicator over one group (or over everything).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// The indicator.
    pub indicator: &'static Indicator,
    /// The group's keys and labels, in `--by` order; empty for the overall row.
    pub group: Vec<(GroupKey, String)>,
    /// Cases that entered the figure (for a clearance rate: cases registered in the period).
    pub cases: u64,
    /// The figure, unrounded: mean days, or the share or rate (0..1); None when there are no
    /// cases.
    pub mean: Option<f64>,
    /// Median days.
    pub median: Option<f64>,
    /// 90th percentile (linear interpolation between closest ranks, as numpy/Excel PERCENTILE.INC).
    pub p90: Option<f64>,
    /// Longest.
    pub max: Option<f64>,
    /// Share of cases whose own days satisfy the target value (0..1).
    pub within_target_share: Option<f64>,
    /// The target applied to this group, if any.
    pub target: Option<Target>,
    /// Met, missed, no data or no target.
    pub status: Status,
}

/// Cases left out of one indicator, per reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusions {
    /// The indicator.
    pub indicator: &'static Indicator,
    /// (reason, count), in reason order; only reasons that occurred.
    pub counts: Vec<(Exclusion, u64)>,
}

/// Everything `report` computes.
#[derive(Debug, Clone)]
pub struct Computed {
    /// Figures: per indicator the overall row, then groups sorted by their labels.
    pub results: Vec<IndicatorResult>,
    /// Exclusions per indicator.
    pub exclusions: Vec<Exclusions>,
}

/// Compute every indicator: the overall figure, the figure per group, and the exclusions per
/// reason. Each indicator's case set is measured once; figures and exclusions both read it.
pub fn compute(
    cases: &CaseFrame,
    register: &Register,
    options: &ComputeOptions,
) -> Result<Computed> {
    let appeals = AppealLinks::new(cases)?;
    let layout = GroupLayout::new(cases, register, &options.by)?;
    let mut results = Vec::new();
    let mut exclusions = Vec::new();
    for indicator in INDICATORS.iter().filter(|i| i.available(register)) {
        let candidates = options.targets.candidates(indicator);
        let mut kept = vec![col("value"), col("reason"), col("court_level")];
        if indicator.measure.has_weights() {
            kept.push(col("weight"));
        }
        let grouped = !options.by.is_empty();
        if grouped {
            kept.push(layout.group_number());
        }
        // Sums, counts and extremes add up chunk by chunk; only a mean of days keeps its values
        // (and group numbers), for the median and 90th percentile.
        let keeps_values = indicator.measure.is_days();
        let (mut values, mut groups) = (DayValues::new(), DayValues::new());
        let (mut overall_parts, mut group_parts) = (Vec::new(), Vec::new());
        let excluded = measure_chunks(
            cases,
            &appeals,
            indicator,
            options,
            &[],
            &kept,
            col("reason").eq(lit(0u8)),
            |part| {
                let fail = |e: PolarsError| computing(indicator.id, e);
                let aggs = chunk_aggregations(indicator, &candidates);
                overall_parts.push(
                    part.clone()
                        .lazy()
                        .select(aggs.clone())
                        .collect()
                        .map_err(fail)?,
                );
                if grouped {
                    let by_group = part.clone().lazy().group_by([col("group")]).agg(aggs);
                    group_parts.push(by_group.collect().map_err(fail)?);
                }
                if keeps_values {
                    values
                        .extend(part.column("value").map_err(fail)?)
                        .map_err(fail)?;
                    if grouped {
                        groups
                            .extend(part.column("group").map_err(fail)?)
                            .map_err(fail)?;
                    }
                }
                Ok(())
            },
        )?;
        let fail = |e: PolarsError| computing(indicator.id, e);
        let combine = |parts: Vec<DataFrame>| -> Result<Option<DataFrame>> {
            let mut parts = parts.into_iter();
            let Some(mut all) = parts.next() else {
                return Ok(None);
            };
            for part in parts {
                all.vstack_mut_owned(part).map_err(fail)?;
            }
            Ok(Some(all))
        };
        let overall_parts =
            combine(overall_parts)?.ok_or_else(|| computing(indicator.id, "no rows measured"))?;
        let mut overall = overall_parts
            .lazy()
            .select(combined_aggregations(indicator, &candidates))
            .collect()
            .map_err(fail)?;
        let group_parts = combine(group_parts)?;
        let mut per_group = match group_parts {
            Some(parts) if grouped => Some(
                parts
                    .lazy()
                    .group_by([col("group")])
                    .agg(combined_aggregations(indicator, &candidates))
                    .collect()
                    .map_err(fail)?,
            ),
            _ => None,
        };
        if keeps_values && !values.is_empty() {
            let values = values.into_column("value");
            if let Some(per_group) = per_group.as_mut() {
                let frame = DataFrame::new(
                    values.len(),
                    vec![values.clone(), groups.into_column("group")],
                )
                .map_err(fail)?;
                let quantiles = frame
                    .lazy()
                    .group_by([col("group")])
                    .agg(quantiles())
                    .collect()
                    .map_err(fail)?;
                *per_group = per_group
                    .clone()
                    .lazy()
                    .join(
                        quantiles.lazy(),
                        [col("group")],
                        [col("group")],
                        JoinArgs::new(JoinType::Left),
                    )
                    .collect()
                    .map_err(fail)?;
            }
            // One statistic at a time: each sorts a copy of the values.
            let frame = DataFrame::new(values.len(), vec![values]).map_err(fail)?;
            for statistic in quantiles() {
                let value = frame
                    .clone()
                    .lazy()
                    .select([statistic])
                    .collect()
                    .map_err(fail)?;
                overall.hstack_mut(value.columns()).map_err(fail)?;
            }
        }
        results.push(figure(
            indicator,
            &overall,
            0,
            Vec::new(),
            &options.targets,
            &candidates,
        )?);
        if let Some(per_group) = per_group {
            let per_group = per_group
                .lazy()
                .with_column(col("group").cast(DataType::Int64))
                .collect()
                .map_err(fail)?;
            let mut rows = Vec::with_capacity(per_group.height());
            for row in 0..per_group.height() {
                let number = int_at(&per_group, "group", row)?.unwrap_or(0);
                let group = layout
                    .codes(number)
                    .map(|(key, code)| (key, group_label(register, key, code)))
                    .collect();
                rows.push(figure(
                    indicator,
                    &per_group,
                    row,
                    group,
                    &options.targets,
                    &candidates,
                )?);
            }
            rows.sort_by(|a, b| a.group.cmp(&b.group));
            results.extend(rows);
        }
        exclusions.push(Exclusions {
            indicator,
            counts: excluded
                .iter()
                .filter_map(|(&code, &count)| Some((Exclusion::from_code(code)?, count)))
                .collect(),
        });
    }
    Ok(Computed {
        results,
        exclusions,
    })
}
