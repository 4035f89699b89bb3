//! Rules about the document as a whole.

pub mod empty_table;
pub mod not_a_report;
pub mod year_mismatch;
