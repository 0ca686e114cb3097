//! Computing every indicator for `report`: each indicator's case set measured chunk by chunk,
//! aggregated overall and per group, with its exclusions per reason and the status against its
//! target.

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Result, computing};
use crate::measure::aggregate::{ChunkAggregates, figure, int_at};
use crate::measure::appeals::AppealLinks;
pub use crate::measure::engine::CHUNK_ROWS;
use crate::measure::engine::{EngineColumn, Reads, measure_chunks};
use crate::measure::exclusions::Exclusion;
use crate::measure::frame::{CaseColumn, CaseFrame};
use crate::measure::groups::{GroupKey, GroupLayout, group_label};
use crate::measure::indicators::{INDICATORS, Indicator};
use crate::measure::targets::{Target, Targets};
use crate::model::cases::Register;
use crate::model::period::Period;
use crate::parallel;

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
    /// Rows measured at a time (bounds polars' working memory); 0 (the default) picks them by
    /// the number of cases. Results never depend on it.
    pub chunk_rows: usize,
}

impl Default for ComputeOptions {
    fn default() -> Self {
        ComputeOptions {
            period: Period::all(),
            gross: false,
            by: Vec::new(),
            targets: Targets::default(),
            chunk_rows: 0,
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
    let appeals = AppealLinks::new(cases);
    let layout = GroupLayout::new(cases, register, &options.by)?;
    let run = Run {
        cases,
        register,
        appeals: &appeals,
        layout: &layout,
        options,
    };
    let indicators: Vec<&'static Indicator> = INDICATORS
        .iter()
        .filter(|i| i.available(register))
        .collect();
    let mut results = Vec::new();
    let mut exclusions = Vec::new();
    // why: measuring one indicator keeps polars busy on about one core (its chunks are small);
    // indicators are independent, so the other cores measure the next ones meanwhile.
    let outcomes = parallel::in_item_order(&indicators, parallel::cores(), 1, |&indicator| {
        run.indicator(indicator)
    });
    for outcome in outcomes {
        let (figures, excluded) = outcome?;
        results.extend(figures);
        exclusions.push(excluded);
    }
    Ok(Computed {
        results,
        exclusions,
    })
}

/// What every indicator of one `compute` reads.
struct Run<'a> {
    cases: &'a CaseFrame,
    register: &'a Register,
    appeals: &'a AppealLinks<'a>,
    layout: &'a GroupLayout,
    options: &'a ComputeOptions,
}

impl Run<'_> {
    /// One indicator's figures (overall, then per group sorted by label) and its exclusions.
    fn indicator(
        &self,
        indicator: &'static Indicator,
    ) -> Result<(Vec<IndicatorResult>, Exclusions)> {
        let options = self.options;
        let candidates = options.targets.candidates(indicator);
        let grouped = !options.by.is_empty();
        let keep = self.kept_columns(indicator, grouped);
        let reads = Reads {
            stored: &[],
            row: false,
            keep: &keep,
            wanted: EngineColumn::Reason.expr().eq(lit(0u8)),
        };
        let mut aggregates = ChunkAggregates::new(indicator, &candidates, grouped);
        let excluded = measure_chunks(
            self.cases,
            self.appeals,
            indicator,
            options,
            &reads,
            |part| aggregates.add(part).map_err(|e| computing(indicator.id, e)),
        )?;
        let (overall, per_group) = aggregates.finish()?;
        let mut results = vec![figure(
            indicator,
            &overall,
            0,
            Vec::new(),
            &options.targets,
            &candidates,
        )?];
        if let Some(per_group) = per_group {
            results.extend(self.group_figures(indicator, per_group, &candidates)?);
        }
        let exclusions = Exclusions {
            indicator,
            counts: excluded
                .iter()
                .filter_map(|(&code, &count)| Some((Exclusion::from_code(code)?, count)))
                .collect(),
        };
        Ok((results, exclusions))
    }

    /// The columns aggregates read of each measured chunk.
    fn kept_columns(&self, indicator: &Indicator, grouped: bool) -> Vec<Expr> {
        let mut kept = vec![
            EngineColumn::Value.expr(),
            EngineColumn::Reason.expr(),
            CaseColumn::CourtLevel.expr(),
        ];
        if indicator.measure.has_weights() {
            kept.push(EngineColumn::Weight.expr());
        }
        if grouped {
            kept.push(self.layout.group_number());
        }
        kept
    }

    /// A figure per row of `per_group`, labelled with its keys and sorted by the labels.
    fn group_figures(
        &self,
        indicator: &'static Indicator,
        per_group: DataFrame,
        candidates: &[Target],
    ) -> Result<Vec<IndicatorResult>> {
        let group = EngineColumn::Group;
        let per_group = per_group
            .lazy()
            .with_column(group.expr().cast(DataType::Int64))
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        let mut rows = Vec::with_capacity(per_group.height());
        for row in 0..per_group.height() {
            let number = int_at(&per_group, group.name(), row)?.unwrap_or(0);
            let labels = self
                .layout
                .codes(number)
                .map(|(key, code)| (key, group_label(self.register, key, code)))
                .collect();
            rows.push(figure(
                indicator,
                &per_group,
                row,
                labels,
                &self.options.targets,
                candidates,
            )?);
        }
        rows.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(rows)
    }
}
