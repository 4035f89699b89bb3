//! A total column (收入合计, 支出合计 …) does not equal the sum of the columns under its 其中.
//!
//! ## What it flags
//! In every data row, a column whose header names a total against the columns grouped under
//! the `其中` header next to it. A part that has its own `其中` group (基本支出 = 人员支出 +
//! 公用支出) is itself checked as a total of that group; its children are not counted twice.
//! Without a `其中`, a total column among sibling columns under one header (“三公”经费 |
//! 小计, 因公出国（境）费, 公务用车购置及运行维护费, 公务接待费) sums those siblings, and a
//! total column at the top of the header sums every top-level column (合计 | 基本支出 | 项目支出);
//! a sibling with columns of its own counts through its own 小计. Percentages, dates and
//! columns of their own measure (率, 个数, 序号) are never parts.
//!
//! ## Why it matters
//! The breakdown of income and spending is what budgets are audited on; a row whose parts
//! do not make its total hides a mistyped or missing figure.
//!
//! ## Example
//! `收入合计 1,482.43` with `其中` 上年结转 224.76, 公共财政拨款 1,252.66, 其他收入 5.01 is exact:
//! no finding. `支出合计 1,478.93` over 基本支出 830.35 + 项目支出 648.59 = 1,478.94 is a
//! rounding difference (info). In a “三公” table, 合计 1,471.70 = “三公”经费 小计 508.20 +
//! 会议费 933.50 + 培训费 30.00, and 508.20 = 70.00 + 411.20 + 27.00: exact.
//!
//! ## 中文
//!
//! 合计列（收入合计、支出合计……）不等于其“其中”项下各列之和。
//!
//! ### 检查内容
//! 在每一数据行中，将表头为合计的列与其旁边 `其中` 表头下所列各列之和进行核对。某一
//! 分项若自身另有 `其中` 分组（基本支出 = 人员支出 + 公用支出），则作为该组的合计另行
//! 核对，其下级各列不重复计算。没有“其中”时，同一表头下与若干并列列同处的合计列
//! （“三公”经费 | 小计、因公出国（境）费、公务用车购置及运行维护费、公务接待费）等于这些
//! 并列列之和；位于表头顶层的合计列（合计 | 基本支出 | 项目支出）等于所有顶层列之和；自身
//! 另有下级列的并列列，以其小计计入。百分比、日期及自有计量单位的列（率、个数、序号）
//! 不作为分项。
//!
//! ### 为何重要
//! 收支构成是预算审计的依据；某行各分项之和与合计不符，说明其中有录错或遗漏的数字。
//!
//! ### 示例
//! `收入合计 1,482.43`，`其中` 上年结转 224.76、公共财政拨款 1,252.66、其他收入 5.01，
//! 完全相符：无发现。`支出合计 1,478.93`，而基本支出 830.35 + 项目支出 648.59 =
//! 1,478.94，属四舍五入差异（提示）。“三公”经费表中，合计 1,471.70 = “三公”经费小计
//! 508.20 + 会议费 933.50 + 培训费 30.00，508.20 = 70.00 + 411.20 + 27.00：完全相符。

use crate::check::arithmetic::{relation_findings, Context};
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::table::SumBy;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let what = rule.say(settings.lang, &[]);
    relation_findings(x, ctx, SumBy::Column, &what, settings.lang)
}
