//! The library's typed errors and the exit codes they map to.

use std::path::PathBuf;

/// Exit status of a run, as the README's exit-code table lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The input was read and the report written (even if rows were bad).
    Ok = 0,
    /// An input file, config or targets file could not be used (or changed while read), an output
    /// could not be written, or `--max-rejected-share` was exceeded.
    InputError = 1,
    /// The command line was wrong (unknown option value, malformed period …).
    UsageError = 2,
    /// `--fail-on-miss` was given and at least one target was missed.
    TargetMissed = 3,
}

/// Everything that stops a run. Each variant renders as one line naming the file (and line) at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file that cannot be used as an export; `line` is given when the fault is at a known line.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Input {
        /// The file.
        path: PathBuf,
        /// The line at fault, when there is one.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A config, targets or profile file that does not parse or names something unknown.
    #[error("{}: {message}", path.display())]
    Profile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A command-line value that makes no sense (reported with exit code 2).
    #[error("{0}")]
    Usage(String),
    /// `--max-rejected-share`: too many rows read were not used as cases.
    #[error("{0}")]
    TooManyUnused(String),
    /// A failure inside the computation that no input can cause: a bug, reported as such without
    /// the engine's own wording (which would mean nothing to a user).
    #[error("internal error while computing {what} (please report it)")]
    Internal {
        /// What was being computed.
        what: String,
        /// The engine's message, kept for debugging; not shown.
        detail: String,
    },
    /// An output that could not be written.
    #[error("cannot write {}: {message}", path.display())]
    Output {
        /// The output path.
        path: PathBuf,
        /// Why it could not be written.
        message: String,
    },
}

impl Error {
    /// The exit code this error gives the process.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage(_) => ExitStatus::UsageError,
            _ => ExitStatus::InputError,
        }
    }

    pub(crate) fn input(
        path: impl Into<PathBuf>,
        line: Option<u64>,
        message: impl Into<String>,
    ) -> Self {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Profile {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Result with the library's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Turn an error from polars into an internal error naming what we were computing. polars only
/// fails here on an internal inconsistency, never on user data, but we still refuse to panic.
pub(crate) fn computing(what: &str, error: impl std::fmt::Display) -> Error {
    Error::Internal {
        what: what.to_string(),
        detail: error.to_string(),
    }
}
