#![warn(missing_docs)]
//! casemetrics: the timeliness indicators Chinese courts publish every month (立案审查平均时长,
//! 一审平均审理天数, 上诉案件平均移转天数, 二审平均审理天数, 首次执行案件平均办理天数), computed from
//! a case-management export, checked against their targets, and reported for people and scripts.
//!
//! The input layer (`encoding`, `fields`, `config`, `dates`, `case_number`, `input`) knows bytes,
//! encodings and line numbers and produces a `cases::CaseTable`; the computing layer
//! (`indicators`, `targets`, `period`) knows cases, periods and targets.

pub mod blocks;
pub mod case_keys;
pub mod case_number;
pub mod cases;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod dates;
pub mod encoding;
pub mod error;
pub mod fields;
pub mod html;
pub mod indicators;
pub mod input;
pub mod output;
pub mod pending;
pub mod period;
pub mod quality;
pub mod report;
pub mod targets;
