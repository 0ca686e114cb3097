#![warn(missing_docs)]
//! casemetrics: the timeliness indicators Chinese courts publish every month (立案审查平均时长,
//! 一审平均审理天数, 上诉案件平均移转天数, 二审平均审理天数, 首次执行案件平均办理天数), computed from
//! a case-management export, checked against their targets, and reported for people and scripts.
//!
//! Four layers, each using only those before it:
//! - `read`: bytes, encodings, headers, cells, case numbers, profiles → a `model::cases::CaseTable`;
//! - `model`: the field table, compact case columns, periods;
//! - `measure`: indicators, targets, comparison, the pending ledger, data quality;
//! - `render`: tables, CSV, Markdown, JSON, HTML and atomic output files.
//!
//! `cmd` holds one file per command (read → measure → render); `cli` the command line; `parallel`
//! shares independent work among the cores.

pub mod cli;
pub mod cmd;
pub mod error;
pub mod measure;
pub mod model;
pub mod parallel;
pub mod read;
pub mod render;
