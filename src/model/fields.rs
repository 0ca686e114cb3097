//! The fields of a case export (spec §3) and the header names that supply them.

use std::collections::BTreeMap;
use std::fmt;

/// One field of a case record, independent of how a court system names its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 案号: the case number, the key of a case.
    CaseNo,
    /// 经办法院: the court that handles the case.
    Court,
    /// 案由: the cause of action.
    Cause,
    /// 审判程序: the procedure, when the export states it explicitly.
    Procedure,
    /// 涉营商环境 / 绿标签: whether the case concerns the business environment.
    Business,
    /// 收到材料日期: the day the court received the complaint or application.
    ReceivedAt,
    /// 立案日期: the day the case was registered.
    FiledAt,
    /// 结案日期: the day the case was closed.
    ClosedAt,
    /// 结案方式: how the case was closed.
    ClosingMethod,
    /// 扣除审限天数: days not counted against the time limit (notice, appraisal, suspension …).
    DeductedDays,
    /// 上诉状收到日期: the day the first-instance court received the appeal.
    AppealReceivedAt,
    /// 原审案号: the first-instance case an appeal comes from.
    OriginalCaseNo,
    /// 承办部门: the department (tribunal) handling the case.
    Department,
    /// 承办人: the judge handling the case.
    Judge,
    /// 上诉对象: whether an appeal is against a judgment (判决) or a ruling (裁定).
    AppealAgainst,
    /// 生效日期: the day the judgment being enforced came into force (on enforcement rows).
    InForceAt,
    /// 案款到账日期: the day case funds reached the court's account.
    FundsReceivedAt,
    /// 案款发放日期: the day those funds were paid out.
    FundsPaidAt,
    /// 文书上网: whether the judgment was published online (是/否).
    JudgmentOnline,
    /// 庭审直播: whether the trial was streamed live (是/否).
    TrialStreamed,
    /// 破产费用: bankruptcy costs, in yuan.
    BankruptcyCosts,
    /// 破产财产总额: the value of the bankruptcy estate, in yuan.
    EstateValue,
    /// 债权总额: creditors' claims, in yuan.
    ClaimsTotal,
    /// 债权清偿额: claims paid, in yuan.
    ClaimsPaid,
}

/// How many fields there are; arrays indexed by `Field as usize` have this length.
pub const FIELD_COUNT: usize = 24;

