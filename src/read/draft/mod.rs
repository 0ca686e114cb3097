//! `casemetrics profile draft`: a profile guessed from an export's header and first rows, written
//! as commented TOML. A header that is a field's built-in name is mapped (an active line); a guess
//! is a commented-out line with its evidence, unless the profile cannot be read without it (a
//! case-number column, one date column): then it is active and marked GUESS. Procedure-like
//! columns become rule stubs with their values' counts; the case-key candidates, the encoding,
//! the delimiter and the date formats are given with the evidence for them.

mod evidence;
mod keys;
mod write;

use std::path::Path;

use crate::error::Result;
use crate::model::fields::{ColumnMap, Field, FieldKind, HeaderAliases};
use crate::read::sample::{Sample, SampleOptions, read_sample};

pub(crate) use evidence::Column;
use keys::KeyCandidates;

/// Draft a profile for the export at `path` from its first `options.rows` rows.
pub fn draft_profile(path: &Path, options: &SampleOptions<'_>) -> Result<String> {
    let sample = read_sample(path, options)?;
    let draft = Draft::new(&path.to_string_lossy(), sample);
    Ok(write::profile_text(&draft))
}

/// What a column is taken for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapping {
    /// Its header is a built-in name of the field (`name` says which kind of name).
    BuiltIn {
        /// The field.
        field: Field,
        /// "id", "Chinese name" or "database code".
        name: &'static str,
    },
    /// Its header is a built-in name of a field that an earlier column supplies.
    Shadowed {
        /// The field.
        field: Field,
        /// The column that supplies it.
        by: usize,
    },
    /// A guess, with its evidence; active when the profile cannot be read without it.
    Guess {
        /// The field guessed.
        field: Field,
        /// The evidence.
        why: String,
        /// Whether the line is active.
        active: bool,
    },
    /// Nothing known or guessed.
    Unmapped,
}

impl Mapping {
    fn field(&self) -> Option<Field> {
        match self {
            Mapping::BuiltIn { field, .. } | Mapping::Guess { field, .. } => Some(*field),
            Mapping::Shadowed { .. } | Mapping::Unmapped => None,
        }
    }
}

/// How the case numbers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberFormat {
    /// Most read as 案号 (the default format).
    Cn {
        /// Cells read as 案号.
        read: usize,
    },
    /// Most are CNJ numbers.
    Cnj {
        /// With the right check digits.
        valid: usize,
        /// With wrong check digits.
        wrong: usize,
    },
    /// Neither: identifiers.
    Text,
}

/// The date fields an export must have one of.
const DATE_FIELDS: [Field; 4] = [
    Field::FiledAt,
    Field::ClosedAt,
    Field::ReceivedAt,
    Field::AppealReceivedAt,
];

/// Words in a header that suggest a field (lower case), tried in this order: the appeal before
/// the receipt, which its header also names.
const HINTS: [(Field, &[&str]); 10] = [
    (
        Field::CaseNo,
        &[
            "case_no",
            "case number",
            "case_number",
            "caseno",
            "processo",
            "案号",
        ],
    ),
    (Field::AppealReceivedAt, &["appeal", "recurso", "上诉"]),
    (
        Field::FiledAt,
        &[
            "filed",
            "filing",
            "regist",
            "ajuizamento",
            "distribu",
            "立案",
            "收案",
        ],
    ),
    (
        Field::ClosedAt,
        &[
            "closed",
            "closing",
            "dispos",
            "julgamento",
            "baixa",
            "decision",
            "judgment",
            "结案",
            "审结",
        ],
    ),
    (Field::ReceivedAt, &["received", "receipt", "收到"]),
    (
        Field::Court,
        &["court", "tribunal", "orgao", "órgão", "vara", "法院"],
    ),
    (Field::DeductedDays, &["deduct", "suspen", "扣除"]),
    (
        Field::Procedure,
        &["procedure", "instance", "grau", "程序", "审级"],
    ),
    (Field::Judge, &["judge", "juiz", "magistrad", "法官"]),
    (Field::Cause, &["cause", "assunto", "案由"]),
];

