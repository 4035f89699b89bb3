//! Rules about the document as a whole.

pub mod not_a_report;
