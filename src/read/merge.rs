//! The merge of parsed blocks into the run's case table, in file order: a case number seen
//! before makes a row a duplicate (identical cells) or a conflicting row (other values), and the
//! first row is kept, whatever the number of threads.

use crate::measure::quality::{FieldCounts, Problem, Quality};
use crate::model::case_keys::Filed;
use crate::model::cases::{CaseTable, CodeRemaps, NO_ROW, procedure_code};
use crate::model::fields::FIELD_COUNT;
use crate::read::ReadStop;
use crate::read::case_index::CaseIndex;
use crate::read::case_number::{self, Procedure};
use crate::read::options::ReadOptions;
use crate::read::profile::AppealLink;
use crate::read::rows::{BlockProblem, ParsedBlock, SourceContext};

/// How many rows ahead the merge asks for the index slots a row's look-up will read.
// why: with tens of millions of cases each look-up is a cache miss; asked for a few rows early,
// the memory is read while the rows in between are merged.
const PREFETCH_AHEAD: usize = 8;

/// The problems of a block not yet taken, in row order.
type BlockProblems<'b> = std::iter::Peekable<std::slice::Iter<'b, BlockProblem>>;

/// Fills a `CaseTable` source by source.
pub(super) struct TableBuilder<'a> {
    /// How to read the inputs.
    pub(super) options: &'a ReadOptions,
    /// The cases kept so far.
    pub(super) table: CaseTable,
    /// What could not be used so far.
    pub(super) quality: Quality,
    /// Kept rows by canonical case number, to find duplicates and first-instance cases.
    pub(super) by_case_no: CaseIndex,
    /// Hash of each kept row's cells, to tell exact duplicates from conflicting rows. 32 bits
    /// are enough: only rows with the same case number are compared, and a collision (about 1
    /// in 4 billion for each conflicting row) would only call a conflicting row a duplicate; the
    /// first row is kept either way.
    pub(super) row_hash: Vec<u32>,
    /// Appeal rows naming a first-instance case, resolved once every input is read: the row and
    /// where the canonical number it names ends in `original_texts`.
    pub(super) originals: Vec<(u32, u32)>,
    /// The numbers `originals` name, one after another.
    pub(super) original_texts: String,
    /// With `[appeal] link = "same_case_number"`: first-instance rows by canonical case number.
    pub(super) first_instance_by_number: std::collections::HashMap<String, u32>,
}

/// How far a `TableBuilder` had got before a file, to undo the file when it must be read again.
pub(super) struct BuilderCheckpoint {
    cases: usize,
    problems: usize,
    counts: (u64, u64, u64, u64),
    fields: [FieldCounts; FIELD_COUNT],
    originals: usize,
    labels: [usize; 4],
}

impl<'a> TableBuilder<'a> {
    /// An empty table, to be filled as `options` say.
    pub(super) fn new(options: &'a ReadOptions) -> Self {
        TableBuilder {
            options,
            table: CaseTable::default(),
            quality: Quality::default(),
            by_case_no: CaseIndex::default(),
            row_hash: Vec::new(),
            originals: Vec::new(),
            original_texts: String::new(),
            first_instance_by_number: std::collections::HashMap::new(),
        }
    }

