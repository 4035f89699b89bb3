//! The recognize stage: figures, table structure and document families, read from the model.
//!
//! [`number`] finds exact figures in text; later stages only see what this stage recognized.

pub mod number;
pub mod table;