/// The field a header's words suggest, among `fields`.
fn hinted(header: &str, fields: &[Field]) -> Option<Field> {
    let header = header.to_lowercase();
    HINTS
        .iter()
        .filter(|(field, _)| fields.contains(field))
        .find(|(_, words)| words.iter().any(|w| header.contains(w)))
        .map(|(field, _)| *field)
}

/// Everything the draft says, before it is written.
pub(crate) struct Draft {
    /// The input as named.
    pub name: String,
    /// Its sample.
    pub sample: Sample,
    /// What each column's cells show.
    pub columns: Vec<Column>,
    /// What each column is taken for.
    pub mappings: Vec<Mapping>,
    /// Whether every header is a built-in name.
    pub all_built_in: bool,
    /// The case-number column.
    pub case_no: Option<usize>,
    /// How its cells read.
    pub format: NumberFormat,
    /// The procedure column.
    pub procedure: Option<usize>,
    /// Columns with few distinct values, as procedure rule stubs.
    pub rule_columns: Vec<usize>,
    /// The case-key candidates.
    pub keys: KeyCandidates,
}

impl Draft {
    /// Guess what each column of `sample` is.
    fn new(name: &str, sample: Sample) -> Draft {
        let mut columns: Vec<Column> = (0..sample.headers.len())
            .map(|index| Column::of(&sample, index))
            .collect();
        // A day above 12 in one column tells the order of day and month in every column.
        let mut orders = evidence::DayMonthOrders::new();
        for column in &columns {
            for (separator, (day, month)) in column.dates.orders() {
                let both = orders.entry(separator).or_insert((true, true));
                *both = (both.0 && day, both.1 && month);
            }
        }
        for column in &mut columns {
            column.dates.resolve(&orders);
        }
        let built_in = ColumnMap::new(sample.headers.clone(), &HeaderAliases::default());
        let mut mappings = vec![Mapping::Unmapped; columns.len()];
        for field in Field::ALL {
            if let Some(index) = built_in.column_of[field as usize] {
                let name = field
                    .built_in_name_kind(&sample.headers[index])
                    .unwrap_or("id");
                mappings[index] = Mapping::BuiltIn { field, name };
            }
        }
        for &(index, field) in &built_in.shadowed {
            let by = built_in.column_of[field as usize].unwrap_or(index);
            mappings[index] = Mapping::Shadowed { field, by };
        }
        let mut guesses = Guesses {
            columns: &columns,
            mappings,
        };
        guesses.case_number();
        guesses.dates();
        guesses.by_name();
        let mappings = guesses.mappings;
        let case_no = column_of(&mappings, Field::CaseNo);
        let procedure = column_of(&mappings, Field::Procedure);
        let rule_columns: Vec<usize> = columns
            .iter()
            .filter(|c| mappings[c.index] == Mapping::Unmapped)
            .filter(|c| c.is_low_cardinality() && !c.is_dates())
            .map(|c| c.index)
            .collect();
        // Dates and measures identify no case, even when the sample holds no two alike.
        let mut key_columns: Vec<usize> = (0..columns.len())
            .filter(|&c| !columns[c].is_dates())
            .filter(|&c| !columns[c].is_numbers() || columns[c].numbers.whole)
            .collect();
        key_columns.sort_by_key(|&c| (columns[c].values.len(), c));
        let keys = keys::key_candidates(&sample.rows, case_no, &key_columns);
        Draft {
            name: name.to_string(),
            all_built_in: built_in.unknown.is_empty(),
            format: case_no.map_or(NumberFormat::Cn { read: 0 }, |c| number_format(&columns[c])),
            sample,
            columns,
            mappings,
            case_no,
            procedure,
            rule_columns,
            keys,
        }
    }
}

/// The column mapped (or guessed) to `field`.
fn column_of(mappings: &[Mapping], field: Field) -> Option<usize> {
    mappings.iter().position(|m| m.field() == Some(field))
}

/// How a case-number column's cells read.
fn number_format(column: &Column) -> NumberFormat {
    let filled = column.filled;
    if filled == 0 || column.cn_numbers * 2 >= filled {
        NumberFormat::Cn {
            read: column.cn_numbers,
        }
    } else if column.cnj_numbers * 2 >= filled {
        NumberFormat::Cnj {
            valid: column.cnj_numbers,
            wrong: column.cnj_wrong_digits,
        }
    } else {
        NumberFormat::Text
    }
}

