//! Writing results: to standard output, or atomically to a file (temporary file in the same
//! directory, then rename), so a cron job never reads half a report. `AtomicOutput` streams; the
//! whole-text functions below are written with it, so the rules exist once.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::render::interrupt;

/// Bytes gathered before they are handed to the writing thread.
const BUFFER_BYTES: usize = 1 << 20;
/// Full buffers that may wait for the writing thread: bounds the memory a slow disk can hold up.
const BUFFERS_QUEUED: usize = 4;

/// An output written as it is produced: standard output (a closed pipe, e.g. `| head`, is not an
/// error: what follows is dropped), a device or pipe written in place, or a temporary file beside
/// the target that `finish` syncs and renames over it. Dropped without `finish` (an error while
/// producing), it leaves no temporary file behind.
///
/// Bytes are gathered in 1 MiB buffers and written by a thread of their own, so that the system
/// calls (the kernel copying the bytes) overlap with producing the next ones.
pub struct AtomicOutput {
    /// The buffer being filled.
    buffer: Vec<u8>,
    /// Full buffers to the writing thread; None once finished.
    full: Option<SyncSender<Vec<u8>>>,
    /// Written buffers back from it, for reuse.
    empty: Receiver<Vec<u8>>,
    /// The writing thread; it hands back the sink when `full` closes.
    writer: Option<JoinHandle<Sink>>,
    /// What `finish` and error messages name.
    path: Option<PathBuf>,
    /// The first write error, as (output, message) for the user.
    failure: Arc<Failure>,
    /// The temporary file, while it may exist: removed on SIGINT/SIGTERM (`interrupt`).
    temporary: Option<PathBuf>,
}

/// The first failed write, shared with the writing thread.
#[derive(Default)]
struct Failure {
    failed: AtomicBool,
    message: Mutex<Option<(PathBuf, String)>>,
}

impl Failure {
    fn set(&self, path: PathBuf, message: String) {
        if let Ok(mut first) = self.message.lock()
            && first.is_none()
        {
            *first = Some((path, message));
        }
        self.failed.store(true, Ordering::Release);
    }

    fn check(&self) -> Result<()> {
        if !self.failed.load(Ordering::Acquire) {
            return Ok(());
        }
        let first = self.message.lock().ok().and_then(|m| m.clone());
        let (path, message) = first.unwrap_or_else(|| ("<output>".into(), "write failed".into()));
        Err(output_error(&path, message))
    }
}

enum Sink {
    /// Locked by the writing thread; `closed` once the reader went away.
    Stdout {
        closed: bool,
    },
    /// A device or pipe (/dev/null, /dev/stdout, a FIFO): renaming a file over it would replace
    /// the device itself.
    InPlace(File),
    Temporary(NamedTempFile),
}

/// An I/O error as the user reads it. The temporary file's random name means nothing to the
/// user: the message describes the problem, and the error names the target.
fn plain(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "its directory does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.kind().to_string(),
    }
}

fn output_error(path: &Path, message: String) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message,
    }
}

