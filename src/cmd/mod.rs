//! One module per subcommand, each with a `run(args)`; shared reading of inputs and filters here.

pub mod cases;
mod exclusions;
pub(crate) mod outputs;
pub(crate) mod pending;
pub(crate) mod profile;
pub(crate) mod report;
pub(crate) mod validate;

use crate::cli::{FilterArgs, InputArgs, ScopeChoice};
use crate::error::{Error, ExitStatus, Result};
use crate::measure::quality::Quality;
use crate::model::cases::CaseTable;
use crate::model::period::Period;
use crate::read::dates::parse_day;
use crate::read::profile::Profile;
use crate::read::{ReadOptions, read_exports, today_from_clock};

/// Read the inputs as the options say.
/// `quiet`: no progress bar either.
pub(crate) fn read_inputs(
    input: &InputArgs,
    scope: ScopeChoice,
    quiet: bool,
) -> Result<(CaseTable, Quality)> {
    let profile = match &input.profile {
        Some(path) => Profile::load_profile(path)?,
        None => Profile::default(),
    };
    let options = ReadOptions {
        encoding: input.encoding.into(),
        delimiter: input
            .delimiter
            .as_deref()
            .map(parse_delimiter)
            .transpose()?,
        scope_all: scope == ScopeChoice::All,
        profile,
        show_progress: !quiet,
        sheet: input.sheet.clone(),
        threads: input.threads,
        today: Some(match &input.today {
            Some(text) => parse_today(text)?,
            None => today_from_clock(),
        }),
        ..ReadOptions::default()
    };
    let (table, quality) = read_exports(&input.inputs, &options)?;
    if let Some(threshold) = input.max_rejected_share {
        check_unused_share(&table, &quality, threshold)?;
    }
    if !quiet {
        note_no_usable_rows(&input.inputs, &table, &quality);
    }
    Ok((table, quality))
}

/// `--max-rejected-share`: fail, before anything is written, when more than `threshold` of the
/// rows read were not used as cases (`Quality::unused`), so that a cron job notices a broken
/// export instead of publishing figures from a fraction of it.
pub(crate) fn check_unused_share(
    table: &CaseTable,
    quality: &Quality,
    threshold: f64,
) -> Result<()> {
    let unused = quality.unused(table.columns.rows_without_any_date());
    let without_flag = dated_cases_without_flag(table, quality);
    let total = unused.total() + without_flag;
    if quality.rows_read == 0 || total as f64 <= threshold * quality.rows_read as f64 {
        return Ok(());
    }
    let share = total as f64 / quality.rows_read as f64;
    Err(Error::TooManyUnused(format!(
        "{} of {} rows read ({}%) were not used as cases ({} without a case number, {} with a conflicting case number, {} without any readable date, {} without a business flag): more than --max-rejected-share {threshold} ({}%); nothing written",
        total,
        quality.rows_read,
        crate::render::numbers::number(share * 100.0),
        unused.rejected,
        unused.conflicting,
        unused.no_readable_date,
        without_flag,
        crate::render::numbers::number(threshold * 100.0),
    )))
}

/// Kept cases with a readable date whose business flag (涉营商环境) was blank: out of scope, so
/// unused by every figure, like a row without a case number. A case without any readable date is
/// counted there instead, so no row is counted twice.
fn dated_cases_without_flag(table: &CaseTable, quality: &Quality) -> u64 {
    let blank: std::collections::HashSet<(&str, u64)> = quality
        .problems
        .iter()
        .filter(|p| p.reason == crate::measure::quality::BLANK_BUSINESS_FLAG)
        .map(|p| (p.file.as_str(), p.line))
        .collect();
    if blank.is_empty() {
        return 0;
    }
    let (register, columns) = (&table.register, &table.columns);
    (0..columns.len())
        .filter(|&row| blank.contains(&(register.source_name(row), u64::from(register.line[row]))))
        .filter(|&row| columns.has_any_date(row))
        .count() as u64
}

/// `-o FILE` naming one of the inputs would overwrite the export with the report: refused (exit
/// 2) before anything is read. The same file under another name (a link, `./x.csv`) counts.
pub(crate) fn refuse_output_over_input(
    outputs: &[std::path::PathBuf],
    inputs: &[std::path::PathBuf],
) -> Result<()> {
    for output in outputs {
        let clash = inputs
            .iter()
            .filter(|input| input.as_os_str() != "-")
            .find(|input| same_file(output, input));
        if let Some(input) = clash {
            return Err(Error::Usage(format!(
                "-o {} is also an input ({}): writing it would overwrite the export; choose another output file",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Whether two paths name one existing file (same device and inode on Unix, else the same
/// canonical path).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.is_file() && a.dev() == b.dev() && a.ino() == b.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// A quiet month: the export had a header but no row usable as a case, so every figure is
/// `no_data`. Said once on standard error (a diagnostic: `--quiet` silences it); the exit
/// status stays 0.
pub(crate) fn note_no_usable_rows(
    inputs: &[std::path::PathBuf],
    table: &CaseTable,
    quality: &Quality,
) {
    let columns = &table.columns;
    let dated = columns.len() as u64 - columns.rows_without_any_date();
    if dated > 0 {
        return;
    }
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let why = match quality.rows_read {
        0 => "no data rows below the header".to_string(),
        rows => format!("{rows} data rows, none a case with a readable date"),
    };
    eprintln!(
        "casemetrics: no rows were used ({}: {why}); every figure is no_data",
        names.join(", ")
    );
}

/// `--today`: a date in any of the export's formats; anything else is a usage error.
fn parse_today(text: &str) -> Result<crate::model::calendar::DayNumber> {
    match parse_day(text, &crate::model::calendar::DateRange::default()) {
        Ok(Some(day)) => Ok(day),
        _ => Err(Error::Usage(format!(
            "--today \"{text}\" is not a date: use YYYY-MM-DD (or 2021/3/5, 2021年3月5日, 20210305)"
        ))),
    }
}

/// `--delimiter`: one ASCII character, or `tab`.
pub(crate) fn parse_delimiter(text: &str) -> Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() && text != "\"" => Ok(text.as_bytes()[0]),
        _ => Err(Error::Usage(format!(
            "--delimiter \"{text}\" must be one ASCII character (e.g. , or ;) or `tab`"
        ))),
    }
}

/// The period the filter options name.
pub(crate) fn period_of(filter: &FilterArgs) -> Result<Period> {
    match (&filter.period, &filter.from, &filter.to) {
        (Some(period), _, _) => Period::parse(period),
        (None, None, None) => Ok(Period::all()),
        (None, from, to) => Period::between(from.as_deref(), to.as_deref()),
    }
}

/// Run a parsed command line; returns the exit status.
pub fn run(cli: crate::cli::Cli) -> Result<ExitStatus> {
    match cli.command {
        crate::cli::Command::Report(args) => report::run(&args),
        crate::cli::Command::Cases(args) => cases::run(&args),
        crate::cli::Command::Validate(args) => validate::run(&args),
        crate::cli::Command::Pending(args) => pending::run(&args),
        crate::cli::Command::Profile(command) => profile::run(&command),
    }
}
