//! Percentages recomputed from their numerator and denominator.

pub mod rate;
pub mod year_on_year;
