//! Why a case of an indicator's case set is left out of its figure (spec §1: counted per
//! reason), and the ids reports give each reason.

use crate::measure::indicators::{Event, Indicator};
use crate::model::fields::Field;

/// Why a case of an indicator's case set was left out of it (spec §1: counted per reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Exclusion {
    /// A first-instance case whose court level could not be told from its case number or court.
    UnknownCourtLevel = 1,
    /// The attribution (end) date is empty; for a closing date: the case is still open.
    MissingEnd = 2,
    /// The end date could not be read.
    InvalidEnd = 3,
    /// The start date is empty.
    MissingStart = 4,
    /// The start date could not be read.
    InvalidStart = 5,
    /// An appeal with no receipt date on its own row nor on its first-instance row.
    NoAppealDate = 6,
    /// The deduction is not a whole number ≥ 0 (net indicators only).
    InvalidDeduction = 7,
    /// The end is before the start.
    EndBeforeStart = 8,
    /// More days deducted than elapsed.
    NegativeNetDays = 9,
    /// The (first) value the figure reads is empty: a yes/no column, or the numerator amount.
    MissingValue = 10,
    /// It could not be read.
    InvalidValue = 11,
    /// The denominator amount is empty.
    MissingSecondValue = 12,
    /// It could not be read.
    InvalidSecondValue = 13,
}

impl Exclusion {
    /// The reason with `code` (the engine's `reason` column); None for 0, a counted case.
    pub(crate) fn from_code(code: u8) -> Option<Exclusion> {
        use Exclusion::*;
        [
            UnknownCourtLevel,
            MissingEnd,
            InvalidEnd,
            MissingStart,
            InvalidStart,
            NoAppealDate,
            InvalidDeduction,
            EndBeforeStart,
            NegativeNetDays,
            MissingValue,
            InvalidValue,
            MissingSecondValue,
            InvalidSecondValue,
        ]
        .into_iter()
        .find(|e| *e as u8 == code)
    }

    /// Stable id of the reason for `indicator`, e.g. `not_closed`, `missing_received_at`.
    pub fn id(self, indicator: &Indicator) -> String {
        match self {
            Exclusion::UnknownCourtLevel => "unknown_court_level".into(),
            Exclusion::MissingEnd if indicator.end == Event::Closed => "not_closed".into(),
            Exclusion::MissingEnd => format!("missing_{}", indicator.end.field().id()),
            Exclusion::InvalidEnd => format!("invalid_{}", indicator.end.field().id()),
            Exclusion::MissingStart => format!("missing_{}", indicator.start.field().id()),
            Exclusion::InvalidStart => format!("invalid_{}", indicator.start.field().id()),
            Exclusion::NoAppealDate => "no_appeal_date".into(),
            Exclusion::InvalidDeduction => "invalid_deducted_days".into(),
            Exclusion::EndBeforeStart => "end_before_start".into(),
            Exclusion::NegativeNetDays => "deduction_exceeds_duration".into(),
            Exclusion::MissingValue | Exclusion::MissingSecondValue => {
                format!("missing_{}", self.value_field_id(indicator))
            }
            Exclusion::InvalidValue | Exclusion::InvalidSecondValue => {
                format!("invalid_{}", self.value_field_id(indicator))
            }
        }
    }

    fn value_field_id(self, indicator: &Indicator) -> &'static str {
        self.field(indicator).map_or("value", Field::id)
    }

    /// The field whose value caused the exclusion, for listings.
    pub fn field(self, indicator: &Indicator) -> Option<Field> {
        match self {
            Exclusion::MissingEnd | Exclusion::InvalidEnd => Some(indicator.end.field()),
            Exclusion::MissingStart | Exclusion::InvalidStart | Exclusion::NoAppealDate => {
                Some(indicator.start.field())
            }
            Exclusion::InvalidDeduction | Exclusion::NegativeNetDays => Some(Field::DeductedDays),
            Exclusion::MissingValue | Exclusion::InvalidValue => {
                indicator.measure.value_fields()[0]
            }
            Exclusion::MissingSecondValue | Exclusion::InvalidSecondValue => {
                indicator.measure.value_fields()[1]
            }
            Exclusion::EndBeforeStart | Exclusion::UnknownCourtLevel => None,
        }
    }
}
