//! Writing results for people and scripts: terminal tables, CSV, Markdown, JSON and the HTML page,
//! and the atomic writing of output files. The words, columns and number formats every command
//! shows are defined once here (`labels`, `columns`, `numbers`, `text`).

pub mod cases;
pub(crate) mod columns;
pub mod html;
pub(crate) mod labels;
pub(crate) mod numbers;
pub mod output;
pub mod pending;
pub mod report;
pub mod text;
pub mod validate;
