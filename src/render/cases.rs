//! The `cases` listing: every case behind a figure (or left out of it), one line per case, as a
//! terminal table ending with the count and the figure, or as CSV written line by line.

use std::fmt::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::measure::indicators::Indicator;
use crate::measure::listing::CaseLine;
use crate::model::calendar;
use crate::model::cases::Register;
use crate::render::columns::{case_columns, within_share};
use crate::render::labels::within_word;
use crate::render::numbers::optional;
use crate::render::text::terminal_row;

/// The listing's columns for `indicator`: the counted cases' days, or the excluded cases' reason.
pub fn header(indicator: &Indicator, excluded: bool) -> Vec<String> {
    case_columns(indicator, excluded)
}

/// The cells of one listed case, written into `cells` (its strings are reused from line to line:
/// a listing may have millions of lines).
pub fn fill_cells(
    register: &Register,
    indicator: &Indicator,
    line: &CaseLine,
    excluded: bool,
    cells: &mut Vec<String>,
) {
    let mut count = 0;
    let mut next = |cells: &mut Vec<String>| -> usize {
        if cells.len() == count {
            cells.push(String::new());
        }
        cells[count].clear();
        count += 1;
        count - 1
    };
    let cell = next(cells);
    register.case_numbers.write_to(line.row, &mut cells[cell]);
    let cell = next(cells);
    cells[cell].push_str(register.courts.label(line.court));
    for timestamp in [line.start, line.end] {
        let cell = next(cells);
        if let Some(timestamp) = timestamp {
            calendar::write_timestamp(&mut cells[cell], timestamp);
        }
    }
    if indicator.net_of_deductions {
        let cell = next(cells);
        if let Some(days) = line.deducted {
            let _ = write!(cells[cell], "{days}");
        }
    }
    if excluded {
        let cell = next(cells);
        if let Some(exclusion) = line.exclusion {
            cells[cell].push_str(&exclusion.id(indicator));
        }
    } else {
        // Shortest text that reads back as the same number, so sums in a spreadsheet are exact.
        let cell = next(cells);
        if let Some(days) = line.days {
            let _ = write!(cells[cell], "{days}");
        }
        if within_share(indicator) {
            let cell = next(cells);
            cells[cell].push_str(within_word(line.within));
        }
    }
    let cell = next(cells);
    cells[cell].push_str(register.source_name(line.row));
    let cell = next(cells);
    let _ = write!(cells[cell], "{}", register.line[line.row]);
    cells.truncate(count);
}

/// The listing as a table, ending with the count and mean (for a within-days share: the share),
/// which equal the report's.
pub fn table(
    register: &Register,
    indicator: &Indicator,
    lines: &[CaseLine],
    excluded: bool,
) -> String {
    let mut listing = Table::new();
    listing.load_style(UTF8_FULL_CONDENSED);
    listing.set_header(header(indicator, excluded));
    let mut cells = Vec::new();
    for line in lines {
        fill_cells(register, indicator, line, excluded, &mut cells);
        listing.add_row(terminal_row(&cells));
    }
    format!("{listing}\n{}\n", summary(indicator, lines, excluded))
}

/// The line under the listing: how many cases, and their mean or share within the limit.
fn summary(indicator: &Indicator, lines: &[CaseLine], excluded: bool) -> String {
    let count = lines.len();
    let id = indicator.id;
    if excluded {
        format!("{count} cases excluded from {id}")
    } else if within_share(indicator) {
        let within = lines.iter().filter(|l| l.within == Some(true)).count();
        let share = (!lines.is_empty()).then(|| within as f64 / count as f64);
        format!(
            "{count} cases in {id}; {within} within the limit: share {}",
            optional(share)
        )
    } else {
        format!("{count} cases in {id}; mean {}", optional(mean_days(lines)))
    }
}

/// Mean of the days listed.
fn mean_days(lines: &[CaseLine]) -> Option<f64> {
    let days: Vec<f64> = lines.iter().filter_map(|l| l.days).collect();
    (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64)
}
