//! Totals stated in running text ("…合计A，其中B b、C c").

pub mod statement_sum;
