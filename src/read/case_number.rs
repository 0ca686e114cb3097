//! Case numbers (案号), court levels and procedures (spec §4).
//!
//! Since 2016 a case number reads `(收案年度)` + court code + type code +
//! serial + `号`, e.g. `(2021)豫0302民初1234号`. The court code is a province
//! character followed by 2 digits (intermediate court), 4 digits (basic
//! court) or none (high court). Older numbers insert `字第` before the serial:
//! `(2015)豫03民终字第747号`.

use std::borrow::Cow;

/// Level of the court that registered a case, read from the court code of its case number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CourtLevel {
    /// A provincial high people's court (高级人民法院); the Supreme People's Court is counted here too.
    High,
    /// An intermediate people's court (中级人民法院) or a specialised court of that level.
    Intermediate,
    /// A basic people's court (基层人民法院): district, county, city and banner courts.
    Basic,
}

impl CourtLevel {
    /// Stable identifier used in reports and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            CourtLevel::High => "high",
            CourtLevel::Intermediate => "intermediate",
            CourtLevel::Basic => "basic",
        }
    }

    /// Chinese label used in reports.
    pub fn chinese(self) -> &'static str {
        match self {
            CourtLevel::High => "高级法院",
            CourtLevel::Intermediate => "中级法院",
            CourtLevel::Basic => "基层法院",
        }
    }

    /// Level of a court from its full name, e.g. 洛阳市中级人民法院 → Intermediate,
    /// 洛阳市西工区人民法院 → Basic. `None` when the name is not a recognised court name.
    pub fn from_court_name(name: &str) -> Option<CourtLevel> {
        let name = trim_spaces(name);
        if name.ends_with("高级人民法院") || name.ends_with("最高人民法院") {
            Some(CourtLevel::High)
        } else if name.ends_with("中级人民法院")
            || name.ends_with("中级法院")
            // why: maritime, IP and financial courts are set up at intermediate level.
            || name.ends_with("海事法院")
            || name.ends_with("知识产权法院")
            || name.ends_with("金融法院")
        {
            Some(CourtLevel::Intermediate)
        } else if name.ends_with("人民法院")
            // why: railway transport courts and internet courts are basic-level courts.
            || name.ends_with("铁路运输法院")
            || name.ends_with("互联网法院")
        {
            Some(CourtLevel::Basic)
        } else {
            None
        }
    }

    /// Reads a level given by its id (`high`, `intermediate`, `basic`, ASCII case ignored)
    /// or its Chinese label (高级法院, 中级法院, 基层法院).
    pub fn parse_id(s: &str) -> Option<CourtLevel> {
        let s = trim_spaces(s);
        [
            CourtLevel::High,
            CourtLevel::Intermediate,
            CourtLevel::Basic,
        ]
        .into_iter()
        .find(|level| s.eq_ignore_ascii_case(level.id()) || s == level.chinese())
    }
}

/// The kind of proceeding a case belongs to, which decides which indicators it enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Procedure {
    /// First-instance trial (一审), e.g. type code 民初.
    FirstInstance,
    /// Second-instance (appeal) trial (二审), e.g. type code 民终.
    SecondInstance,
    /// First enforcement of a judgment (首次执行, type code 执).
    FirstEnforcement,
    /// Enforcement resumed after termination of the first (恢复执行, type code 执恢).
    ResumedEnforcement,
    /// Other enforcement matters: preservation, objections, review, supervision (执保/执异/执复/执监).
    OtherEnforcement,
    /// Bankruptcy cases (破产, type codes 破 and 破申).
    Bankruptcy,
    /// Any other proceeding (criminal, administrative, special procedures, retrials …).
    Other,
}

impl Procedure {
    /// All procedures, in report order.
    pub const ALL: [Procedure; 7] = [
        Procedure::FirstInstance,
        Procedure::SecondInstance,
        Procedure::FirstEnforcement,
        Procedure::ResumedEnforcement,
        Procedure::OtherEnforcement,
        Procedure::Bankruptcy,
        Procedure::Other,
    ];

