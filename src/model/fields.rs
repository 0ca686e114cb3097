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

/// A date field of a case, in the order its compact column is kept (`CaseColumns::date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateField {
    /// 收到材料日期.
    Received,
    /// 立案日期.
    Filed,
    /// 结案日期.
    Closed,
    /// 上诉状收到日期, as written on the row itself.
    AppealReceived,
    /// 生效日期.
    InForce,
    /// 案款到账日期.
    FundsReceived,
    /// 案款发放日期.
    FundsPaid,
}

/// A label field of a case, stored as dictionary codes (`CaseColumns::label`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabelField {
    /// 经办法院.
    Court,
    /// 案由.
    Cause,
    /// 承办部门.
    Department,
    /// 承办人.
    Judge,
}

/// A further plan field holding a one-byte code per case: 上诉对象 or a yes/no flag
/// (`CaseColumns::code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeField {
    /// 上诉对象: judgment or ruling.
    AppealAgainst,
    /// 文书上网: yes or no.
    JudgmentOnline,
    /// 庭审直播: yes or no.
    TrialStreamed,
}

/// A further plan field holding an amount of money per case, kept as whole fen
/// (`CaseColumns::amount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AmountField {
    /// 破产费用.
    BankruptcyCosts,
    /// 破产财产总额.
    EstateValue,
    /// 债权总额.
    ClaimsTotal,
    /// 债权清偿额.
    ClaimsPaid,
}

/// How the cells of a code field are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeParser {
    /// 判决 (judgment) or 裁定 (ruling).
    JudgmentOrRuling,
    /// 是/否 and the like, as 1 or 0.
    YesNo,
}

/// What a field's cells hold, and so how they are read, stored and handed to polars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// The case number: the key of a case (case-number store).
    CaseNumber,
    /// A label kept as a dictionary code.
    Label(LabelField),
    /// Text read only where a rule needs it (结案方式 is counted; 原审案号 links appeals).
    Text,
    /// The procedure column (folded with the case number's type code into the case's kind).
    Procedure,
    /// The business-environment flag (folded into the case's scope bit).
    BusinessFlag,
    /// A date (with time of day for the two dates filing review measures).
    Date(DateField),
    /// 扣除审限天数: whole days.
    DeductedDays,
    /// A one-byte code (上诉对象, a yes/no flag).
    Code(CodeField),
    /// An amount of money in yuan.
    Amount(AmountField),
}

/// One row of the field table: everything casemetrics knows about a field, read by every layer
/// (header recognition, cell parsing, compact storage, the polars frame, `validate`, the docs).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The field.
    pub field: Field,
    /// The canonical (English) name, as used in profiles, JSON and `--details`.
    pub id: &'static str,
    /// The Chinese column labels recognised (spec §3).
    pub chinese: &'static [&'static str],
    /// The pinyin-initial database codes recognised (spec §3).
    pub codes: &'static [&'static str],
    /// What its cells hold.
    pub kind: FieldKind,
}

const fn spec(
    field: Field,
    id: &'static str,
    chinese: &'static [&'static str],
    codes: &'static [&'static str],
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        field,
        id,
        chinese,
        codes,
        kind,
    }
}

