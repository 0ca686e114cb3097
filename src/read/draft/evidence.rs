//! What the sampled cells of one column show: how many are filled, their distinct values, how
//! many read as dates (and in which shapes and formats), as numbers, as 案号 or CNJ numbers.

use std::collections::BTreeMap;

use crate::model::calendar::DateRange;
use crate::read::case_number;
use crate::read::cnj::{self, CnjError};
use crate::read::dates;
use crate::read::sample::Sample;

/// How one cell reads as a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateReading {
    /// In a built-in format, of this shape (`YYYY-MM-DD`, `YYYY/M/D hh:mm` …).
    BuiltIn(String),
    /// ISO 8601 with `T` and a zone, which `[dates] formats = ["rfc3339"]` reads.
    Rfc3339,
    /// Day, month and year (year last) joined by `separator`; whether each order of the first two
    /// numbers names a real day.
    Numeric {
        /// `/`, `.` or `-`.
        separator: char,
        /// Day first (05/03/2021 = 5 March).
        day_first: bool,
        /// Month first (05/03/2021 = 3 May).
        month_first: bool,
    },
}

/// The shape of a date cell: each run of digits named by its place (`2021/3/5 9:30` →
/// `YYYY/M/D h:mm`; `20210305` → `YYYYMMDD`).
pub(crate) fn date_shape(cell: &str) -> String {
    const NAMES: [char; 7] = ['Y', 'M', 'D', 'h', 'm', 's', 'f'];
    let mut out = String::new();
    let mut run = 0;
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        let mut length = 1;
        while chars.next_if(char::is_ascii_digit).is_some() {
            length += 1;
        }
        if run == 0 && length == 8 {
            out.push_str("YYYYMMDD");
            run = 3;
            continue;
        }
        let name = NAMES[run.min(NAMES.len() - 1)];
        out.extend(std::iter::repeat_n(name, length));
        run += 1;
    }
    out
}

/// How a (trimmed, filled) cell reads as a date, if it does.
pub(crate) fn date_reading(cell: &str) -> Option<DateReading> {
    if let Ok(Some(_)) = dates::parse_timestamp(cell, &DateRange::default()) {
        return Some(DateReading::BuiltIn(date_shape(cell)));
    }
    if chrono::DateTime::parse_from_rfc3339(cell).is_ok() {
        return Some(DateReading::Rfc3339);
    }
    let separator = cell.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parts: Vec<&str> = cell.split(separator).collect();
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() != 3 || !digits(parts[0], 1..=2) || !digits(parts[1], 1..=2) {
        return None;
    }
    if !digits(parts[2], 4..=4) {
        return None;
    }
    let number = |part: &str| part.parse::<u32>().unwrap_or(0);
    let year = number(parts[2]) as i32;
    let real = |month: u32, day: u32| chrono::NaiveDate::from_ymd_opt(year, month, day).is_some();
    let (first, second) = (number(parts[0]), number(parts[1]));
    let (day_first, month_first) = (real(second, first), real(first, second));
    (day_first || month_first).then_some(DateReading::Numeric {
        separator,
        day_first,
        month_first,
    })
}

/// Which orders of day and month each separator's cells allow: (day first, month first).
pub(crate) type DayMonthOrders = BTreeMap<char, (bool, bool)>;

/// What a column's cells show as dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DateEvidence {
    /// Cells that read as a date in some format.
    pub read: usize,
    /// The shapes seen, with how many cells have each.
    pub shapes: BTreeMap<String, usize>,
    /// The `[dates] formats` entries the cells need (none: the built-in formats read them).
    pub formats: Vec<String>,
    /// Day-month-year cells whose order no cell tells (no number above 12).
    pub ambiguous: bool,
    /// Day-month-year cells per separator: (cells, every one reads day first, every one reads
    /// month first).
    numeric: BTreeMap<char, (usize, bool, bool)>,
    /// Cells in ISO 8601 with `T` and a zone.
    rfc3339: usize,
}

