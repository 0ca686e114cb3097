//! What an export contained that could not be used: rejected rows, duplicates, missing and invalid
//! values. Every problem keeps its file, line, column and value so an auditor can find it.

use serde::Serialize;

use crate::model::fields::{FIELD_COUNT, Field};

/// One problem found while reading: a bad value, or a row that was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input file, as named on the command line (`-` for standard input).
    pub file: String,
    /// The line where the row starts (the header is line 1).
    pub line: u64,
    /// The column header as written in the file; empty for a problem with the whole row.
    pub column: String,
    /// The value as written.
    pub value: String,
    /// Why it could not be used.
    pub reason: String,
}

/// Missing and invalid values of one field across all inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FieldCounts {
    /// Cells left empty.
    pub missing: u64,
    /// Cells with a value that could not be read.
    pub invalid: u64,
}

/// The data-quality account of a whole run's input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// Data rows read (the header not counted), over all files.
    pub rows_read: u64,
    /// Rows identical in every column to an earlier row: counted once.
    pub duplicates: u64,
    /// Rows sharing an earlier row's case number but differing elsewhere: the first is kept.
    pub conflicting: u64,
    /// Rows that cannot be a case at all (no case number).
    pub rejected: u64,
    /// Missing and invalid values per field, indexed by `Field as usize`, over kept rows.
    pub fields: [FieldCounts; FIELD_COUNT],
    /// Every invalid value and every row not kept, in input order.
    pub problems: Vec<Problem>,
    /// The kept cases by scope: in it, out of it, and without a business flag.
    pub scope: ScopeCounts,
    /// Rows whose case number was typed with full-width digits, letters or signs (２０２１, Ａ) and
    /// read as their ASCII form, so that a case typed both ways is one case.
    pub case_numbers_normalised: u64,
}

/// The reason `validate --details` gives for a blank business flag (counted as
/// `ScopeCounts::without_flag`).
pub const BLANK_BUSINESS_FLAG: &str = "blank business flag: case out of scope";

/// How many kept cases are in the business-environment scope, how many are not, and how many of
/// these have a blank business flag (涉营商环境): a blank flag is out of scope, and must not make
/// the figures shrink unseen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScopeCounts {
    /// Cases in scope.
    pub in_scope: u64,
    /// Cases out of scope (a blank or unreadable flag included).
    pub out_of_scope: u64,
    /// Cases out of scope because their business flag is blank.
    pub without_flag: u64,
}

impl Quality {
    /// Rows kept as cases.
    pub fn rows_used(&self) -> u64 {
        self.rows_read - self.duplicates - self.conflicting - self.rejected
    }

    /// The rows read that were not used as cases (`--max-rejected-share`), given the kept rows
    /// without any readable date (`CaseColumns::rows_without_any_date`). Exact duplicates are not
    /// among them: they are the same case, counted once.
    pub fn unused(&self, no_readable_date: u64) -> Unused {
        Unused {
            rejected: self.rejected,
            conflicting: self.conflicting,
            no_readable_date,
        }
    }

    /// Counts for one field.
    pub fn field(&self, field: Field) -> FieldCounts {
        self.fields[field as usize]
    }
}

/// Rows read that were not used as cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unused {
    /// Rows with no case number.
    pub rejected: u64,
    /// Later rows reusing a case number with other values.
    pub conflicting: u64,
    /// Kept rows whose every date is missing or unreadable: they can enter no indicator.
    pub no_readable_date: u64,
}

impl Unused {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.rejected + self.conflicting + self.no_readable_date
    }
}
