//! The checks of a case row that the profile's rules add: procedures by `[[procedure.rules]]`,
//! the case number's year (CNJ check digits verified) and a filing year that contradicts it.

use crate::measure::quality::Problem;
use crate::model::calendar::{DayNumber, date_of, month_key};
use crate::model::columns::ValueState;
use crate::model::fields::{DateField, Field};
use crate::read::case_number::{self, Procedure};
use crate::read::cnj;
use crate::read::profile::CaseNumberFormat;

use super::{BlockBuilder, BlockProblem};
use crate::read::blocks::Row;

impl BlockBuilder<'_> {
    /// The year a case number carries: a 案号's (2021), a CNJ number's AAAA (whose check digits
    /// are verified here: a wrong one is an invalid case number, like an unreadable 案号).
    pub(super) fn number_year(
        &mut self,
        text: &str,
        parsed: Option<&case_number::CaseNumber>,
    ) -> Option<u16> {
        match self.context.options.profile.case_numbers {
            CaseNumberFormat::Cn => parsed.map(|p| p.year),
            CaseNumberFormat::Text => None,
            CaseNumberFormat::Cnj => match cnj::parse_cnj(text) {
                Ok(number) => Some(number.year),
                Err(error) => {
                    self.count_invalid(Field::CaseNo, text, &error.to_string());
                    None
                }
            },
        }
    }

    /// With CNJ numbers and no court column, the court is the number's J.TR.OOOO (`8.26.0100`):
    /// the originating court it carries. None for a number that does not read.
    pub(super) fn cnj_court(&self, case_no_text: &str) -> Option<String> {
        let cnj = self.context.options.profile.case_numbers == CaseNumberFormat::Cnj;
        if !cnj || self.context.columns.has(Field::Court) {
            return None;
        }
        cnj::parse_cnj(case_no_text)
            .ok()
            .map(|number| number.origin)
    }

    /// A filing date before the year of the case number is reported (not counted invalid:
    /// which of the two is wrong cannot be told).
    pub(super) fn check_filing_year(&mut self, filed_text: &str, number_year: Option<u16>) {
        if number_year.is_none() || filed_text.is_empty() {
            return;
        }
        let filed_year = match self.filed_day_read() {
            Some(day) => Some(month_key(day).div_euclid(12)),
            // Not read as a date of this run (unreadable, or after --today): read it again,
            // without the --today check, for its year.
            None => self
                .read_date(filed_text)
                .ok()
                .flatten()
                .map(|t| chrono::Datelike::year(&date_of(t.day))),
        };
        if let Some(year) = cnj::filing_year_contradiction(filed_year, number_year) {
            let reason = format!(
                "filed in {year}, before the year {} of its case number",
                number_year.unwrap_or_default()
            );
            self.push_problem(true, None, Field::FiledAt, filed_text, &reason);
        }
    }

    /// The registration day of the case row being filled, when its 立案日期 was read.
    fn filed_day_read(&self) -> Option<DayNumber> {
        let filed = self.out.columns.date(DateField::Filed);
        let row = filed.len().checked_sub(1)?;
        (filed.state(row) == ValueState::Present as u8).then(|| filed.day(row))
    }

    /// The procedure by the profile's `[[procedure.rules]]`: the first that holds, else its
    /// `default`; None when the profile has no rules. A row no rule matches, with no default, is
    /// reported and counted as other.
    pub(super) fn procedure_by_rules(&mut self, record: &Row<'_>) -> Option<Procedure> {
        let profile = &self.context.options.profile;
        if profile.procedure_rules.is_empty() {
            return None;
        }
        let rules = &self.context.conditions.rules;
        if let Some((_, procedure)) = rules.iter().find(|(rule, _)| rule.holds_in(record)) {
            return Some(*procedure);
        }
        if let Some(procedure) = profile.procedure_default {
            return Some(procedure);
        }
        let columns = rules
            .first()
            .map(|(rule, _)| rule.columns(self.context.columns))
            .unwrap_or_default();
        let value = rules
            .first()
            .map(|(rule, _)| rule.cells_of(record))
            .unwrap_or_default();
        self.push_rule_problem(&columns, &value);
        Some(Procedure::Other)
    }

    /// A row that no `[[procedure.rules]]` matches, with no `[procedure] default`.
    fn push_rule_problem(&mut self, columns: &str, value: &str) {
        let candidate = self.candidate();
        self.out.problems.push(BlockProblem {
            candidate,
            own: true,
            invalid: Some(Field::Procedure),
            problem: Problem {
                file: self.context.name.to_string(),
                line: self.line,
                column: columns.to_string(),
                value: value.to_string(),
                reason: "no [[procedure.rules]] rule matches and the profile has no [procedure] default; counted as other".to_string(),
            },
        });
    }
}
