//! The bytes of one input: opening it, guessing its encoding from its first bytes, and feeding it
//! block by block to parsers on every core while the blocks are put back in file order.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::read::blocks::{QuoteState, RecordScanner};
use crate::read::encoding::{EncodingChoice, TextEncoding, has_bom, read_full};

/// Bytes looked at to find the header and guess the encoding.
pub const PREFIX_BYTES: usize = 256 * 1024;

/// Bytes read from the file at a time.
const READ_BYTES: usize = 1 << 20;

/// Longest row read: 16 MiB. No export row comes near it; a longer one (`/dev/zero`, a binary
/// file, a quote never closed in a huge file) stops the run instead of filling the memory.
pub const MAX_ROW_BYTES: usize = 16 << 20;

/// An input: a file on disk, or standard input held in memory (it cannot be read twice).
pub enum Input {
    /// A regular file and its length.
    File {
        /// Where it is.
        path: PathBuf,
        /// Its size and modification time when opened.
        opened: FileSnapshot,
    },
    /// Standard input, read whole.
    Memory(Vec<u8>),
}

impl Input {
    /// Open `path` (`-` for standard input), refusing directories and empty files.
    pub fn open(path: &Path) -> Result<Input> {
        if path.as_os_str() == "-" {
            let bytes = read_stream(path, &mut io::stdin())?;
            if bytes.is_empty() {
                return Err(Error::input(
                    path,
                    None,
                    "empty input: standard input held no data",
                ));
            }
            return Ok(Input::Memory(bytes));
        }
        let metadata = std::fs::metadata(path).map_err(|error| open_error(path, &error))?;
        if metadata.is_dir() {
            return Err(Error::input(
                path,
                None,
                "is a directory, not an export file",
            ));
        }
        if !metadata.is_file() {
            // A pipe or device cannot be read twice: it is held in memory like standard input.
            let mut file = File::open(path).map_err(|error| open_error(path, &error))?;
            let bytes = read_stream(path, &mut file)?;
            if bytes.is_empty() {
                return Err(Error::input(path, None, "empty input: no header row"));
            }
            return Ok(Input::Memory(bytes));
        }
        if metadata.len() == 0 {
            return Err(Error::input(path, None, "empty file: no header row"));
        }
        Ok(Input::File {
            path: path.to_path_buf(),
            opened: FileSnapshot::of(&metadata),
        })
    }

    /// Size in bytes (0 when not known).
    pub fn len(&self) -> u64 {
        match self {
            Input::File { opened, .. } => opened.len,
            Input::Memory(bytes) => bytes.len() as u64,
        }
    }

    /// Fail when the file changed since it was opened: its length or modification time differ,
    /// or (`bytes_read`, when it was read to the end) the bytes read are not its length. Standard
    /// input and pipes, held in memory, cannot change.
    pub fn check_unchanged(&self, bytes_read: Option<u64>) -> Result<()> {
        let Input::File { path, opened } = self else {
            return Ok(());
        };
        let now = std::fs::metadata(path).map_err(|error| {
            Error::input(
                path,
                None,
                format!("changed while it was being read: it can no longer be read ({error}); nothing written"),
            )
        })?;
        check_unchanged(path, opened, &FileSnapshot::of(&now), bytes_read)
    }

    /// A reader from the first byte.
    pub(super) fn reader(&self) -> Result<Box<dyn Read + Send + '_>> {
        match self {
            Input::File { path, .. } => Ok(Box::new(
                File::open(path).map_err(|error| open_error(path, &error))?,
            )),
            Input::Memory(bytes) => Ok(Box::new(io::Cursor::new(bytes.as_slice()))),
        }
    }

    /// The first `PREFIX_BYTES` bytes (all of them for a shorter input).
    pub fn prefix(&self, path: &Path) -> Result<Vec<u8>> {
        let mut prefix = vec![0u8; PREFIX_BYTES];
        let count = read_full(&mut self.reader()?, &mut prefix)
            .map_err(|error| read_failed(path, &error))?;
        prefix.truncate(count);
        if prefix.is_empty() {
            return Err(Error::input(path, None, "empty file: no header row"));
        }
        Ok(prefix)
    }
}

