//! Sample-data generator for casemetrics: a realistic one-year case-management
//! export (CSV) for the courts of Luoyang (洛阳市), with the fields, case numbers
//! and date formats described in the domain reference (spec/indicators.md).
//!
//! ```text
//! cargo run --release --example gen_sample -- --rows 3000 --seed 2021 \
//!     --encoding utf-8-bom --output data-samples/luoyang-2021.csv
//! ```
//!
//! The output is byte-identical for the same arguments on every platform: the
//! random numbers come from a built-in splitmix64 generator and every
//! distribution is drawn with integer arithmetic only (no floating point).
//! Rows are streamed, so memory use does not grow with `--rows`.
//!
//! Layout of the data:
//! - Rows come in order of registration date (weekdays, public holidays and a
//!   Spring-Festival dip shape the daily volume). Each second-instance (民终)
//!   row follows right after the first-instance row it names in 原审案号;
//!   its own registration date is later.
//! - The appeal receipt date (上诉状收到日期) stands either on the appeal row or
//!   only on the first-instance row it names, about half each.
//! - Cases whose closing date would fall after the export date (31 January of
//!   the next year), and a few stalled ones, are still open.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate, Weekday};
use clap::{Parser, ValueEnum};

#[derive(Parser)]
#[command(
    name = "gen_sample",
    about = "Generate a realistic, deterministic one-year court case export (Luoyang)"
)]
struct Args {
    /// Number of data rows (the header row is not counted).
    #[arg(long)]
    rows: u64,
    /// Seed of the random generator; the same seed gives the same bytes.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Output file (default: standard output).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Output encoding.
    #[arg(long, value_enum, default_value = "utf-8")]
    encoding: OutEncoding,
    /// Year of registration of every case (收案年度).
    #[arg(long, default_value_t = 2021, value_parser = clap::value_parser!(i32).range(1951..=2098))]
    year: i32,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutEncoding {
    /// UTF-8 without byte-order mark.
    #[value(name = "utf-8")]
    Utf8,
    /// UTF-8 with byte-order mark (Excel's "CSV UTF-8").
    #[value(name = "utf-8-bom")]
    Utf8Bom,
    /// GB18030 (what Excel on Chinese Windows writes as "CSV").
    #[value(name = "gb18030")]
    Gb18030,
}

const HEADER: [&str; 14] = [
    "案号",
    "经办法院",
    "案由",
    "审判程序",
    "涉营商环境",
    "收到材料日期",
    "立案日期",
    "结案日期",
    "结案方式",
    "扣除审限天数",
    "上诉状收到日期",
    "原审案号",
    "承办部门",
    "承办人",
];

// ---------------------------------------------------------------- random ----

/// splitmix64: tiny, fast, and fully specified, so the stream never changes.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below 2^-32).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1) as u64) as i32
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (item, w) in items {
            if x < u64::from(*w) {
                return item;
            }
            x -= u64::from(*w);
        }
        unreachable!("weights sum to total")
    }

    /// A value from a histogram of inclusive ranges `(lo, hi, weight)`.
    fn histogram(&mut self, buckets: &[(i32, i32, u32)]) -> i32 {
        let total: u64 = buckets.iter().map(|b| u64::from(b.2)).sum();
        let mut x = self.below(total);
        for &(lo, hi, w) in buckets {
            if x < u64::from(w) {
                return self.range(lo, hi);
            }
            x -= u64::from(w);
        }
        unreachable!("weights sum to total")
    }
}

// ---------------------------------------------------------------- courts ----

struct Court {
    name: &'static str,
    code: &'static str,
    /// Relative caseload (basic courts only).
    weight: u32,
}

const INTERMEDIATE: usize = 0;

const COURTS: [Court; 16] = [
    Court {
        name: "洛阳市中级人民法院",
        code: "豫03",
        weight: 0,
    },
    Court {
        name: "洛阳市老城区人民法院",
        code: "豫0302",
        weight: 5,
    },
    Court {
        name: "洛阳市西工区人民法院",
        code: "豫0303",
        weight: 11,
    },
    Court {
        name: "洛阳市瀍河回族区人民法院",
        code: "豫0304",
        weight: 4,
    },
    Court {
        name: "洛阳市涧西区人民法院",
        code: "豫0305",
        weight: 13,
    },
    Court {
        name: "洛阳市吉利区人民法院",
        code: "豫0306",
        weight: 2,
    },
    Court {
        name: "洛阳市洛龙区人民法院",
        code: "豫0311",
        weight: 12,
    },
    Court {
        name: "孟津县人民法院",
        code: "豫0322",
        weight: 6,
    },
    Court {
        name: "新安县人民法院",
        code: "豫0323",
        weight: 6,
    },
    Court {
        name: "栾川县人民法院",
        code: "豫0324",
        weight: 4,
    },
    Court {
        name: "嵩县人民法院",
        code: "豫0325",
        weight: 4,
    },
    Court {
        name: "汝阳县人民法院",
        code: "豫0326",
        weight: 4,
    },
    Court {
        name: "宜阳县人民法院",
        code: "豫0327",
        weight: 6,
    },
    Court {
        name: "洛宁县人民法院",
        code: "豫0328",
        weight: 4,
    },
    Court {
        name: "伊川县人民法院",
        code: "豫0329",
        weight: 7,
    },
    Court {
        name: "偃师市人民法院",
        code: "豫0381",
        weight: 10,
    },
];

