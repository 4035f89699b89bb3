//! Rules that compare the documents of one batch with each other.

pub mod carry_over;
pub mod duplicate;
