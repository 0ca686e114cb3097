//! `report --format html`: one self-contained page a court can publish as is. The figures with
//! their targets come first, then a monthly chart per indicator (hand-written inline SVG), the
//! break-down the user asked for, the data-quality summary and where the figures came from.
//!
//! The page has no scripts, loads no file and names no address: CSS and SVG are inline, and a
//! Content-Security-Policy forbids everything else. Every text that comes from the input or the
//! command line goes through [`escape`]. The same report gives the same bytes.

use std::path::Path;

use crate::measure::compute::{Computed, IndicatorResult, Status};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::Indicator;
use crate::measure::trend::Trend;
use crate::model::fields::Field;
use crate::render::columns::FIGURE_COLUMNS;
use crate::render::labels::{
    exclusion_list, generated_by, key_name, status_bilingual, status_class,
};
use crate::render::numbers::number_or;
use crate::render::report::Report;

mod about;
mod chart;
mod courts;
mod series;
mod style;
mod units;

use about::{days_sentence, file_name, methods_section, source_section};
use series::{Series, charts_section};
use style::STYLE;
use units::{target_text, unit_after, value_text};

/// What the page shows beyond the report itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageExtras<'a> {
    /// The figures broken down by month alone, for the charts. `None`: the report's own when its
    /// break-down is by month alone; otherwise the charts say the series was not computed.
    pub monthly: Option<&'a Computed>,
    /// The figures broken down by court alone, for the per-court table. `None`: the report's own
    /// when its break-down is by court alone; otherwise the page has no per-court table.
    pub by_court: Option<&'a Computed>,
    /// The twelve months (four quarters) up to a month's (quarter's) report, for the charts;
    /// when given, the charts draw it instead of `monthly`.
    pub trend: Option<&'a Trend>,
    /// The `--targets` file (`None`: the 2021 plan's targets); the page names the file alone.
    pub targets_file: Option<&'a Path>,
    /// `--title`: the page's heading and `<title>` instead of the generic one.
    pub title: Option<&'a str>,
}

/// Problems listed on the page at most; the rest are counted.
const PROBLEMS_SHOWN: usize = 20;

/// Text made safe anywhere in an HTML page, in element content and in quoted attributes alike:
/// `&`, `<`, `>`, `"` and `'` become character references; a control character or bidi
/// override of the input is shown as its code (`\u{1b}`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A control character or bidi override of the input, shown as its code.
            c if crate::read::is_control_character(c) => {
                out.push_str(&crate::render::text::visible_escape(c));
            }
            _ => out.push(c),
        }
    }
    out
}

/// The whole page for `report`.
pub fn page(report: &Report, extras: PageExtras) -> String {
    let monthly = extras
        .monthly
        .or_else(|| (report.by == [GroupKey::Month]).then_some(report.computed));
    let period = if report.period.from.is_none() && report.period.to.is_none() {
        "全部数据 all data"
    } else {
        report.period.label.as_str()
    };
    let title = extras.title.map_or_else(
        || format!("审判执行效率指标 Timeliness indicators — {period}"),
        str::to_string,
    );
    let series = match (extras.trend, monthly) {
        (Some(trend), _) => Series::Trend(trend),
        (None, Some(computed)) => Series::Months(computed),
        (None, None) => Series::None,
    };
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    html.push_str(&format!(
        "<meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&generated_by()),
        escape(&title)
    ));
    html.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p class=\"lede\">期间 period: {} · {}</p>\n</header>\n",
        escape(&title),
        escape(&period_sentence(report)),
        escape(days_sentence(report.gross))
    ));
    html.push_str(&figures_section(report));
    html.push_str(&charts_section(report, series));
    html.push_str(&groups_section(report, extras.by_court));
    html.push_str(&methods_section(report));
    html.push_str(&quality_section(report));
    html.push_str(&source_section(report, extras.targets_file));
    html.push_str(&format!(
        "<footer>{} · 本页自包含，无脚本、无外部文件 self-contained: no scripts, no external files</footer>\n</main>\n</body>\n</html>\n",
        escape(&generated_by())
    ));
    html
}

fn period_sentence(report: &Report) -> String {
    let period = report.period;
    match (period.from, period.to) {
        (None, None) => "全部数据 all data".to_string(),
        (from, to) => format!(
            "{} ({} – {})",
            period.label,
            from.map_or("…".to_string(), crate::model::calendar::format_day),
            to.map_or("…".to_string(), crate::model::calendar::format_day)
        ),
    }
}

/// A card's figure: two decimals, a share × 100 (its `%` is the card's unit), or a dash.
fn card_value(result: &IndicatorResult) -> String {
    number_or(result.mean.map(|m| units::shown(result.indicator, m)), "–")
}

fn status_cell(status: Status) -> String {
    format!(
        "<td class=\"status {}\">{}</td>",
        status_class(status),
        status_bilingual(status)
    )
}

