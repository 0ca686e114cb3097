//! The long-pending ledger (长期未结案件台账, plan item 17): every case open at an as-of date that
//! has been open more than 365 days or is past its statutory time limit (spec §2), with the age
//! profile of the open caseload (NCSC CourTools 4) and the CEPEJ disposition time.
//!
//! Everything here is counted in calendar days from the registration date (立案日期), as the five
//! indicators are: a case registered on the as-of date is 0 days old. Only in-scope cases count.

use crate::model::calendar::{self, DayNumber};
use crate::model::cases::{CaseColumns, Register, ValueState};
use crate::model::fields::{DateField, LabelField};
use crate::read::case_number::{Procedure, TrialTrack};

/// A case open longer than this many days (strictly more) is long-pending whatever its limit.
pub const LONG_PENDING_DAYS: i32 = 365;

/// Days of the window whose closed cases the disposition time divides by (the as-of date and the
/// 364 days before it).
pub const DISPOSITION_WINDOW_DAYS: i32 = 365;

/// A statutory time limit (审限) in calendar months from registration, and where the law sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatutoryLimit {
    /// Calendar months from the registration date.
    pub months: u32,
    /// The provision, e.g. `CPL art. 152`.
    pub basis: &'static str,
}

/// The statutory limit of a case (spec §2), or `None` for procedures with no single limit
/// (other enforcement matters, bankruptcy, other proceedings): those are listed only when open
/// more than 365 days. First instance: 2 months for small claims (CPL art. 168), 3 for the simple
/// procedure (art. 164), otherwise 6 (art. 152) — also when the export does not say which track.
/// Appeals: 3 months (art. 183; the export never says an appeal is against a ruling, whose limit
/// is 30 days). First and resumed enforcement: 6 months (法释〔2000〕29号).
pub fn statutory_limit(procedure: Procedure, track: TrialTrack) -> Option<StatutoryLimit> {
    let limit = |months, basis| Some(StatutoryLimit { months, basis });
    match procedure {
        Procedure::FirstInstance => match track {
            TrialTrack::SmallClaims => limit(2, "CPL art. 168"),
            TrialTrack::Simple => limit(3, "CPL art. 164"),
            TrialTrack::Ordinary | TrialTrack::Unstated => limit(6, "CPL art. 152"),
        },
        Procedure::SecondInstance => limit(3, "CPL art. 183"),
        Procedure::FirstEnforcement | Procedure::ResumedEnforcement => limit(6, "法释〔2000〕29号"),
        Procedure::OtherEnforcement | Procedure::Bankruptcy | Procedure::Other => None,
    }
}

/// The last day within a limit of `months` calendar months from `registered`, extended by
/// `deducted` days: the day of the same number `months` later (the month's last day when that
/// month is shorter, so 08-31 + 6 months is 02-28 or 02-29), plus the deducted days.
pub fn limit_day(registered: DayNumber, months: u32, deducted: i32) -> DayNumber {
    calendar::add_months(registered, months).saturating_add(deducted)
}

/// Why a case is on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Open more than 365 days, within its limit (or with none).
    OverYear,
    /// Past its statutory limit, open 365 days or fewer.
    PastLimit,
    /// Both.
    Both,
}

impl Why {
    /// Identifier used in every output format.
    pub fn id(self) -> &'static str {
        match self {
            Why::OverYear => "over_365_days",
            Why::PastLimit => "past_limit",
            Why::Both => "both",
        }
    }
}

/// The limit of one listed case as it stands at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitAt {
    /// The statutory limit.
    pub limit: StatutoryLimit,
    /// Deducted days (扣除审限天数) that extend it: 0 when missing, when unreadable, or with
    /// `--gross`.
    pub extension: i32,
    /// The last day within the limit.
    pub last_day: DayNumber,
    /// Days from registration to `last_day`.
    pub days: i32,
    /// Days from `last_day` to the as-of date: > 0 when past the limit.
    pub over: i32,
}

/// One case of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerLine {
    /// Row in the register (file, line, case number).
    pub row: usize,
    /// Court code (label in `Register::courts`).
    pub court: u32,
    /// Department code (label in `Register::departments`).
    pub department: u32,
    /// Judge code (label in `Register::judges`).
    pub judge: u32,
    /// The procedure.
    pub procedure: Procedure,
    /// The first-instance track, when the export states it.
    pub track: TrialTrack,
    /// Registration date.
    pub registered: DayNumber,
    /// Closing date, when the case closed after the as-of date (it was open at that date).
    pub closed_later: Option<DayNumber>,
    /// As-of date − registration date, in days.
    pub age_days: i32,
    /// Deducted days as written: `None` when the cell could not be read.
    pub deducted_days: Option<i32>,
    /// The statutory limit, when the procedure has one.
    pub limit: Option<LimitAt>,
    /// Why the case is listed.
    pub why: Why,
}