/// The field table, in the order of spec §3 (`Field as usize` indexes it).
pub const FIELDS: [FieldSpec; FIELD_COUNT] = [
    spec(
        Field::CaseNo,
        "case_no",
        &["案号"],
        &["AH"],
        FieldKind::CaseNumber,
    ),
    spec(
        Field::Court,
        "court",
        &["经办法院", "承办法院", "法院", "法院名称"],
        &["FYMC"],
        FieldKind::Label(LabelField::Court),
    ),
    spec(
        Field::Cause,
        "cause",
        &["案由"],
        &["LAAY", "LAAYMC", "SAAY"],
        FieldKind::Label(LabelField::Cause),
    ),
    spec(
        Field::Procedure,
        "procedure",
        &["审判程序", "案件类型"],
        &["SPCX"],
        FieldKind::Procedure,
    ),
    spec(
        Field::Business,
        "business",
        &["涉营商环境", "绿标签"],
        &[],
        FieldKind::BusinessFlag,
    ),
    spec(
        Field::ReceivedAt,
        "received_at",
        &["收到材料日期", "收到诉状日期", "收到起诉材料日期"],
        &["SDSZRQ", "SDCLRQ"],
        FieldKind::Date(DateField::Received),
    ),
    spec(
        Field::FiledAt,
        "filed_at",
        &["立案日期", "收案日期"],
        &["LARQ"],
        FieldKind::Date(DateField::Filed),
    ),
    spec(
        Field::ClosedAt,
        "closed_at",
        &["结案日期"],
        &["JARQ"],
        FieldKind::Date(DateField::Closed),
    ),
    spec(
        Field::ClosingMethod,
        "closing_method",
        &["结案方式"],
        &["JAFS"],
        FieldKind::Text,
    ),
    spec(
        Field::DeductedDays,
        "deducted_days",
        &["扣除审限天数"],
        &["KCSXTS"],
        FieldKind::DeductedDays,
    ),
    spec(
        Field::AppealReceivedAt,
        "appeal_received_at",
        &["上诉状收到日期", "收到上诉状日期", "上诉日期"],
        &[],
        FieldKind::Date(DateField::AppealReceived),
    ),
    spec(
        Field::OriginalCaseNo,
        "original_case_no",
        &["原审案号", "一审案号"],
        &[],
        FieldKind::Text,
    ),
    spec(
        Field::Department,
        "department",
        &["承办部门", "承办庭"],
        &["CBBM"],
        FieldKind::Label(LabelField::Department),
    ),
    spec(
        Field::Judge,
        "judge",
        &["承办人", "承办法官"],
        &["CBR"],
        FieldKind::Label(LabelField::Judge),
    ),
    spec(
        Field::AppealAgainst,
        "appeal_against",
        &["上诉对象", "裁判类型", "原审裁判类型"],
        &[],
        FieldKind::Code(CodeField::AppealAgainst),
    ),
    spec(
        Field::InForceAt,
        "in_force_at",
        &["生效日期", "裁判生效日期", "判决生效日期"],
        &[],
        FieldKind::Date(DateField::InForce),
    ),
    spec(
        Field::FundsReceivedAt,
        "funds_received_at",
        &["案款到账日期", "到账日期"],
        &[],
        FieldKind::Date(DateField::FundsReceived),
    ),
    spec(
        Field::FundsPaidAt,
        "funds_paid_at",
        &["案款发放日期", "发放日期"],
        &[],
        FieldKind::Date(DateField::FundsPaid),
    ),
    spec(
        Field::JudgmentOnline,
        "judgment_online",
        &["文书上网", "是否上网", "文书是否上网"],
        &[],
        FieldKind::Code(CodeField::JudgmentOnline),
    ),
    spec(
        Field::TrialStreamed,
        "trial_streamed",
        &["庭审直播", "是否直播", "庭审是否直播"],
        &[],
        FieldKind::Code(CodeField::TrialStreamed),
    ),
    spec(
        Field::BankruptcyCosts,
        "bankruptcy_costs",
        &["破产费用"],
        &[],
        FieldKind::Amount(AmountField::BankruptcyCosts),
    ),
    spec(
        Field::EstateValue,
        "estate_value",
        &["破产财产总额", "破产财产"],
        &[],
        FieldKind::Amount(AmountField::EstateValue),
    ),
    spec(
        Field::ClaimsTotal,
        "claims_total",
        &["债权总额", "申报债权总额"],
        &[],
        FieldKind::Amount(AmountField::ClaimsTotal),
    ),
    spec(
        Field::ClaimsPaid,
        "claims_paid",
        &["债权清偿额", "清偿债权额"],
        &[],
        FieldKind::Amount(AmountField::ClaimsPaid),
    ),
];

impl Field {
    /// Every field, in the order of spec §3.
    pub const ALL: [Field; FIELD_COUNT] = {
        let mut all = [Field::CaseNo; FIELD_COUNT];
        let mut index = 0;
        while index < FIELD_COUNT {
            all[index] = FIELDS[index].field;
            index += 1;
        }
        all
    };

    /// This field's row of the field table.
    pub fn spec(self) -> &'static FieldSpec {
        &FIELDS[self as usize]
    }

    /// The canonical (English) name, as used in profiles, JSON and `--details`.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The Chinese column labels recognised for this field (spec §3).
    pub fn chinese_labels(self) -> &'static [&'static str] {
        self.spec().chinese
    }

    /// The pinyin-initial database codes recognised for this field (spec §3).
    pub fn database_codes(self) -> &'static [&'static str] {
        self.spec().codes
    }

    /// What the field's cells hold.
    pub fn kind(self) -> FieldKind {
        self.spec().kind
    }

    /// The field whose canonical name is `id`.
    pub fn from_id(id: &str) -> Option<Field> {
        let id = normalize_header(id);
        Field::ALL.into_iter().find(|field| field.id() == id)
    }

    /// Which kind of built-in name `header` is for this field: "Chinese name", "database code"
    /// or "id"; None when it is none of them.
    pub fn built_in_name_kind(self, header: &str) -> Option<&'static str> {
        let header = normalize_header(header);
        let is = |names: &[&str]| names.iter().any(|n| normalize_header(n) == header);
        if is(self.chinese_labels()) {
            Some("Chinese name")
        } else if is(self.database_codes()) {
            Some("database code")
        } else {
            (self.id() == header).then_some("id")
        }
    }

    /// Every header name accepted for this field, for error messages and the docs.
    pub fn accepted_names(self) -> Vec<&'static str> {
        let mut names = vec![self.id()];
        names.extend_from_slice(self.chinese_labels());
        names.extend_from_slice(self.database_codes());
        names
    }
}