    /// Add a parsed block's case rows, in file order: a case number seen before makes the row a
    /// duplicate (identical cells) or a conflicting row (other values); the first row is kept.
    pub(super) fn merge(
        &mut self,
        context: &SourceContext<'_>,
        source_index: u16,
        mut block: ParsedBlock,
    ) -> Result<(), ReadStop> {
        if let Some(stop) = block.stop.take() {
            return Err(stop);
        }
        self.quality.rejected += block.rejected;
        self.quality.case_numbers_normalised += block.case_numbers_normalised;
        let remaps = self.remap_labels(&block);
        let register = &mut self.table.register;
        register.begin_source(usize::from(source_index));
        let key_remap = register.case_numbers.remap(&block.numbers);
        let candidates = block.numbers.len();
        let mut kept: Vec<u32> = Vec::with_capacity(candidates);
        let mut row_of: Vec<u32> = Vec::with_capacity(candidates);
        let filed: Vec<Filed<'_>> = (0..candidates)
            .map(|candidate| {
                register
                    .case_numbers
                    .filed(&block.numbers, &key_remap, candidate)
            })
            .collect();
        let mut problems = block.problems.iter().peekable();
        for candidate in 0..candidates {
            if let Some(ahead) = filed.get(candidate + PREFETCH_AHEAD) {
                self.by_case_no.prefetch(ahead.hash);
            }
            // Problems of rows before this one that could not be cases.
            while let Some(problem) =
                problems.next_if(|p| p.candidate as usize == candidate && !p.own)
            {
                self.quality.problems.push(problem.problem.clone());
            }
            let row = self.merge_row(
                context,
                source_index,
                &block,
                &filed[candidate],
                candidate,
                &mut problems,
            );
            if row != NO_ROW {
                kept.push(candidate as u32);
            }
            row_of.push(row);
        }
        for problem in problems {
            self.quality.problems.push(problem.problem.clone());
        }
        let rows = (kept.len() < candidates).then_some(kept.as_slice());
        self.table.columns.append(&block.columns, rows, &remaps);
        self.keep_originals(&block.originals, &row_of);
        Ok(())
    }

    /// The run's codes for the block's court, cause, department and judge codes.
    fn remap_labels(&mut self, block: &ParsedBlock) -> CodeRemaps {
        let register = &mut self.table.register;
        CodeRemaps {
            courts: register.courts.remap(&block.courts),
            causes: register.causes.remap(&block.causes),
            departments: register.departments.remap(&block.departments),
            judges: register.judges.remap(&block.judges),
        }
    }

    /// Merge case row `candidate` of `block`: its row in the table, or `NO_ROW` when its case
    /// number was seen before.
    fn merge_row(
        &mut self,
        context: &SourceContext<'_>,
        source_index: u16,
        block: &ParsedBlock,
        filed: &Filed<'_>,
        candidate: usize,
        problems: &mut BlockProblems<'_>,
    ) -> u32 {
        let register = &mut self.table.register;
        let Filed {
            probe,
            ref canonical,
            hash,
        } = *filed;
        let index = register.len() as u32;
        let stored = &register.case_numbers;
        let earlier = self.by_case_no.find_or_insert(
            hash,
            index,
            |kept| stored.matches(kept as usize, probe, canonical),
            |kept| stored.hash_stored(kept as usize),
        );
        if let Some(earlier) = earlier {
            self.report_repeat(context, source_index, block, candidate, earlier);
            // Its own values were never used, so their problems are not counted.
            while problems
                .next_if(|p| p.candidate as usize == candidate && p.own)
                .is_some()
            {}
            return NO_ROW;
        }
        let register = &mut self.table.register;
        register.case_numbers.push(probe, canonical);
        register.line.push(block.lines[candidate]);
        self.row_hash.push(block.row_hash[candidate] as u32);
        self.count_own_problems(candidate, problems);
        self.count_missing(block.missing[candidate]);
        if self.options.profile.appeal_link == AppealLink::SameCaseNumber
            && block.columns.procedure(candidate) == procedure_code(Procedure::FirstInstance)
        {
            let number = case_number::canonical_case_number(block.case_no_as_written(candidate));
            self.first_instance_by_number
                .entry(number.into_owned())
                .or_insert(index);
        }
        index
    }

    /// Report case row `candidate` as a duplicate or a conflicting row of row `earlier`.
    fn report_repeat(
        &mut self,
        context: &SourceContext<'_>,
        source_index: u16,
        block: &ParsedBlock,
        candidate: usize,
        earlier: u32,
    ) {
        let register = &self.table.register;
        let earlier_line = register.line[earlier as usize];
        let earlier_source = register.source_of(earlier as usize);
        let place = if earlier_source == usize::from(source_index) {
            format!("line {earlier_line}")
        } else {
            format!(
                "{} line {earlier_line}",
                register.sources[earlier_source].name
            )
        };
        let reason = if self.row_hash[earlier as usize] == block.row_hash[candidate] as u32 {
            self.quality.duplicates += 1;
            format!("duplicate row: identical to {place}; counted once")
        } else {
            self.quality.conflicting += 1;
            format!("case number already on {place} with other values; the first row is kept")
        };
        self.quality.problems.push(Problem {
            file: context.name.to_string(),
            line: u64::from(block.lines[candidate]),
            column: String::new(),
            value: block.case_no_as_written(candidate).to_string(),
            reason,
        });
    }