fn pick_basic_court(rng: &mut Rng) -> usize {
    let total: u64 = COURTS.iter().map(|c| u64::from(c.weight)).sum();
    let mut x = rng.below(total);
    for (i, c) in COURTS.iter().enumerate() {
        if x < u64::from(c.weight) {
            return i;
        }
        x -= u64::from(c.weight);
    }
    unreachable!("weights sum to total")
}

// ----------------------------------------------------------- departments ----

const DEPARTMENTS: [&str; 6] = ["民一庭", "民二庭", "民三庭", "立案庭", "执行局", "速裁团队"];
const MIN_YI: usize = 0;
const MIN_ER: usize = 1;
const MIN_SAN: usize = 2;
const LI_AN: usize = 3;
const ZHI_XING: usize = 4;
const SU_CAI: usize = 5;
/// Judges (承办人) per department in every court.
const POOL_SIZES: [usize; 6] = [3, 3, 2, 1, 3, 2];

const SURNAMES: [&str; 40] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "郭", "孙", "马", "朱", "胡", "高", "何", "宋", "郑",
    "吕", "任", "范", "许", "韩", "冯", "段", "常", "田", "贾", "崔", "程", "牛", "付", "周", "徐",
    "吴", "黄", "梁", "袁", "魏", "董", "薛", "岳",
];

const GIVEN_NAMES: [&str; 56] = [
    "建国", "卫东", "志强", "海涛", "晓燕", "丽娟", "红霞", "俊峰", "亚楠", "鹏飞", "文博", "艳玲",
    "国庆", "明辉", "雪梅", "振华", "春燕", "永刚", "秀兰", "少华", "慧敏", "天宇", "晓东", "静怡",
    "伟", "静", "敏", "磊", "洋", "勇", "娜", "强", "军", "芳", "毅", "丹", "浩", "颖", "璐", "彬",
    "新民", "跃进", "光明", "保国", "利军", "振宇", "佳琪", "梦瑶", "思远", "玉洁", "书豪", "晨阳",
    "红伟", "建伟", "丽华", "向东",
];

/// The judges of every court and department, fixed whatever the seed, and
/// unique across the city.
fn judge_pools() -> Vec<Vec<Vec<String>>> {
    let mut rng = Rng(0x4C55_4F59_414E_4721); // fixed: names never depend on --seed
    let mut seen = std::collections::HashSet::new();
    let mut pools = Vec::with_capacity(COURTS.len());
    for _ in &COURTS {
        let mut court = Vec::with_capacity(DEPARTMENTS.len());
        for &size in &POOL_SIZES {
            let mut dept = Vec::with_capacity(size);
            while dept.len() < size {
                let s = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
                let g = GIVEN_NAMES[rng.below(GIVEN_NAMES.len() as u64) as usize];
                let name = format!("{s}{g}");
                if seen.insert(name.clone()) {
                    dept.push(name);
                }
            }
            court.push(dept);
        }
        pools.push(court);
    }
    pools
}

// ---------------------------------------------------------------- causes ----

#[derive(Clone, Copy, PartialEq)]
enum Chamber {
    /// Family, labour, torts: 民一庭.
    Civil,
    /// Contracts, loans, companies: 民二庭.
    Commercial,
    /// Intellectual property: 民三庭.
    Ip,
}

struct Cause {
    name: &'static str,
    /// 涉营商环境
    business: bool,
    chamber: Chamber,
}

const fn cause(name: &'static str, business: bool, chamber: Chamber) -> Cause {
    Cause {
        name,
        business,
        chamber,
    }
}

use Chamber::{Civil, Commercial, Ip};

