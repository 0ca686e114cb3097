//! The figures: the indicator table, its computation with polars' lazy engine (engine, aggregates,
//! break-downs, exclusions, case listings), targets, comparison with an earlier period, the
//! long-pending ledger and the data-quality account.

mod aggregate;
mod appeals;
mod case_sets;
pub mod compare;
pub mod compute;
mod engine;
pub mod exclusions;
mod frame;
pub mod groups;
pub mod indicators;
pub mod listing;
pub mod pending;
pub mod quality;
pub mod targets;
pub mod trend;

pub use frame::CaseFrame;
