//! Scores: section sums, scores above their points, grades against the total, the total stated twice.

pub mod above_points;
pub mod from_rate;
pub mod grade;
pub mod restated;
pub mod rubric_points;
pub mod section_sum;
