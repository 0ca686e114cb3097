//! The indicators, as data: the five timeliness figures of item 16 (spec §1) and the further
//! figures of the same plan (spec §2): the cases each is computed over, the events its duration
//! runs between, what its figure is and the plan's target. Computed by `compute`, listed by
//! `listing`.

use crate::error::{Error, Result};
use crate::measure::targets::{Comparison, Target};
use crate::model::cases::Register;
use crate::model::fields::{AmountField, CodeField, DateField, Field};

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
    /// Sentence for docs/indicators.md and `--help`.
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
        self.date_field().field()
    }

    /// The date field that records the event. For `AppealReceived` this is the appeal row's own
    /// 上诉状收到日期; the engine resolves it against the first-instance row's (spec §1).
    pub fn date_field(self) -> DateField {
        match self {
            Event::MaterialsReceived => DateField::Received,
            Event::Registered => DateField::Filed,
            Event::Closed => DateField::Closed,
            Event::AppealReceived => DateField::AppealReceived,
            Event::InForce => DateField::InForce,
            Event::FundsReceived => DateField::FundsReceived,
            Event::FundsPaid => DateField::FundsPaid,
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
    Flag(CodeField),
    /// The sum of one amount over the sum of another, over the cases that state both.
    AmountRatio(AmountField, AmountField),
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
    pub(crate) fn value_fields(self) -> [Option<Field>; 2] {
        match self {
            Measure::Flag(field) => [Some(field.field()), None],
            Measure::AmountRatio(numerator, denominator) => {
                [Some(numerator.field()), Some(denominator.field())]
            }
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

    /// The plan target and item as the indicator table of docs/indicators.md shows them: `≥ 0.9 (32)`, or
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
        measure: Measure::Flag(CodeField::JudgmentOnline),
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
        measure: Measure::Flag(CodeField::TrialStreamed),
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
        measure: Measure::AmountRatio(AmountField::BankruptcyCosts, AmountField::EstateValue),
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
        measure: Measure::AmountRatio(AmountField::ClaimsPaid, AmountField::ClaimsTotal),
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
