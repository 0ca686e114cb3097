//! Linking appeals (上诉案件) to the first-instance cases (原审案件) they name, once every input is
//! read: by the number in the appeal's 原审案号 column, or (`[appeal] link = "same_case_number"`)
//! by the case number the two share.

use crate::measure::quality::{BLANK_BUSINESS_FLAG, Quality, ScopeCounts};
use crate::model::calendar::Timestamp;
use crate::model::case_keys::{CaseNumbers, Probe};
use crate::model::cases::CaseColumns;
use crate::model::cases::CaseTable;
use crate::model::columns::{DateColumn, ValueState};
use crate::model::fields::DateField;
use crate::parallel;
use crate::read::case_index::CaseIndex;
use crate::read::case_number;
use crate::read::merge::TableBuilder;
use crate::read::profile::{AppealLink, AppealStart};

impl TableBuilder<'_> {
    /// Link appeals to their first-instance rows, now that every input is read.
    pub(super) fn finish(mut self) -> (CaseTable, Quality) {
        // Rows are no longer compared: their hashes can go before the look-ups below.
        self.row_hash = Vec::new();
        let originals = std::mem::take(&mut self.originals);
        let texts = std::mem::take(&mut self.original_texts);
        let named = OriginalNumbers {
            originals: &originals,
            texts: &texts,
        };
        let links = if self.options.profile.appeal_link == AppealLink::SameCaseNumber {
            self.links_by_same_number(&named)
        } else {
            self.links_by_original_number(&named)
        };
        for (appeal, row) in links {
            self.table.columns.link_first_instance(appeal, row);
        }
        let columns = &self.table.columns;
        let in_scope = (0..columns.len())
            .filter(|&row| columns.in_scope(row))
            .count() as u64;
        self.quality.scope = ScopeCounts {
            in_scope,
            out_of_scope: columns.len() as u64 - in_scope,
            without_flag: self
                .quality
                .problems
                .iter()
                .filter(|p| p.reason == BLANK_BUSINESS_FLAG)
                .count() as u64,
        };
        let start = self.options.profile.appeal_start;
        self.table.register.appeal_start = start;
        self.table.register.court_name = self.options.profile.court.clone();
        if start == AppealStart::FirstInstanceClosedAt {
            start_appeals_at_first_instance_closing(&mut self.table.columns);
        }
        (self.table, self.quality)
    }

    /// (appeal row, first-instance row) in appeal order, by the case number both share.
    fn links_by_same_number(&self, named: &OriginalNumbers<'_>) -> Vec<(u32, u32)> {
        (0..named.originals.len())
            .filter_map(|index| {
                let row = self.first_instance_by_number.get(named.text(index))?;
                Some((named.originals[index].0, *row))
            })
            .collect()
    }

    /// (appeal row, first-instance row) in appeal order, by the number of the first-instance case
    /// each appeal names.
    fn links_by_original_number(&self, named: &OriginalNumbers<'_>) -> Vec<(u32, u32)> {
        let numbers = &self.table.register.case_numbers;
        let by_case_no = &self.by_case_no;
        let threads = self.options.parser_threads();
        let indices: Vec<u32> = (0..named.originals.len() as u32).collect();
        // why: with tens of millions of cases the look-ups (about a million) ran alone on one
        // core between reading and measuring, 0.66 s of a 10M-case report.
        let run = indices.len().div_ceil(threads).max(1);
        let mut sought: Vec<Sought> = parallel::in_item_order(&indices, threads, run, |&index| {
            Sought::new(numbers, by_case_no, named, index as usize)
        });
        drop(indices);
        // Looked up in the order of their slots in the index, not in file order: with tens of
        // millions of cases the index is far larger than the processor's caches, and walking it
        // in order turns a cache miss per appeal into a stream of neighbouring reads.
        sought.sort_unstable();
        let runs: Vec<&[Sought]> = sought.chunks(SOUGHT_RUN).collect();
        let found = parallel::in_item_order(&runs, threads, 1, |run| {
            self.first_instance_rows(run, named)
        });
        let mut links: Vec<(u32, u32)> = found.into_iter().flatten().collect();
        links.sort_unstable();
        links
    }

    /// (appeal row, first-instance row) for each of `run` whose first-instance case was read.
    fn first_instance_rows(&self, run: &[Sought], named: &OriginalNumbers<'_>) -> Vec<(u32, u32)> {
        let numbers = &self.table.register.case_numbers;
        let by_case_no = &self.by_case_no;
        let mut rows = Vec::with_capacity(run.len());
        for (position, one) in run.iter().enumerate() {
            // The stored number a look-up compares with is a cache miss (rows are in file order,
            // look-ups in slot order): it is asked for a few look-ups early.
            if let Some(Sought {
                probe: Probe::Packed(key),
                ..
            }) = run.get(position + PREFETCH_AHEAD)
            {
                let hash = numbers.hash_probe(Probe::Packed(*key), "");
                if let Some(row) = by_case_no.first_candidate(hash) {
                    numbers.prefetch(row as usize);
                }
            }
            let text = match one.probe {
                Probe::Packed(_) => "",
                Probe::Text => named.text_of_appeal(one.appeal),
            };
            let hash = numbers.hash_probe(one.probe, text);
            if let Some(row) =
                by_case_no.find(hash, |kept| numbers.matches(kept as usize, one.probe, text))
            {
                rows.push((one.appeal, row));
            }
        }
        rows
    }
}

