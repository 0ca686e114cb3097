//! The report in its formats: a terminal table for people, CSV for spreadsheets and cron,
//! Markdown to paste into the monthly report, JSON (unrounded) for scripts and auditors, and an
//! HTML page to publish (`html`).

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use serde_json::{Value, json};

use crate::measure::compare::Comparison;
use crate::measure::compute::{Computed, Exclusions, IndicatorResult, Status};
use crate::measure::groups::GroupKey;
use crate::measure::quality::Quality;
use crate::model::cases::{Register, ScopeRule};
use crate::model::period::Period;

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A terminal table (comfy-table).
    Table,
    /// CSV, one row per indicator and group.
    Csv,
    /// Markdown, ready to paste into the monthly report.
    Markdown,
    /// JSON with unrounded numbers (documented in the README).
    Json,
    /// One self-contained HTML page to publish: figures, monthly charts, break-down, data quality.
    Html,
}

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
}

/// A number rounded for display: 2 decimals, halves away from zero (四舍五入, as court statistics
/// round), so 0.625 shows as 0.63. Figures are compared with targets before any rounding.
pub fn number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    format!("{rounded:.2}")
}

fn optional(value: Option<f64>) -> String {
    value.map(number).unwrap_or_else(|| "-".to_string())
}

/// A change for display, signed: `+1.25`, `-0.50`, `0.00`.
fn signed(value: Option<f64>) -> String {
    match value {
        Some(change) if (change * 100.0).round() > 0.0 => format!("+{}", number(change)),
        Some(change) if (change * 100.0).round() < 0.0 => number(change),
        Some(_) => number(0.0),
        None => "-".to_string(),
    }
}

fn percent(share: Option<f64>) -> String {
    share
        .map(|s| format!("{}%", number(s * 100.0)))
        .unwrap_or_else(|| "-".to_string())
}

