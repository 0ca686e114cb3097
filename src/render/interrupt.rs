//! Ctrl-C and SIGTERM (cron's `timeout`, a shutdown) while an output file is being written: the
//! temporary file beside the target is removed and the run exits 130 (SIGINT) or 143 (SIGTERM),
//! so interrupted nightly runs do not pile up `.casemetrics-*.tmp` files. The target itself is
//! never half-written: it only appears by the final rename.
//!
//! The signals are watched only once a temporary file exists; before that they end the process
//! as usual. SIGKILL cannot be caught: its temporary file stays (see docs/outputs.md).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// Temporary output files not yet renamed into place. Held locked while one is created, renamed
/// or removed, so a signal never leaves a file it did not see, nor removes a finished output.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The temporary files being written, locked.
pub(crate) fn temporary_files() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remember `path` as a temporary output file (the caller holds the lock from
/// `temporary_files`, and called `watch_signals` before creating the file).
pub(crate) fn remember(files: &mut Vec<PathBuf>, path: &Path) {
    files.push(path.to_path_buf());
}

/// Forget `path`: renamed into place or already removed.
pub(crate) fn forget(files: &mut Vec<PathBuf>, path: &Path) {
    files.retain(|file| file != path);
}

/// Start, once, the thread that cleans up on SIGINT/SIGTERM: before the first temporary file is
/// created, so that no signal can end the process between its creation and its remembering.
pub(crate) fn watch_signals() {
    static WATCHING: Once = Once::new();
    #[cfg(unix)]
    WATCHING.call_once(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        // Without the watcher (it cannot be set up) the signals end the process as before.
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
            let _ = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        clean_up_and_exit(signal);
                    }
                });
        }
    });
    #[cfg(not(unix))]
    WATCHING.call_once(|| {});
}

/// Remove every temporary output file and exit with 128 + the signal's number, as a shell
/// reports a process ended by that signal.
#[cfg(unix)]
fn clean_up_and_exit(signal: i32) -> ! {
    let files = temporary_files();
    for file in files.iter() {
        let _ = std::fs::remove_file(file);
    }
    let name = if signal == signal_hook::consts::SIGINT {
        "interrupted (Ctrl-C)"
    } else {
        "terminated (SIGTERM)"
    };
    eprintln!("casemetrics: {name}; no output file written");
    std::process::exit(128 + signal);
}
