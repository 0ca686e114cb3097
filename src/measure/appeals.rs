//! Appeals measured from the first-instance court's receipt of the appeal (上诉状收到日期): the
//! date on the appeal row itself, else the one on the first-instance row it names (spec §1).

use std::sync::OnceLock;

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::measure::engine::{EngineColumn, INVALID, MISSING, NO_APPEAL_DATE, PRESENT, code};
use crate::measure::frame::{CaseColumn, CaseFrame, owned};
use crate::model::fields::DateField;

/// The appeal receipt dates written on first-instance rows, by the appeal naming each row: one
/// row per appeal linked to a first-instance case that carries an appeal date (or an unreadable
/// one), in the appeal's row order. Joined once per run, on first use; each chunk then joins only
/// its own appeals' part, so the join's work does not grow with the export.
pub(super) struct AppealLinks<'a> {
    /// The cases whose appeals are linked.
    cases: &'a CaseFrame,
    /// The links, joined by the first indicator measured from an appeal's receipt, so that the
    /// join runs beside the indicators measured without it; or why the join failed.
    joined: OnceLock<std::result::Result<Joined, String>>,
}

/// The joined links.
struct Joined {
    /// `appeal_row`, `first_instance_appeal_day`, `first_instance_appeal_state`.
    frame: DataFrame,
    /// The `appeal_row` column, to find a chunk's part.
    appeal_rows: Vec<u32>,
}

impl<'a> AppealLinks<'a> {
    /// The links of every appeal of `cases` to a first-instance row with an appeal date, joined
    /// when first asked for.
    pub(super) fn new(cases: &'a CaseFrame) -> AppealLinks<'a> {
        AppealLinks {
            cases,
            joined: OnceLock::new(),
        }
    }

    /// The links of the appeals among cases `first..first + count`.
    pub(super) fn chunk(&self, first: usize, count: usize) -> Result<DataFrame> {
        let joined = self
            .joined
            .get_or_init(|| Joined::new(self.cases).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|detail| computing("appeal dates", detail))?;
        let start = joined
            .appeal_rows
            .partition_point(|&row| (row as usize) < first);
        let end = joined
            .appeal_rows
            .partition_point(|&row| (row as usize) < first + count);
        Ok(joined.frame.slice(start as i64, end - start))
    }
}

impl Joined {
    /// Join every appeal of `cases` to the appeal date on the first-instance row it names.
    fn new(cases: &CaseFrame) -> std::result::Result<Joined, PolarsError> {
        use EngineColumn::{AppealRow, FirstInstanceAppealDay, FirstInstanceAppealState};
        let links = cases.columns.first_instance_links();
        let pairs = DataFrame::new(
            links.len(),
            vec![
                owned(
                    AppealRow.name(),
                    links.iter().map(|&(appeal, _)| appeal).collect(),
                ),
                owned(
                    EngineColumn::FirstInstanceRow.name(),
                    links.iter().map(|&(_, row)| row).collect(),
                ),
            ],
        )?;
        let frame = pairs
            .lazy()
            .join(
                appeal_dates(cases)?.lazy(),
                [EngineColumn::FirstInstanceRow.expr()],
                [EngineColumn::FirstInstanceRow.expr()],
                JoinArgs::new(JoinType::Inner),
            )
            .select([
                AppealRow.expr(),
                FirstInstanceAppealDay.expr(),
                FirstInstanceAppealState.expr(),
            ])
            .sort([AppealRow.name()], SortMultipleOptions::default())
            .collect()?;
        let appeal_rows = frame
            .column(AppealRow.name())?
            .u32()?
            .into_no_null_iter()
            .collect();
        Ok(Joined { frame, appeal_rows })
    }
}

/// Rows that carry their own appeal receipt date (or an unreadable one), as the look-up side of
/// the appeal join. A first-instance row without one adds nothing to the join, so it is left out
/// and the join's table stays small.
fn appeal_dates(cases: &CaseFrame) -> std::result::Result<DataFrame, PolarsError> {
    let dates = cases.columns.date(DateField::AppealReceived);
    let (mut rows, mut days, mut states) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..dates.len() {
        let state = dates.state(row);
        if state != MISSING {
            rows.push(row as u32);
            days.push(dates.day(row));
            states.push(state);
        }
    }
    DataFrame::new(
        rows.len(),
        vec![
            owned(EngineColumn::FirstInstanceRow.name(), rows),
            owned(EngineColumn::FirstInstanceAppealDay.name(), days),
            owned(EngineColumn::FirstInstanceAppealState.name(), states),
        ],
    )
}

/// `cases` with each appeal's resolved receipt date (`appeal_day`, `appeal_state`), joined from
/// a chunk's `links`: the appeal row's own value wins; otherwise the value on the first-instance
/// row it names (spec §1). An unreadable own value is not replaced.
pub(super) fn with_resolved_appeal_dates(cases: LazyFrame, links: &DataFrame) -> LazyFrame {
    use EngineColumn::{FirstInstanceAppealDay, FirstInstanceAppealState};
    let own_day = CaseColumn::Day(DateField::AppealReceived).expr();
    let own_state = || CaseColumn::DateState(DateField::AppealReceived).expr();
    cases
        .join(
            links.clone().lazy(),
            [EngineColumn::Row.expr()],
            [EngineColumn::AppealRow.expr()],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            when(own_state().eq(lit(PRESENT)))
                .then(own_day)
                .otherwise(FirstInstanceAppealDay.expr().fill_null(lit(0)))
                .alias(EngineColumn::AppealDay.name()),
            when(own_state().eq(lit(PRESENT)))
                .then(code(PRESENT))
                .when(own_state().eq(lit(INVALID)))
                .then(code(INVALID))
                .when(FirstInstanceAppealState.expr().eq(lit(PRESENT)))
                .then(code(PRESENT))
                .when(FirstInstanceAppealState.expr().eq(lit(INVALID)))
                .then(code(INVALID))
                .otherwise(code(NO_APPEAL_DATE))
                .cast(DataType::UInt8)
                .alias(EngineColumn::AppealState.name()),
        ])
}
