//! `validate`'s data-quality report: what in the export could not be used, field by field and,
//! with `--details`, line by line; as a terminal table, CSV or JSON.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::measure::quality::Quality;
use crate::model::cases::Register;
use crate::model::fields::Field;
use crate::render::columns::{FIELD_COLUMNS, PROBLEM_COLUMNS};
use crate::render::labels::{generated_by, inputs_json, rows_json, rows_line};
use crate::render::text::{csv_text, pretty_json, terminal_row, write_safe_record};

/// What `validate` shows: the inputs as read and what could not be used.
#[derive(Debug, Clone)]
pub struct Validation<'a> {
    /// The inputs, as read.
    pub register: &'a Register,
    /// What could not be used.
    pub quality: &'a Quality,
    /// `--details`: every problem, with its file, line, column, value and reason.
    pub details: bool,
}

/// An input column that supplies no field: (file, header, note).
struct UnusedColumn {
    file: String,
    column: String,
    note: String,
}

impl Validation<'_> {
    /// Unknown and shadowed columns, per file.
    fn unused_columns(&self) -> Vec<UnusedColumn> {
        let mut unused = Vec::new();
        for source in &self.register.sources {
            let columns = &source.columns;
            for &index in &columns.unknown {
                unused.push(UnusedColumn {
                    file: source.name.clone(),
                    column: columns.headers[index].clone(),
                    note: "not a known field; ignored".to_string(),
                });
            }
            for &index in &columns.ignored {
                unused.push(UnusedColumn {
                    file: source.name.clone(),
                    column: columns.headers[index].clone(),
                    note: "the profile's [ignore] columns lists it; ignored".to_string(),
                });
            }
            for &(index, field) in &columns.shadowed {
                // why: say why the other column won (issue 15, point 4): the profile mapped it,
                // or it came first.
                let why = match columns.is_mapped(field) {
                    true => " (the profile's [columns] maps it)",
                    false => "",
                };
                unused.push(UnusedColumn {
                    file: source.name.clone(),
                    column: columns.headers[index].clone(),
                    note: format!(
                        "{field} already supplied by column \"{}\"{why}; ignored",
                        columns.header_of(field)
                    ),
                });
            }
        }
        unused
    }

    /// The JSON document: inputs, rows, per-field counts, unused columns, and the problems with
    /// `--details`.
    pub fn to_json(&self) -> String {
        let (register, quality) = (self.register, self.quality);
        let fields: Vec<Value> = Field::ALL
            .iter()
            .map(|&field| {
                let counts = quality.field(field);
                json!({ "field": field.id(), "column": register.columns_of(field), "missing": counts.missing, "invalid": counts.invalid })
            })
            .collect();
        let unused: Vec<Value> = self
            .unused_columns()
            .into_iter()
            .map(|u| json!({ "file": u.file, "column": u.column, "note": u.note }))
            .collect();
        let mut value = json!({
            "generated_by": generated_by(),
            "inputs": inputs_json(register),
            "rows": rows_json(quality),
            "fields": fields,
            "unused_columns": unused,
            "problems_total": quality.problems.len(),
            "case_numbers_normalised": quality.case_numbers_normalised,
        });
        if self.details {
            value["problems"] = serde_json::to_value(&quality.problems).unwrap_or(Value::Null);
        }
        pretty_json(&value)
    }

    /// CSV: the problems with `--details`, else the per-field counts.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        if self.details {
            write_safe_record(&mut writer, &PROBLEM_COLUMNS);
            for p in &self.quality.problems {
                let line = p.line.to_string();
                let row = [
                    p.file.as_str(),
                    line.as_str(),
                    p.column.as_str(),
                    p.value.as_str(),
                    p.reason.as_str(),
                ];
                write_safe_record(&mut writer, &row);
            }
        } else {
            write_safe_record(&mut writer, &FIELD_COLUMNS);
            for field in Field::ALL {
                let counts = self.quality.field(field);
                let column = self.register.columns_of(field).unwrap_or_default();
                let row = [
                    field.id().to_string(),
                    column,
                    counts.missing.to_string(),
                    counts.invalid.to_string(),
                ];
                write_safe_record(&mut writer, &row);
            }
        }
        csv_text(writer)
    }

    /// The terminal table: inputs, rows, per-field counts, unused columns, then the problems
    /// (with `--details`) or their number.
    pub fn to_table(&self) -> String {
        let quality = self.quality;
        let mut out = String::new();
        for s in &self.register.sources {
            out.push_str(&format!(
                "{}: {} rows, {}, delimiter {:?}, sha256 {}\n",
                s.name, s.rows, s.encoding, s.delimiter as char, s.sha256
            ));
            if s.header_line > 1 {
                out.push_str(&format!(
                    "{}: header on line {}; the {} line(s) above it were skipped (listed with --details)\n",
                    s.name,
                    s.header_line,
                    s.header_line - 1
                ));
            }
        }
        out.push_str(&rows_line(quality));
        out.push('\n');
        if quality.case_numbers_normalised > 0 {
            out.push_str(&format!(
                "{} case number(s) typed with full-width characters (２０２１, Ａ) read as their ASCII form\n",
                quality.case_numbers_normalised
            ));
        }
        out.push_str(&self.fields_table());
        for u in self.unused_columns() {
            out.push_str(&format!(
                "{}: column \"{}\": {}\n",
                u.file, u.column, u.note
            ));
        }
        if self.details {
            out.push_str(&self.problems_table());
        } else if !quality.problems.is_empty() {
            out.push_str(&format!(
                "{} problems; list them with --details\n",
                quality.problems.len()
            ));
        }
        out
    }

    /// Missing and invalid values per field, as a terminal table.
    fn fields_table(&self) -> String {
        let mut fields = Table::new();
        fields.load_style(UTF8_FULL_CONDENSED);
        fields.set_header(FIELD_COLUMNS);
        for field in Field::ALL {
            let counts = self.quality.field(field);
            fields.add_row(terminal_row(&[
                field.id().to_string(),
                self.register
                    .columns_of(field)
                    .unwrap_or_else(|| "(absent)".to_string()),
                counts.missing.to_string(),
                counts.invalid.to_string(),
            ]));
        }
        format!("{fields}\n")
    }

    /// Every problem, as a terminal table.
    fn problems_table(&self) -> String {
        let mut problems = Table::new();
        problems.load_style(UTF8_FULL_CONDENSED);
        problems.set_header(PROBLEM_COLUMNS);
        for p in &self.quality.problems {
            problems.add_row(terminal_row(&[
                p.file.clone(),
                p.line.to_string(),
                p.column.clone(),
                p.value.clone(),
                p.reason.clone(),
            ]));
        }
        format!("{problems}\n")
    }
}