/// The indicator's names as the other formats give them: Chinese, English and id.
fn indicator_name(indicator: &Indicator) -> String {
    format!(
        "<span class=\"zh\">{}</span> <span class=\"en\">{}</span> <code>{}</code>",
        escape(indicator.chinese),
        escape(indicator.english),
        escape(indicator.id)
    )
}

/// The overall row of each indicator, in publication order.
fn overall_rows(computed: &Computed) -> impl Iterator<Item = &IndicatorResult> {
    computed.results.iter().filter(|r| r.group.is_empty())
}

/// The break-down rows of one indicator, in the report's order.
fn group_rows<'a>(
    computed: &'a Computed,
    indicator: &'a Indicator,
) -> impl Iterator<Item = &'a IndicatorResult> {
    computed
        .results
        .iter()
        .filter(move |r| r.indicator.id == indicator.id && !r.group.is_empty())
}

/// The indicator's id with line-break opportunities after its underscores, for narrow cards.
fn breakable_id(indicator: &Indicator) -> String {
    escape(indicator.id).replace('_', "_<wbr>")
}

/// One card per indicator: the figure, its target and whether it was met.
fn figures_section(report: &Report) -> String {
    let mut html =
        String::from("<section id=\"figures\">\n<h2>指标 Figures</h2>\n<div class=\"figures\">\n");
    for result in overall_rows(report.computed) {
        html.push_str(&format!(
            "<article class=\"figure {status}\" id=\"figure-{plain_id}\">\n<h3><span class=\"zh\">{chinese}</span> \
             <span class=\"en\">{english}</span> <code>{id}</code></h3>\n\
             <p class=\"value\">{value}<span class=\"unit\">{unit}</span></p>\n\
             <p class=\"target\">目标 target {target} · {cases} 件 cases</p>\n\
             <p class=\"status {status}\">{label}</p>\n</article>\n",
            status = status_class(result.status),
            chinese = escape(result.indicator.chinese),
            english = escape(result.indicator.english),
            id = breakable_id(result.indicator),
            plain_id = escape(result.indicator.id),
            value = card_value(result),
            unit = if result.mean.is_some() { unit_after(result.indicator) } else { "" },
            target = escape(&target_text(result)),
            cases = result.cases,
            label = status_bilingual(result.status),
        ));
    }
    html.push_str("</div>\n</section>\n");
    html
}

/// The header cell of a break-down key: its Chinese name and its id.
fn key_header(key: GroupKey) -> String {
    format!("<th>{} {}</th>", key_name(key), key.id())
}

/// The header cells of the figure columns named (by their terminal-table names), in the report's
/// column order; numbers right-aligned.
fn figure_headers(names: &[&str]) -> String {
    FIGURE_COLUMNS
        .iter()
        .filter(|column| names.contains(&column.table))
        .map(|column| {
            let class = if column.right { " class=\"num\"" } else { "" };
            format!("<th{class}>{}</th>", column.bilingual())
        })
        .collect()
}

/// The `--by` rows: per indicator a table with cases, mean, median, p90, target and status.
fn groups_section(report: &Report, by_court: Option<&Computed>) -> String {
    let mut html = String::new();
    // Every page has the per-court table: the report's own when it is broken down by court alone.
    let courts = match report.by {
        [GroupKey::Court] => Some(report.computed),
        _ => by_court,
    };
    if let Some(computed) = courts {
        html.push_str("<section id=\"courts\">\n<h2>各法院 Per court</h2>\n");
        html.push_str(&group_tables(computed, &[GroupKey::Court], true));
        html.push_str("</section>\n");
    }
    if !report.by.is_empty() && report.by != [GroupKey::Court] {
        html.push_str("<section id=\"groups\">\n<h2>分组 Break-down</h2>\n");
        html.push_str(&group_tables(report.computed, report.by, false));
        html.push_str("</section>\n");
    }
    html
}

/// Per indicator, a table of its groups (keys `by`) with cases, mean, median, p90, target and
/// status; with `chart`, the groups' bars against the target above it (the per-court chart).
fn group_tables(computed: &Computed, by: &[GroupKey], chart: bool) -> String {
    let mut html = String::new();
    for overall in overall_rows(computed) {
        html.push_str(&format!("<h3>{}</h3>\n", indicator_name(overall.indicator)));
        let rows: Vec<&IndicatorResult> = group_rows(computed, overall.indicator).collect();
        if rows.is_empty() {
            html.push_str("<p class=\"empty\">本期无数据 No cases in this period.</p>\n");
            continue;
        }
        if chart {
            html.push_str(&format!(
                "<figure class=\"chart\" id=\"courts-{}\">\n{}</figure>\n",
                escape(overall.indicator.id),
                courts::court_chart(overall, &rows)
            ));
        }
        html.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for key in by {
            html.push_str(&key_header(*key));
        }
        html.push_str(&figure_headers(&[
            "cases", "mean", "median", "p90", "target", "status",
        ]));
        html.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            html.push_str("<tr>");
            for (_, label) in &row.group {
                html.push_str(&format!("<td>{}</td>", escape(label)));
            }
            html.push_str(&format!(
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td>{}</td>{}</tr>\n",
                row.cases,
                value_text(row.indicator, row.mean),
                value_text(row.indicator, row.median),
                value_text(row.indicator, row.p90),
                escape(&target_text(row)),
                status_cell(row.status)
            ));
        }
        html.push_str("</tbody></table></div>\n");
    }
    html
}