    /// Stable identifier used in reports and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Procedure::FirstInstance => "first_instance",
            Procedure::SecondInstance => "second_instance",
            Procedure::FirstEnforcement => "first_enforcement",
            Procedure::ResumedEnforcement => "resumed_enforcement",
            Procedure::OtherEnforcement => "other_enforcement",
            Procedure::Bankruptcy => "bankruptcy",
            Procedure::Other => "other",
        }
    }

    /// The procedure with stable identifier `id`.
    pub fn from_id(id: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.id() == id.trim())
    }

    /// Chinese label used in reports.
    pub fn chinese(self) -> &'static str {
        match self {
            Procedure::FirstInstance => "一审",
            Procedure::SecondInstance => "二审",
            Procedure::FirstEnforcement => "首次执行",
            Procedure::ResumedEnforcement => "恢复执行",
            Procedure::OtherEnforcement => "其他执行",
            Procedure::Bankruptcy => "破产",
            Procedure::Other => "其他",
        }
    }
}

/// Procedure of a case-type code (类型代字) that the indicators distinguish; `None` for any other code.
fn known_type_code(code: &str) -> Option<Procedure> {
    match code {
        "民初" | "知民初" => Some(Procedure::FirstInstance),
        "民终" | "知民终" => Some(Procedure::SecondInstance),
        "执" => Some(Procedure::FirstEnforcement),
        "执恢" => Some(Procedure::ResumedEnforcement),
        "执保" | "执异" | "执复" | "执监" => Some(Procedure::OtherEnforcement),
        "破" | "破申" => Some(Procedure::Bankruptcy),
        _ => None,
    }
}

/// Procedure implied by a case-type code (类型代字): 民初/知民初 → FirstInstance,
/// 民终/知民终 → SecondInstance, 执 → FirstEnforcement, 执恢 → ResumedEnforcement,
/// 执保/执异/执复/执监 → OtherEnforcement, 破/破申 → Bankruptcy, anything else → Other.
pub(crate) fn procedure_of_type_code(code: &str) -> Procedure {
    known_type_code(code).unwrap_or(Procedure::Other)
}

/// Procedure named by a value of an explicit procedure column (审判程序 / 案件类型):
/// an id (`first_instance` …, ASCII case ignored), a Chinese label such as 一审, 简易程序,
/// 上诉, 首执, 恢复执行, 执行异议, 破产清算, or a known type code such as 民初 or 执恢.
/// `None` when the value is not recognised.
pub(crate) fn procedure_from_label(text: &str) -> Option<Procedure> {
    let text = trim_spaces(text);
    if let Some(procedure) = Procedure::ALL
        .into_iter()
        .find(|p| text.eq_ignore_ascii_case(p.id()))
    {
        return Some(procedure);
    }
    // why: ordinary, simple procedure and small claims are forms of first-instance trial
    // (CPL arts. 160, 165); each of their names, statutory or common, is first instance.
    if trial_track_from_label(text) != TrialTrack::Unstated {
        return Some(Procedure::FirstInstance);
    }
    match text {
        "一审" | "第一审" | "民事一审" | "第一审程序" | "一审程序" => {
            Some(Procedure::FirstInstance)
        }
        "二审" | "第二审" | "民事二审" | "上诉" | "第二审程序" | "二审程序" => {
            Some(Procedure::SecondInstance)
        }
        "首次执行" | "首执" | "执行实施" | "执行" | "执行程序" => {
            Some(Procedure::FirstEnforcement)
        }
        "恢复执行" => Some(Procedure::ResumedEnforcement),
        "执行异议" | "执行复议" | "执行监督" | "财产保全" | "执行保全" | "其他执行" => {
            Some(Procedure::OtherEnforcement)
        }
        "破产" | "破产清算" | "破产申请" | "强制清算" | "破产程序" => {
            Some(Procedure::Bankruptcy)
        }
        "其他" => Some(Procedure::Other),
        _ => known_type_code(text),
    }
}

/// How a first-instance case is tried, when an explicit procedure column says so: each track has
/// its own statutory time limit (CPL arts. 152, 164, 168). A case number (民初) never tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TrialTrack {
    /// Not stated (no procedure column, a plain 一审, or not a first-instance case).
    Unstated = 0,
    /// 普通程序 (ordinary procedure).
    Ordinary = 1,
    /// 简易程序 (simple procedure).
    Simple = 2,
    /// 小额诉讼 (small claims).
    SmallClaims = 3,
}

impl TrialTrack {
    /// The track of a code written as `track as u8`; `Unstated` for any other code.
    pub fn from_code(code: u8) -> TrialTrack {
        match code {
            1 => TrialTrack::Ordinary,
            2 => TrialTrack::Simple,
            3 => TrialTrack::SmallClaims,
            _ => TrialTrack::Unstated,
        }
    }

