//! How to read the inputs: the options a run gives the reader.

use crate::model::calendar::{DayNumber, days_from_civil};
use crate::read::encoding::EncodingChoice;
use crate::read::profile::Profile;

/// How to read the inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force an encoding, or detect it.
    pub encoding: EncodingChoice,
    /// Force a delimiter, or detect it from the header line (comma, tab or semicolon).
    pub delimiter: Option<u8>,
    /// `--scope all`: every case is in scope, whatever the export says.
    pub scope_all: bool,
    /// Header aliases, scope causes and date range.
    pub profile: Profile,
    /// Show a progress bar for large files when standard error is a terminal (off with `--quiet`).
    pub show_progress: bool,
    /// Threads parsing rows (0: one per core). The result does not depend on it.
    pub threads: usize,
    /// Bytes of rows parsed at a time by one thread. The result does not depend on it.
    pub block_bytes: usize,
    /// `--sheet`: the worksheet read from every spreadsheet input (default: the first).
    pub sheet: Option<String>,
    /// The day of the run (`--today`): a date after it is invalid, "in the future". `None`: no
    /// such check (the library's default; the command line always sets it).
    pub today: Option<DayNumber>,
}

/// Bytes of rows a parser thread takes at a time, by default.
pub const BLOCK_BYTES: usize = 1 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: EncodingChoice::Auto,
            delimiter: None,
            scope_all: false,
            profile: Profile::default(),
            show_progress: true,
            threads: 0,
            block_bytes: BLOCK_BYTES,
            sheet: None,
            today: None,
        }
    }
}

/// The day of the run when `--today` is not given: the date in UTC+14, the first time zone to
/// reach a new day, so that a case closed today is never "in the future" wherever the tool runs.
pub fn today_from_clock() -> DayNumber {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // why: the day a court is in may be ahead of this machine's UTC day by up to 14 hours.
    let days = (seconds + 14 * 3600) / 86_400;
    days_from_civil(1970, 1, 1) + days as DayNumber
}

impl ReadOptions {
    /// Threads parsing rows: as many as asked, or one per core.
    pub(super) fn parser_threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}
