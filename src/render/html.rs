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
use crate::model::fields::Field;
use crate::render::columns::FIGURE_COLUMNS;
use crate::render::labels::{
    appeal_start_sentence, days_kind, exclusion_list, generated_by, key_name, scope_sentence,
    status_bilingual, status_class, unit,
};
use crate::render::numbers::{number, number_or};
use crate::render::report::{Report, target_text};

/// What the page shows beyond the report itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageExtras<'a> {
    /// The figures broken down by month alone, for the charts. `None`: the report's own when its
    /// break-down is by month alone; otherwise the charts say the series was not computed.
    pub monthly: Option<&'a Computed>,
    /// The figures broken down by court alone, for the per-court table. `None`: the report's own
    /// when its break-down is by court alone; otherwise the page has no per-court table.
    pub by_court: Option<&'a Computed>,
    /// The `--targets` file, as given on the command line (`None`: the 2021 plan's targets).
    pub targets_file: Option<&'a Path>,
}

/// Problems listed on the page at most; the rest are counted and `validate --details` lists all.
const PROBLEMS_SHOWN: usize = 20;

/// Text made safe anywhere in an HTML page, in element content and in quoted attributes alike:
/// `&`, `<`, `>`, `"` and `'` become character references.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
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
    let title = format!("审判执行效率指标 Timeliness indicators — {period}");
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
        escape(days_kind(report.gross))
    ));
    html.push_str(&figures_section(report));
    html.push_str(&charts_section(report, monthly));
    html.push_str(&groups_section(report, extras.by_court));
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

/// A number for display (2 decimals, as the other formats round), or a dash when there is none.
fn figure(value: Option<f64>) -> String {
    number_or(value, "–")
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
            value = figure(result.mean),
            unit = unit(result.indicator),
            target = escape(&target_text(result)),
            cases = result.cases,
            label = status_bilingual(result.status),
        ));
    }
    html.push_str("</div>\n</section>\n");
    html
}

/// One chart per indicator of its monthly means against the target line.
fn charts_section(report: &Report, monthly: Option<&Computed>) -> String {
    let mut html = String::from(
        "<section id=\"months\">\n<h2>月度走势 Monthly means against the target</h2>\n<div class=\"charts\">\n",
    );
    for overall in overall_rows(report.computed) {
        html.push_str(&format!(
            "<figure class=\"chart\" id=\"chart-{}\">\n<figcaption>{}</figcaption>\n",
            escape(overall.indicator.id),
            indicator_name(overall.indicator)
        ));
        match monthly {
            Some(computed) => {
                let months: Vec<&IndicatorResult> = group_rows(computed, overall.indicator)
                    .filter(|r| r.cases > 0 && r.mean.is_some())
                    .collect();
                html.push_str(&month_chart(overall, &months));
            }
            None => html.push_str(
                "<p class=\"empty\">月度数据未计算 The monthly series was not computed.</p>\n",
            ),
        }
        html.push_str("</figure>\n");
    }
    html.push_str("</div>\n</section>\n");
    html
}

/// Chart geometry, in SVG user units (the drawing scales to the page's width).
const CHART_WIDTH: f64 = 520.0;
const CHART_HEIGHT: f64 = 250.0;
const PLOT_LEFT: f64 = 46.0;
const PLOT_RIGHT: f64 = 12.0;
const PLOT_TOP: f64 = 40.0;
const PLOT_BOTTOM: f64 = 48.0;
/// The least height of a bar, for means at or near 0.
const MIN_BAR_HEIGHT: f64 = 1.5;
/// Value labels above the bars only when a bar's slot is at least this wide.
const LABELLED_SLOT: f64 = 34.0;

