//! One worksheet of an `.xlsx` or `.xls` workbook as CSV text (see `converted`).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Sheet, SheetType, Sheets, StyleRange, Xls, Xlsx};

use crate::error::{Error, Result};

use super::converted::{CsvText, Format, format_datetime, format_number};

/// The CSV text of the sheet named `sheet`, or of the first worksheet.
pub fn to_csv(path: &Path, format: Format, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<u8>> {
    let mut workbook = open(path, format, bytes)?;
    let worksheets: Vec<&Sheet> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let name = sheet_name(path, &worksheets, sheet)?;
    let range = workbook.worksheet_range(&name).map_err(|error| {
        Error::input(path, None, format!("cannot read sheet \"{name}\": {error}"))
    })?;
    let Some((first_row, first_column)) = range.start() else {
        return Err(Error::input(
            path,
            None,
            format!("sheet \"{name}\" is empty: no header row"),
        ));
    };
    let written = |error: std::io::Error| {
        Error::input(
            path,
            None,
            format!("cannot convert sheet \"{name}\": {error}"),
        )
    };
    // Whether a date cell's number format shows a time of day (.xlsx only: calamine reads no
    // styles of .xls files). Read only when there are date cells.
    let styles = match format {
        Format::Xlsx
            if range
                .used_cells()
                .any(|(_, _, cell)| matches!(cell, Data::DateTime(_))) =>
        {
            workbook.worksheet_style(&name).ok()
        }
        _ => None,
    };
    let mut text = CsvText::new();
    // Rows above the first filled one stay as empty lines: line n is row n.
    for _ in 0..first_row {
        text.empty_line();
    }
    for (row_index, row) in range.rows().enumerate() {
        for (column_index, cell) in row.iter().enumerate() {
            let shows_time = match (cell, &styles) {
                (Data::DateTime(_), Some(styles)) => {
                    let position = (
                        first_row + row_index as u32,
                        first_column + column_index as u32,
                    );
                    format_shows_time(styles, position)
                }
                _ => None,
            };
            text.cell(cell_text(cell, shows_time));
        }
        text.end_row().map_err(written)?;
    }
    Ok(text.finish())
}

/// The worksheet read: the one named `--sheet`, or the first.
fn sheet_name(path: &Path, worksheets: &[&Sheet], sheet: Option<&str>) -> Result<String> {
    match sheet {
        Some(wanted) => match worksheets.iter().find(|s| s.name == wanted) {
            Some(found) => Ok(found.name.clone()),
            None => {
                let names: Vec<String> = worksheets
                    .iter()
                    .map(|s| format!("\"{}\"", s.name))
                    .collect();
                Err(Error::input(
                    path,
                    None,
                    format!(
                        "no sheet named \"{wanted}\"; the workbook's sheets are {}",
                        names.join(", ")
                    ),
                ))
            }
        },
        None => match worksheets.first() {
            Some(first) => Ok(first.name.clone()),
            None => Err(Error::input(path, None, "the workbook has no worksheet")),
        },
    }
}

/// Whether the number format of the cell at `position` shows a time of day; None when its format
/// is not known or does not look like a date format.
fn format_shows_time(styles: &StyleRange, position: (u32, u32)) -> Option<bool> {
    let code = &styles.get(position)?.number_format.as_ref()?.format_code;
    date_format_shows_time(code)
}

/// Whether a date format code (`yyyy-mm-dd hh:mm`, `yyyy"年"m"月"d"日"`) shows a time of day; None
/// when the code has neither date nor time parts (`General`, or a locale's built-in format that
/// calamine does not name).
fn date_format_shows_time(code: &str) -> Option<bool> {
    let mut quoted = false;
    let mut bracketed = false;
    let mut escaped = false;
    let (mut date, mut time) = (false, false);
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracketed = true,
            ']' => bracketed = false,
            _ if bracketed => {}
            '\\' => escaped = true,
            'y' | 'Y' | 'd' | 'D' => date = true,
            'h' | 'H' | 's' | 'S' => time = true,
            _ => {}
        }
    }
    (date || time).then_some(time)
}

fn open(path: &Path, format: Format, bytes: Vec<u8>) -> Result<Sheets<Cursor<Vec<u8>>>> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xls => Xls::new(cursor).map(Sheets::Xls).map_err(|error| {
            Error::input(
                path,
                None,
                format!("not an Excel 97–2003 (.xls) workbook: {error}"),
            )
        }),
        _ => Xlsx::new(cursor).map(Sheets::Xlsx).map_err(|error| {
            Error::input(
                path,
                None,
                format!("not an Excel (.xlsx) workbook: {error}"),
            )
        }),
    }
}

