//! `casemetrics report`: the five indicators, checked against their targets.

use crate::cli::ReportArgs;
use crate::compare::Comparison;
use crate::error::{ExitStatus, Result};
use crate::indicators::{CaseFrame, ComputeOptions, GroupKey, compute};
use crate::output::write_output;
use crate::report::Report;
use crate::targets::Targets;

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
    let cases = CaseFrame::new(table.columns)?;
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
    let text = report.render(args.format);
    if args.output.is_some() || !args.quiet {
        write_output(args.output.as_deref(), &text)?;
    }
    if args.fail_on_miss && report.any_missed() {
        return Ok(ExitStatus::TargetMissed);
    }
    Ok(ExitStatus::Ok)
}