/// Every byte of a stream (standard input, a pipe, a device), stopping with the line at fault as
/// soon as `MAX_ROW_BYTES` pass without a line end.
fn read_stream(path: &Path, reader: &mut impl Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut line_start = 0usize;
    let mut lines = 1u64;
    loop {
        let start = bytes.len();
        let count = read_more(path, reader, &mut bytes)?;
        if count == 0 {
            return Ok(bytes);
        }
        // A CR ends a line too: Excel for Mac's exports have no LF (see `read::transcode`).
        for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[start..]) {
            line_start = start + at + 1;
            lines += u64::from(bytes[start + at] == b'\n');
        }
        if bytes.len() - line_start > MAX_ROW_BYTES {
            return Err(row_too_long(path, lines));
        }
    }
}

/// The error for a row longer than `MAX_ROW_BYTES`, starting on `line`.
fn row_too_long(path: &Path, line: u64) -> Error {
    Error::input(
        path,
        Some(line),
        "row longer than 16 MiB: not a CSV export (or a quote that is never closed)",
    )
}

/// What a file looked like at one moment: enough to tell that it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSnapshot {
    /// Its length in bytes.
    pub len: u64,
    /// Its modification time, where the file system keeps one.
    pub modified: Option<std::time::SystemTime>,
}

