//! `casemetrics validate`: what in the export could not be used, field by field and line by line.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::error::{ExitStatus, Result};
use crate::measure::quality::Quality;
use crate::model::cases::CaseTable;
use crate::model::fields::Field;
use crate::render::output::write_output;
use crate::render::report::{pretty_json, write_safe_record};

/// Run `validate`. Exits 0 whenever the input could be read, however bad its rows.
pub fn run(args: &ValidateArgs) -> Result<ExitStatus> {
    let (table, quality) = super::read_inputs(&args.input, crate::cli::ScopeChoice::Auto, false)?;
    let text = render(&table, &quality, args.details, args.format);
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Ok)
}

/// Unknown and shadowed columns, per file: (file, header, note).
fn unused_columns(table: &CaseTable) -> Vec<(String, String, String)> {
    let mut unused = Vec::new();
    for source in &table.register.sources {
        for &index in &source.columns.unknown {
            unused.push((
                source.name.clone(),
                source.columns.headers[index].clone(),
                "not a known field; ignored".to_string(),
            ));
        }
        for &(index, field) in &source.columns.shadowed {
            unused.push((
                source.name.clone(),
                source.columns.headers[index].clone(),
                format!(
                    "{field} already supplied by column \"{}\"; ignored",
                    source.columns.header_of(field)
                ),
            ));
        }
    }
    unused
}

/// Render the data-quality report.
pub fn render(
    table: &CaseTable,
    quality: &Quality,
    details: bool,
    format: ValidateFormat,
) -> String {
    match format {
        ValidateFormat::Json => pretty_json(&json_value(table, quality, details)),
        ValidateFormat::Csv => to_csv(table, quality, details),
        ValidateFormat::Table => to_table(table, quality, details),
    }
}

fn json_value(table: &CaseTable, quality: &Quality, details: bool) -> Value {
    let inputs: Vec<Value> = table
        .register
        .sources
        .iter()
        .map(crate::model::cases::Source::json)
        .collect();
    let fields: Vec<Value> = Field::ALL
        .iter()
        .map(|&field| {
            let counts = quality.field(field);
            json!({ "field": field.id(), "column": table.register.columns_of(field), "missing": counts.missing, "invalid": counts.invalid })
        })
        .collect();
    let unused: Vec<Value> = unused_columns(table)
        .into_iter()
        .map(|(file, column, note)| json!({ "file": file, "column": column, "note": note }))
        .collect();
    let mut value = json!({
        "generated_by": format!("casemetrics {}", env!("CARGO_PKG_VERSION")),
        "inputs": inputs,
        "rows": {
            "read": quality.rows_read, "used": quality.rows_used(), "duplicates": quality.duplicates,
            "conflicting": quality.conflicting, "rejected": quality.rejected,
        },
        "fields": fields,
        "unused_columns": unused,
        "problems_total": quality.problems.len(),
    });
    if details {
        value["problems"] = serde_json::to_value(&quality.problems).unwrap_or(Value::Null);
    }
    value
}

fn to_csv(table: &CaseTable, quality: &Quality, details: bool) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if details {
        let _ = writer.write_record(["file", "line", "column", "value", "reason"]);
        for p in &quality.problems {
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
        let _ = writer.write_record(["field", "column", "missing", "invalid"]);
        for field in Field::ALL {
            let counts = quality.field(field);
            let column = table.register.columns_of(field).unwrap_or_default();
            let row = [
                field.id().to_string(),
                column,
                counts.missing.to_string(),
                counts.invalid.to_string(),
            ];
            write_safe_record(&mut writer, &row);
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn to_table(table: &CaseTable, quality: &Quality, details: bool) -> String {
    let mut out = String::new();
    for s in &table.register.sources {
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
    out.push_str(&format!(
        "rows: {} read, {} used, {} duplicate, {} conflicting case number, {} rejected (no case number)\n",
        quality.rows_read,
        quality.rows_used(),
        quality.duplicates,
        quality.conflicting,
        quality.rejected
    ));
    let mut fields = Table::new();
    fields.load_style(UTF8_FULL_CONDENSED);
    fields.set_header(["field", "column", "missing", "invalid"]);
    for field in Field::ALL {
        let counts = quality.field(field);
        fields.add_row([
            field.id().to_string(),
            table
                .register
                .columns_of(field)
                .unwrap_or_else(|| "(absent)".to_string()),
            counts.missing.to_string(),
            counts.invalid.to_string(),
        ]);
    }
    out.push_str(&fields.to_string());
    out.push('\n');
    for (file, column, note) in unused_columns(table) {
        out.push_str(&format!("{file}: column \"{column}\": {note}\n"));
    }
    if details {
        let mut problems = Table::new();
        problems.load_style(UTF8_FULL_CONDENSED);
        problems.set_header(["file", "line", "column", "value", "reason"]);
        for p in &quality.problems {
            problems.add_row([
                p.file.clone(),
                p.line.to_string(),
                p.column.clone(),
                p.value.clone(),
                p.reason.clone(),
            ]);
        }
        out.push_str(&problems.to_string());
        out.push('\n');
    } else if !quality.problems.is_empty() {
        out.push_str(&format!(
            "{} problems; list them with --details\n",
            quality.problems.len()
        ));
    }
    out
}
