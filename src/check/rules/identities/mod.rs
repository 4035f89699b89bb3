//! Accounting identities between columns of one row.

pub mod balance;