impl Field {
    /// Every field, in the order of spec §3.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::CaseNo,
        Field::Court,
        Field::Cause,
        Field::Procedure,
        Field::Business,
        Field::ReceivedAt,
        Field::FiledAt,
        Field::ClosedAt,
        Field::ClosingMethod,
        Field::DeductedDays,
        Field::AppealReceivedAt,
        Field::OriginalCaseNo,
        Field::Department,
        Field::Judge,
        Field::AppealAgainst,
        Field::InForceAt,
        Field::FundsReceivedAt,
        Field::FundsPaidAt,
        Field::JudgmentOnline,
        Field::TrialStreamed,
        Field::BankruptcyCosts,
        Field::EstateValue,
        Field::ClaimsTotal,
        Field::ClaimsPaid,
    ];

    /// The canonical (English) name, as used in configs, JSON and `--details`.
    pub fn id(self) -> &'static str {
        match self {
            Field::CaseNo => "case_no",
            Field::Court => "court",
            Field::Cause => "cause",
            Field::Procedure => "procedure",
            Field::Business => "business",
            Field::ReceivedAt => "received_at",
            Field::FiledAt => "filed_at",
            Field::ClosedAt => "closed_at",
            Field::ClosingMethod => "closing_method",
            Field::DeductedDays => "deducted_days",
            Field::AppealReceivedAt => "appeal_received_at",
            Field::OriginalCaseNo => "original_case_no",
            Field::Department => "department",
            Field::Judge => "judge",
            Field::AppealAgainst => "appeal_against",
            Field::InForceAt => "in_force_at",
            Field::FundsReceivedAt => "funds_received_at",
            Field::FundsPaidAt => "funds_paid_at",
            Field::JudgmentOnline => "judgment_online",
            Field::TrialStreamed => "trial_streamed",
            Field::BankruptcyCosts => "bankruptcy_costs",
            Field::EstateValue => "estate_value",
            Field::ClaimsTotal => "claims_total",
            Field::ClaimsPaid => "claims_paid",
        }
    }

    /// The Chinese column labels recognised for this field (spec §3).
    pub fn chinese_labels(self) -> &'static [&'static str] {
        match self {
            Field::CaseNo => &["案号"],
            Field::Court => &["经办法院", "承办法院", "法院", "法院名称"],
            Field::Cause => &["案由"],
            Field::Procedure => &["审判程序", "案件类型"],
            Field::Business => &["涉营商环境", "绿标签"],
            Field::ReceivedAt => &["收到材料日期", "收到诉状日期", "收到起诉材料日期"],
            Field::FiledAt => &["立案日期", "收案日期"],
            Field::ClosedAt => &["结案日期"],
            Field::ClosingMethod => &["结案方式"],
            Field::DeductedDays => &["扣除审限天数"],
            Field::AppealReceivedAt => &["上诉状收到日期", "收到上诉状日期", "上诉日期"],
            Field::OriginalCaseNo => &["原审案号", "一审案号"],
            Field::Department => &["承办部门", "承办庭"],
            Field::Judge => &["承办人", "承办法官"],
            Field::AppealAgainst => &["上诉对象", "裁判类型", "原审裁判类型"],
            Field::InForceAt => &["生效日期", "裁判生效日期", "判决生效日期"],
            Field::FundsReceivedAt => &["案款到账日期", "到账日期"],
            Field::FundsPaidAt => &["案款发放日期", "发放日期"],
            Field::JudgmentOnline => &["文书上网", "是否上网", "文书是否上网"],
            Field::TrialStreamed => &["庭审直播", "是否直播", "庭审是否直播"],
            Field::BankruptcyCosts => &["破产费用"],
            Field::EstateValue => &["破产财产总额", "破产财产"],
            Field::ClaimsTotal => &["债权总额", "申报债权总额"],
            Field::ClaimsPaid => &["债权清偿额", "清偿债权额"],
        }
    }

    /// The pinyin-initial database codes recognised for this field (spec §3).
    pub fn database_codes(self) -> &'static [&'static str] {
        match self {
            Field::CaseNo => &["AH"],
            Field::Court => &["FYMC"],
            Field::Cause => &["LAAY", "LAAYMC", "SAAY"],
            Field::Procedure => &["SPCX"],
            Field::ReceivedAt => &["SDSZRQ", "SDCLRQ"],
            Field::FiledAt => &["LARQ"],
            Field::ClosedAt => &["JARQ"],
            Field::ClosingMethod => &["JAFS"],
            Field::DeductedDays => &["KCSXTS"],
            Field::Department => &["CBBM"],
            Field::Judge => &["CBR"],
            Field::Business
            | Field::AppealReceivedAt
            | Field::OriginalCaseNo
            | Field::AppealAgainst
            | Field::InForceAt
            | Field::FundsReceivedAt
            | Field::FundsPaidAt
            | Field::JudgmentOnline
            | Field::TrialStreamed
            | Field::BankruptcyCosts
            | Field::EstateValue
            | Field::ClaimsTotal
            | Field::ClaimsPaid => &[],
        }
    }

    /// Whether the field holds an amount of money (yuan, kept as whole fen).
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Field::BankruptcyCosts | Field::EstateValue | Field::ClaimsTotal | Field::ClaimsPaid
        )
    }

    /// Whether the field holds a date.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::ReceivedAt
                | Field::FiledAt
                | Field::ClosedAt
                | Field::AppealReceivedAt
                | Field::InForceAt
                | Field::FundsReceivedAt
                | Field::FundsPaidAt
        )
    }

    /// The field whose canonical name is `id`.
    pub fn from_id(id: &str) -> Option<Field> {
        let id = normalize_header(id);
        Field::ALL.into_iter().find(|field| field.id() == id)
    }

    /// Every header name accepted for this field, for error messages and the README.
    pub fn accepted_names(self) -> Vec<&'static str> {
        let mut names = vec![self.id()];
        names.extend_from_slice(self.chinese_labels());
        names.extend_from_slice(self.database_codes());
        names
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The form in which headers are compared: surrounding ASCII and full-width spaces removed, ASCII
/// letters lower-cased (spec §3: case-insensitive, spaces ignored).
pub fn normalize_header(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}')
        .to_ascii_lowercase()
}

/// Recognises header names: the built-in names of every field plus a user's `[columns]` mapping.
#[derive(Debug, Clone)]
pub struct HeaderAliases {
    by_name: BTreeMap<String, Field>,
    /// Further fields a header feeds besides its first (a profile may map one header to several).
    also: BTreeMap<String, Vec<Field>>,
}