    /// Chinese label; empty when unstated.
    pub fn chinese(self) -> &'static str {
        match self {
            TrialTrack::Unstated => "",
            TrialTrack::Ordinary => "普通程序",
            TrialTrack::Simple => "简易程序",
            TrialTrack::SmallClaims => "小额诉讼",
        }
    }
}

/// The trial track a procedure-column value names, by its statutory name (普通程序, 简易程序,
/// 小额诉讼程序 — CPL arts. 160, 165) or a common one (一审普通, 简易, 小额诉讼, 小额 …);
/// [`procedure_from_label`] reads each of them as first instance.
pub(crate) fn trial_track_from_label(text: &str) -> TrialTrack {
    match trim_spaces(text) {
        "普通程序" | "一审普通" | "第一审普通程序" | "普通" | "一审普通程序" => {
            TrialTrack::Ordinary
        }
        "简易程序" | "简易" | "一审简易" | "简易审" => TrialTrack::Simple,
        "小额诉讼程序" | "小额诉讼" | "小额" | "小额程序" | "小额诉讼案件" => {
            TrialTrack::SmallClaims
        }
        _ => TrialTrack::Unstated,
    }
}

/// A case number (案号) split into its parts, e.g. (2021)豫0302民初1234号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNumber<'a> {
    /// Year the case was registered (收案年度), from the brackets.
    pub year: u16,
    /// Province abbreviation of the court code (豫, 京 …); '最' for the Supreme People's Court (最高法).
    pub province: char,
    /// The digits after the province character: 2 for an intermediate court, 4 for a basic court, "" for a high court.
    pub court_code: &'a str,
    /// Level of the registering court, read from the number of court-code digits.
    pub court_level: CourtLevel,
    /// Case-type code (类型代字), e.g. 民初, 执恢; without the 字第 of old-style numbers.
    pub type_code: &'a str,
    /// Serial number of the case within its court, year and type.
    pub serial: u32,
    /// Whether the number has the pre-2016 form with 字第 before the serial.
    pub old_style: bool,
}

impl CaseNumber<'_> {
    /// Procedure implied by the type code (see [`procedure_of_type_code`]).
    pub fn procedure(&self) -> Procedure {
        procedure_of_type_code(self.type_code)
    }
}

/// Why a case number could not be read; Display gives a short English reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseNumberError {
    /// The cell is empty.
    #[error("empty case number")]
    Empty,
    /// The number does not start with the registration year in brackets.
    #[error("missing (year) at the start")]
    MissingYear,
    /// The bracketed year is not 4 digits.
    #[error("year must be 4 digits")]
    BadYear,
    /// No province character follows the year.
    #[error("missing court code")]
    MissingCourtCode,
    /// The court code has a digit count other than 0, 2 or 4.
    #[error("court code must have 0, 2 or 4 digits, found {0}")]
    CourtCodeDigits(usize),
    /// An old-style (字第) number whose court code has no digits, so its court level cannot be read.
    #[error("old-style case number without numeric court code")]
    OldStyleWithoutCourtDigits,
    /// No case-type code between the court code and the serial.
    #[error("missing case-type code")]
    MissingTypeCode,
    /// No serial digits after the type code.
    #[error("missing serial number")]
    MissingSerial,
    /// The serial does not fit in 32 bits.
    #[error("serial number too large")]
    SerialTooLarge,
    /// The serial is not followed by 号.
    #[error("missing 号 after the serial number")]
    MissingHao,
    /// Something follows the closing 号.
    #[error("unexpected text after 号")]
    TrailingText,
}

/// Reads a case number such as `(2021)豫0302民初1234号` or `（2015）豫03民终字第747号`.
///
/// Brackets may be `()`, `（）`, `〔〕` or `[]`; spaces anywhere are ignored
/// (the number is read in its [`canonical_case_number`] form). Reading itself parses the
/// canonical form once (`parse_canonical`); this is the short way for tests.
#[cfg(test)]
pub(crate) fn parse_case_number(text: &str) -> Result<CaseNumber<'static>, CaseNumberError> {
    // A test's number lives as long as the test: leaking it keeps the parse borrowing.
    let canonical: &'static str =
        Box::leak(canonical_case_number(text).into_owned().into_boxed_str());
    parse_canonical(canonical)
}