impl DateField {
    /// Every date field, in storage order.
    pub const ALL: [DateField; 7] = [
        DateField::Received,
        DateField::Filed,
        DateField::Closed,
        DateField::AppealReceived,
        DateField::InForce,
        DateField::FundsReceived,
        DateField::FundsPaid,
    ];

    /// The field of the export.
    pub fn field(self) -> Field {
        match self {
            DateField::Received => Field::ReceivedAt,
            DateField::Filed => Field::FiledAt,
            DateField::Closed => Field::ClosedAt,
            DateField::AppealReceived => Field::AppealReceivedAt,
            DateField::InForce => Field::InForceAt,
            DateField::FundsReceived => Field::FundsReceivedAt,
            DateField::FundsPaid => Field::FundsPaidAt,
        }
    }

    /// Whether the time of day is kept: filing review measures hours from receipt to
    /// registration (spec §1).
    pub fn keeps_time(self) -> bool {
        matches!(self, DateField::Received | DateField::Filed)
    }

    /// Whether the column is sparse: kept only once an input has it (a further plan field).
    pub fn is_sparse(self) -> bool {
        matches!(
            self,
            DateField::InForce | DateField::FundsReceived | DateField::FundsPaid
        )
    }
}

impl LabelField {
    /// Every label field, in storage order.
    pub const ALL: [LabelField; 4] = [
        LabelField::Court,
        LabelField::Cause,
        LabelField::Department,
        LabelField::Judge,
    ];

    /// The field of the export.
    pub fn field(self) -> Field {
        match self {
            LabelField::Court => Field::Court,
            LabelField::Cause => Field::Cause,
            LabelField::Department => Field::Department,
            LabelField::Judge => Field::Judge,
        }
    }
}

impl CodeField {
    /// Every code field, in storage order.
    pub const ALL: [CodeField; 3] = [
        CodeField::AppealAgainst,
        CodeField::JudgmentOnline,
        CodeField::TrialStreamed,
    ];

    /// The field of the export.
    pub fn field(self) -> Field {
        match self {
            CodeField::AppealAgainst => Field::AppealAgainst,
            CodeField::JudgmentOnline => Field::JudgmentOnline,
            CodeField::TrialStreamed => Field::TrialStreamed,
        }
    }

    /// How its cells are read.
    pub fn parser(self) -> CodeParser {
        match self {
            CodeField::AppealAgainst => CodeParser::JudgmentOrRuling,
            CodeField::JudgmentOnline | CodeField::TrialStreamed => CodeParser::YesNo,
        }
    }
}

impl AmountField {
    /// Every amount field, in storage order.
    pub const ALL: [AmountField; 4] = [
        AmountField::BankruptcyCosts,
        AmountField::EstateValue,
        AmountField::ClaimsTotal,
        AmountField::ClaimsPaid,
    ];

    /// The field of the export.
    pub fn field(self) -> Field {
        match self {
            AmountField::BankruptcyCosts => Field::BankruptcyCosts,
            AmountField::EstateValue => Field::EstateValue,
            AmountField::ClaimsTotal => Field::ClaimsTotal,
            AmountField::ClaimsPaid => Field::ClaimsPaid,
        }
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
    /// Headers a profile's `[columns]` maps, as written, with their first field: they win over
    /// built-in names.
    mapped: Vec<(String, Field)>,
    /// Headers a profile says to ignore (normalised).
    ignored: Vec<String>,
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
            mapped: Vec::new(),
            ignored: Vec::new(),
        }
    }
}

impl HeaderAliases {
    /// Map one more header name to a field; a user's mapping overrides a built-in one.
    pub fn add(&mut self, header: &str, field: Field) {
        self.by_name.insert(normalize_header(header), field);
    }

    /// Map a header to several fields at once (the first as `add`, the others besides it), as a
    /// profile's `[columns]` does: such a header wins over a built-in name of the same field.
    pub fn add_all(&mut self, header: &str, fields: &[Field]) {
        let Some((first, rest)) = fields.split_first() else {
            return;
        };
        self.add(header, *first);
        self.also.insert(normalize_header(header), rest.to_vec());
        self.mapped.push((header.to_string(), *first));
        for field in rest {
            self.mapped.push((header.to_string(), *field));
        }
    }

    /// A header whose column supplies nothing (a profile's `[ignore] columns`).
    pub fn ignore(&mut self, header: &str) {
        self.ignored.push(normalize_header(header));
    }

