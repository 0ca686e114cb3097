//! `casemetrics profile draft` (a profile guessed from an export) and `casemetrics profile check`
//! (what a profile makes of an export, field by field).

use crate::cli::{CheckArgs, DraftArgs, FileArgs, InputArgs, ProfileCommand, ValidateFormat};
use crate::error::{ExitStatus, Result};
use crate::model::fields::HeaderAliases;
use crate::read::draft::draft_profile;
use crate::read::profile::Profile;
use crate::read::sample::{SampleOptions, read_sample};
use crate::render::output::write_output;
use crate::render::profile_check::ProfileCheck;
use crate::render::text::terminal_text;

/// Rows read for `profile check`'s example values.
const EXAMPLE_ROWS: usize = 10_000;

/// Run `profile draft` or `profile check`.
pub(crate) fn run(command: &ProfileCommand) -> Result<ExitStatus> {
    match command {
        ProfileCommand::Draft(args) => draft(args),
        ProfileCommand::Check(args) => check(args),
    }
}

/// How to sample the file.
fn sample_options<'a>(
    file: &'a FileArgs,
    rows: usize,
    aliases: &'a HeaderAliases,
) -> Result<SampleOptions<'a>> {
    Ok(SampleOptions {
        encoding: file.encoding.into(),
        delimiter: file
            .delimiter
            .as_deref()
            .map(super::parse_delimiter)
            .transpose()?,
        sheet: file.sheet.as_deref(),
        rows,
        aliases,
    })
}

fn draft(args: &DraftArgs) -> Result<ExitStatus> {
    let inputs = [args.file.input.clone()];
    super::refuse_output_over_input(args.output.as_slice(), &inputs)?;
    let aliases = HeaderAliases::default();
    let options = sample_options(&args.file, args.sample_rows as usize, &aliases)?;
    let text = draft_profile(&args.file.input, &options)?;
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Ok)
}

fn check(args: &CheckArgs) -> Result<ExitStatus> {
    let file = &args.file;
    let input = InputArgs {
        inputs: vec![file.input.clone()],
        encoding: file.encoding,
        delimiter: file.delimiter.clone(),
        profile: Some(args.profile.clone()),
        sheet: file.sheet.clone(),
        threads: 0,
        max_rejected_share: None,
        today: args.today.clone(),
    };
    super::refuse_output_over_input(args.output.as_slice(), &input.inputs)?;
    let (table, quality) = super::read_inputs(&input, crate::cli::ScopeChoice::Auto, true)?;
    let profile = Profile::load_profile(&args.profile)?;
    // Standard input was read whole by the reader: there are no rows left to show.
    let sample = match file.input.as_os_str() == "-" {
        true => None,
        false => Some(read_sample(
            &file.input,
            &sample_options(file, EXAMPLE_ROWS, &profile.aliases)?,
        )?),
    };
    let check = ProfileCheck::new(&table, &quality, &profile, sample.as_ref());
    let text = match args.format {
        ValidateFormat::Json => check.to_json(),
        ValidateFormat::Csv => check.to_csv(),
        ValidateFormat::Table => terminal_text(check.to_table()),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Ok)
}
