//! A standard table of the template is left empty without a note saying so.
//!
//! ## What it flags
//! A table the family's template names (`[[kind]]`: 政府性基金预算支出表 …) in which no cell holds
//! a figure, when neither a cell of the table nor one of the three paragraphs after it says
//! that it is empty on purpose (the vocabulary's `empty_table` words: 本部门无相关收支项目,
//! 故本表为空表, 无…安排).
//!
//! ## Why it matters
//! The template requires every standard table to be published; one with no figures must say
//! that the department has no such income or spending, or the reader cannot tell a real nil
//! from a table whose figures were lost or never filled in.
//!
//! ## Example
//! 中共江苏省委办公厅 2019, 财政拨款政府性基金支出预算表: every amount empty, followed by
//! `注：本部门无相关收支项目` — declared, no finding. The same table without the note: a warning.
//!
//! ## 中文
//!
//! 模板规定的标准表为空，且没有说明。
//!
//! ### 检查内容
//! 文档族模板列明的表格（`[[kind]]`：政府性基金预算支出表等）中没有任何单元格含有数字，
//! 而表内单元格及表后三个段落均未说明该表有意为空（词表 `empty_table` 所列的词：本部门无相关
//! 收支项目、故本表为空表、无……安排）的，予以标出。
//!
//! ### 为何重要
//! 模板要求每张标准表都须公开；没有数字的表应说明本部门无此类收支，否则读者无法分辨确实
//! 为零，还是数字遗失或未填。
//!
//! ### 示例
//! 中共江苏省委办公厅 2019 年财政拨款政府性基金支出预算表：金额全部为空，表后注明
//! `注：本部门无相关收支项目`——已说明，无发现。同一张表若无此注：警告。

use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    x.standard_tables
        .iter()
        .flat_map(|s| &s.found)
        .filter(|t| t.empty && t.note.is_none())
        .map(|t| {
            Finding::new(
                None,
                rule.say(settings.lang, &[("table", &t.name)]),
                t.at.clone(),
                Vec::new(),
            )
        })
        .collect()
}
