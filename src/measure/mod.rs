//! The figures: the indicator table and its computation with polars' lazy engine, targets,
//! comparison with an earlier period, the long-pending ledger and the data-quality account.

pub mod compare;
mod frame;
pub mod indicators;
pub mod pending;
pub mod quality;
pub mod targets;
