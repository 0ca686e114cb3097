//! What the page says about its figures: a short methods note (what each figure measures, net of
//! deductions, the scope) and where the figures came from. The page is published: it names input
//! files without their directories and names no command-line option or command.

use std::path::Path;

use crate::measure::compute::Computed;
use crate::measure::indicators::{Event, Indicator, Measure};
use crate::model::cases::{Register, ScopeRule};
use crate::render::labels::{appeal_start_sentence, generated_by};
use crate::render::report::Report;

use super::{escape, overall_rows, period_sentence};

/// A file's name without its directories (`/data/2021/export.csv` → `export.csv`), whichever
/// separator the path uses.
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The kind of days reported, as the page says it.
pub(super) fn days_sentence(gross: bool) -> &'static str {
    if gross {
        "总天数，未扣除扣除审限天数 gross days (deductions not subtracted)"
    } else {
        "净天数，已扣除扣除审限天数 net days (deducted days subtracted)"
    }
}

/// An event's name in both languages.
fn event_words(event: Event) -> &'static str {
    match event {
        Event::MaterialsReceived => "收到材料 materials received",
        Event::Registered => "立案 registration",
        Event::Closed => "结案 closing",
        Event::AppealReceived => "收到上诉状 appeal received",
        Event::InForce => "生效 judgment in force",
        Event::FundsReceived => "案款到账 funds received",
        Event::FundsPaid => "案款发放 funds paid out",
    }
}

/// What the page's scope was, without options or file paths.
fn scope_words(register: &Register) -> String {
    let words = |rule: &ScopeRule| match rule {
        ScopeRule::BusinessFlag => {
            "涉营商环境案件 business-environment cases (flagged in the export)"
        }
        ScopeRule::CauseList => "涉营商环境案件 business-environment cases (by cause, 案由)",
        ScopeRule::AllNoScopeData | ScopeRule::AllRequested => "全部案件 all cases",
    };
    let mut seen: Vec<String> = Vec::new();
    for source in &register.sources {
        let text = words(&source.scope).to_string();
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    match seen.len() {
        0 => words(&ScopeRule::AllNoScopeData).to_string(),
        1 => seen.remove(0),
        _ => register
            .sources
            .iter()
            .map(|s| format!("{}: {}", file_name(&s.name), words(&s.scope)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// What an indicator's figure is, from which event to which.
fn measured(indicator: &Indicator, gross: bool) -> String {
    let net = if indicator.net_of_deductions && !gross {
        "，扣除审限天数 less deducted days"
    } else {
        ""
    };
    let span = format!(
        "{} → {}{net}",
        event_words(indicator.start),
        event_words(indicator.end)
    );
    match indicator.measure {
        Measure::Days => format!("平均天数 mean days, {span}"),
        Measure::WithinDays { .. } => format!("期限内案件占比 share within the limit, {span}"),
        Measure::Clearance => {
            "期内结案数 ÷ 期内收案数 cases closed ÷ cases registered in the period".to_string()
        }
        Measure::Flag(_) | Measure::AmountRatio(..) => "占比 share (%)".to_string(),
    }
}

/// One indicator's definition: its cases, what is measured, and the date that places a case in
/// a period.
fn definition(indicator: &Indicator, gross: bool) -> String {
    let (date_zh, date_en) = event_words(indicator.attributed_by)
        .split_once(' ')
        .unwrap_or(("", ""));
    let placed = if indicator.measure == Measure::Clearance {
        String::new()
    } else {
        format!("; 按{date_zh}日期计入期间 counted in the period of its {date_en} date")
    };
    format!(
        "<li><b>{}</b> <span class=\"en\">{}</span>: {}; {}{}.</li>\n",
        escape(indicator.chinese),
        escape(indicator.english),
        escape(&measured(indicator, gross)),
        escape(indicator.case_set.describe()),
        escape(&placed),
    )
}

/// The methods note: definitions, days, scope, rounding.
pub(super) fn methods_section(report: &Report) -> String {
    let computed: &Computed = report.computed;
    let mut html =
        String::from("<section id=\"methods\">\n<h2>说明 Methods</h2>\n<ul class=\"methods\">\n");
    for overall in overall_rows(computed) {
        html.push_str(&definition(overall.indicator, report.gross));
    }
    html.push_str("</ul>\n");
    html.push_str(&format!(
        "<p>天数为日历日，起算日不计入 Days are calendar days, the first day not counted; {}. \
         平均值与目标比较，显示保留两位小数 The mean is compared with the target unrounded and shown \
         with two decimals; shares and rates are percentages. 范围 Scope: {}.</p>\n</section>\n",
        escape(days_sentence(report.gross)),
        escape(&scope_words(report.register)),
    ));
    html
}

/// The inputs (file name, rows, encoding, SHA-256), the period, the break-down, the days, the
/// targets, the scope and the version.
pub(super) fn source_section(report: &Report, targets_file: Option<&Path>) -> String {
    let mut html =
        String::from("<section id=\"source\">\n<h2>来源 Source</h2>\n<ul class=\"inputs\">\n");
    for source in &report.register.sources {
        html.push_str(&format!(
            "<li><b>{}</b> · {} 行 rows · {}<br><span class=\"note\">SHA-256</span> <code class=\"hash\">{}</code></li>\n",
            escape(file_name(&source.name)),
            source.rows,
            escape(source.encoding.id()),
            escape(&source.sha256)
        ));
    }
    html.push_str("</ul>\n<dl class=\"options\">\n");
    let by = if report.by.is_empty() {
        "(none)".to_string()
    } else {
        report
            .by
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(",")
    };
    let targets = targets_file.map_or_else(
        || "2021 plan (built in)".to_string(),
        |path| file_name(&path.display().to_string()).to_string(),
    );
    let days = if report.gross {
        "gross"
    } else {
        "net (deducted days subtracted)"
    };
    let mut options = vec![
        ("期间 period", period_sentence(report)),
        ("分组 break-down", by),
        ("天数 days", days.to_string()),
        ("目标 targets", targets),
        ("范围 scope", scope_words(report.register)),
        ("版本 version", generated_by()),
    ];
    if let Some(sentence) = appeal_start_sentence(report.register) {
        // The transfer measured from another start than the plan's: say so on the page.
        options.insert(
            options.len() - 1,
            ("上诉移送起点 appeal start", sentence.to_string()),
        );
    }
    for (name, value) in options {
        html.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(name),
            escape(&value)
        ));
    }
    html.push_str("</dl>\n</section>\n");
    html
}
