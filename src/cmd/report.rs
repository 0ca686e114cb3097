//! `casemetrics report`: the five indicators, checked against their targets.

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compare::Comparison;
use crate::measure::compute::{ComputeOptions, Computed, Status, compute};
use crate::measure::groups::GroupKey;
use crate::measure::targets::Targets;
use crate::measure::trend::{Trend, trend};
use crate::model::cases::Register;
use crate::model::period::{Compare, EarlierPeriod};
use crate::render::html::PageExtras;
use crate::render::output::write_outputs;
use crate::render::report::Report;
use crate::render::text::terminal_text;

use super::outputs::{FileFormat, resolve, with_bom};

impl FileFormat for ReportFormat {
    fn from_extension(extension: &str) -> Option<ReportFormat> {
        match extension {
            "csv" => Some(ReportFormat::Csv),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "json" => Some(ReportFormat::Json),
            "html" | "htm" => Some(ReportFormat::Html),
            "xlsx" => Some(ReportFormat::Xlsx),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Csv => "csv",
            ReportFormat::Markdown => "markdown",
            ReportFormat::Json => "json",
            ReportFormat::Html => "html",
            ReportFormat::Xlsx => "xlsx",
        }
    }
}

/// Run `report`. Options are checked before any input is read.
pub(crate) fn run(args: &ReportArgs) -> Result<ExitStatus> {
    let outputs = resolve(args.format, ReportFormat::Table, &args.output)?;
    let period = super::period_of(&args.filter)?;
    let earlier = args
        .compare
        .map(|option| {
            let compare = option.into();
            period.earlier(compare).map(|earlier| (compare, earlier))
        })
        .transpose()?;
    let by = match &args.by {
        Some(text) => GroupKey::parse_list(text)?,
        None => Vec::new(),
    };
    let targets = match &args.targets {
        Some(path) => Targets::load(path)?,
        None => Targets::default(),
    };
    super::refuse_output_over_input(&args.output, &args.input.inputs)?;
    let (table, quality) = super::read_inputs(&args.input, args.filter.scope, args.quiet)?;
    let register = table.register;
    let cases = CaseFrame::new(table.columns);
    let options = ComputeOptions {
        period,
        gross: args.filter.gross,
        by,
        targets,
        ..ComputeOptions::default()
    };
    let computed = compute(&cases, &register, &options)?;
    let comparison = match earlier {
        Some((compare, earlier)) => {
            Some(compare_with(&cases, &register, &options, compare, earlier)?)
        }
        None => None,
    };
    let report = Report {
        register: &register,
        quality: &quality,
        computed: &computed,
        period: &options.period,
        by: &options.by,
        gross: options.gross,
        comparison: comparison.as_ref(),
        lang: args.lang,
    };
    // `--quiet` silences diagnostics only: without `-o` the report still goes to stdout.
    let formats: Vec<ReportFormat> = outputs.iter().map(|(_, format)| *format).collect();
    let extras = Extras::compute(&formats, &cases, &register, &options)?;
    let mut rendered = Vec::with_capacity(outputs.len());
    for (path, format) in &outputs {
        let bytes = render(args, *format, &report, &extras)?;
        rendered.push((path.as_deref(), bytes));
    }
    let views: Vec<_> = rendered.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    write_outputs(&views)?;
    if args.fail_on_miss && report.any_missed() {
        // cron mails standard error: say what was missed, also under `--quiet`.
        for line in missed_lines(&computed) {
            eprintln!("{line}");
        }
        return Ok(ExitStatus::TargetMissed);
    }
    Ok(ExitStatus::Ok)
}

/// The earlier period's figures, computed with every other option unchanged.
fn compare_with(
    cases: &CaseFrame,
    register: &Register,
    options: &ComputeOptions,
    compare: Compare,
    earlier: EarlierPeriod,
) -> Result<Comparison> {
    let earlier_options = ComputeOptions {
        period: earlier.period.clone(),
        ..options.clone()
    };
    let earlier_computed = compute(cases, register, &earlier_options)?;
    Ok(Comparison::new(compare, earlier, earlier_computed))
}

