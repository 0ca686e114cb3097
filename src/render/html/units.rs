//! Figures in the page's units: days as they are, shares and rates (0..1 in the other formats)
//! as percentages, so that no share is ever labelled in days.

use crate::measure::compute::IndicatorResult;
use crate::measure::indicators::Indicator;
use crate::measure::targets::Comparison;
use crate::render::numbers::number;

/// Whether the page shows `indicator` as a percentage (every figure that is not days).
pub(super) fn is_percent(indicator: &Indicator) -> bool {
    !indicator.measure.is_days()
}

/// `value` in the page's unit: days unchanged, a share × 100.
pub(super) fn shown(indicator: &Indicator, value: f64) -> f64 {
    if is_percent(indicator) {
        value * 100.0
    } else {
        value
    }
}

/// The unit after a figure: `天 days` or `%`.
pub(super) fn unit_after(indicator: &Indicator) -> &'static str {
    if is_percent(indicator) {
        "%"
    } else {
        "天 days"
    }
}

/// The unit of a chart's value axis: `天 days` or `% 百分比 percent`.
pub(super) fn axis_unit(indicator: &Indicator) -> &'static str {
    if is_percent(indicator) {
        "% 百分比 percent"
    } else {
        "天 days"
    }
}

/// A figure with two decimals in the page's unit (`48.33`, `93.50%`), or a dash when none.
pub(super) fn value_text(indicator: &Indicator, value: Option<f64>) -> String {
    match value {
        None => "–".to_string(),
        Some(v) if is_percent(indicator) => format!("{}%", number(shown(indicator, v))),
        Some(v) => number(v),
    }
}

/// A value as short as it reads: 50, 2.5, 0.25, 99.5.
pub(super) fn short_number(value: f64) -> String {
    format!("{}", (value * 1000.0).round() / 1000.0)
}

/// The target in the page's unit (`≤ 50`, `≥ 95%`), or `-` when none applies.
pub(super) fn target_text(result: &IndicatorResult) -> String {
    let Some(target) = result.target else {
        return "-".to_string();
    };
    let sign = match target.op {
        Comparison::AtMost => "≤",
        Comparison::AtLeast => "≥",
    };
    let value = short_number(shown(result.indicator, target.value));
    let percent = if is_percent(result.indicator) {
        "%"
    } else {
        ""
    };
    format!("{sign} {value}{percent}")
}

/// What a chart's figures are set against, for its accessible name: `the target ≤ 50`, or
/// `with no target`.
pub(super) fn against(result: &IndicatorResult) -> String {
    match result.target {
        Some(_) => format!("against the target {}", target_text(result)),
        None => "with no target".to_string(),
    }
}
