//! A table's title or a heading names another year than the report's.
//!
//! ## What it flags
//! In a document whose family gives its year (the cover's `2025年区级部门预算`), a standard
//! table whose title states years, none of them the report's (`2018年部门收入预算总表` in a
//! 2019 budget) — and so any other table whose title names a table (it ends with a
//! `table_title` word such as 表 or 一览, a bracketed unit aside), once per title. And a
//! heading (marked as one, or short, numbered and ending without punctuation) whose years all
//! come before the report's, unless it names the year before as such (a `previous_year` word:
//! 上年度问题整改情况); a later year is a plan (`三、2022年工作计划` in a 2021 report).
//!
//! ## Why it matters
//! A table or a section copied from last year's publication and not updated carries last
//! year's title — and, most likely, last year's figures.
//!
//! ## Example
//! 上海市普陀区商务委员会 2025: every table is titled `2025年部门…`: no finding. The same
//! document with its 收入预算总表 titled `2024年部门收入预算总表`: a warning. Hunan's 2023
//! 自评表 with its 附件 titled `2022年度…项目个数统计表`: a warning too. Xiangxi's 2021 report
//! with its heading `1、2021年度州级专项资金分配安排和使用管理情况` written `1、2020年度…`: a
//! warning.
//!
//! ## 中文
//!
//! 表格标题或章节标题所写年份与报告年份不符。
//!
//! ### 检查内容
//! 文档族给出报告年份（封面的 `2025年区级部门预算`）的文档中，标题写有年份、但均非报告年份的
//! 标准表（2019 年预算中的 `2018年部门收入预算总表`）；其他标题表明是表格的（以 `table_title`
//! 词表中的“表”“一览”等结尾，括注单位不计），同一标题只报一次，亦然。章节标题（标为标题的，
//! 或以编号开头、不以标点结尾的短段落）所写年份均早于报告年份的，也报告，除非它以
//! `previous_year` 词表中的词（上年度问题整改情况）指明是上年；晚于报告年份的是计划
//! （2021 年报告中的 `三、2022年工作计划`）。
//!
//! ### 为何重要
//! 从上年公开材料复制而未更新的表格或章节，带着上年的标题——很可能也带着上年的数字。
//!
//! ### 示例
//! 上海市普陀区商务委员会 2025 年：各表标题均为 `2025年部门……`：无发现。若其收入预算总表
//! 标题写作 `2024年部门收入预算总表`：警告。湖南省 2023 年度自评表的附件若题为
//! `2022年度…项目个数统计表`：同样警告。湘西州 2021 年度报告的标题
//! `1、2021年度州级专项资金分配安排和使用管理情况` 若写作 `1、2020年度……`：警告。

use std::collections::BTreeSet;

use rust_decimal::prelude::ToPrimitive;

use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::location::At;
use crate::recognize::number::{scan, Kind};
use crate::vocabulary::common;

/// The years a title states (the date figures of four digits from 1900 on: `2025年`).
fn years(title: &str) -> Vec<u32> {
    scan(title)
        .into_iter()
        .filter(|n| n.kind == Kind::Date && n.scale == 0)
        .filter_map(|n| n.value.to_u32())
        .filter(|y| (1900..=2100).contains(y))
        .collect()
}

/// Whether a title names a table: it ends with a `table_title` word, a bracketed unit aside
/// (`2023年度…绩效自评表（万元）`).
fn names_a_table(title: &str) -> bool {
    let title = title.trim_end();
    let title = match title.strip_suffix(['）', ')']) {
        Some(inner) => inner
            .rfind(['（', '('])
            .map_or(inner, |open| &inner[..open]),
        None => title,
    };
    common()
        .words
        .table_title
        .iter()
        .any(|w| title.ends_with(w.as_str()))
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let Some(year) = x.meta.year else {
        return Vec::new();
    };
    let standard = x.standard_tables.iter().flat_map(|s| &s.found);
    let standard_tables: BTreeSet<usize> = standard.clone().map(|t| t.table).collect();
    let stated_other = |title: &str| {
        let years = years(title);
        (!years.contains(&year))
            .then(|| years.first().copied())
            .flatten()
    };
    let mut findings: Vec<Finding> = standard
        .filter_map(|t| {
            let stated = stated_other(&t.title)?;
            let values: [(&str, &dyn std::fmt::Display); 4] = [
                ("table", &t.name),
                ("title", &t.title),
                ("stated", &stated),
                ("year", &year),
            ];
            let message = rule.say(settings.lang, &values);
            Some(Finding::new(None, message, t.at.clone(), Vec::new()))
        })
        .collect();
    // Every other table whose title names a table, once per title (a funds table and the
    // indicator table under one 自评表 title are one form).
    let mut seen = BTreeSet::new();
    for r in &x.tables {
        let (Some(title), Some(row)) = (r.title.as_deref(), r.rows.first()) else {
            continue;
        };
        let Some(cell) = row.cells.first() else {
            continue;
        };
        if standard_tables.contains(&r.table) || !names_a_table(title) || !seen.insert(title) {
            continue;
        }
        let Some(stated) = stated_other(title) else {
            continue;
        };
        let values: [(&str, &dyn std::fmt::Display); 3] =
            [("title", &title), ("stated", &stated), ("year", &year)];
        let message = rule.say_part(settings.lang, "table", &values);
        let at = At::Cell {
            table: r.table,
            row: row.row,
            col: cell.col,
            origin: cell.origin.clone(),
        };
        findings.push(Finding::new(None, message, at, Vec::new()));
    }
    // Headings whose every year is before the report's, the year before not named as such.
    let previous_year = &common().words.previous_year;
    for h in &x.headings {
        let years = years(&h.text);
        let (Some(&stated), Some(&latest)) = (years.first(), years.iter().max()) else {
            continue;
        };
        if latest >= year || previous_year.iter().any(|w| h.text.contains(w.as_str())) {
            continue;
        }
        let heading = h.text.trim();
        let values: [(&str, &dyn std::fmt::Display); 3] =
            [("heading", &heading), ("stated", &stated), ("year", &year)];
        let message = rule.say_part(settings.lang, "heading", &values);
        findings.push(Finding::new(None, message, h.at.clone(), Vec::new()));
    }
    findings
}
