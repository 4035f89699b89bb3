//! The same quantity stated twice in one document: two tables, the text and a table, or one
//! sentence written twice; and a figure out of scale with the rest of its column.

pub mod magnitude;
pub mod narrative_table;
pub mod restated_sentence;
pub mod same_quantity;
