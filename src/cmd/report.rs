//! `casemetrics report`: the five indicators, checked against their targets.

use crate::cli::ReportArgs;
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compare::Comparison;
use crate::measure::compute::{ComputeOptions, Computed, compute};
use crate::measure::groups::GroupKey;
use crate::measure::targets::Targets;
use crate::render::html::PageExtras;
use crate::render::output::write_output;
use crate::render::report::{Report, ReportFormat};

/// Run `report`. Options are checked before any input is read.
pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    let period = super::period_of(&args.filter)?;
    let earlier = args
        .compare
        .map(|compare| period.earlier(compare).map(|earlier| (compare, earlier)))
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
    // The earlier period is computed with every other option unchanged.
    let comparison = match earlier {
        Some((compare, earlier)) => {
            let earlier_options = ComputeOptions {
                period: earlier.period.clone(),
                ..options.clone()
            };
            let earlier_computed = compute(&cases, &register, &earlier_options)?;
            Some(Comparison::new(compare, earlier, earlier_computed))
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
    let text = match args.format {
        ReportFormat::Html => {
            let monthly = breakdown(&cases, &register, &options, GroupKey::Month)?;
            let by_court = breakdown(&cases, &register, &options, GroupKey::Court)?;
            let extras = PageExtras {
                monthly: monthly.as_ref(),
                by_court: by_court.as_ref(),
                targets_file: args.targets.as_deref(),
            };
            crate::render::html::page(&report, extras)
        }
        format => report.render(format),
    };
    if args.output.is_some() || !args.quiet {
        write_output(args.output.as_deref(), &text)?;
    }
    if args.fail_on_miss && report.any_missed() {
        return Ok(ExitStatus::TargetMissed);
    }
    Ok(ExitStatus::Ok)
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
