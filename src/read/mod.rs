//! Reading exports: bytes, encodings, delimiters, headers and line numbers. Turns one or more CSV
//! files (or standard input) into a `CaseTable` and a `Quality` account of what could not be used.
//!
//! Each file is read in blocks of whole rows (`file_blocks`), parsed on every core (`rows`) and
//! merged in file order (`merge`), where duplicates are found: the result is the same whatever the
//! number of threads. Appeals are linked to their first-instance cases once every file is read
//! (`appeals`).

mod appeals;
mod bad_input;
mod blocks;
mod case_index;
pub mod case_number;
mod cells;
pub mod cnj;
pub mod conditions;
mod converted;
pub(crate) mod dates;
pub mod draft;
pub mod encoding;
mod file_blocks;
mod header;
mod merge;
mod options;
mod parquet_file;
pub mod profile;
mod rows;
pub mod sample;
mod transcode;
mod workbook;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::measure::quality::{Problem, Quality};
use crate::model::cases::{CaseTable, ScopeRule, Source};
use crate::model::fields::{ColumnMap, Field};
use crate::read::encoding::TextEncoding;

use bad_input::malformed_error;
pub(crate) use cells::is_control_character;
use file_blocks::{
    EncodingGuess, Input, Layout, PREFIX_BYTES, guess_encoding, progress_bar, read_blocks,
};
use header::{FileHeader, key_columns, read_header};
use merge::TableBuilder;
pub use options::{BLOCK_BYTES, ReadOptions, today_from_clock};
use rows::{SourceContext, parse_block};

/// Read every input, in order, as one export: the cases kept (a case number seen twice counts
/// once) and an account of the rows and values that could not be used.
pub fn read_exports(inputs: &[PathBuf], options: &ReadOptions) -> Result<(CaseTable, Quality)> {
    let mut builder = TableBuilder::new(options);
    for (index, path) in inputs.iter().enumerate() {
        let source_index = u16::try_from(index)
            .map_err(|_| Error::Usage("at most 65535 input files per run".into()))?;
        builder.read_source(path, source_index)?;
    }
    Ok(builder.finish())
}

/// Why reading a file stopped.
pub(crate) enum ReadStop {
    /// It cannot be used.
    Error(Error),
    /// It was read as UTF-8 from its first bytes, but this line is not UTF-8: read it again as
    /// GB18030.
    NotUtf8 {
        /// The line of the first byte that is not UTF-8.
        line: u64,
    },
}

impl From<Error> for ReadStop {
    fn from(error: Error) -> Self {
        ReadStop::Error(error)
    }
}