/// Causes of basic-court trials and of enforcement cases, with weights.
static BASIC_CAUSES: [(Cause, u32); 21] = [
    (cause("民间借贷纠纷", true, Commercial), 150),
    (cause("买卖合同纠纷", true, Commercial), 130),
    (cause("金融借款合同纠纷", true, Commercial), 100),
    (cause("信用卡纠纷", true, Commercial), 60),
    (cause("建设工程施工合同纠纷", true, Commercial), 40),
    (cause("租赁合同纠纷", true, Commercial), 35),
    (cause("服务合同纠纷", true, Commercial), 30),
    (cause("物业服务合同纠纷", true, Commercial), 30),
    (cause("房屋买卖合同纠纷", true, Commercial), 30),
    (cause("借款合同纠纷", true, Commercial), 30),
    (cause("承揽合同纠纷", true, Commercial), 20),
    (cause("追偿权纠纷", true, Commercial), 20),
    (cause("保证合同纠纷", true, Commercial), 15),
    (cause("股权转让纠纷", true, Commercial), 10),
    (cause("机动车交通事故责任纠纷", false, Civil), 110),
    (cause("离婚纠纷", false, Civil), 100),
    (cause("劳动争议", false, Civil), 45),
    (cause("生命权、身体权、健康权纠纷", false, Civil), 20),
    (cause("提供劳务者受害责任纠纷", false, Civil), 15),
    (cause("继承纠纷", false, Civil), 15),
    (cause("抚养费纠纷", false, Civil), 10),
];

/// Causes of first-instance trials at the intermediate court (large claims, IP).
static INTERMEDIATE_CAUSES: [(Cause, u32); 10] = [
    (cause("金融借款合同纠纷", true, Commercial), 25),
    (cause("建设工程施工合同纠纷", true, Commercial), 20),
    (cause("买卖合同纠纷", true, Commercial), 15),
    (cause("侵害商标权纠纷", true, Ip), 12),
    (cause("股权转让纠纷", true, Commercial), 10),
    (cause("民间借贷纠纷", true, Commercial), 8),
    (cause("侵害外观设计专利权纠纷", true, Ip), 5),
    (cause("保证合同纠纷", true, Commercial), 5),
    (cause("机动车交通事故责任纠纷", false, Civil), 2),
    (cause("劳动争议", false, Civil), 2),
];

static BANKRUPTCY_CAUSES: [(Cause, u32); 2] = [
    (cause("破产清算", true, Commercial), 80),
    (cause("破产重整", true, Commercial), 20),
];

fn chamber_department(chamber: Chamber) -> usize {
    match chamber {
        Civil => MIN_YI,
        Commercial => MIN_ER,
        Ip => MIN_SAN,
    }
}

// ------------------------------------------------------------ case kinds ----

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    FirstInstanceBasic,
    FirstInstanceIntermediate,
    SecondInstance,
    Enforcement,
    ResumedEnforcement,
    EnforcementObjection,
    Bankruptcy,
}

/// Type codes (案号 类型代字); index is used for the serial counters.
const TYPE_CODES: [&str; 6] = ["民初", "民终", "执", "执恢", "执异", "破"];

impl Kind {
    fn type_index(self) -> usize {
        match self {
            Kind::FirstInstanceBasic | Kind::FirstInstanceIntermediate => 0,
            Kind::SecondInstance => 1,
            Kind::Enforcement => 2,
            Kind::ResumedEnforcement => 3,
            Kind::EnforcementObjection => 4,
            Kind::Bankruptcy => 5,
        }
    }

    fn procedure(self) -> &'static str {
        match self {
            Kind::FirstInstanceBasic | Kind::FirstInstanceIntermediate => "一审",
            Kind::SecondInstance => "二审",
            Kind::Enforcement => "首次执行",
            Kind::ResumedEnforcement => "恢复执行",
            Kind::EnforcementObjection => "执行异议",
            Kind::Bankruptcy => "破产",
        }
    }
}

/// Mix of the rows that are not appeals (per 880; appeals add about 120).
const PRIMARY_MIX: [(Kind, u32); 6] = [
    (Kind::FirstInstanceBasic, 550),
    (Kind::FirstInstanceIntermediate, 50),
    (Kind::Enforcement, 250),
    (Kind::ResumedEnforcement, 12),
    (Kind::EnforcementObjection, 12),
    (Kind::Bankruptcy, 6),
];

/// Chance (per mille) that an eligible judgment (closed early enough for the
/// appeal to be registered within the year) is appealed; tuned so that
/// appeals make up about 12% of the rows.
const APPEAL_PER_MILLE: u64 = 590;

const JUDGMENT: &str = "判决";
const WITHDRAWN: &str = "撤诉";

