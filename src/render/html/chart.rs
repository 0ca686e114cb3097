//! The page's charts: hand-written inline SVG, bars against a dashed target line.

use crate::measure::compute::IndicatorResult;
use crate::measure::groups::GroupKey;
use crate::measure::indicators::Indicator;
use crate::render::labels::{status_bilingual, status_class, unit};
use crate::render::numbers::number;
use crate::render::report::target_text;

use super::{escape, month_table};

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
pub(super) fn month_chart(overall: &IndicatorResult, months: &[&IndicatorResult]) -> String {
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
pub(super) fn month_of(result: &IndicatorResult) -> &str {
    result
        .group
        .iter()
        .find(|(key, _)| *key == GroupKey::Month)
        .map_or("", |(_, label)| label.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

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