/// The guesses for the columns no built-in name maps.
struct Guesses<'c> {
    columns: &'c [Column],
    mappings: Vec<Mapping>,
}

impl Guesses<'_> {
    /// Whether some column already supplies `field`.
    fn has(&self, field: Field) -> bool {
        column_of(&self.mappings, field).is_some()
    }

    /// Columns not yet taken for anything.
    fn unmapped(&self) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(|c| self.mappings[c.index] == Mapping::Unmapped)
    }

    /// Without a built-in case-number column, the column most like one: filled in at least 90 %
    /// of the rows, not dates, with the most 案号 or CNJ numbers, then a name that suggests it,
    /// then the most distinct values. Active: a profile needs one.
    fn case_number(&mut self) {
        if self.has(Field::CaseNo) {
            return;
        }
        let (columns, mappings) = (self.columns, &self.mappings);
        let best = columns
            .iter()
            .filter(|c| mappings[c.index] == Mapping::Unmapped)
            .filter(|c| c.filled > 0 && c.filled * 10 >= c.rows * 9 && !c.is_dates())
            .max_by_key(|c| {
                let numbers = c.cn_numbers + c.cnj_numbers + c.cnj_wrong_digits;
                let named = hinted(&c.header, &[Field::CaseNo]).is_some();
                (numbers, named, c.values.len(), std::cmp::Reverse(c.index))
            });
        let Some(column) = best else { return };
        let mut why = format!(
            "GUESS (active: a profile needs a case-number column): {} distinct values in {} filled of {} sampled cells",
            column.values.len(),
            column.filled,
            column.rows
        );
        if column.cnj_numbers + column.cnj_wrong_digits > 0 {
            why.push_str(&format!(
                "; {} shaped like CNJ numbers",
                column.cnj_numbers + column.cnj_wrong_digits
            ));
        } else if column.cn_numbers > 0 {
            why.push_str(&format!("; {} read as 案号", column.cn_numbers));
        }
        if hinted(&column.header, &[Field::CaseNo]).is_some() {
            why.push_str("; the name suggests case_no");
        }
        self.mappings[column.index] = Mapping::Guess {
            field: Field::CaseNo,
            why,
            active: true,
        };
    }

    /// Date columns no built-in name maps: a date field by a word of the header, else the
    /// earliest column on average as filed_at and the latest as closed_at. Without any built-in
    /// date column, one guess is made active (filed_at first): a profile needs a date column.
    fn dates(&mut self) {
        let dated: Vec<usize> = self
            .unmapped()
            .filter(|c| c.is_dates())
            .map(|c| c.index)
            .collect();
        for &index in &dated {
            let free: Vec<Field> = DATE_FIELDS.into_iter().filter(|f| !self.has(*f)).collect();
            if let Some(field) = hinted(&self.columns[index].header, &free) {
                let why = format!(
                    "guess: the name suggests {field}; {}",
                    date_text(&self.columns[index])
                );
                self.mappings[index] = Mapping::Guess {
                    field,
                    why,
                    active: false,
                };
            }
        }
        self.dates_by_order(&dated);
        let needs_one = DATE_FIELDS.iter().all(|f| {
            !matches!(
                column_of(&self.mappings, *f).map(|c| &self.mappings[c]),
                Some(Mapping::BuiltIn { .. })
            )
        });
        if !needs_one {
            return;
        }
        let first = DATE_FIELDS
            .iter()
            .find_map(|f| column_of(&self.mappings, *f));
        if let Some(Mapping::Guess { why, active, .. }) = first.map(|c| &mut self.mappings[c]) {
            *why = why.replacen(
                "guess:",
                "GUESS (active: a profile needs a date column):",
                1,
            );
            *active = true;
        }
    }

    /// Date columns no name tells: by their mean day, the earliest as filed_at and the latest as
    /// closed_at, where those are free.
    fn dates_by_order(&mut self, dated: &[usize]) {
        let mut left: Vec<(i64, usize)> = dated
            .iter()
            .filter(|&&c| self.mappings[c] == Mapping::Unmapped)
            .filter_map(|&c| mean_day(self.columns, c).map(|day| (day, c)))
            .collect();
        left.sort();
        let ends = [
            (Field::FiledAt, left.first().copied(), "earliest"),
            (
                Field::ClosedAt,
                left.last().copied().filter(|_| left.len() > 1),
                "latest",
            ),
        ];
        for (field, pick, which) in ends {
            let Some((day, index)) = pick else { continue };
            if self.has(field) {
                continue;
            }
            let why = format!(
                "guess: {}; the {which} of the date columns no name tells (mean {})",
                date_text(&self.columns[index]),
                crate::model::calendar::format_day(day as i32)
            );
            self.mappings[index] = Mapping::Guess {
                field,
                why,
                active: false,
            };
        }
    }

    /// Other columns whose header suggests a field (court, procedure, deducted days, judge,
    /// cause), or whose cells name courts: one commented guess per field, the column with the
    /// most distinct values.
    fn by_name(&mut self) {
        let fields = [
            Field::Court,
            Field::Procedure,
            Field::DeductedDays,
            Field::Judge,
            Field::Cause,
        ];
        for field in fields {
            if self.has(field) {
                continue;
            }
            let (columns, mappings) = (self.columns, &self.mappings);
            let best = columns
                .iter()
                .filter(|c| mappings[c.index] == Mapping::Unmapped)
                .filter(|c| c.filled > 0 && !c.is_dates())
                .filter(|c| {
                    let courts = field == Field::Court && c.court_names * 10 >= c.filled * 9;
                    hinted(&c.header, &[field]).is_some() || courts
                })
                .filter(|c| field != Field::DeductedDays || (c.is_numbers() && c.numbers.whole))
                .max_by_key(|c| (c.values.len(), std::cmp::Reverse(c.index)));
            let Some(column) = best else { continue };
            let why = match hinted(&column.header, &[field]) {
                Some(_) => format!("guess: the name suggests {field}"),
                None => format!(
                    "guess: {} of {} filled cells name a court (…法院)",
                    column.court_names, column.filled
                ),
            };
            let why = format!("{why}; {}", write::cells_text(column, Some(field.kind())));
            self.mappings[column.index] = Mapping::Guess {
                field,
                why,
                active: false,
            };
        }
    }
}