/// A cell as the CSV path reads it. `shows_time`: whether a date cell's format shows a time of
/// day (when not known, a date cell at midnight is taken for a date alone).
fn cell_text(cell: &Data, shows_time: Option<bool>) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => format_number(*value),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        // A date cell holds a serial number of days; calamine counts them from the workbook's
        // epoch (1900 with Excel's phantom 1900-02-29, or 1904).
        Data::DateTime(value) if value.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
            if shows_time == Some(true) && (hour, minute, second) == (0, 0, 0) {
                return format!("{year:04}-{month:02}-{day:02} 00:00:00");
            }
            format_datetime(
                i64::from(year),
                u32::from(month),
                u32::from(day),
                u32::from(hour),
                u32::from(minute),
                u32::from(second),
            )
        }
        Data::DateTime(value) => format_number(value.as_f64()),
        Data::DateTimeIso(text) => iso_datetime(text),
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// An ISO 8601 date or date and time (`2021-03-05T09:30:00`), as a date cell would be written;
/// anything else as it stands.
fn iso_datetime(text: &str) -> String {
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let time = time.split(['.', 'Z', '+']).next().unwrap_or("");
    let date_parts: Vec<&str> = date.split('-').collect();
    let time_parts: Vec<&str> = if time.is_empty() {
        vec!["0", "0", "0"]
    } else {
        time.split(':').collect()
    };
    let numbers =
        |parts: &[&str]| -> Option<Vec<u32>> { parts.iter().map(|p| p.parse().ok()).collect() };
    match (numbers(&date_parts), numbers(&time_parts)) {
        (Some(d), Some(t)) if d.len() == 3 && (2..=3).contains(&t.len()) => format_datetime(
            i64::from(d[0]),
            d[1],
            d[2],
            t[0],
            t[1],
            t.get(2).copied().unwrap_or(0),
        ),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn date(serial: f64, is_1904: bool) -> String {
        cell_text(
            &Data::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                is_1904,
            )),
            None,
        )
    }

    #[test]
    fn serial_dates_in_both_date_systems() {
        // 2021-03-01 is day 44256 counted from 1900 (with Excel's 1900-02-29) and day 42794
        // counted from 1904-01-01.
        assert_eq!(date(44256.0, false), "2021-03-01");
        assert_eq!(date(42794.0, true), "2021-03-01");
        assert_eq!(date(44256.375, false), "2021-03-01 09:00:00");
        assert_eq!(date(44256.0 + 15.0 / 24.0, false), "2021-03-01 15:00:00");
        // Before and after Excel's phantom 1900-02-29 (serial 60).
        assert_eq!(date(59.0, false), "1900-02-28");
        assert_eq!(date(61.0, false), "1900-03-01");
    }

    #[test]
    fn a_date_format_tells_whether_midnight_is_a_time() {
        let midnight = Data::DateTime(ExcelDateTime::new(
            44256.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&midnight, Some(true)), "2021-03-01 00:00:00");
        assert_eq!(cell_text(&midnight, Some(false)), "2021-03-01");
        assert_eq!(date_format_shows_time("yyyy-mm-dd hh:mm"), Some(true));
        assert_eq!(date_format_shows_time("m/d/yy h:mm"), Some(true));
        assert_eq!(date_format_shows_time("yyyy-mm-dd"), Some(false));
        assert_eq!(
            date_format_shows_time("yyyy\"年\"m\"月\"d\"日\""),
            Some(false)
        );
        assert_eq!(
            date_format_shows_time("[$-F800]dddd, mmmm dd, yyyy"),
            Some(false)
        );
        assert_eq!(
            date_format_shows_time("[DBNum1]yyyy\"年\"m\"月\"d\"日\" h\"时\"mm\"分\""),
            Some(true)
        );
        assert_eq!(date_format_shows_time("General"), None);
        assert_eq!(date_format_shows_time("0.00"), None);
    }

    #[test]
    fn other_cells() {
        assert_eq!(cell_text(&Data::Float(5.0), None), "5");
        assert_eq!(cell_text(&Data::Float(2.5), None), "2.5");
        assert_eq!(cell_text(&Data::Int(20210305), None), "20210305");
        assert_eq!(cell_text(&Data::Empty, None), "");
        assert_eq!(iso_datetime("2021-03-05T09:30:00"), "2021-03-05 09:30:00");
        assert_eq!(iso_datetime("2021-03-05T00:00:00.000"), "2021-03-05");
        assert_eq!(iso_datetime("2021-03-05"), "2021-03-05");
        assert_eq!(iso_datetime("soon"), "soon");
    }
}
