//! Cells made safe for where they are read: CSV opened in a spreadsheet, Markdown tables, and
//! pretty JSON. HTML escaping is in `html`.

use serde::Serialize;

/// A control character (see `read::is_control_character`) written visibly, e.g. `\u{1b}`.
pub fn visible_escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// A terminal table or text with every control character of the input visibly escaped (and a
/// carriage return too), so that an export cannot change the window title, clear the screen,
/// move the cursor or reorder text. Line feeds stay. Columns holding an escaped value are wider
/// than the table's rule.
pub fn terminal_safe(text: String) -> String {
    let hazard = |c: char| c == '\r' || crate::read::is_control_character(c);
    if !text.contains(hazard) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match hazard(c) {
            true => out.push_str(&visible_escape(c)),
            false => out.push(c),
        }
    }
    out
}

/// Write one CSV record with every cell made spreadsheet-safe. Errors are not returned here:
/// writing to memory cannot fail, and an `output::AtomicOutput` (the `cases` listing) records a
/// failed write, stops the listing and reports it when it is finished.
pub fn write_safe_record<W: std::io::Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    record: &[S],
) {
    for cell in record {
        let _ = writer.write_field(spreadsheet_safe(cell.as_ref()).as_bytes());
    }
    let _ = writer.write_record(None::<&[u8]>);
}

/// The text a CSV writer to memory wrote.
pub(crate) fn csv_text(writer: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A text cell a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or
/// carriage return: OWASP's list) gets a leading `'`, since auditors open these files in Excel.
/// Plain decimal numbers (`-3.50`, `+1.25`, `12.5%`), which our own number columns hold, are left
/// as they are; anything else, `-inf` or `-1e5` included, counts as text.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// An optional sign, digits, optionally a point and more digits, optionally `%`.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let digits = digits.strip_suffix('%').unwrap_or(digits);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Text from the input, made safe inside a Markdown table cell.
pub fn markdown_text(text: &str) -> String {
    let safe = spreadsheet_safe(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// One Markdown table row: `| a | b |` and a newline.
pub(crate) fn markdown_row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// Serialize anything as pretty JSON with a trailing newline.
pub fn pretty_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_shows_control_characters_visibly() {
        // ESC ] 0 ; … BEL sets a window title; ESC [ 2 J clears the screen; U+202E reverses text.
        let text = "法院\u{1b}]0;pwned\u{7}\n\u{1b}[2J\u{202e}cba\r\n".to_string();
        assert_eq!(
            terminal_safe(text),
            "法院\\u{1b}]0;pwned\\u{7}\n\\u{1b}[2J\\u{202e}cba\\u{d}\n"
        );
        assert_eq!(terminal_safe("a\tb\n".to_string()), "a\tb\n");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-12.5"), "-12.5");
        assert_eq!(spreadsheet_safe("+1.25"), "+1.25");
        assert_eq!(spreadsheet_safe("-3.50"), "-3.50");
        assert_eq!(spreadsheet_safe("12.5%"), "12.5%");
        assert_eq!(spreadsheet_safe("+86 379 1234"), "'+86 379 1234");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("-inf"), "'-inf");
        assert_eq!(spreadsheet_safe("-1e5"), "'-1e5");
        assert_eq!(spreadsheet_safe("-"), "'-");
        assert_eq!(spreadsheet_safe("\t=1+1"), "'\t=1+1");
        assert_eq!(spreadsheet_safe("\r=1+1"), "'\r=1+1");
        assert_eq!(spreadsheet_safe("a=1"), "a=1");
        assert_eq!(spreadsheet_safe(""), "");
        assert_eq!(spreadsheet_safe("洛阳市中级人民法院"), "洛阳市中级人民法院");
        assert_eq!(markdown_text("a|b"), "a\\|b");
    }
}