/// The form used to compare case numbers (duplicates, appeal look-up): full-width forms of ASCII
/// characters (digits ０-９, letters, brackets, as Chinese input methods type them) → ASCII, as
/// NFKC does for that range; 〔〕 and [] → (), all ASCII and full-width spaces removed. Borrows
/// when nothing changes.
pub(crate) fn canonical_case_number(text: &str) -> Cow<'_, str> {
    // Every character that changes is ASCII or starts with byte E3 (〔〕, U+3000) or EF (the
    // full-width forms): most numbers hold neither and need no decoding.
    let may_change = |b: u8| b <= b' ' || matches!(b, b'[' | b']' | 0xE3 | 0xEF);
    if !text.bytes().any(may_change) || !text.contains(needs_canonicalising) {
        return Cow::Borrowed(text);
    }
    let mut canonical = String::with_capacity(text.len());
    for c in text.chars() {
        match half_width(c) {
            '〔' | '[' => canonical.push('('),
            '〕' | ']' => canonical.push(')'),
            c if is_space(c) => {}
            c => canonical.push(c),
        }
    }
    Cow::Owned(canonical)
}

/// Whether a case number holds a full-width form of an ASCII character (２０２１, Ａ, －), which
/// [`canonical_case_number`] reads as its ASCII character; brackets （） are the usual way to write
/// a case number and not counted here.
pub(crate) fn has_full_width_characters(text: &str) -> bool {
    // The full-width forms U+FF01..U+FF5E all start with byte EF.
    memchr::memchr(0xEF, text.as_bytes()).is_some()
        && text
            .chars()
            .any(|c| is_full_width_ascii(c) && !matches!(c, '（' | '）'))
}

/// The ASCII character of a full-width form (U+FF01..U+FF5E → U+0021..U+007E); others unchanged.
fn half_width(c: char) -> char {
    match is_full_width_ascii(c) {
        true => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        false => c,
    }
}

fn is_full_width_ascii(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

fn needs_canonicalising(c: char) -> bool {
    matches!(c, '〔' | '〕' | '[' | ']') || is_full_width_ascii(c) || is_space(c)
}

fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{3000}'
}

fn trim_spaces(text: &str) -> &str {
    text.trim_matches(is_space)
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}')
}

/// Length in bytes of the leading run of ASCII digits.
fn digit_run(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// `parse_case_number` for a text already in `canonical_case_number` form.
pub(crate) fn parse_canonical(text: &str) -> Result<CaseNumber<'_>, CaseNumberError> {
    if text.is_empty() {
        return Err(CaseNumberError::Empty);
    }
    let (year, rest) = read_year(text)?;
    let (court, rest) = read_court(rest)?;
    let (type_code, old_style, rest) = read_type_code(rest)?;
    if old_style && !court.supreme && court.code.is_empty() {
        // why: before 2016 courts wrote their own abbreviations (洛民终字, 豫法民一终字), so a
        // digit-less old code does not mean a high court.
        return Err(CaseNumberError::OldStyleWithoutCourtDigits);
    }
    let serial = read_serial(rest)?;
    Ok(CaseNumber {
        year,
        province: court.province,
        court_code: court.code,
        court_level: court.level,
        type_code,
        serial,
        old_style,
    })
}

/// The year in brackets that starts a case number, `(2021)`, and the text after it.
fn read_year(text: &str) -> Result<(u16, &str), CaseNumberError> {
    let rest = text.strip_prefix('(').ok_or(CaseNumberError::MissingYear)?;
    let (year_text, rest) = rest.split_once(')').ok_or(CaseNumberError::MissingYear)?;
    if year_text.len() != 4 || digit_run(year_text) != 4 {
        return Err(CaseNumberError::BadYear);
    }
    let year = year_text
        .bytes()
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    Ok((year, rest))
}

/// The court code of a case number: a province character (or 最高法), then 0, 2 or 4 digits.
struct CourtCode<'a> {
    province: char,
    supreme: bool,
    code: &'a str,
    level: CourtLevel,
}

/// The court code after the year, and the text after it.
fn read_court(rest: &str) -> Result<(CourtCode<'_>, &str), CaseNumberError> {
    let (province, supreme, rest) = if let Some(after) = rest.strip_prefix("最高法") {
        ('最', true, after)
    } else {
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) if is_cjk(c) => (c, false, chars.as_str()),
            _ => return Err(CaseNumberError::MissingCourtCode),
        }
    };
    let digits = digit_run(rest);
    let (code, rest) = rest.split_at(digits);
    let level = match (supreme, digits) {
        (_, 0) => CourtLevel::High,
        (false, 2) => CourtLevel::Intermediate,
        (false, 4) => CourtLevel::Basic,
        (_, n) => return Err(CaseNumberError::CourtCodeDigits(n)),
    };
    let court = CourtCode {
        province,
        supreme,
        code,
        level,
    };
    Ok((court, rest))
}

