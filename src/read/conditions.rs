//! Conditions over the cells of a row, as a profile writes them: `[[procedure.rules]]` (a
//! procedure that depends on several columns) and `when` on a `[columns]` mapping (a field taken
//! only where a condition holds). Written with header names; resolved to column indices once per
//! file.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::fields::{ColumnMap, Field, normalize_header};
use crate::read::blocks::Row;
use crate::read::case_number::Procedure;
use crate::read::cells::trim_cell;

/// `when = { grau = "G1", codigo_classe = ["156", "12078"] }`: every column named holds one of
/// its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condition {
    /// Header and the accepted values (compared as `code_text` reads them).
    pub cells: Vec<(String, Vec<String>)>,
}

/// One of `[[procedure.rules]]`: the procedure of rows where `when` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureRule {
    /// Where it applies.
    pub when: Condition,
    /// The procedure it gives.
    pub then: Procedure,
}

/// A `[columns]` mapping with `when`: the field is taken from its column only where the
/// condition holds; elsewhere its cell counts as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionalField {
    /// The field.
    pub field: Field,
    /// Where the column supplies it.
    pub when: Condition,
}

/// A condition with its columns found in one file.
#[derive(Debug, Clone, Default)]
pub struct ResolvedCondition {
    cells: Vec<(usize, Vec<String>)>,
}

/// The conditions of one file: its procedure rules and conditional fields.
#[derive(Debug, Clone, Default)]
pub struct FileConditions {
    /// `[[procedure.rules]]`, in order (the first that holds wins).
    pub rules: Vec<(ResolvedCondition, Procedure)>,
    /// Fields taken only where their condition holds.
    pub fields: Vec<(Field, ResolvedCondition)>,
}

/// A cell as compared with a condition's values: trimmed, and a whole number written with a
/// decimal zero (`6094.0`, as spreadsheets and pandas write codes) read as the number.
pub fn code_text(cell: &str) -> &str {
    let cell = trim_cell(cell);
    // why: the DataJud extract writes class codes as 6094.0 (issue 15, "Ship"); a code is the
    // same code whichever way a tool printed it.
    match cell.strip_suffix(".0") {
        Some(whole) if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) => whole,
        _ => cell,
    }
}

impl ResolvedCondition {
    /// Whether every named cell of `record` is one of its values.
    pub fn holds_in(&self, record: &Row<'_>) -> bool {
        self.cells.iter().all(|(index, values)| {
            let bytes = record.get(*index).unwrap_or_default();
            let cell = String::from_utf8_lossy(bytes);
            let cell = code_text(&cell);
            values.iter().any(|v| v == cell)
        })
    }

    /// The cells of `record` it looks at, joined by `+` (to show in a problem).
    pub fn cells_of(&self, record: &Row<'_>) -> String {
        self.cells
            .iter()
            .map(|(index, _)| String::from_utf8_lossy(record.get(*index).unwrap_or_default()))
            .map(|cell| trim_cell(&cell).to_string())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// The headers it looks at, as written in the file, joined by `+`.
    pub fn columns(&self, columns: &ColumnMap) -> String {
        self.cells
            .iter()
            .map(|(index, _)| columns.headers[*index].as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}

/// Find the columns of `condition` in one file; a header the file lacks is an error naming the
/// profile key (`key`) and the headers seen.
fn resolve(
    path: &Path,
    columns: &ColumnMap,
    condition: &Condition,
    key: &str,
    header_line: u64,
) -> Result<ResolvedCondition> {
    let mut cells = Vec::new();
    for (name, values) in &condition.cells {
        let wanted = normalize_header(name);
        let index = columns
            .headers
            .iter()
            .position(|header| normalize_header(header) == wanted)
            .ok_or_else(|| {
                Error::input(
                    path,
                    Some(header_line),
                    format!(
                        "the profile's {key} names column \"{name}\", which this file does not have; headers seen: {}",
                        columns.headers.join(", ")
                    ),
                )
            })?;
        let values = values.iter().map(|v| code_text(v).to_string()).collect();
        cells.push((index, values));
    }
    // In the file's column order, as problems name them.
    cells.sort_by_key(|(index, _)| *index);
    Ok(ResolvedCondition { cells })
}

/// The profile's rules and conditional fields, found in one file.
pub fn resolve_all(
    path: &Path,
    columns: &ColumnMap,
    rules: &[ProcedureRule],
    fields: &[ConditionalField],
    header_line: u64,
) -> Result<FileConditions> {
    let mut resolved = FileConditions::default();
    for rule in rules {
        let condition = resolve(
            path,
            columns,
            &rule.when,
            "[[procedure.rules]]",
            header_line,
        )?;
        resolved.rules.push((condition, rule.then));
    }
    for conditional in fields {
        let key = format!("[columns] when (for {})", conditional.field);
        let condition = resolve(path, columns, &conditional.when, &key, header_line)?;
        resolved.fields.push((conditional.field, condition));
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::HeaderAliases;

    #[test]
    fn codes_match_whichever_way_a_number_was_printed() {
        assert_eq!(code_text(" 6094.0 "), "6094");
        assert_eq!(code_text("7"), "7");
        assert_eq!(code_text("G1"), "G1");
        assert_eq!(code_text(".0"), ".0");
        assert_eq!(code_text("1.05"), "1.05");
    }

    #[test]
    fn a_condition_holds_when_every_column_has_one_of_its_values() {
        let headers = ["grau", "codigo_classe"].map(String::from).to_vec();
        let columns = ColumnMap::new(headers, &HeaderAliases::default());
        let condition = Condition {
            cells: vec![
                ("grau".into(), vec!["G1".into()]),
                ("codigo_classe".into(), vec!["156".into(), "12078".into()]),
            ],
        };
        let rule = ProcedureRule {
            when: condition,
            then: Procedure::FirstEnforcement,
        };
        let resolved =
            resolve_all(Path::new("x.csv"), &columns, &[rule], &[], 1).expect("resolved");
        let holds = |cells: &[&str]| {
            let record = csv::ByteRecord::from(cells.to_vec());
            let mut bounds = Vec::new();
            resolved.rules[0]
                .0
                .holds_in(&Row::of_record(&record, &mut bounds))
        };
        assert!(holds(&["G1", "12078.0"]));
        assert!(!holds(&["G2", "12078"]));
        assert!(!holds(&["G1", "7"]));
        let missing = Condition {
            cells: vec![("movimento".into(), vec!["22".into()])],
        };
        let field = ConditionalField {
            field: Field::ClosedAt,
            when: missing,
        };
        let error = resolve_all(Path::new("x.csv"), &columns, &[], &[field], 1).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("[columns] when (for closed_at) names column \"movimento\""),
            "{error}"
        );
    }
}
