//! Aggregates of measured cases: per-chunk sums and counts that add up over chunks, the values
//! kept for median and 90th percentile, and the figure one row of aggregates makes.

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::measure::compute::{IndicatorResult, Status};
use crate::measure::engine::{EngineColumn, unit_per_day};
use crate::measure::frame::{CaseColumn, owned};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::{Indicator, Measure};
use crate::measure::targets::{Comparison, Target, Targets};
use crate::model::cases::court_level_of_code;

/// Integers gathered chunk after chunk into one contiguous column, so that no copy is made to
/// join chunks: 32 bits each while every value fits, 64 after.
enum DayValues {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl DayValues {
    fn new() -> Self {
        DayValues::Narrow(Vec::new())
    }

    /// Append the values of `column` (integers without nulls).
    fn extend(&mut self, column: &Column) -> PolarsResult<()> {
        let values = column.cast(&DataType::Int64)?;
        let values = values.i64()?;
        for value in values.iter().map(|v| v.unwrap_or(0)) {
            if let DayValues::Narrow(narrow) = self {
                match i32::try_from(value) {
                    Ok(value) => {
                        narrow.push(value);
                        continue;
                    }
                    Err(_) => {
                        *self = DayValues::Wide(narrow.iter().map(|&v| i64::from(v)).collect());
                    }
                }
            }
            if let DayValues::Wide(wide) = self {
                wide.push(value);
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        match self {
            DayValues::Narrow(values) => values.is_empty(),
            DayValues::Wide(values) => values.is_empty(),
        }
    }

    fn into_column(self, name: &str) -> Column {
        match self {
            DayValues::Narrow(values) => owned(name, values),
            DayValues::Wide(values) => owned(name, values),
        }
    }
}

/// A column of aggregates, per chunk and then for the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    /// Cases counted.
    Cases,
    /// Sum of their values.
    Sum,
    /// Sum of their weights.
    WeightSum,
    /// Lowest court-level code (a target may differ per level).
    LevelMin,
    /// Highest court-level code.
    LevelMax,
    /// Longest, for a mean of days.
    Max,
    /// Median, for a mean of days.
    Median,
    /// 90th percentile, for a mean of days.
    P90,
}

impl Aggregate {
    fn name(self) -> &'static str {
        match self {
            Aggregate::Cases => "cases",
            Aggregate::Sum => "sum",
            Aggregate::WeightSum => "weight_sum",
            Aggregate::LevelMin => "level_min",
            Aggregate::LevelMax => "level_max",
            Aggregate::Max => "max",
            Aggregate::Median => "median",
            Aggregate::P90 => "p90",
        }
    }