impl DateEvidence {
    /// The evidence of a column's filled cells.
    pub(crate) fn of<'c>(cells: impl Iterator<Item = &'c str>) -> DateEvidence {
        let mut evidence = DateEvidence::default();
        for cell in cells {
            match date_reading(cell) {
                Some(DateReading::BuiltIn(shape)) => {
                    *evidence.shapes.entry(shape).or_default() += 1
                }
                Some(DateReading::Rfc3339) => evidence.rfc3339 += 1,
                Some(DateReading::Numeric {
                    separator,
                    day_first,
                    month_first,
                }) => {
                    let entry = evidence.numeric.entry(separator).or_insert((0, true, true));
                    *entry = (entry.0 + 1, entry.1 && day_first, entry.2 && month_first);
                }
                None => continue,
            }
            evidence.read += 1;
        }
        let orders = evidence.orders();
        evidence.resolve(&orders);
        evidence
    }

    /// The orders of day and month this column's cells allow.
    pub(crate) fn orders(&self) -> DayMonthOrders {
        self.numeric
            .iter()
            .map(|(separator, (_, day, month))| (*separator, (*day, *month)))
            .collect()
    }

    /// Settle the formats and shapes of the day-month-year cells by the orders `orders` allow
    /// (those of every date column of the export: a day above 12 in one column tells the order
    /// of all).
    pub(crate) fn resolve(&mut self, orders: &DayMonthOrders) {
        self.formats.clear();
        self.ambiguous = false;
        self.shapes.retain(|shape, _| shape.starts_with('Y'));
        if self.rfc3339 > 0 {
            self.formats.push(dates::RFC3339.to_string());
            self.shapes.insert(
                "YYYY-MM-DDThh:mm:ss±hh:mm, rfc3339".to_string(),
                self.rfc3339,
            );
        }
        for (&s, &(count, ..)) in &self.numeric {
            let (day_first, month_first) = orders.get(&s).copied().unwrap_or((true, true));
            let (format, shape) = match (day_first, month_first) {
                (false, true) => (format!("%m{s}%d{s}%Y"), format!("MM{s}DD{s}YYYY")),
                (true, false) => (format!("%d{s}%m{s}%Y"), format!("DD{s}MM{s}YYYY")),
                _ => {
                    self.ambiguous = true;
                    (
                        format!("%d{s}%m{s}%Y"),
                        format!("DD{s}MM{s}YYYY or MM{s}DD{s}YYYY"),
                    )
                }
            };
            self.formats.push(format);
            self.shapes.insert(shape, count);
        }
    }

    /// The shapes, most frequent first: `YYYY-MM-DD` or `YYYY-MM-DD 4800, YYYY/M/D 2`.
    pub(crate) fn shapes_text(&self) -> String {
        let mut shapes: Vec<(&String, &usize)> = self.shapes.iter().collect();
        shapes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        if shapes.len() == 1 {
            return shapes[0].0.clone();
        }
        let mut text = shapes
            .iter()
            .take(3)
            .map(|(shape, count)| format!("{shape} {count}"))
            .collect::<Vec<_>>()
            .join(", ");
        if shapes.len() > 3 {
            text.push_str(&format!(", {} more shapes", shapes.len() - 3));
        }
        text
    }
}

/// What a column's cells show as numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct NumberEvidence {
    /// Cells that are numbers.
    pub count: usize,
    /// Whether every one is a whole number.
    pub whole: bool,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

/// A plain decimal number (`12`, `-3.5`, `7.0`), not `1e5` or `inf`.
fn number(cell: &str) -> Option<f64> {
    let plain = cell
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    plain
        .then(|| cell.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite())
}

/// Everything the sample shows about one column.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Its position (0-based).
    pub index: usize,
    /// Its header as written.
    pub header: String,
    /// Rows sampled.
    pub rows: usize,
    /// Filled cells.
    pub filled: usize,
    /// Each distinct filled value and its cells.
    pub values: BTreeMap<String, usize>,
    /// Dates.
    pub dates: DateEvidence,
    /// Numbers.
    pub numbers: NumberEvidence,
    /// Cells that read as 案号.
    pub cn_numbers: usize,
    /// Cells that are CNJ numbers with the right check digits.
    pub cnj_numbers: usize,
    /// Cells of 20 digits whose CNJ check digits are wrong.
    pub cnj_wrong_digits: usize,
    /// Cells naming a court (…法院).
    pub court_names: usize,
}

impl Column {
    /// The evidence of column `index` of the sample.
    pub(crate) fn of(sample: &Sample, index: usize) -> Column {
        let cells = || {
            sample
                .rows
                .iter()
                .filter_map(move |row| row.get(index).map(String::as_str))
                .filter(|cell| !cell.is_empty())
        };
        let mut values: BTreeMap<String, usize> = BTreeMap::new();
        let mut numbers = NumberEvidence {
            whole: true,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            ..NumberEvidence::default()
        };
        let (mut cn_numbers, mut cnj_numbers, mut cnj_wrong_digits, mut court_names) = (0, 0, 0, 0);
        for cell in cells() {
            *values.entry(cell.to_string()).or_default() += 1;
            if let Some(n) = number(cell) {
                numbers.count += 1;
                numbers.whole &= n.fract() == 0.0 && !cell.contains('.');
                numbers.min = numbers.min.min(n);
                numbers.max = numbers.max.max(n);
            }
            cn_numbers += usize::from(
                case_number::parse_canonical(&case_number::canonical_case_number(cell)).is_ok(),
            );
            match cnj::parse_cnj(cell) {
                Ok(_) => cnj_numbers += 1,
                Err(CnjError::CheckDigits { .. }) => cnj_wrong_digits += 1,
                Err(CnjError::NotTwentyDigits) => {}
            }
            court_names += usize::from(cell.ends_with("法院"));
        }
        Column {
            index,
            header: sample.headers[index].clone(),
            rows: sample.rows.len(),
            filled: cells().count(),
            values,
            dates: DateEvidence::of(cells()),
            numbers,
            cn_numbers,
            cnj_numbers,
            cnj_wrong_digits,
            court_names,
        }
    }