const TRIAL_METHODS: [(&str, u32); 5] = [
    (JUDGMENT, 50),
    ("调解", 24),
    (WITHDRAWN, 17),
    ("驳回起诉", 3),
    ("裁定", 6),
];
const APPEAL_METHODS: [(&str, u32); 4] =
    [(JUDGMENT, 62), ("裁定", 14), (WITHDRAWN, 16), ("调解", 8)];
const DONE: &str = "执行完毕";
const SUSPENDED: &str = "终结本次执行程序";
const ENFORCEMENT_METHODS: [(&str, u32); 3] = [(DONE, 38), (SUSPENDED, 48), ("终结执行", 14)];
const OBJECTION_METHODS: [(&str, u32); 2] = [("裁定", 85), (WITHDRAWN, 15)];

// ---------------------------------------------- durations (net days) ----

/// Ordinary-procedure first instance at a basic court.
const FI_ORDINARY: [(i32, i32, u32); 9] = [
    (5, 9, 5),
    (10, 19, 13),
    (20, 29, 17),
    (30, 39, 17),
    (40, 59, 22),
    (60, 89, 14),
    (90, 119, 7),
    (120, 179, 4),
    (180, 260, 1),
];
/// Fast-track team (速裁) and case-filing division.
const FI_FAST: [(i32, i32, u32); 5] = [
    (1, 6, 15),
    (7, 14, 35),
    (15, 24, 30),
    (25, 40, 15),
    (41, 60, 5),
];
const FI_INTERMEDIATE: [(i32, i32, u32); 5] = [
    (20, 39, 15),
    (40, 79, 35),
    (80, 119, 25),
    (120, 179, 18),
    (180, 300, 7),
];
const SECOND_INSTANCE: [(i32, i32, u32); 7] = [
    (5, 14, 10),
    (15, 24, 20),
    (25, 34, 25),
    (35, 44, 20),
    (45, 59, 13),
    (60, 89, 9),
    (90, 150, 3),
];
const ENF_DONE: [(i32, i32, u32); 6] = [
    (3, 14, 8),
    (15, 29, 15),
    (30, 59, 29),
    (60, 99, 27),
    (100, 179, 16),
    (180, 300, 5),
];
const ENF_SUSPENDED: [(i32, i32, u32); 6] = [
    (20, 44, 8),
    (45, 69, 24),
    (70, 89, 26),
    (90, 119, 24),
    (120, 179, 13),
    (180, 300, 5),
];
const ENF_TERMINATED: [(i32, i32, u32); 4] =
    [(5, 29, 25), (30, 59, 30), (60, 119, 33), (120, 240, 12)];
const OBJECTION: [(i32, i32, u32); 3] = [(5, 15, 70), (16, 30, 25), (31, 60, 5)];
const BANKRUPTCY: [(i32, i32, u32); 3] = [(90, 179, 25), (180, 365, 45), (366, 700, 30)];
/// First-instance court receives the appeal → second-instance registration.
const TRANSFER: [(i32, i32, u32); 6] = [
    (3, 9, 10),
    (10, 14, 15),
    (15, 19, 18),
    (20, 29, 27),
    (30, 39, 17),
    (40, 60, 13),
];
/// 扣除审限天数 (公告, 鉴定, 管辖异议 …) when there is one.
const DEDUCTION: [(i32, i32, u32); 3] = [(5, 15, 30), (16, 30, 35), (31, 60, 35)];

/// Cases that stall (中止 etc.) and stay open whatever their registration date.
const STALLED_PER_MILLE: u64 = 15;

// ----------------------------------------------------------------- dates ----

/// Days off and make-up working days of the State Council calendar for the
/// years covered in full; other years get New Year, Labour Day and National
/// Day off.
fn is_workday(d: NaiveDate) -> bool {
    let md = d.month() * 100 + d.day();
    match d.year() {
        2021 => {
            if matches!(md, 207 | 220 | 425 | 508 | 918 | 926 | 1009) {
                return true;
            }
            if matches!(
                md,
                101..=103 | 211..=217 | 403..=405 | 501..=505 | 612..=614 | 919..=921 | 1001..=1007
            ) {
                return false;
            }
        }
        2022 => {
            if matches!(md, 129 | 130 | 402 | 424 | 507 | 1008 | 1009) {
                return true;
            }
            if matches!(
                md,
                101..=103 | 131 | 201..=206 | 403..=405 | 430 | 501..=504 | 603..=605 | 910..=912 | 1001..=1007
            ) {
                return false;
            }
        }
        _ => {
            if matches!(md, 101 | 501..=503 | 1001..=1007) {
                return false;
            }
        }
    }
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("day number within chrono's range")
}

fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Cumulative registration weight of each day of the year: few registrations
/// on days off, fewer around the Spring Festival and in December.
fn registration_cdf(year: i32) -> Vec<u64> {
    const MONTH: [u64; 12] = [105, 80, 110, 100, 100, 100, 100, 95, 100, 92, 100, 92];
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let mut cdf = Vec::with_capacity(366);
    let mut total = 0u64;
    let mut d = first;
    while d.year() == year {
        let w = if is_workday(d) { 100 } else { 4 };
        total += w * MONTH[d.month0() as usize];
        cdf.push(total);
        d = d.succ_opt().expect("date in range");
    }
    cdf
}

#[derive(Clone, Copy)]
enum DateFormat {
    /// 2021-03-05
    Iso,
    /// 2021/3/5
    Slash,
    /// 2021年3月5日
    Chinese,
    /// 20210305
    Compact,
}

const DATE_FORMATS: [(DateFormat, u32); 4] = [
    (DateFormat::Iso, 800),
    (DateFormat::Slash, 120),
    (DateFormat::Chinese, 40),
    (DateFormat::Compact, 40),
];

/// Office hours: 08:30–12:00 and 14:30–18:00, in minutes after midnight.
fn office_minute(rng: &mut Rng) -> u32 {
    let m = rng.below(420) as u32;
    if m < 210 { 510 + m } else { 870 + m - 210 }
}

// ----------------------------------------------------------------- cases ----

#[derive(Clone, Copy)]
struct CaseNo {
    court: usize,
    type_index: usize,
    serial: u32,
}

struct Case {
    no: CaseNo,
    kind: Kind,
    cause: &'static Cause,
    department: usize,
    judge: usize,
    received: i32,
    /// Seconds after midnight, when the row carries times.
    received_time: Option<u32>,
    filed: i32,
    filed_time: Option<u32>,
    /// Closing day and method; `None` while open.
    closed: Option<(i32, &'static str)>,
    deducted: Option<i32>,
    appeal_received: Option<i32>,
    original: Option<CaseNo>,
    format: DateFormat,
    seconds: bool,
}

struct Generator {
    rng: Rng,
    year: i32,
    last_day: i32,
    export_day: i32,
    serials: [[u32; TYPE_CODES.len()]; COURTS.len()],
}

impl Generator {
    fn next_serial(&mut self, court: usize, kind: Kind) -> CaseNo {
        let type_index = kind.type_index();
        let s = &mut self.serials[court][type_index];
        *s += 1;
        CaseNo {
            court,
            type_index,
            serial: *s,
        }
    }

    /// A case registered on `filed`, without closing data yet.
    fn open_case(
        &mut self,
        kind: Kind,
        court: usize,
        cause: &'static Cause,
        department: usize,
        filed: i32,
    ) -> Case {
        let rng = &mut self.rng;
        let format = *rng.weighted(&DATE_FORMATS);
        let back = match rng.below(100) {
            0..=54 => 0,
            55..=89 => 1,
            _ => rng.range(2, 3),
        };
        let timed = rng.chance(700);
        let seconds = timed && rng.chance(100);
        let (received_time, filed_time) = if timed {
            let r = office_minute(rng);
            let f = if back == 0 {
                r + rng.range(5, 240.min(1110 - r as i32)) as u32
            } else {
                office_minute(rng)
            };
            let (rs, fs) = if seconds {
                (rng.below(60) as u32, rng.below(60) as u32)
            } else {
                (0, 0)
            };
            (Some(r * 60 + rs), Some(f * 60 + fs))
        } else {
            (None, None)
        };
        let judge = rng.below(POOL_SIZES[department] as u64) as usize;
        let no = self.next_serial(court, kind);
        Case {
            no,
            kind,
            cause,
            department,
            judge,
            received: filed - back,
            received_time,
            filed,
            filed_time,
            closed: None,
            deducted: None,
            appeal_received: None,
            original: None,
            format,
            seconds,
        }
    }

    /// Draws the deduction and the closing day (net days + deduction, moved
    /// off a day off most of the time); leaves the case open when that day
    /// is after the export date or the case stalled.
    fn close(&mut self, case: &mut Case, method: &'static str, net: i32, deduction_per_mille: u64) {
        let rng = &mut self.rng;
        let deducted = if rng.chance(deduction_per_mille) {
            Some(rng.histogram(&DEDUCTION))
        } else {
            None
        };
        let mut day = case.filed + net + deducted.unwrap_or(0);
        if !is_workday(date(day)) && rng.chance(850) {
            while !is_workday(date(day)) {
                day += 1;
            }
        }
        let stalled = rng.chance(STALLED_PER_MILLE);
        if day > self.export_day || stalled {
            // An open case shows a deduction only if it already fits.
            case.deducted = deducted.filter(|d| case.filed + d <= self.export_day);
        } else {
            case.deducted = deducted;
            case.closed = Some((day, method));
        }
    }

