//! The same quantity stated twice in one document.

pub mod same_quantity;
