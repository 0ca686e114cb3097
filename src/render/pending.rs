//! The long-pending ledger as people and scripts read it: a terminal table, CSV, Markdown or JSON.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::measure::pending::{LedgerLine, PendingLedger, PendingOptions, Why};
use crate::model::calendar;
use crate::model::cases::Register;
use crate::read::case_number::TrialTrack;
use crate::render::columns::LEDGER_COLUMNS;
use crate::render::labels::{generated_by, input_line, inputs_json, scope_rule_id, scope_sentence};
use crate::render::numbers::number;
use crate::render::text::{
    csv_text, markdown_row, markdown_text, pretty_json, terminal_row, write_safe_record,
};

/// What a rendered ledger says besides its lines: the inputs and the options used.
#[derive(Debug, Clone)]
pub struct PendingReport<'a> {
    /// The inputs, as read.
    pub register: &'a Register,
    /// The ledger.
    pub ledger: &'a PendingLedger,
    /// The options it was built with.
    pub options: &'a PendingOptions,
}

/// The procedure as the ledger shows it: 一审, or 一审 (简易程序) when the track is stated.
fn procedure_label(line: &LedgerLine) -> String {
    match line.track {
        TrialTrack::Unstated => line.procedure.chinese().to_string(),
        track => format!("{} ({})", line.procedure.chinese(), track.chinese()),
    }
}

