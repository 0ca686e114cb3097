//! Command-line interface: every option defined once, here; `--help` is generated from it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::period::Compare;
use crate::read::encoding::EncodingChoice;
pub use crate::render::labels::Lang;

/// Court timeliness indicators from case-management exports.
#[derive(Debug, Parser)]
#[command(
    name = "casemetrics",
    version,
    about = "Court timeliness indicators (立案审查平均时长, 一审/二审平均审理天数, 上诉移转天数, 首次执行平均办理天数) from case-management exports",
    after_help = "Exit codes: 0 ok, 1 input or output error (also: input changed while read, --max-rejected-share exceeded), 2 usage error, 3 a target was missed (with --fail-on-miss), 130/143 interrupted (Ctrl-C, SIGTERM).\nExamples: casemetrics report data-samples/luoyang-2021.csv --period 2021 --by court\n          casemetrics validate data-samples/dirty.csv --details\n          casemetrics profile draft export.csv > court.toml"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute the five indicators (and the further plan figures the export has columns for),
    /// check them against their targets, and print the report.
    Report(ReportArgs),
    /// List every case behind one indicator's figure (or every case left out of it), for audit.
    Cases(CasesArgs),
    /// Data-quality report: rows read, duplicates, missing and invalid values per field.
    Validate(ValidateArgs),
    /// Long-pending ledger (长期未结案件台账) at a date: open cases over 365 days or past their
    /// statutory limit, the age profile of the open caseload and the disposition time.
    Pending(PendingArgs),
    /// Draft a profile from an export (`profile draft`), or check one against it (`profile
    /// check`) before a report.
    #[command(subcommand)]
    Profile(ProfileCommand),
}

/// `casemetrics profile …`.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Write a commented profile (TOML) guessed from an export's header and first rows: each
    /// header mapped to the field it most likely is (built-in names active, guesses commented out
    /// with their evidence), date formats, procedure-like values as rule stubs, case-key
    /// candidates, the encoding and delimiter found.
    #[command(
        after_help = "Example: casemetrics profile draft export.csv > court.toml && casemetrics profile check export.csv --profile court.toml"
    )]
    Draft(DraftArgs),
    /// Read an export with a profile and show, per field, the column used and why, its filled,
    /// empty and invalid cells (as `validate` counts them) and five example values, then the
    /// cases per procedure. Exit 0 when the profile reads the export.
    Check(CheckArgs),
}

