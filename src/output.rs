//! Writing results: to standard output, or atomically to a file (temporary file in the same
//! directory, then rename), so a cron job never reads half a report.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write `text` to `path` atomically, or to standard output when `path` is None.
/// A closed standard output (e.g. `| head`) is not an error.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => Ok(()),
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(error) => Err(Error::Output {
                    path: "<stdout>".into(),
                    message: error.to_string(),
                }),
            }
        }
        Some(path) => write_atomically(path, text.as_bytes()),
    }
}

/// Write `bytes` to a temporary file beside `path`, then rename it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
    };
    // The temporary file's random name means nothing to the user: describe the target instead.
    let plain = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => "its directory does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.kind().to_string(),
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a file over
    // it would replace the device itself.
    if let Ok(metadata) = std::fs::metadata(path)
        && !metadata.is_file()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut target| target.write_all(bytes))
            .map_err(|error| fail(plain(error)));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".casemetrics-").suffix(".tmp");
    // why: a temporary file is created readable by its owner alone (0600), and the rename kept
    // that, so a report written for a web server or a colleague could not be read by them. The
    // output gets what any new file gets: 0666 less the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder
        .tempfile_in(directory)
        .map_err(|error| fail(plain(error)))?;
    temporary
        .write_all(bytes)
        .and_then(|_| temporary.as_file().sync_all())
        .map_err(|error| fail(plain(error)))?;
    temporary
        .persist(path)
        .map_err(|error| fail(plain(error.error)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn an_output_is_readable_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_atomically(&path, b"report").unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        write_atomically(Path::new("/dev/null"), b"report").unwrap();
        let metadata = std::fs::metadata("/dev/null").unwrap();
        assert!(!metadata.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let error = write_atomically(Path::new("/nonexistent-dir/x.csv"), b"x").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot write /nonexistent-dir/x.csv:"),
            "{error}"
        );
    }
}
