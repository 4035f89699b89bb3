//! Totals stated by tables: total rows, total columns and classification codes against
//! their parts.

pub mod code_sum;
pub mod column_sum;
pub mod row_sum;
