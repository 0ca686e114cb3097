//! The values of single cells that are not dates or case numbers: yes/no flags, deducted days,
//! amounts of money, what an appeal is against.

/// The values a business flag column uses for "yes" and "no" (spec §1, "Scope").
pub(super) fn business_flag(text: &str) -> Option<bool> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if ["是", "y", "yes", "true", "1"].into_iter().any(is) {
        Some(true)
    } else if ["否", "n", "no", "false", "0"].into_iter().any(is) {
        Some(false)
    } else {
        None
    }
}

/// Read a deduction (扣除审限天数): a whole number of days ≥ 0. `12.0` is accepted as 12 because
/// spreadsheets write whole numbers that way; `12.5`, `-3` or text are not.
pub fn parse_deducted_days(text: &str) -> Option<i32> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse::<i32>().ok()
}

/// Read a yes/no column (文书上网, 庭审直播): the business flag's words, plus the forms case systems
/// print for these two (已上网/未上网, 已直播/未直播, 有/无).
pub(super) fn yes_no(text: &str) -> Option<bool> {
    match text {
        "已上网" | "已公开" | "已直播" | "有" => Some(true),
        "未上网" | "不公开" | "未公开" | "未直播" | "无" => Some(false),
        _ => business_flag(text),
    }
}

/// Read what an appeal is against (上诉对象 / 裁判类型): 判决 (judgment) or 裁定 (ruling).
pub(super) fn appeal_against(text: &str) -> Option<u8> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if ["判决", "不服判决", "民事判决", "judgment"]
        .into_iter()
        .any(is)
    {
        Some(crate::model::cases::AGAINST_JUDGMENT)
    } else if ["裁定", "不服裁定", "民事裁定", "ruling"]
        .into_iter()
        .any(is)
    {
        Some(crate::model::cases::AGAINST_RULING)
    } else {
        None
    }
}

/// Read an amount of money in yuan (`1234.5`, `1,234.56`, `1234.56元`) as whole fen. A comma is a
/// thousands separator only between groups of three digits (`1,234,567`): `1234,56` (a decimal
/// comma), `1,2` or `,100` are unreadable, as are more than two decimals, a sign, anything else,
/// and more than 10^15 yuan.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.strip_suffix('元').unwrap_or(text);
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !thousands_grouped(whole) {
        return None;
    }
    let whole: String = whole.chars().filter(|c| *c != ',').collect();
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 15
    {
        return None;
    }
    let fen = format!("{fraction:0<2}").parse::<i64>().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + fen)
}

/// Whether the whole-yuan part has no comma, or commas only between groups of three digits
/// after a first group of one to three (`1,234`, `12,345,678`).
fn thousands_grouped(whole: &str) -> bool {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    !whole.contains(',') || ((1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3))
}

/// Whether a character in a cell could drive a terminal or reorder text: C0 and C1 control
/// characters (NUL, BEL, ESC …; not tab, line feed or carriage return, which quoted cells hold)
/// and the bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069.
pub(crate) fn is_control_character(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{B}'
        | '\u{C}'
        | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}')
}

/// Whether a byte can start a control character (see [`is_control_character`]): a C0 control,
/// DEL, or the lead byte of a C1 control (C2) or of a bidirectional override (E2).
fn may_start_control_character(b: u8) -> bool {
    b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2
}

/// Whether rows of text (line feeds, tabs and carriage returns aside) hold a byte a control
/// character can start with. Most blocks hold none, and then no cell needs looking at.
pub(super) fn may_hold_control_characters(text: &[u8]) -> bool {
    // No early exit: the whole slice is looked at in wide vector steps, much faster than
    // stopping at the first hit in the (rare) blocks that have one.
    text.iter().fold(false, |found, &b| {
        found | (may_start_control_character(b) && !matches!(b, b'\n' | b'\r' | b'\t'))
    })
}

/// The first control character of a cell (see [`is_control_character`]), if any.
pub(super) fn first_control_character(text: &str) -> Option<char> {
    // Most cells hold none of the bytes these characters start with: no need to decode them.
    if !text.bytes().any(may_start_control_character) {
        return None;
    }
    text.chars().find(|&c| is_control_character(c))
}

