//! The `casemetrics` binary: parses arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug in casemetrics, never the user's input: say so in one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("casemetrics: internal error (please report): {info}");
    }));
    let cli = casemetrics::cli::Cli::parse();
    match casemetrics::cmd::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(error) => {
            eprintln!("casemetrics: {error}");
            ExitCode::from(error.exit_status() as u8)
        }
    }
}
