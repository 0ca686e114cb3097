//! Cells made safe for where they are read: CSV opened in a spreadsheet, Markdown tables, and
//! pretty JSON. HTML escaping is in `html`.

use serde::Serialize;

/// A control character (see `read::is_control_character`) written visibly, e.g. `\u{1b}`.
pub fn visible_escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// A whole terminal output (tables and the lines around them) with every control character of the input visibly escaped (and a
/// carriage return too), so that an export cannot change the window title, clear the screen,
/// move the cursor or reorder text. Line feeds stay. Columns holding an escaped value are wider
/// than the table's rule.
pub fn terminal_text(text: String) -> String {
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

/// Text from the input made safe to print in a terminal table: control characters (C0 such as
/// NUL, BEL, ESC, tab and line breaks; DEL; C1) and the bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) are shown escaped as `\u{1b}`, so an export cannot set the
/// window title, clear the screen or reorder what the analyst reads. CSV and JSON keep the value.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A control character, or a bidirectional override or isolate.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A terminal table row: every cell `terminal_safe`.
pub(crate) fn terminal_row<S: AsRef<str>>(cells: &[S]) -> Vec<String> {
    cells
        .iter()
        .map(|cell| terminal_safe(cell.as_ref()).into_owned())
        .collect()
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
            terminal_text(text),
            "法院\\u{1b}]0;pwned\\u{7}\n\\u{1b}[2J\\u{202e}cba\\u{d}\n"
        );
        assert_eq!(terminal_text("a\tb\n".to_string()), "a\tb\n");
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

    #[test]
    fn control_and_bidi_characters_are_escaped_for_the_terminal() {
        assert_eq!(
            terminal_safe("洛阳\u{1b}]0;x\u{7}"),
            "洛阳\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(terminal_safe("a\0b\tc\nd"), "a\\u{0}b\\u{9}c\\u{a}d");
        assert_eq!(terminal_safe("\u{9b}2J\u{7f}"), "\\u{9b}2J\\u{7f}");
        assert_eq!(
            terminal_safe("\u{202e}fdp.exe\u{2066}"),
            "\\u{202e}fdp.exe\\u{2066}"
        );
        assert!(matches!(
            terminal_safe("（2021）豫0302民初1号"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