/// Round `top` up to a whole number of ticks with a round step; returns the ticks from 0.
fn axis_ticks(top: f64) -> Vec<f64> {
    let top = if top > 0.0 && top.is_finite() {
        top
    } else {
        1.0
    };
    let rough = top / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    let count = (top / step - 1e-9).ceil().max(1.0) as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A tick value as short as it reads: 50, 2.5, 0.25.
fn tick_label(value: f64) -> String {
    format!("{}", (value * 1000.0).round() / 1000.0)
}

/// Where a chart's values and months fall: the plot's baseline and height, the axis' top value
/// and the width of each month's slot.
struct ChartScale {
    baseline: f64,
    plot_height: f64,
    axis_max: f64,
    slot: f64,
}

impl ChartScale {
    /// The scale of a chart of `months` bars whose axis ends at `axis_max`.
    fn new(axis_max: f64, months: usize) -> ChartScale {
        let plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
        ChartScale {
            baseline: PLOT_TOP + plot_height,
            plot_height,
            axis_max,
            slot: (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / months as f64,
        }
    }

    /// The height in the drawing of `value`.
    fn y(&self, value: f64) -> f64 {
        self.baseline - self.plot_height * (value / self.axis_max)
    }

    /// The centre of month `i`'s slot.
    fn centre(&self, i: usize) -> f64 {
        PLOT_LEFT + self.slot * (i as f64 + 0.5)
    }
}

/// Bars of the monthly mean (coloured by met or missed), a dashed target line, month labels and a
/// y axis; every bar carries a `<title>` with its month, value, cases and status.
fn month_chart(overall: &IndicatorResult, months: &[&IndicatorResult]) -> String {
    if months.is_empty() {
        return "<p class=\"empty\">本期无数据 No cases in this period.</p>\n".to_string();
    }
    let target_value = overall.target.map(|t| t.value);
    let target_label = format!("目标 target {}", target_text(overall));
    let highest = months
        .iter()
        .filter_map(|m| m.mean)
        .fold(target_value.unwrap_or(0.0), f64::max);
    let ticks = axis_ticks(highest * 1.08);
    let scale = ChartScale::new(ticks.last().copied().unwrap_or(1.0), months.len());
    let name = format!(
        "{} {}: monthly means against the target {}",
        overall.indicator.chinese,
        overall.indicator.english,
        target_text(overall)
    );
    let mut svg = format!(
        "<svg viewBox=\"0 0 {CHART_WIDTH} {CHART_HEIGHT}\" role=\"img\" aria-label=\"{}\">\n",
        escape(&name)
    );
    svg.push_str(&legend(&target_label));
    svg.push_str(&grid_lines(&ticks, &scale));
    svg.push_str(&month_bars(overall.indicator, months, &scale));
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{PLOT_LEFT}\" x2=\"{:.1}\" y1=\"{baseline:.1}\" y2=\"{baseline:.1}\"/>\n",
        CHART_WIDTH - PLOT_RIGHT,
        baseline = scale.baseline,
    ));
    if let Some(value) = target_value {
        let target_y = scale.y(value);
        svg.push_str(&format!(
            "<line class=\"target\" x1=\"{PLOT_LEFT}\" x2=\"{:.1}\" y1=\"{target_y:.1}\" y2=\"{target_y:.1}\"><title>{}</title></line>\n",
            CHART_WIDTH - PLOT_RIGHT,
            escape(&target_label),
        ));
    }
    svg.push_str("</svg>\n");
    svg.push_str(&month_table(months));
    svg
}

/// A grid line and a label per tick of the y axis.
fn grid_lines(ticks: &[f64], scale: &ChartScale) -> String {
    let mut svg = String::new();
    for tick in ticks {
        svg.push_str(&format!(
            "<line class=\"grid\" x1=\"{PLOT_LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            CHART_WIDTH - PLOT_RIGHT,
            PLOT_LEFT - 6.0,
            scale.y(*tick) + 4.0,
            escape(&tick_label(*tick)),
            y = scale.y(*tick),
        ));
    }
    svg
}

/// One bar per month, with its value label when there is room, its month number (every month,
/// or every few when there are many) and the year under the first month of each year.
fn month_bars(indicator: &Indicator, months: &[&IndicatorResult], scale: &ChartScale) -> String {
    let mut svg = String::new();
    let label_every = (months.len() as f64 / 12.0).ceil().max(1.0) as usize;
    let baseline = scale.baseline;
    let mut previous_year = "";
    for (i, month) in months.iter().enumerate() {
        let mean = month.mean.unwrap_or(0.0);
        let label = month_of(month);
        let centre = scale.centre(i);
        let bar_width = (scale.slot * 0.62).min(40.0);
        // why: a month whose mean is 0 still shows a sliver of a bar, so it reads as a month with data.
        let top = scale.y(mean).min(baseline - MIN_BAR_HEIGHT);
        svg.push_str(&format!(
            "<rect class=\"bar {}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar_width:.1}\" height=\"{:.1}\">\
             <title>{}</title></rect>\n",
            status_class(month.status),
            centre - bar_width / 2.0,
            baseline - top,
            escape(&format!(
                "{label}: {} {}, {} 件 cases, {}",
                number(mean),
                unit(indicator),
                month.cases,
                status_bilingual(month.status)
            )),
        ));
        if scale.slot >= LABELLED_SLOT {
            svg.push_str(&format!(
                "<text class=\"value-label\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                top - 4.0,
                escape(&bar_label(mean, scale.axis_max))
            ));
        }
        let (year, month_number) = label.split_once('-').unwrap_or(("", label));
        if i % label_every == 0 {
            svg.push_str(&format!(
                "<text class=\"month\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                baseline + 18.0,
                escape(month_number)
            ));
        }
        if year != previous_year {
            svg.push_str(&format!(
                "<text class=\"year\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                baseline + 38.0,
                escape(year)
            ));
            previous_year = year;
        }
    }
    svg
}