    fn expr(self) -> Expr {
        col(self.name())
    }
}

/// The column counting the cases within candidate target `k` (one per candidate, so numbered).
fn within_column(k: usize) -> String {
    format!("within_{k}")
}

/// Aggregations of one chunk's counted cases that add up over chunks: n, sum of values, sum of
/// weights, max, court-level range and the number within each candidate target, all as 64-bit
/// integers (the sums exact).
fn chunk_aggregations(indicator: &Indicator, candidates: &[Target]) -> Vec<Expr> {
    let per_day = unit_per_day(indicator) as f64;
    let value = || EngineColumn::Value.expr();
    let mut aggs = vec![
        len().cast(DataType::Int64).alias(Aggregate::Cases.name()),
        value()
            .cast(DataType::Int64)
            .sum()
            .alias(Aggregate::Sum.name()),
        if indicator.measure.has_weights() {
            EngineColumn::Weight.expr().cast(DataType::Int64).sum()
        } else {
            len().cast(DataType::Int64)
        }
        .alias(Aggregate::WeightSum.name()),
        CaseColumn::CourtLevel
            .expr()
            .min()
            .cast(DataType::Int64)
            .alias(Aggregate::LevelMin.name()),
        CaseColumn::CourtLevel
            .expr()
            .max()
            .cast(DataType::Int64)
            .alias(Aggregate::LevelMax.name()),
    ];
    if indicator.measure.is_days() {
        aggs.push(
            value()
                .cast(DataType::Int64)
                .max()
                .alias(Aggregate::Max.name()),
        );
        for (k, target) in candidates.iter().enumerate() {
            let threshold = lit(target.value * per_day);
            let within = match target.op {
                Comparison::AtMost => value().cast(DataType::Float64).lt_eq(threshold),
                Comparison::AtLeast => value().cast(DataType::Float64).gt_eq(threshold),
            };
            aggs.push(within.sum().cast(DataType::Int64).alias(within_column(k)));
        }
    }
    aggs
}

/// How the chunk aggregates of `chunk_aggregations` combine into the figure's, as the
/// floating-point columns `figure` reads.
fn combined_aggregations(indicator: &Indicator, candidates: &[Target]) -> Vec<Expr> {
    let total = |name: &str| col(name).sum().cast(DataType::Float64).alias(name);
    let (low, high) = (Aggregate::LevelMin, Aggregate::LevelMax);
    let mut aggs = vec![
        total(Aggregate::Cases.name()),
        total(Aggregate::Sum.name()),
        total(Aggregate::WeightSum.name()),
        low.expr().min().cast(DataType::Float64).alias(low.name()),
        high.expr().max().cast(DataType::Float64).alias(high.name()),
    ];
    if indicator.measure.is_days() {
        let max = Aggregate::Max;
        aggs.push(max.expr().max().cast(DataType::Float64).alias(max.name()));
        for k in 0..candidates.len() {
            aggs.push(total(&within_column(k)));
        }
    }
    aggs
}

/// Median and 90th percentile of the values, as `figure` reads them.
fn quantiles() -> [Expr; 2] {
    [
        EngineColumn::Value
            .expr()
            .median()
            .cast(DataType::Float64)
            .alias(Aggregate::Median.name()),
        EngineColumn::Value
            .expr()
            .quantile(lit(0.9), QuantileMethod::Linear)
            .cast(DataType::Float64)
            .alias(Aggregate::P90.name()),
    ]
}

/// The aggregate at `row` of `frame`.
fn float_at(frame: &DataFrame, aggregate: Aggregate, row: usize) -> Result<Option<f64>> {
    float_name_at(frame, aggregate.name(), row)
}

/// The floating-point value of column `name` at `row` of `frame`.
fn float_name_at(frame: &DataFrame, name: &str, row: usize) -> Result<Option<f64>> {
    let column = frame.column(name).map_err(|e| computing(name, e))?;
    let values = column.f64().map_err(|e| computing(name, e))?;
    Ok(values.get(row))
}

/// The integer value of column `name` at `row` of `frame`.
pub(super) fn int_at(frame: &DataFrame, name: &str, row: usize) -> Result<Option<i64>> {
    let column = frame.column(name).map_err(|e| computing(name, e))?;
    let values = column.i64().map_err(|e| computing(name, e))?;
    Ok(values.get(row))
}

/// Turn one row of aggregates into a figure.
pub(super) fn figure(
    indicator: &'static Indicator,
    frame: &DataFrame,
    row: usize,
    group: Vec<(GroupKey, String)>,
    targets: &Targets,
    candidates: &[Target],
) -> Result<IndicatorResult> {
    let per_day = unit_per_day(indicator) as f64;
    let mut cases = float_at(frame, Aggregate::Cases, row)?.unwrap_or(0.0) as u64;
    let level = match (
        float_at(frame, Aggregate::LevelMin, row)?,
        float_at(frame, Aggregate::LevelMax, row)?,
    ) {
        (Some(low), Some(high)) if low == high => court_level_of_code(low as u8),
        _ => None,
    };
    let target = targets.target(indicator, level);
    let mut result = IndicatorResult {
        indicator,
        group,
        cases,
        mean: None,
        median: None,
        p90: None,
        max: None,
        within_target_share: None,
        target,
        status: Status::NoData,
    };
    let sum = float_at(frame, Aggregate::Sum, row)?.unwrap_or(0.0);
    let mean = if indicator.measure.is_days() {
        if cases == 0 {
            return Ok(result);
        }
        // Mean of whole days is sum / n, exact to the last binary digit; fractional days divide
        // once more.
        let scaled = |aggregate: Aggregate| -> Result<Option<f64>> {
            Ok(float_at(frame, aggregate, row)?.map(|v| v / per_day))
        };
        result.median = scaled(Aggregate::Median)?;
        result.p90 = scaled(Aggregate::P90)?;
        result.max = scaled(Aggregate::Max)?;
        if let Some(target) = target {
            let within_index = candidates.iter().position(|c| *c == target).unwrap_or(0);
            let within = float_name_at(frame, &within_column(within_index), row)?.unwrap_or(0.0);
            result.within_target_share = Some(within / cases as f64);
        }
        sum / cases as f64 / per_day
    } else {
        let weight = float_at(frame, Aggregate::WeightSum, row)?.unwrap_or(0.0);
        if indicator.measure == Measure::Clearance {
            // The cases of a clearance rate are those registered in the period.
            cases = weight as u64;
            result.cases = cases;
        }
        if cases == 0 || weight <= 0.0 {
            return Ok(result);
        }
        sum / weight
    };
    result.mean = Some(mean);
    result.status = match target {
        None => Status::NoTarget,
        Some(target) if target.op.holds(mean, target.value) => Status::Met,
        Some(_) => Status::Missed,
    };
    Ok(result)
}

/// Combine the chunk frames `parts` into one; None when there are none.
fn stacked(parts: Vec<DataFrame>) -> PolarsResult<Option<DataFrame>> {
    let mut parts = parts.into_iter();
    let Some(mut all) = parts.next() else {
        return Ok(None);
    };
    for part in parts {
        all.vstack_mut_owned(part)?;
    }
    Ok(Some(all))
}

/// One indicator's aggregates, gathered chunk after chunk: sums, counts and extremes add up
/// chunk by chunk (overall and per group); only a mean of days keeps its values (and group
/// numbers), for the median and 90th percentile.
pub(super) struct ChunkAggregates<'a> {
    indicator: &'a Indicator,
    candidates: &'a [Target],
    grouped: bool,
    overall: Vec<DataFrame>,
    per_group: Vec<DataFrame>,
    values: DayValues,
    groups: DayValues,
}

