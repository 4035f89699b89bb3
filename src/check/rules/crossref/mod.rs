//! The same quantity stated twice in one document: two tables, or the text and a table; and a
//! figure out of scale with the rest of its column.

pub mod magnitude;
pub mod narrative_table;
pub mod same_quantity;