impl FileSnapshot {
    /// The snapshot of a file's metadata.
    pub fn of(metadata: &std::fs::Metadata) -> FileSnapshot {
        FileSnapshot {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }
}

/// An input file must not change while it is read (an export still being written, a file copied
/// over it): the figures would mix two versions of it. `before` is the file when opened, `after`
/// once read; `bytes_read` is how many bytes were read when it was read to the end. Any difference
/// is an error naming the file.
pub fn check_unchanged(
    path: &Path,
    before: &FileSnapshot,
    after: &FileSnapshot,
    bytes_read: Option<u64>,
) -> Result<()> {
    let what = if before.len != after.len {
        format!("{} bytes when opened, {} after", before.len, after.len)
    } else if before.modified != after.modified {
        "modified again after it was opened".to_string()
    } else {
        match bytes_read {
            Some(read) if read != before.len => {
                format!("{} bytes when opened, {read} read", before.len)
            }
            _ => return Ok(()),
        }
    };
    Err(Error::input(
        path,
        None,
        format!(
            "changed while it was being read ({what}); nothing written: read it again once the export is complete"
        ),
    ))
}

/// The encoding an input is read in, as far as its first bytes tell.
pub struct EncodingGuess {
    /// The encoding to read it in.
    pub encoding: TextEncoding,
    /// When the first bytes are not UTF-8: the line where they stop being so.
    pub not_utf8_at: Option<u64>,
    /// UTF-8 detected from the first bytes only: a later byte that is not UTF-8 means the file
    /// must be read again as GB18030.
    pub tentative: bool,
}

/// Decide the encoding from the first bytes (spec §3: BOM → UTF-8; valid UTF-8 → UTF-8; else
/// GB18030), or take the one forced.
pub fn guess_encoding(prefix: &[u8], choice: EncodingChoice, whole: bool) -> EncodingGuess {
    let fixed = |encoding| EncodingGuess {
        encoding,
        not_utf8_at: None,
        tentative: false,
    };
    match choice {
        EncodingChoice::Auto if has_bom(prefix) => fixed(TextEncoding::Utf8Bom),
        EncodingChoice::Auto => match std::str::from_utf8(prefix) {
            Ok(_) => EncodingGuess {
                encoding: TextEncoding::Utf8,
                not_utf8_at: None,
                tentative: !whole,
            },
            // A character cut by the end of the prefix is not a fault.
            Err(error) if error.error_len().is_none() && !whole => EncodingGuess {
                encoding: TextEncoding::Utf8,
                not_utf8_at: None,
                tentative: true,
            },
            Err(error) => EncodingGuess {
                encoding: TextEncoding::Gb18030,
                not_utf8_at: Some(line_at(prefix, error.valid_up_to())),
                tentative: false,
            },
        },
        EncodingChoice::Utf8 if has_bom(prefix) => fixed(TextEncoding::Utf8Bom),
        EncodingChoice::Utf8 => fixed(TextEncoding::Utf8),
        EncodingChoice::Gb18030 => fixed(TextEncoding::Gb18030),
    }
}

/// The line (1-based) of byte `offset`.
pub fn line_at(bytes: &[u8], offset: usize) -> u64 {
    1 + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() as u64
}

/// Whole rows of an input, cut at a row end.
pub struct Block {
    /// Line of the block's first byte.
    pub first_line: u64,
    /// Its bytes, in the input's encoding.
    pub bytes: Vec<u8>,
}

/// What reading every block told about the input as a whole.
pub struct Ending {
    /// SHA-256 of every byte of the input, in hex.
    pub sha256: String,
    /// When a quoted cell is still open at the end: the line where its row starts.
    pub unterminated_at: Option<u64>,
    /// Bytes read, header included.
    pub bytes_read: u64,
}

/// Where the rows start and how to cut them.
pub struct Layout {
    /// Offset of the first data byte (after the header row).
    pub data_start: u64,
    /// Line of the first data byte.
    pub first_line: u64,
    /// The delimiter.
    pub delimiter: u8,
    /// Target block size in bytes.
    pub block_bytes: usize,
    /// Parser threads.
    pub threads: usize,
}

/// Read `input`'s rows block by block: `parse` runs on `layout.threads` threads, `merge` on this
/// one, in file order. A failure of `merge` stops the reading; the first failure in file order
/// is returned.
pub fn read_blocks<P, E>(
    path: &Path,
    input: &Input,
    layout: &Layout,
    progress: Option<&ProgressBar>,
    parse: impl Fn(Block) -> P + Sync,
    mut merge: impl FnMut(P) -> std::result::Result<(), E>,
) -> std::result::Result<Ending, E>
where
    P: Send,
    E: From<Error>,
{
    let threads = layout.threads.max(1);
    // Blocks read but not yet merged: bounds the memory the pipeline holds.
    let in_flight = 2 * threads + 2;
    let stop = AtomicBool::new(false);
    let (block_sender, block_receiver) = mpsc::sync_channel::<(u64, Block)>(in_flight);
    let block_receiver = Mutex::new(block_receiver);
    std::thread::scope(|scope| {
        let (parsed_sender, parsed_receiver) = mpsc::channel::<(u64, P)>();
        let (credit_sender, credit_receiver) = mpsc::sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = credit_sender.send(());
        }
        let stop = &stop;
        let producer = scope.spawn(move || {
            produce(
                path,
                input,
                layout,
                progress,
                block_sender,
                credit_receiver,
                stop,
            )
        });
        for _ in 0..threads {
            let parsed_sender = parsed_sender.clone();
            let (block_receiver, parse) = (&block_receiver, &parse);
            scope.spawn(move || {
                loop {
                    let next = match block_receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((sequence, block)) = next else { break };
                    // After a failure the remaining blocks are drained unparsed.
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let _ = parsed_sender.send((sequence, parse(block)));
                }
            });
        }
        drop(parsed_sender);
        let mut merged: std::result::Result<(), E> = Ok(());
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        'receive: for (sequence, parsed) in parsed_receiver.iter() {
            waiting.insert(sequence, parsed);
            while let Some(parsed) = waiting.remove(&next) {
                if let Err(error) = merge(parsed) {
                    merged = Err(error);
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
                next += 1;
                let _ = credit_sender.send(());
            }
        }
        drop(credit_sender);
        drop(parsed_receiver);
        let produced = producer
            .join()
            .unwrap_or_else(|_| Err(Error::input(path, None, "the reading thread failed")));
        merged?;
        Ok(produced?)
    })
}

