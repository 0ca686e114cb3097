//! One module per subcommand, each with a `run(args)`; shared reading of inputs and filters here.

pub mod cases;
pub mod pending;
pub mod report;
pub mod validate;

use crate::cases::CaseTable;
use crate::cli::{FilterArgs, InputArgs, ScopeChoice};
use crate::config::Config;
use crate::error::{Error, ExitStatus, Result};
use crate::input::{ReadOptions, read_exports};
use crate::period::Period;
use crate::quality::Quality;

/// Read the inputs as the options say.
/// `quiet`: no progress bar either.
pub fn read_inputs(
    input: &InputArgs,
    scope: ScopeChoice,
    quiet: bool,
) -> Result<(CaseTable, Quality)> {
    let config = match &input.profile {
        Some(path) => Config::load_profile(path)?,
        None => Config::default(),
    };
    let options = ReadOptions {
        encoding: input.encoding,
        delimiter: input
            .delimiter
            .as_deref()
            .map(parse_delimiter)
            .transpose()?,
        scope_all: scope == ScopeChoice::All,
        config,
        show_progress: !quiet,
        sheet: input.sheet.clone(),
        ..ReadOptions::default()
    };
    read_exports(&input.inputs, &options)
}

/// `--delimiter`: one ASCII character, or `tab`.
pub fn parse_delimiter(text: &str) -> Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() && text != "\"" => Ok(text.as_bytes()[0]),
        _ => Err(Error::Usage(format!(
            "--delimiter \"{text}\" must be one ASCII character (e.g. , or ;) or `tab`"
        ))),
    }
}

/// The period the filter options name.
pub fn period_of(filter: &FilterArgs) -> Result<Period> {
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
    }
}