/// Open cases by age at the as-of date (CourTools 4 bands).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgeProfile {
    /// 0–90 days.
    pub days_0_90: u64,
    /// 91–180 days.
    pub days_91_180: u64,
    /// 181–365 days.
    pub days_181_365: u64,
    /// More than 365 days.
    pub over_365: u64,
}

impl AgeProfile {
    /// Every open case.
    pub fn total(&self) -> u64 {
        self.days_0_90 + self.days_91_180 + self.days_181_365 + self.over_365
    }

    fn add(&mut self, age: i32) {
        match age {
            ..=90 => self.days_0_90 += 1,
            91..=180 => self.days_91_180 += 1,
            181..=365 => self.days_181_365 += 1,
            _ => self.over_365 += 1,
        }
    }
}

/// CEPEJ disposition time with its inputs: 365 × pending at the as-of date / cases closed in the
/// 365 days up to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DispositionTime {
    /// Cases open at the as-of date (the age profile's total).
    pub pending: u64,
    /// Cases closed from `closed_from` to the as-of date, both inclusive.
    pub closed: u64,
    /// First day of the window: the as-of date − 364.
    pub closed_from: DayNumber,
    /// Last day of the window: the as-of date.
    pub closed_to: DayNumber,
    /// 365 × pending / closed; `None` when nothing closed.
    pub days: Option<f64>,
}

/// In-scope cases the ledger could not place, or that were not yet registered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotCounted {
    /// Not closed by the as-of date (or closing date unreadable) and no readable registration date.
    pub no_registration_date: u64,
    /// Registered by the as-of date, closing date unreadable: open or closed cannot be told.
    pub invalid_closing_date: u64,
    /// Registered after the as-of date: not open at it.
    pub registered_after_as_of: u64,
}

/// What `pending_ledger` computes from.
#[derive(Debug, Clone, Default)]
pub struct PendingOptions {
    /// The as-of date.
    pub as_of: DayNumber,
    /// `--gross`: deducted days do not extend the statutory limit.
    pub gross: bool,
    /// Only cases of this court (经办法院 as written).
    pub court: Option<String>,
}

/// The ledger, the age profile and the disposition time at one date.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLedger {
    /// The as-of date.
    pub as_of: DayNumber,
    /// Listed cases, in input order.
    pub lines: Vec<LedgerLine>,
    /// Ages of every open case.
    pub profile: AgeProfile,
    /// Disposition time.
    pub disposition: DispositionTime,
    /// Cases left out, per reason.
    pub not_counted: NotCounted,
}

impl PendingLedger {
    /// Listed cases with reason `why`.
    pub fn count(&self, why: Why) -> usize {
        self.lines.iter().filter(|line| line.why == why).count()
    }
}

const PRESENT: u8 = ValueState::Present as u8;
const INVALID: u8 = ValueState::Invalid as u8;

/// Build the ledger at `options.as_of` from every in-scope case (of `options.court`, if given).
///
/// A case is open at the as-of date when it was registered on or before it and has no closing
/// date, or closed after it. A case closed on the as-of date is closed at it.
pub fn pending_ledger(
    columns: &CaseColumns,
    register: &Register,
    options: &PendingOptions,
) -> PendingLedger {
    let as_of = options.as_of;
    let closed_from = as_of - (DISPOSITION_WINDOW_DAYS - 1);
    let court = court_code(register, options.court.as_deref());
    let mut lines = Vec::new();
    let mut profile = AgeProfile::default();
    let mut closed = 0u64;
    let mut not_counted = NotCounted::default();
    for row in 0..columns.len() {
        if !columns.in_scope(row) {
            continue;
        }
        if let Some(wanted) = court
            && wanted != Some(columns.label(LabelField::Court).get(row))
        {
            continue;
        }
        match standing(columns, row, as_of) {
            Standing::Closed(day) => closed += u64::from(day >= closed_from),
            Standing::NotCounted(count) => *count(&mut not_counted) += 1,
            Standing::Open {
                registered,
                closed_later,
            } => {
                profile.add(as_of - registered);
                lines.extend(ledger_line(columns, row, options, registered, closed_later));
            }
        }
    }
    let pending = profile.total();
    PendingLedger {
        as_of,
        lines,
        profile,
        disposition: DispositionTime {
            pending,
            closed,
            closed_from,
            closed_to: as_of,
            days: (closed > 0).then(|| 365.0 * pending as f64 / closed as f64),
        },
        not_counted,
    }
}

/// The code of the court named `court` (经办法院 as written): `None` when every court counts,
/// `Some(None)` when no case has that court.
fn court_code(register: &Register, court: Option<&str>) -> Option<Option<u32>> {
    court.map(str::trim).map(|court| {
        register
            .courts
            .labels()
            .iter()
            .position(|label| label == court)
            .map(|code| code as u32)
    })
}