/// With `[appeal] start = "first_instance_closed_at"`, each linked appeal's start is the closing
/// (judgment) date of its first-instance case, as read there (missing or unreadable included);
/// every other row has none.
// why: exports without an "appeal received" date (DataJud) measure the transfer from the
// first-instance judgment (issue 15, point 2); the appeal row's own dates never stand in.
fn start_appeals_at_first_instance_closing(columns: &mut CaseColumns) {
    let closed = columns.date(DateField::Closed);
    let mut starts = match DateField::AppealReceived.keeps_time() {
        true => DateColumn::with_time(),
        false => DateColumn::date_only(),
    };
    starts.reserve(columns.len());
    let mut links = columns.first_instance_links().iter().peekable();
    for row in 0..columns.len() {
        let first_instance = match links.peek() {
            Some(&&(appeal, first)) if appeal as usize == row => {
                links.next();
                Some(first as usize)
            }
            _ => None,
        };
        let Some(first) = first_instance else {
            starts.push(None, ValueState::Missing);
            continue;
        };
        let state = ValueState::from_code(closed.state(first));
        let seconds = u32::try_from(closed.seconds(first)).ok();
        let day = closed.day(first);
        starts.push(Some(Timestamp { day, seconds }), state);
    }
    *columns.date_mut(DateField::AppealReceived) = starts;
}

/// The first-instance numbers appeal rows name: (appeal row, end of its number in `texts`).
struct OriginalNumbers<'a> {
    originals: &'a [(u32, u32)],
    texts: &'a str,
}

impl OriginalNumbers<'_> {
    /// The number the `index`th appeal names.
    fn text(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.originals[before].1 as usize);
        &self.texts[start..self.originals[index].1 as usize]
    }

    /// The number appeal row `appeal` names (appeals are kept in row order).
    fn text_of_appeal(&self, appeal: u32) -> &str {
        let index = self.originals.partition_point(|&(row, _)| row < appeal);
        self.text(index)
    }
}

/// Look-ups of first-instance numbers handed to a core at a time.
const SOUGHT_RUN: usize = 65_536;

/// How many look-ups ahead the stored number a look-up compares with is asked for.
const PREFETCH_AHEAD: usize = 8;

/// The first-instance number an appeal names, parsed once, to be looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Sought {
    /// Where its look-up starts in the index: look-ups are made in this order.
    start: u32,
    /// The appeal's row.
    appeal: u32,
    /// The number as a probe of the run's case numbers.
    probe: Probe,
}

impl Sought {
    /// The `index`th named number, parsed.
    fn new(
        numbers: &CaseNumbers,
        by_case_no: &CaseIndex,
        named: &OriginalNumbers<'_>,
        index: usize,
    ) -> Sought {
        let (probe, hash) = probe_of(numbers, named.text(index));
        Sought {
            start: by_case_no.start(hash) as u32,
            appeal: named.originals[index].0,
            probe,
        }
    }
}

/// A first-instance number as a probe of the run's case numbers, and its hash.
fn probe_of(numbers: &CaseNumbers, original: &str) -> (Probe, u64) {
    let parsed = case_number::parse_canonical(original).ok();
    let probe = numbers.probe(original, parsed.as_ref());
    (probe, numbers.hash_probe(probe, original))
}
