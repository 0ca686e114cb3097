//! The profile (`--profile FILE.toml`, `--config` is the same option): how one court system's
//! export maps onto the fields — header names (one header may feed several fields), how the
//! procedure is read (a column's values, or case-class codes), what identifies a case, how an
//! appeal finds its first-instance case, date formats and the plausible date range, and the causes
//! that define business-environment scope. The built-in profile `cn` (Chinese case-management
//! exports) is written out in full in `examples/profiles/cn.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::calendar::DateRange;
use crate::model::fields::{Field, HeaderAliases};
use crate::read::case_number::{CourtLevel, Procedure};
use crate::read::conditions::{Condition, ConditionalField, ProcedureRule};
use crate::read::dates;

/// How case numbers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseNumberFormat {
    /// Chinese case numbers (案号): court level and procedure are read from them, and one that
    /// does not read is counted invalid.
    #[default]
    Cn,
    /// Any text: a case number is only an identifier.
    Text,
    /// Brazil's CNJ numbers (NNNNNNN-DD.AAAA.J.TR.OOOO): the year is read and the check digits
    /// verified; one that does not read is counted invalid.
    Cnj,
}

/// How an appeal row finds the first-instance case it appeals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppealLink {
    /// The original-case-number column (原审案号) names it.
    #[default]
    OriginalCaseNo,
    /// The first-instance row has the same case number (systems that keep one number through
    /// every instance).
    SameCaseNumber,
}

/// Where the appeal transfer (appeal_transfer_days) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppealStart {
    /// The first-instance court's receipt of the appeal (上诉状收到日期), spec §1.
    #[default]
    AppealReceivedAt,
    /// The closing (judgment) date of the linked first-instance case, for exports without a
    /// receipt date (issue 15, point 2): a different definition, said in every output.
    FirstInstanceClosedAt,
}

impl AppealStart {
    /// The id written in a profile and shown in outputs.
    pub fn id(self) -> &'static str {
        match self {
            AppealStart::AppealReceivedAt => "appeal_received_at",
            AppealStart::FirstInstanceClosedAt => "first_instance_closed_at",
        }
    }
}

/// What a config file says, checked.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Header names recognised for each field, the built-in ones plus `[columns]`.
    pub aliases: HeaderAliases,
    /// `[scope] causes`: with no business flag column, a case is in scope when its cause is listed.
    pub scope_causes: Vec<String>,
    /// `[dates] earliest / latest`: dates outside are invalid (default 1950-01-01..2099-12-31).
    pub date_range: DateRange,
    /// `[profile] name`.
    pub name: String,
    /// `[profile] court`: the court whose export this is (洛阳市中级人民法院), the published page's
    /// heading unless `--title` gives one.
    pub court: Option<String>,
    /// `[case_numbers] format`.
    pub case_numbers: CaseNumberFormat,
    /// `[procedure.values]`: a procedure column's values and the procedure each means; empty: the
    /// built-in Chinese labels (普通程序, 二审, 首次执行 …).
    pub procedure_values: BTreeMap<String, Procedure>,
    /// `[procedure.case_classes]`: case-class (type) codes of case numbers and the procedure each
    /// means, over the built-in table.
    pub case_classes: BTreeMap<String, Procedure>,
    /// `[court_level] default`: the level of a case whose number and court name do not tell it.
    pub default_court_level: Option<CourtLevel>,
    /// `[case_key] columns`: the headers whose cells together identify a case (empty: the case
    /// number).
    pub case_key: Vec<String>,
    /// `[appeal] link`.
    pub appeal_link: AppealLink,
    /// `[dates] formats`: chrono formats tried before the built-in ones (`rfc3339` for ISO 8601
    /// with `T` and a zone).
    pub date_formats: Vec<String>,
    /// `[[procedure.rules]]`: procedures by conditions over several columns; the first that holds
    /// wins, before any procedure column or case number.
    pub procedure_rules: Vec<ProcedureRule>,
    /// `[procedure] default`: the procedure of rows no rule matches (None: such a row is
    /// reported and counted as other).
    pub procedure_default: Option<Procedure>,
    /// `[columns]` mappings with `when`.
    pub conditional_fields: Vec<ConditionalField>,
    /// `[appeal] start`.
    pub appeal_start: AppealStart,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    profile: ProfileSection,
    #[serde(default)]
    columns: BTreeMap<String, ColumnMapping>,
    #[serde(default)]
    scope: ScopeSection,
    #[serde(default)]
    dates: DatesSection,
    #[serde(default)]
    case_numbers: CaseNumbersSection,
    #[serde(default)]
    procedure: ProcedureSection,
    #[serde(default)]
    court_level: CourtLevelSection,
    #[serde(default)]
    case_key: CaseKeySection,
    #[serde(default)]
    appeal: AppealSection,
    #[serde(default)]
    ignore: IgnoreSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSection {
    #[serde(default)]
    columns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one),
            OneOrMany::Many(many) => many.as_slice(),
        }
    }
}

