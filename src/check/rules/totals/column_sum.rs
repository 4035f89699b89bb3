//! A total column (收入合计, 支出合计 …) does not equal the sum of the columns under its 其中.
//!
//! ## What it flags
//! In every data row, a column whose header names a total against the columns grouped under
//! the `其中` header next to it. A part that has its own `其中` group (基本支出 = 人员支出 +
//! 公用支出) is itself checked as a total of that group; its children are not counted twice.
//!
//! ## Why it matters
//! The breakdown of income and spending is what budgets are audited on; a row whose parts
//! do not make its total hides a mistyped or missing figure.
//!
//! ## Example
//! `收入合计 1,482.43` with `其中` 上年结转 224.76, 公共财政拨款 1,252.66, 其他收入 5.01 is exact:
//! no finding. `支出合计 1,478.93` over 基本支出 830.35 + 项目支出 648.59 = 1,478.94 is a
//! rounding difference (info).
//!
//! ## 中文
//!
//! 合计列（收入合计、支出合计……）不等于其“其中”项下各列之和。
//!
//! ### 检查内容
//! 在每一数据行中，将表头为合计的列与其旁边 `其中` 表头下所列各列之和进行核对。某一
//! 分项若自身另有 `其中` 分组（基本支出 = 人员支出 + 公用支出），则作为该组的合计另行
//! 核对，其下级各列不重复计算。
//!
//! ### 为何重要
//! 收支构成是预算审计的依据；某行各分项之和与合计不符，说明其中有录错或遗漏的数字。
//!
//! ### 示例
//! `收入合计 1,482.43`，`其中` 上年结转 224.76、公共财政拨款 1,252.66、其他收入 5.01，
//! 完全相符：无发现。`支出合计 1,478.93`，而基本支出 830.35 + 项目支出 648.59 =
//! 1,478.94，属四舍五入差异（提示）。

use crate::check::arithmetic::{relation_findings, Context};
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::table::SumBy;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let what = rule.say(settings.lang, &[]);
    relation_findings(x, ctx, SumBy::Column, &what, settings.lang)
}