/// Read the input, cut it into blocks of whole rows and send them out, one per credit.
fn produce(
    path: &Path,
    input: &Input,
    layout: &Layout,
    progress: Option<&ProgressBar>,
    blocks: mpsc::SyncSender<(u64, Block)>,
    credits: mpsc::Receiver<()>,
    stop: &AtomicBool,
) -> Result<Ending> {
    let mut reader = input.reader()?;
    let mut digest = Sha256::new();
    let mut cutter = BlockCutter {
        scanner: RecordScanner::new(layout.delimiter),
        block_bytes: layout.block_bytes,
        capacity: layout.block_bytes + READ_BYTES,
        row_end: 0,
        blocks,
        credits,
        stop,
        sequence: 0,
        line: layout.first_line,
    };
    let mut pending: Vec<u8> = Vec::with_capacity(cutter.capacity);
    let mut position = 0u64;
    loop {
        let start = pending.len();
        let count = read_more(path, &mut reader, &mut pending)?;
        if count == 0 {
            break;
        }
        digest.update(&pending[start..]);
        if let Some(progress) = progress {
            progress.inc(count as u64);
        }
        // The header was read before: its bytes are hashed, not parsed again.
        let skip = layout.data_start.saturating_sub(position).min(count as u64) as usize;
        position += count as u64;
        if skip > 0 {
            pending.drain(start..start + skip);
        }
        if !cutter.send_full_blocks(&mut pending, start) {
            return Ok(Ending {
                sha256: String::new(),
                unterminated_at: None,
                bytes_read: position,
            });
        }
        if pending.len() - cutter.row_end > MAX_ROW_BYTES {
            let line =
                cutter.line + memchr::memchr_iter(b'\n', &pending[..cutter.row_end]).count() as u64;
            return Err(row_too_long(path, line));
        }
    }
    let unterminated_at = (cutter.scanner.state() == QuoteState::Quoted).then(|| {
        cutter.line + memchr::memchr_iter(b'\n', &pending[..cutter.row_end]).count() as u64
    });
    if !pending.is_empty() {
        let end = pending.len();
        cutter.send(&mut pending, end);
    }
    Ok(Ending {
        sha256: hex(&digest.finalize()),
        unterminated_at,
        bytes_read: position,
    })
}

/// Append up to `READ_BYTES` more bytes of the input to `pending`: how many (0 at the end).
fn read_more(path: &Path, reader: &mut impl Read, pending: &mut Vec<u8>) -> Result<usize> {
    let start = pending.len();
    pending.resize(start + READ_BYTES, 0);
    let count = loop {
        match reader.read(&mut pending[start..]) {
            Ok(count) => break count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(read_failed(path, &error)),
        }
    };
    pending.truncate(start + count);
    Ok(count)
}

/// Cuts the bytes read into blocks of whole rows and sends them out, one per credit, numbered in
/// file order.
struct BlockCutter<'a> {
    /// Finds row ends (a line feed outside quotes).
    scanner: RecordScanner,
    /// Target block size in bytes.
    block_bytes: usize,
    /// Bytes a block buffer is allocated with.
    capacity: usize,
    /// Offset in the pending bytes just past their last row end (0: none yet).
    row_end: usize,
    blocks: mpsc::SyncSender<(u64, Block)>,
    credits: mpsc::Receiver<()>,
    stop: &'a AtomicBool,
    /// Number of the next block.
    sequence: u64,
    /// Line of the next block's first byte.
    line: u64,
}

impl BlockCutter<'_> {
    /// Scan the bytes of `pending` from `start` a block at a time, sending each block as soon as
    /// it is full; false when the reading must stop.
    fn send_full_blocks(&mut self, pending: &mut Vec<u8>, start: usize) -> bool {
        let mut scanned = start;
        while scanned < pending.len() {
            let piece_end = (scanned + self.block_bytes).min(pending.len());
            if let Some(end) = self.scanner.scan(&pending[scanned..piece_end]) {
                self.row_end = scanned + end;
            }
            scanned = piece_end;
            if self.row_end >= self.block_bytes {
                if !self.send(pending, self.row_end) {
                    return false;
                }
                scanned -= self.row_end;
                self.row_end = 0;
            }
        }
        true
    }

    /// Send `pending[..end]` as the next block, keeping the rest; false when the reading must
    /// stop.
    fn send(&mut self, pending: &mut Vec<u8>, end: usize) -> bool {
        if self.credits.recv().is_err() || self.stop.load(Ordering::Relaxed) {
            return false;
        }
        let mut rest = Vec::with_capacity(self.capacity);
        rest.extend_from_slice(&pending[end..]);
        pending.truncate(end);
        let bytes = std::mem::replace(pending, rest);
        let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
        let block = Block {
            first_line: self.line,
            bytes,
        };
        if self.blocks.send((self.sequence, block)).is_err() {
            return false;
        }
        self.line += lines;
        self.sequence += 1;
        true
    }
}

