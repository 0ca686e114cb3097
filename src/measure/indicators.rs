//! The indicators, as data: the five timeliness figures of item 16 (spec §1) and the further
//! figures of the same plan (spec §2), and their computation with polars' lazy engine: case-set
//! filters, the appeal join, period filter, group-by and statistics.

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result, computing};
use crate::measure::frame::CaseColumn;
pub use crate::measure::frame::CaseFrame;
use crate::measure::frame::owned;
use crate::measure::targets::{Comparison, Target, Targets};
use crate::model::calendar;
use crate::model::cases::{
    AGAINST_RULING, CaseColumns, Register, TYPE_BANKRUPTCY_APPLICATION, TYPE_IP, ValueState,
    court_level_code, court_level_of_code, procedure_code,
};
use crate::model::fields::{DateField, Field};
use crate::model::period::Period;
use crate::read::case_number::{CourtLevel, Procedure};

/// The cases an indicator is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSet {
    /// First instance, second instance and first-enforcement cases, every court level.
    FilingReview,
    /// First-instance cases of basic courts.
    BasicFirstInstance,
    /// First-instance cases of every court level.
    FirstInstance,
    /// Second-instance (appeal) cases.
    SecondInstance,
    /// Intellectual-property first-instance cases (知民初 …).
    IpFirstInstance,
    /// Intellectual-property second-instance cases (知民终 …).
    IpSecondInstance,
    /// First-enforcement cases (执, not 执恢/执保/执异 …).
    FirstEnforcement,
    /// Bankruptcy cases (破), not applications under review (破申).
    Bankruptcy,
    /// First- and second-instance cases: the cases that have a trial.
    Trials,
    /// Every case.
    Every,
    /// Cases with a funds arrival date (案款到账日期), of any procedure.
    WithFunds,
}

impl CaseSet {
    /// Sentence for the README and `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            CaseSet::FilingReview => "first instance, second instance and first enforcement",
            CaseSet::BasicFirstInstance => "first instance at basic courts",
            CaseSet::FirstInstance => "first instance",
            CaseSet::SecondInstance => "second instance",
            CaseSet::IpFirstInstance => "IP first instance (知民初)",
            CaseSet::IpSecondInstance => "IP second instance (知民终)",
            CaseSet::FirstEnforcement => "first enforcement (执)",
            CaseSet::Bankruptcy => "bankruptcy (破, not 破申)",
            CaseSet::Trials => "first and second instance",
            CaseSet::Every => "every case",
            CaseSet::WithFunds => "cases with a funds arrival date",
        }
    }
}

/// A dated event in the life of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// 收到材料: the complaint or application reached the court.
    MaterialsReceived,
    /// 立案: the case was registered.
    Registered,
    /// 结案: the case was closed.
    Closed,
    /// 收到上诉状: the first-instance court received the appeal (from the appeal row, else from
    /// the first-instance row it names).
    AppealReceived,
    /// 生效: the judgment being enforced came into force.
    InForce,
    /// 案款到账: case funds reached the court's account.
    FundsReceived,
    /// 案款发放: the funds were paid out.
    FundsPaid,
}

impl Event {
    /// The field that records the event.
    pub fn field(self) -> Field {
        match self {
            Event::MaterialsReceived => Field::ReceivedAt,
            Event::Registered => Field::FiledAt,
            Event::Closed => Field::ClosedAt,
            Event::AppealReceived => Field::AppealReceivedAt,
            Event::InForce => Field::InForceAt,
            Event::FundsReceived => Field::FundsReceivedAt,
            Event::FundsPaid => Field::FundsPaidAt,
        }
    }

    /// Column-name prefix in the case frame.
    fn prefix(self) -> &'static str {
        match self {
            Event::MaterialsReceived => "received",
            Event::Registered => "filed",
            Event::Closed => "closed",
            Event::AppealReceived => "appeal",
            Event::InForce => "in_force",
            Event::FundsReceived => "funds_received",
            Event::FundsPaid => "funds_paid",
        }
    }
}

/// The day limit of a within-days share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The same number of days for every case.
    Days(i32),
    /// Half the appeal limit of CPL art. 183: 45 days (3 months) for appeals against judgments,
    /// 15 days (30 days) for appeals against rulings, as 上诉对象 says (judgment when it does not).
    HalfAppealLimit,
}

/// What an indicator's figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Mean days from start to end, with median, 90th percentile, max and share within target.
    Days,
    /// Share of cases whose days from start to end are within a limit. With `open_is_late`, a case
    /// whose end date is empty (not yet done) counts as not within the limit instead of being left
    /// out.
    WithinDays {
        /// The limit.
        limit: Limit,
        /// Whether an empty end date counts as late.
        open_is_late: bool,
    },
    /// Share of cases whose yes/no column says yes.
    Flag(Field),
    /// The sum of one amount over the sum of another, over the cases that state both.
    AmountRatio(Field, Field),
    /// Cases closed in the period / cases registered in the period (结收比, clearance rate).
    Clearance,
}

impl Measure {
    /// Whether the figure is a mean of days (with median, p90, max and share within target).
    pub fn is_days(self) -> bool {
        self == Measure::Days
    }

    /// Whether cases weigh other than 1 in the figure (an amount ratio's denominator; a clearance
    /// rate's registered cases), so that the `weight` column must be kept.
    pub fn has_weights(self) -> bool {
        matches!(self, Measure::AmountRatio(..) | Measure::Clearance)
    }

    /// The value fields the measure reads beside its dates, for exclusion reasons.
    fn value_fields(self) -> [Option<Field>; 2] {
        match self {
            Measure::Flag(field) => [Some(field), None],
            Measure::AmountRatio(numerator, denominator) => [Some(numerator), Some(denominator)],
            _ => [None, None],
        }
    }
}

/// One indicator: what it measures, over which cases, and its plan target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    /// Stable id used in options, JSON and targets files.
    pub id: &'static str,
    /// The name used in Chinese court reports.
    pub chinese: &'static str,
    /// English name.
    pub english: &'static str,
    /// The cases measured.
    pub case_set: CaseSet,
    /// What the figure is.
    pub measure: Measure,
    /// The event the duration starts at (that day not counted, CPL art. 85).
    pub start: Event,
    /// The event the duration ends at.
    pub end: Event,
    /// The event whose date places a case in a period (for `Clearance`: registration for the
    /// denominator, closing for the numerator).
    pub attributed_by: Event,
    /// Whether deducted days (扣除审限天数) are subtracted unless `--gross`.
    pub net_of_deductions: bool,
    /// Whether durations are in fractional days when both dates carry a time.
    pub fractional_days: bool,
    /// Which way is better: the comparison a target takes when a targets file gives no `op`.
    pub better: Comparison,
    /// The 2021 plan's target; None when the plan names no number (status `no_target`).
    pub plan_target: Option<Target>,
    /// The plan item that sets the target (or asks for the figure).
    pub plan_item: u8,
    /// Columns the export must have (in at least one input) for the indicator to be reported.
    pub requires: &'static [Field],
}