/// Whether a character is a space a cell is trimmed of: Unicode White_Space, as
/// `char::is_whitespace`, the ideographic space U+3000 among them. Written out so that the CJK
/// characters most cells start and end with are told apart without a table look-up.
fn is_cell_space(c: char) -> bool {
    matches!(c,
        '\t'..='\r'
        | ' '
        | '\u{85}'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}')
}

/// Trim ASCII and full-width spaces (every Unicode space) from a cell.
#[inline]
pub(super) fn trim_cell(text: &str) -> &str {
    // Most cells start and end with a visible character, or are empty: nothing to trim.
    match (text.chars().next(), text.chars().next_back()) {
        (Some(first), Some(last)) if is_cell_space(first) || is_cell_space(last) => {
            text.trim_matches(is_cell_space)
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_without_control_characters_are_told_apart() {
        assert!(!may_hold_control_characters(
            "（2021）豫0302民初1号,洛阳市,\"a\tb\"\r\n".as_bytes()
        ));
        assert!(may_hold_control_characters("a,\u{1b}[31m\n".as_bytes()));
        assert!(may_hold_control_characters("a,\u{202E}b\n".as_bytes()));
        assert!(may_hold_control_characters("a,\u{85}\n".as_bytes()));
        assert!(may_hold_control_characters(b"a,\x7f\n"));
    }

    #[test]
    fn cell_spaces_are_the_unicode_white_space_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_cell_space(c), c.is_whitespace(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn cells_are_trimmed_of_every_space_at_either_end() {
        assert_eq!(trim_cell("立案日期"), "立案日期");
        assert_eq!(trim_cell("\u{3000}立案\u{3000}"), "立案");
        assert_eq!(trim_cell("洛阳 "), "洛阳");
        assert_eq!(trim_cell("\u{a0}2021-01-05\u{2009}"), "2021-01-05");
        assert_eq!(trim_cell("洛阳\u{205f}"), "洛阳");
        assert_eq!(trim_cell("\u{1680}是"), "是");
        assert_eq!(trim_cell("。"), "。");
        assert_eq!(trim_cell(" \r"), "");
        assert_eq!(trim_cell(""), "");
    }

    #[test]
    fn deducted_days_are_whole_numbers_at_least_zero() {
        assert_eq!(parse_deducted_days("0"), Some(0));
        assert_eq!(parse_deducted_days("15"), Some(15));
        assert_eq!(parse_deducted_days("15.0"), Some(15));
        assert_eq!(parse_deducted_days("15.5"), None);
        assert_eq!(parse_deducted_days("-3"), None);
        assert_eq!(parse_deducted_days("三"), None);
        assert_eq!(parse_deducted_days(".0"), None);
    }

    #[test]
    fn amounts_are_whole_fen() {
        assert_eq!(parse_amount("1234.5"), Some(123_450));
        assert_eq!(parse_amount("1,234.56元"), Some(123_456));
        assert_eq!(parse_amount("0"), Some(0));
        assert_eq!(parse_amount("1,234,567.8"), Some(123_456_780));
        assert_eq!(parse_amount("123,456"), Some(12_345_600));
        for bad in [
            "-3", "1.234", "十万", "", ".5", "1e5", "1234,56", "1,2", ",100", "1,23,456", "1,",
            "1234,567",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        assert_eq!(
            appeal_against("裁定"),
            Some(crate::model::cases::AGAINST_RULING)
        );
        assert_eq!(yes_no("已上网"), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no("也许"), None);
    }

    #[test]
    fn business_flags() {
        for yes in ["是", "Y", "yes", "TRUE", "1"] {
            assert_eq!(business_flag(yes), Some(true), "{yes}");
        }
        for no in ["否", "n", "No", "false", "0"] {
            assert_eq!(business_flag(no), Some(false), "{no}");
        }
        assert_eq!(business_flag("maybe"), None);
    }
}
