//! `casemetrics cases`: every case behind a figure, so an auditor can check it line by line.

use std::collections::HashMap;

use crate::cli::{CasesArgs, ListFormat};
use crate::error::Error;
use crate::error::{ExitStatus, Result};
use crate::measure::CaseFrame;
use crate::measure::compute::ComputeOptions;
use crate::measure::groups::{GroupKey, group_label};
use crate::measure::indicators::{Indicator, parse_indicator};
use crate::measure::listing::{CaseLine, check_listable, list_case_batches, list_cases};
use crate::model::cases::Register;
use crate::render::cases::{fill_cells, header};
use std::io::Write;

use crate::render::output::{AtomicOutput, write_output, write_outputs};
use crate::render::text::write_safe_record;

use super::outputs::{FileFormat, resolve};

impl FileFormat for ListFormat {
    fn from_extension(extension: &str) -> Option<ListFormat> {
        match extension {
            "csv" => Some(ListFormat::Csv),
            "xlsx" => Some(ListFormat::Xlsx),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ListFormat::Table => "table",
            ListFormat::Csv => "csv",
            ListFormat::Xlsx => "xlsx",
        }
    }
}

/// Run `cases`.
pub(crate) fn run(args: &CasesArgs) -> Result<ExitStatus> {
    let Some(indicator) = &args.indicator else {
        return super::exclusions::run(args);
    };
    let indicator = parse_indicator(indicator)?;
    let outputs = resolve(args.format, ListFormat::Table, args.output.as_slice())?;
    let format = outputs
        .first()
        .map_or(ListFormat::Table, |(_, format)| *format);
    check_listable(indicator)?;
    let Listing {
        register,
        cases,
        options,
        groups,
    } = read_listing(args)?;
    let mut filter = LineFilter::new(&register, args.court.as_deref(), groups);
    match format {
        ListFormat::Csv => {
            // Written as the cases are measured, a chunk of rows at a time.
            let mut output = AtomicOutput::begin(args.output.as_deref())?;
            if args.bom {
                let _ = output.write_all("\u{FEFF}".as_bytes());
            }
            write_csv(
                &register,
                &cases,
                indicator,
                &options,
                args.excluded,
                &mut filter,
                &mut output,
            )?;
            output.finish()?;
        }
        ListFormat::Table | ListFormat::Xlsx => {
            // A table (or sheet) is laid out from all its rows.
            let mut lines = Vec::new();
            list_cases(&cases, indicator, &options, args.excluded, |line| {
                if filter.keeps(line) {
                    lines.push(line.clone());
                }
                Ok(())
            })?;
            let path = args.output.as_deref();
            if format == ListFormat::Xlsx {
                let bytes = crate::render::xlsx::cases_workbook(
                    &register,
                    indicator,
                    &lines,
                    args.excluded,
                    path,
                )?;
                write_outputs(&[(path, &bytes)])?;
            } else {
                let text = crate::render::text::terminal_text(crate::render::cases::table(
                    &register,
                    indicator,
                    &lines,
                    args.excluded,
                ));
                write_output(path, &text)?;
            }
        }
    }
    Ok(ExitStatus::Ok)
}

/// `--court` and `--group KEY=LABEL`: which listed cases are shown.
pub struct LineFilter<'a> {
    register: &'a Register,
    court: Option<String>,
    groups: Vec<(GroupKey, String)>,
    /// Whether each (key, code) met seen so far has the wanted label: labels are looked up once
    /// per code, not once per case.
    matches: HashMap<(GroupKey, i64), bool>,
}

impl<'a> LineFilter<'a> {
    /// Keep the cases of court `court` (as written in 经办法院) whose groups have these labels.
    pub fn new(
        register: &'a Register,
        court: Option<&str>,
        groups: Vec<(GroupKey, String)>,
    ) -> LineFilter<'a> {
        LineFilter {
            register,
            court: court.map(|court| court.trim().to_string()),
            groups,
            matches: HashMap::new(),
        }
    }

    /// Whether `line` is shown.
    pub fn keeps(&mut self, line: &CaseLine) -> bool {
        if let Some(court) = &self.court
            && self.register.courts.label(line.court) != court
        {
            return false;
        }
        let (register, matches) = (self.register, &mut self.matches);
        self.groups.iter().all(|(key, label)| {
            line.group_code(*key).is_some_and(|code| {
                *matches
                    .entry((*key, code))
                    .or_insert_with(|| group_label(register, *key, code) == *label)
            })
        })
    }
}

/// Write the CSV listing of `indicator`'s cases that `filter` keeps to `output`, each chunk of
/// rows as soon as it is measured. The bytes do not depend on `options.chunk_rows`.
pub fn write_csv(
    register: &Register,
    cases: &CaseFrame,
    indicator: &'static Indicator,
    options: &ComputeOptions,
    excluded: bool,
    filter: &mut LineFilter,
    output: &mut AtomicOutput,
) -> Result<()> {
    let header = header(indicator, excluded);
    let _ = output.write_all(&csv_lines(std::slice::from_ref(&header), Vec::clone_from));
    let threads = crate::parallel::cores();
    list_case_batches(cases, indicator, options, excluded, |lines| {
        let shown: Vec<&CaseLine> = lines.iter().filter(|line| filter.keeps(line)).collect();
        // why: laying out the lines took one core 3 s for 7M cases while the other waited;
        // each core lays out a run of the batch, and the runs are written in order.
        let run = shown.len().div_ceil(threads).max(1);
        let runs: Vec<&[&CaseLine]> = shown.chunks(run).collect();
        let laid_out = crate::parallel::in_item_order(&runs, threads, 1, |run| {
            csv_lines(run, |cells, line| {
                fill_cells(register, indicator, line, excluded, cells);
            })
        });
        for bytes in laid_out {
            // A failed write stops the listing; `finish` would report it anyway.
            let _ = output.write_all(&bytes);
            output.check()?;
        }
        Ok(())
    })?;
    output.check()
}

