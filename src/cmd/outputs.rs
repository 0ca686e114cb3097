//! Which format each output is written in: `--format`, or the extension of `--output`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output format that a file extension can name.
pub(crate) trait FileFormat: Copy + PartialEq {
    /// The format an extension (lower case, without the dot) names, if any.
    fn from_extension(extension: &str) -> Option<Self>;
    /// The format's name as `--format` spells it.
    fn name(self) -> &'static str;
    /// Whether the format is binary (a workbook), not for a terminal.
    fn binary(self) -> bool {
        self.name() == "xlsx"
    }
}

/// The format the extension of `path` names, if any (case-insensitive).
fn extension_format<F: FileFormat>(path: &Path) -> Option<F> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    F::from_extension(&extension)
}

/// Each output with its format: standard output when no `--output` is given; otherwise each
/// file's format is `--format` or, without it, its extension's (an unknown extension gets
/// `default`, as before). A `--format` that contradicts an extension, or a file named twice,
/// is a usage error.
pub(crate) fn resolve<F: FileFormat>(
    format: Option<F>,
    default: F,
    outputs: &[PathBuf],
) -> Result<Vec<(Option<PathBuf>, F)>> {
    if outputs.is_empty() {
        let format = format.unwrap_or(default);
        if format.binary() && std::io::stdout().is_terminal() {
            return Err(Error::Usage(format!(
                "--format {} is a workbook, not for a terminal: add -o FILE.xlsx",
                format.name()
            )));
        }
        return Ok(vec![(None, format)]);
    }
    let mut resolved = Vec::with_capacity(outputs.len());
    for (index, path) in outputs.iter().enumerate() {
        if outputs[..index].contains(path) {
            return Err(Error::Usage(format!(
                "--output {} is given twice",
                path.display()
            )));
        }
        let named = extension_format::<F>(path);
        let chosen = match (format, named) {
            (Some(format), Some(named)) if format != named => {
                return Err(Error::Usage(format!(
                    "--format {} contradicts the extension of --output {} ({}): drop --format or rename the file",
                    format.name(),
                    path.display(),
                    named.name()
                )));
            }
            (Some(format), _) => format,
            (None, Some(named)) => named,
            (None, None) => default,
        };
        resolved.push((Some(path.clone()), chosen));
    }
    Ok(resolved)
}

/// A UTF-8 byte-order mark before `text` when `bom` is set.
pub(crate) fn with_bom(text: String, bom: bool) -> Vec<u8> {
    if bom {
        let mut bytes = "\u{FEFF}".as_bytes().to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes
    } else {
        text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ReportFormat;

    #[test]
    fn formats_come_from_extensions_unless_given() {
        let outputs = vec![PathBuf::from("june.XLSX"), PathBuf::from("june.txt")];
        let resolved = resolve(None, ReportFormat::Table, &outputs).unwrap();
        assert_eq!(resolved[0].1, ReportFormat::Xlsx);
        assert_eq!(resolved[1].1, ReportFormat::Table);
        let stdout = resolve(Some(ReportFormat::Csv), ReportFormat::Table, &[]).unwrap();
        assert_eq!(stdout, vec![(None, ReportFormat::Csv)]);
        let contradiction = resolve(Some(ReportFormat::Csv), ReportFormat::Table, &outputs[..1]);
        assert!(matches!(contradiction, Err(Error::Usage(_))));
        let twice = vec![PathBuf::from("a.csv"), PathBuf::from("a.csv")];
        assert!(matches!(
            resolve(None, ReportFormat::Table, &twice),
            Err(Error::Usage(_))
        ));
        assert_eq!(with_bom("a".into(), true), b"\xEF\xBB\xBFa");
    }
}
