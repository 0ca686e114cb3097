//! The charts section: per indicator, its figure month by month (or quarter by quarter) against
//! the target. A month's report charts the twelve months up to it, a quarter's the four quarters
//! up to it, with the reported period highlighted; any other period charts its own months.

use crate::measure::compute::{Computed, IndicatorResult};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::Indicator;
use crate::measure::trend::Trend;
use crate::render::report::Report;

use super::chart::{Slot, series_chart};
use super::units::value_text;
use super::{
    escape, figure_headers, group_rows, indicator_name, key_header, overall_rows, status_cell,
};

/// The series the charts draw: the trend up to the period, or the period's own months.
#[derive(Clone, Copy)]
pub(super) enum Series<'a> {
    /// The twelve months (four quarters) up to a month's (quarter's) report.
    Trend(&'a Trend),
    /// The months of the period that have cases.
    Months(&'a Computed),
    /// Not computed.
    None,
}

/// One chart per indicator, each with its numbers in a folded table.
pub(super) fn charts_section(report: &Report, series: Series) -> String {
    let heading = match series {
        Series::Trend(trend) if trend.key == GroupKey::Quarter => format!(
            "近四个季度走势 The four quarters to {} against the target",
            trend.current()
        ),
        Series::Trend(trend) => format!(
            "近十二个月走势 The twelve months to {} against the target",
            trend.current()
        ),
        _ => "月度走势 Monthly figures against the target".to_string(),
    };
    let mut html = format!(
        "<section id=\"months\">\n<h2>{}</h2>\n<div class=\"charts\">\n",
        escape(&heading)
    );
    for overall in overall_rows(report.computed) {
        html.push_str(&format!(
            "<figure class=\"chart\" id=\"chart-{}\">\n<figcaption>{}</figcaption>\n",
            escape(overall.indicator.id),
            indicator_name(overall.indicator)
        ));
        let (key, slots) = match series {
            Series::Trend(trend) => (trend.key, trend_slots(trend, overall.indicator)),
            Series::Months(computed) => (GroupKey::Month, month_slots(computed, overall.indicator)),
            Series::None => {
                html.push_str(
                    "<p class=\"empty\">月度数据未计算 The monthly series was not computed.</p>\n</figure>\n",
                );
                continue;
            }
        };
        let chart = series_chart(overall, &slots);
        let empty = chart.starts_with("<p");
        html.push_str(&chart);
        if !empty {
            html.push_str(&slot_table(overall.indicator, key, &slots));
        }
        html.push_str("</figure>\n");
    }
    html.push_str("</div>\n</section>\n");
    html
}

/// The label of a row's `key` group (`2021-03`, `2021-Q2`).
fn label_of(result: &IndicatorResult, key: GroupKey) -> &str {
    result
        .group
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, label)| label.as_str())
}

/// Every slot of the trend, with or without cases; the last is the reported period.
fn trend_slots<'a>(trend: &'a Trend, indicator: &'a Indicator) -> Vec<Slot<'a>> {
    trend
        .slots
        .iter()
        .map(|label| Slot {
            label: label.clone(),
            result: group_rows(&trend.computed, indicator)
                .find(|r| label_of(r, trend.key) == label && r.cases > 0),
            current: label == trend.current(),
        })
        .collect()
}

/// The months of the period that have a figure.
fn month_slots<'a>(computed: &'a Computed, indicator: &'a Indicator) -> Vec<Slot<'a>> {
    group_rows(computed, indicator)
        .filter(|r| r.cases > 0 && r.mean.is_some())
        .map(|r| Slot {
            label: label_of(r, GroupKey::Month).to_string(),
            result: Some(r),
            current: false,
        })
        .collect()
}

/// The chart's numbers as a table, folded away: for phones, screen readers and copying. A slot
/// without cases has 0 cases and no figure; the reported period's row is marked.
fn slot_table(indicator: &Indicator, key: GroupKey, slots: &[Slot]) -> String {
    let summary = match key {
        GroupKey::Quarter => "季度数据 Quarterly figures",
        _ => "月度数据 Monthly figures",
    };
    let mut html = format!(
        "<details><summary>{summary}</summary>\n<div class=\"table-wrap\"><table class=\"compact\">\n\
         <thead><tr>{}{}</tr></thead>\n<tbody>\n",
        key_header(key),
        figure_headers(&["cases", "mean", "status"])
    );
    for slot in slots {
        let class = if slot.current {
            " class=\"current\""
        } else {
            ""
        };
        let mark = if slot.current {
            " ◀ 本期 this period"
        } else {
            ""
        };
        match slot.result {
            Some(result) => html.push_str(&format!(
                "<tr{class}><td>{}{mark}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>\n",
                escape(&slot.label),
                result.cases,
                value_text(indicator, result.mean),
                status_cell(result.status)
            )),
            None => html.push_str(&format!(
                "<tr{class}><td>{}{mark}</td><td class=\"num\">0</td><td class=\"num\">–</td>\
                 <td class=\"status no-data\">– 无数据 no data</td></tr>\n",
                escape(&slot.label),
            )),
        }
    }
    html.push_str("</tbody></table></div></details>\n");
    html
}