/// The type code (the CJK characters up to the serial), whether it is written the old way
/// (`民终字第`), and the text after it.
fn read_type_code(rest: &str) -> Result<(&str, bool, &str), CaseNumberError> {
    let type_end = rest
        .char_indices()
        .find(|&(_, c)| !is_cjk(c))
        .map_or(rest.len(), |(i, _)| i);
    let (type_text, rest) = rest.split_at(type_end);
    let (type_code, old_style) = match type_text.strip_suffix("字第") {
        Some(code) => (code, true),
        None => (type_text, false),
    };
    if type_code.is_empty() {
        return Err(CaseNumberError::MissingTypeCode);
    }
    Ok((type_code, old_style, rest))
}

/// The serial digits, then 号 and nothing more (but a split case's suffix).
fn read_serial(rest: &str) -> Result<u32, CaseNumberError> {
    let serial_len = digit_run(rest);
    if serial_len == 0 {
        return Err(CaseNumberError::MissingSerial);
    }
    let (serial_text, rest) = rest.split_at(serial_len);
    let serial = serial_text
        .bytes()
        .try_fold(0u32, |acc, b| {
            acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
        })
        .ok_or(CaseNumberError::SerialTooLarge)?;
    let rest = rest.strip_prefix('号').ok_or(CaseNumberError::MissingHao)?;
    // why: a case split from another keeps its number with a suffix, 号之一, 号之二 …; it is a
    // case of the same court, type and procedure (its text stays distinct for duplicates).
    let suffix_ok = match rest.strip_prefix('之') {
        Some(ordinal) => {
            !ordinal.is_empty()
                && ordinal
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十百".contains(c))
        }
        None => rest.is_empty(),
    };
    if !suffix_ok {
        return Err(CaseNumberError::TrailingText);
    }
    Ok(serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a case-number cell holds, reading it ends in a number or an error, and a
        /// number read is the same read again from its canonical form.
        #[test]
        fn any_text_is_a_case_number_or_an_error(
            text in "\\PC{0,30}|[（(]?[0-9０-９]{0,5}[)）]?[豫京]?[0-9０-９]{0,5}[民执破初终恢]{0,3}[0-9０-９]{0,12}号?",
        ) {
            let canonical = canonical_case_number(&text).into_owned();
            if let Ok(number) = parse_canonical(&canonical) {
                let again = canonical_case_number(&canonical);
                proptest::prop_assert_eq!(parse_canonical(&again), Ok(number));
            }
        }
    }

    fn case(
        year: u16,
        province: char,
        court_code: &'static str,
        court_level: CourtLevel,
        type_code: &'static str,
        serial: u32,
        old_style: bool,
    ) -> CaseNumber<'static> {
        CaseNumber {
            year,
            province,
            court_code,
            court_level,
            type_code,
            serial,
            old_style,
        }
    }

    #[test]
    fn spec_examples_half_and_full_width() {
        let basic_first = case(2021, '豫', "0302", CourtLevel::Basic, "民初", 1234, false);
        let intermediate_appeal = case(
            2021,
            '豫',
            "03",
            CourtLevel::Intermediate,
            "民终",
            567,
            false,
        );
        let basic_enforcement = case(2021, '豫', "0305", CourtLevel::Basic, "执", 890, false);
        for (texts, expected) in [
            (
                [
                    "(2021)豫0302民初1234号",
                    "（2021）豫0302民初1234号",
                    "〔2021〕豫0302民初1234号",
                ],
                &basic_first,
            ),
            (
                [
                    "(2021)豫03民终567号",
                    "（2021）豫03民终567号",
                    "[2021]豫03民终567号",
                ],
                &intermediate_appeal,
            ),
            (
                [
                    "(2021)豫0305执890号",
                    "（2021）豫0305执890号",
                    " （2021） 豫0305执890号\u{3000}",
                ],
                &basic_enforcement,
            ),
        ] {
            for text in texts {
                assert_eq!(parse_case_number(text).as_ref(), Ok(expected), "{text}");
            }
        }
        assert_eq!(basic_first.procedure(), Procedure::FirstInstance);
        assert_eq!(intermediate_appeal.procedure(), Procedure::SecondInstance);
        assert_eq!(basic_enforcement.procedure(), Procedure::FirstEnforcement);
    }

    #[test]
    fn old_style_numbers() {
        let parsed = parse_case_number("(2015)豫03民终字第747号");
        assert_eq!(
            parsed,
            Ok(case(
                2015,
                '豫',
                "03",
                CourtLevel::Intermediate,
                "民终",
                747,
                true
            ))
        );
        assert_eq!(
            parse_case_number("（2014）豫0302民初字第12号").map(|c| (c.court_level, c.procedure())),
            Ok((CourtLevel::Basic, Procedure::FirstInstance))
        );
        assert_eq!(
            parse_case_number("(2015)洛民终字第747号"),
            Err(CaseNumberError::OldStyleWithoutCourtDigits)
        );
        assert_eq!(
            parse_case_number("(2015)豫03字第747号"),
            Err(CaseNumberError::MissingTypeCode)
        );
    }

    #[test]
    fn high_and_supreme_courts() {
        assert_eq!(
            parse_case_number("(2021)豫民终12号"),
            Ok(case(2021, '豫', "", CourtLevel::High, "民终", 12, false))
        );
        assert_eq!(
            parse_case_number("(2021)最高法民终1号"),
            Ok(case(2021, '最', "", CourtLevel::High, "民终", 1, false))
        );
        assert_eq!(
            parse_case_number("(2015)最高法民一终字第3号").map(|c| (c.court_level, c.old_style)),
            Ok((CourtLevel::High, true))
        );
    }

    #[test]
    fn type_codes_and_levels() {
        let read = |text: &str| {
            parse_case_number(text).map(|c| (c.court_level, c.type_code.to_string(), c.procedure()))
        };
        assert_eq!(
            read("(2021)京73知民初100号"),
            Ok((
                CourtLevel::Intermediate,
                "知民初".to_string(),
                Procedure::FirstInstance
            ))
        );
        assert_eq!(
            read("(2021)豫0303执恢45号"),
            Ok((
                CourtLevel::Basic,
                "执恢".to_string(),
                Procedure::ResumedEnforcement
            ))
        );
        assert_eq!(
            read("(2022)豫03破申7号"),
            Ok((
                CourtLevel::Intermediate,
                "破申".to_string(),
                Procedure::Bankruptcy
            ))
        );
        assert_eq!(
            read("(2021)豫0311刑初88号"),
            Ok((CourtLevel::Basic, "刑初".to_string(), Procedure::Other))
        );
        assert_eq!(
            read("(2021)豫03行终9号"),
            Ok((
                CourtLevel::Intermediate,
                "行终".to_string(),
                Procedure::Other
            ))
        );
        assert_eq!(
            read("(2021)豫0302民特3号").map(|r| r.2),
            Ok(Procedure::Other)
        );
        assert_eq!(
            parse_case_number("(2021)豫0302民初0001号").map(|c| c.serial),
            Ok(1)
        );
    }

    #[test]
    fn errors() {
        use CaseNumberError::*;
        for (text, error) in [
            ("", Empty),
            ("  \u{3000} ", Empty),
            ("豫0302民初1234号", MissingYear),
            ("(2021豫0302民初1234号", MissingYear),
            ("(21)豫0302民初1234号", BadYear),
            ("(二〇二一)豫0302民初1234号", BadYear),
            ("(2021)0302民初1234号", MissingCourtCode),
            ("(2021)", MissingCourtCode),
            ("(2021)豫030民初1234号", CourtCodeDigits(3)),
            ("(2021)豫03021民初1234号", CourtCodeDigits(5)),
            ("(2021)豫0302", MissingTypeCode),
            ("(2021)豫03021234号", CourtCodeDigits(8)),
            ("(2021)豫0302民初号", MissingSerial),
            ("(2021)豫0302民初", MissingSerial),
            ("(2021)豫0302民初-12号", MissingSerial),
            ("(2021)豫0302民初1234", MissingHao),
            ("(2021)豫0302民初12a号", MissingHao),
            ("(2021)豫0302民初99999999999号", SerialTooLarge),
            ("(2021)豫0302民初1234号附", TrailingText),
            ("(2021)豫0302民初1234号之", TrailingText),
            ("hello world", MissingYear),
            ("12345", MissingYear),
        ] {
            assert_eq!(parse_case_number(text), Err(error), "{text}");
        }
        assert_eq!(
            CourtCodeDigits(3).to_string(),
            "court code must have 0, 2 or 4 digits, found 3"
        );
        assert_eq!(MissingHao.to_string(), "missing 号 after the serial number");
    }

    #[test]
    fn canonical_form() {
        let canonical = "(2021)豫0302民初1234号";
        assert!(matches!(canonical_case_number(canonical), Cow::Borrowed(_)));
        for variant in [
            "（2021）豫0302民初1234号",
            "〔2021〕豫0302民初1234号",
            "[2021]豫0302民初1234号",
            " (2021) 豫0302 民初1234号 ",
            "\u{3000}（2021）豫0302民初1234号\t",
            "（２０２１）豫０３０２民初１２３４号",
            "［2021］豫0302民初1234号",
        ] {
            let result = canonical_case_number(variant);
            assert!(matches!(result, Cow::Owned(_)), "{variant}");
            assert_eq!(result, canonical, "{variant}");
        }
        assert_eq!(canonical_case_number(""), "");
        assert!(has_full_width_characters("（２０２１）豫0302民初1号"));
        assert!(!has_full_width_characters("（2021）豫0302民初1号"));
    }

    #[test]
    fn type_code_procedures() {
        for (code, procedure) in [
            ("民初", Procedure::FirstInstance),
            ("知民初", Procedure::FirstInstance),
            ("民终", Procedure::SecondInstance),
            ("知民终", Procedure::SecondInstance),
            ("执", Procedure::FirstEnforcement),
            ("执恢", Procedure::ResumedEnforcement),
            ("执保", Procedure::OtherEnforcement),
            ("执异", Procedure::OtherEnforcement),
            ("执复", Procedure::OtherEnforcement),
            ("执监", Procedure::OtherEnforcement),
            ("破", Procedure::Bankruptcy),
            ("破申", Procedure::Bankruptcy),
            ("刑初", Procedure::Other),
            ("行终", Procedure::Other),
            ("民特", Procedure::Other),
            ("", Procedure::Other),
        ] {
            assert_eq!(procedure_of_type_code(code), procedure, "{code}");
        }
    }

    #[test]
    fn trial_tracks_are_read_only_from_first_instance_labels() {
        for (label, track) in [
            ("简易程序", TrialTrack::Simple),
            (" 小额诉讼 ", TrialTrack::SmallClaims),
            ("小额诉讼程序", TrialTrack::SmallClaims),
            ("小额", TrialTrack::SmallClaims),
            ("简易", TrialTrack::Simple),
            ("第一审普通程序", TrialTrack::Ordinary),
            ("普通程序", TrialTrack::Ordinary),
            ("一审普通", TrialTrack::Ordinary),
            ("一审", TrialTrack::Unstated),
            ("二审", TrialTrack::Unstated),
            ("", TrialTrack::Unstated),
        ] {
            assert_eq!(trial_track_from_label(label), track, "{label}");
            if track != TrialTrack::Unstated {
                assert_eq!(procedure_from_label(label), Some(Procedure::FirstInstance));
            }
            assert_eq!(TrialTrack::from_code(track as u8), track);
        }
    }

    #[test]
    fn procedure_labels() {
        use Procedure::*;
        for (label, procedure) in [
            ("first_instance", FirstInstance),
            ("FIRST_INSTANCE", FirstInstance),
            ("second_instance", SecondInstance),
            ("first_enforcement", FirstEnforcement),
            ("resumed_enforcement", ResumedEnforcement),
            ("other_enforcement", OtherEnforcement),
            ("Bankruptcy", Bankruptcy),
            ("other", Other),
            ("一审", FirstInstance),
            ("第一审", FirstInstance),
            ("民事一审", FirstInstance),
            ("一审普通", FirstInstance),
            ("简易程序", FirstInstance),
            ("普通程序", FirstInstance),
            ("小额诉讼", FirstInstance),
            ("二审", SecondInstance),
            ("第二审", SecondInstance),
            ("民事二审", SecondInstance),
            ("上诉", SecondInstance),
            ("首次执行", FirstEnforcement),
            ("首执", FirstEnforcement),
            ("执行实施", FirstEnforcement),
            ("执行", FirstEnforcement),
            ("恢复执行", ResumedEnforcement),
            ("执行异议", OtherEnforcement),
            ("执行复议", OtherEnforcement),
            ("执行监督", OtherEnforcement),
            ("财产保全", OtherEnforcement),
            ("执行保全", OtherEnforcement),
            ("其他执行", OtherEnforcement),
            ("破产", Bankruptcy),
            ("破产清算", Bankruptcy),
            ("破产申请", Bankruptcy),
            ("强制清算", Bankruptcy),
            ("其他", Other),
            ("民初", FirstInstance),
            ("知民初", FirstInstance),
            ("民终", SecondInstance),
            ("知民终", SecondInstance),
            ("执", FirstEnforcement),
            ("执恢", ResumedEnforcement),
            ("执保", OtherEnforcement),
            ("破申", Bankruptcy),
            ("\u{3000} 二审 ", SecondInstance),
        ] {
            assert_eq!(procedure_from_label(label), Some(procedure), "{label}");
        }
        for label in ["刑初", "再审", "", "first instance", "一 审"] {
            assert_eq!(procedure_from_label(label), None, "{label}");
        }
        for procedure in Procedure::ALL {
            assert_eq!(procedure_from_label(procedure.id()), Some(procedure));
            assert_eq!(procedure_from_label(procedure.chinese()), Some(procedure));
        }
    }

    #[test]
    fn court_levels() {
        for (name, level) in [
            ("河南省高级人民法院", Some(CourtLevel::High)),
            ("最高人民法院", Some(CourtLevel::High)),
            ("洛阳市中级人民法院", Some(CourtLevel::Intermediate)),
            ("上海海事法院", Some(CourtLevel::Intermediate)),
            ("北京知识产权法院", Some(CourtLevel::Intermediate)),
            ("上海金融法院", Some(CourtLevel::Intermediate)),
            ("郑州铁路运输中级法院", Some(CourtLevel::Intermediate)),
            ("洛阳市西工区人民法院", Some(CourtLevel::Basic)),
            ("偃师市人民法院", Some(CourtLevel::Basic)),
            ("栾川县人民法院", Some(CourtLevel::Basic)),
            ("阿拉善左旗人民法院", Some(CourtLevel::Basic)),
            ("郑州铁路运输法院", Some(CourtLevel::Basic)),
            ("杭州互联网法院", Some(CourtLevel::Basic)),
            (
                " 洛阳市中级人民法院\u{3000}",
                Some(CourtLevel::Intermediate),
            ),
            ("洛阳中院", None),
            ("", None),
        ] {
            assert_eq!(CourtLevel::from_court_name(name), level, "{name}");
        }
        for level in [
            CourtLevel::High,
            CourtLevel::Intermediate,
            CourtLevel::Basic,
        ] {
            assert_eq!(CourtLevel::parse_id(level.id()), Some(level));
            assert_eq!(CourtLevel::parse_id(level.chinese()), Some(level));
        }
        assert_eq!(CourtLevel::parse_id(" Basic "), Some(CourtLevel::Basic));
        assert_eq!(CourtLevel::parse_id("基层"), None);
        assert_eq!(CourtLevel::Intermediate.id(), "intermediate");
        assert_eq!(CourtLevel::High.chinese(), "高级法院");
    }

    #[test]
    fn procedure_ids_and_labels() {
        let ids: Vec<&str> = Procedure::ALL.iter().map(|p| p.id()).collect();
        assert_eq!(
            ids,
            [
                "first_instance",
                "second_instance",
                "first_enforcement",
                "resumed_enforcement",
                "other_enforcement",
                "bankruptcy",
                "other"
            ]
        );
        let labels: Vec<&str> = Procedure::ALL.iter().map(|p| p.chinese()).collect();
        assert_eq!(
            labels,
            [
                "一审",
                "二审",
                "首次执行",
                "恢复执行",
                "其他执行",
                "破产",
                "其他"
            ]
        );
    }

    #[test]
    fn a_split_case_keeps_its_court_and_procedure() {
        let parsed = parse_case_number("(2021)豫0302民初1234号之一").unwrap();
        assert_eq!(
            (parsed.serial, parsed.court_level),
            (1234, CourtLevel::Basic)
        );
        assert_eq!(parsed.procedure(), Procedure::FirstInstance);
        assert!(parse_case_number("(2021)豫0302民初1234号之12").is_ok());
    }
}