impl PendingReport<'_> {
    /// The ledger's cells of one line, in `LEDGER_COLUMNS` order.
    pub fn cells(&self, line: &LedgerLine) -> Vec<String> {
        let register = self.register;
        let limit = line.limit;
        vec![
            register.source_name(line.row).to_string(),
            register.line[line.row].to_string(),
            register.case_numbers.get(line.row).into_owned(),
            register.courts.label(line.court).to_string(),
            register.departments.label(line.department).to_string(),
            register.judges.label(line.judge).to_string(),
            procedure_label(line),
            calendar::format_day(line.registered),
            line.closed_later
                .map(calendar::format_day)
                .unwrap_or_default(),
            line.age_days.to_string(),
            limit
                .map(|l| l.limit.months.to_string())
                .unwrap_or_default(),
            line.deducted_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            limit
                .map(|l| calendar::format_day(l.last_day))
                .unwrap_or_default(),
            limit.map(|l| l.days.to_string()).unwrap_or_default(),
            limit
                .filter(|l| l.over > 0)
                .map(|l| l.over.to_string())
                .unwrap_or_default(),
            line.why.id().to_string(),
        ]
    }

    fn limits_sentence(&self) -> &'static str {
        if self.options.gross {
            "calendar months from registration (立案日期); deducted days (扣除审限天数) ignored (--gross)"
        } else {
            "calendar months from registration (立案日期), extended by deducted days (扣除审限天数)"
        }
    }

    /// The lines before the ledger: date, scope, limits, court, inputs.
    fn heading_lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!("scope: {}", scope_sentence(self.register)),
            format!("limits: {}", self.limits_sentence()),
        ];
        if let Some(court) = &self.options.court {
            lines.push(format!("court: {}", court.trim()));
        }
        lines.extend(self.register.sources.iter().map(input_line));
        lines
    }

    /// The lines after the ledger: counts, age profile, disposition time, cases not counted.
    fn summary_lines(&self) -> Vec<String> {
        let ledger = self.ledger;
        let profile = &ledger.profile;
        let d = &ledger.disposition;
        let as_of = calendar::format_day(ledger.as_of);
        let n = &ledger.not_counted;
        vec![
            format!(
                "{} cases listed: {} over 365 days only, {} past the statutory limit only, {} both",
                ledger.lines.len(),
                ledger.count(Why::OverYear),
                ledger.count(Why::PastLimit),
                ledger.count(Why::Both)
            ),
            format!(
                "age of the {} cases open on {as_of} (CourTools 4): 0-90 days {}, 91-180 days {}, 181-365 days {}, over 365 days {}",
                profile.total(),
                profile.days_0_90,
                profile.days_91_180,
                profile.days_181_365,
                profile.over_365
            ),
            format!(
                "disposition time (CEPEJ): 365 × {} pending on {as_of} / {} closed {}..{} = {}",
                d.pending,
                d.closed,
                calendar::format_day(d.closed_from),
                calendar::format_day(d.closed_to),
                d.days
                    .map(|days| format!("{} days", number(days)))
                    .unwrap_or_else(|| "- (nothing closed)".to_string())
            ),
            format!(
                "not counted: {} with no readable registration date, {} with an unreadable closing date, {} registered after {as_of}",
                n.no_registration_date, n.invalid_closing_date, n.registered_after_as_of
            ),
        ]
    }

    /// The terminal table: the ledger, then the counts, age profile and disposition time.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "casemetrics pending — as of {}\n",
            calendar::format_day(self.ledger.as_of)
        );
        for line in self.heading_lines() {
            out.push_str(&line);
            out.push('\n');
        }
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(LEDGER_COLUMNS.to_vec());
        for line in &self.ledger.lines {
            table.add_row(terminal_row(&self.cells(line)));
        }
        out.push_str(&table.to_string());
        out.push('\n');
        for line in self.summary_lines() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// CSV: the ledger alone, one row per listed case.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_safe_record(&mut writer, &LEDGER_COLUMNS);
        for line in &self.ledger.lines {
            write_safe_record(&mut writer, &self.cells(line));
        }
        csv_text(writer)
    }

    /// Markdown: the ledger, the age-profile table and the summary lines.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "## 长期未结案件台账 — long-pending cases as of {}\n\n",
            calendar::format_day(self.ledger.as_of)
        );
        for line in self.heading_lines() {
            out.push_str(&format!("- {}\n", markdown_text(&line)));
        }
        out.push('\n');
        out.push_str(&markdown_row(&LEDGER_COLUMNS));
        out.push_str(&format!("|{}\n", "---|".repeat(LEDGER_COLUMNS.len())));
        for line in &self.ledger.lines {
            let cells: Vec<String> = self.cells(line).iter().map(|c| markdown_text(c)).collect();
            out.push_str(&markdown_row(&cells));
        }
        let profile = &self.ledger.profile;
        out.push_str("\n| age (days) | 0-90 | 91-180 | 181-365 | over 365 | open |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|\n");
        out.push_str(&format!(
            "| cases | {} | {} | {} | {} | {} |\n\n",
            profile.days_0_90,
            profile.days_91_180,
            profile.days_181_365,
            profile.over_365,
            profile.total()
        ));
        for line in self.summary_lines() {
            out.push_str(&format!("- {}\n", markdown_text(&line)));
        }
        out
    }

    /// JSON: ledger, counts, age profile, disposition time with its inputs (unrounded).
    pub fn to_json(&self) -> String {
        pretty_json(&self.json_value())
    }

    /// One ledger line for JSON.
    fn line_json(&self, line: &LedgerLine) -> Value {
        let register = self.register;
        let limit = line.limit.map(|l| {
            json!({
                "months": l.limit.months,
                "basis": l.limit.basis,
                "extension_days": l.extension,
                "last_day": calendar::format_day(l.last_day),
                "days": l.days,
            })
        });
        json!({
            "file": register.source_name(line.row),
            "line": register.line[line.row],
            "case_no": register.case_numbers.get(line.row),
            "court": register.courts.label(line.court),
            "department": register.departments.label(line.department),
            "judge": register.judges.label(line.judge),
            "procedure": line.procedure.id(),
            "procedure_zh": line.procedure.chinese(),
            "track": (line.track != TrialTrack::Unstated).then(|| line.track.chinese()),
            "registered": calendar::format_day(line.registered),
            "closed_after_as_of": line.closed_later.map(calendar::format_day),
            "age_days": line.age_days,
            "deducted_days": line.deducted_days,
            "limit": limit,
            "days_over_limit": line.limit.filter(|l| l.over > 0).map(|l| l.over),
            "why": line.why.id(),
        })
    }

    /// The JSON document described in docs/pending.md (numbers unrounded).
    pub fn json_value(&self) -> Value {
        let ledger = self.ledger;
        let lines: Vec<Value> = ledger.lines.iter().map(|l| self.line_json(l)).collect();
        let profile = &ledger.profile;
        let d = &ledger.disposition;
        let n = &ledger.not_counted;
        json!({
            "generated_by": generated_by(),
            "inputs": inputs_json(self.register),
            "as_of": calendar::format_day(ledger.as_of),
            "scope": {
                "rule": scope_rule_id(self.register),
                "description": scope_sentence(self.register),
            },
            "deductions_extend_limits": !self.options.gross,
            "court": self.options.court.as_deref().map(str::trim),
            "ledger": lines,
            "listed": {
                "total": ledger.lines.len(),
                "over_365_days": ledger.count(Why::OverYear),
                "past_limit": ledger.count(Why::PastLimit),
                "both": ledger.count(Why::Both),
            },
            "age_profile": {
                "0-90": profile.days_0_90,
                "91-180": profile.days_91_180,
                "181-365": profile.days_181_365,
                "over_365": profile.over_365,
                "open": profile.total(),
            },
            "disposition_time": {
                "days": d.days,
                "pending": d.pending,
                "closed": d.closed,
                "closed_from": calendar::format_day(d.closed_from),
                "closed_to": calendar::format_day(d.closed_to),
            },
            "not_counted": {
                "no_registration_date": n.no_registration_date,
                "invalid_closing_date": n.invalid_closing_date,
                "registered_after_as_of": n.registered_after_as_of,
            },
        })
    }
}