impl<'a> ChunkAggregates<'a> {
    /// Nothing gathered yet; per group too when `grouped`.
    pub(super) fn new(indicator: &'a Indicator, candidates: &'a [Target], grouped: bool) -> Self {
        ChunkAggregates {
            indicator,
            candidates,
            grouped,
            overall: Vec::new(),
            per_group: Vec::new(),
            values: DayValues::new(),
            groups: DayValues::new(),
        }
    }

    /// Whether the values are kept, for quantiles.
    fn keeps_values(&self) -> bool {
        self.indicator.measure.is_days()
    }

    /// Add one chunk's counted cases.
    pub(super) fn add(&mut self, part: DataFrame) -> PolarsResult<()> {
        let group = EngineColumn::Group;
        let aggs = chunk_aggregations(self.indicator, self.candidates);
        self.overall
            .push(part.clone().lazy().select(aggs.clone()).collect()?);
        if self.grouped {
            let by_group = part.clone().lazy().group_by([group.expr()]).agg(aggs);
            self.per_group.push(by_group.collect()?);
        }
        if self.keeps_values() {
            self.values
                .extend(part.column(EngineColumn::Value.name())?)?;
            if self.grouped {
                self.groups.extend(part.column(group.name())?)?;
            }
        }
        Ok(())
    }

    /// The overall row of aggregates and, when grouped, a row per group, with the median and
    /// 90th percentile of a mean of days. An error when no chunk was measured.
    pub(super) fn finish(self) -> Result<(DataFrame, Option<DataFrame>)> {
        let id = self.indicator.id;
        let fail = |e: PolarsError| computing(id, e);
        let combined = combined_aggregations(self.indicator, self.candidates);
        let overall = stacked(self.overall)
            .map_err(fail)?
            .ok_or_else(|| computing(id, "no rows measured"))?;
        let mut overall = overall
            .lazy()
            .select(combined.clone())
            .collect()
            .map_err(fail)?;
        let mut per_group = match stacked(self.per_group).map_err(fail)? {
            Some(parts) if self.grouped => Some(
                parts
                    .lazy()
                    .group_by([EngineColumn::Group.expr()])
                    .agg(combined)
                    .collect()
                    .map_err(fail)?,
            ),
            _ => None,
        };
        if self.values.is_empty() {
            return Ok((overall, per_group));
        }
        let values = self.values.into_column(EngineColumn::Value.name());
        if let Some(per_group) = per_group.as_mut() {
            let groups = self.groups.into_column(EngineColumn::Group.name());
            *per_group = with_group_quantiles(per_group, values.clone(), groups).map_err(fail)?;
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
        Ok((overall, per_group))
    }
}

/// `per_group` with each group's median and 90th percentile of `values`.
fn with_group_quantiles(
    per_group: &DataFrame,
    values: Column,
    groups: Column,
) -> PolarsResult<DataFrame> {
    let group = EngineColumn::Group;
    let frame = DataFrame::new(values.len(), vec![values, groups])?;
    let quantiles = frame
        .lazy()
        .group_by([group.expr()])
        .agg(quantiles())
        .collect()?;
    per_group
        .clone()
        .lazy()
        .join(
            quantiles.lazy(),
            [group.expr()],
            [group.expr()],
            JoinArgs::new(JoinType::Left),
        )
        .collect()
}