    fn first_instance_basic(&mut self, filed: i32) -> Case {
        let court = pick_basic_court(&mut self.rng);
        let cause = self.rng.weighted(&BASIC_CAUSES);
        let department = match self.rng.below(1000) {
            0..=279 => SU_CAI,
            280..=329 => LI_AN,
            _ => chamber_department(cause.chamber),
        };
        let mut case = self.open_case(Kind::FirstInstanceBasic, court, cause, department, filed);
        let method = *self.rng.weighted(&TRIAL_METHODS);
        let mut net = if matches!(department, SU_CAI | LI_AN) {
            self.rng.histogram(&FI_FAST)
        } else {
            self.rng.histogram(&FI_ORDINARY)
        };
        if method == WITHDRAWN {
            net = net * 2 / 3;
        }
        self.close(&mut case, method, net, 290);
        case
    }

    /// The appeal against `first`, if it is appealed: the receipt date goes on
    /// the appeal row or on `first`.
    fn maybe_appeal(&mut self, first: &mut Case) -> Option<Case> {
        let (closed, method) = first.closed?;
        if method != JUDGMENT {
            return None;
        }
        let receipt = closed + self.rng.range(2, 15);
        // Registered on a working day: the next one, or for long transfers
        // the previous one, so that the transfer stays within 3..=60 days.
        let transfer = self.rng.histogram(&TRANSFER);
        let step = if transfer >= 50 { -1 } else { 1 };
        let mut filed = receipt + transfer;
        while !is_workday(date(filed)) {
            filed += step;
        }
        if filed > self.last_day || !self.rng.chance(APPEAL_PER_MILLE) {
            return None;
        }
        let cause = first.cause;
        let department = chamber_department(cause.chamber);
        let mut appeal =
            self.open_case(Kind::SecondInstance, INTERMEDIATE, cause, department, filed);
        appeal.original = Some(first.no);
        if self.rng.chance(500) {
            appeal.appeal_received = Some(receipt);
        } else {
            first.appeal_received = Some(receipt);
        }
        let method = *self.rng.weighted(&APPEAL_METHODS);
        let net = self.rng.histogram(&SECOND_INSTANCE);
        self.close(&mut appeal, method, net, 150);
        Some(appeal)
    }