/// The unit at the top left; at the top right the target and a dashed stroke, out of the bars' way.
fn legend(target: &str) -> String {
    let right = CHART_WIDTH - PLOT_RIGHT;
    format!(
        "<text class=\"unit-label\" x=\"4\" y=\"18\">天 days</text>\n\
         <text class=\"target-label\" x=\"{:.1}\" y=\"18\" text-anchor=\"end\">{}</text>\n\
         <line class=\"target\" x1=\"{:.1}\" x2=\"{right:.1}\" y1=\"13\" y2=\"13\"/>\n",
        right - 36.0,
        escape(target),
        right - 28.0,
    )
}

/// A bar's value label: two decimals on a short axis (filing review, about a day), one on a long
/// one, to fit above the bar; the table below the chart has two throughout.
fn bar_label(value: f64, axis_max: f64) -> String {
    if axis_max < 10.0 {
        number(value)
    } else {
        let rounded = (value * 10.0).round() / 10.0;
        format!("{rounded:.1}")
    }
}

/// The month label of a monthly row (`2021-03`).
fn month_of(result: &IndicatorResult) -> &str {
    result
        .group
        .iter()
        .find(|(key, _)| *key == GroupKey::Month)
        .map_or("", |(_, label)| label.as_str())
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

/// The chart's numbers as a table, folded away: for phones, screen readers and copying.
fn month_table(months: &[&IndicatorResult]) -> String {
    let mut html = format!(
        "<details><summary>月度数据 Monthly figures</summary>\n<div class=\"table-wrap\"><table class=\"compact\">\n\
         <thead><tr>{}{}</tr></thead>\n<tbody>\n",
        key_header(GroupKey::Month),
        figure_headers(&["cases", "mean", "status"])
    );
    for month in months {
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>\n",
            escape(month_of(month)),
            month.cases,
            figure(month.mean),
            status_cell(month.status)
        ));
    }
    html.push_str("</tbody></table></div></details>\n");
    html
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
        html.push_str(&group_tables(computed, &[GroupKey::Court]));
        html.push_str("</section>\n");
    }
    if !report.by.is_empty() && report.by != [GroupKey::Court] {
        html.push_str("<section id=\"groups\">\n<h2>分组 Break-down</h2>\n");
        html.push_str(&group_tables(report.computed, report.by));
        html.push_str("</section>\n");
    }
    html
}

/// Per indicator, a table of its groups (keys `by`) with cases, mean, median, p90, target and
/// status.
fn group_tables(computed: &Computed, by: &[GroupKey]) -> String {
    let mut html = String::new();
    for overall in overall_rows(computed) {
        html.push_str(&format!("<h3>{}</h3>\n", indicator_name(overall.indicator)));
        let rows: Vec<&IndicatorResult> = group_rows(computed, overall.indicator).collect();
        if rows.is_empty() {
            html.push_str("<p class=\"empty\">本期无数据 No cases in this period.</p>\n");
            continue;
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
                figure(row.mean),
                figure(row.median),
                figure(row.p90),
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
        "<p class=\"note\">问题总数 Problems found in the input: {}. Every one is listed by \
         <code>casemetrics validate --details</code>, the cases left out by \
         <code>casemetrics cases --indicator ID --excluded</code>.</p>\n",
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
            escape(&problem.file),
            problem.line,
            escape(&problem.column),
            escape(&problem.value),
            escape(&problem.reason)
        ));
    }
    html.push_str("</tbody></table></div></details>\n");
    html
}

