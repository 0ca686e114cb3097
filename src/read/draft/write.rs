//! The draft written as a profile: valid TOML in the format `--profile FILE.toml` reads, every
//! line with its evidence in a comment, in a fixed order (the same input gives the same bytes).

use std::collections::BTreeSet;

use crate::model::fields::{FieldKind, normalize_header};
use crate::read::case_number::{self, Procedure};
use crate::read::sample::{SampleKind, column_letters};

use super::evidence::{Column, percent};
use super::{Draft, Mapping, NumberFormat};

/// Values listed at most for one procedure-like column.
const MAX_VALUES: usize = 30;

/// The whole profile text.
pub(super) fn profile_text(draft: &Draft) -> String {
    let mut out = String::new();
    heading(draft, &mut out);
    columns_section(draft, &mut out);
    case_numbers_section(draft, &mut out);
    procedure_values(draft, &mut out);
    procedure_rules(draft, &mut out);
    case_key_section(draft, &mut out);
    dates_section(draft, &mut out);
    out
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || crate::read::is_control_character(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value from the export shown in a comment: quoted, and cut after 40 characters.
fn shown(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => quoted(&format!("{}…", &value[..at])),
        None => quoted(value),
    }
}

/// One line: `body   # comment`, commented out unless `active`.
fn line(out: &mut String, active: bool, body: &str, comment: &str) {
    if !active {
        out.push_str("# ");
    }
    out.push_str(body);
    if !comment.is_empty() {
        out.push_str(if body.is_empty() { "# " } else { "   # " });
        out.push_str(comment);
    }
    out.push('\n');
}

/// A comment line (or several, one per line of `text`).
fn comment(out: &mut String, text: &str) {
    for part in text.lines() {
        out.push_str("# ");
        out.push_str(part);
        out.push('\n');
    }
}

fn plural(count: usize, one: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    }
}

