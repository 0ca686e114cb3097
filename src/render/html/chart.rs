//! The page's charts: hand-written inline SVG, bars against a dashed target line.

use crate::measure::compute::IndicatorResult;
use crate::measure::indicators::Indicator;
use crate::render::labels::{status_bilingual, status_class};
use crate::render::numbers::number;

use super::escape;
use super::units::{against, axis_unit, is_percent, short_number, shown, target_text, value_text};

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
pub(super) fn axis_ticks(top: f64) -> Vec<f64> {
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

/// One month or quarter of a chart: its label (`2021-03`, `2021-Q2`), its figures when it has
/// cases, and whether it is the reported period.
pub(super) struct Slot<'a> {
    /// `2021-03` or `2021-Q2`.
    pub label: String,
    /// The slot's row; `None` when no case fell in it.
    pub result: Option<&'a IndicatorResult>,
    /// Whether this is the period the page reports (highlighted).
    pub current: bool,
}

/// Where a chart's values and slots fall: the plot's baseline and height, the axis' top value
/// and the width of each slot.
struct ChartScale {
    baseline: f64,
    plot_height: f64,
    axis_max: f64,
    slot: f64,
}

impl ChartScale {
    /// The scale of a chart of `slots` bars whose axis ends at `axis_max`.
    fn new(axis_max: f64, slots: usize) -> ChartScale {
        let plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
        ChartScale {
            baseline: PLOT_TOP + plot_height,
            plot_height,
            axis_max,
            slot: (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / slots.max(1) as f64,
        }
    }

    /// The height in the drawing of `value`.
    fn y(&self, value: f64) -> f64 {
        self.baseline - self.plot_height * (value / self.axis_max)
    }

    /// The centre of slot `i`.
    fn centre(&self, i: usize) -> f64 {
        PLOT_LEFT + self.slot * (i as f64 + 0.5)
    }
}

/// The figure of a slot in the page's unit, when it has one.
fn slot_value(slot: &Slot) -> Option<f64> {
    slot.result
        .filter(|r| r.cases > 0)
        .and_then(|r| r.mean.map(|m| shown(r.indicator, m)))
}

/// Bars of the figure per month or quarter (coloured by met or missed; the reported period
/// outlined on a shaded band), a dashed target line, slot labels and a y axis with its unit;
/// every bar carries a `<title>` with its slot, value, cases and status.
pub(super) fn series_chart(overall: &IndicatorResult, slots: &[Slot]) -> String {
    if slots.iter().all(|s| slot_value(s).is_none()) {
        return "<p class=\"empty\">本期无数据 No cases in this period.</p>\n".to_string();
    }
    let indicator = overall.indicator;
    let target_value = overall.target.map(|t| shown(indicator, t.value));
    let target_label = format!("目标 target {}", target_text(overall));
    let highest = slots
        .iter()
        .filter_map(slot_value)
        .fold(target_value.unwrap_or(0.0), f64::max);
    let ticks = axis_ticks(highest * 1.08);
    let scale = ChartScale::new(ticks.last().copied().unwrap_or(1.0), slots.len());
    let name = format!(
        "{} {}: figures {}",
        indicator.chinese,
        indicator.english,
        against(overall)
    );
    let mut svg = format!(
        "<svg viewBox=\"0 0 {CHART_WIDTH} {CHART_HEIGHT}\" role=\"img\" aria-label=\"{}\">\n",
        escape(&name)
    );
    svg.push_str(&legend(
        axis_unit(indicator),
        target_value.map(|_| target_label.as_str()),
    ));
    svg.push_str(&current_band(slots, &scale));
    svg.push_str(&grid_lines(&ticks, &scale));
    svg.push_str(&slot_bars(indicator, slots, &scale));
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
    svg
}

/// A shaded band behind the reported period's slot, under the grid and the bars.
fn current_band(slots: &[Slot], scale: &ChartScale) -> String {
    match slots.iter().position(|s| s.current) {
        Some(i) => format!(
            "<rect class=\"current-band\" x=\"{:.1}\" y=\"{PLOT_TOP:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>\n",
            scale.centre(i) - scale.slot / 2.0,
            scale.slot,
            scale.baseline - PLOT_TOP + 42.0,
        ),
        None => String::new(),
    }
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
            escape(&short_number(*tick)),
            y = scale.y(*tick),
        ));
    }
    svg
}

