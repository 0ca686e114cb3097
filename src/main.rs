//! The `casemetrics` binary: parses arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = casemetrics::cli::Cli::parse();
    match casemetrics::cmd::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(error) => {
            eprintln!("casemetrics: {error}");
            ExitCode::from(error.exit_status() as u8)
        }
    }
}