/// Write every buffer that arrives to `sink` (nothing more after a failure), returning each for
/// reuse; hand back the sink when the sender closes.
fn write_buffers(
    mut sink: Sink,
    path: Option<PathBuf>,
    full: Receiver<Vec<u8>>,
    empty: SyncSender<Vec<u8>>,
    failure: Arc<Failure>,
) -> Sink {
    let mut stdout = matches!(sink, Sink::Stdout { .. }).then(|| std::io::stdout().lock());
    for mut buffer in full {
        if !failure.failed.load(Ordering::Acquire) {
            let written = match &mut sink {
                Sink::Stdout { closed: true } => Ok(()),
                Sink::Stdout { closed } => match stdout.as_mut().map(|s| s.write_all(&buffer)) {
                    Some(Err(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                        *closed = true;
                        Ok(())
                    }
                    other => other.unwrap_or(Ok(())),
                },
                Sink::InPlace(file) => file.write_all(&buffer),
                Sink::Temporary(file) => file.write_all(&buffer),
            };
            if let Err(error) = written {
                match &path {
                    None => failure.set("<stdout>".into(), error.to_string()),
                    Some(path) => failure.set(path.clone(), plain(&error)),
                }
            }
        }
        buffer.clear();
        // The producer may be gone (dropped after an error): the buffer is then just freed.
        let _ = empty.try_send(buffer);
    }
    if let (Some(stdout), Sink::Stdout { closed }) = (stdout.as_mut(), &mut sink)
        && !*closed
    {
        match stdout.flush() {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => *closed = true,
            Err(error) => failure.set("<stdout>".into(), error.to_string()),
        }
    }
    sink
}

impl AtomicOutput {
    /// Start writing to `path`, or to standard output when `path` is None.
    pub fn begin(path: Option<&Path>) -> Result<AtomicOutput> {
        let sink = match path {
            None => Sink::Stdout { closed: false },
            Some(path) => Self::open(path)?,
        };
        let temporary = match &sink {
            Sink::Temporary(file) => Some(file.path().to_path_buf()),
            _ => None,
        };
        let path = path.map(Path::to_path_buf);
        let failure = Arc::new(Failure::default());
        let (full, to_write) = sync_channel(BUFFERS_QUEUED);
        let (written, empty) = sync_channel(BUFFERS_QUEUED + 1);
        let writer = {
            let (thread_path, failure) = (path.clone(), failure.clone());
            std::thread::Builder::new()
                .name("output".into())
                .spawn(move || write_buffers(sink, thread_path, to_write, written, failure))
                .map_err(|error| {
                    output_error(
                        path.as_deref().unwrap_or(Path::new("<stdout>")),
                        format!("cannot start the writing thread: {error}"),
                    )
                })?
        };
        Ok(AtomicOutput {
            buffer: Vec::with_capacity(BUFFER_BYTES),
            full: Some(full),
            empty,
            writer: Some(writer),
            path,
            failure,
            temporary,
        })
    }

    fn open(path: &Path) -> Result<Sink> {
        let fail = |error: &std::io::Error| output_error(path, plain(error));
        if path.is_dir() {
            return Err(output_error(path, "is a directory".into()));
        }
        if let Ok(metadata) = std::fs::metadata(path)
            && !metadata.is_file()
        {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|error| fail(&error))?;
            return Ok(Sink::InPlace(file));
        }
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".casemetrics-").suffix(".tmp");
        // why: a temporary file is created readable by its owner alone (0600), and the rename
        // kept that, so a report written for a web server or a colleague could not be read by
        // them. The output gets what any new file gets: 0666 less the umask.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        // Created and remembered under one lock: a signal removes it or finds none.
        interrupt::watch_signals();
        let mut files = interrupt::temporary_files();
        let temporary = builder
            .tempfile_in(directory)
            .map_err(|error| fail(&error))?;
        interrupt::remember(&mut files, temporary.path());
        Ok(Sink::Temporary(temporary))
    }

    /// The first failed write, if any (`finish` returns it too): producing more is wasted work.
    pub fn check(&self) -> Result<()> {
        self.failure.check()
    }

    /// Hand the buffer to the writing thread and take an empty one.
    fn send(&mut self) {
        let fresh = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER_BYTES));
        let full = std::mem::replace(&mut self.buffer, fresh);
        if let Some(sender) = &self.full {
            // The thread ends only when `full` closes (or it panicked: `finish` says so).
            let _ = sender.send(full);
        }
    }

    /// Close the queue and wait for the writing thread: the sink, with everything written.
    fn join(&mut self) -> Option<std::thread::Result<Sink>> {
        self.full = None;
        self.writer.take().map(JoinHandle::join)
    }

    /// Write what is buffered and put the output in place: flush standard output or the device;
    /// sync the temporary file and rename it over the target.
    pub fn finish(self) -> Result<()> {
        self.stage()?.persist()
    }

    /// Write what is buffered and sync it, without putting a temporary file in place yet:
    /// `Staged::persist` does. Several outputs are staged first and persisted after, so that a
    /// failure in one leaves none replaced by half a run.
    pub fn stage(mut self) -> Result<Staged> {
        if !self.buffer.is_empty() {
            self.send();
        }
        let sink = self.join();
        self.check()?;
        let path = self.path.clone().unwrap_or_else(|| "<stdout>".into());
        let sink = match sink {
            Some(Ok(sink)) => sink,
            _ => return Err(output_error(&path, "the writing thread failed".into())),
        };
        if let Sink::Temporary(temporary) = &sink {
            temporary
                .as_file()
                .sync_all()
                .map_err(|error| output_error(&path, plain(&error)))?;
        }
        // The staged file stays remembered: a signal before `persist` still removes it.
        self.temporary = None;
        Ok(Staged {
            sink: Some(sink),
            path,
        })
    }
}

