//! `casemetrics pending`: the long-pending ledger (plan item 17) at an as-of date, with the age
//! profile of the open caseload and the disposition time.

use crate::cli::{LedgerFormat, PendingArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::measure::pending::{PendingOptions, pending_ledger};
use crate::model::calendar::{self, DateRange};
use crate::read::dates;
use crate::render::output::write_output;
use crate::render::pending::PendingReport;
use crate::render::text::terminal_safe;

/// Run `pending`. The as-of date is checked before any input is read.
pub(crate) fn run(args: &PendingArgs) -> Result<ExitStatus> {
    let as_of = parse_as_of(&args.as_of)?;
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
    let text = match args.format {
        LedgerFormat::Table => terminal_safe(report.to_table()),
        LedgerFormat::Csv => report.to_csv(),
        LedgerFormat::Markdown => report.to_markdown(),
        LedgerFormat::Json => report.to_json(),
    };
    write_output(args.output.as_deref(), &text)?;
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
