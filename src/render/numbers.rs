//! Numbers as every format shows them: rounded to 2 decimals, halves away from zero (四舍五入, as
//! court statistics round), a dash when there is none. Figures are compared with their targets
//! before any rounding; JSON keeps them unrounded.

/// A number rounded for display: 2 decimals, halves away from zero, so 0.625 shows as 0.63.
pub(crate) fn number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    format!("{rounded:.2}")
}

/// A number for display, or `missing` when there is none (`-` in tables, `` in CSV, `–` in HTML).
pub(crate) fn number_or(value: Option<f64>, missing: &str) -> String {
    value.map_or_else(|| missing.to_string(), number)
}

/// A number for display, or `-` when there is none.
pub(crate) fn optional(value: Option<f64>) -> String {
    number_or(value, "-")
}

/// A change for display, signed: `+1.25`, `-0.50`, `0.00`; `-` when there is none.
pub(crate) fn signed(value: Option<f64>) -> String {
    match value {
        Some(change) if (change * 100.0).round() > 0.0 => format!("+{}", number(change)),
        Some(change) if (change * 100.0).round() < 0.0 => number(change),
        Some(_) => number(0.0),
        None => "-".to_string(),
    }
}

/// A share (0..1) as a percentage for display, `66.67%`; `-` when there is none.
pub(crate) fn percent(share: Option<f64>) -> String {
    share
        .map(|s| format!("{}%", number(s * 100.0)))
        .unwrap_or_else(|| "-".to_string())
}

/// A share (0..1) as a percentage without the sign, for CSV; empty when there is none.
pub(crate) fn percent_number(share: Option<f64>) -> String {
    share.map(|s| number(s * 100.0)).unwrap_or_default()
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
}
