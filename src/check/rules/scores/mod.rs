//! Scores: section sums, scores above their points, grades against the total.

pub mod above_points;
pub mod grade;
pub mod section_sum;