/// Rows read and used, missing and invalid values per field, cases left out per indicator, and
/// the first problems found.
fn quality_section(report: &Report) -> String {
    let quality = report.quality;
    let mut html = String::from("<section id=\"quality\">\n<h2>数据质量 Data quality</h2>\n");
    html.push_str(&format!(
        "<ul class=\"counts\">\n<li>读取 rows read <b>{}</b></li>\n<li>使用 used <b>{}</b></li>\n\
         <li>重复 duplicates <b>{}</b></li>\n<li>案号冲突 conflicting case numbers <b>{}</b></li>\n\
         <li>无案号 rejected (no case number) <b>{}</b></li>\n</ul>\n",
        quality.rows_read,
        quality.rows_used(),
        quality.duplicates,
        quality.conflicting,
        quality.rejected
    ));
    html.push_str(&exclusions_table(report));
    html.push_str(&fields_table(report));
    html.push_str(&problems_list(report));
    html.push_str("</section>\n");
    html
}

fn exclusions_table(report: &Report) -> String {
    let mut html = String::from(
        "<h3>未计入的案件 Cases left out, per indicator</h3>\n<div class=\"table-wrap\"><table class=\"compact\">\n\
         <thead><tr><th>指标 indicator</th><th>原因 reasons</th></tr></thead>\n<tbody>\n",
    );
    for exclusions in &report.computed.exclusions {
        let reasons = if exclusions.counts.is_empty() {
            "none 无".to_string()
        } else {
            exclusion_list(exclusions)
        };
        html.push_str(&format!(
            "<tr><td>{} <code>{}</code></td><td>{}</td></tr>\n",
            escape(exclusions.indicator.chinese),
            escape(exclusions.indicator.id),
            escape(&reasons)
        ));
    }
    html.push_str("</tbody></table></div>\n");
    html
}

fn fields_table(report: &Report) -> String {
    let mut html = String::from(
        "<h3>字段 Missing and invalid values per field</h3>\n<div class=\"table-wrap\"><table class=\"compact\">\n\
         <thead><tr><th>字段 field</th><th>列 column</th><th class=\"num\">缺失 missing</th>\
         <th class=\"num\">无效 invalid</th></tr></thead>\n<tbody>\n",
    );
    for field in Field::ALL {
        let counts = report.quality.field(field);
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            field.id(),
            escape(&report.register.columns_of(field).unwrap_or_else(|| "(absent 无此列)".to_string())),
            counts.missing,
            counts.invalid
        ));
    }
    html.push_str("</tbody></table></div>\n");
    html
}

fn problems_list(report: &Report) -> String {
    let problems = &report.quality.problems;
    let mut html = format!(
        "<p class=\"note\">问题总数 Problems found in the input: {}.</p>\n",
        problems.len()
    );
    if problems.is_empty() {
        return html;
    }
    let summary = if problems.len() <= PROBLEMS_SHOWN {
        format!("问题清单 The {} problems", problems.len())
    } else {
        format!(
            "前 {PROBLEMS_SHOWN} 个问题 The first {PROBLEMS_SHOWN} of {} problems",
            problems.len()
        )
    };
    html.push_str(&format!(
        "<details><summary>{summary}</summary>\n<div class=\"table-wrap\"><table>\n\
         <thead><tr><th>文件 file</th><th class=\"num\">行 line</th><th>列 column</th><th>值 value</th>\
         <th>原因 reason</th></tr></thead>\n<tbody>\n"
    ));
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(file_name(&problem.file)),
            problem.line,
            escape(&problem.column),
            escape(&problem.value),
            escape(&problem.reason)
        ));
    }
    html.push_str("</tbody></table></div></details>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_every_character_html_gives_meaning() {
        assert_eq!(
            escape(r#"<script>alert('x & "y"')</script>"#),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("洛阳市中级人民法院"), "洛阳市中级人民法院");
        assert_eq!(
            escape("a\u{1b}]0;x\u{7}b\u{202e}c"),
            "a\\u{1b}]0;x\\u{7}b\\u{202e}c"
        );
    }
}