impl Report<'_> {
    /// The scope rule of the first input; `scopes_differ` tells whether others used another.
    pub fn scope(&self) -> ScopeRule {
        self.register
            .sources
            .first()
            .map_or(ScopeRule::AllNoScopeData, |s| s.scope.clone())
    }

    fn scopes_differ(&self) -> bool {
        let scope = self.scope();
        self.register.sources.iter().any(|s| s.scope != scope)
    }

    pub(crate) fn scope_sentence(&self) -> String {
        if self.scopes_differ() {
            let parts: Vec<String> = self
                .register
                .sources
                .iter()
                .map(|s| format!("{}: {}", s.name, s.scope.describe()))
                .collect();
            format!("mixed — {}", parts.join("; "))
        } else {
            self.scope().describe().to_string()
        }
    }

    pub(crate) fn days_kind(&self) -> &'static str {
        if self.gross {
            "gross days (deductions not subtracted, --gross)"
        } else {
            "net days (deducted days subtracted)"
        }
    }

    /// Whether any figure missed its target.
    pub fn any_missed(&self) -> bool {
        self.computed
            .results
            .iter()
            .any(|r| r.status == Status::Missed)
    }

    fn group_cells(&self, result: &IndicatorResult) -> Vec<String> {
        if result.group.is_empty() {
            return self.by.iter().map(|_| "(all)".to_string()).collect();
        }
        result
            .group
            .iter()
            .map(|(_, label)| label.clone())
            .collect()
    }

    /// Column headers added by `--compare` (none without it).
    fn comparison_headers(&self, earlier: &str, change: &str) -> Vec<String> {
        match self.comparison {
            Some(_) => vec![earlier.to_string(), change.to_string()],
            None => Vec::new(),
        }
    }

    /// The earlier mean and the change, for display (none without `--compare`).
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

    /// The line naming the earlier period, with `--compare`.
    fn comparison_line(&self) -> Option<String> {
        let comparison = self.comparison?;
        Some(format!(
            "compared with: {} ({}; change = figure − earlier figure, in the figure's unit)",
            comparison.earlier.period.label,
            comparison.compare.id()
        ))
    }

    /// Render in `format`. For HTML, `html::page` with a monthly series gives the charts.
    pub fn render(&self, format: ReportFormat) -> String {
        match format {
            ReportFormat::Table => self.to_table(),
            ReportFormat::Csv => self.to_csv(),
            ReportFormat::Markdown => self.to_markdown(),
            ReportFormat::Json => self.to_json(),
            ReportFormat::Html => {
                crate::render::html::page(self, crate::render::html::PageExtras::default())
            }
        }
    }

    fn to_table(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "casemetrics report — period: {}\n",
            self.period.label
        ));
        out.push_str(&format!("scope: {}\n", self.scope_sentence()));
        out.push_str(&format!("days: {}\n", self.days_kind()));
        if let Some(line) = self.comparison_line() {
            out.push_str(&format!("{line}\n"));
        }
        for source in &self.register.sources {
            out.push_str(&format!(
                "input: {} ({} rows, {}, sha256 {})\n",
                source.name,
                source.rows,
                source.encoding,
                &source.sha256[..12.min(source.sha256.len())]
            ));
        }
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        let mut header = vec!["indicator".to_string()];
        header.extend(self.by.iter().map(|k| k.id().to_string()));
        header.extend(
            [
                "cases",
                "mean",
                "median",
                "p90",
                "max",
                "within target",
                "target",
                "status",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        header.extend(self.comparison_headers("earlier mean", "change"));
        table.set_header(header);
        for result in &self.computed.results {
            let mut row = vec![Cell::new(format!(
                "{} {}",
                result.indicator.chinese, result.indicator.id
            ))];
            row.extend(self.group_cells(result).into_iter().map(Cell::new));
            let numbers = [
                result.cases.to_string(),
                optional(result.mean),
                optional(result.median),
                optional(result.p90),
                optional(result.max),
                percent(result.within_target_share),
            ];
            row.extend(
                numbers
                    .into_iter()
                    .map(|n| Cell::new(n).set_alignment(CellAlignment::Right)),
            );
            row.push(Cell::new(target_text(result)));
            row.push(Cell::new(match result.status {
                Status::Met => "✓ met",
                Status::Missed => "✗ missed",
                Status::NoData => "– no data",
                Status::NoTarget => "· no target",
            }));
            row.extend(
                self.comparison_cells(result, "-")
                    .into_iter()
                    .map(|n| Cell::new(n).set_alignment(CellAlignment::Right)),
            );
            table.add_row(row);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&self.quality_lines().join("\n"));
        out.push('\n');
        out
    }

    fn quality_lines(&self) -> Vec<String> {
        let q = self.quality;
        let mut lines = vec![format!(
            "rows: {} read, {} used, {} duplicate, {} conflicting case number, {} rejected (no case number)",
            q.rows_read,
            q.rows_used(),
            q.duplicates,
            q.conflicting,
            q.rejected
        )];
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

    fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut header = vec!["indicator".to_string(), "indicator_zh".to_string()];
        header.extend(self.by.iter().map(|k| k.id().to_string()));
        header.extend(
            [
                "cases",
                "mean",
                "median",
                "p90",
                "max",
                "within_target_pct",
                "target_op",
                "target",
                "status",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        header.extend(self.comparison_headers("earlier_mean", "change"));
        write_record(&mut writer, &header);
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
                result
                    .within_target_share
                    .map(|s| number(s * 100.0))
                    .unwrap_or_default(),
                result
                    .target
                    .map(|t| t.op.symbol().to_string())
                    .unwrap_or_default(),
                result
                    .target
                    .map(|t| format!("{}", t.value))
                    .unwrap_or_default(),
                result.status.id().to_string(),
            ]);
            row.extend(self.comparison_cells(result, ""));
            write_record(&mut writer, &row);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "## 审判执行效率指标 Timeliness indicators — {}\n\n",
            self.period.label
        ));
        out.push_str(&format!(
            "- Scope: {}\n",
            markdown_text(&self.scope_sentence())
        ));
        out.push_str(&format!("- Days: {}\n", self.days_kind()));
        if let Some(comparison) = self.comparison {
            out.push_str(&format!(
                "- Compared with: {} ({}; change = figure − earlier figure, in the figure's unit)\n",
                markdown_text(&comparison.earlier.period.label),
                comparison.compare.id()
            ));
        }
        let inputs: Vec<String> = self
            .register
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} ({} rows, sha256 {})",
                    markdown_text(&s.name),
                    s.rows,
                    &s.sha256[..12.min(s.sha256.len())]
                )
            })
            .collect();
        out.push_str(&format!("- Inputs: {}\n\n", inputs.join(", ")));
        let mut header = vec!["指标 Indicator".to_string()];
        header.extend(self.by.iter().map(|k| k.id().to_string()));
        header.extend(
            [
                "Cases",
                "Mean",
                "Median",
                "P90",
                "Max",
                "Within target",
                "Target",
                "Status",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        header.extend(self.comparison_headers("Earlier mean", "Change"));
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        let mut align = vec!["---".to_string()];
        align.extend(self.by.iter().map(|_| "---".to_string()));
        align.extend(
            ["---:", "---:", "---:", "---:", "---:", "---:", "---", "---"]
                .iter()
                .map(|s| s.to_string()),
        );
        align.extend(self.comparison_headers("---:", "---:"));
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for result in &self.computed.results {
            let mut row = vec![format!(
                "{} `{}`",
                result.indicator.chinese, result.indicator.id
            )];
            row.extend(self.group_cells(result).iter().map(|c| markdown_text(c)));
            row.extend([
                result.cases.to_string(),
                optional(result.mean),
                optional(result.median),
                optional(result.p90),
                optional(result.max),
                percent(result.within_target_share),
                result
                    .target
                    .map_or_else(|| "-".to_string(), |t| markdown_text(&t.to_string())),
                match result.status {
                    Status::Met => "✅ met".to_string(),
                    Status::Missed => "❌ missed".to_string(),
                    Status::NoData => "no data".to_string(),
                    Status::NoTarget => "no target".to_string(),
                },
            ]);
            row.extend(self.comparison_cells(result, "-"));
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        out.push_str("\n### Data quality\n\n");
        for line in self.quality_lines() {
            out.push_str(&format!("- {}\n", markdown_text(&line)));
        }
        out
    }

    /// The JSON document described in the README.
    pub fn json_value(&self) -> Value {
        let inputs: Vec<Value> = self
            .register
            .sources
            .iter()
            .map(crate::model::cases::Source::json)
            .collect();
        let results: Vec<Value> = self
            .computed
            .results
            .iter()
            .map(|r| {
                let group: serde_json::Map<String, Value> = r
                    .group
                    .iter()
                    .map(|(k, label)| (k.id().to_string(), Value::String(label.clone())))
                    .collect();
                let mut row = json!({
                    "indicator": r.indicator.id,
                    "indicator_zh": r.indicator.chinese,
                    "group": group,
                    "cases": r.cases,
                    "mean": r.mean,
                    "median": r.median,
                    "p90": r.p90,
                    "max": r.max,
                    "within_target_share": r.within_target_share,
                    "target": r.target.map(|t| json!({ "op": t.op.symbol(), "value": t.value })),
                    "status": r.status.id(),
                });
                if let (Some(comparison), Value::Object(fields)) = (self.comparison, &mut row) {
                    let earlier = comparison.earlier_of(r).map(|e| {
                        json!({
                            "cases": e.cases,
                            "mean": e.mean,
                            "median": e.median,
                            "p90": e.p90,
                            "status": e.status.id(),
                        })
                    });
                    fields.insert("earlier".into(), earlier.unwrap_or(Value::Null));
                    fields.insert("change".into(), json!(comparison.change(r)));
                }
                row
            })
            .collect();
        let quality: Vec<Value> = self
            .computed
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
            .collect();
        let scope = if self.scopes_differ() {
            "mixed".to_string()
        } else {
            self.scope().id().to_string()
        };
        json!({
            "generated_by": format!("casemetrics {}", env!("CARGO_PKG_VERSION")),
            "inputs": inputs,
            "period": {
                "label": self.period.label,
                "from": self.period.from.map(crate::read::dates::format_day),
                "to": self.period.to.map(crate::read::dates::format_day),
            },
            "scope": { "rule": scope, "description": self.scope_sentence() },
            "days": if self.gross { "gross" } else { "net" },
            "by": self.by.iter().map(|k| k.id()).collect::<Vec<_>>(),
            "compared_with": self.comparison.map(|c| json!({
                "compare": c.compare.id(),
                "label": c.earlier.period.label,
                "from": c.earlier.period.from.map(crate::read::dates::format_day),
                "to": c.earlier.period.to.map(crate::read::dates::format_day),
            })),
            "rows": {
                "read": self.quality.rows_read,
                "used": self.quality.rows_used(),
                "duplicates": self.quality.duplicates,
                "conflicting": self.quality.conflicting,
                "rejected": self.quality.rejected,
            },
            "results": results,
            "quality": quality,
        })
    }

    fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.json_value()).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The target as tables show it (`≤ 50`, `≥ 0.9`); `-` when none applies.
pub(crate) fn target_text(result: &IndicatorResult) -> String {
    result
        .target
        .map_or_else(|| "-".to_string(), |t| t.to_string())
}

fn exclusion_list(exclusions: &Exclusions) -> String {
    exclusions
        .counts
        .iter()
        .map(|(reason, count)| format!("{} {count}", reason.id(exclusions.indicator)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_record<W: std::io::Write>(writer: &mut csv::Writer<W>, record: &[String]) {
    write_safe_record(writer, record);
}

/// Write one CSV record with every cell made spreadsheet-safe. Errors are not returned here:
/// writing to memory cannot fail, and an `output::AtomicOutput` (the `cases` listing) records a
/// failed write, stops the listing and reports it when it is finished.
pub fn write_safe_record<W: std::io::Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    record: &[S],
) {
    for cell in record {
        let _ = writer.write_field(spreadsheet_safe(cell.as_ref()).as_bytes());
    }
    let _ = writer.write_record(None::<&[u8]>);
}

/// A text cell a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or
/// carriage return: OWASP's list) gets a leading `'`, since auditors open these files in Excel.
/// Plain decimal numbers (`-3.50`, `+1.25`, `12.5%`), which our own number columns hold, are left
/// as they are; anything else, `-inf` or `-1e5` included, counts as text.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// An optional sign, digits, optionally a point and more digits, optionally `%`.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let digits = digits.strip_suffix('%').unwrap_or(digits);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Text from the input, made safe inside a Markdown table cell.
pub fn markdown_text(text: &str) -> String {
    let safe = spreadsheet_safe(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Serialize anything as pretty JSON with a trailing newline.
pub fn pretty_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_rounds_halves_away_from_zero() {
        assert_eq!(number(0.625), "0.63");
        assert_eq!(number(48.333_333), "48.33");
        assert_eq!(number(2.0), "2.00");
        assert_eq!(percent(Some(2.0 / 3.0)), "66.67%");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-12.5"), "-12.5");
        assert_eq!(spreadsheet_safe("+1.25"), "+1.25");
        assert_eq!(spreadsheet_safe("-3.50"), "-3.50");
        assert_eq!(spreadsheet_safe("12.5%"), "12.5%");
        assert_eq!(spreadsheet_safe("+86 379 1234"), "'+86 379 1234");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("-inf"), "'-inf");
        assert_eq!(spreadsheet_safe("-1e5"), "'-1e5");
        assert_eq!(spreadsheet_safe("-"), "'-");
        assert_eq!(spreadsheet_safe("\t=1+1"), "'\t=1+1");
        assert_eq!(spreadsheet_safe("\r=1+1"), "'\r=1+1");
        assert_eq!(spreadsheet_safe("a=1"), "a=1");
        assert_eq!(spreadsheet_safe(""), "");
        assert_eq!(spreadsheet_safe("洛阳市中级人民法院"), "洛阳市中级人民法院");
        assert_eq!(markdown_text("a|b"), "a\\|b");
    }
}