impl Default for HeaderAliases {
    fn default() -> Self {
        let mut by_name = BTreeMap::new();
        for field in Field::ALL {
            for name in field.accepted_names() {
                by_name.insert(normalize_header(name), field);
            }
        }
        HeaderAliases {
            by_name,
            also: BTreeMap::new(),
        }
    }
}

impl HeaderAliases {
    /// Map one more header name to a field; a user's mapping overrides a built-in one.
    pub fn add(&mut self, header: &str, field: Field) {
        self.by_name.insert(normalize_header(header), field);
    }

    /// Map a header to several fields at once (the first as `add`, the others besides it).
    pub fn add_all(&mut self, header: &str, fields: &[Field]) {
        let Some((first, rest)) = fields.split_first() else {
            return;
        };
        self.add(header, *first);
        self.also.insert(normalize_header(header), rest.to_vec());
    }

    /// The field a header supplies, if any.
    pub fn field_of(&self, header: &str) -> Option<Field> {
        self.by_name.get(&normalize_header(header)).copied()
    }

    /// Every field a header supplies.
    pub fn fields_of(&self, header: &str) -> Vec<Field> {
        let name = normalize_header(header);
        let mut fields: Vec<Field> = self.by_name.get(&name).copied().into_iter().collect();
        fields.extend(self.also.get(&name).into_iter().flatten().copied());
        fields
    }
}

/// Which column of one file supplies each field, and which columns were left unused.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// For each field (indexed by `Field as usize`), the index of the column that supplies it.
    pub column_of: [Option<usize>; FIELD_COUNT],
    /// The file's headers, as written.
    pub headers: Vec<String>,
    /// Columns that supply no field (unknown headers), by index.
    pub unknown: Vec<usize>,
    /// Columns that name a field another column already supplies: (column, field); the first wins.
    pub shadowed: Vec<(usize, Field)>,
}

impl ColumnMap {
    /// Match a file's headers against the aliases.
    pub fn new(headers: Vec<String>, aliases: &HeaderAliases) -> ColumnMap {
        let mut map = ColumnMap {
            headers,
            ..ColumnMap::default()
        };
        for (index, header) in map.headers.iter().enumerate() {
            let fields = aliases.fields_of(header);
            if fields.is_empty() {
                map.unknown.push(index);
            }
            for field in fields {
                match map.column_of[field as usize] {
                    None => map.column_of[field as usize] = Some(index),
                    Some(_) => map.shadowed.push((index, field)),
                }
            }
        }
        map
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.column_of[field as usize].is_some()
    }

    /// The header (as written in the file) that supplies `field`, or the field's id when absent.
    pub fn header_of(&self, field: Field) -> &str {
        match self.column_of[field as usize] {
            Some(index) => &self.headers[index],
            None => field.id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_canonical_chinese_and_code_names_ignoring_case_and_spaces() {
        let aliases = HeaderAliases::default();
        assert_eq!(aliases.field_of("case_no"), Some(Field::CaseNo));
        assert_eq!(aliases.field_of(" 案号\u{3000}"), Some(Field::CaseNo));
        assert_eq!(aliases.field_of("ah"), Some(Field::CaseNo));
        assert_eq!(aliases.field_of("LaRq"), Some(Field::FiledAt));
        assert_eq!(
            aliases.field_of("收到起诉材料日期"),
            Some(Field::ReceivedAt)
        );
        assert_eq!(aliases.field_of("KCSXTS"), Some(Field::DeductedDays));
        assert_eq!(aliases.field_of("备注"), None);
    }

    #[test]
    fn first_column_for_a_field_wins_and_the_rest_are_listed() {
        let headers = vec![
            "案号".into(),
            "立案日期".into(),
            "收案日期".into(),
            "备注".into(),
        ];
        let map = ColumnMap::new(headers, &HeaderAliases::default());
        assert_eq!(map.column_of[Field::FiledAt as usize], Some(1));
        assert_eq!(map.shadowed, vec![(2, Field::FiledAt)]);
        assert_eq!(map.unknown, vec![3]);
        assert_eq!(map.header_of(Field::FiledAt), "立案日期");
    }

    #[test]
    fn user_mapping_adds_a_header() {
        let mut aliases = HeaderAliases::default();
        aliases.add("Registered On", Field::FiledAt);
        assert_eq!(aliases.field_of("registered on"), Some(Field::FiledAt));
    }
}
