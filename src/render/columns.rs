//! The columns of every table, in every format: their names in the terminal table, Markdown and
//! CSV, and which are numbers (right-aligned).

use crate::measure::indicators::{Indicator, Measure};
use crate::render::labels::Lang;

/// One column of the report's figures.
pub(crate) struct FigureColumn {
    /// Header in the terminal table.
    pub(crate) table: &'static str,
    /// Chinese name, put before the English one on the HTML page (empty: the page has none).
    pub(crate) chinese: &'static str,
    /// Header in Markdown.
    pub(crate) markdown: &'static str,
    /// Headers in CSV (the target is two columns there: its operator and its value).
    pub(crate) csv: &'static [&'static str],
    /// A number, right-aligned.
    pub(crate) right: bool,
    /// Header with `--lang zh` in every format.
    pub(crate) zh: &'static str,
}

const fn column(
    (table, chinese, zh): (&'static str, &'static str, &'static str),
    markdown: &'static str,
    csv: &'static [&'static str],
    right: bool,
) -> FigureColumn {
    FigureColumn {
        table,
        chinese,
        markdown,
        csv,
        right,
        zh,
    }
}

/// The figure columns of the report, after the indicator and the break-down keys.
pub(crate) const FIGURE_COLUMNS: [FigureColumn; 8] = [
    column(("cases", "案件", "案件数"), "Cases", &["cases"], true),
    column(("mean", "平均", "平均"), "Mean", &["mean"], true),
    column(("median", "中位数", "中位数"), "Median", &["median"], true),
    column(("p90", "", "第90百分位"), "P90", &["p90"], true),
    column(("max", "", "最大值"), "Max", &["max"], true),
    column(
        ("within target", "", "目标内占比"),
        "Within target",
        &["within_target_pct"],
        true,
    ),
    column(
        ("target", "目标", "目标"),
        "Target",
        &["target_op", "target"],
        false,
    ),
    column(("status", "状态", "状态"), "Status", &["status"], false),
];

/// The columns `--compare` adds: the earlier figure and the change.
pub(crate) const COMPARISON_COLUMNS: [FigureColumn; 2] = [
    column(
        ("earlier mean", "", "上期平均"),
        "Earlier mean",
        &["earlier_mean"],
        true,
    ),
    column(("change", "", "变化"), "Change", &["change"], true),
];

impl FigureColumn {
    /// The header in the terminal table and the workbook: English words, or Chinese with
    /// `--lang zh`.
    pub(crate) fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.table,
            Lang::Zh => self.zh,
        }
    }

    /// The headers in CSV: the ids, or Chinese names with `--lang zh` (the target's operator
    /// column is 目标方向).
    pub(crate) fn csv_headers(&self, lang: Lang) -> Vec<&'static str> {
        match (lang, self.csv.len()) {
            (Lang::En, _) => self.csv.to_vec(),
            (Lang::Zh, 2) => vec!["目标方向", self.zh],
            (Lang::Zh, _) => vec![self.zh],
        }
    }

    /// The header in Markdown: English, or Chinese with `--lang zh`.
    pub(crate) fn markdown_header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.markdown,
            Lang::Zh => self.zh,
        }
    }

    /// The header in both languages, as the HTML page shows it: `案件 cases`, `p90`.
    pub(crate) fn bilingual(&self) -> String {
        if self.chinese.is_empty() {
            self.table.to_string()
        } else {
            format!("{} {}", self.chinese, self.table)
        }
    }
}

/// The indicator column: its header in the terminal table and Markdown, and its CSV columns.
pub(crate) const INDICATOR_TABLE: &str = "indicator";
/// The indicator column's header in Markdown.
pub(crate) const INDICATOR_MARKDOWN: &str = "指标 Indicator";
/// The indicator's CSV columns: id and Chinese name.
pub(crate) const INDICATOR_CSV: [&str; 2] = ["indicator", "indicator_zh"];

/// The indicator column's header in the terminal table, Markdown and CSV with `--lang zh`.
pub(crate) const INDICATOR_ZH: &str = "指标";
/// The indicator's CSV columns with `--lang zh`: id and Chinese name.
pub(crate) const INDICATOR_CSV_ZH: [&str; 2] = ["指标代码", "指标"];

/// The workbook's indicator columns: id, Chinese name, English name.
pub(crate) fn indicator_headers_xlsx(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["indicator", "indicator_zh", "indicator_en"],
        Lang::Zh => ["指标代码", "指标", "英文名称"],
    }
}

/// Markdown's alignment row cell of a column.
pub(crate) fn markdown_align(right: bool) -> &'static str {
    if right { "---:" } else { "---" }
}

/// Column ids of the pending ledger, in every format.
pub(crate) const LEDGER_COLUMNS: [&str; 16] = [
    "file",
    "line",
    "case_no",
    "court",
    "department",
    "judge",
    "procedure",
    "registered",
    "closed_after_as_of",
    "age_days",
    "limit_months",
    "deducted_days",
    "limit_date",
    "limit_days",
    "days_over_limit",
    "why",
];

/// Columns of `validate`'s per-field counts.
pub(crate) const FIELD_COLUMNS: [&str; 4] = ["field", "column", "missing", "invalid"];

/// Columns of `validate --details`' problems.
pub(crate) const PROBLEM_COLUMNS: [&str; 5] = ["file", "line", "column", "value", "reason"];

/// Whether the figure is the share of cases within a day limit (listed with a `within_limit`
/// column, and the share instead of the mean).
pub(crate) fn within_share(indicator: &Indicator) -> bool {
    matches!(indicator.measure, Measure::WithinDays { .. })
}

/// Columns of the `cases` listing of `indicator`: the counted cases' days, or the excluded
/// cases' reason.
pub(crate) fn case_columns(indicator: &Indicator, excluded: bool) -> Vec<String> {
    let mut columns = vec![
        "case_no".to_string(),
        "court".to_string(),
        format!("start_{}", indicator.start.field().id()),
        format!("end_{}", indicator.end.field().id()),
    ];
    if indicator.net_of_deductions {
        columns.push("deducted_days".to_string());
    }
    if excluded {
        columns.push("reason".to_string());
    } else {
        columns.push("days".to_string());
        if within_share(indicator) {
            columns.push("within_limit".to_string());
        }
    }
    columns.push("file".to_string());
    columns.push("line".to_string());
    columns
}