/// The header comment: what was read, how, and how to read the draft.
fn heading(draft: &Draft, out: &mut String) {
    let sample = &draft.sample;
    let kind = match sample.kind {
        SampleKind::Csv => "CSV",
        SampleKind::Workbook => "workbook (read as UTF-8 CSV text)",
        SampleKind::Parquet => "Parquet file (read as UTF-8 CSV text)",
    };
    let delimiter = match sample.delimiter {
        b',' => "\",\" (comma)".to_string(),
        b'\t' => "tab".to_string(),
        b';' => "\";\" (semicolon)".to_string(),
        other => quoted(&char::from(other).to_string()),
    };
    let rows = sample.rows.len();
    let extent = match sample.whole_file {
        true => "the whole file".to_string(),
        false => format!("the first {rows}: the file has more"),
    };
    let known = draft
        .mappings
        .iter()
        .filter(|m| matches!(m, Mapping::BuiltIn { .. } | Mapping::Shadowed { .. }))
        .count();
    let mapping = match draft.all_built_in {
        true => "Every header is a built-in name: [columns] below is the built-in mapping, the one\ncasemetrics uses with no --profile.".to_string(),
        false => format!(
            "{known} of {} headers are built-in names; the others are guessed or listed.",
            sample.headers.len()
        ),
    };
    let text = format!(
        "Profile drafted by `casemetrics profile draft` from {}.\n\
         Read: {kind}, encoding {}, delimiter {delimiter}, header on line {}; {} sampled ({extent}).\n\
         Encoding and delimiter are no profile keys: each run detects them again (--encoding and\n\
         --delimiter force them).\n{mapping}\n\
         Active lines are built-in names, and the guesses a profile cannot do without (marked GUESS);\n\
         every other guess or stub is commented out, with its evidence. Try it before a report:\n\
         \x20 casemetrics profile check {} --profile THIS.toml",
        quoted(&draft.name),
        sample.encoding,
        sample.header_line,
        plural(rows, "data row"),
        draft.name,
    );
    comment(out, &text);
    let stem = std::path::Path::new(&draft.name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = std::path::Path::new(&draft.name)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.push_str(&format!("\n[profile]\nname = {}\n", quoted(&stem)));
    out.push_str(&format!(
        "description = {}\n",
        quoted(&format!("drafted by casemetrics profile draft from {file}"))
    ));
}

/// `[columns]`: one line per column, in file order.
fn columns_section(draft: &Draft, out: &mut String) {
    out.push_str("\n[columns]\n");
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for column in &draft.columns {
        let key = quoted(&column.header);
        let place = format!("column {}", column_letters(column.index));
        match &draft.mappings[column.index] {
            Mapping::BuiltIn { field, name } => {
                let body = format!("{key} = {}", quoted(field.id()));
                let note = format!(
                    "{place}: built-in {name} of {field}; {}",
                    cells_text(column, Some(field.kind()))
                );
                let first = keys.insert(normalize_header(&column.header));
                line(out, first, &body, &note);
            }
            Mapping::Shadowed { field, by } => {
                let body = format!("{key} = {}", quoted(field.id()));
                let note = format!(
                    "{place}: also a built-in name of {field}, but column {} ({}) comes first and supplies it",
                    column_letters(*by),
                    quoted(&draft.sample.headers[*by])
                );
                line(out, false, &body, &note);
            }
            Mapping::Guess { field, why, active } => {
                let body = format!("{key} = {}", quoted(field.id()));
                let first = !*active || keys.insert(normalize_header(&column.header));
                line(out, *active && first, &body, &format!("{place}: {why}"));
            }
            Mapping::Unmapped => {
                let stub = match draft.rule_columns.contains(&column.index) {
                    true => " (few distinct values: procedure rule stubs below)",
                    false => "",
                };
                let note = format!("{place}: not mapped{stub}; {}", cells_text(column, None));
                line(out, false, &format!("{key} = \"?\""), &note);
            }
        }
    }
}

/// What a column's cells show, as read for a field of `kind` (None: as they look).
pub(super) fn cells_text(column: &Column, kind: Option<FieldKind>) -> String {
    let (rows, filled) = (column.rows, column.filled);
    if filled == 0 {
        return format!("empty in all {}", plural(rows, "sampled row"));
    }
    let empties = match rows - filled {
        0 => String::new(),
        empty => format!("; {empty} of {rows} sampled cells empty"),
    };
    let dates = || {
        let read = column.dates.read;
        match read {
            0 => format!("none of {filled} filled cells read as a date"),
            _ => format!(
                "{} of {filled} filled cells read as dates ({})",
                percent(read, filled),
                column.dates.shapes_text()
            ),
        }
    };
    let numbers = || {
        let n = &column.numbers;
        let what = if n.whole { "whole numbers" } else { "numbers" };
        match n.count {
            0 => format!("none of {filled} filled cells is a number"),
            count => format!(
                "{count} of {filled} filled cells are {what} ({}..{})",
                n.min, n.max
            ),
        }
    };
    let text = match kind {
        Some(FieldKind::Date(_)) => dates(),
        Some(FieldKind::DeductedDays | FieldKind::Amount(_)) => numbers(),
        None if column.is_dates() => dates(),
        None if column.is_numbers() && column.values.len() > 5 => numbers(),
        _ => values_text(column),
    };
    format!("{text}{empties}")
}

/// "3 distinct values in 11 filled cells: "G1" 7, "G2" 3, "JE" 1" (the values when at most 5).
fn values_text(column: &Column) -> String {
    let distinct = column.values.len();
    let mut text = format!(
        "{} in {} filled cells",
        plural(distinct, "distinct value"),
        column.filled
    );
    if distinct <= 5 {
        let values: Vec<String> = column
            .values_by_count()
            .iter()
            .map(|(value, count)| format!("{} {count}", shown(value)))
            .collect();
        text.push_str(&format!(": {}", values.join(", ")));
    }
    text
}

/// `[case_numbers]`: the format the case-number column's cells read in.
fn case_numbers_section(draft: &Draft, out: &mut String) {
    out.push_str("\n[case_numbers]\n");
    let Some(index) = draft.case_no else {
        comment(
            out,
            "no case-number column found: map one in [columns] (case_no)",
        );
        return;
    };
    let column = &draft.columns[index];
    let header = quoted(&column.header);
    let filled = column.filled;
    match draft.format {
        NumberFormat::Cn { read } => line(
            out,
            false,
            "format = \"cn\"",
            &format!(
                "{read} of {filled} filled cells of {header} read as 案号: the default, nothing to set"
            ),
        ),
        NumberFormat::Cnj { valid, wrong } => {
            let note = format!(
                "{} of {filled} filled cells of {header} are CNJ numbers (NNNNNNN-DD.AAAA.J.TR.OOOO), {wrong} of them with wrong check digits (invalid, still identifiers); with no court column the court is the number's J.TR.OOOO",
                valid + wrong
            );
            line(out, true, "format = \"cnj\"", &note);
        }
        NumberFormat::Text => {
            let wrong = match column.cnj_wrong_digits {
                0 => String::new(),
                n => format!(" ({n} more shaped like CNJ numbers, with wrong check digits)"),
            };
            let note = format!(
                "{} of {filled} filled cells of {header} read as 案号 and {} as CNJ numbers{wrong}: read as identifiers",
                column.cn_numbers, column.cnj_numbers
            );
            line(out, true, "format = \"text\"", &note);
        }
    }
    if !matches!(draft.format, NumberFormat::Cn { .. }) {
        out.push('\n');
        line(
            out,
            false,
            "[court_level]",
            "these numbers carry no court level (a 案号 does): first_instance_days needs one",
        );
        line(
            out,
            false,
            "default = \"basic\"",
            "high, intermediate or basic",
        );
    }
}

/// `[procedure.values]` stubs: the procedure column's values, with the built-in reading of each.
fn procedure_values(draft: &Draft, out: &mut String) {
    let Some(index) = draft.procedure else { return };
    let column = &draft.columns[index];
    out.push('\n');
    let note = format!(
        "column {}: {}; with this section only the values listed are read (uncomment to change the reading)",
        quoted(&column.header),
        plural(column.values.len(), "distinct value")
    );
    line(out, false, "[procedure.values]", &note);
    for (value, count) in column.values_by_count().into_iter().take(MAX_VALUES) {
        let rows = plural(count, "row");
        match case_number::procedure_from_label(value) {
            Some(procedure) => line(
                out,
                false,
                &format!("{} = {}", quoted(value), quoted(procedure.id())),
                &format!("{rows}; the built-in reading"),
            ),
            None => line(
                out,
                false,
                &format!("{} = \"?\"", quoted(value)),
                &format!("{rows}; no built-in reading: fill in ({})", procedure_ids()),
            ),
        }
    }
    more_values(column, out);
}

fn procedure_ids() -> String {
    Procedure::ALL
        .iter()
        .map(|p| p.id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn more_values(column: &Column, out: &mut String) {
    if column.values.len() > MAX_VALUES {
        comment(
            out,
            &format!("… and {} more values", column.values.len() - MAX_VALUES),
        );
    }
}

/// `[[procedure.rules]]` stubs: one per value of each column with few distinct values.
fn procedure_rules(draft: &Draft, out: &mut String) {
    if draft.rule_columns.is_empty() {
        return;
    }
    out.push('\n');
    comment(
        out,
        &format!(
            "Columns with few distinct values, which may tell the procedure alone or together, as\n\
             [[procedure.rules]] stubs: a rule holds when every column it names holds one of its values;\n\
             the first rule that holds wins. then = {}.",
            procedure_ids()
        ),
    );
    for &index in &draft.rule_columns {
        let column = &draft.columns[index];
        comment(
            out,
            &format!(
                "column {}: {} in {} filled cells",
                quoted(&column.header),
                plural(column.values.len(), "distinct value"),
                column.filled
            ),
        );
        for (value, count) in column.values_by_count().into_iter().take(MAX_VALUES) {
            line(out, false, "[[procedure.rules]]", "");
            let when = format!(
                "when = {{ {} = {} }}",
                quoted(&column.header),
                quoted(value)
            );
            line(out, false, &when, &plural(count, "row"));
            line(out, false, "then = \"?\"", "");
        }
        more_values(column, out);
    }
    line(out, false, "[procedure]", "");
    line(out, false, "default = \"other\"", "rows no rule matches");
}

/// `[case_key]`: not needed when the case number is unique, else the unique columns or pairs.
fn case_key_section(draft: &Draft, out: &mut String) {
    let keys = &draft.keys;
    let header = |index: usize| quoted(&draft.sample.headers[index]);
    let rows = keys.distinct_rows;
    let repeated = match keys.repeated {
        0 => String::new(),
        n => format!(
            " ({} repeating an earlier row whole: a duplicate, counted once)",
            plural(n, "more row")
        ),
    };
    out.push('\n');
    let case_no = draft.case_no.map(header);
    if keys.case_no_unique {
        let note = format!(
            "not needed: {} alone is unique in all {}{repeated}",
            case_no.unwrap_or_default(),
            plural(rows, "sampled row")
        );
        line(out, false, "[case_key]", &note);
        return;
    }
    let repeats = match &case_no {
        Some(name) => format!("{name} alone repeats; "),
        None => String::new(),
    };
    let candidates: Vec<Vec<usize>> = match keys.singles.is_empty() {
        false => keys.singles.iter().map(|&c| vec![c]).collect(),
        true => keys.pairs.iter().map(|&(a, b)| vec![a, b]).collect(),
    };
    if candidates.is_empty() {
        let note = format!(
            "{repeats}no column or pair of columns is unique in the {}{repeated}: rows sharing a case number are conflicting, the first kept",
            plural(rows, "sampled row")
        );
        line(out, false, "[case_key]", &note);
        return;
    }
    let what = if keys.singles.is_empty() {
        "these pairs are"
    } else {
        "these columns are"
    };
    let note = format!(
        "{repeats}{what} unique in all {}{repeated}",
        plural(rows, "sampled row")
    );
    line(out, false, "[case_key]", &note);
    for (at, columns) in candidates.iter().enumerate() {
        let names: Vec<String> = columns.iter().map(|&c| header(c)).collect();
        let note = if at == 0 { "" } else { "or" };
        line(
            out,
            false,
            &format!("columns = [{}]", names.join(", ")),
            note,
        );
    }
}

/// `[dates] formats`: the formats beyond the built-in ones that date columns need.
fn dates_section(draft: &Draft, out: &mut String) {
    let mut formats: Vec<String> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    let mut ambiguous = false;
    for column in draft.columns.iter().filter(|c| c.is_dates()) {
        if column.dates.formats.is_empty() {
            continue;
        }
        ambiguous |= column.dates.ambiguous;
        for format in &column.dates.formats {
            if !formats.contains(format) {
                formats.push(format.clone());
            }
        }
        evidence.push(format!(
            "{}: {}",
            quoted(&column.header),
            column.dates.shapes_text()
        ));
    }
    out.push('\n');
    if formats.is_empty() {
        comment(
            out,
            "[dates]: every date column reads in the built-in formats (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD)",
        );
        return;
    }
    out.push_str("[dates]\n");
    let list: Vec<String> = formats.iter().map(|f| quoted(f)).collect();
    let mut note = evidence.join("; ");
    if ambiguous {
        note.push_str("; no number above 12 tells day from month: check the order, then uncomment");
    }
    line(
        out,
        !ambiguous,
        &format!("formats = [{}]", list.join(", ")),
        &note,
    );
}
