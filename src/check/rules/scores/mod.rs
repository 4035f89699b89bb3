//! Scores: section sums, scores above their points, grades against the total.

pub mod above_points;
pub mod from_rate;
pub mod grade;
pub mod rubric_points;
pub mod section_sum;