impl Indicator {
    /// Whether `cases --indicator` lists the cases behind the figure: figures made of one
    /// duration per case, placed in a period by their end date.
    pub fn listable(&self) -> bool {
        matches!(self.measure, Measure::Days | Measure::WithinDays { .. })
            && self.attributed_by == self.end
    }

    /// Whether the indicator is reported for inputs with these columns: every required field is
    /// supplied by at least one input.
    pub fn available(&self, register: &Register) -> bool {
        register
            .sources
            .iter()
            .any(|source| self.requires.iter().all(|field| source.columns.has(*field)))
    }

    /// The plan target and item as the README's indicator table shows them: `≥ 0.9 (32)`, or
    /// `none (18)` when the plan names no number.
    pub fn describe_target(&self) -> String {
        match self.plan_target {
            Some(target) => format!("{target} ({})", self.plan_item),
            None => format!("none ({})", self.plan_item),
        }
    }
}

const fn at_most(value: f64) -> Option<Target> {
    Some(Target {
        op: Comparison::AtMost,
        value,
    })
}

const fn at_least(value: f64) -> Option<Target> {
    Some(Target {
        op: Comparison::AtLeast,
        value,
    })
}

/// An indicator's row with the defaults of the five day figures; the table below changes what
/// differs.
const DAYS: Indicator = Indicator {
    id: "",
    chinese: "",
    english: "",
    case_set: CaseSet::Every,
    measure: Measure::Days,
    start: Event::Registered,
    end: Event::Closed,
    attributed_by: Event::Closed,
    net_of_deductions: true,
    fractional_days: false,
    better: Comparison::AtMost,
    plan_target: None,
    plan_item: 0,
    requires: &[],
};

/// The defaults of a share or rate (each row names its `measure`): higher is better, gross.
const SHARE: Indicator = Indicator {
    net_of_deductions: false,
    better: Comparison::AtLeast,
    ..DAYS
};

/// The columns a closed case's duration needs.
const REGISTERED_AND_CLOSED: &[Field] = &[Field::FiledAt, Field::ClosedAt];

/// Every indicator: the five of item 16 in publication order, then the further plan figures
/// (spec §2), each reported only when the export has the columns it needs.
pub const INDICATORS: [Indicator; 17] = [
    Indicator {
        id: "filing_review_days",
        chinese: "立案审查平均时长",
        english: "average filing-review time (days)",
        case_set: CaseSet::FilingReview,
        start: Event::MaterialsReceived,
        end: Event::Registered,
        attributed_by: Event::Registered,
        net_of_deductions: false,
        fractional_days: true,
        // why: plan item 5, registration within 1 day on average by the end of 2021.
        plan_target: at_most(1.0),
        plan_item: 5,
        ..DAYS
    },
    Indicator {
        id: "first_instance_days",
        chinese: "一审平均审理天数",
        english: "average first-instance trial days",
        case_set: CaseSet::BasicFirstInstance,
        // why: plan item 2, basic courts' first-instance business cases within 50 days on average.
        plan_target: at_most(50.0),
        plan_item: 2,
        ..DAYS
    },
    Indicator {
        id: "appeal_transfer_days",
        chinese: "上诉案件平均移转天数",
        english: "average appeal transfer days",
        case_set: CaseSet::SecondInstance,
        start: Event::AppealReceived,
        end: Event::Registered,
        attributed_by: Event::Registered,
        net_of_deductions: false,
        // why: plan item 29, appeal files transferred within 30 days on average.
        plan_target: at_most(30.0),
        plan_item: 29,
        ..DAYS
    },
    Indicator {
        id: "second_instance_days",
        chinese: "二审平均审理天数",
        english: "average second-instance trial days",
        case_set: CaseSet::SecondInstance,
        // why: plan item 9, half the 3-month appeal limit of CPL art. 183.
        plan_target: at_most(45.0),
        plan_item: 9,
        ..DAYS
    },
    Indicator {
        id: "first_enforcement_days",
        chinese: "首次执行案件平均办理天数",
        english: "average first-enforcement days",
        case_set: CaseSet::FirstEnforcement,
        // why: plan item 20, first enforcement cases closed within 70 days on average.
        plan_target: at_most(70.0),
        plan_item: 20,
        ..DAYS
    },
    Indicator {
        id: "second_instance_half_limit_share",
        chinese: "二审案件审限内过半结案率",
        english: "share of appeals closed within half the statutory limit",
        case_set: CaseSet::SecondInstance,
        measure: Measure::WithinDays {
            limit: Limit::HalfAppealLimit,
            open_is_late: false,
        },
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // Measured as second_instance_days measures it: net unless --gross.
        net_of_deductions: true,
        // why: plan item 9 asks for this share "as high as possible" and names no number; a
        // made-up threshold would colour reports on our say-so, so the status is no_target until
        // a targets file sets one.
        plan_target: None,
        plan_item: 9,
        requires: REGISTERED_AND_CLOSED,
        ..SHARE
    },
    Indicator {
        id: "clearance_rate_first_instance",
        chinese: "一审结收比",
        english: "first-instance clearance rate (closed / registered)",
        case_set: CaseSet::FirstInstance,
        measure: Measure::Clearance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: the plan sets a clearance target only for IP cases (item 65); no number for the
        // others, so they report status no_target.
        plan_target: None,
        plan_item: 65,
        requires: REGISTERED_AND_CLOSED,
        ..SHARE
    },
    Indicator {
        id: "clearance_rate_second_instance",
        chinese: "二审结收比",
        english: "second-instance clearance rate (closed / registered)",
        case_set: CaseSet::SecondInstance,
        measure: Measure::Clearance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: as for first instance: item 65 sets targets for IP cases only.
        plan_target: None,
        plan_item: 65,
        requires: REGISTERED_AND_CLOSED,
        ..SHARE
    },
    Indicator {
        id: "clearance_rate_ip_first_instance",
        chinese: "知识产权一审结收比",
        english: "IP first-instance clearance rate (closed / registered)",
        case_set: CaseSet::IpFirstInstance,
        measure: Measure::Clearance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: plan item 65, IP civil first-instance cases closed / filed ≥ 99 %.
        plan_target: at_least(0.99),
        plan_item: 65,
        requires: REGISTERED_AND_CLOSED,
        ..SHARE
    },
    Indicator {
        id: "clearance_rate_ip_second_instance",
        chinese: "知识产权二审结收比",
        english: "IP second-instance clearance rate (closed / registered)",
        case_set: CaseSet::IpSecondInstance,
        measure: Measure::Clearance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: plan item 65, IP civil second-instance cases closed / filed ≥ 95 %.
        plan_target: at_least(0.95),
        plan_item: 65,
        requires: REGISTERED_AND_CLOSED,
        ..SHARE
    },
    Indicator {
        id: "enforcement_lag_days",
        chinese: "生效至执行立案平均天数",
        english: "average days from judgment in force to enforcement registration",
        case_set: CaseSet::FirstEnforcement,
        start: Event::InForce,
        end: Event::Registered,
        attributed_by: Event::Registered,
        net_of_deductions: false,
        // why: plan item 18 asks for this time to be "shorter" and names no number: status
        // no_target unless a targets file sets one.
        plan_target: None,
        plan_item: 18,
        requires: &[Field::InForceAt, Field::FiledAt],
        ..DAYS
    },
    Indicator {
        id: "funds_paid_within_30_days_share",
        chinese: "案款30日内发放率",
        english: "share of case funds paid out within 30 days of arrival",
        case_set: CaseSet::WithFunds,
        measure: Measure::WithinDays {
            limit: Limit::Days(30),
            open_is_late: true,
        },
        start: Event::FundsReceived,
        end: Event::FundsPaid,
        attributed_by: Event::FundsReceived,
        // why: plan item 24, case funds paid out within 30 days of arrival: all of them.
        plan_target: at_least(1.0),
        plan_item: 24,
        requires: &[Field::FundsReceivedAt, Field::FundsPaidAt],
        ..SHARE
    },
    Indicator {
        id: "judgments_online_share",
        chinese: "文书上网率",
        english: "share of closed cases whose judgment was published online",
        case_set: CaseSet::Every,
        measure: Measure::Flag(Field::JudgmentOnline),
        start: Event::Closed,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: plan item 32, judgments published online ≥ 90 %.
        plan_target: at_least(0.9),
        plan_item: 32,
        requires: &[Field::JudgmentOnline, Field::ClosedAt],
        ..SHARE
    },
    Indicator {
        id: "trials_streamed_share",
        chinese: "庭审直播率",
        english: "share of closed first- and second-instance cases whose trial was streamed live",
        case_set: CaseSet::Trials,
        measure: Measure::Flag(Field::TrialStreamed),
        start: Event::Closed,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: plan item 32, trials streamed live ≥ 20 %.
        plan_target: at_least(0.2),
        plan_item: 32,
        requires: &[Field::TrialStreamed, Field::ClosedAt],
        ..SHARE
    },
    Indicator {
        id: "bankruptcy_days",
        chinese: "破产案件平均审理天数",
        english: "average bankruptcy case days",
        case_set: CaseSet::Bankruptcy,
        // why: plan item 38, bankruptcy cases closed within 450 days on average.
        plan_target: at_most(450.0),
        plan_item: 38,
        requires: REGISTERED_AND_CLOSED,
        ..DAYS
    },
    Indicator {
        id: "bankruptcy_cost_share",
        chinese: "破产费用占比",
        english: "bankruptcy costs as a share of the estate (sum of costs / sum of estates)",
        case_set: CaseSet::Bankruptcy,
        measure: Measure::AmountRatio(Field::BankruptcyCosts, Field::EstateValue),
        start: Event::Closed,
        end: Event::Closed,
        attributed_by: Event::Closed,
        better: Comparison::AtMost,
        // why: plan item 39, bankruptcy costs at most 15 % of the estate.
        plan_target: at_most(0.15),
        plan_item: 39,
        requires: &[Field::BankruptcyCosts, Field::EstateValue, Field::ClosedAt],
        ..SHARE
    },
    Indicator {
        id: "creditor_recovery_rate",
        chinese: "债权清偿率",
        english: "creditor recovery rate (sum of claims paid / sum of claims)",
        case_set: CaseSet::Bankruptcy,
        measure: Measure::AmountRatio(Field::ClaimsPaid, Field::ClaimsTotal),
        start: Event::Closed,
        end: Event::Closed,
        attributed_by: Event::Closed,
        // why: plan item 40, creditors recover at least 50 % of their claims.
        plan_target: at_least(0.5),
        plan_item: 40,
        requires: &[Field::ClaimsPaid, Field::ClaimsTotal, Field::ClosedAt],
        ..SHARE
    },
];
/// The indicator with this id.
pub fn indicator(id: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.id == id)
}

