//! The cases each indicator measures (its case set): the filter polars applies to every chunk,
//! and the rows of a chunk that pass it, so that a chunk of a small case set is built from those
//! rows alone.

use polars::prelude::*;

use crate::error::{Result, computing};
use crate::measure::engine::{EngineColumn, MISSING};
use crate::measure::frame::{CaseColumn, CaseFrame};
use crate::measure::indicators::CaseSet;
use crate::model::cases::{
    Rows, TYPE_BANKRUPTCY_APPLICATION, TYPE_IP, court_level_code, procedure_code,
};
use crate::model::fields::DateField;
use crate::read::case_number::{CourtLevel, Procedure};

/// Whether a case's procedure is `procedure`.
fn procedure_is(procedure: Procedure) -> Expr {
    CaseColumn::Procedure
        .expr()
        .eq(lit(procedure_code(procedure)))
}

/// Whether the `type_flags` bit `flag` is set (the two bits spelt out: no bitwise operators in
/// polars' expression DSL without more features).
fn type_flag(flag: u8) -> Expr {
    let all = TYPE_IP | TYPE_BANKRUPTCY_APPLICATION;
    (0..=all)
        .filter(|value| value & flag != 0)
        .fold(lit(false), |any, value| {
            any.or(CaseColumn::TypeFlags.expr().eq(lit(value)))
        })
}

/// Whether a case belongs to `case_set` (scope aside).
pub(super) fn in_case_set(case_set: CaseSet) -> Expr {
    let level = || CaseColumn::CourtLevel.expr();
    match case_set {
        CaseSet::FilingReview => procedure_is(Procedure::FirstInstance)
            .or(procedure_is(Procedure::SecondInstance))
            .or(procedure_is(Procedure::FirstEnforcement)),
        CaseSet::BasicFirstInstance => procedure_is(Procedure::FirstInstance).and(
            level()
                .eq(lit(court_level_code(Some(CourtLevel::Basic))))
                .or(level().eq(lit(court_level_code(None)))),
        ),
        CaseSet::FirstInstance => procedure_is(Procedure::FirstInstance),
        CaseSet::SecondInstance => procedure_is(Procedure::SecondInstance),
        CaseSet::IpFirstInstance => procedure_is(Procedure::FirstInstance).and(type_flag(TYPE_IP)),
        CaseSet::IpSecondInstance => {
            procedure_is(Procedure::SecondInstance).and(type_flag(TYPE_IP))
        }
        CaseSet::FirstEnforcement => procedure_is(Procedure::FirstEnforcement),
        CaseSet::Bankruptcy => {
            procedure_is(Procedure::Bankruptcy).and(type_flag(TYPE_BANKRUPTCY_APPLICATION).not())
        }
        CaseSet::Trials => {
            procedure_is(Procedure::FirstInstance).or(procedure_is(Procedure::SecondInstance))
        }
        CaseSet::Every => lit(true),
        CaseSet::WithFunds => CaseColumn::DateState(DateField::FundsReceived)
            .expr()
            .neq(lit(MISSING)),
    }
}

/// The frame columns a case set's filter reads beside procedure and court level.
pub(super) fn case_set_columns(case_set: CaseSet) -> Vec<CaseColumn> {
    match case_set {
        CaseSet::IpFirstInstance | CaseSet::IpSecondInstance | CaseSet::Bankruptcy => {
            vec![CaseColumn::TypeFlags]
        }
        CaseSet::WithFunds => vec![CaseColumn::DateState(DateField::FundsReceived)],
        _ => Vec::new(),
    }
}

/// The in-scope cases of `case_set` among cases `range`, when they are fewer than half of them:
/// a chunk of only those is cheaper to build than one of the whole range. `None` when the whole
/// range is cheaper (the case set's filter applies to the chunk either way).
pub(super) fn case_set_rows(
    cases: &CaseFrame,
    range: &std::ops::Range<usize>,
    case_set: CaseSet,
) -> Result<Option<Vec<u32>>> {
    if case_set == CaseSet::Every {
        return Ok(None);
    }
    let fail = |e: PolarsError| computing("selecting a case set", e);
    let mut columns = vec![
        CaseColumn::Procedure,
        CaseColumn::CourtLevel,
        CaseColumn::InScope,
    ];
    columns.extend(case_set_columns(case_set));
    let listed = cases
        .chunk(&Rows::Range(range.clone()), &columns)?
        .lazy()
        .with_row_index(EngineColumn::Row.name(), Some(range.start as IdxSize))
        .filter(CaseColumn::InScope.expr().and(in_case_set(case_set)))
        .select([EngineColumn::Row.expr()])
        .collect()
        .map_err(fail)?;
    if listed.height() * 2 >= range.len() {
        return Ok(None);
    }
    let rows = listed
        .column(EngineColumn::Row.name())
        .and_then(|c| c.idx().cloned())
        .map_err(fail)?;
    Ok(Some(rows.into_no_null_iter().collect()))
}
