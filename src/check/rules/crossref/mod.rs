//! The same quantity stated twice in one document: two tables, or the text and a table.

pub mod narrative_table;
pub mod same_quantity;