fn display_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl TableBuilder<'_> {
    /// Read one input: a CSV file (or standard input), a spreadsheet or a Parquet file.
    fn read_source(&mut self, path: &Path, source_index: u16) -> Result<()> {
        if let Some(format) = converted::Format::of(path) {
            return self.read_converted(path, source_index, format);
        }
        let input = Input::open(path)?;
        let read = self.read_input(path, source_index, &input);
        // A file that changed while it was read explains any other failure: say that first.
        if read.is_err() {
            input.check_unchanged(None)?;
        }
        read
    }

    /// Read a CSV input: a UTF-16 or CR-only one rewritten first (`transcode`), with the SHA-256
    /// of its own bytes.
    fn read_input(&mut self, path: &Path, source_index: u16, input: &Input) -> Result<()> {
        let prefix = input.prefix(path)?;
        let Some(rewritten) = transcode::rewrite_if_needed(path, input, &prefix)? else {
            return self.read_text(path, source_index, input, prefix, None);
        };
        let prefix = rewritten.input.prefix(path)?;
        self.read_text(
            path,
            source_index,
            &rewritten.input,
            prefix,
            rewritten.encoding,
        )?;
        if let Some(source) = self.table.register.sources.last_mut() {
            source.sha256 = rewritten.sha256;
        }
        Ok(())
    }

    /// Read CSV text, again as GB18030 when it stops being UTF-8 after its first bytes;
    /// `known`: the encoding it is in, when already known (UTF-16, rewritten as UTF-8).
    fn read_text(
        &mut self,
        path: &Path,
        source_index: u16,
        input: &Input,
        prefix: Vec<u8>,
        known: Option<TextEncoding>,
    ) -> Result<()> {
        let whole = prefix.len() < PREFIX_BYTES;
        let guess = match known {
            Some(encoding) => EncodingGuess {
                encoding,
                not_utf8_at: None,
                tentative: false,
            },
            None => guess_encoding(&prefix, self.options.encoding, whole),
        };
        let checkpoint = self.checkpoint();
        let first = self.read_source_as(path, source_index, input, &prefix, &guess, None);
        match first {
            Ok(()) => Ok(()),
            Err(ReadStop::Error(error)) => Err(error),
            Err(ReadStop::NotUtf8 { line }) => {
                // A byte deep in the file is not UTF-8: the whole file is GB18030 (spec §3).
                self.rollback(checkpoint);
                let guess = EncodingGuess {
                    encoding: TextEncoding::Gb18030,
                    not_utf8_at: Some(line),
                    tentative: false,
                };
                match self.read_source_as(path, source_index, input, &prefix, &guess, None) {
                    Ok(()) => Ok(()),
                    Err(ReadStop::Error(error)) => Err(error),
                    Err(ReadStop::NotUtf8 { line }) => Err(malformed_error(
                        path,
                        line,
                        TextEncoding::Gb18030,
                        Some(line),
                    )),
                }
            }
        }
    }

    /// Read a spreadsheet or Parquet file: converted to UTF-8 CSV text in memory, then read like
    /// any CSV file, with the SHA-256 of the file's own bytes.
    fn read_converted(
        &mut self,
        path: &Path,
        source_index: u16,
        format: converted::Format,
    ) -> Result<()> {
        let converted = converted::convert(path, format, self.options.sheet.as_deref())?;
        let input = Input::Memory(converted.csv);
        let prefix = input.prefix(path)?;
        let guess = EncodingGuess {
            encoding: TextEncoding::Utf8,
            not_utf8_at: None,
            tentative: false,
        };
        match self.read_source_as(path, source_index, &input, &prefix, &guess, Some(b',')) {
            Ok(()) => {}
            Err(ReadStop::Error(error)) => return Err(error),
            Err(ReadStop::NotUtf8 { line }) => {
                return Err(malformed_error(path, line, TextEncoding::Utf8, None));
            }
        }
        if let Some(source) = self.table.register.sources.last_mut() {
            source.sha256 = converted.sha256;
        }
        Ok(())
    }

    /// Read one file in the encoding guessed; `delimiter` overrides the one the options give.
    fn read_source_as(
        &mut self,
        path: &Path,
        source_index: u16,
        input: &Input,
        prefix: &[u8],
        guess: &EncodingGuess,
        delimiter: Option<u8>,
    ) -> std::result::Result<(), ReadStop> {
        let mut header = read_header(
            path,
            input.len(),
            prefix,
            guess,
            delimiter.or(self.options.delimiter),
            &self.options.profile.aliases,
        )?;
        self.report_skipped_lines(path, &header);
        let scope = self.scope_rule(&header.columns);
        self.reserve(estimated_rows(input.len(), prefix, header.data_start));
        let name = display_name(path);
        let key_columns = key_columns(
            path,
            &header.columns,
            &self.options.profile.case_key,
            header.line,
        )?;
        // The [case_key] columns are used (they tell cases apart): not unknown to `validate`.
        header
            .columns
            .unknown
            .retain(|index| !key_columns.contains(index));
        let conditions = conditions::resolve_all(
            path,
            &header.columns,
            &self.options.profile.procedure_rules,
            &self.options.profile.conditional_fields,
            header.line,
        )?;
        let context = SourceContext {
            path,
            name: &name,
            columns: &header.columns,
            scope: &scope,
            options: self.options,
            encoding: guess.encoding,
            tentative_utf8: guess.tentative,
            not_utf8_at: guess.not_utf8_at,
            delimiter: header.delimiter,
            key_columns,
            conditions,
        };
        let layout = Layout {
            data_start: header.data_start,
            first_line: header.line + header.lines_in_header,
            delimiter: header.delimiter,
            block_bytes: self.options.block_bytes.max(1),
            threads: self.options.parser_threads(),
        };
        let (rows, sha256) = self.read_rows(input, &context, &layout, source_index)?;
        self.quality.rows_read += rows;
        self.table.register.sources.push(Source {
            name,
            sha256,
            rows,
            encoding: guess.encoding,
            delimiter: header.delimiter,
            header_line: header.line,
            scope,
            columns: header.columns,
        });
        Ok(())
    }

    /// Lines above the header (a title, an export date …) are not data; say so, never hide them.
    fn report_skipped_lines(&mut self, path: &Path, header: &FileHeader) {
        for (index, text) in header.skipped_lines.iter().enumerate() {
            self.quality.problems.push(Problem {
                file: display_name(path),
                line: index as u64 + 1,
                column: String::new(),
                value: text.clone(),
                reason: format!("above the header row (line {}); skipped", header.line),
            });
        }
    }

    /// How a file's cases are put in or out of scope: by the options, its business flag column,
    /// or the profile's list of causes.
    fn scope_rule(&self, columns: &ColumnMap) -> ScopeRule {
        if self.options.scope_all {
            ScopeRule::AllRequested
        } else if columns.has(Field::Business) {
            ScopeRule::BusinessFlag
        } else if !self.options.profile.scope_causes.is_empty() {
            ScopeRule::CauseList
        } else {
            ScopeRule::AllNoScopeData
        }
    }

    /// Parse a file's rows on every core and merge them in file order: the rows read and the
    /// SHA-256 of the file's bytes.
    fn read_rows(
        &mut self,
        input: &Input,
        context: &SourceContext<'_>,
        layout: &Layout,
        source_index: u16,
    ) -> std::result::Result<(u64, String), ReadStop> {
        let path = context.path;
        let progress = progress_bar(path, input.len(), self.options.show_progress);
        let mut rows = 0u64;
        let ending = read_blocks(
            path,
            input,
            layout,
            progress.as_ref(),
            |block| parse_block(context, &block),
            |parsed| {
                rows += parsed.rows;
                self.merge(context, source_index, parsed)
            },
        )?;
        input.check_unchanged(Some(ending.bytes_read))?;
        if let Some(line) = ending.unterminated_at {
            return Err(Error::input(
                path,
                Some(line),
                "unterminated quoted field: a quote opened in this row is never closed",
            )
            .into());
        }
        if let Some(progress) = &progress {
            progress.finish_and_clear();
        }
        Ok((rows, ending.sha256))
    }
}

/// About how many rows a file holds, from the rows in its first bytes.
fn estimated_rows(len: u64, prefix: &[u8], data_start: u64) -> usize {
    let start = (data_start as usize).min(prefix.len());
    let sample = &prefix[start..];
    let rows = memchr::memchr_iter(b'\n', sample).count().max(1) as u64;
    let bytes = sample.len().max(1) as u64;
    (len.saturating_sub(data_start) * rows / bytes + 16) as usize
}
