//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`) and Parquet files, turned into CSV text in memory so that
//! every check of the CSV path applies to them unchanged.
//!
//! The text is UTF-8 with the header row first, one line per sheet row (rows above the first
//! filled one are empty lines), so the line numbers the CSV path reports are the sheet's row
//! numbers; a Parquet file's header is line 1 and its n-th row line n + 1. Dates become
//! `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM:SS` when they carry a time of day), whole numbers are written
//! without `.0`, empty cells stay empty. A line break inside a cell becomes a space, so that a
//! row stays one line.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

use super::file_blocks::{hex, open_error};

/// A file read whole and converted, rather than streamed as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel 97–2003 workbook (`.xls`).
    Xls,
    /// Apache Parquet (`.parquet`).
    Parquet,
}

impl Format {
    /// The format a file's extension names (any case); None for CSV and standard input.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// A converted input: its CSV text and the SHA-256 of the original file's bytes.
pub struct Converted {
    /// UTF-8 CSV text, comma-separated, header row first.
    pub csv: Vec<u8>,
    /// SHA-256 of the file as it is on disk, in hex.
    pub sha256: String,
}

/// Read `path` as `format` and convert it; `sheet` names the worksheet to read (default: the
/// first).
pub fn convert(path: &Path, format: Format, sheet: Option<&str>) -> Result<Converted> {
    match format {
        Format::Xlsx | Format::Xls => {
            let bytes = read_whole(path)?;
            let sha256 = hex(&Sha256::digest(&bytes));
            let csv = super::workbook::to_csv(path, format, bytes, sheet)?;
            Ok(Converted { csv, sha256 })
        }
        Format::Parquet => {
            let sha256 = file_sha256(path)?;
            let csv = super::parquet_file::to_csv(path)?;
            Ok(Converted { csv, sha256 })
        }
    }
}

fn read_whole(path: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|error| open_error(path, &error))?;
    if metadata.is_dir() {
        return Err(Error::input(
            path,
            None,
            "is a directory, not an export file",
        ));
    }
    let bytes = std::fs::read(path).map_err(|error| open_error(path, &error))?;
    if bytes.is_empty() {
        return Err(Error::input(path, None, "empty file: no header row"));
    }
    Ok(bytes)
}

fn file_sha256(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|error| open_error(path, &error))?;
    let mut digest = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => digest.update(&buffer[..count]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                return Err(Error::input(path, None, format!("cannot read: {error}")));
            }
        }
    }
    Ok(hex(&digest.finalize()))
}

/// CSV text built row by row, each row quoted by the csv crate's writer where needed.
pub struct CsvText {
    out: Vec<u8>,
    cells: Vec<String>,
}

impl CsvText {
    /// Text with no rows yet.
    pub fn new() -> Self {
        CsvText {
            out: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// Add a cell to the row being built.
    pub fn cell(&mut self, text: impl Into<String>) {
        let mut text: String = text.into();
        if text.contains(['\n', '\r']) {
            text = text.replace("\r\n", " ").replace(['\n', '\r'], " ");
        }
        self.cells.push(text);
    }

    /// End the row: a row of empty cells is written as an empty line, which the CSV path skips
    /// as it skips blank lines of a CSV file.
    pub fn end_row(&mut self) -> std::io::Result<()> {
        if self.cells.iter().all(String::is_empty) {
            self.out.push(b'\n');
        } else {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .buffer_capacity(1024)
                .from_writer(&mut self.out);
            writer.write_record(&self.cells)?;
            writer.flush()?;
        }
        self.cells.clear();
        Ok(())
    }

    /// An empty line (a sheet row above the first filled one).
    pub fn empty_line(&mut self) {
        self.out.push(b'\n');
    }

    /// The text written.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// A day and time of day as the CSV path reads it: `YYYY-MM-DD`, with ` HH:MM:SS` unless the
/// time is midnight.
pub fn format_datetime(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> String {
    if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// A number as a spreadsheet shows it in General format: to 15 significant digits, as Excel
/// shows and computes (so `=1234.56*3`, stored as 3703.6800000000003, is 3703.68), whole numbers
/// without `.0`.
pub fn format_number(value: f64) -> String {
    // why: Excel keeps 15 significant digits; the binary noise beyond them is not in the figure
    // the court sees, and would make an amount look like it had more than 2 decimals.
    let value = format!("{value:.14e}").parse::<f64>().unwrap_or(value);
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_chosen_by_extension_in_any_case() {
        assert_eq!(Format::of(Path::new("a.XLSX")), Some(Format::Xlsx));
        assert_eq!(Format::of(Path::new("a.xlsm")), Some(Format::Xlsx));
        assert_eq!(Format::of(Path::new("dir/a.Xls")), Some(Format::Xls));
        assert_eq!(Format::of(Path::new("a.parquet")), Some(Format::Parquet));
        assert_eq!(Format::of(Path::new("a.csv")), None);
        assert_eq!(Format::of(Path::new("-")), None);
        assert_eq!(Format::of(Path::new("xlsx")), None);
    }

    #[test]
    fn numbers_and_dates_as_text() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(12.5), "12.5");
        // 1234.56 * 3 in binary floating point is 3703.6800000000003; Excel shows 3703.68.
        assert_eq!(format_number(1234.56 * 3.0), "3703.68");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(15.000000000000002), "15");
        assert_eq!(format_number(123456789012.34), "123456789012.34");
        assert_eq!(format_datetime(2021, 3, 5, 0, 0, 0), "2021-03-05");
        assert_eq!(format_datetime(2021, 3, 5, 9, 30, 0), "2021-03-05 09:30:00");
    }

    #[test]
    fn rows_are_quoted_and_one_line_each() {
        let mut text = CsvText::new();
        for cell in ["案号", "a,b", "say \"hi\""] {
            text.cell(cell);
        }
        text.end_row().unwrap();
        text.cell("");
        text.cell("");
        text.end_row().unwrap();
        text.cell("two\nlines");
        text.cell("");
        text.end_row().unwrap();
        let csv = String::from_utf8(text.finish()).unwrap();
        assert_eq!(csv, "案号,\"a,b\",\"say \"\"hi\"\"\"\n\ntwo lines,\n");
    }
}
