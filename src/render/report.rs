//! The report in its formats: a terminal table for people, CSV for spreadsheets and cron,
//! Markdown to paste into the monthly report, JSON (unrounded) for scripts and auditors, and an
//! HTML page to publish (`html`).

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::measure::compare::Comparison;
use crate::measure::compute::{Computed, IndicatorResult, Status};
use crate::measure::groups::GroupKey;
use crate::measure::quality::Quality;
use crate::model::calendar::format_day;
use crate::model::cases::Register;
use crate::model::period::Period;
use crate::render::columns::{
    COMPARISON_COLUMNS, FIGURE_COLUMNS, FigureColumn, INDICATOR_CSV, INDICATOR_CSV_ZH,
    INDICATOR_MARKDOWN, INDICATOR_TABLE, INDICATOR_ZH, markdown_align,
};
use crate::render::labels::{
    Lang, all_label, appeal_start_sentence, days_kind, exclusion_list, generated_by, input_line,
    inputs_json, key_header, rows_json, rows_line, scope_rule_id, scope_sentence, short_hash,
    status_csv, status_markdown, status_text,
};
use crate::render::numbers::{number, optional, percent, percent_number, signed};
use crate::render::text::{
    csv_text, markdown_row, markdown_text, pretty_json, terminal_safe, write_safe_record,
};

/// Everything a report shows: the figures and where they came from.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The inputs, as read.
    pub register: &'a Register,
    /// What could not be used.
    pub quality: &'a Quality,
    /// The figures and exclusions.
    pub computed: &'a Computed,
    /// The period reported.
    pub period: &'a Period,
    /// Break-down keys.
    pub by: &'a [GroupKey],
    /// Whether deductions were ignored (`--gross`).
    pub gross: bool,
    /// The earlier period's figures, with `--compare`.
    pub comparison: Option<&'a Comparison>,
    /// The language of headers and labels (`--lang`); JSON and HTML do not depend on it.
    pub lang: Lang,
}

/// The kept cases by scope, as the heading under the scope shows them.
fn scope_counts_text(quality: &Quality) -> String {
    let scope = quality.scope;
    format!(
        "{} in scope, {} out of scope ({} without a business flag)",
        scope.in_scope, scope.out_of_scope, scope.without_flag
    )
}

/// The target as tables show it (`≤ 50`, `≥ 0.9`); `-` when none applies.
pub(crate) fn target_text(result: &IndicatorResult) -> String {
    result
        .target
        .map_or_else(|| "-".to_string(), |t| t.to_string())
}

/// The figure's numbers as tables show them: cases, mean, median, p90, max, share within target.
fn figure_numbers(result: &IndicatorResult) -> [String; 6] {
    [
        result.cases.to_string(),
        optional(result.mean),
        optional(result.median),
        optional(result.p90),
        optional(result.max),
        percent(result.within_target_share),
    ]
}

