//! Performance indicators: actual values against their targets.

pub mod target_unmet;
pub mod unit_mismatch;
