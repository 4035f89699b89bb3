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
//! to the written decimals explains are reported as `info` with class `rounding` — except in
//! 分值 and 得分 columns, whose points are assigned, not measured: there any gap is material.
//!
//! ## Example
//! `合计 213.96` over 145.67, 9.3, 44 and 15 (seed 000's project table): the parts sum to
//! 213.97; with two decimals per figure the difference is within rounding (info).
//! A total of 1,500.00 over 1,333.13 and 149.30 would be an error (material).
//!
//! ## 中文
//!
//! 合计行（合计、小计、总计、汇总、全省合计、总分……）不等于其所含各行之和。
//!
//! ### 检查内容
//! 对合计行中的每个数字，核对该合计所涵盖各行同一列数字之和：合计行在前的，涵盖其后
//! 各行（`局机关及二级机构汇总` 位于 `1、局机关` 和 `2、二级机构` 之上，`全省合计` 位于
//! 各市之上）；合计行在后的，涵盖其前各行（`合计`、`总分`）。占比行（`比例`）不作为
//! 分项。多列合计行逐列核对。
//!
//! ### 为何重要
//! 合计数加不上，说明有数字录错、漏列了某一行，或合计数抄自该表的另一个版本。相差仅
//! 零点零几、且可由按所填小数位四舍五入解释的差异，以 `info`（提示）级别报告，类别为
//! `rounding`（四舍五入）；但分值列和得分列的分数是评定的而非测量的，任何差额都属重大差异。
//!
//! ### 示例
//! `合计 213.96`，各项为 145.67、9.3、44 和 15（seed 000 的项目表）：各项之和为 213.97；
//! 各数字保留两位小数，差异在四舍五入范围内（提示）。
//! 若合计为 1,500.00，而各项为 1,333.13 和 149.30，则为错误（重大）。

use crate::check::arithmetic::{relation_findings, Context};
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::table::SumBy;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let what = rule.say(settings.lang, &[]);
    relation_findings(x, ctx, SumBy::Row, &what, settings.lang)
}
