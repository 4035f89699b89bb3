//! Accounting identities: between columns of one row, and those a family's template declares.

pub mod balance;
pub mod template;