    /// Take the problems of kept case row `candidate`, counting its invalid values.
    fn count_own_problems(&mut self, candidate: usize, problems: &mut BlockProblems<'_>) {
        while let Some(problem) = problems.next_if(|p| p.candidate as usize == candidate && p.own) {
            if let Some(field) = problem.invalid {
                self.quality.fields[field as usize].invalid += 1;
            }
            self.quality.problems.push(problem.problem.clone());
        }
    }

    /// Count the fields a kept row left empty, one bit per field.
    fn count_missing(&mut self, mut empty_fields: u32) {
        while empty_fields != 0 {
            self.quality.fields[empty_fields.trailing_zeros() as usize].missing += 1;
            empty_fields &= empty_fields - 1;
        }
    }

    /// Keep the first-instance numbers named by the block's kept appeal rows, for linking once
    /// every input is read.
    fn keep_originals(&mut self, originals: &[(u32, String)], row_of: &[u32]) {
        for (candidate, original) in originals {
            let row = row_of[*candidate as usize];
            if row != NO_ROW {
                self.original_texts.push_str(original);
                self.originals.push((row, self.original_texts.len() as u32));
            }
        }
    }

    /// Size every column once for about `rows` more cases.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.table.columns.reserve(rows);
        self.table.register.line.reserve(rows);
        self.table.register.case_numbers.reserve(rows);
        self.row_hash.reserve(rows);
        let numbers = &self.table.register.case_numbers;
        self.by_case_no
            .reserve(rows, |kept| numbers.hash_stored(kept as usize));
    }

    /// How far the table has got, to undo a file read in the wrong encoding.
    pub(super) fn checkpoint(&self) -> BuilderCheckpoint {
        let register = &self.table.register;
        BuilderCheckpoint {
            cases: self.table.len(),
            problems: self.quality.problems.len(),
            counts: (
                self.quality.rows_read,
                self.quality.duplicates,
                self.quality.conflicting,
                self.quality.rejected,
            ),
            fields: self.quality.fields,
            originals: self.originals.len(),
            labels: [
                register.courts.labels().len(),
                register.causes.labels().len(),
                register.departments.labels().len(),
                register.judges.labels().len(),
            ],
        }
    }

    /// Forget everything read since `checkpoint` was taken.
    pub(super) fn rollback(&mut self, checkpoint: BuilderCheckpoint) {
        let register = &mut self.table.register;
        let numbers = &register.case_numbers;
        self.by_case_no.truncate(checkpoint.cases as u32, |row| {
            numbers.hash_stored(row as usize)
        });
        register.case_numbers.truncate(checkpoint.cases);
        register.truncate_sources(checkpoint.cases);
        register.line.truncate(checkpoint.cases);
        register.courts.truncate(checkpoint.labels[0]);
        register.causes.truncate(checkpoint.labels[1]);
        register.departments.truncate(checkpoint.labels[2]);
        register.judges.truncate(checkpoint.labels[3]);
        self.table.columns.truncate(checkpoint.cases);
        self.row_hash.truncate(checkpoint.cases);
        self.originals.truncate(checkpoint.originals);
        let texts_end = self.originals.last().map_or(0, |&(_, end)| end as usize);
        self.original_texts.truncate(texts_end);
        self.first_instance_by_number
            .retain(|_, row| (*row as usize) < checkpoint.cases);
        self.quality.problems.truncate(checkpoint.problems);
        (
            self.quality.rows_read,
            self.quality.duplicates,
            self.quality.conflicting,
            self.quality.rejected,
        ) = checkpoint.counts;
        self.quality.fields = checkpoint.fields;
    }
}