    fn primary(&mut self, kind: Kind, filed: i32) -> Case {
        match kind {
            Kind::FirstInstanceBasic => self.first_instance_basic(filed),
            Kind::SecondInstance => unreachable!("appeals follow their first-instance case"),
            Kind::FirstInstanceIntermediate => {
                let cause = self.rng.weighted(&INTERMEDIATE_CAUSES);
                let department = chamber_department(cause.chamber);
                let mut case = self.open_case(kind, INTERMEDIATE, cause, department, filed);
                let method = *self.rng.weighted(&TRIAL_METHODS);
                let net = self.rng.histogram(&FI_INTERMEDIATE);
                self.close(&mut case, method, net, 250);
                case
            }
            Kind::Enforcement | Kind::ResumedEnforcement => {
                let court = pick_basic_court(&mut self.rng);
                let cause = self.rng.weighted(&BASIC_CAUSES);
                let mut case = self.open_case(kind, court, cause, ZHI_XING, filed);
                let method = *self.rng.weighted(&ENFORCEMENT_METHODS);
                let mut net = match method {
                    DONE => self.rng.histogram(&ENF_DONE),
                    SUSPENDED => self.rng.histogram(&ENF_SUSPENDED),
                    _ => self.rng.histogram(&ENF_TERMINATED),
                };
                if kind == Kind::ResumedEnforcement {
                    net = net * 3 / 4;
                }
                self.close(&mut case, method, net, 250);
                case
            }
            Kind::EnforcementObjection => {
                let court = if self.rng.chance(200) {
                    INTERMEDIATE
                } else {
                    pick_basic_court(&mut self.rng)
                };
                let cause = self.rng.weighted(&BASIC_CAUSES);
                let mut case = self.open_case(kind, court, cause, ZHI_XING, filed);
                let method = *self.rng.weighted(&OBJECTION_METHODS);
                let net = self.rng.histogram(&OBJECTION);
                self.close(&mut case, method, net, 50);
                case
            }
            Kind::Bankruptcy => {
                let court = if self.rng.chance(700) {
                    INTERMEDIATE
                } else {
                    pick_basic_court(&mut self.rng)
                };
                let cause = self.rng.weighted(&BANKRUPTCY_CAUSES);
                let mut case = self.open_case(kind, court, cause, MIN_ER, filed);
                let net = self.rng.histogram(&BANKRUPTCY);
                self.close(&mut case, "裁定", net, 100);
                case
            }
        }
    }
}

// ------------------------------------------------------------- formatting ----

fn push_number(buf: &mut String, n: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut n = n;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in len..width {
        buf.push('0');
    }
    for &d in digits[..len].iter().rev() {
        buf.push(d as char);
    }
}

fn push_date(buf: &mut String, day: i32, format: DateFormat) {
    let d = date(day);
    let (y, m, dd) = (d.year() as u32, d.month(), d.day());
    push_number(buf, y, 4);
    match format {
        DateFormat::Iso => {
            buf.push('-');
            push_number(buf, m, 2);
            buf.push('-');
            push_number(buf, dd, 2);
        }
        DateFormat::Slash => {
            buf.push('/');
            push_number(buf, m, 1);
            buf.push('/');
            push_number(buf, dd, 1);
        }
        DateFormat::Chinese => {
            buf.push('年');
            push_number(buf, m, 1);
            buf.push('月');
            push_number(buf, dd, 1);
            buf.push('日');
        }
        DateFormat::Compact => {
            push_number(buf, m, 2);
            push_number(buf, dd, 2);
        }
    }
}

fn push_time(buf: &mut String, secs: u32, with_seconds: bool) {
    buf.push(' ');
    push_number(buf, secs / 3600, 2);
    buf.push(':');
    push_number(buf, secs / 60 % 60, 2);
    if with_seconds {
        buf.push(':');
        push_number(buf, secs % 60, 2);
    }
}

/// `(2021)豫0305民初1234号`, with full-width brackets about 30% of the time.
fn push_case_no(buf: &mut String, no: CaseNo, year: i32, rng: &mut Rng) {
    let full_width = rng.chance(300);
    buf.push(if full_width { '（' } else { '(' });
    push_number(buf, year as u32, 4);
    buf.push(if full_width { '）' } else { ')' });
    buf.push_str(COURTS[no.court].code);
    buf.push_str(TYPE_CODES[no.type_index]);
    push_number(buf, no.serial, 1);
    buf.push('号');
}

struct RowWriter<W: Write> {
    csv: csv::Writer<W>,
    fields: [String; 14],
    judges: Vec<Vec<Vec<String>>>,
}

impl<W: Write> RowWriter<W> {
    fn write(&mut self, case: &Case, year: i32, rng: &mut Rng) -> io::Result<()> {
        let f = &mut self.fields;
        for field in f.iter_mut() {
            field.clear();
        }
        push_case_no(&mut f[0], case.no, year, rng);
        f[1].push_str(COURTS[case.no.court].name);
        f[2].push_str(case.cause.name);
        f[3].push_str(case.kind.procedure());
        f[4].push_str(if case.cause.business { "是" } else { "否" });
        push_date(&mut f[5], case.received, case.format);
        if let Some(t) = case.received_time {
            push_time(&mut f[5], t, case.seconds);
        }
        push_date(&mut f[6], case.filed, case.format);
        if let Some(t) = case.filed_time {
            push_time(&mut f[6], t, case.seconds);
        }
        if let Some((day, method)) = case.closed {
            push_date(&mut f[7], day, case.format);
            f[8].push_str(method);
        }
        if let Some(d) = case.deducted {
            push_number(&mut f[9], d as u32, 1);
        }
        if let Some(day) = case.appeal_received {
            push_date(&mut f[10], day, case.format);
        }
        if let Some(no) = case.original {
            push_case_no(&mut f[11], no, year, rng);
        }
        f[12].push_str(DEPARTMENTS[case.department]);
        f[13].push_str(&self.judges[case.no.court][case.department][case.judge]);
        self.csv.write_record(&self.fields).map_err(csv_io)
    }
}

/// The I/O error inside a csv error (so that a closed pipe is recognised).
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        kind => io::Error::other(format!("{kind:?}")),
    }
}

// --------------------------------------------------------------- encoding ----

/// Passes UTF-8 through, or re-encodes it to GB18030 (carrying a character
/// split across two writes over to the next one).
enum Encoder<W: Write> {
    Utf8(W),
    Gb18030(Gb18030Writer<W>),
}

