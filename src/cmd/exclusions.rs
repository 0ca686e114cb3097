//! `casemetrics cases --excluded` without `--indicator`: every case left out of any listable
//! indicator, with the indicator and the reason, in one listing — one run instead of one per
//! indicator.

use crate::cli::{CasesArgs, ListFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compute::ComputeOptions;
use crate::measure::indicators::{INDICATORS, Indicator};
use crate::measure::listing::list_cases;
use crate::model::cases::Register;
use crate::render::cases::fill_cells;
use crate::render::output::AtomicOutput;
use crate::render::text::{terminal_row, write_safe_record};

use super::cases::{LineFilter, Listing, read_listing};

/// The columns: one layout for every indicator (`deducted_days` is empty for an indicator that
/// does not subtract deducted days; `start` and `end` are the indicator's own dates).
const COLUMNS: [&str; 9] = [
    "indicator",
    "case_no",
    "court",
    "start",
    "end",
    "deducted_days",
    "reason",
    "file",
    "line",
];

/// Run `cases --excluded` for every listable indicator, in the indicator table's order.
pub(crate) fn run(args: &CasesArgs) -> Result<ExitStatus> {
    let outputs = super::outputs::resolve(args.format, ListFormat::Table, args.output.as_slice())?;
    let format = outputs
        .first()
        .map_or(ListFormat::Table, |(_, format)| *format);
    if format == ListFormat::Xlsx {
        return Err(Error::Usage(
            "cases --excluded without --indicator lists as a table or CSV; use --format csv, or give --indicator for a workbook".into(),
        ));
    }
    let Listing {
        register,
        cases,
        options,
        groups,
    } = read_listing(args)?;
    let mut filter = LineFilter::new(&register, args.court.as_deref(), groups);
    let mut output = AtomicOutput::begin(args.output.as_deref())?;
    match format {
        ListFormat::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .buffer_capacity(1 << 16)
                .from_writer(&mut output);
            write_safe_record(&mut writer, &COLUMNS);
            each_exclusion(&register, &cases, &options, &mut filter, |row| {
                write_safe_record(&mut writer, row);
                writer.get_ref().check()
            })?;
            // A failed flush is kept in `output`.
            let _ = writer.flush();
        }
        ListFormat::Table => {
            let mut listing = comfy_table::Table::new();
            listing.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            listing.set_header(COLUMNS);
            let mut count = 0;
            each_exclusion(&register, &cases, &options, &mut filter, |row| {
                listing.add_row(terminal_row(row));
                count += 1;
                Ok(())
            })?;
            let text = format!(
                "{listing}\n{count} exclusions over every listable indicator (a case left out of several is listed once for each)\n"
            );
            std::io::Write::write_all(&mut output, text.as_bytes()).ok();
        }
        ListFormat::Xlsx => {}
    }
    output.finish()?;
    Ok(ExitStatus::Ok)
}

/// Hand every excluded case of every listable indicator that `filter` keeps to `row`, laid out
/// as `COLUMNS`.
fn each_exclusion(
    register: &Register,
    cases: &CaseFrame,
    options: &ComputeOptions,
    filter: &mut LineFilter,
    mut row: impl FnMut(&[String]) -> Result<()>,
) -> Result<()> {
    let listable = INDICATORS.iter().filter(|indicator| indicator.listable());
    let (mut cells, mut laid_out) = (Vec::new(), Vec::new());
    for indicator in listable {
        list_cases(cases, indicator, options, true, |line| {
            if filter.keeps(line) {
                fill_cells(register, indicator, line, true, &mut cells);
                lay_out(indicator, &cells, &mut laid_out);
                row(&laid_out)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// One indicator's excluded-case cells (case_no, court, start, end, [deducted], reason, file,
/// line) in the common layout.
fn lay_out(indicator: &Indicator, cells: &[String], out: &mut Vec<String>) {
    out.clear();
    out.push(indicator.id.to_string());
    out.extend(cells[..4].iter().cloned());
    if !indicator.net_of_deductions {
        out.push(String::new());
    }
    out.extend(cells[4..].iter().cloned());
}