/// One bar per slot with cases, a dash on the axis for a slot without, the value label when
/// there is room, and the slot's labels under the axis.
fn slot_bars(indicator: &Indicator, slots: &[Slot], scale: &ChartScale) -> String {
    let mut svg = String::new();
    let baseline = scale.baseline;
    for (i, slot) in slots.iter().enumerate() {
        let centre = scale.centre(i);
        let current = if slot.current { " current" } else { "" };
        match (slot.result, slot_value(slot)) {
            (Some(result), Some(value)) => {
                let bar_width = (scale.slot * 0.62).min(40.0);
                // why: a slot whose figure is 0 still shows a sliver of a bar, so it reads as data.
                let top = scale.y(value).min(baseline - MIN_BAR_HEIGHT);
                svg.push_str(&format!(
                    "<rect class=\"bar {}{current}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar_width:.1}\" height=\"{:.1}\">\
                     <title>{}</title></rect>\n",
                    status_class(result.status),
                    centre - bar_width / 2.0,
                    baseline - top,
                    escape(&bar_title(indicator, &slot.label, result)),
                ));
                if scale.slot >= LABELLED_SLOT {
                    svg.push_str(&format!(
                        "<text class=\"value-label{current}\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                        top - 4.0,
                        escape(&bar_label(indicator, value, scale.axis_max))
                    ));
                }
            }
            _ => svg.push_str(&format!(
                "<text class=\"gap\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">–<title>{}: 无数据 no cases</title></text>\n",
                baseline - 4.0,
                escape(&slot.label)
            )),
        }
        svg.push_str(&slot_labels(slots, i, centre, baseline));
    }
    svg
}

/// A bar's hover text: `2021-03: 15.00 天 days, 1 件 cases, ✓ 达标 met`.
fn bar_title(indicator: &Indicator, label: &str, result: &IndicatorResult) -> String {
    let value = value_text(indicator, result.mean);
    let unit = if is_percent(indicator) {
        ""
    } else {
        " 天 days"
    };
    format!(
        "{label}: {value}{unit}, {} 件 cases, {}",
        result.cases,
        status_bilingual(result.status)
    )
}

/// Under slot `i`: its month number (every month, or every few when there are many) or quarter,
/// and the year under the first slot of each year.
fn slot_labels(slots: &[Slot], i: usize, centre: f64, baseline: f64) -> String {
    let label_every = (slots.len() as f64 / 12.0).ceil().max(1.0) as usize;
    let (year, part) = slots[i]
        .label
        .split_once('-')
        .unwrap_or(("", &slots[i].label));
    let previous_year = i
        .checked_sub(1)
        .and_then(|p| slots[p].label.split_once('-'))
        .map(|(y, _)| y);
    let current = if slots[i].current { " current" } else { "" };
    let mut svg = String::new();
    if i.is_multiple_of(label_every) || slots[i].current {
        svg.push_str(&format!(
            "<text class=\"month{current}\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            baseline + 18.0,
            escape(part)
        ));
    }
    if previous_year != Some(year) {
        svg.push_str(&format!(
            "<text class=\"year\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            baseline + 38.0,
            escape(year)
        ));
    }
    svg
}

/// The unit at the top left; at the top right the target and a dashed stroke, out of the bars' way
/// (`无目标 no target`, without a stroke, when none applies).
fn legend(unit: &str, target: Option<&str>) -> String {
    let right = CHART_WIDTH - PLOT_RIGHT;
    let unit = format!(
        "<text class=\"unit-label\" x=\"4\" y=\"18\">{}</text>\n",
        escape(unit)
    );
    match target {
        Some(target) => format!(
            "{unit}<text class=\"target-label\" x=\"{:.1}\" y=\"18\" text-anchor=\"end\">{}</text>\n\
             <line class=\"target\" x1=\"{:.1}\" x2=\"{right:.1}\" y1=\"13\" y2=\"13\"/>\n",
            right - 36.0,
            escape(target),
            right - 28.0,
        ),
        None => format!(
            "{unit}<text class=\"target-label\" x=\"{right:.1}\" y=\"18\" text-anchor=\"end\">无目标 no target</text>\n"
        ),
    }
}

/// A bar's value label: two decimals on a short axis (filing review, about a day), one on a long
/// one, to fit above the bar; a share with its `%`. The table below the chart has two throughout.
fn bar_label(indicator: &Indicator, value: f64, axis_max: f64) -> String {
    let text = if axis_max < 10.0 {
        number(value)
    } else {
        let rounded = (value * 10.0).round() / 10.0;
        format!("{rounded:.1}")
    };
    if is_percent(indicator) {
        format!("{text}%")
    } else {
        text
    }
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
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(50.0), "50");
    }
}
