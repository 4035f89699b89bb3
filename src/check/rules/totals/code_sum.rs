//! A classification code's row (类, 款) does not equal the sum of the rows of the next level
//! under it, or a total row the sum of the top-level codes.
//!
//! ## What it flags
//! In any table keyed by classification codes — 功能分类科目编码 `204` → `20404` →
//! `2040401`, 经济分类 `301` → `30101`, in one column or split over 类 | 款 | 项 columns
//! (`208 | 05 | 05`) — every amount of a 类 row against the sum of its 款 rows, of a 款 row
//! against its 项 rows, and of a 合计 row against the 类 rows. The codes are found by their
//! digits (3, 5 and 7, longer codes extending shorter ones), whatever the column is called.
//!
//! ## Why it matters
//! The standard tables of 部门预算 and 部门决算 (一般公共预算支出表, 基本支出表, 政府性基金表
//! …) are built on this hierarchy; a 类 amount that its 款 do not make up is a mistyped or a
//! missing line, and the totals quoted in the narrative come from these rows.
//!
//! ## Example
//! 江苏省人民检察院 2017 财政拨款支出预算表: `204 公共安全支出 13,641.34` over `20404 检察
//! 13,641.34`, which is 7,968.14 + 3,644.20 + 480.00 + 150.00 + 100.00 + 1,299.00 over its six
//! 项 rows: exact, no finding. `20404` written 13,614.34 would be an error on both relations.
//!
//! ## 中文
//!
//! 科目编码行（类、款）不等于其下一级各行之和，或合计行不等于各“类”行之和。
//!
//! ### 检查内容
//! 在任何以科目编码为行的表中——功能分类科目编码 `204` → `20404` → `2040401`，经济分类
//! `301` → `30101`，编码写在一列，或分写在 类 | 款 | 项 三列（`208 | 05 | 05`）——逐个金额
//! 核对：类行等于其各款行之和，款行等于其各项行之和，合计行等于各类行之和。编码按数字
//! 识别（3、5、7 位，长编码以短编码开头），与该列的列名无关。
//!
//! ### 为何重要
//! 部门预算、部门决算的标准表（一般公共预算支出表、基本支出表、政府性基金表……）都按这一
//! 层级编制；类的金额与其各款之和不符，说明有录错或漏列的行，而情况说明中引用的总数正
//! 来自这些行。
//!
//! ### 示例
//! 江苏省人民检察院 2017 年财政拨款支出预算表：`204 公共安全支出 13,641.34`，其下
//! `20404 检察 13,641.34`，后者为其六个项行 7,968.14 + 3,644.20 + 480.00 + 150.00 + 100.00 +
//! 1,299.00 之和：完全相符，无发现。若 `20404` 写成 13,614.34，两处关系都报错误。

use crate::check::arithmetic::{relation_findings, Context};
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::table::SumBy;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let what = rule.say(settings.lang, &[]);
    relation_findings(x, ctx, SumBy::Code, &what, settings.lang)
}