/// "100% of 11 filled cells read as dates (YYYY-MM-DD)".
fn date_text(column: &Column) -> String {
    write::cells_text(
        column,
        Some(FieldKind::Date(crate::model::fields::DateField::Filed)),
    )
}

/// The mean day of a date column's cells that read in a built-in format.
fn mean_day(columns: &[Column], index: usize) -> Option<i64> {
    let range = crate::model::calendar::DateRange::default();
    let formats = &columns[index].dates.formats;
    let (mut sum, mut count) = (0i64, 0i64);
    for (value, cells) in &columns[index].values {
        let read = crate::read::dates::parse_with_formats(value, formats, &range)
            .and_then(|read| read.ok())
            .or_else(|| {
                crate::read::dates::parse_timestamp(value, &range)
                    .ok()
                    .flatten()
            });
        if let Some(stamp) = read {
            sum += i64::from(stamp.day) * *cells as i64;
            count += *cells as i64;
        }
    }
    (count > 0).then(|| sum.div_euclid(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_suggest_fields_the_appeal_before_the_receipt() {
        assert_eq!(
            hinted("data_julgamento", &DATE_FIELDS),
            Some(Field::ClosedAt)
        );
        assert_eq!(
            hinted("dataAjuizamento", &DATE_FIELDS),
            Some(Field::FiledAt)
        );
        assert_eq!(
            hinted("appeal_received", &DATE_FIELDS),
            Some(Field::AppealReceivedAt)
        );
        assert_eq!(hinted("received", &DATE_FIELDS), Some(Field::ReceivedAt));
        assert_eq!(hinted("data_x", &DATE_FIELDS), None);
        assert_eq!(
            Field::FiledAt.built_in_name_kind("LARQ"),
            Some("database code")
        );
        assert_eq!(
            Field::FiledAt.built_in_name_kind(" 立案日期 "),
            Some("Chinese name")
        );
        assert_eq!(Field::FiledAt.built_in_name_kind("Filed_At"), Some("id"));
        assert_eq!(Field::FiledAt.built_in_name_kind("data_x"), None);
    }
}
