//! A Parquet file (a data-warehouse export) as CSV text (see `converted`): the column names are
//! the header row, each row a line. Rows are read one at a time and appended to the text.

use std::path::Path;

use parquet::basic::{LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::error::{Error, Result};

use super::converted::{CsvText, format_datetime, format_number};
use super::file_blocks::open_error;

/// Seconds China Standard Time is ahead of UTC (no daylight saving since 1991).
const BEIJING_OFFSET_SECONDS: i64 = 8 * 3600;

/// How a column's values are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    /// As their type says.
    Plain,
    /// A timestamp; `utc`: stored as a UTC instant (shown in Beijing time); `per_second`: its
    /// units in a second (the parquet crate gives some timestamps as plain 64-bit integers).
    Timestamp { utc: bool, per_second: i64 },
}

/// The CSV text of a Parquet file.
pub fn to_csv(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|error| open_error(path, &error))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|error| Error::input(path, None, format!("not a Parquet file: {error}")))?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let fields = schema.root_schema().get_fields();
    if fields.is_empty() {
        return Err(Error::input(path, None, "the Parquet file has no columns"));
    }
    let columns: Vec<Column> = fields
        .iter()
        .map(|field| match field.get_basic_info().logical_type_ref() {
            Some(LogicalType::Timestamp(timestamp)) => Column::Timestamp {
                utc: timestamp.is_adjusted_to_u_t_c,
                per_second: match timestamp.unit {
                    TimeUnit::MILLIS => 1_000,
                    TimeUnit::MICROS => 1_000_000,
                    TimeUnit::NANOS => 1_000_000_000,
                },
            },
            _ => Column::Plain,
        })
        .collect();
    let written =
        |error: std::io::Error| Error::input(path, None, format!("cannot convert: {error}"));
    let mut text = CsvText::new();
    for field in fields {
        text.cell(field.name());
    }
    text.end_row().map_err(written)?;
    let rows = reader
        .get_row_iter(None)
        .map_err(|error| Error::input(path, None, format!("cannot read: {error}")))?;
    for (index, row) in rows.enumerate() {
        // Line 1 is the header.
        let line = index as u64 + 2;
        let row =
            row.map_err(|error| Error::input(path, Some(line), format!("cannot read: {error}")))?;
        for (column, (_, value)) in row.get_column_iter().enumerate() {
            let kind = columns.get(column).copied().unwrap_or(Column::Plain);
            text.cell(value_text(value, kind));
        }
        text.end_row().map_err(written)?;
    }
    Ok(text.finish())
}

/// A value as the CSV path reads it.
fn value_text(value: &Field, column: Column) -> String {
    let utc = matches!(column, Column::Timestamp { utc: true, .. });
    match value {
        Field::Null => String::new(),
        Field::Str(text) => text.clone(),
        Field::Bool(true) => "TRUE".to_string(),
        Field::Bool(false) => "FALSE".to_string(),
        Field::Byte(v) => v.to_string(),
        Field::Short(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Long(v) => match column {
            Column::Timestamp { per_second, .. } => timestamp(v.div_euclid(per_second), utc),
            Column::Plain => v.to_string(),
        },
        Field::UByte(v) => v.to_string(),
        Field::UShort(v) => v.to_string(),
        Field::UInt(v) => v.to_string(),
        Field::ULong(v) => v.to_string(),
        Field::Float16(v) => format_number(f64::from(*v)),
        Field::Float(v) => format_number(f64::from(*v)),
        Field::Double(v) => format_number(*v),
        Field::Date(days) => timestamp(i64::from(*days) * 86_400, false),
        Field::TimestampMillis(ms) => timestamp(ms.div_euclid(1_000), utc),
        Field::TimestampMicros(us) => timestamp(us.div_euclid(1_000_000), utc),
        // Decimals, times of day, binary and nested values as the parquet crate shows them.
        other => other.to_string(),
    }
}

/// Seconds since 1970-01-01 00:00 as a date (and time unless midnight); a UTC instant in Beijing
/// time.
fn timestamp(seconds: i64, utc: bool) -> String {
    let seconds = if utc {
        seconds + BEIJING_OFFSET_SECONDS
    } else {
        seconds
    };
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    format_datetime(
        year,
        month,
        day,
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
    )
}

/// The calendar day of a day number counted from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_instants() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_687), (2021, 3, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        let march_first = 18_687 * 86_400;
        assert_eq!(timestamp(march_first, false), "2021-03-01");
        assert_eq!(
            timestamp(march_first + 9 * 3600, false),
            "2021-03-01 09:00:00"
        );
        // 2021-02-28 16:00 UTC is midnight of 2021-03-01 in Beijing.
        assert_eq!(timestamp(march_first - 8 * 3600, true), "2021-03-01");
        let plain = Column::Plain;
        assert_eq!(value_text(&Field::Date(18_687), plain), "2021-03-01");
        assert_eq!(value_text(&Field::Double(5.0), plain), "5");
        assert_eq!(value_text(&Field::Null, plain), "");
        let nanos = Column::Timestamp {
            utc: false,
            per_second: 1_000_000_000,
        };
        assert_eq!(
            value_text(&Field::Long((march_first + 60) * 1_000_000_000), nanos),
            "2021-03-01 00:01:00"
        );
    }
}
