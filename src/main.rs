//! The `casemetrics` binary: parses arguments and hands them to the library.

use std::process::ExitCode;

use casemetrics::error::{Error, ExitStatus};
use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug in casemetrics, never the user's input: say so in one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("casemetrics: internal error (please report): {info}");
    }));
    let cli = casemetrics::cli::Cli::parse();
    match run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(error) => {
            // The whole chain on one line, as ripgrep prints it.
            eprintln!("casemetrics: {error:#}");
            ExitCode::from(exit_status(&error) as u8)
        }
    }
}

/// Run the command; the library's typed errors travel up the anyhow chain unchanged.
fn run(cli: casemetrics::cli::Cli) -> anyhow::Result<ExitStatus> {
    Ok(casemetrics::cmd::run(cli)?)
}

/// The exit status of a failed run: the library error's own, else 1.
fn exit_status(error: &anyhow::Error) -> ExitStatus {
    error
        .downcast_ref::<Error>()
        .map_or(ExitStatus::InputError, Error::exit_status)
}
