//! `profile check`: what a profile makes of an export, field by field — the column used and why,
//! its filled, empty and invalid cells (counted as `validate` counts them, over the rows kept as
//! cases) and up to five example values — then the cases per procedure; as a terminal table, CSV
//! or JSON.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::measure::quality::Quality;
use crate::model::cases::{CaseTable, procedure_code};
use crate::model::fields::{Field, LabelField};
use crate::read::case_number::Procedure;
use crate::read::profile::{CaseNumberFormat, Profile};
use crate::read::sample::{Sample, column_letters};
use crate::render::labels::{generated_by, inputs_json, rows_json, rows_line};
use crate::render::text::{csv_text, pretty_json, terminal_row, write_safe_record};

/// Example values shown per field.
const EXAMPLES: usize = 5;

/// Columns of the per-field table.
const CHECK_COLUMNS: [&str; 8] = [
    "field",
    "column",
    "letter",
    "chosen by",
    "filled",
    "empty",
    "invalid",
    "examples",
];

/// One field as the profile reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCheck {
    /// The field.
    pub field: Field,
    /// The header of the column used (or what supplies the field).
    pub column: String,
    /// The column's letter (A, B …), empty when no column supplies it.
    pub letter: String,
    /// Why this column: the profile's `[columns]`, a built-in name.
    pub chosen_by: String,
    /// Cells filled (over the kept cases).
    pub filled: u64,
    /// Cells empty.
    pub empty: u64,
    /// Cells filled that do not read as the field's values.
    pub invalid: u64,
    /// The first distinct filled values, in file order.
    pub examples: Vec<String>,
}

/// What `profile check` shows.
pub struct ProfileCheck<'a> {
    table: &'a CaseTable,
    quality: &'a Quality,
    /// The profile's name.
    profile: String,
    /// One row per field the export supplies (or the profile maps).
    pub fields: Vec<FieldCheck>,
    /// Cases per procedure, as the profile's rules read them.
    pub procedures: Vec<(Procedure, u64)>,
}

impl<'a> ProfileCheck<'a> {
    /// The check of one input read with `profile`; `sample`: its first rows, for the examples.
    pub fn new(
        table: &'a CaseTable,
        quality: &'a Quality,
        profile: &Profile,
        sample: Option<&Sample>,
    ) -> ProfileCheck<'a> {
        let mut fields = Vec::new();
        for field in Field::ALL {
            if let Some(check) = field_check(table, quality, profile, sample, field) {
                fields.push(check);
            }
        }
        let columns = &table.columns;
        let mut counts = vec![0u64; Procedure::ALL.len()];
        for row in 0..columns.len() {
            if let Some(count) = counts.get_mut(usize::from(columns.procedure(row))) {
                *count += 1;
            }
        }
        let procedures = Procedure::ALL
            .into_iter()
            .map(|p| (p, counts[usize::from(procedure_code(p))]))
            .filter(|(_, count)| *count > 0)
            .collect();
        ProfileCheck {
            table,
            quality,
            profile: profile.name.clone(),
            fields,
            procedures,
        }
    }

    /// Columns that supply nothing: unknown, ignored, or beaten by another column.
    fn unused_columns(&self) -> Vec<String> {
        let mut unused = Vec::new();
        for source in &self.table.register.sources {
            let columns = &source.columns;
            let mut indices: Vec<usize> = columns.unknown.clone();
            indices.extend(&columns.ignored);
            indices.extend(columns.shadowed.iter().map(|(index, _)| *index));
            indices.sort_unstable();
            indices.dedup();
            unused.extend(indices.into_iter().map(|i| columns.headers[i].clone()));
        }
        unused
    }

    /// The terminal table: the input, the fields, the procedures, the unused columns.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for s in &self.table.register.sources {
            out.push_str(&format!(
                "{}: profile {}; {}, delimiter {:?}, header on line {}\n",
                s.name, self.profile, s.encoding, s.delimiter as char, s.header_line
            ));
        }
        out.push_str(&rows_line(self.quality));
        out.push_str("\ncounts are over the rows used as cases; case_no's empty cells are the rows rejected without one\n");
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_header(CHECK_COLUMNS);
        for row in self.rows() {
            table.add_row(terminal_row(&row));
        }
        out.push_str(&format!("{table}\n"));
        let mut procedures = Table::new();
        procedures.load_style(UTF8_FULL_CONDENSED);
        procedures.set_header(["procedure", "cases"]);
        for (procedure, count) in &self.procedures {
            procedures.add_row([procedure.id().to_string(), count.to_string()]);
        }
        out.push_str(&format!("{procedures}\n"));
        let unused = self.unused_columns();
        if !unused.is_empty() {
            out.push_str(&format!("columns not used: {}\n", unused.join(", ")));
        }
        out
    }

    /// The per-field rows as text cells.
    fn rows(&self) -> Vec<[String; 8]> {
        self.fields
            .iter()
            .map(|f| {
                [
                    f.field.id().to_string(),
                    f.column.clone(),
                    f.letter.clone(),
                    f.chosen_by.clone(),
                    f.filled.to_string(),
                    f.empty.to_string(),
                    f.invalid.to_string(),
                    f.examples.join(" | "),
                ]
            })
            .collect()
    }

    /// CSV: one row per field (examples joined by ` | `).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_safe_record(&mut writer, &CHECK_COLUMNS.map(|c| c.replace(' ', "_")));
        for row in self.rows() {
            write_safe_record(&mut writer, &row);
        }
        csv_text(writer)
    }

    /// JSON: inputs, rows, fields, procedures and unused columns.
    pub fn to_json(&self) -> String {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| {
                json!({
                    "field": f.field.id(), "column": f.column, "letter": f.letter,
                    "chosen_by": f.chosen_by, "filled": f.filled, "empty": f.empty,
                    "invalid": f.invalid, "examples": f.examples,
                })
            })
            .collect();
        let procedures: Vec<Value> = self
            .procedures
            .iter()
            .map(|(p, count)| json!({ "procedure": p.id(), "cases": count }))
            .collect();
        pretty_json(&json!({
            "generated_by": generated_by(),
            "profile": self.profile,
            "inputs": inputs_json(&self.table.register),
            "rows": rows_json(self.quality),
            "fields": fields,
            "procedures": procedures,
            "unused_columns": self.unused_columns(),
        }))
    }
}

