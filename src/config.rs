//! The optional config file (`--config casemetrics.toml`): extra header names, the causes that
//! define business-environment scope, and the plausible date range.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::dates::{self, DateRange};
use crate::error::{Error, Result};
use crate::fields::{Field, HeaderAliases};

/// What a config file says, checked.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Header names recognised for each field, the built-in ones plus `[columns]`.
    pub aliases: HeaderAliases,
    /// `[scope] causes`: with no business flag column, a case is in scope when its cause is listed.
    pub scope_causes: Vec<String>,
    /// `[dates] earliest / latest`: dates outside are invalid (default 1950-01-01..2099-12-31).
    pub date_range: DateRange,
    /// The file the config came from, if any.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    scope: ScopeSection,
    #[serde(default)]
    dates: DatesSection,
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
}

impl Config {
    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::config(path, format!("cannot read config: {error}")))?;
        Config::parse(&text, path)
    }

    /// Check the text of a config file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
            Error::config(
                path,
                format!("not a valid config: {}", one_line(&error.to_string())),
            )
        })?;
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        for (header, field_name) in &file.columns {
            let field = Field::from_id(field_name).ok_or_else(|| {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
                Error::config(
                    path,
                    format!(
                        "[columns] maps \"{header}\" to unknown field \"{field_name}\"; known fields: {}",
                        known.join(", ")
                    ),
                )
            })?;
            config.aliases.add(header, field);
        }
        config.scope_causes = file
            .scope
            .causes
            .iter()
            .map(|cause| cause.trim().to_string())
            .collect();
        let mut range = DateRange::default();
        let wide = DateRange {
            first: i32::MIN,
            last: i32::MAX,
        };
        for (value, slot, key) in [
            (&file.dates.earliest, &mut range.first, "earliest"),
            (&file.dates.latest, &mut range.last, "latest"),
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
        config.date_range = range;
        Ok(config)
    }
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
        let config = Config::parse(
            "[columns]\n\"Reg Date\" = \"filed_at\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(config.aliases.field_of("reg date"), Some(Field::FiledAt));
        let error =
            Config::parse("[columns]\n\"X\" = \"filing\"\n", Path::new("c.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("c.toml: [columns] maps \"X\" to unknown field \"filing\"")
        );
    }

    #[test]
    fn scope_causes_and_date_range() {
        let text = "[scope]\ncauses = [\" 买卖合同纠纷 \"]\n[dates]\nearliest = \"2000-01-01\"\n";
        let config = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(config.scope_causes, vec!["买卖合同纠纷".to_string()]);
        let first = dates::day_number(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        assert_eq!(config.date_range.first, first);
    }

    #[test]
    fn broken_toml_is_one_line_naming_the_file() {
        let error = Config::parse("[columns\n", Path::new("bad.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("bad.toml: not a valid config"), "{error}");
        assert!(!error.contains('\n'));
    }
}
