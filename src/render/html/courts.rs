//! The per-court chart of the reported period: a bar per court, the target as a dashed line
//! across them, missed bars in red and marked ✗. Each court's name stands above its bar, so that
//! long names read at phone width too.

use crate::measure::compute::{IndicatorResult, Status};
use crate::render::labels::{status_bilingual, status_class};

use super::chart::axis_ticks;
use super::escape;
use super::units::{against, axis_unit, is_percent, shown, target_text, value_text};

const WIDTH: f64 = 520.0;
/// Where the bars start and the longest one ends (room for its value label to the right).
const BAR_LEFT: f64 = 4.0;
const BAR_RIGHT: f64 = 440.0;
/// The legend's height, then each court's: its name, then its bar.
const TOP: f64 = 34.0;
const ROW: f64 = 44.0;
const BAR_HEIGHT: f64 = 14.0;

/// The chart of `courts` (one row per court of the per-court break-down) against `overall`'s
/// target.
pub(super) fn court_chart(overall: &IndicatorResult, courts: &[&IndicatorResult]) -> String {
    let indicator = overall.indicator;
    let target_value = overall.target.map(|t| shown(indicator, t.value));
    let highest = courts
        .iter()
        .filter_map(|r| value(r))
        .fold(target_value.unwrap_or(0.0), f64::max);
    let axis_max = axis_ticks(highest * 1.02).last().copied().unwrap_or(1.0);
    let height = TOP + ROW * courts.len() as f64 + 6.0;
    let target_label = match target_value {
        Some(_) => format!("目标 target {}", target_text(overall)),
        None => "无目标 no target".to_string(),
    };
    let mut svg = format!(
        "<svg class=\"court-chart\" viewBox=\"0 0 {WIDTH} {height:.1}\" role=\"img\" aria-label=\"{}\">\n\
         <text class=\"unit-label\" x=\"4\" y=\"16\">{}</text>\n\
         <text class=\"target-label\" x=\"{:.1}\" y=\"16\" text-anchor=\"end\">{}</text>\n",
        escape(&format!(
            "{} {}: per court, {}",
            indicator.chinese,
            indicator.english,
            against(overall)
        )),
        escape(axis_unit(indicator)),
        WIDTH - 4.0,
        escape(&target_label),
    );
    // why: the target line goes over the bars but under the names and values, which it would
    // otherwise cross.
    let rows: Vec<(String, String)> = courts
        .iter()
        .enumerate()
        .map(|(i, court)| court_row(court, TOP + ROW * i as f64, axis_max))
        .collect();
    for (bar, _) in &rows {
        svg.push_str(bar);
    }
    if let Some(target) = target_value {
        svg.push_str(&format!(
            "<line class=\"target\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"><title>{}</title></line>\n",
            TOP - 6.0,
            height - 4.0,
            escape(&target_label),
            tx = x_of(target, axis_max),
        ));
    }
    for (_, labels) in &rows {
        svg.push_str(labels);
    }
    svg.push_str("</svg>\n");
    svg
}

/// A court's figure in the page's unit, when it has cases.
fn value(court: &IndicatorResult) -> Option<f64> {
    court
        .mean
        .filter(|_| court.cases > 0)
        .map(|m| shown(court.indicator, m))
}

/// Where `value` falls on an axis from 0 to `axis_max`.
fn x_of(value: f64, axis_max: f64) -> f64 {
    BAR_LEFT + (BAR_RIGHT - BAR_LEFT) * (value / axis_max)
}

/// One court's row from `row_top` down: its bar, then its name above the bar and its value with
/// ✓ or ✗ after it (or `无数据 no cases`).
fn court_row(court: &IndicatorResult, row_top: f64, axis_max: f64) -> (String, String) {
    let indicator = court.indicator;
    let name = court.group.first().map_or("", |(_, label)| label.as_str());
    let mut labels = format!(
        "<text class=\"court-name\" x=\"{BAR_LEFT}\" y=\"{:.1}\">{}</text>\n",
        row_top + 15.0,
        escape(name)
    );
    let bar_top = row_top + 21.0;
    let Some(v) = value(court) else {
        labels.push_str(&format!(
            "<text class=\"gap\" x=\"{BAR_LEFT}\" y=\"{:.1}\">– 无数据 no cases</text>\n",
            bar_top + 12.0
        ));
        return (String::new(), labels);
    };
    let end = x_of(v, axis_max).max(BAR_LEFT + 1.5);
    let mark = match court.status {
        Status::Met => " ✓",
        Status::Missed => " ✗",
        _ => "",
    };
    let bar = format!(
        "<rect class=\"bar {}\" x=\"{BAR_LEFT}\" y=\"{bar_top:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\">\
         <title>{}</title></rect>\n",
        status_class(court.status),
        end - BAR_LEFT,
        escape(&format!(
            "{name}: {}{}, {} 件 cases, {}",
            value_text(indicator, court.mean),
            if is_percent(indicator) {
                ""
            } else {
                " 天 days"
            },
            court.cases,
            status_bilingual(court.status)
        )),
    );
    labels.push_str(&format!(
        "<text class=\"value-label {}\" x=\"{:.1}\" y=\"{:.1}\">{}{mark}</text>\n",
        status_class(court.status),
        end + 4.0,
        bar_top + 12.0,
        escape(&value_text(indicator, court.mean)),
    ));
    (bar, labels)
}
