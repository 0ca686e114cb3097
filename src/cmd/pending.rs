//! `casemetrics pending`: the long-pending ledger (plan item 17) at an as-of date, with the age
//! profile of the open caseload and the disposition time.

use crate::cli::{LedgerFormat, PendingArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::measure::pending::{PendingOptions, pending_ledger};
use crate::model::calendar::{self, DateRange};
use crate::read::dates;
use crate::render::output::write_outputs;
use crate::render::pending::PendingReport;
use crate::render::text::terminal_text;

use super::outputs::{FileFormat, resolve, with_bom};

impl FileFormat for LedgerFormat {
    fn from_extension(extension: &str) -> Option<LedgerFormat> {
        match extension {
            "csv" => Some(LedgerFormat::Csv),
            "md" | "markdown" => Some(LedgerFormat::Markdown),
            "json" => Some(LedgerFormat::Json),
            "xlsx" => Some(LedgerFormat::Xlsx),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            LedgerFormat::Table => "table",
            LedgerFormat::Csv => "csv",
            LedgerFormat::Markdown => "markdown",
            LedgerFormat::Json => "json",
            LedgerFormat::Xlsx => "xlsx",
        }
    }
}

/// Run `pending`. The as-of date is checked before any input is read.
pub(crate) fn run(args: &PendingArgs) -> Result<ExitStatus> {
    let as_of = parse_as_of(&args.as_of)?;
    super::refuse_output_over_input(args.output.as_slice(), &args.input.inputs)?;
    let outputs = resolve(args.format, LedgerFormat::Table, args.output.as_slice())?;
    let (path, format) = outputs
        .into_iter()
        .next()
        .unwrap_or((None, LedgerFormat::Table));
    let (table, _quality) = super::read_inputs(&args.input, args.scope, false)?;
    let options = PendingOptions {
        as_of,
        gross: args.gross,
        court: args.court.clone(),
    };
    let ledger = pending_ledger(&table.columns, &table.register, &options);
    let report = PendingReport {
        register: &table.register,
        ledger: &ledger,
        options: &options,
    };
    let bytes = match format {
        LedgerFormat::Table => terminal_text(report.to_table()).into_bytes(),
        LedgerFormat::Csv => with_bom(report.to_csv(), args.bom),
        LedgerFormat::Markdown => report.to_markdown().into_bytes(),
        LedgerFormat::Json => report.to_json().into_bytes(),
        LedgerFormat::Xlsx => crate::render::xlsx::pending_workbook(&report)?,
    };
    write_outputs(&[(path.as_deref(), &bytes)])?;
    Ok(ExitStatus::Ok)
}

/// `--as-of`: a date in any of the export's formats; anything else is a usage error.
fn parse_as_of(text: &str) -> Result<calendar::DayNumber> {
    match dates::parse_day(text, &DateRange::default()) {
        Ok(Some(day)) => Ok(day),
        _ => Err(Error::Usage(format!(
            "--as-of \"{text}\" is not a date: use YYYY-MM-DD (or 2021/3/5, 2021年3月5日, 20210305)"
        ))),
    }
}
