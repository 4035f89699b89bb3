//! Performance indicators: actual values against their targets, and the points they lose.

pub mod deduction;
pub mod target_unmet;
pub mod unit_mismatch;