impl Report<'_> {
    /// Whether any figure missed its target.
    pub fn any_missed(&self) -> bool {
        self.computed
            .results
            .iter()
            .any(|r| r.status == Status::Missed)
    }

    fn group_cells(&self, result: &IndicatorResult) -> Vec<String> {
        if result.group.is_empty() {
            return self
                .by
                .iter()
                .map(|_| all_label(self.lang).to_string())
                .collect();
        }
        result
            .group
            .iter()
            .map(|(_, label)| label.clone())
            .collect()
    }

    /// The break-down keys' ids (Chinese names with `--lang zh`), as column headers.
    fn key_headers(&self) -> impl Iterator<Item = String> + '_ {
        self.by.iter().map(|k| key_header(*k, self.lang))
    }

    /// The figure columns, with those `--compare` adds.
    fn columns(&self) -> impl Iterator<Item = &'static FigureColumn> {
        let comparison: &'static [FigureColumn] = match self.comparison {
            Some(_) => &COMPARISON_COLUMNS,
            None => &[],
        };
        FIGURE_COLUMNS.iter().chain(comparison)
    }

    /// The earlier mean and the change, for display (none without `--compare`); `blank` for a
    /// missing number: `-` in tables, empty in CSV.
    fn comparison_cells(&self, result: &IndicatorResult, blank: &str) -> Vec<String> {
        let Some(comparison) = self.comparison else {
            return Vec::new();
        };
        let earlier = comparison.earlier_of(result).and_then(|e| e.mean);
        let change = comparison.change(result);
        match blank {
            "" => vec![
                earlier.map(number).unwrap_or_default(),
                change.map(number).unwrap_or_default(),
            ],
            _ => vec![optional(earlier), signed(change)],
        }
    }

    /// The sentence naming the earlier period, with `--compare`.
    fn comparison_sentence(&self, label: &str) -> Option<String> {
        let comparison = self.comparison?;
        Some(format!(
            "{} ({}; change = figure − earlier figure, in the figure's unit)",
            label,
            comparison.compare.id()
        ))
    }

    /// The terminal table's heading: period, scope, days, comparison and inputs.
    fn table_heading(&self) -> String {
        let mut out = format!("casemetrics report — period: {}\n", self.period.label);
        out.push_str(&format!("scope: {}\n", scope_sentence(self.register)));
        out.push_str(&format!("cases: {}\n", scope_counts_text(self.quality)));
        out.push_str(&format!("days: {}\n", days_kind(self.gross)));
        if let Some(sentence) = appeal_start_sentence(self.register) {
            out.push_str(&format!("appeal start: {sentence}\n"));
        }
        if let Some(comparison) = self.comparison {
            let earlier = self.comparison_sentence(&comparison.earlier.period.label);
            out.push_str(&format!("compared with: {}\n", earlier.unwrap_or_default()));
        }
        for source in &self.register.sources {
            out.push_str(&input_line(source));
            out.push('\n');
        }
        out
    }

    /// The terminal table: heading, one row per figure, then the data-quality lines.
    pub fn to_table(&self) -> String {
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        let indicator = match self.lang {
            Lang::En => INDICATOR_TABLE,
            Lang::Zh => INDICATOR_ZH,
        };
        let mut header = vec![indicator.to_string()];
        header.extend(self.key_headers());
        header.extend(self.columns().map(|c| c.header(self.lang).to_string()));
        table.set_header(header);
        for result in &self.computed.results {
            let mut row = vec![Cell::new(format!(
                "{} {}",
                result.indicator.chinese, result.indicator.id
            ))];
            row.extend(
                self.group_cells(result)
                    .iter()
                    .map(|label| Cell::new(terminal_safe(label))),
            );
            let mut figures = figure_numbers(result).to_vec();
            figures.push(target_text(result));
            figures.push(status_text(result.status, self.lang));
            figures.extend(self.comparison_cells(result, "-"));
            row.extend(self.columns().zip(figures).map(|(column, text)| {
                let cell = Cell::new(text);
                if column.right {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
            table.add_row(row);
        }
        let mut out = self.table_heading();
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&self.quality_lines().join("\n"));
        out.push('\n');
        out
    }

    fn quality_lines(&self) -> Vec<String> {
        let mut lines = vec![rows_line(self.quality)];
        for exclusions in &self.computed.exclusions {
            if exclusions.counts.is_empty() {
                continue;
            }
            lines.push(format!(
                "excluded from {}: {}",
                exclusions.indicator.id,
                exclusion_list(exclusions)
            ));
        }
        lines.push("list them: casemetrics validate --details; casemetrics cases --indicator ID --excluded".to_string());
        lines
    }

    /// CSV, one row per indicator and group (numbers rounded as displayed).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let indicator = match self.lang {
            Lang::En => INDICATOR_CSV,
            Lang::Zh => INDICATOR_CSV_ZH,
        };
        let mut header: Vec<String> = indicator.iter().map(|s| s.to_string()).collect();
        header.extend(self.key_headers());
        header.extend(
            self.columns()
                .flat_map(|c| c.csv_headers(self.lang).into_iter().map(str::to_string)),
        );
        // why: a CSV has no heading to say it in (issue 15): with another appeal start than the
        // plan's, a last column names it on the appeal transfer's rows.
        let appeal_start =
            appeal_start_sentence(self.register).map(|_| self.register.appeal_start.id());
        if appeal_start.is_some() {
            header.push("appeal_start".to_string());
        }
        write_safe_record(&mut writer, &header);
        for result in &self.computed.results {
            let mut row = vec![
                result.indicator.id.to_string(),
                result.indicator.chinese.to_string(),
            ];
            row.extend(self.group_cells(result));
            row.extend([
                result.cases.to_string(),
                result.mean.map(number).unwrap_or_default(),
                result.median.map(number).unwrap_or_default(),
                result.p90.map(number).unwrap_or_default(),
                result.max.map(number).unwrap_or_default(),
                percent_number(result.within_target_share),
                result
                    .target
                    .map(|t| t.op.symbol().to_string())
                    .unwrap_or_default(),
                result
                    .target
                    .map(|t| format!("{}", t.value))
                    .unwrap_or_default(),
                status_csv(result.status, self.lang).to_string(),
            ]);
            row.extend(self.comparison_cells(result, ""));
            if let Some(start) = appeal_start {
                let transfer = result.indicator.id == "appeal_transfer_days";
                row.push(if transfer { start } else { "" }.to_string());
            }
            write_safe_record(&mut writer, &row);
        }
        csv_text(writer)
    }

    /// The Markdown heading: title, scope, days, comparison and inputs.
    fn markdown_heading(&self) -> String {
        let mut out = format!(
            "## 审判执行效率指标 Timeliness indicators — {}\n\n",
            self.period.label
        );
        out.push_str(&format!(
            "- Scope: {}\n",
            markdown_text(&scope_sentence(self.register))
        ));
        out.push_str(&format!("- Cases: {}\n", scope_counts_text(self.quality)));
        out.push_str(&format!("- Days: {}\n", days_kind(self.gross)));
        if let Some(sentence) = appeal_start_sentence(self.register) {
            out.push_str(&format!("- Appeal start: {}\n", markdown_text(sentence)));
        }
        if let Some(comparison) = self.comparison {
            let earlier = markdown_text(&comparison.earlier.period.label);
            let sentence = self.comparison_sentence(&earlier).unwrap_or_default();
            out.push_str(&format!("- Compared with: {sentence}\n"));
        }
        let inputs: Vec<String> = self
            .register
            .sources
            .iter()
            .map(|s| {
                let name = markdown_text(&s.name);
                format!("{name} ({} rows, sha256 {})", s.rows, short_hash(s))
            })
            .collect();
        out.push_str(&format!("- Inputs: {}\n\n", inputs.join(", ")));
        out
    }

    /// Markdown, ready to paste into the monthly report.
    pub fn to_markdown(&self) -> String {
        let mut out = self.markdown_heading();
        let indicator = match self.lang {
            Lang::En => INDICATOR_MARKDOWN,
            Lang::Zh => INDICATOR_ZH,
        };
        let mut header = vec![indicator.to_string()];
        header.extend(self.key_headers());
        header.extend(
            self.columns()
                .map(|c| c.markdown_header(self.lang).to_string()),
        );
        out.push_str(&markdown_row(&header));
        let mut align = vec![markdown_align(false)];
        align.extend(self.by.iter().map(|_| markdown_align(false)));
        align.extend(self.columns().map(|c| markdown_align(c.right)));
        out.push_str(&markdown_row(&align));
        for result in &self.computed.results {
            let indicator = result.indicator;
            let mut row = vec![format!("{} `{}`", indicator.chinese, indicator.id)];
            row.extend(self.group_cells(result).iter().map(|c| markdown_text(c)));
            row.extend(figure_numbers(result));
            row.push(
                result
                    .target
                    .map_or_else(|| "-".to_string(), |t| markdown_text(&t.to_string())),
            );
            row.push(status_markdown(result.status, self.lang));
            row.extend(self.comparison_cells(result, "-"));
            out.push_str(&markdown_row(&row));
        }
        out.push_str("\n### Data quality\n\n");
        for line in self.quality_lines() {
            out.push_str(&format!("- {}\n", markdown_text(&line)));
        }
        out
    }

    /// One figure for JSON, unrounded, with its earlier figure and change under `--compare`.
    fn result_json(&self, result: &IndicatorResult) -> Value {
        let group: serde_json::Map<String, Value> = result
            .group
            .iter()
            .map(|(k, label)| (k.id().to_string(), Value::String(label.clone())))
            .collect();
        let mut row = json!({
            "indicator": result.indicator.id,
            "indicator_zh": result.indicator.chinese,
            "group": group,
            "cases": result.cases,
            "mean": result.mean,
            "median": result.median,
            "p90": result.p90,
            "max": result.max,
            "within_target_share": result.within_target_share,
            "target": result.target.map(|t| json!({ "op": t.op.symbol(), "value": t.value })),
            "status": result.status.id(),
        });
        if let (Some(comparison), Value::Object(fields)) = (self.comparison, &mut row) {
            let earlier = comparison.earlier_of(result).map(|e| {
                json!({
                    "cases": e.cases,
                    "mean": e.mean,
                    "median": e.median,
                    "p90": e.p90,
                    "status": e.status.id(),
                })
            });
            fields.insert("earlier".into(), earlier.unwrap_or(Value::Null));
            fields.insert("change".into(), json!(comparison.change(result)));
        }
        row
    }

    /// The cases left out of each indicator, per reason, for JSON.
    fn exclusions_json(&self) -> Vec<Value> {
        self.computed
            .exclusions
            .iter()
            .map(|e| {
                let reasons: serde_json::Map<String, Value> = e
                    .counts
                    .iter()
                    .map(|(reason, count)| (reason.id(e.indicator), json!(count)))
                    .collect();
                json!({ "indicator": e.indicator.id, "excluded": reasons })
            })
            .collect()
    }

    /// The JSON document described in docs/outputs.md, as text.
    pub fn to_json(&self) -> String {
        pretty_json(&self.json_value())
    }

    /// The JSON document described in docs/outputs.md.
    pub fn json_value(&self) -> Value {
        let results: Vec<Value> = self
            .computed
            .results
            .iter()
            .map(|r| self.result_json(r))
            .collect();
        let mut value = json!({
            "generated_by": generated_by(),
            "inputs": inputs_json(self.register),
            "period": {
                "label": self.period.label,
                "from": self.period.from.map(format_day),
                "to": self.period.to.map(format_day),
            },
            "scope": {
                "rule": scope_rule_id(self.register),
                "description": scope_sentence(self.register),
                "cases_in_scope": self.quality.scope.in_scope,
                "cases_out_of_scope": self.quality.scope.out_of_scope,
                "cases_without_flag": self.quality.scope.without_flag,
            },
            "days": if self.gross { "gross" } else { "net" },
            "by": self.by.iter().map(|k| k.id()).collect::<Vec<_>>(),
            "compared_with": self.comparison.map(|c| json!({
                "compare": c.compare.id(),
                "label": c.earlier.period.label,
                "from": c.earlier.period.from.map(format_day),
                "to": c.earlier.period.to.map(format_day),
            })),
            "rows": rows_json(self.quality),
            "results": results,
            "quality": self.exclusions_json(),
        });
        if let Some(sentence) = appeal_start_sentence(self.register) {
            value["appeal_start"] = json!({
                "id": self.register.appeal_start.id(),
                "description": sentence,
            });
        }
        value
    }
}
