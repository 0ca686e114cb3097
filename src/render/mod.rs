//! Writing results for people and scripts: terminal tables, CSV, Markdown, JSON and the HTML page,
//! and the atomic writing of output files.

pub mod html;
pub mod output;
pub mod pending;
pub mod report;