/// One export file and how to read it, for `profile draft` and `profile check`.
#[derive(Debug, Clone, Args)]
pub struct FileArgs {
    /// The export (CSV in UTF-8 or GB18030, .xlsx, .xls or .parquet); `-` reads standard input
    /// (CSV).
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    /// Text encoding of the input.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingOption,
    /// Field delimiter: `,`, `;`, `tab` (default: detected from the header line).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Worksheet to read from an .xlsx/.xls input (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// `casemetrics profile draft`.
#[derive(Debug, Clone, Args)]
pub struct DraftArgs {
    /// The export and how to read it.
    #[command(flatten)]
    pub file: FileArgs,
    /// Data rows read (from the top) to guess from.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub sample_rows: u32,
    /// Write the profile to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `casemetrics profile check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The export and how to read it.
    #[command(flatten)]
    pub file: FileArgs,
    /// The profile to check: `cn` (built in) or a TOML file (`--config` is the same option).
    #[arg(long, alias = "config", value_name = "cn|FILE")]
    pub profile: PathBuf,
    /// The day of the run: a date after it is invalid ("in the future"). Default: today's date
    /// (in UTC+14).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ValidateFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Where the export comes from and how to read it.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Export files (CSV in UTF-8 or GB18030, .xlsx, .xls or .parquet), read as one export; `-` reads
    /// standard input (CSV).
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Text encoding of the inputs.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingOption,
    /// Field delimiter: `,`, `;`, `tab` (default: detected from the header line).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Profile of the court system's export: `cn` (built in, the default; written out in
    /// examples/profiles/cn.toml) or a TOML file mapping headers, procedures, case keys, appeal
    /// links, date formats and scope (`--config` is the same option).
    #[arg(long, alias = "config", value_name = "cn|FILE")]
    pub profile: Option<PathBuf>,
    /// Worksheet to read from every .xlsx/.xls input (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Threads parsing rows; 0 (the default) = one per core. The output never depends on it.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
    /// Fail (exit 1, nothing written) when more than this share (0..1) of the rows read were not
    /// used as cases: no case number, a conflicting case number, or no readable date at all.
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub max_rejected_share: Option<f64>,
    /// The day of the run: a date after it is invalid ("in the future"). Default: today's date
    /// (in UTC+14, so no time zone is ahead of it); give it to make a rerun byte-identical.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// `--encoding`: the encoding a user forces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingOption {
    /// Detect: BOM → UTF-8; valid UTF-8 → UTF-8; otherwise GB18030.
    Auto,
    /// UTF-8 (a BOM, if present, is skipped).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (also reads GBK and GB2312).
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
}

impl From<EncodingOption> for EncodingChoice {
    fn from(option: EncodingOption) -> EncodingChoice {
        match option {
            EncodingOption::Auto => EncodingChoice::Auto,
            EncodingOption::Utf8 => EncodingChoice::Utf8,
            EncodingOption::Gb18030 => EncodingChoice::Gb18030,
        }
    }
}

/// A share from 0 to 1, e.g. `0.05`.
fn parse_share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!(
            "\"{text}\" is not a share from 0 to 1 (e.g. 0.05 for 5 %)"
        )),
    }
}

/// Which cases a figure covers.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Period: YYYY-MM, YYYY-Qn or YYYY, by each indicator's attribution date (registration or closing).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of the period (inclusive), e.g. 2021-01-01.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Scope: `auto` = business flag column, else the profile's [scope] causes, else all; `all` = every case.
    #[arg(long, value_enum, default_value = "auto")]
    pub scope: ScopeChoice,
    /// Report days without subtracting deducted days (扣除审限天数).
    #[arg(long)]
    pub gross: bool,
}

/// `--scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeChoice {
    /// Business flag column, else the profile's cause list, else every case.
    Auto,
    /// Every case.
    All,
}

/// `casemetrics report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Where the export comes from and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which cases a figure covers.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Break down by: court, court_level, month, quarter, cause, department, judge (comma-separated).
    #[arg(long, value_name = "KEYS")]
    pub by: Option<String>,
    /// Targets file (TOML) overriding the 2021 plan's targets; see examples/targets.toml.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Output format [default: from the extension of --output (.csv .md .json .html .xlsx), else
    /// table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The HTML page's heading and title, e.g. "洛阳市中级人民法院 2021年6月审判执行效率指标".
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Write to FILE (atomically) instead of standard output. Repeat for several outputs of one
    /// run (`-o june.xlsx -o june.md`): each takes its format from its extension.
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Language of headers and labels in table, CSV, Markdown and xlsx (JSON keys never change).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
    /// Begin CSV with a UTF-8 byte-order mark, so that Excel opens it (double-click) as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Add each figure of an earlier period and the change: `previous` (the period of the same
    /// length just before) or `last-year` (the same dates a year earlier). Needs a period.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub compare: Option<CompareOption>,
    /// Exit with code 3 when any figure misses its target.
    #[arg(long)]
    pub fail_on_miss: bool,
    /// Print nothing but errors (the report still goes to --output).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A terminal table (comfy-table).
    Table,
    /// CSV, one row per indicator and group.
    Csv,
    /// Markdown, ready to paste into the monthly report.
    Markdown,
    /// JSON with unrounded numbers (documented in docs/outputs.md).
    Json,
    /// One self-contained HTML page to publish: figures, monthly charts, break-down, data quality.
    Html,
    /// An Excel workbook: sheets 指标 Figures, 法院 Courts, 数据质量 Data quality, 说明 About.
    Xlsx,
}