/// Where one in-scope case stands at the as-of date.
enum Standing {
    /// Closed on or before it, on this day.
    Closed(DayNumber),
    /// Open at it: registered then, and closed after the as-of date if at all.
    Open {
        registered: DayNumber,
        closed_later: Option<DayNumber>,
    },
    /// Not counted, under the reason this picks out of `NotCounted`.
    NotCounted(fn(&mut NotCounted) -> &mut u64),
}

/// Where the case at `row` stands at `as_of`.
fn standing(columns: &CaseColumns, row: usize, as_of: DayNumber) -> Standing {
    let closed_state = columns.date(DateField::Closed).state(row);
    let closed_day = columns.date(DateField::Closed).day(row);
    if closed_state == PRESENT && closed_day <= as_of {
        return Standing::Closed(closed_day);
    }
    if columns.date(DateField::Filed).state(row) != PRESENT {
        return Standing::NotCounted(|n| &mut n.no_registration_date);
    }
    let registered = columns.date(DateField::Filed).day(row);
    if registered > as_of {
        return Standing::NotCounted(|n| &mut n.registered_after_as_of);
    }
    if closed_state == INVALID {
        return Standing::NotCounted(|n| &mut n.invalid_closing_date);
    }
    Standing::Open {
        registered,
        closed_later: (closed_state == PRESENT).then_some(closed_day),
    }
}

/// The ledger line of the case open at `row`, when it is long-pending or past its limit.
fn ledger_line(
    columns: &CaseColumns,
    row: usize,
    options: &PendingOptions,
    registered: DayNumber,
    closed_later: Option<DayNumber>,
) -> Option<LedgerLine> {
    let as_of = options.as_of;
    let age_days = as_of - registered;
    let procedure = Procedure::ALL
        .get(columns.procedure(row) as usize)
        .copied()
        .unwrap_or(Procedure::Other);
    let track = TrialTrack::from_code(columns.track(row));
    let deducted_days =
        (columns.deducted_state(row) != INVALID).then_some(columns.deducted_days(row));
    let limit = statutory_limit(procedure, track).map(|limit| {
        let extension = if options.gross {
            0
        } else {
            deducted_days.unwrap_or(0)
        };
        let last_day = limit_day(registered, limit.months, extension);
        LimitAt {
            limit,
            extension,
            last_day,
            days: last_day - registered,
            over: as_of - last_day,
        }
    });
    let over_year = age_days > LONG_PENDING_DAYS;
    let past_limit = limit.is_some_and(|l| l.over > 0);
    let why = match (over_year, past_limit) {
        (true, true) => Why::Both,
        (true, false) => Why::OverYear,
        (false, true) => Why::PastLimit,
        (false, false) => return None,
    };
    Some(LedgerLine {
        row,
        court: columns.label(LabelField::Court).get(row),
        department: columns.label(LabelField::Department).get(row),
        judge: columns.label(LabelField::Judge).get(row),
        procedure,
        track,
        registered,
        closed_later,
        age_days,
        deducted_days,
        limit,
        why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> DayNumber {
        calendar::day_number(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn limits_run_in_calendar_months_to_the_same_day_or_the_months_last_day() {
        assert_eq!(limit_day(day("2021-01-10"), 6, 0), day("2021-07-10"));
        assert_eq!(limit_day(day("2021-08-31"), 6, 0), day("2022-02-28"));
        assert_eq!(limit_day(day("2023-08-31"), 6, 0), day("2024-02-29"));
        assert_eq!(limit_day(day("2021-11-30"), 3, 0), day("2022-02-28"));
        assert_eq!(limit_day(day("2021-01-10"), 6, 20), day("2021-07-30"));
    }

    #[test]
    fn each_procedure_has_its_limit() {
        use Procedure::*;
        let months = |p, t| statutory_limit(p, t).map(|l| l.months);
        assert_eq!(months(FirstInstance, TrialTrack::Unstated), Some(6));
        assert_eq!(months(FirstInstance, TrialTrack::Ordinary), Some(6));
        assert_eq!(months(FirstInstance, TrialTrack::Simple), Some(3));
        assert_eq!(months(FirstInstance, TrialTrack::SmallClaims), Some(2));
        assert_eq!(months(SecondInstance, TrialTrack::Unstated), Some(3));
        assert_eq!(months(FirstEnforcement, TrialTrack::Unstated), Some(6));
        assert_eq!(months(ResumedEnforcement, TrialTrack::Unstated), Some(6));
        assert_eq!(months(OtherEnforcement, TrialTrack::Unstated), None);
        assert_eq!(months(Bankruptcy, TrialTrack::Unstated), None);
    }

    #[test]
    fn age_bands_have_inclusive_upper_bounds() {
        let mut profile = AgeProfile::default();
        for age in [0, 90, 91, 180, 181, 365, 366] {
            profile.add(age);
        }
        assert_eq!(
            (
                profile.days_0_90,
                profile.days_91_180,
                profile.days_181_365,
                profile.over_365
            ),
            (2, 2, 2, 1)
        );
    }
}
