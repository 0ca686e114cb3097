//! The five timeliness indicators of item 16 (spec §1), as data, and their computation with
//! polars' lazy engine: case-set filters, the appeal join, period filter, group-by and statistics.

use polars::prelude::*;
use serde::Serialize;

use crate::case_number::{CourtLevel, Procedure};
use crate::cases::{
    CaseColumns, Register, ValueState, court_level_code, court_level_of_code, procedure_code,
};
use crate::dates;
use crate::error::{Error, Result, computing};
use crate::period::Period;
use crate::targets::{Comparison, Target, Targets};

/// The cases an indicator is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSet {
    /// First instance, second instance and first-enforcement cases, every court level.
    FilingReview,
    /// First-instance cases of basic courts.
    BasicFirstInstance,
    /// Second-instance (appeal) cases.
    SecondInstance,
    /// First-enforcement cases (执, not 执恢/执保/执异 …).
    FirstEnforcement,
}

impl CaseSet {
    /// Sentence for the README and `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            CaseSet::FilingReview => "first instance, second instance and first enforcement",
            CaseSet::BasicFirstInstance => "first instance at basic courts",
            CaseSet::SecondInstance => "second instance",
            CaseSet::FirstEnforcement => "first enforcement (执)",
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
}

impl Event {
    /// The field that records the event.
    pub fn field(self) -> crate::fields::Field {
        use crate::fields::Field;
        match self {
            Event::MaterialsReceived => Field::ReceivedAt,
            Event::Registered => Field::FiledAt,
            Event::Closed => Field::ClosedAt,
            Event::AppealReceived => Field::AppealReceivedAt,
        }
    }

    /// Column-name prefix in the case frame.
    fn prefix(self) -> &'static str {
        match self {
            Event::MaterialsReceived => "received",
            Event::Registered => "filed",
            Event::Closed => "closed",
            Event::AppealReceived => "appeal",
        }
    }
}

/// One published indicator: what it measures, over which cases, and its plan target.
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
    /// The event the duration starts at (that day not counted, CPL art. 85).
    pub start: Event,
    /// The event the duration ends at.
    pub end: Event,
    /// The event whose date places a case in a period.
    pub attributed_by: Event,
    /// Whether deducted days (扣除审限天数) are subtracted unless `--gross`.
    pub net_of_deductions: bool,
    /// Whether durations are in fractional days when both dates carry a time.
    pub fractional_days: bool,
    /// The 2021 plan's target.
    pub plan_target: Target,
    /// The plan item that sets the target.
    pub plan_item: u8,
}

const fn at_most(value: f64) -> Target {
    Target {
        op: Comparison::AtMost,
        value,
    }
}

