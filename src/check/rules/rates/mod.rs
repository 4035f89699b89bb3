//! Percentages recomputed from their numerator and denominator.

pub mod rate;
