//! A total row (合计, 小计, 总计, 汇总, 全省合计, 总分 …) does not equal the sum of its rows.
//!
//! ## What it flags
//! For every figure in a total row, the sum of the same column over the rows the total
//! covers: the rows after it when the total comes first (`局机关及二级机构汇总` above
//! `1、局机关` and `2、二级机构`, `全省合计` above the cities), or the rows before it when it
//! comes last (`合计`, `总分`). Rows of shares (`比例`) are not parts. Every column of a
//! multi-column total row is checked.
//!
//! ## Why it matters
//! A total that does not add up means a figure was mistyped, a row left out, or the total
//! copied from another version of the table. Differences of a few hundredths that rounding
//! to the written decimals explains are reported as `info` with class `rounding`.
//!
//! ## Example
//! `合计 213.96` over 145.67, 9.3, 44 and 15 (seed 000's project table): the parts sum to
//! 213.97; with two decimals per figure the difference is within rounding (info).
//! A total of 1,500.00 over 1,333.13 and 149.30 would be an error (material).

use crate::check::arithmetic::{relation_findings, Context};
use crate::check::{Finding, Settings};
use crate::extract::Extraction;

pub fn check(x: &Extraction, ctx: &Context, _: &Settings) -> Vec<Finding> {
    relation_findings(
        x,
        ctx,
        "row",
        "JX101",
        "total-row-sum",
        "total row does not add up",
    )
}