/// Parse `--indicator` values; an unknown id is a usage error listing the known ones.
pub fn parse_indicator(id: &str) -> Result<&'static Indicator> {
    indicator(id.trim()).ok_or_else(|| {
        let known: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
        Error::Usage(format!(
            "unknown indicator \"{id}\"; known: {}",
            known.join(", ")
        ))
    })
}

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

    fn column(self) -> &'static str {
        match self {
            GroupKey::Court => "key_court",
            GroupKey::CourtLevel => "key_court_level",
            GroupKey::Month => "key_month",
            GroupKey::Quarter => "key_quarter",
            GroupKey::Cause => "key_cause",
            GroupKey::Department => "key_department",
            GroupKey::Judge => "key_judge",
        }
    }
}

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
    fn from_code(code: u8) -> Option<Exclusion> {
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
    pub fn field(self, indicator: &Indicator) -> Option<crate::model::fields::Field> {
        match self {
            Exclusion::MissingEnd | Exclusion::InvalidEnd => Some(indicator.end.field()),
            Exclusion::MissingStart | Exclusion::InvalidStart | Exclusion::NoAppealDate => {
                Some(indicator.start.field())
            }
            Exclusion::InvalidDeduction | Exclusion::NegativeNetDays => {
                Some(crate::model::fields::Field::DeductedDays)
            }
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

const PRESENT: u8 = ValueState::Present as u8;
const MISSING: u8 = ValueState::Missing as u8;
const INVALID: u8 = ValueState::Invalid as u8;
/// State of a resolved appeal date when neither row carries one.
const NO_APPEAL_DATE: u8 = 3;
const SECONDS_PER_DAY: i64 = 86_400;

/// A one-byte literal: keeps every branch of a when/then chain one byte wide instead of the
/// default 32-bit integer.
fn code(value: u8) -> Expr {
    lit(Scalar::from(value))
}

fn state(event: Event) -> Expr {
    col(format!("{}_state", event.prefix()))
}

fn day(event: Event) -> Expr {
    col(format!("{}_day", event.prefix()))
}

/// Times of day are kept for the two events filing review measures in hours.
fn seconds(event: Event) -> Option<Expr> {
    match event {
        Event::MaterialsReceived | Event::Registered => {
            Some(col(format!("{}_sec", event.prefix())))
        }
        _ => None,
    }
}

fn procedure_is(procedure: Procedure) -> Expr {
    col("procedure").eq(lit(procedure_code(procedure)))
}

/// Whether the `type_flags` bit `flag` is set (the two bits spelt out: no bitwise operators in
/// polars' expression DSL without more features).
fn type_flag(flag: u8) -> Expr {
    let all = crate::model::cases::TYPE_IP | TYPE_BANKRUPTCY_APPLICATION;
    (0..=all)
        .filter(|value| value & flag != 0)
        .fold(lit(false), |any, value| {
            any.or(col("type_flags").eq(lit(value)))
        })
}

fn in_case_set(case_set: CaseSet) -> Expr {
    match case_set {
        CaseSet::FilingReview => procedure_is(Procedure::FirstInstance)
            .or(procedure_is(Procedure::SecondInstance))
            .or(procedure_is(Procedure::FirstEnforcement)),
        CaseSet::BasicFirstInstance => procedure_is(Procedure::FirstInstance).and(
            col("court_level")
                .eq(lit(court_level_code(Some(CourtLevel::Basic))))
                .or(col("court_level").eq(lit(court_level_code(None)))),
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
        CaseSet::WithFunds => col("funds_received_state").neq(lit(MISSING)),
    }
}

/// The frame columns a case set's filter reads beside procedure and court level.
fn case_set_columns(case_set: CaseSet) -> &'static [&'static str] {
    match case_set {
        CaseSet::IpFirstInstance | CaseSet::IpSecondInstance | CaseSet::Bankruptcy => {
            &["type_flags"]
        }
        CaseSet::WithFunds => &["funds_received_state"],
        _ => &[],
    }
}

/// Days counted per case in the indicator's unit: seconds when fractional, else whole days.
fn unit_per_day(indicator: &Indicator) -> i64 {
    if indicator.fractional_days {
        SECONDS_PER_DAY
    } else {
        1
    }
}

/// The appeal receipt dates written on first-instance rows, by the appeal naming each row: one
/// row per appeal linked to a first-instance case that carries an appeal date (or an unreadable
/// one), in the appeal's row order. Joined once per run; each chunk then joins only its own
/// appeals' part, so the join's work does not grow with the export.
struct AppealLinks {
    /// `appeal_row`, `first_instance_appeal_day`, `first_instance_appeal_state`.
    frame: DataFrame,
    /// The `appeal_row` column, to find a chunk's part.
    appeal_rows: Vec<u32>,
}

impl AppealLinks {
    fn new(cases: &CaseFrame) -> Result<AppealLinks> {
        let fail = |e: PolarsError| computing("appeal dates", e);
        let links = cases.columns.first_instance_links();
        let pairs = DataFrame::new(
            links.len(),
            vec![
                owned(
                    "appeal_row",
                    links.iter().map(|&(appeal, _)| appeal).collect(),
                ),
                owned(
                    "first_instance_row",
                    links.iter().map(|&(_, row)| row).collect(),
                ),
            ],
        )
        .map_err(fail)?;
        let frame = pairs
            .lazy()
            .join(
                appeal_dates(cases)?.lazy(),
                [col("first_instance_row")],
                [col("first_instance_row")],
                JoinArgs::new(JoinType::Inner),
            )
            .select([
                col("appeal_row"),
                col("first_instance_appeal_day"),
                col("first_instance_appeal_state"),
            ])
            .sort(["appeal_row"], SortMultipleOptions::default())
            .collect()
            .map_err(fail)?;
        let appeal_rows = frame
            .column("appeal_row")
            .and_then(|c| c.u32().cloned())
            .map_err(fail)?
            .into_no_null_iter()
            .collect();
        Ok(AppealLinks { frame, appeal_rows })
    }

    /// The links of the appeals among cases `first..first + count`.
    fn chunk(&self, first: usize, count: usize) -> DataFrame {
        let start = self
            .appeal_rows
            .partition_point(|&row| (row as usize) < first);
        let end = self
            .appeal_rows
            .partition_point(|&row| (row as usize) < first + count);
        self.frame.slice(start as i64, end - start)
    }
}

/// Rows that carry their own appeal receipt date (or an unreadable one), as the look-up side of
/// the appeal join. A first-instance row without one adds nothing to the join, so it is left out
/// and the join's table stays small.
fn appeal_dates(cases: &CaseFrame) -> Result<DataFrame> {
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
            owned("first_instance_row", rows),
            owned("first_instance_appeal_day", days),
            owned("first_instance_appeal_state", states),
        ],
    )
    .map_err(|e| computing("appeal dates", e))
}

/// Rows measured at a time by default: polars' working columns for one indicator stay this long,
/// however long the export.
pub const CHUNK_ROWS: usize = 1 << 20;

/// Measure an indicator over every case, a chunk of rows at a time: each chunk's rows `wanted`,
/// with the columns `keep`, are handed to `on_chunk`, chunk after chunk in row order. Returns how
/// many cases were excluded, by `Exclusion` code. `keep` must include `reason`.
#[allow(clippy::too_many_arguments)]
fn measure_chunks(
    cases: &CaseFrame,
    appeals: &AppealLinks,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
    keep: &[Expr],
    wanted: Expr,
    mut on_chunk: impl FnMut(DataFrame) -> Result<()>,
) -> Result<std::collections::BTreeMap<u8, u64>> {
    let mut excluded = std::collections::BTreeMap::new();
    let chunk_rows = options.chunk_rows.max(1);
    let names = needed_columns(indicator, options, extra);
    let stored: Vec<CaseColumn> = CaseColumn::all()
        .into_iter()
        .filter(|column| names.iter().any(|name| name == column.name()))
        .collect();
    let mut offset = 0;
    loop {
        let mut chunk = cases.chunk(offset, chunk_rows, &stored)?;
        if names.iter().any(|name| name == "row") {
            chunk = chunk
                .with_row_index("row".into(), Some(offset as IdxSize))
                .map_err(|e| computing(indicator.id, e))?;
        }
        let chunk = with_calendar_keys(chunk, &options.by, &calendar_events(indicator))?;
        let appeal_dates = appeals.chunk(offset, chunk_rows);
        let part = measured(&chunk, &appeal_dates, indicator, options, extra)?
            .select(keep)
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        let reasons = part
            .column("reason")
            .and_then(|c| c.u8().cloned())
            .map_err(|e| computing(indicator.id, e))?;
        for reason in reasons.into_no_null_iter().filter(|&r| r != 0) {
            *excluded.entry(reason).or_insert(0) += 1;
        }
        let part = part
            .lazy()
            .filter(wanted.clone())
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        on_chunk(part)?;
        offset += chunk_rows;
        if offset >= cases.height() {
            break;
        }
    }
    Ok(excluded)
}

/// Integers gathered chunk after chunk into one contiguous column, so that no copy is made to
/// join chunks: 32 bits each while every value fits, 64 after.
enum Gathered {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl Gathered {
    fn new() -> Self {
        Gathered::Narrow(Vec::new())
    }

    /// Append the values of `column` (integers without nulls).
    fn extend(&mut self, column: &Column) -> PolarsResult<()> {
        let values = column.cast(&DataType::Int64)?;
        let values = values.i64()?;
        for value in values.iter().map(|v| v.unwrap_or(0)) {
            if let Gathered::Narrow(narrow) = self {
                match i32::try_from(value) {
                    Ok(value) => {
                        narrow.push(value);
                        continue;
                    }
                    Err(_) => {
                        *self = Gathered::Wide(narrow.iter().map(|&v| i64::from(v)).collect());
                    }
                }
            }
            if let Gathered::Wide(wide) = self {
                wide.push(value);
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        match self {
            Gathered::Narrow(values) => values.is_empty(),
            Gathered::Wide(values) => values.is_empty(),
        }
    }

    fn into_column(self, name: &str) -> Column {
        match self {
            Gathered::Narrow(values) => owned(name, values),
            Gathered::Wide(values) => owned(name, values),
        }
    }
}

/// The events whose month or quarter places an indicator's cases in groups: the one it is
/// attributed by, or both registration and closing for a clearance rate.
fn calendar_events(indicator: &Indicator) -> Vec<&'static str> {
    match indicator.measure {
        Measure::Clearance => vec![Event::Registered.prefix(), Event::Closed.prefix()],
        _ => vec![indicator.attributed_by.prefix()],
    }
}

/// `frame` with month or quarter keys of `events` added, when `by` asks for them. Added to one
/// chunk at a time, so they are never held for the whole export.
fn with_calendar_keys(mut frame: DataFrame, by: &[GroupKey], events: &[&str]) -> Result<DataFrame> {
    let calendar_keys = [
        (
            GroupKey::Month,
            "month",
            calendar::month_key as fn(calendar::DayNumber) -> i32,
        ),
        (GroupKey::Quarter, "quarter", calendar::quarter_key),
    ];
    for (key, unit, key_of) in calendar_keys {
        if !by.contains(&key) {
            continue;
        }
        for event in events {
            // No such date column, or a sparse one no input had (one scalar): no keys needed.
            let Ok(column) = frame.column(&format!("{event}_day")) else {
                continue;
            };
            if matches!(column, Column::Scalar(_)) {
                continue;
            }
            let days = column
                .i32()
                .cloned()
                .map_err(|e| computing("calendar keys", e))?;
            let keys: Vec<i32> = days.into_no_null_iter().map(key_of).collect();
            frame
                .with_column(Column::new(format!("{event}_{unit}").into(), keys))
                .map_err(|e| computing("calendar keys", e))?;
        }
    }
    Ok(frame)
}

/// The columns of the case frame (and the calendar keys and row numbers added to each chunk)
/// that measuring `indicator` reads, sorted.
fn needed_columns(indicator: &Indicator, options: &ComputeOptions, extra: &[&str]) -> Vec<String> {
    if indicator.measure == Measure::Clearance {
        let mut needed: Vec<String> = [
            "procedure",
            "court_level",
            "in_scope",
            "filed_day",
            "filed_state",
            "closed_day",
            "closed_state",
        ]
        .iter()
        .chain(case_set_columns(indicator.case_set))
        .map(|name| name.to_string())
        .collect();
        for key in &options.by {
            needed.push(key_source(*key, Event::Registered.prefix()));
            needed.push(key_source(*key, Event::Closed.prefix()));
        }
        needed.sort();
        needed.dedup();
        return needed;
    }
    let mut needed: Vec<String> = [
        "procedure",
        "court_level",
        "in_scope",
        "deducted",
        "deducted_state",
    ]
    .iter()
    .chain(extra)
    .chain(case_set_columns(indicator.case_set))
    .map(|name| name.to_string())
    .collect();
    for field in indicator.measure.value_fields().iter().flatten() {
        needed.push(format!("{}_value", field.id()));
        needed.push(format!("{}_state", field.id()));
    }
    if let Measure::WithinDays {
        limit: Limit::HalfAppealLimit,
        ..
    } = indicator.measure
    {
        needed.push("appeal_against_value".into());
    }
    for event in [indicator.start, indicator.end, indicator.attributed_by] {
        match event {
            Event::AppealReceived => {
                needed.extend(["own_appeal_day", "own_appeal_state", "row"].map(String::from))
            }
            _ => needed.extend([
                format!("{}_day", event.prefix()),
                format!("{}_state", event.prefix()),
            ]),
        }
        if seconds(event).is_some() {
            needed.push(format!("{}_sec", event.prefix()));
        }
    }
    let calendar_prefix = indicator.attributed_by.prefix();
    for key in &options.by {
        needed.push(key_source(*key, calendar_prefix));
    }
    needed.sort();
    needed.dedup();
    needed
}

/// The lazy frame of an indicator's case set, with `value` (days counted, in the indicator's
/// unit; for shares 1 or 0; for amount ratios the numerator in fen), `weight` (1; for amount
/// ratios the denominator in fen), `reason` (0 = counted, else an `Exclusion`) and the group-key
/// columns.
fn measured(
    frame: &DataFrame,
    appeal_dates: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
) -> Result<LazyFrame> {
    if indicator.measure == Measure::Clearance {
        return measured_clearance(frame, indicator, options);
    }
    // Only the columns this indicator reads are carried through the filter, so the case set is
    // not copied whole.
    let needed = needed_columns(indicator, options, extra);
    let value_fields = indicator.measure.value_fields();
    let calendar_prefix = indicator.attributed_by.prefix();
    let mut lf = frame
        .clone()
        .lazy()
        .select(
            needed
                .iter()
                .map(|name| col(name.as_str()))
                .collect::<Vec<_>>(),
        )
        .filter(col("in_scope").and(in_case_set(indicator.case_set)));
    if indicator.start == Event::AppealReceived || indicator.end == Event::AppealReceived {
        // Appeal receipt date: the appeal row's own value wins; otherwise the value on the
        // first-instance row it names (spec §1). An unreadable own value is not replaced.
        lf = lf
            .join(
                appeal_dates.clone().lazy(),
                [col("row")],
                [col("appeal_row")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                when(col("own_appeal_state").eq(lit(PRESENT)))
                    .then(col("own_appeal_day"))
                    .otherwise(col("first_instance_appeal_day").fill_null(lit(0)))
                    .alias("appeal_day"),
                when(col("own_appeal_state").eq(lit(PRESENT)))
                    .then(code(PRESENT))
                    .when(col("own_appeal_state").eq(lit(INVALID)))
                    .then(code(INVALID))
                    .when(col("first_instance_appeal_state").eq(lit(PRESENT)))
                    .then(code(PRESENT))
                    .when(col("first_instance_appeal_state").eq(lit(INVALID)))
                    .then(code(INVALID))
                    .otherwise(code(NO_APPEAL_DATE))
                    .cast(DataType::UInt8)
                    .alias("appeal_state"),
            ]);
    }
    let (start, end) = (indicator.start, indicator.end);
    // Whole days stay 32-bit; seconds (filing review with times) need 64.
    let day_difference = day(end) - day(start);
    let elapsed = match (indicator.fractional_days, seconds(start), seconds(end)) {
        (true, Some(start_seconds), Some(end_seconds)) => {
            // Both times known: hours / 24; otherwise calendar days (spec §1).
            when(
                start_seconds
                    .clone()
                    .gt_eq(lit(0))
                    .and(end_seconds.clone().gt_eq(lit(0))),
            )
            .then(
                day_difference.clone() * lit(SECONDS_PER_DAY)
                    + (end_seconds - start_seconds).cast(DataType::Int64),
            )
            .otherwise(day_difference * lit(SECONDS_PER_DAY))
        }
        _ => day_difference,
    };
    let net = indicator.net_of_deductions && !options.gross;
    let counted = if net {
        match indicator.fractional_days {
            true => elapsed.clone() - col("deducted").cast(DataType::Int64) * lit(SECONDS_PER_DAY),
            false => elapsed.clone() - col("deducted"),
        }
    } else {
        elapsed.clone()
    };
    let deduction_invalid = if net {
        col("deducted_state").eq(lit(INVALID))
    } else {
        lit(false)
    };
    let first_instance_level_unknown = if indicator.case_set == CaseSet::BasicFirstInstance {
        col("court_level").eq(lit(court_level_code(None)))
    } else {
        lit(false)
    };
    let open_is_late = matches!(
        indicator.measure,
        Measure::WithinDays {
            open_is_late: true,
            ..
        }
    );
    let end_missing = if open_is_late {
        // An empty end date is not done yet: counted, as not within the limit.
        lit(false)
    } else {
        state(end).eq(lit(MISSING))
    };
    let value_state = |index: usize, wanted: u8| match value_fields[index] {
        Some(field) => col(format!("{}_state", field.id())).eq(lit(wanted)),
        None => lit(false),
    };
    let end_read = state(end).eq(lit(PRESENT));
    let reason = when(first_instance_level_unknown)
        .then(code(Exclusion::UnknownCourtLevel as u8))
        .when(end_missing)
        .then(code(Exclusion::MissingEnd as u8))
        .when(state(end).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidEnd as u8))
        .when(state(start).eq(lit(MISSING)))
        .then(code(Exclusion::MissingStart as u8))
        .when(state(start).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidStart as u8))
        .when(state(start).eq(lit(NO_APPEAL_DATE)))
        .then(code(Exclusion::NoAppealDate as u8))
        .when(value_state(0, MISSING))
        .then(code(Exclusion::MissingValue as u8))
        .when(value_state(0, INVALID))
        .then(code(Exclusion::InvalidValue as u8))
        .when(value_state(1, MISSING))
        .then(code(Exclusion::MissingSecondValue as u8))
        .when(value_state(1, INVALID))
        .then(code(Exclusion::InvalidSecondValue as u8))
        .when(deduction_invalid)
        .then(code(Exclusion::InvalidDeduction as u8))
        .when(end_read.clone().and(elapsed.clone().lt(lit(0))))
        .then(code(Exclusion::EndBeforeStart as u8))
        .when(end_read.clone().and(counted.clone().lt(lit(0))))
        .then(code(Exclusion::NegativeNetDays as u8))
        .otherwise(code(0))
        .cast(DataType::UInt8);
    let attributed = indicator.attributed_by;
    let mut period_filter = state(attributed).neq(lit(PRESENT));
    let mut in_period = lit(true);
    if let Some(from) = options.period.from {
        in_period = in_period.and(day(attributed).gt_eq(lit(from)));
    }
    if let Some(to) = options.period.to {
        in_period = in_period.and(day(attributed).lt_eq(lit(to)));
    }
    period_filter = period_filter.or(in_period);
    let days = counted.clone();
    let (value, weight) = match indicator.measure {
        Measure::Days | Measure::Clearance => (counted, lit(1i64)),
        Measure::WithinDays { limit, .. } => {
            let limit = match limit {
                Limit::Days(days) => lit(days),
                // why: CPL art. 183 gives appeals against rulings 30 days, against judgments 3
                // months; item 9 counts half of each. An appeal whose 上诉对象 is not stated is
                // taken to be against a judgment, the common case.
                Limit::HalfAppealLimit => when(col("appeal_against_value").eq(lit(AGAINST_RULING)))
                    .then(lit(15i32))
                    .otherwise(lit(45i32)),
            };
            let within = end_read.and(counted.lt_eq(limit));
            (when(within).then(lit(1i64)).otherwise(lit(0i64)), lit(1i64))
        }
        Measure::Flag(field) => (
            col(format!("{}_value", field.id())).cast(DataType::Int64),
            lit(1i64),
        ),
        Measure::AmountRatio(numerator, denominator) => (
            col(format!("{}_value", numerator.id())),
            col(format!("{}_value", denominator.id())),
        ),
    };
    let mut keyed = vec![
        value.alias("value"),
        days.alias("days"),
        weight.alias("weight"),
        reason.alias("reason"),
    ];
    for key in &options.by {
        keyed.push(col(key_source(*key, calendar_prefix)).alias(key.column()));
    }
    Ok(lf.filter(period_filter).with_columns(keyed))
}

/// The lazy frame of a clearance rate: a row per case registered in the period (`weight` 1) and
/// one per case closed in it (`value` 1), each with the group keys of its own date, so that a
/// month's rate is the cases closed that month over those registered that month.
fn measured_clearance(
    frame: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
) -> Result<LazyFrame> {
    let needed = needed_columns(indicator, options, &[]);
    let cases = frame
        .clone()
        .lazy()
        .select(
            needed
                .iter()
                .map(|name| col(name.as_str()))
                .collect::<Vec<_>>(),
        )
        .filter(col("in_scope").and(in_case_set(indicator.case_set)));
    let side = |event: Event, closed: i64, registered: i64| {
        let mut in_period = state(event).eq(lit(PRESENT));
        if let Some(from) = options.period.from {
            in_period = in_period.and(day(event).gt_eq(lit(from)));
        }
        if let Some(to) = options.period.to {
            in_period = in_period.and(day(event).lt_eq(lit(to)));
        }
        let mut columns = vec![
            lit(closed).alias("value"),
            lit(registered).alias("weight"),
            code(0).cast(DataType::UInt8).alias("reason"),
        ];
        for key in &options.by {
            columns.push(col(key_source(*key, event.prefix())).alias(key.column()));
        }
        let mut kept = vec![
            col("value"),
            col("weight"),
            col("reason"),
            col("court_level"),
        ];
        kept.extend(options.by.iter().map(|key| col(key.column())));
        cases
            .clone()
            .filter(in_period)
            .with_columns(columns)
            .select(kept)
    };
    concat(
        [side(Event::Registered, 0, 1), side(Event::Closed, 1, 0)],
        UnionArgs::default(),
    )
    .map_err(|e| computing(indicator.id, e))
}

/// How the break-down keys (`--by`) of a run are folded into one group number per case, so that
/// polars groups by one integer column: several key columns would be encoded into a row of bytes
/// per case first (about 16 bytes each). Each key takes the codes `first..first + count`; the
/// number is the keys' codes written in mixed radix, the first key lowest.
struct GroupLayout {
    /// Each key, the smallest code it takes and how many codes from there.
    keys: Vec<(GroupKey, i64, i64)>,
    /// Whether the numbers need 64 bits.
    wide: bool,
}

impl GroupLayout {
    /// The layout for `by` over `cases`: dictionary keys take every code of their
    /// dictionary, court levels their four codes, months and quarters those of the earliest to the
    /// latest date read in any date column.
    fn new(cases: &CaseFrame, register: &Register, by: &[GroupKey]) -> Result<GroupLayout> {
        let (first_day, last_day) = date_span(&cases.columns);
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
    fn group_number(&self) -> Expr {
        let mut number = lit(0i64);
        let mut place: i64 = 1;
        for &(key, first, count) in &self.keys {
            number = number + (col(key.column()).cast(DataType::Int64) - lit(first)) * lit(place);
            place = place.saturating_mul(count);
        }
        let dtype = if self.wide {
            DataType::Int64
        } else {
            DataType::UInt32
        };
        number.cast(dtype).alias("group")
    }

    /// Each key's code in group `number`.
    fn codes(&self, number: i64) -> impl Iterator<Item = (GroupKey, i64)> + '_ {
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
            if dates.state(row) == PRESENT {
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

/// The frame column a group key reads (month and quarter of the period date).
fn key_source(key: GroupKey, calendar_prefix: &str) -> String {
    match key {
        GroupKey::Court | GroupKey::Cause | GroupKey::Department | GroupKey::Judge => {
            key.id().to_string()
        }
        GroupKey::CourtLevel => "court_level".to_string(),
        GroupKey::Month => format!("{calendar_prefix}_month"),
        GroupKey::Quarter => format!("{calendar_prefix}_quarter"),
    }
}

/// Aggregations of one chunk's counted cases that add up over chunks: n, sum of values, sum of
/// weights, max, court-level range and the number within each candidate target, all as 64-bit
/// integers (the sums exact).
fn chunk_aggregations(indicator: &Indicator, candidates: &[Target]) -> Vec<Expr> {
    let per_day = unit_per_day(indicator) as f64;
    let value = || col("value");
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("cases"),
        value().cast(DataType::Int64).sum().alias("sum"),
        if indicator.measure.has_weights() {
            col("weight").cast(DataType::Int64).sum()
        } else {
            len().cast(DataType::Int64)
        }
        .alias("weight_sum"),
        col("court_level")
            .min()
            .cast(DataType::Int64)
            .alias("level_min"),
        col("court_level")
            .max()
            .cast(DataType::Int64)
            .alias("level_max"),
    ];
    if indicator.measure.is_days() {
        aggs.push(value().cast(DataType::Int64).max().alias("max"));
        for (k, target) in candidates.iter().enumerate() {
            let threshold = lit(target.value * per_day);
            let within = match target.op {
                Comparison::AtMost => value().cast(DataType::Float64).lt_eq(threshold),
                Comparison::AtLeast => value().cast(DataType::Float64).gt_eq(threshold),
            };
            aggs.push(
                within
                    .sum()
                    .cast(DataType::Int64)
                    .alias(format!("within_{k}")),
            );
        }
    }
    aggs
}

/// How the chunk aggregates of `chunk_aggregations` combine into the figure's, as the
/// floating-point columns `figure` reads.
fn combined_aggregations(indicator: &Indicator, candidates: &[Target]) -> Vec<Expr> {
    let total = |name: &str| col(name).sum().cast(DataType::Float64).alias(name);
    let mut aggs = vec![
        total("cases"),
        total("sum"),
        total("weight_sum"),
        col("level_min")
            .min()
            .cast(DataType::Float64)
            .alias("level_min"),
        col("level_max")
            .max()
            .cast(DataType::Float64)
            .alias("level_max"),
    ];
    if indicator.measure.is_days() {
        aggs.push(col("max").max().cast(DataType::Float64).alias("max"));
        for k in 0..candidates.len() {
            aggs.push(total(&format!("within_{k}")));
        }
    }
    aggs
}

/// Median and 90th percentile of the values, as `figure` reads them.
fn quantiles() -> [Expr; 2] {
    [
        col("value")
            .median()
            .cast(DataType::Float64)
            .alias("median"),
        col("value")
            .quantile(lit(0.9), QuantileMethod::Linear)
            .cast(DataType::Float64)
            .alias("p90"),
    ]
}

fn float_at(frame: &DataFrame, name: &str, row: usize) -> Result<Option<f64>> {
    let column = frame.column(name).map_err(|e| computing(name, e))?;
    let values = column.f64().map_err(|e| computing(name, e))?;
    Ok(values.get(row))
}

fn int_at(frame: &DataFrame, name: &str, row: usize) -> Result<Option<i64>> {
    let column = frame.column(name).map_err(|e| computing(name, e))?;
    let values = column.i64().map_err(|e| computing(name, e))?;
    Ok(values.get(row))
}

/// Turn one row of aggregates into a figure.
fn figure(
    indicator: &'static Indicator,
    frame: &DataFrame,
    row: usize,
    group: Vec<(GroupKey, String)>,
    targets: &Targets,
    candidates: &[Target],
) -> Result<IndicatorResult> {
    let per_day = unit_per_day(indicator) as f64;
    let mut cases = float_at(frame, "cases", row)?.unwrap_or(0.0) as u64;
    let level = match (
        float_at(frame, "level_min", row)?,
        float_at(frame, "level_max", row)?,
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
    let sum = float_at(frame, "sum", row)?.unwrap_or(0.0);
    let mean = if indicator.measure.is_days() {
        if cases == 0 {
            return Ok(result);
        }
        // Mean of whole days is sum / n, exact to the last binary digit; fractional days divide
        // once more.
        let scaled = |name: &str| -> Result<Option<f64>> {
            Ok(float_at(frame, name, row)?.map(|v| v / per_day))
        };
        result.median = scaled("median")?;
        result.p90 = scaled("p90")?;
        result.max = scaled("max")?;
        if let Some(target) = target {
            let within_index = candidates.iter().position(|c| *c == target).unwrap_or(0);
            let within = float_at(frame, &format!("within_{within_index}"), row)?.unwrap_or(0.0);
            result.within_target_share = Some(within / cases as f64);
        }
        sum / cases as f64 / per_day
    } else {
        let weight = float_at(frame, "weight_sum", row)?.unwrap_or(0.0);
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
        let (mut values, mut groups) = (Gathered::new(), Gathered::new());
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

/// One case behind a figure, or one case left out of it, for auditors (`casemetrics cases`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    /// Row in the register.
    pub row: usize,
    /// Court code (label in `Register::courts`).
    pub court: u32,
    /// Codes of the other break-down keys: court level, cause, department, judge.
    pub court_level: u8,
    /// Cause code.
    pub cause: u32,
    /// Department code.
    pub department: u32,
    /// Judge code.
    pub judge: u32,
    /// The start date used (for appeals: the resolved receipt date), if read.
    pub start: Option<calendar::Timestamp>,
    /// The end date used, if read.
    pub end: Option<calendar::Timestamp>,
    /// Days deducted (0 when missing), when the indicator is net and the value was read.
    pub deducted: Option<i64>,
    /// Days counted (fractional for filing review with times); None for excluded cases.
    pub days: Option<f64>,
    /// For a within-days share: whether the case counts as within the limit; None otherwise.
    pub within: Option<bool>,
    /// Why the case was left out, if it was.
    pub exclusion: Option<Exclusion>,
}

impl CaseLine {
    /// The code of `key` for this case, as the report groups it (month and quarter of the end
    /// date, which is every indicator's period date); None when the end date was not read.
    pub fn group_code(&self, key: GroupKey) -> Option<i64> {
        Some(match key {
            GroupKey::Court => i64::from(self.court),
            GroupKey::CourtLevel => i64::from(self.court_level),
            GroupKey::Cause => i64::from(self.cause),
            GroupKey::Department => i64::from(self.department),
            GroupKey::Judge => i64::from(self.judge),
            GroupKey::Month => i64::from(calendar::month_key(self.end?.day)),
            GroupKey::Quarter => i64::from(calendar::quarter_key(self.end?.day)),
        })
    }
}

/// A usage error unless `cases --indicator` can list `indicator` (see `Indicator::listable`).
pub fn check_listable(indicator: &Indicator) -> Result<()> {
    if indicator.listable() {
        return Ok(());
    }
    let listable: Vec<&str> = INDICATORS
        .iter()
        .filter(|i| i.listable())
        .map(|i| i.id)
        .collect();
    Err(Error::Usage(format!(
        "{} is not made of one duration per case and cannot be listed; listed: {}",
        indicator.id,
        listable.join(", ")
    )))
}

/// The values of a listed chunk's column `name`, typed `T`: one contiguous slice (the chunk is
/// rechunked, and kept columns have no nulls, see `list_cases`).
fn values<'a, T: PolarsNumericType>(chunk: &'a DataFrame, name: &str) -> Result<&'a [T::Native]> {
    chunk
        .column(name)
        .and_then(|c| c.as_materialized_series().unpack::<T>())
        .and_then(|c| c.cont_slice())
        .map_err(|e| computing(name, e))
}

/// Every case of an indicator's case set within the period, counted ones (`excluded = false`) or
/// excluded ones (`excluded = true`), handed to `on_line` one at a time in input order. Each
/// chunk of `options.chunk_rows` rows is measured and its lines handed over before the next is
/// measured, so the listing is never held whole.
pub fn list_cases(
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
    mut on_line: impl FnMut(&CaseLine) -> Result<()>,
) -> Result<()> {
    check_listable(indicator)?;
    let wanted = if excluded {
        col("reason").neq(lit(0))
    } else {
        col("reason").eq(lit(0))
    };
    let (start, end) = (indicator.start, indicator.end);
    let within_share = matches!(indicator.measure, Measure::WithinDays { .. });
    // Each kept column in the type it is read as: a no-op for most, a widening for codes that may
    // be 16-bit. A null (none is expected) reads as the old listing read it: 0, or a missing date.
    let typed = |expr: Expr, dtype: DataType, fill: Expr, name: &str| {
        expr.cast(dtype.clone())
            .fill_null(fill.cast(dtype))
            .alias(name.to_string())
    };
    let resolved = |event: Event, part: &str| {
        if event == Event::AppealReceived {
            col(format!("appeal_{part}"))
        } else {
            col(format!("{}_{part}", event.prefix()))
        }
    };
    // Day, time of day (-1: none kept) and state of the event, as `{name}_day/_sec/_state`.
    let event_columns = |event: Event, name: &str| {
        [
            typed(
                resolved(event, "day"),
                DataType::Int32,
                lit(0),
                &format!("{name}_day"),
            ),
            typed(
                seconds(event).unwrap_or_else(|| lit(-1i32)),
                DataType::Int32,
                lit(-1),
                &format!("{name}_sec"),
            ),
            typed(
                resolved(event, "state"),
                DataType::UInt8,
                lit(MISSING),
                &format!("{name}_state"),
            ),
        ]
    };
    let mut columns = vec![
        typed(col("row"), IDX_DTYPE, lit(0), "row"),
        typed(col("court_level"), DataType::UInt8, lit(0), "court_level"),
    ];
    for name in ["court", "cause", "department", "judge"] {
        columns.push(typed(col(name), DataType::UInt32, lit(0), name));
    }
    columns.extend(event_columns(start, "start"));
    columns.extend(event_columns(end, "end"));
    columns.extend([
        typed(col("deducted"), DataType::Int32, lit(0), "deducted"),
        typed(
            col("deducted_state"),
            DataType::UInt8,
            lit(0),
            "deducted_state",
        ),
        typed(col("days"), DataType::Int64, lit(0), "days"),
        col("reason"),
    ]);
    if within_share {
        columns.push(typed(col("value"), DataType::Int64, lit(0), "value"));
    }
    // A listing has no groups: every case of the period is listed.
    let options = &ComputeOptions {
        by: Vec::new(),
        ..options.clone()
    };
    // Chunks are measured in order and filters keep it; only the appeal join may not, within a
    // chunk.
    let joins_appeals = start == Event::AppealReceived || end == Event::AppealReceived;
    let per_day = unit_per_day(indicator) as f64;
    let net = indicator.net_of_deductions && !options.gross;
    let appeals = AppealLinks::new(cases)?;
    let mut on_chunk = |part: DataFrame| -> Result<()> {
        let mut part = if joins_appeals {
            part.lazy()
                .sort(["row"], SortMultipleOptions::default())
                .collect()
                .map_err(|e| computing(indicator.id, e))?
        } else {
            part
        };
        part.rechunk_mut_par();
        let part = &part;
        // Each column is looked up once; every cell is then read by position.
        let row = values::<IdxType>(part, "row")?;
        let court_level = values::<UInt8Type>(part, "court_level")?;
        let court = values::<UInt32Type>(part, "court")?;
        let cause = values::<UInt32Type>(part, "cause")?;
        let department = values::<UInt32Type>(part, "department")?;
        let judge = values::<UInt32Type>(part, "judge")?;
        let deducted = values::<Int32Type>(part, "deducted")?;
        let deducted_state = values::<UInt8Type>(part, "deducted_state")?;
        let days_counted = values::<Int64Type>(part, "days")?;
        let reason = values::<UInt8Type>(part, "reason")?;
        let value = if within_share {
            Some(values::<Int64Type>(part, "value")?)
        } else {
            None
        };
        let event = |prefix: &str| -> Result<(&[i32], &[i32], &[u8])> {
            Ok((
                values::<Int32Type>(part, &format!("{prefix}_day"))?,
                values::<Int32Type>(part, &format!("{prefix}_sec"))?,
                values::<UInt8Type>(part, &format!("{prefix}_state"))?,
            ))
        };
        let (start_event, end_event) = (event("start")?, event("end")?);
        let timestamp = |(day, sec, state): (&[i32], &[i32], &[u8]), index: usize| {
            (state[index] == PRESENT).then(|| calendar::Timestamp {
                day: day[index],
                seconds: u32::try_from(sec[index]).ok(),
            })
        };
        for index in 0..part.height() {
            let exclusion = Exclusion::from_code(reason[index]);
            let line = CaseLine {
                row: row[index] as usize,
                court: court[index],
                court_level: court_level[index],
                cause: cause[index],
                department: department[index],
                judge: judge[index],
                start: timestamp(start_event, index),
                end: timestamp(end_event, index),
                deducted: (net && deducted_state[index] != INVALID)
                    .then(|| i64::from(deducted[index])),
                days: match exclusion {
                    None => Some(days_counted[index] as f64 / per_day),
                    Some(_) => None,
                },
                within: match (value, exclusion) {
                    (Some(value), None) => Some(value[index] == 1),
                    _ => None,
                },
                exclusion,
            };
            on_line(&line)?;
        }
        Ok(())
    };
    measure_chunks(
        cases,
        &appeals,
        indicator,
        options,
        &["row", "court", "cause", "department", "judge"],
        &columns,
        wanted,
        &mut on_chunk,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_is_placed_in_a_period_by_its_end_date() {
        // CaseLine::group_code reads the month and quarter from the end date.
        for indicator in INDICATORS.iter().filter(|i| i.listable()) {
            assert_eq!(indicator.attributed_by, indicator.end, "{}", indicator.id);
        }
    }
}
