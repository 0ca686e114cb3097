//! Runs the real binary in a temporary directory holding fixture files.

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temporary directory to write fixtures into and run `casemetrics` from.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// A workdir holding a copy of the repository's `repo_path` as `name`, so outputs name it
    /// by that short name.
    pub fn with_copy(name: &str, repo_path: &str) -> Workdir {
        let wd = Workdir::new();
        wd.write(
            name,
            std::fs::read(repo(repo_path)).expect("repository file"),
        );
        wd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write a fixture file.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// Run `casemetrics ARGS` in the directory.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut command = assert_cmd::Command::cargo_bin("casemetrics").expect("binary");
        command
            .current_dir(self.dir.path())
            .args(args)
            .env("NO_COLOR", "1");
        if let Some(bytes) = stdin {
            command.write_stdin(bytes.to_vec());
        }
        command.output().expect("run casemetrics")
    }
}

/// The repository's own files (fixtures, samples).
pub fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_string_lossy()
        .into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Parse CSV text into rows of cells.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect()
}

/// The `days` column of a `cases --format csv` listing, as numbers.
pub fn listed_days(rows: &[Vec<String>]) -> Vec<f64> {
    let column = rows[0]
        .iter()
        .position(|h| h == "days")
        .expect("days column");
    rows[1..]
        .iter()
        .map(|r| r[column].parse().expect("a number of days"))
        .collect()
}
