//! The words every format shares: status words and symbols, Chinese names of break-down keys and
//! units, and the sentences naming the inputs, the scope, the days and the rows read.

use serde_json::{Value, json};

use crate::measure::compute::{Exclusions, Status};
use crate::measure::groups::GroupKey;
use crate::measure::quality::Quality;
use crate::model::cases::{Register, ScopeRule, Source};

/// What a status is called: its symbol, words and the CSS class of the HTML page.
struct StatusWords {
    /// `✓`, `✗`, `–` or `·`.
    symbol: &'static str,
    /// The symbol in Markdown, where met and missed stand out in colour.
    markdown_symbol: Option<&'static str>,
    /// 达标, 未达标, 无数据, 无目标.
    chinese: &'static str,
    /// `met`, `missed`, `no data`, `no target`.
    english: &'static str,
    /// The class of the page's status cells and bars.
    class: &'static str,
}

fn status_words(status: Status) -> StatusWords {
    let (symbol, markdown_symbol, chinese, english, class) = match status {
        Status::Met => ("✓", Some("✅"), "达标", "met", "met"),
        Status::Missed => ("✗", Some("❌"), "未达标", "missed", "missed"),
        Status::NoData => ("–", None, "无数据", "no data", "no-data"),
        Status::NoTarget => ("·", None, "无目标", "no target", "no-target"),
    };
    StatusWords {
        symbol,
        markdown_symbol,
        chinese,
        english,
        class,
    }
}

/// The language of headers and labels (`--lang`): English (the default, today's output) or
/// Chinese. JSON keys never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English headers and labels.
    #[default]
    En,
    /// Chinese headers and labels (指标, 法院, 案件数 …; 达标/未达标/无数据/无目标).
    Zh,
}

/// The status as a word: `met`, `missed`, `no data`, `no target`; 达标, 未达标, 无数据, 无目标.
pub(crate) fn status_word(status: Status, lang: Lang) -> &'static str {
    let words = status_words(status);
    match lang {
        Lang::En => words.english,
        Lang::Zh => words.chinese,
    }
}

/// A break-down key's column header: its id, or its Chinese name with `--lang zh`.
pub(crate) fn key_header(key: GroupKey, lang: Lang) -> String {
    match lang {
        Lang::En => key.id().to_string(),
        Lang::Zh => key_name(key).to_string(),
    }
}

/// The status in a terminal table: `✓ met`, `✗ missed`, `– no data`, `· no target` (`✓ 达标`
/// … with `--lang zh`).
pub(crate) fn status_text(status: Status, lang: Lang) -> String {
    let words = status_words(status);
    format!("{} {}", words.symbol, status_word(status, lang))
}

/// The status in Markdown: `✅ met`, `❌ missed`, `no data`, `no target` (`✅ 达标` … with
/// `--lang zh`).
pub(crate) fn status_markdown(status: Status, lang: Lang) -> String {
    let words = status_words(status);
    let word = status_word(status, lang);
    match words.markdown_symbol {
        Some(symbol) => format!("{symbol} {word}"),
        None => word.to_string(),
    }
}

/// The status in CSV: its id (`met`, `missed`, `no_data`, `no_target`), or 达标 … with
/// `--lang zh`.
pub(crate) fn status_csv(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::En => status.id(),
        Lang::Zh => status_word(status, lang),
    }
}

/// The label of the overall row in a broken-down report: `(all)`, or `(全部)` with `--lang zh`.
pub(crate) fn all_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "(all)",
        Lang::Zh => "(全部)",
    }
}

/// The status on the HTML page, in both languages: `✓ 达标 met`.
pub(crate) fn status_bilingual(status: Status) -> String {
    let words = status_words(status);
    format!("{} {} {}", words.symbol, words.chinese, words.english)
}

/// The CSS class of a status on the HTML page: `met`, `missed`, `no-data`, `no-target`.
pub(crate) fn status_class(status: Status) -> &'static str {
    status_words(status).class
}

/// Chinese name of a break-down key, shown beside its id.
pub(crate) fn key_name(key: GroupKey) -> &'static str {
    match key {
        GroupKey::Court => "法院",
        GroupKey::CourtLevel => "法院层级",
        GroupKey::Month => "月份",
        GroupKey::Quarter => "季度",
        GroupKey::Cause => "案由",
        GroupKey::Department => "承办部门",
        GroupKey::Judge => "承办人",
    }
}