/// `--compare`: which earlier period a report is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareOption {
    /// The period of the same length just before (the month before a month, the quarter before
    /// a quarter, the year before a year, the same number of days before a date range).
    Previous,
    /// The same dates one year earlier (同比).
    LastYear,
}

impl From<CompareOption> for Compare {
    fn from(option: CompareOption) -> Compare {
        match option {
            CompareOption::Previous => Compare::Previous,
            CompareOption::LastYear => Compare::LastYear,
        }
    }
}

/// Output formats of `cases`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A terminal table.
    Table,
    /// CSV.
    Csv,
    /// An Excel workbook with the listing as sheet 案件 Cases (at most 1,048,575 cases: use CSV
    /// beyond).
    Xlsx,
}

/// `casemetrics cases`.
#[derive(Debug, Clone, Args)]
pub struct CasesArgs {
    /// Where the export comes from and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which cases a figure covers.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The indicator: filing_review_days, first_instance_days, appeal_transfer_days, second_instance_days, first_enforcement_days, second_instance_half_limit_share, enforcement_lag_days, bankruptcy_days. (clearance_rate_first_instance, clearance_rate_second_instance, clearance_rate_ip_first_instance, clearance_rate_ip_second_instance, funds_paid_within_30_days_share, judgments_online_share, trials_streamed_share, bankruptcy_cost_share and creditor_recovery_rate are not one duration per case and are not listed.)
    /// With --excluded it may be left out: then every listable indicator's excluded cases are
    /// listed together, with an indicator column.
    #[arg(long, short, required_unless_present = "excluded")]
    pub indicator: Option<String>,
    /// List the cases left out of the figure, with the reason, instead of those counted.
    #[arg(long)]
    pub excluded: bool,
    /// Only cases of this court (as written in 经办法院).
    #[arg(long)]
    pub court: Option<String>,
    /// Only the cases of one report group, KEY=LABEL as the report shows it (repeat for several
    /// keys), e.g. --group court=洛阳市老城区人民法院 --group month=2021-04.
    #[arg(long, value_name = "KEY=LABEL")]
    pub group: Vec<String>,
    /// Output format [default: from the extension of --output (.csv .xlsx), else table].
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
    /// Begin CSV with a UTF-8 byte-order mark, so that Excel opens it (double-click) as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// A terminal table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

/// `casemetrics validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Where the export comes from and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// List every problem: file, line, column, value, reason.
    #[arg(long)]
    pub details: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ValidateFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output formats of `pending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LedgerFormat {
    /// A terminal table: the ledger, then the counts, age profile and disposition time.
    Table,
    /// CSV: the ledger alone, one row per listed case.
    Csv,
    /// Markdown: the ledger, the age-profile table and the summary lines.
    Markdown,
    /// JSON: ledger, counts, age profile, disposition time with its inputs (unrounded).
    Json,
    /// An Excel workbook: sheets 台账 Ledger and 账龄 Age profile (counts, disposition time).
    Xlsx,
}

/// `casemetrics pending`.
#[derive(Debug, Clone, Args)]
pub struct PendingArgs {
    /// Where the export comes from and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// The date the ledger is drawn up at, e.g. 2021-12-31: cases registered on or before it and
    /// not closed by it are open.
    #[arg(long, value_name = "DATE")]
    pub as_of: String,
    /// Scope: `auto` = business flag column, else the profile's [scope] causes, else all; `all` = every case.
    #[arg(long, value_enum, default_value = "auto")]
    pub scope: ScopeChoice,
    /// Deducted days (扣除审限天数) do not extend the statutory limits.
    #[arg(long)]
    pub gross: bool,
    /// Only cases of this court (as written in 经办法院).
    #[arg(long)]
    pub court: Option<String>,
    /// Output format [default: from the extension of --output (.csv .md .json .xlsx), else
    /// table].
    #[arg(long, value_enum)]
    pub format: Option<LedgerFormat>,
    /// Begin CSV with a UTF-8 byte-order mark, so that Excel opens it (double-click) as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