/// Inputs above this size show a progress bar while they are read.
const LARGE_INPUT: u64 = 50 * 1024 * 1024;

/// A progress bar on standard error for a large file, when standard error is a terminal (so
/// scripts and cron jobs never see one).
pub fn progress_bar(path: &Path, bytes: u64, wanted: bool) -> Option<ProgressBar> {
    if !wanted || bytes < LARGE_INPUT || !io::stderr().is_terminal() {
        return None;
    }
    // Cleared when dropped, so an error stops it without leaving it drawn above the message.
    let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr())
        .with_finish(ProgressFinish::AndClear);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta} left)")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("reading {}", path.display()));
    Some(bar)
}

/// The error for an input that cannot be opened.
pub fn open_error(path: &Path, error: &io::Error) -> Error {
    let message = match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot open: {error}"),
    };
    Error::input(path, None, message)
}

fn read_failed(path: &Path, error: &io::Error) -> Error {
    Error::input(path, None, format!("cannot read: {error}"))
}

/// Bytes in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn snapshot(len: u64, seconds: u64) -> FileSnapshot {
        FileSnapshot {
            len,
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)),
        }
    }

    #[test]
    fn an_unchanged_file_read_to_its_length_passes() {
        let path = Path::new("export.csv");
        let before = snapshot(100, 5);
        assert!(check_unchanged(path, &before, &before, Some(100)).is_ok());
        // Reading stopped early (another error): only the snapshots are compared.
        assert!(check_unchanged(path, &before, &before, None).is_ok());
    }

    #[test]
    fn a_file_that_grew_shrank_or_was_touched_is_an_error_naming_it() {
        let path = Path::new("export.csv");
        let before = snapshot(100, 5);
        let grown = check_unchanged(path, &before, &snapshot(120, 6), Some(120)).unwrap_err();
        assert_eq!(
            grown.to_string(),
            "export.csv: changed while it was being read (100 bytes when opened, 120 after); nothing written: read it again once the export is complete"
        );
        let shrunk = check_unchanged(path, &before, &snapshot(90, 5), None).unwrap_err();
        assert!(
            shrunk
                .to_string()
                .contains("100 bytes when opened, 90 after")
        );
        let touched = check_unchanged(path, &before, &snapshot(100, 7), Some(100)).unwrap_err();
        assert!(
            touched
                .to_string()
                .contains("modified again after it was opened")
        );
    }

    #[test]
    fn bytes_read_must_be_the_length_opened() {
        let path = Path::new("export.csv");
        let before = snapshot(100, 5);
        let error = check_unchanged(path, &before, &before, Some(140)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("100 bytes when opened, 140 read"),
            "{error}"
        );
    }

    #[test]
    fn a_file_changed_after_opening_fails_to_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n").unwrap();
        let input = Input::open(&path).unwrap();
        assert!(input.check_unchanged(None).is_ok());
        std::fs::write(
            &path,
            "案号,立案日期\n(2021)豫0302民初1号,2021-03-01\n(2021)豫0302民初2号,2021-03-02\n",
        )
        .unwrap();
        let error = input.check_unchanged(Some(10)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("changed while it was being read"),
            "{error}"
        );
        // Standard input held in memory cannot change.
        assert!(
            Input::Memory(b"x".to_vec())
                .check_unchanged(Some(5))
                .is_ok()
        );
    }
}