/// GB18030 through encoding_rs, one character at a time: the encoding is
/// stateless, so this gives the same bytes as encoding the whole text, and
/// caching each character's bytes makes it about ten times faster (encoding_rs
/// looks hanzi up slowly unless built with `fast-gb-hanzi-encode`).
struct Gb18030Writer<W: Write> {
    inner: W,
    pending: Vec<u8>,
    out: Vec<u8>,
    /// Encoded bytes of each BMP character seen so far (length 0 = not yet).
    cache: Vec<(u8, [u8; 4])>,
}

impl<W: Write> Gb18030Writer<W> {
    fn new(inner: W) -> Self {
        Gb18030Writer {
            inner,
            pending: Vec::new(),
            out: Vec::new(),
            cache: vec![(0, [0; 4]); 0x1_0000],
        }
    }

    fn encode_char(c: char, into: &mut Vec<u8>) {
        let mut utf8 = [0u8; 4];
        let (bytes, _, _) = encoding_rs::GB18030.encode(c.encode_utf8(&mut utf8));
        into.extend_from_slice(&bytes);
    }

    fn encode(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii() {
                self.out.push(c as u8);
            } else if let Some(entry) = self.cache.get_mut(c as usize) {
                if entry.0 == 0 {
                    let mut bytes = Vec::with_capacity(4);
                    Self::encode_char(c, &mut bytes);
                    entry.0 = bytes.len() as u8;
                    entry.1[..bytes.len()].copy_from_slice(&bytes);
                }
                self.out.extend_from_slice(&entry.1[..usize::from(entry.0)]);
            } else {
                Self::encode_char(c, &mut self.out);
            }
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let gb = match self {
            Encoder::Utf8(inner) => return inner.write(buf),
            Encoder::Gb18030(gb) => gb,
        };
        let mut pending = std::mem::take(&mut gb.pending);
        pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        };
        gb.encode(std::str::from_utf8(&pending[..valid]).expect("checked above"));
        pending.drain(..valid);
        gb.pending = pending;
        gb.inner.write_all(&gb.out)?;
        gb.out.clear();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Utf8(inner) => inner.flush(),
            Encoder::Gb18030(gb) => {
                if !gb.pending.is_empty() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "incomplete UTF-8 at end",
                    ));
                }
                gb.inner.flush()
            }
        }
    }
}

// ------------------------------------------------------------------- main ----

fn run(args: &Args) -> io::Result<()> {
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, sink);
    if matches!(args.encoding, OutEncoding::Utf8Bom) {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let encoder = match args.encoding {
        OutEncoding::Utf8 | OutEncoding::Utf8Bom => Encoder::Utf8(out),
        OutEncoding::Gb18030 => Encoder::Gb18030(Gb18030Writer::new(out)),
    };
    let csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(encoder);
    let mut rows = RowWriter {
        csv,
        fields: Default::default(),
        judges: judge_pools(),
    };
    rows.csv.write_record(HEADER).map_err(csv_io)?;

    let year = args.year;
    let first_day = day_number(NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"));
    let mut generator = Generator {
        rng: Rng(args.seed),
        year,
        last_day: day_number(NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year")),
        export_day: day_number(NaiveDate::from_ymd_opt(year + 1, 1, 31).expect("valid year")),
        serials: [[0; TYPE_CODES.len()]; COURTS.len()],
    };
    let cdf = registration_cdf(year);
    let total_weight = *cdf.last().expect("a year has days");
    let n = args.rows;
    let mut written = 0u64;
    while written < n {
        // Registration day follows the row's position through the year.
        let target =
            (u128::from(2 * written + 1) * u128::from(total_weight) / u128::from(2 * n)) as u64;
        let filed = first_day + cdf.partition_point(|&c| c <= target) as i32;
        let kind = *generator.rng.weighted(&PRIMARY_MIX);
        let mut case = generator.primary(kind, filed);
        let appeal = if kind == Kind::FirstInstanceBasic && written + 2 <= n {
            generator.maybe_appeal(&mut case)
        } else {
            None
        };
        rows.write(&case, generator.year, &mut generator.rng)?;
        written += 1;
        if let Some(appeal) = appeal {
            rows.write(&appeal, generator.year, &mut generator.rng)?;
            written += 1;
        }
    }
    // Flushes the csv buffer, the encoder and the BufWriter, reporting errors
    // that dropping the BufWriter would swallow.
    rows.csv.flush()
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_sample: {e}");
            ExitCode::FAILURE
        }
    }
}