/// Whether a listed case counts as within the limit: `yes`, `no`, or empty when not decided.
pub(crate) fn within_word(within: Option<bool>) -> &'static str {
    match within {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// The kind of days reported, as a sentence.
pub(crate) fn days_kind(gross: bool) -> &'static str {
    if gross {
        "gross days (deductions not subtracted, --gross)"
    } else {
        "net days (deducted days subtracted)"
    }
}

/// Where the appeal transfer starts, when the profile changed it from the plan's definition
/// (spec §1: the appeal's receipt); None for the plan's own.
pub(crate) fn appeal_start_sentence(register: &Register) -> Option<&'static str> {
    // why: a transfer measured from the first-instance judgment is a different definition from
    // the plan's, and every output must say so (issue 15, point 2).
    match register.appeal_start {
        crate::read::profile::AppealStart::AppealReceivedAt => None,
        crate::read::profile::AppealStart::FirstInstanceClosedAt => Some(
            "appeal transfer measured from the first-instance case's closing (judgment) date, not the appeal's receipt (profile [appeal] start = first_instance_closed_at)",
        ),
    }
}

/// `casemetrics` and its version, as every output names its maker.
pub(crate) fn generated_by() -> String {
    format!("casemetrics {}", env!("CARGO_PKG_VERSION"))
}

/// The first 12 hex digits of an input's SHA-256, as the summaries show it.
pub(crate) fn short_hash(source: &Source) -> &str {
    &source.sha256[..12.min(source.sha256.len())]
}

/// One input for the heading of a table: `input: NAME (ROWS rows, ENCODING, sha256 HASH)`.
pub(crate) fn input_line(source: &Source) -> String {
    format!(
        "input: {} ({} rows, {}, sha256 {})",
        source.name,
        source.rows,
        source.encoding,
        short_hash(source)
    )
}

/// The scope rule of the first input (every case when there is none).
pub(crate) fn first_scope(register: &Register) -> ScopeRule {
    register
        .sources
        .first()
        .map_or(ScopeRule::AllNoScopeData, |s| s.scope.clone())
}

/// Whether the inputs decided scope by different rules.
fn scopes_differ(register: &Register) -> bool {
    let scope = first_scope(register);
    register.sources.iter().any(|s| s.scope != scope)
}

/// The scope as a sentence; `mixed — FILE: …; FILE: …` when the inputs differ.
pub(crate) fn scope_sentence(register: &Register) -> String {
    if scopes_differ(register) {
        let parts: Vec<String> = register
            .sources
            .iter()
            .map(|s| format!("{}: {}", s.name, s.scope.describe()))
            .collect();
        format!("mixed — {}", parts.join("; "))
    } else {
        first_scope(register).describe().to_string()
    }
}

/// The scope rule's id for JSON; `mixed` when the inputs differ.
pub(crate) fn scope_rule_id(register: &Register) -> &'static str {
    if scopes_differ(register) {
        "mixed"
    } else {
        first_scope(register).id()
    }
}

/// The rows read and what became of them, as a sentence.
pub(crate) fn rows_line(quality: &Quality) -> String {
    format!(
        "rows: {} read, {} used, {} duplicate, {} conflicting case number, {} rejected (no case number)",
        quality.rows_read,
        quality.rows_used(),
        quality.duplicates,
        quality.conflicting,
        quality.rejected
    )
}

/// The rows read and what became of them, for JSON.
pub(crate) fn rows_json(quality: &Quality) -> Value {
    json!({
        "read": quality.rows_read,
        "used": quality.rows_used(),
        "duplicates": quality.duplicates,
        "conflicting": quality.conflicting,
        "rejected": quality.rejected,
    })
}

/// The inputs for JSON.
pub(crate) fn inputs_json(register: &Register) -> Vec<Value> {
    register.sources.iter().map(Source::json).collect()
}

/// The cases left out of one indicator, per reason: `reason 3, reason 1`.
pub(crate) fn exclusion_list(exclusions: &Exclusions) -> String {
    exclusions
        .counts
        .iter()
        .map(|(reason, count)| format!("{} {count}", reason.id(exclusions.indicator)))
        .collect::<Vec<_>>()
        .join(", ")
}