/// The check of `field`: None when nothing supplies it and the profile does not map it.
fn field_check(
    table: &CaseTable,
    quality: &Quality,
    profile: &Profile,
    sample: Option<&Sample>,
    field: Field,
) -> Option<FieldCheck> {
    let source = table.register.sources.first()?;
    let columns = &source.columns;
    let kept = table.columns.len() as u64;
    let Some(index) = columns.column_of[field as usize] else {
        return absent_field(table, profile, field);
    };
    let header = &columns.headers[index];
    let chosen_by = match columns.mapped.contains(&index) {
        true if profile.conditional_fields.iter().any(|c| c.field == field) => {
            "profile [columns], with when".to_string()
        }
        true => "profile [columns]".to_string(),
        false => format!(
            "built-in {}",
            field.built_in_name_kind(header).unwrap_or("name")
        ),
    };
    let counts = quality.field(field);
    let (filled, empty) = match field {
        Field::CaseNo => (kept, quality.rejected),
        _ => (kept.saturating_sub(counts.missing), counts.missing),
    };
    // The examples come from the same header row the reader found.
    let examples = sample
        .filter(|s| s.header_line == source.header_line && s.headers.len() == columns.headers.len())
        .map(|s| s.first_distinct(index, EXAMPLES))
        .unwrap_or_default();
    Some(FieldCheck {
        field,
        column: header.clone(),
        letter: column_letters(index),
        chosen_by,
        filled,
        empty,
        invalid: counts.invalid,
        examples,
    })
}

/// A field no column supplies: the court of CNJ numbers, or a header the profile maps that the
/// export lacks.
fn absent_field(table: &CaseTable, profile: &Profile, field: Field) -> Option<FieldCheck> {
    if field == Field::Court && profile.case_numbers == CaseNumberFormat::Cnj {
        let (register, columns) = (&table.register, &table.columns);
        let courts = columns.label(LabelField::Court);
        let mut examples: Vec<String> = Vec::new();
        let mut filled = 0;
        for row in 0..columns.len() {
            let court = register.courts.label(courts.get(row));
            if court.is_empty() {
                continue;
            }
            filled += 1;
            if examples.len() < EXAMPLES && !examples.iter().any(|e| e == court) {
                examples.push(court.to_string());
            }
        }
        return Some(FieldCheck {
            field,
            column: "(J.TR.OOOO of the CNJ number)".to_string(),
            letter: String::new(),
            chosen_by: "[case_numbers] format = \"cnj\"".to_string(),
            filled,
            empty: columns.len() as u64 - filled,
            invalid: 0,
            examples,
        });
    }
    let mapped = profile.aliases.mapped_names(field);
    (!mapped.is_empty()).then(|| FieldCheck {
        field,
        column: "(absent)".to_string(),
        letter: String::new(),
        chosen_by: format!(
            "profile [columns] maps {}: not in the file",
            mapped
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        filled: 0,
        empty: 0,
        invalid: 0,
        examples: Vec::new(),
    })
}
