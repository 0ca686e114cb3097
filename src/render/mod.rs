//! Writing results for people and scripts: terminal tables, CSV, Markdown, JSON and the HTML page,
//! and the atomic writing of output files. The words, columns and number formats every command
//! shows are defined once here (`labels`, `columns`, `numbers`, `text`).

pub(crate) mod cases;
pub(crate) mod columns;
pub(crate) mod html;
pub(crate) mod interrupt;
pub(crate) mod labels;
pub(crate) mod numbers;
pub mod output;
pub(crate) mod pending;
pub(crate) mod profile_check;
pub(crate) mod report;
pub(crate) mod text;
pub(crate) mod validate;
pub(crate) mod xlsx;
