//! `casemetrics validate`: what in the export could not be used, field by field and line by line.

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::error::{ExitStatus, Result};
use crate::render::output::write_output;
use crate::render::text::terminal_text;
use crate::render::validate::Validation;

/// Run `validate`. Exits 0 whenever the input could be read, however bad its rows.
pub(crate) fn run(args: &ValidateArgs) -> Result<ExitStatus> {
    super::refuse_output_over_input(args.output.as_slice(), &args.input.inputs)?;
    let (table, quality) = super::read_inputs(&args.input, crate::cli::ScopeChoice::Auto, false)?;
    let validation = Validation {
        register: &table.register,
        quality: &quality,
        details: args.details,
    };
    let text = match args.format {
        ValidateFormat::Json => validation.to_json(),
        ValidateFormat::Csv => validation.to_csv(),
        ValidateFormat::Table => terminal_text(validation.to_table()),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Ok)
}