/// The break-downs the HTML page and the workbook add to the report, computed once for every
/// output that needs them.
struct Extras {
    /// For a month or quarter, the twelve months (four quarters) up to it, for the page's charts.
    trend: Option<Trend>,
    /// Months, for the page's charts of another period.
    monthly: Option<Computed>,
    /// Courts, for the page's and the workbook's per-court table.
    by_court: Option<Computed>,
}

impl Extras {
    fn compute(
        formats: &[ReportFormat],
        cases: &CaseFrame,
        register: &Register,
        options: &ComputeOptions,
    ) -> Result<Extras> {
        let html = formats.contains(&ReportFormat::Html);
        let courts = html || formats.contains(&ReportFormat::Xlsx);
        let by = |wanted: bool, key: GroupKey| match wanted {
            true => breakdown(cases, register, options, key),
            false => Ok(None),
        };
        // A month's or quarter's page charts the twelve months (four quarters) up to it.
        let trend = match html {
            true => trend(cases, register, options)?,
            false => None,
        };
        Ok(Extras {
            monthly: by(html && trend.is_none(), GroupKey::Month)?,
            by_court: by(courts, GroupKey::Court)?,
            trend,
        })
    }
}

/// The report in `format`; the HTML page adds the monthly and per-court figures, the workbook
/// the per-court ones.
fn render(
    args: &ReportArgs,
    format: ReportFormat,
    report: &Report,
    extras: &Extras,
) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Table => terminal_text(report.to_table()).into_bytes(),
        ReportFormat::Csv => with_bom(report.to_csv(), args.bom),
        ReportFormat::Markdown => report.to_markdown().into_bytes(),
        ReportFormat::Json => report.to_json().into_bytes(),
        ReportFormat::Html => {
            let page = PageExtras {
                monthly: extras.monthly.as_ref(),
                by_court: extras.by_court.as_ref(),
                trend: extras.trend.as_ref(),
                targets_file: args.targets.as_deref(),
                // The profile's court names the page unless --title does.
                title: args
                    .title
                    .as_deref()
                    .or(report.register.court_name.as_deref()),
            };
            crate::render::html::page(report, page).into_bytes()
        }
        ReportFormat::Xlsx => crate::render::xlsx::report_workbook(
            report,
            extras.by_court.as_ref(),
            args.targets.as_deref(),
            args.lang,
        )?,
    })
}

/// The figures broken down by `key` alone (months for the HTML page's charts, courts for its
/// per-court table); `None` when the report itself is broken down by `key` alone (the page uses
/// it). Same period, targets and days as the report.
fn breakdown(
    cases: &CaseFrame,
    register: &Register,
    options: &ComputeOptions,
    key: GroupKey,
) -> Result<Option<Computed>> {
    if options.by == [key] {
        return Ok(None);
    }
    let by_key = ComputeOptions {
        by: vec![key],
        ..options.clone()
    };
    compute(cases, register, &by_key).map(Some)
}

/// One line per missed figure, for standard error: indicator id, group, figure and target, e.g.
/// `casemetrics: missed: first_enforcement_days (all): 78.50 days, target ≤ 70`.
fn missed_lines(computed: &Computed) -> Vec<String> {
    computed
        .results
        .iter()
        .filter(|result| result.status == Status::Missed)
        .map(|result| {
            let group = if result.group.is_empty() {
                "(all)".to_string()
            } else {
                let labels: Vec<String> = result
                    .group
                    .iter()
                    .map(|(key, label)| format!("{}={label}", key.id()))
                    .collect();
                labels.join(", ")
            };
            let unit = if result.indicator.measure.is_days() {
                " days"
            } else {
                ""
            };
            let value = result
                .mean
                .map(crate::render::numbers::number)
                .unwrap_or_default();
            let target = result.target.map(|t| t.to_string()).unwrap_or_default();
            format!(
                "casemetrics: missed: {} {group}: {value}{unit}, target {target}",
                result.indicator.id
            )
        })
        .collect()
}
