//! `casemetrics cases`: every case behind a figure, so an auditor can check it line by line.

use std::collections::HashMap;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::cli::{CasesArgs, ListFormat};
use crate::error::Error;
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compute::ComputeOptions;
use crate::measure::groups::{GroupKey, group_label};
use crate::measure::indicators::{Indicator, Measure, parse_indicator};
use crate::measure::listing::{CaseLine, check_listable, list_cases};
use crate::model::cases::Register;
use crate::read::dates;
use crate::render::output::{AtomicOutput, write_output};
use crate::render::report::write_safe_record;

/// Run `cases`.
pub fn run(args: &CasesArgs) -> Result<ExitStatus> {
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
            let text = render_table(&register, indicator, &lines, args.excluded);
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

fn header(indicator: &Indicator, excluded: bool) -> Vec<String> {
    let mut columns = vec![
        "case_no".to_string(),
        "court".to_string(),
        format!("start_{}", indicator.start.field().id()),
        format!("end_{}", indicator.end.field().id()),
    ];
    if indicator.net_of_deductions {
        columns.push("deducted_days".to_string());
    }
    if excluded {
        columns.push("reason".to_string());
    } else {
        columns.push("days".to_string());
        if within_share(indicator) {
            columns.push("within_limit".to_string());
        }
    }
    columns.push("file".to_string());
    columns.push("line".to_string());
    columns
}

fn cells(
    register: &Register,
    indicator: &Indicator,
    line: &CaseLine,
    excluded: bool,
) -> Vec<String> {
    let mut cells = Vec::new();
    fill_cells(register, indicator, line, excluded, &mut cells);
    cells
}

/// The cells of one listed case, written into `cells` (its strings are reused from line to line:
/// a listing may have millions of lines).
fn fill_cells(
    register: &Register,
    indicator: &Indicator,
    line: &CaseLine,
    excluded: bool,
    cells: &mut Vec<String>,
) {
    use std::fmt::Write;
    let mut count = 0;
    let mut next = |cells: &mut Vec<String>| -> usize {
        if cells.len() == count {
            cells.push(String::new());
        }
        cells[count].clear();
        count += 1;
        count - 1
    };
    let cell = next(cells);
    register.case_numbers.write_to(line.row, &mut cells[cell]);
    let cell = next(cells);
    cells[cell].push_str(register.courts.label(line.court));
    for timestamp in [line.start, line.end] {
        let cell = next(cells);
        if let Some(timestamp) = timestamp {
            dates::write_timestamp(&mut cells[cell], timestamp);
        }
    }
    if indicator.net_of_deductions {
        let cell = next(cells);
        if let Some(days) = line.deducted {
            let _ = write!(cells[cell], "{days}");
        }
    }
    if excluded {
        let cell = next(cells);
        if let Some(exclusion) = line.exclusion {
            cells[cell].push_str(&exclusion.id(indicator));
        }
    } else {
        // Shortest text that reads back as the same number, so sums in a spreadsheet are exact.
        let cell = next(cells);
        if let Some(days) = line.days {
            let _ = write!(cells[cell], "{days}");
        }
        if within_share(indicator) {
            let cell = next(cells);
            cells[cell].push_str(match line.within {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            });
        }
    }
    let cell = next(cells);
    cells[cell].push_str(register.source_name(line.row));
    let cell = next(cells);
    let _ = write!(cells[cell], "{}", register.line[line.row]);
    cells.truncate(count);
}

/// The listing as a table, ending with the count and mean (for a within-days share: the share),
/// which equal the report's.
pub fn render_table(
    register: &Register,
    indicator: &Indicator,
    lines: &[CaseLine],
    excluded: bool,
) -> String {
    let mut out = String::new();
    let mut listing = Table::new();
    listing.load_style(UTF8_FULL_CONDENSED);
    listing.set_header(header(indicator, excluded));
    for line in lines {
        listing.add_row(cells(register, indicator, line, excluded));
    }
    out.push_str(&listing.to_string());
    out.push('\n');
    if excluded {
        out.push_str(&format!(
            "{} cases excluded from {}\n",
            lines.len(),
            indicator.id
        ));
    } else if within_share(indicator) {
        let within = lines.iter().filter(|l| l.within == Some(true)).count();
        let share = (!lines.is_empty()).then(|| within as f64 / lines.len() as f64);
        out.push_str(&format!(
            "{} cases in {}; {within} within the limit: share {}\n",
            lines.len(),
            indicator.id,
            share
                .map(crate::render::report::number)
                .unwrap_or_else(|| "-".into())
        ));
    } else {
        let mean = mean_days(lines);
        out.push_str(&format!(
            "{} cases in {}; mean {}\n",
            lines.len(),
            indicator.id,
            mean.map(crate::render::report::number)
                .unwrap_or_else(|| "-".into())
        ));
    }
    out
}

/// Whether the figure is the share of cases within a day limit (listed with a `within_limit`
/// column, and the share instead of the mean).
fn within_share(indicator: &Indicator) -> bool {
    matches!(indicator.measure, Measure::WithinDays { .. })
}

/// Mean of the days listed.
pub fn mean_days(lines: &[CaseLine]) -> Option<f64> {
    let days: Vec<f64> = lines.iter().filter_map(|l| l.days).collect();
    (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64)
}