/// An output written in full and synced, waiting to be put in place (`persist`). Dropped, its
/// temporary file is deleted.
pub struct Staged {
    /// What was written to; `None` once persisted.
    sink: Option<Sink>,
    path: PathBuf,
}

impl Staged {
    /// Rename the temporary file over the target (nothing to do for standard output or a device).
    pub fn persist(mut self) -> Result<()> {
        match self.sink.take() {
            None | Some(Sink::Stdout { .. } | Sink::InPlace(_)) => Ok(()),
            Some(Sink::Temporary(temporary)) => {
                // Renamed under the lock: a signal now finds the output in place, not removed.
                let mut files = interrupt::temporary_files();
                let kept = temporary.path().to_path_buf();
                let persisted = temporary.persist(&self.path);
                interrupt::forget(&mut files, &kept);
                persisted.map_err(|error| output_error(&self.path, plain(&error.error)))?;
                Ok(())
            }
        }
    }
}

impl Drop for Staged {
    /// Not persisted (another output failed): the temporary file is deleted and forgotten.
    fn drop(&mut self) {
        if let Some(Sink::Temporary(temporary)) = self.sink.take() {
            let mut files = interrupt::temporary_files();
            let path = temporary.path().to_path_buf();
            drop(temporary);
            interrupt::forget(&mut files, &path);
        }
    }
}

impl Drop for AtomicOutput {
    /// Not finished (an error while producing): wait for the writing thread, whose dropping of
    /// the temporary file deletes it, before the process can exit.
    fn drop(&mut self) {
        let _ = self.join();
        if let Some(temporary) = self.temporary.take() {
            interrupt::forget(&mut interrupt::temporary_files(), &temporary);
        }
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.failure.failed.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("output failed"));
        }
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER_BYTES {
            self.send();
        }
        Ok(bytes.len())
    }

    /// Buffers are written as they fill; everything is written by `finish`.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Write `text` to `path` atomically, or to standard output when `path` is None.
/// A closed standard output (e.g. `| head`) is not an error.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    let mut output = AtomicOutput::begin(path)?;
    // A failed write is kept in `output` and returned by `finish`.
    let _ = output.write_all(text.as_bytes());
    output.finish()
}

/// Write each of `outputs` (a path, or standard output for None, and its bytes) atomically: all
/// are written and synced to temporary files first, and put in place only when every one was
/// written, so that a failed output leaves no other replaced by half a run.
pub fn write_outputs(outputs: &[(Option<&Path>, &[u8])]) -> Result<()> {
    let mut staged = Vec::with_capacity(outputs.len());
    for (path, bytes) in outputs {
        let mut output = AtomicOutput::begin(*path)?;
        // A failed write is kept in `output` and returned by `stage`.
        let _ = output.write_all(bytes);
        staged.push(output.stage()?);
    }
    staged.into_iter().try_for_each(Staged::persist)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_output(Some(&path), "first").unwrap();
        write_output(Some(&path), "second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_stream_is_renamed_into_place_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        let names = || std::fs::read_dir(dir.path()).unwrap().count();
        // Several buffers' worth, so the writing thread has written part before the drop.
        let line = [b'x'; 1000];
        let mut output = AtomicOutput::begin(Some(&path)).unwrap();
        for _ in 0..3000 {
            output.write_all(&line).unwrap();
        }
        drop(output);
        assert_eq!(names(), 0, "an unfinished output leaves nothing behind");
        let mut output = AtomicOutput::begin(Some(&path)).unwrap();
        for _ in 0..3000 {
            output.write_all(&line).unwrap();
        }
        output.write_all(b"end").unwrap();
        assert!(!path.exists(), "nothing in place before finish");
        output.finish().unwrap();
        let written = std::fs::read(&path).unwrap();
        assert_eq!(written.len(), 3_000_003);
        assert!(written.ends_with(b"xend"));
        assert_eq!(names(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn an_output_is_readable_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_output(Some(&path), "report").unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        write_output(Some(Path::new("/dev/null")), "report").unwrap();
        let metadata = std::fs::metadata("/dev/null").unwrap();
        assert!(!metadata.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let error = write_output(Some(Path::new("/nonexistent-dir/x.csv")), "x").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot write /nonexistent-dir/x.csv:"),
            "{error}"
        );
    }
}