/// A `[columns]` entry: a field, several fields, or `{ field = "…", when = { … } }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColumnMapping {
    Fields(OneOrMany),
    When(ConditionalMapping),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionalMapping {
    field: String,
    when: BTreeMap<String, OneOrMany>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    when: BTreeMap<String, OneOrMany>,
    then: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileSection {
    name: Option<String>,
    /// The court whose export this is: the HTML page's heading when `--title` is not given.
    court: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseNumbersSection {
    format: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureSection {
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    case_classes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rules: Vec<RuleEntry>,
    default: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourtLevelSection {
    default: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseKeySection {
    #[serde(default)]
    columns: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealSection {
    link: Option<String>,
    start: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeSection {
    #[serde(default)]
    causes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesSection {
    earliest: Option<String>,
    latest: Option<String>,
    #[serde(default)]
    formats: Vec<String>,
}

impl Profile {
    /// The built-in profile, or a profile file. A bare name (no directory, not ending in `.toml`)
    /// is a built-in profile — `cn`, the Chinese court systems' export — even if a file of that
    /// name lies in the current directory; an unknown one is a usage error listing those built
    /// in. A path (`./cn`, `profiles/x`) or a `.toml` name is a file.
    pub fn load_profile(name_or_path: &Path) -> Result<Profile> {
        const BUILT_IN: [&str; 1] = ["cn"];
        let is_toml = name_or_path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
        let mut components = name_or_path.components();
        let bare = matches!(
            (components.next(), components.next()),
            (Some(std::path::Component::Normal(_)), None)
        ) && !name_or_path.to_string_lossy().contains(['/', '\\']);
        if !bare || is_toml {
            return Profile::load(name_or_path);
        }
        let name = name_or_path.to_string_lossy();
        match name.as_ref() {
            "cn" => Ok(Profile::default()),
            _ => Err(Error::Usage(format!(
                "--profile {name}: no built-in profile of that name (built in: {}); a profile file is given by a path or a .toml name, e.g. ./{name} or {name}.toml",
                BUILT_IN.join(", ")
            ))),
        }
    }

    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<Profile> {
        let text = read_settings_file(path, "config")?;
        Profile::parse(&text, path)
    }

    /// Check the text of a config file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Profile> {
        let file: ProfileFile = toml::from_str(text).map_err(|error| {
            Error::config(
                path,
                format!("not a valid config: {}", one_line(&error.to_string())),
            )
        })?;
        let mut config = Profile::default();
        add_column_aliases(&mut config.aliases, &file.columns, path)?;
        for header in &file.ignore.columns {
            config.aliases.ignore(header.trim());
        }
        config.name = file.profile.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        config.court = file
            .profile
            .court
            .clone()
            .filter(|court| !court.trim().is_empty());
        config.case_numbers = case_number_format(file.case_numbers.format.as_deref(), path)?;
        check_case_classes_apply(&file, config.case_numbers, path)?;
        for (value, id) in &file.procedure.values {
            config
                .procedure_values
                .insert(value.trim().to_string(), procedure(id, "values", path)?);
        }
        for (id, codes) in &file.procedure.case_classes {
            let meaning = procedure(id, "case_classes", path)?;
            for code in codes {
                config.case_classes.insert(code.trim().to_string(), meaning);
            }
        }
        config.default_court_level =
            default_court_level(file.court_level.default.as_deref(), path)?;
        config.case_key = trimmed(&file.case_key.columns);
        config.appeal_link = appeal_link(file.appeal.link.as_deref(), path)?;
        config.appeal_start = appeal_start(file.appeal.start.as_deref(), path)?;
        if config.appeal_start == AppealStart::FirstInstanceClosedAt
            && !config
                .aliases
                .mapped_names(Field::AppealReceivedAt)
                .is_empty()
        {
            return Err(Error::config(
                path,
                "[appeal] start = \"first_instance_closed_at\" takes no appeal_received_at column: remove its [columns] mapping",
            ));
        }
        config.procedure_rules = procedure_rules(&file.procedure.rules, path)?;
        config.procedure_default = match &file.procedure.default {
            Some(id) => Some(procedure(id, "default", path)?),
            None => None,
        };
        config.conditional_fields = conditional_fields(&file.columns, path)?;
        check_date_formats(&file.dates.formats, path)?;
        config.date_formats = file.dates.formats.clone();
        config.scope_causes = trimmed(&file.scope.causes);
        config.date_range = date_range(&file.dates, path)?;
        Ok(config)
    }
}

/// `[columns]`: each header and the fields it supplies.
fn add_column_aliases(
    aliases: &mut HeaderAliases,
    columns: &BTreeMap<String, ColumnMapping>,
    path: &Path,
) -> Result<()> {
    for (header, mapping) in columns {
        let names = match mapping {
            ColumnMapping::Fields(names) => names.as_slice(),
            ColumnMapping::When(conditional) => std::slice::from_ref(&conditional.field),
        };
        let mut fields = Vec::new();
        for field_name in names {
            fields.push(field(header, field_name, path)?);
        }
        aliases.add_all(header, &fields);
    }
    Ok(())
}

/// The field `[columns]` maps `header` to.
fn field(header: &str, field_name: &str, path: &Path) -> Result<Field> {
    Field::from_id(field_name).ok_or_else(|| {
        let known: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
        Error::config(
            path,
            format!(
                "[columns] maps \"{header}\" to unknown field \"{field_name}\"; known fields: {}",
                known.join(", ")
            ),
        )
    })
}

/// `[columns]` entries with `when`.
fn conditional_fields(
    columns: &BTreeMap<String, ColumnMapping>,
    path: &Path,
) -> Result<Vec<ConditionalField>> {
    let mut fields = Vec::new();
    for (header, mapping) in columns {
        if let ColumnMapping::When(conditional) = mapping {
            let key = format!("[columns] \"{header}\" when");
            fields.push(ConditionalField {
                field: field(header, &conditional.field, path)?,
                when: condition(&conditional.when, &key, path)?,
            });
        }
    }
    Ok(fields)
}

/// A `when` table, checked: at least one column, each with at least one value.
fn condition(when: &BTreeMap<String, OneOrMany>, key: &str, path: &Path) -> Result<Condition> {
    if when.is_empty() {
        return Err(Error::config(path, format!("{key} names no column")));
    }
    let mut cells = Vec::new();
    for (header, values) in when {
        if values.as_slice().is_empty() {
            return Err(Error::config(
                path,
                format!("{key}: column \"{header}\" has no value"),
            ));
        }
        cells.push((header.trim().to_string(), trimmed(values.as_slice())));
    }
    Ok(Condition { cells })
}

/// `[[procedure.rules]]`, in order.
fn procedure_rules(rules: &[RuleEntry], path: &Path) -> Result<Vec<ProcedureRule>> {
    rules
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            let key = format!("[[procedure.rules]] (rule {})", index + 1);
            Ok(ProcedureRule {
                when: condition(&rule.when, &key, path)?,
                then: procedure(&rule.then, "rules", path)?,
            })
        })
        .collect()
}

/// `[case_numbers] format`.
fn case_number_format(format: Option<&str>, path: &Path) -> Result<CaseNumberFormat> {
    match format {
        None | Some("cn") => Ok(CaseNumberFormat::Cn),
        Some("text") => Ok(CaseNumberFormat::Text),
        Some("cnj") => Ok(CaseNumberFormat::Cnj),
        Some(other) => Err(Error::config(
            path,
            format!("[case_numbers] format = \"{other}\" is not one of: cn, text, cnj"),
        )),
    }
}

/// `[procedure.case_classes]` reads the class code of a 案号; with `format = "text"` no number is
/// read, so the section would be silently ignored: an error instead (issue 15, point 5).
fn check_case_classes_apply(
    file: &ProfileFile,
    format: CaseNumberFormat,
    path: &Path,
) -> Result<()> {
    if format != CaseNumberFormat::Cn && !file.procedure.case_classes.is_empty() {
        return Err(Error::config(
            path,
            "[procedure.case_classes] needs 案号 case numbers ([case_numbers] format = \"cn\"); text and CNJ numbers carry no case class: use [procedure.values] or [[procedure.rules]]",
        ));
    }
    Ok(())
}

/// A procedure named in `[procedure.<section>]`.
fn procedure(text: &str, section: &str, path: &Path) -> Result<Procedure> {
    Procedure::from_id(text).ok_or_else(|| {
        Error::config(
            path,
            format!(
                "[procedure.{section}] names unknown procedure \"{text}\"; known: {}",
                Procedure::ALL
                    .iter()
                    .map(|p| p.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// `[court_level] default`.
fn default_court_level(text: Option<&str>, path: &Path) -> Result<Option<CourtLevel>> {
    match text {
        None => Ok(None),
        Some(text) => Ok(Some(CourtLevel::parse_id(text).ok_or_else(|| {
            Error::config(
                path,
                format!(
                    "[court_level] default = \"{text}\" is not one of: high, intermediate, basic"
                ),
            )
        })?)),
    }
}

/// Largest profile or targets file read: a settings file is a few kilobytes; anything larger
/// (`--profile /dev/zero`) is not one and is refused before it fills the memory.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// The text of a profile or targets file (`what` names it in errors), refusing one over 1 MiB.
pub(crate) fn read_settings_file(path: &Path, what: &str) -> Result<String> {
    use std::io::Read;
    let cannot =
        |error: std::io::Error| Error::config(path, format!("cannot read {what}: {error}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SETTINGS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SETTINGS_BYTES {
        return Err(Error::config(
            path,
            format!("{what} larger than 1 MiB: not a {what}"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::config(path, format!("cannot read {what}: not UTF-8 text")))
}

/// Each text trimmed.
fn trimmed(texts: &[String]) -> Vec<String> {
    texts.iter().map(|text| text.trim().to_string()).collect()
}

/// `[appeal] link`.
fn appeal_link(link: Option<&str>, path: &Path) -> Result<AppealLink> {
    match link {
        None | Some("original_case_no") => Ok(AppealLink::OriginalCaseNo),
        Some("same_case_number") => Ok(AppealLink::SameCaseNumber),
        Some(other) => Err(Error::config(
            path,
            format!(
                "[appeal] link = \"{other}\" is not one of: original_case_no, same_case_number"
            ),
        )),
    }
}

/// `[appeal] start`.
fn appeal_start(start: Option<&str>, path: &Path) -> Result<AppealStart> {
    match start {
        None | Some("appeal_received_at") => Ok(AppealStart::AppealReceivedAt),
        Some("first_instance_closed_at") => Ok(AppealStart::FirstInstanceClosedAt),
        Some(other) => Err(Error::config(
            path,
            format!(
                "[appeal] start = \"{other}\" is not one of: appeal_received_at, first_instance_closed_at"
            ),
        )),
    }
}

/// `[dates] formats`: chrono's formats (with `%`) or `rfc3339`.
fn check_date_formats(formats: &[String], path: &Path) -> Result<()> {
    for format in formats {
        if format != dates::RFC3339 && !format.contains('%') {
            return Err(Error::config(
                path,
                format!(
                    "[dates] formats: \"{format}\" is not a date format (chrono's, like %d/%m/%Y, or rfc3339)"
                ),
            ));
        }
    }
    Ok(())
}

/// `[dates] earliest / latest`, each defaulting to the built-in range's end.
fn date_range(section: &DatesSection, path: &Path) -> Result<DateRange> {
    let mut range = DateRange::default();
    let wide = DateRange {
        first: i32::MIN,
        last: i32::MAX,
    };
    for (value, slot, key) in [
        (&section.earliest, &mut range.first, "earliest"),
        (&section.latest, &mut range.last, "latest"),
    ] {
        if let Some(text) = value {
            *slot = match dates::parse_day(text, &wide) {
                Ok(Some(day)) => day,
                _ => {
                    return Err(Error::config(
                        path,
                        format!("[dates] {key} = \"{text}\" is not a date"),
                    ));
                }
            };
        }
    }
    if range.first > range.last {
        return Err(Error::config(path, "[dates] earliest is after latest"));
    }
    Ok(range)
}

/// toml's messages span several lines; an error line must be one line.
pub(crate) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('|') && !line.starts_with('^'))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_map_any_header_and_reject_unknown_fields() {
        let config = Profile::parse(
            "[columns]\n\"Reg Date\" = \"filed_at\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(config.aliases.field_of("reg date"), Some(Field::FiledAt));
        let error =
            Profile::parse("[columns]\n\"X\" = \"filing\"\n", Path::new("c.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("c.toml: [columns] maps \"X\" to unknown field \"filing\"")
        );
    }

    #[test]
    fn scope_causes_and_date_range() {
        let text = "[scope]\ncauses = [\" 买卖合同纠纷 \"]\n[dates]\nearliest = \"2000-01-01\"\n";
        let config = Profile::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(config.scope_causes, vec!["买卖合同纠纷".to_string()]);
        let first = crate::model::calendar::day_number(
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        );
        assert_eq!(config.date_range.first, first);
    }

    #[test]
    fn case_classes_with_text_numbers_is_an_error_naming_the_key() {
        let text = "[case_numbers]\nformat = \"text\"\n[procedure.case_classes]\nfirst_instance = [\"7\"]\n";
        let error = Profile::parse(text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("p.toml: [procedure.case_classes] needs 案号 case numbers"),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }

    #[test]
    fn rules_default_conditional_columns_and_appeal_start() {
        let text = "[columns]\n\"data_julgamento\" = { field = \"closed_at\", when = { movimento = \"22\" } }\n\
            [procedure]\ndefault = \"other\"\n\
            [[procedure.rules]]\nwhen = { grau = \"G1\", codigo_classe = [\"156\", \"12078\"] }\nthen = \"first_enforcement\"\n\
            [appeal]\nstart = \"first_instance_closed_at\"\n";
        let config = Profile::parse(text, Path::new("p.toml")).unwrap();
        assert_eq!(config.procedure_rules.len(), 1);
        assert_eq!(config.procedure_rules[0].then, Procedure::FirstEnforcement);
        assert_eq!(
            config.procedure_rules[0].when.cells,
            vec![
                (
                    "codigo_classe".to_string(),
                    vec!["156".to_string(), "12078".to_string()]
                ),
                ("grau".to_string(), vec!["G1".to_string()]),
            ]
        );
        assert_eq!(config.procedure_default, Some(Procedure::Other));
        assert_eq!(config.conditional_fields[0].field, Field::ClosedAt);
        assert_eq!(
            config.aliases.field_of("data_julgamento"),
            Some(Field::ClosedAt)
        );
        assert_eq!(config.appeal_start, AppealStart::FirstInstanceClosedAt);
        let bad = "[[procedure.rules]]\nwhen = { grau = \"G1\" }\nthen = \"first\"\n";
        let error = Profile::parse(bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("p.toml: [procedure.rules] names unknown procedure \"first\""),
            "{error}"
        );
        let empty = "[[procedure.rules]]\nwhen = {}\nthen = \"other\"\n";
        let error = Profile::parse(empty, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "p.toml: [[procedure.rules]] (rule 1) names no column"
        );
    }

    #[test]
    fn ignore_columns_drops_a_header() {
        let config =
            Profile::parse("[ignore]\ncolumns = [\" court \"]\n", Path::new("p.toml")).unwrap();
        assert!(config.aliases.is_ignored("Court"));
        assert!(!config.aliases.is_ignored("court_name"));
    }

    #[test]
    fn broken_toml_is_one_line_naming_the_file() {
        let error = Profile::parse("[columns\n", Path::new("bad.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("bad.toml: not a valid config"), "{error}");
        assert!(!error.contains('\n'));
    }
}
