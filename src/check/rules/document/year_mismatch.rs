//! A standard table's title names another year than the report's.
//!
//! ## What it flags
//! In a document whose family gives its year (the cover's `2025年区级部门预算`), a standard
//! table whose title states years, none of them the report's (`2018年部门收入预算总表` in a
//! 2019 budget).
//!
//! ## Why it matters
//! A table copied from last year's publication and not updated carries last year's title —
//! and, most likely, last year's figures.
//!
//! ## Example
//! 上海市普陀区商务委员会 2025: every table is titled `2025年部门…`: no finding. The same
//! document with its 收入预算总表 titled `2024年部门收入预算总表`: a warning.
//!
//! ## 中文
//!
//! 标准表标题所写年份与报告年份不符。
//!
//! ### 检查内容
//! 文档族给出报告年份（封面的 `2025年区级部门预算`）的文档中，标题写有年份、但均非报告年份的
//! 标准表（2019 年预算中的 `2018年部门收入预算总表`）。
//!
//! ### 为何重要
//! 从上年公开材料复制而未更新的表格，带着上年的标题——很可能也带着上年的数字。
//!
//! ### 示例
//! 上海市普陀区商务委员会 2025 年：各表标题均为 `2025年部门……`：无发现。若其收入预算总表
//! 标题写作 `2024年部门收入预算总表`：警告。

use rust_decimal::prelude::ToPrimitive;

use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::number::{scan, Kind};

/// The years a title states (the date figures of four digits from 1900 on: `2025年`).
fn years(title: &str) -> Vec<u32> {
    scan(title)
        .into_iter()
        .filter(|n| n.kind == Kind::Date && n.scale == 0)
        .filter_map(|n| n.value.to_u32())
        .filter(|y| (1900..=2100).contains(y))
        .collect()
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let Some(year) = x.meta.year else {
        return Vec::new();
    };
    x.standard_tables
        .iter()
        .flat_map(|s| &s.found)
        .filter_map(|t| {
            let years = years(&t.title);
            let stated = *years.first()?;
            if years.contains(&year) {
                return None;
            }
            let message = rule.say(
                settings.lang,
                &[
                    ("table", &t.name),
                    ("title", &t.title),
                    ("stated", &stated),
                    ("year", &year),
                ],
            );
            Some(Finding::new(None, message, t.at.clone(), Vec::new()))
        })
        .collect()
}
