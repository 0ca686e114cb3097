//! `casemetrics cases`: every case behind a figure, so an auditor can check it line by line.

use std::collections::HashMap;

use crate::cli::{CasesArgs, ListFormat};
use crate::error::Error;
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compute::ComputeOptions;
use crate::measure::groups::{GroupKey, group_label};
use crate::measure::indicators::{Indicator, parse_indicator};
use crate::measure::listing::{CaseLine, check_listable, list_cases};
use crate::model::cases::Register;
use crate::render::cases::{fill_cells, header};
use crate::render::output::{AtomicOutput, write_output};
use crate::render::text::write_safe_record;

/// Run `cases`.
pub(crate) fn run(args: &CasesArgs) -> Result<ExitStatus> {
    let indicator = parse_indicator(&args.indicator)?;
    let groups = parse_groups(&args.group)?;
    let period = super::period_of(&args.filter)?;
    let (table, _quality) = super::read_inputs(&args.input, args.filter.scope, false)?;
    let register = table.register;
    let cases = CaseFrame::new(table.columns);
    let options = ComputeOptions {
        period,
        gross: args.filter.gross,
        ..ComputeOptions::default()
    };
    check_listable(indicator)?;
    let mut filter = LineFilter::new(&register, args.court.as_deref(), groups);
    match args.format {
        ListFormat::Csv => {
            // Written as the cases are measured, a chunk of rows at a time.
            let mut output = AtomicOutput::begin(args.output.as_deref())?;
            write_csv(
                &register,
                &cases,
                indicator,
                &options,
                args.excluded,
                &mut filter,
                &mut output,
            )?;
            output.finish()?;
        }
        ListFormat::Table => {
            // A table is laid out from all its rows: for listings small enough to read.
            let mut lines = Vec::new();
            list_cases(&cases, indicator, &options, args.excluded, |line| {
                if filter.keeps(line) {
                    lines.push(line.clone());
                }
                Ok(())
            })?;
            let text = crate::render::text::terminal_safe(crate::render::cases::table(
                &register,
                indicator,
                &lines,
                args.excluded,
            ));
            write_output(args.output.as_deref(), &text)?;
        }
    }
    Ok(ExitStatus::Ok)
}

/// `--court` and `--group KEY=LABEL`: which listed cases are shown.
pub struct LineFilter<'a> {
    register: &'a Register,
    court: Option<String>,
    groups: Vec<(GroupKey, String)>,
    /// Whether each (key, code) met seen so far has the wanted label: labels are looked up once
    /// per code, not once per case.
    matches: HashMap<(GroupKey, i64), bool>,
}

impl<'a> LineFilter<'a> {
    /// Keep the cases of court `court` (as written in 经办法院) whose groups have these labels.
    pub fn new(
        register: &'a Register,
        court: Option<&str>,
        groups: Vec<(GroupKey, String)>,
    ) -> LineFilter<'a> {
        LineFilter {
            register,
            court: court.map(|court| court.trim().to_string()),
            groups,
            matches: HashMap::new(),
        }
    }

    /// Whether `line` is shown.
    pub fn keeps(&mut self, line: &CaseLine) -> bool {
        if let Some(court) = &self.court
            && self.register.courts.label(line.court) != court
        {
            return false;
        }
        let (register, matches) = (self.register, &mut self.matches);
        self.groups.iter().all(|(key, label)| {
            line.group_code(*key).is_some_and(|code| {
                *matches
                    .entry((*key, code))
                    .or_insert_with(|| group_label(register, *key, code) == *label)
            })
        })
    }
}

/// Write the CSV listing of `indicator`'s cases that `filter` keeps to `output`, each chunk of
/// rows as soon as it is measured. The bytes do not depend on `options.chunk_rows`.
pub fn write_csv(
    register: &Register,
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
    filter: &mut LineFilter,
    output: &mut AtomicOutput,
) -> Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(&mut *output);
    write_safe_record(&mut writer, &header(indicator, excluded));
    let mut row = Vec::new();
    list_cases(cases, indicator, options, excluded, |line| {
        if filter.keeps(line) {
            fill_cells(register, indicator, line, excluded, &mut row);
            write_safe_record(&mut writer, &row);
            // A failed write stops the listing; `finish` would report it anyway.
            writer.get_ref().check()?;
        }
        Ok(())
    })?;
    // A failed flush is kept in `output`.
    let _ = writer.flush();
    drop(writer);
    output.check()
}

/// `--group KEY=LABEL` pairs; an unknown key or a missing `=` is a usage error.
fn parse_groups(pairs: &[String]) -> Result<Vec<(GroupKey, String)>> {
    pairs
        .iter()
        .map(|pair| {
            let (key, label) = pair.split_once('=').ok_or_else(|| {
                Error::Usage(format!(
                    "--group \"{pair}\" must be KEY=LABEL, e.g. month=2021-04"
                ))
            })?;
            let key = GroupKey::parse(key, "--group")?;
            Ok((key, label.trim().to_string()))
        })
        .collect()
}
