//! What a case is once read: the fields of an export, the compact typed columns every kept case
//! is held in, its case number store and the periods figures are reported for. Knows no bytes and
//! no text formats.

pub mod calendar;
pub mod case_keys;
pub mod cases;
pub mod columns;
pub mod fields;
pub mod period;
pub mod register;
