//! Totals stated by tables: total rows and total columns against their parts.

pub mod column_sum;
pub mod row_sum;