/// The five indicators of item 16, in publication order.
pub const INDICATORS: [Indicator; 5] = [
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
    },
    Indicator {
        id: "first_instance_days",
        chinese: "一审平均审理天数",
        english: "average first-instance trial days",
        case_set: CaseSet::BasicFirstInstance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        net_of_deductions: true,
        fractional_days: false,
        // why: plan item 2, basic courts' first-instance business cases within 50 days on average.
        plan_target: at_most(50.0),
        plan_item: 2,
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
        fractional_days: false,
        // why: plan item 29, appeal files transferred within 30 days on average.
        plan_target: at_most(30.0),
        plan_item: 29,
    },
    Indicator {
        id: "second_instance_days",
        chinese: "二审平均审理天数",
        english: "average second-instance trial days",
        case_set: CaseSet::SecondInstance,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        net_of_deductions: true,
        fractional_days: false,
        // why: plan item 9, half the 3-month appeal limit of CPL art. 183.
        plan_target: at_most(45.0),
        plan_item: 9,
    },
    Indicator {
        id: "first_enforcement_days",
        chinese: "首次执行案件平均办理天数",
        english: "average first-enforcement days",
        case_set: CaseSet::FirstEnforcement,
        start: Event::Registered,
        end: Event::Closed,
        attributed_by: Event::Closed,
        net_of_deductions: true,
        fractional_days: false,
        // why: plan item 20, first enforcement cases closed within 70 days on average.
        plan_target: at_most(70.0),
        plan_item: 20,
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
        }
    }

    /// The field whose value caused the exclusion, for listings.
    pub fn field(self, indicator: &Indicator) -> Option<crate::fields::Field> {
        match self {
            Exclusion::MissingEnd | Exclusion::InvalidEnd => Some(indicator.end.field()),
            Exclusion::MissingStart | Exclusion::InvalidStart | Exclusion::NoAppealDate => {
                Some(indicator.start.field())
            }
            Exclusion::InvalidDeduction | Exclusion::NegativeNetDays => {
                Some(crate::fields::Field::DeductedDays)
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
}

impl Status {
    /// `met`, `missed` or `no_data`.
    pub fn id(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NoData => "no_data",
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
    /// Cases that entered the figure.
    pub cases: u64,
    /// Mean days (unrounded); None when there are no cases.
    pub mean: Option<f64>,
    /// Median days.
    pub median: Option<f64>,
    /// 90th percentile (linear interpolation between closest ranks, as numpy/Excel PERCENTILE.INC).
    pub p90: Option<f64>,
    /// Longest.
    pub max: Option<f64>,
    /// Share of cases whose own days satisfy the target value (0..1).
    pub within_target_share: Option<f64>,
    /// The target applied to this group.
    pub target: Target,
    /// Met, missed or no data.
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

/// A polars column that takes over `values` without copying them (`Column::new` would copy).
fn owned<T: NumericNative>(name: &str, values: Vec<T>) -> Column
where
    Series: NamedFromOwned<Vec<T>>,
{
    Series::from_vec(name.into(), values).into_column()
}

/// The cases' typed columns as a polars frame: no text, one row per kept case.
#[derive(Debug, Clone)]
pub struct CaseFrame {
    frame: DataFrame,
}

impl CaseFrame {
    /// Move the columns into polars (no copy of the values).
    pub fn new(columns: CaseColumns) -> Result<CaseFrame> {
        let n = columns.procedure.len();
        let rows: Vec<u32> = (0..n as u32).collect();
        let frame_columns = vec![
            owned("row", rows),
            owned("procedure", columns.procedure),
            owned("court_level", columns.court_level),
            owned("court", columns.court),
            owned("cause", columns.cause),
            owned("department", columns.department),
            owned("judge", columns.judge),
            Column::new("in_scope".into(), columns.in_scope),
            owned("received_day", columns.received_at.day),
            owned("received_sec", columns.received_at.seconds),
            owned("received_state", columns.received_at.state),
            owned("filed_day", columns.filed_at.day),
            owned("filed_sec", columns.filed_at.seconds),
            owned("filed_state", columns.filed_at.state),
            owned("closed_day", columns.closed_at.day),
            owned("closed_state", columns.closed_at.state),
            owned("own_appeal_day", columns.appeal_received_at.day),
            owned("own_appeal_state", columns.appeal_received_at.state),
            owned("deducted", columns.deducted_days),
            owned("deducted_state", columns.deducted_state),
            // NO_ROW (u32::MAX) is no row's number, so an appeal without a first-instance row
            // finds nothing in the join.
            owned("original_row", columns.original_row),
        ];
        let frame = DataFrame::new(n, frame_columns)
            .map_err(|e| computing("building the case frame", e))?;
        Ok(CaseFrame { frame })
    }
}

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
        Event::Closed | Event::AppealReceived => None,
    }
}

fn procedure_is(procedure: Procedure) -> Expr {
    col("procedure").eq(lit(procedure_code(procedure)))
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
        CaseSet::SecondInstance => procedure_is(Procedure::SecondInstance),
        CaseSet::FirstEnforcement => procedure_is(Procedure::FirstEnforcement),
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

/// Rows that carry their own appeal receipt date (or an unreadable one), as the look-up side of
/// the appeal join. A first-instance row without one adds nothing to the join, so it is left out
/// and the join's table stays small.
fn appeal_dates(frame: &DataFrame) -> Result<DataFrame> {
    frame
        .clone()
        .lazy()
        .filter(col("own_appeal_state").neq(lit(MISSING)))
        .select([
            col("row").alias("first_instance_row"),
            col("own_appeal_day").alias("first_instance_appeal_day"),
            col("own_appeal_state").alias("first_instance_appeal_state"),
        ])
        .collect()
        .map_err(|e| computing("appeal dates", e))
}

/// Rows measured at a time by default: polars' working columns for one indicator stay this long,
/// however long the export.
pub const CHUNK_ROWS: usize = 1 << 20;

/// An indicator measured over every case of its set: the rows a caller asked for, and how many
/// cases were left out for each reason.
struct Measured {
    /// The rows kept (`wanted`), with the columns kept.
    rows: DataFrame,
    /// Cases excluded, by `Exclusion` code.
    excluded: std::collections::BTreeMap<u8, u64>,
}

/// Measure an indicator over the whole frame, a chunk of rows at a time, keeping the columns
/// `keep` of the rows `wanted`. Excluded cases are counted chunk by chunk, so the rows a figure
/// does not use are never held for the whole export. `keep` must include `reason`.
fn measure(
    frame: &DataFrame,
    appeal_dates: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
    keep: &[Expr],
    wanted: Expr,
) -> Result<Measured> {
    let mut rows: Option<DataFrame> = None;
    let mut excluded = std::collections::BTreeMap::new();
    let chunk_rows = options.chunk_rows.max(1);
    let mut offset = 0;
    loop {
        let chunk = with_calendar_keys(frame.slice(offset as i64, chunk_rows), &options.by)?;
        let part = measured(&chunk, appeal_dates, indicator, options, extra)
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
        match rows.as_mut() {
            None => rows = Some(part),
            Some(all) => {
                all.vstack_mut_owned(part)
                    .map_err(|e| computing(indicator.id, e))?;
            }
        }
        offset += chunk_rows;
        if offset >= frame.height() {
            break;
        }
    }
    let rows = rows.ok_or_else(|| computing(indicator.id, "no rows measured"))?;
    Ok(Measured { rows, excluded })
}

/// `frame` with month or quarter keys of the registration and closing dates added, when `by` asks
/// for them. Added to one chunk at a time, so they are never held for the whole export.
fn with_calendar_keys(mut frame: DataFrame, by: &[GroupKey]) -> Result<DataFrame> {
    let calendar_keys = [
        (
            GroupKey::Month,
            "month",
            dates::month_key as fn(dates::DayNumber) -> i32,
        ),
        (GroupKey::Quarter, "quarter", dates::quarter_key),
    ];
    for (key, unit, key_of) in calendar_keys {
        if !by.contains(&key) {
            continue;
        }
        for event in ["filed", "closed"] {
            let days = frame
                .column(&format!("{event}_day"))
                .and_then(|c| c.i32().cloned())
                .map_err(|e| computing("calendar keys", e))?;
            let keys: Vec<i32> = days.into_no_null_iter().map(key_of).collect();
            frame
                .with_column(Column::new(format!("{event}_{unit}").into(), keys))
                .map_err(|e| computing("calendar keys", e))?;
        }
    }
    Ok(frame)
}

/// The lazy frame of an indicator's case set, with `value` (days counted, in the indicator's
/// unit), `reason` (0 = counted, else an `Exclusion`) and the group-key columns.
fn measured(
    frame: &DataFrame,
    appeal_dates: &DataFrame,
    indicator: &Indicator,
    options: &ComputeOptions,
    extra: &[&str],
) -> LazyFrame {
    // Only the columns this indicator reads are carried through the filter, so the case set is
    // not copied whole.
    let mut needed: Vec<String> = [
        "procedure",
        "court_level",
        "in_scope",
        "deducted",
        "deducted_state",
    ]
    .iter()
    .chain(extra)
    .map(|name| name.to_string())
    .collect();
    for event in [indicator.start, indicator.end, indicator.attributed_by] {
        match event {
            Event::AppealReceived => needed
                .extend(["own_appeal_day", "own_appeal_state", "original_row"].map(String::from)),
            _ => needed.extend([
                format!("{}_day", event.prefix()),
                format!("{}_state", event.prefix()),
            ]),
        }
        if seconds(event).is_some() {
            needed.push(format!("{}_sec", event.prefix()));
        }
    }
    let calendar_prefix = match indicator.attributed_by {
        Event::Closed => "closed",
        _ => "filed",
    };
    for key in &options.by {
        needed.push(key_source(*key, calendar_prefix));
    }
    needed.sort();
    needed.dedup();
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
                [col("original_row")],
                [col("first_instance_row")],
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
    let reason = when(first_instance_level_unknown)
        .then(code(Exclusion::UnknownCourtLevel as u8))
        .when(state(end).eq(lit(MISSING)))
        .then(code(Exclusion::MissingEnd as u8))
        .when(state(end).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidEnd as u8))
        .when(state(start).eq(lit(MISSING)))
        .then(code(Exclusion::MissingStart as u8))
        .when(state(start).eq(lit(INVALID)))
        .then(code(Exclusion::InvalidStart as u8))
        .when(state(start).eq(lit(NO_APPEAL_DATE)))
        .then(code(Exclusion::NoAppealDate as u8))
        .when(deduction_invalid)
        .then(code(Exclusion::InvalidDeduction as u8))
        .when(elapsed.clone().lt(lit(0)))
        .then(code(Exclusion::EndBeforeStart as u8))
        .when(counted.clone().lt(lit(0)))
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
    let mut keyed = vec![counted.alias("value"), reason.alias("reason")];
    for key in &options.by {
        keyed.push(col(key_source(*key, calendar_prefix)).alias(key.column()));
    }
    lf.filter(period_filter).with_columns(keyed)
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

/// Aggregations of one figure over counted cases: n, sum, median, p90, max, court-level range, and
/// the number of cases within each candidate target.
fn aggregations(indicator: &Indicator, candidates: &[Target]) -> Vec<Expr> {
    let per_day = unit_per_day(indicator) as f64;
    let value = || col("value");
    let mut aggs = vec![
        len().cast(DataType::Float64).alias("cases"),
        value()
            .cast(DataType::Int64)
            .sum()
            .cast(DataType::Float64)
            .alias("sum"),
        value().median().cast(DataType::Float64).alias("median"),
        value()
            .quantile(lit(0.9), QuantileMethod::Linear)
            .cast(DataType::Float64)
            .alias("p90"),
        value().max().cast(DataType::Float64).alias("max"),
        col("court_level")
            .min()
            .cast(DataType::Float64)
            .alias("level_min"),
        col("court_level")
            .max()
            .cast(DataType::Float64)
            .alias("level_max"),
    ];
    for (k, target) in candidates.iter().enumerate() {
        let threshold = lit(target.value * per_day);
        let within = match target.op {
            Comparison::AtMost => value().cast(DataType::Float64).lt_eq(threshold),
            Comparison::AtLeast => value().cast(DataType::Float64).gt_eq(threshold),
        };
        aggs.push(
            within
                .sum()
                .cast(DataType::Float64)
                .alias(format!("within_{k}")),
        );
    }
    aggs
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
    let cases = float_at(frame, "cases", row)?.unwrap_or(0.0) as u64;
    let level = match (
        float_at(frame, "level_min", row)?,
        float_at(frame, "level_max", row)?,
    ) {
        (Some(low), Some(high)) if low == high => court_level_of_code(low as u8),
        _ => None,
    };
    let target = targets.target(indicator, level);
    if cases == 0 {
        return Ok(IndicatorResult {
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
        });
    }
    let sum = float_at(frame, "sum", row)?.unwrap_or(0.0);
    // Mean of whole days is sum / n, exact to the last binary digit; fractional days divide once more.
    let mean = sum / cases as f64 / per_day;
    let within_index = candidates.iter().position(|c| *c == target).unwrap_or(0);
    let within = float_at(frame, &format!("within_{within_index}"), row)?.unwrap_or(0.0);
    let scaled = |name: &str| -> Result<Option<f64>> {
        Ok(float_at(frame, name, row)?.map(|v| v / per_day))
    };
    Ok(IndicatorResult {
        indicator,
        group,
        cases,
        mean: Some(mean),
        median: scaled("median")?,
        p90: scaled("p90")?,
        max: scaled("max")?,
        within_target_share: Some(within / cases as f64),
        target,
        status: if target.op.holds(mean, target.value) {
            Status::Met
        } else {
            Status::Missed
        },
    })
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
        GroupKey::Month => dates::month_label(code as i32),
        GroupKey::Quarter => dates::quarter_label(code as i32),
    }
}

/// Compute every indicator: the overall figure, the figure per group, and the exclusions per
/// reason. Each indicator's case set is measured once; figures and exclusions both read it.
pub fn compute(
    cases: &CaseFrame,
    register: &Register,
    options: &ComputeOptions,
) -> Result<Computed> {
    let frame = &cases.frame;
    let appeal_dates = appeal_dates(frame)?;
    let mut results = Vec::new();
    let mut exclusions = Vec::new();
    for indicator in &INDICATORS {
        let candidates = options.targets.candidates(indicator);
        let mut kept = vec![col("value"), col("reason"), col("court_level")];
        kept.extend(options.by.iter().map(|k| col(k.column())));
        let counted_only = col("reason").eq(lit(0u8));
        let measured = measure(
            frame,
            &appeal_dates,
            indicator,
            options,
            &[],
            &kept,
            counted_only,
        )?;
        let counted = measured.rows.lazy();
        let overall = counted
            .clone()
            .select(aggregations(indicator, &candidates))
            .collect()
            .map_err(|e| computing(indicator.id, e))?;
        results.push(figure(
            indicator,
            &overall,
            0,
            Vec::new(),
            &options.targets,
            &candidates,
        )?);
        if !options.by.is_empty() {
            let keys: Vec<Expr> = options.by.iter().map(|k| col(k.column())).collect();
            let key_codes: Vec<Expr> = options
                .by
                .iter()
                .map(|k| col(k.column()).cast(DataType::Int64))
                .collect();
            let grouped = counted
                .group_by(keys)
                .agg(aggregations(indicator, &candidates))
                .with_columns(key_codes)
                .collect()
                .map_err(|e| computing(indicator.id, e))?;
            let mut rows = Vec::with_capacity(grouped.height());
            for row in 0..grouped.height() {
                let mut group = Vec::with_capacity(options.by.len());
                for key in &options.by {
                    let code = int_at(&grouped, key.column(), row)?.unwrap_or(0);
                    group.push((*key, group_label(register, *key, code)));
                }
                rows.push(figure(
                    indicator,
                    &grouped,
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
            counts: measured
                .excluded
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
    pub start: Option<dates::Timestamp>,
    /// The end date used, if read.
    pub end: Option<dates::Timestamp>,
    /// Days deducted (0 when missing), when the indicator is net and the value was read.
    pub deducted: Option<i64>,
    /// Days counted (fractional for filing review with times); None for excluded cases.
    pub days: Option<f64>,
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
            GroupKey::Month => i64::from(dates::month_key(self.end?.day)),
            GroupKey::Quarter => i64::from(dates::quarter_key(self.end?.day)),
        })
    }
}

/// Every case of an indicator's case set within the period: counted ones (`excluded = false`)
/// or excluded ones (`excluded = true`), in input order.
pub fn case_lines(
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
) -> Result<Vec<CaseLine>> {
    let wanted = if excluded {
        col("reason").neq(lit(0))
    } else {
        col("reason").eq(lit(0))
    };
    let (start, end) = (indicator.start, indicator.end);
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
            resolved(event, "day")
                .cast(DataType::Int64)
                .alias(format!("{name}_day")),
            seconds(event)
                .unwrap_or_else(|| lit(-1i64))
                .cast(DataType::Int64)
                .alias(format!("{name}_sec")),
            resolved(event, "state")
                .cast(DataType::Int64)
                .alias(format!("{name}_state")),
        ]
    };
    let mut columns: Vec<Expr> = [
        "row",
        "court",
        "court_level",
        "cause",
        "department",
        "judge",
    ]
    .iter()
    .map(|name| col(*name).cast(DataType::Int64))
    .collect();
    columns.extend(event_columns(start, "start"));
    columns.extend(event_columns(end, "end"));
    columns.extend([
        col("deducted").cast(DataType::Int64),
        col("deducted_state").cast(DataType::Int64),
        col("value").cast(DataType::Int64),
        col("reason"),
    ]);
    // A listing has no groups: every case of the period is listed.
    let options = &ComputeOptions {
        by: Vec::new(),
        ..options.clone()
    };
    let appeal_dates = appeal_dates(&cases.frame)?;
    let listed = measure(
        &cases.frame,
        &appeal_dates,
        indicator,
        options,
        &["row", "court", "cause", "department", "judge"],
        &columns,
        wanted,
    )?;
    let frame = listed
        .rows
        .lazy()
        .with_column(col("reason").cast(DataType::Int64))
        .sort(["row"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| computing(indicator.id, e))?;
    let per_day = unit_per_day(indicator) as f64;
    let net = indicator.net_of_deductions && !options.gross;
    let mut frame = frame;
    frame.rechunk_mut_par();
    // Each column is looked up once; every cell is then read by position.
    let column = |name: &str| -> Result<Int64Chunked> {
        frame
            .column(name)
            .and_then(|c| c.i64().cloned())
            .map_err(|e| computing(name, e))
    };
    let [row, court, court_level, cause, department, judge] = [
        "row",
        "court",
        "court_level",
        "cause",
        "department",
        "judge",
    ]
    .map(column);
    let (row, court, court_level, cause, department, judge) =
        (row?, court?, court_level?, cause?, department?, judge?);
    let (deducted, deducted_state) = (column("deducted")?, column("deducted_state")?);
    let (value, reason) = (column("value")?, column("reason")?);
    let event = |prefix: &str| -> Result<[Int64Chunked; 3]> {
        Ok([
            column(&format!("{prefix}_day"))?,
            column(&format!("{prefix}_sec"))?,
            column(&format!("{prefix}_state"))?,
        ])
    };
    let (start_event, end_event) = (event("start")?, event("end")?);
    let timestamp = |[day, sec, state]: &[Int64Chunked; 3], index: usize| {
        (state.get(index) == Some(PRESENT as i64)).then(|| dates::Timestamp {
            day: day.get(index).unwrap_or(0) as i32,
            seconds: sec.get(index).and_then(|s| u32::try_from(s).ok()),
        })
    };
    let mut lines = Vec::with_capacity(frame.height());
    for index in 0..frame.height() {
        let exclusion = Exclusion::from_code(reason.get(index).unwrap_or(0) as u8);
        let deducted_read = deducted_state.get(index) != Some(INVALID as i64);
        let days = match exclusion {
            None => value.get(index).map(|v| v as f64 / per_day),
            Some(_) => None,
        };
        lines.push(CaseLine {
            row: row.get(index).unwrap_or(0) as usize,
            court: court.get(index).unwrap_or(0) as u32,
            court_level: court_level.get(index).unwrap_or(0) as u8,
            cause: cause.get(index).unwrap_or(0) as u32,
            department: department.get(index).unwrap_or(0) as u32,
            judge: judge.get(index).unwrap_or(0) as u32,
            start: timestamp(&start_event, index),
            end: timestamp(&end_event, index),
            deducted: if net && deducted_read {
                deducted.get(index)
            } else {
                None
            },
            days,
            exclusion,
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_is_placed_in_a_period_by_its_end_date() {
        // CaseLine::group_code reads the month and quarter from the end date.
        for indicator in &INDICATORS {
            assert_eq!(indicator.attributed_by, indicator.end, "{}", indicator.id);
        }
    }
}