/// The CSV lines of `items`, each laid out into cells by `fill` (which reuses the cells' strings),
/// made safe for spreadsheets.
fn csv_lines<T>(items: &[T], mut fill: impl FnMut(&mut Vec<String>, &T)) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(Vec::new());
    let mut cells = Vec::new();
    for item in items {
        fill(&mut cells, item);
        write_safe_record(&mut writer, &cells);
    }
    writer.into_inner().unwrap_or_default()
}

/// What every `cases` listing starts from, after its options are checked and before anything is
/// read: the inputs read, their cases, the period and days options, and the `--group` filters
/// (whose labels, like `--court`'s, must name something the export has).
pub(crate) fn read_listing(args: &CasesArgs) -> Result<Listing> {
    let groups = parse_groups(&args.group)?;
    let period = super::period_of(&args.filter)?;
    super::refuse_output_over_input(args.output.as_slice(), &args.input.inputs)?;
    let (table, _quality) = super::read_inputs(&args.input, args.filter.scope, false)?;
    let register = table.register;
    let cases = CaseFrame::new(table.columns);
    let options = ComputeOptions {
        period,
        gross: args.filter.gross,
        ..ComputeOptions::default()
    };
    check_labels(&register, args.court.as_deref(), &groups)?;
    Ok(Listing {
        register,
        cases,
        options,
        groups,
    })
}

/// The inputs of a `cases` listing, read and checked (`read_listing`).
pub(crate) struct Listing {
    /// Files, lines, case numbers and labels.
    pub(crate) register: Register,
    /// The cases' values.
    pub(crate) cases: CaseFrame,
    /// The period and days rule.
    pub(crate) options: ComputeOptions,
    /// The `--group` filters.
    pub(crate) groups: Vec<(GroupKey, String)>,
}

/// `--court` and `--group` labels must name something in the export: a label that matches nothing
/// (a typo, another court's spelling) is a usage error naming the closest known labels, not an
/// empty listing. Months and quarters are checked for their form only: a month without cases is
/// an empty listing.
fn check_labels(
    register: &Register,
    court: Option<&str>,
    groups: &[(GroupKey, String)],
) -> Result<()> {
    if let Some(court) = court {
        let known = known_labels(register, GroupKey::Court);
        let court = court.trim();
        if !known.iter().any(|label| label == court) {
            return Err(unknown_label("--court", court, &known));
        }
    }
    for (key, label) in groups {
        let known = known_labels(register, *key);
        if !known.is_empty() && !known.contains(label) {
            let option = format!("--group {}", key.id());
            return Err(unknown_label(&option, label, &known));
        }
    }
    Ok(())
}

/// Every label `key` takes in the export, as the report shows them; empty for months and
/// quarters (any month may be asked for).
fn known_labels(register: &Register, key: GroupKey) -> Vec<String> {
    let dictionary = match key {
        GroupKey::Court => &register.courts,
        GroupKey::Cause => &register.causes,
        GroupKey::Department => &register.departments,
        GroupKey::Judge => &register.judges,
        GroupKey::CourtLevel => {
            return ["high", "intermediate", "basic", "unknown"]
                .map(String::from)
                .to_vec();
        }
        GroupKey::Month | GroupKey::Quarter => return Vec::new(),
    };
    let mut labels: Vec<String> = (0..dictionary.labels().len() as i64)
        .map(|code| group_label(register, key, code))
        .collect();
    if key == GroupKey::Court {
        labels.retain(|label| label != "(blank)");
    }
    labels.sort();
    labels.dedup();
    labels
}

/// The usage error for a label that matches nothing: the three closest known labels.
fn unknown_label(option: &str, label: &str, known: &[String]) -> Error {
    let mut ranked: Vec<(usize, &String)> = known
        .iter()
        .map(|candidate| (edit_distance(label, candidate), candidate))
        .collect();
    ranked.sort();
    let closest: Vec<&str> = ranked.iter().take(3).map(|(_, l)| l.as_str()).collect();
    let hint = if closest.is_empty() {
        "the export has none".to_string()
    } else {
        format!("closest: {}", closest.join(", "))
    };
    Error::Usage(format!(
        "{option} \"{label}\" matches nothing in the export; {hint}"
    ))
}

/// Characters to insert, delete or replace to turn `a` into `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let replaced = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = replaced.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// `--group KEY=LABEL` pairs; an unknown key or a missing `=` is a usage error.
pub(crate) fn parse_groups(pairs: &[String]) -> Result<Vec<(GroupKey, String)>> {
    pairs
        .iter()
        .map(|pair| {
            let (key, label) = pair.split_once('=').ok_or_else(|| {
                Error::Usage(format!(
                    "--group \"{pair}\" must be KEY=LABEL, e.g. month=2021-04"
                ))
            })?;
            let key = GroupKey::parse(key, "--group")?;
            Ok((key, label.trim().to_string()))
        })
        .collect()
}
