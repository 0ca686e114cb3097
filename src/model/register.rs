//! Who and where each kept case is: the input files as read, each case's file, line and case
//! number, and the labels (courts, causes, departments, judges) its dictionary codes stand for.

use std::collections::HashMap;

use crate::read::encoding::TextEncoding;

/// Labels (court names, causes …) stored once, referred to by code. Code 0 is the empty label.
#[derive(Debug, Clone)]
pub struct Dictionary {
    labels: Vec<String>,
    codes: HashMap<String, u32, crate::model::case_keys::FixedState>,
}

impl Default for Dictionary {
    fn default() -> Self {
        Dictionary {
            labels: vec![String::new()],
            codes: {
                let mut codes = HashMap::with_hasher(crate::model::case_keys::FixedState);
                codes.insert(String::new(), 0);
                codes
            },
        }
    }
}

impl Dictionary {
    /// The code of `label`, adding it if new.
    pub fn code(&mut self, label: &str) -> u32 {
        if let Some(&code) = self.codes.get(label) {
            return code;
        }
        let code = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.codes.insert(label.to_string(), code);
        code
    }

    /// Every label, by code.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The codes here of every label of `other`, indexed by `other`'s codes (adding new labels).
    pub fn remap(&mut self, other: &Dictionary) -> Vec<u32> {
        other.labels.iter().map(|label| self.code(label)).collect()
    }

    /// Forget the labels from code `len` on.
    pub fn truncate(&mut self, len: usize) {
        for label in self.labels.drain(len.max(1)..) {
            self.codes.remove(&label);
        }
    }

    /// The label of `code` (empty for 0 or an unknown code).
    pub fn label(&self, code: u32) -> &str {
        self.labels.get(code as usize).map_or("", String::as_str)
    }
}

/// How one input decided which cases are business-environment cases (spec §1, "Scope").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRule {
    /// The business flag column (涉营商环境 / 绿标签) is truthy.
    BusinessFlag,
    /// No flag column: the cause (案由) is one of the configured causes.
    CauseList,
    /// Neither a flag column nor a cause list: every case.
    AllNoScopeData,
    /// `--scope all`: every case, whatever the export says.
    AllRequested,
}

impl ScopeRule {
    /// Short id for JSON and CSV.
    pub fn id(&self) -> &'static str {
        match self {
            ScopeRule::BusinessFlag => "business_flag",
            ScopeRule::CauseList => "cause_list",
            ScopeRule::AllNoScopeData => "all",
            ScopeRule::AllRequested => "all_requested",
        }
    }

    /// Sentence for people.
    pub fn describe(&self) -> &'static str {
        match self {
            ScopeRule::BusinessFlag => {
                "business-environment cases: business flag column (涉营商环境) is 是/Y/yes/true/1"
            }
            ScopeRule::CauseList => {
                "business-environment cases: cause (案由) is one of the config's [scope] causes"
            }
            ScopeRule::AllNoScopeData => {
                "all cases: the export has no business flag column and no cause list is configured"
            }
            ScopeRule::AllRequested => "all cases (--scope all)",
        }
    }
}

/// One input file as read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name given on the command line (`-` for standard input).
    pub name: String,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// The encoding it was read in.
    pub encoding: TextEncoding,
    /// The field delimiter.
    pub delimiter: u8,
    /// Line of the header row (1 unless title lines stand above it).
    pub header_line: u64,
    /// How it decided scope.
    pub scope: ScopeRule,
    /// Headers as written, and which field each supplies.
    pub columns: crate::model::fields::ColumnMap,
}

impl Source {
    /// The input as every JSON output names it: path, SHA-256, rows, encoding, delimiter, header
    /// line and scope rule.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "path": self.name,
            "sha256": self.sha256,
            "rows": self.rows,
            "encoding": self.encoding.id(),
            "delimiter": (self.delimiter as char).to_string(),
            "header_line": self.header_line,
            "scope": self.scope.id(),
        })
    }
}

/// No row: a block's case row that was not kept (a duplicate or conflicting row), while merging.
pub const NO_ROW: u32 = u32::MAX;

/// Who and where each kept case is: its file, line and case number, and the labels its codes
/// stand for. Row `i` here is row `i` of `CaseColumns`.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// The input files.
    pub sources: Vec<Source>,
    /// The first case of each input file: file `i` holds cases `source_starts[i]` up to the next
    /// file's first (cases are kept file by file, so ranges take the place of a file per case).
    source_starts: Vec<u32>,
    /// Line where each case's row starts in its file.
    pub line: Vec<u32>,
    /// Case numbers (canonical form: half-width brackets, no spaces), 8 bytes each.
    pub case_numbers: crate::model::case_keys::CaseNumbers,
    /// Court names (经办法院), by code.
    pub courts: Dictionary,
    /// Causes (案由), by code.
    pub causes: Dictionary,
    /// Departments (承办部门), by code.
    pub departments: Dictionary,
    /// Judges (承办人), by code.
    pub judges: Dictionary,
    /// Where the appeal transfer starts (the profile's `[appeal] start`), to say in outputs.
    pub appeal_start: crate::read::profile::AppealStart,
    /// The court the profile names (`[profile] court`), for the published page's heading.
    pub court_name: Option<String>,
}

impl Register {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// The header(s) that supplied `field`, over all inputs, joined by ` / `; `None` when no input
    /// has the field.
    pub fn columns_of(&self, field: crate::model::fields::Field) -> Option<String> {
        let mut names: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.columns.has(field))
            .map(|s| s.columns.header_of(field))
            .collect();
        names.dedup();
        (!names.is_empty()).then(|| names.join(" / "))
    }

    /// The index in `sources` of case `row`'s file.
    pub fn source_of(&self, row: usize) -> usize {
        self.source_starts
            .partition_point(|&first| first as usize <= row)
            .saturating_sub(1)
    }

    /// Note that cases from here on come from file `index` (files are read in order).
    pub fn begin_source(&mut self, index: usize) {
        while self.source_starts.len() <= index {
            self.source_starts.push(self.len() as u32);
        }
    }

    /// Forget the file starts after case `len`, when the cases from `len` on are dropped.
    pub fn truncate_sources(&mut self, len: usize) {
        self.source_starts.retain(|&first| first as usize <= len);
    }

    /// The file name of case `row`.
    pub fn source_name(&self, row: usize) -> &str {
        &self.sources[self.source_of(row)].name
    }
}