    /// Whether at least 80 % of its filled cells read as dates (an export's date column may
    /// hold a few impossible dates, 2021-06-31, which is what `validate` is for).
    pub(crate) fn is_dates(&self) -> bool {
        self.filled > 0 && self.dates.read * 10 >= self.filled * 8
    }

    /// Whether at least 90 % of its filled cells are numbers (and it is not a date column).
    pub(crate) fn is_numbers(&self) -> bool {
        self.filled > 0 && !self.is_dates() && self.numbers.count * 10 >= self.filled * 9
    }

    /// Few distinct values, each seen more than once on average: 2 to 30 distinct values, at most
    /// half as many as filled cells, and no decimals — what a procedure, an instance or a class
    /// code looks like.
    pub(crate) fn is_low_cardinality(&self) -> bool {
        let distinct = self.values.len();
        let decimals = self.numbers.count > 0 && !self.numbers.whole && self.is_numbers();
        (2..=30).contains(&distinct) && distinct * 2 <= self.filled && !decimals
    }

    /// Its values, most frequent first (then in text order).
    pub(crate) fn values_by_count(&self) -> Vec<(&str, usize)> {
        let mut values: Vec<(&str, usize)> =
            self.values.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        values
    }
}

/// `part` of `whole` as a whole percentage, 100 % only when all: `98%`.
pub(crate) fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0%".to_string();
    }
    let share = (part as f64 * 100.0 / whole as f64).round() as usize;
    let share = match part == whole {
        true => 100,
        false => share.min(99),
    };
    format!("{share}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_shapes_name_each_run_of_digits() {
        assert_eq!(date_shape("2021-03-05"), "YYYY-MM-DD");
        assert_eq!(date_shape("2021/3/5 9:30"), "YYYY/M/D h:mm");
        assert_eq!(date_shape("2021年3月5日"), "YYYY年M月D日");
        assert_eq!(date_shape("20210305"), "YYYYMMDD");
        assert_eq!(date_shape("2021-03-05 09:30:00.0"), "YYYY-MM-DD hh:mm:ss.f");
    }

    #[test]
    fn the_date_share_counts_cells_in_any_format_and_names_the_profile_formats_needed() {
        let cells = ["2021-03-05", "2021-03-06", "2021/3/7", "未结", "2021-02-30"];
        let evidence = DateEvidence::of(cells.into_iter());
        // 未结 is no date and 2021-02-30 no real day: 3 of 5 read.
        assert_eq!(evidence.read, 3);
        assert_eq!(evidence.shapes_text(), "YYYY-MM-DD 2, YYYY/M/D 1");
        assert!(evidence.formats.is_empty());
        let mut brazil =
            DateEvidence::of(["12/05/2021", "20/04/2021", "2021-03-01T09:00:00-03:00"].into_iter());
        assert_eq!(brazil.read, 3);
        assert_eq!(brazil.formats, vec!["rfc3339", "%d/%m/%Y"]);
        assert!(!brazil.ambiguous);
        let mut unclear = DateEvidence::of(["01/02/2021", "03/04/2021"].into_iter());
        assert!(unclear.ambiguous);
        assert_eq!(unclear.shapes_text(), "DD/MM/YYYY or MM/DD/YYYY");
        // Another column's 20/04/2021 tells the order of this one's.
        unclear.resolve(&brazil.orders());
        assert!(!unclear.ambiguous);
        assert_eq!(unclear.formats, vec!["%d/%m/%Y"]);
        brazil.resolve(&brazil.orders());
        assert_eq!(
            brazil.shapes_text(),
            "DD/MM/YYYY 2, YYYY-MM-DDThh:mm:ss±hh:mm, rfc3339 1"
        );
        let american = DateEvidence::of(["12/25/2021"].into_iter());
        assert_eq!(american.formats, vec!["%m/%d/%Y"]);
    }

    #[test]
    fn low_cardinality_means_few_values_that_repeat() {
        let sample = Sample {
            kind: crate::read::sample::SampleKind::Csv,
            encoding: crate::read::encoding::TextEncoding::Utf8,
            delimiter: b',',
            header_line: 1,
            headers: vec!["grau".into(), "id".into(), "ratio".into()],
            rows: (0..10)
                .map(|i| {
                    vec![
                        ["G1", "G2"][i % 2].to_string(),
                        i.to_string(),
                        format!("{}.5", i % 2),
                    ]
                })
                .collect(),
            whole_file: true,
        };
        assert!(Column::of(&sample, 0).is_low_cardinality());
        // Ten distinct values in ten rows: an identifier, not a procedure.
        assert!(!Column::of(&sample, 1).is_low_cardinality());
        // Decimals are measures, not codes.
        assert!(!Column::of(&sample, 2).is_low_cardinality());
        assert_eq!(percent(98, 100), "98%");
        assert_eq!(percent(999, 1000), "99%");
        assert_eq!(percent(3, 3), "100%");
    }
}