    /// Whether a profile maps this header explicitly.
    pub fn is_mapped(&self, header: &str) -> bool {
        let name = normalize_header(header);
        self.mapped.iter().any(|(h, _)| normalize_header(h) == name)
    }

    /// Whether a profile says to ignore this header.
    pub fn is_ignored(&self, header: &str) -> bool {
        self.ignored.contains(&normalize_header(header))
    }

    /// The headers a profile maps to `field`, as written.
    pub fn mapped_names(&self, field: Field) -> Vec<&str> {
        self.mapped
            .iter()
            .filter(|(_, f)| *f == field)
            .map(|(header, _)| header.as_str())
            .collect()
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
    /// Columns that supply no field (unknown headers) and are not in the profile's `[case_key]`,
    /// by index.
    pub unknown: Vec<usize>,
    /// Columns that name a field another column already supplies: (column, field); a column the
    /// profile maps wins, then the first.
    pub shadowed: Vec<(usize, Field)>,
    /// Columns a profile says to ignore, by index.
    pub ignored: Vec<usize>,
    /// Columns a profile's `[columns]` maps, by index (why they supply their fields).
    pub mapped: Vec<usize>,
}

impl ColumnMap {
    /// Match a file's headers against the aliases.
    pub fn new(headers: Vec<String>, aliases: &HeaderAliases) -> ColumnMap {
        let mut map = ColumnMap {
            headers,
            ..ColumnMap::default()
        };
        // why: a profile's mapping says what a column means in this export; a column whose
        // header merely happens to be a field's built-in name must not take the field from it
        // (issue 15, point 4). Mapped columns claim their fields first, then the others.
        let mapped: Vec<bool> = map.headers.iter().map(|h| aliases.is_mapped(h)).collect();
        map.mapped = (0..map.headers.len()).filter(|&i| mapped[i]).collect();
        let mut claims: Vec<(usize, Field)> = Vec::new();
        for pass_mapped in [true, false] {
            for (index, header) in map.headers.iter().enumerate() {
                if mapped[index] != pass_mapped || aliases.is_ignored(header) {
                    continue;
                }
                claims.extend(aliases.fields_of(header).into_iter().map(|f| (index, f)));
            }
        }
        for (index, field) in claims {
            match map.column_of[field as usize] {
                None => map.column_of[field as usize] = Some(index),
                Some(_) => map.shadowed.push((index, field)),
            }
        }
        for (index, header) in map.headers.iter().enumerate() {
            if aliases.is_ignored(header) {
                map.ignored.push(index);
            } else if aliases.fields_of(header).is_empty() {
                map.unknown.push(index);
            }
        }
        map.shadowed.sort();
        map
    }

    /// Whether the column supplying `field` is one the profile's `[columns]` maps.
    pub fn is_mapped(&self, field: Field) -> bool {
        self.column_of[field as usize].is_some_and(|index| self.mapped.contains(&index))
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
    fn the_field_table_is_in_field_order_and_each_kind_points_back_to_its_field() {
        for (index, spec) in FIELDS.iter().enumerate() {
            assert_eq!(spec.field as usize, index, "{}", spec.id);
            let back = match spec.kind {
                FieldKind::Label(label) => Some(label.field()),
                FieldKind::Date(date) => Some(date.field()),
                FieldKind::Code(code) => Some(code.field()),
                FieldKind::Amount(amount) => Some(amount.field()),
                _ => None,
            };
            assert!(back.is_none_or(|field| field == spec.field), "{}", spec.id);
        }
    }

    #[test]
    fn a_profile_mapping_wins_over_an_earlier_built_in_name_and_ignore_drops_a_column() {
        // Headers of issue 15's reproduction: "court" (column 1) is a built-in name of court,
        // but the profile maps "court_name" (column 2) to court.
        let headers: Vec<String> = ["case_number", "court", "court_name", "filing_date"]
            .map(String::from)
            .to_vec();
        let mut aliases = HeaderAliases::default();
        aliases.add_all("court_name", &[Field::Court]);
        let map = ColumnMap::new(headers.clone(), &aliases);
        assert_eq!(map.column_of[Field::Court as usize], Some(2));
        assert_eq!(map.shadowed, vec![(1, Field::Court)]);
        assert!(map.is_mapped(Field::Court));
        let mut aliases = HeaderAliases::default();
        aliases.ignore("court");
        let map = ColumnMap::new(headers, &aliases);
        assert_eq!(map.column_of[Field::Court as usize], None);
        assert_eq!(map.ignored, vec![1]);
        assert_eq!(map.unknown, vec![0, 2, 3]);
    }

    #[test]
    fn user_mapping_adds_a_header() {
        let mut aliases = HeaderAliases::default();
        aliases.add("Registered On", Field::FiledAt);
        assert_eq!(aliases.field_of("registered on"), Some(Field::FiledAt));
    }
}