/// The inputs (name, rows, encoding, SHA-256), the options that shaped the figures, the version.
fn source_section(report: &Report, targets_file: Option<&Path>) -> String {
    let mut html =
        String::from("<section id=\"source\">\n<h2>来源 Source</h2>\n<ul class=\"inputs\">\n");
    for source in &report.register.sources {
        html.push_str(&format!(
            "<li><b>{}</b> · {} 行 rows · {}<br><span class=\"note\">SHA-256</span> <code class=\"hash\">{}</code></li>\n",
            escape(&source.name),
            source.rows,
            escape(source.encoding.id()),
            escape(&source.sha256)
        ));
    }
    html.push_str("</ul>\n<dl class=\"options\">\n");
    let by = if report.by.is_empty() {
        "(none)".to_string()
    } else {
        report
            .by
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(",")
    };
    let targets = targets_file.map_or_else(
        || "2021 plan (built in)".to_string(),
        |path| path.display().to_string(),
    );
    let mut options = vec![
        ("期间 period (--period)", period_sentence(report)),
        ("分组 --by", by),
        (
            "天数 days",
            if report.gross {
                "gross (--gross)".to_string()
            } else {
                "net (deducted days subtracted)".to_string()
            },
        ),
        ("目标 --targets", targets),
        ("范围 scope", scope_sentence(report.register)),
        ("版本 version", generated_by()),
    ];
    if let Some(sentence) = appeal_start_sentence(report.register) {
        options.insert(
            options.len() - 1,
            ("上诉移送起点 appeal start", sentence.to_string()),
        );
    }
    for (name, value) in options {
        html.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(name),
            escape(&value)
        ));
    }
    html.push_str("</dl>\n</section>\n");
    html
}

/// The page's style sheet: readable from phone width up; tables scroll sideways in their wrapper,
/// charts scale with the page.
const STYLE: &str = r#":root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --met: #2f7d5b; --missed: #c0392b; --no-data: #7b8794; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: var(--ink);
  font: 16px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 8px 0 4px; line-height: 1.3; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 16px 0 8px; }
.lede, .note, footer { color: var(--muted); }
footer { font-size: .85rem; margin: 16px 0 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; color: var(--muted); }
.en { color: var(--muted); font-weight: normal; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 190px), 1fr)); gap: 12px; }
.figure { border: 1px solid var(--line); border-left: 6px solid var(--no-data); border-radius: 6px; padding: 10px 12px; }
.figure.met { border-left-color: var(--met); }
.figure.missed { border-left-color: var(--missed); }
.figure h3 { margin: 0; font-size: .95rem; line-height: 1.35; }
.figure h3 .en, .figure h3 code { display: block; font-size: .8rem; }
.figure p { margin: 4px 0; }
.value { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.unit { font-size: .85rem; font-weight: normal; color: var(--muted); margin-left: 4px; }
.target { color: var(--muted); font-size: .9rem; }
.status { font-weight: 600; white-space: nowrap; }
.status.met { color: var(--met); }
.status.missed { color: var(--missed); }
.status.no-data { color: var(--no-data); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 16px; }
figure.chart { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption .en, figcaption code { font-size: .8rem; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 13px; fill: var(--muted); }
svg .value-label { font-size: 11px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .target-label { fill: var(--ink); font-weight: 600; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .target { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .bar.met { fill: var(--met); }
svg .bar.missed { fill: var(--missed); }
.empty { color: var(--muted); font-style: italic; border: 1px dashed var(--line); border-radius: 6px; padding: 24px; text-align: center; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--muted); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: .9rem; }
table.compact { width: auto; min-width: 50%; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td { background: #fff; }
th:first-child, td:first-child { position: sticky; left: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.counts { display: flex; flex-wrap: wrap; gap: 4px 20px; padding: 0; list-style: none; margin: 0 0 8px; }
.options { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
.options dt { color: var(--muted); }
.options dd { margin: 0; overflow-wrap: anywhere; }
code.hash { word-break: break-all; }
.inputs { margin: 0; padding-left: 20px; }
.inputs li { margin-bottom: 6px; }
@media (max-width: 600px) {
  main { padding: 8px; }
  .figures { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .figure { padding: 8px; }
  .value { font-size: 1.6rem; }
  th, td { padding: 5px 6px; }
  table { font-size: .85rem; }
  section { padding: 12px; margin: 12px 0; }
  h1 { font-size: 1.25rem; }
  svg text { font-size: 19px; }
  svg .value-label { display: none; }
  .options { grid-template-columns: 1fr; }
  .options dd { margin-bottom: 6px; }
}
@media print {
  body { background: #fff; }
  section { border: none; }
}
"#;

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
    }

    #[test]
    fn axis_ticks_are_round_and_reach_the_top() {
        assert_eq!(axis_ticks(54.0), [0.0, 20.0, 40.0, 60.0]);
        assert_eq!(axis_ticks(1.08), [0.0, 0.5, 1.0, 1.5]);
        assert_eq!(axis_ticks(90.0), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(axis_ticks(0.0), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(50.0), "50");
    }
}
