//! `casemetrics report`: the five indicators, checked against their targets.

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compare::Comparison;
use crate::measure::compute::{ComputeOptions, Computed, compute};
use crate::measure::groups::GroupKey;
use crate::measure::targets::Targets;
use crate::measure::trend::trend;
use crate::model::period::{Compare, EarlierPeriod};
use crate::render::html::PageExtras;
use crate::render::output::write_output;
use crate::render::report::Report;

/// Run `report`. Options are checked before any input is read.
pub(crate) fn run(args: &ReportArgs) -> Result<ExitStatus> {
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
    };
    let text = render(args, &report, &cases, &options)?;
    if args.output.is_some() || !args.quiet {
        write_output(args.output.as_deref(), &text)?;
    }
    if args.fail_on_miss && report.any_missed() {
        return Ok(ExitStatus::TargetMissed);
    }
    Ok(ExitStatus::Ok)
}

/// The earlier period's figures, computed with every other option unchanged.
fn compare_with(
    cases: &CaseFrame,
    register: &crate::model::cases::Register,
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

/// The report in the format asked for; the HTML page adds the monthly and per-court figures.
fn render(
    args: &ReportArgs,
    report: &Report,
    cases: &CaseFrame,
    options: &ComputeOptions,
) -> Result<String> {
    Ok(match args.format {
        ReportFormat::Table => report.to_table(),
        ReportFormat::Csv => report.to_csv(),
        ReportFormat::Markdown => report.to_markdown(),
        ReportFormat::Json => report.to_json(),
        ReportFormat::Html => {
            // A month's or quarter's page charts the twelve months (four quarters) up to it.
            let trend = trend(cases, report.register, options)?;
            let monthly = match trend {
                Some(_) => None,
                None => breakdown(cases, report.register, options, GroupKey::Month)?,
            };
            let by_court = breakdown(cases, report.register, options, GroupKey::Court)?;
            let extras = PageExtras {
                monthly: monthly.as_ref(),
                by_court: by_court.as_ref(),
                trend: trend.as_ref(),
                targets_file: args.targets.as_deref(),
                title: args.title.as_deref(),
            };
            crate::render::html::page(report, extras)
        }
    })
}

/// The figures broken down by `key` alone (months for the HTML page's charts, courts for its
/// per-court table); `None` when the report itself is broken down by `key` alone (the page uses
/// it). Same period, targets and days as the report.
fn breakdown(
    cases: &CaseFrame,
    register: &crate::model::cases::Register,
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
