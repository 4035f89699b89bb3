//! The same quantity is stated twice in one document with different values.
//!
//! ## What it flags
//! Two tables of one document (two attachments, a form and its annex) that have a column of
//! the same name and rows for the same entity: the two figures must agree. Rows are matched
//! by label after dropping `小计`, a trailing `市`, and reading `省本级`/`省直` and
//! `全省合计`/`合计` alike. Counts must agree exactly; amounts within rounding. A total row
//! under a column that does not say what it counts (`金额`, `合计`) is no quantity of its own:
//! a 部门预算's 支出表 and 基本支出表 both have a 合计/金额, of different sums. And an indicator
//! row named as a rate (`一年以内资金执行率`) whose 实际完成值 restates the funds table's rate of
//! that name (`执行率`): the two must agree within rounding. Tables of two projects (their
//! 项目名称 cells differ) are not compared: a file may hold the forms of several projects.
//!
//! ## Why it matters
//! When two parts of a report disagree, at least one is wrong, and which one feeds the
//! higher-level statistics is a matter of chance.
//!
//! ## Example
//! Seed 003: 附件2 gives 长沙市 365 projects and 全省合计 9979; 附件3 gives 长沙市小计 366 and
//! 全省合计 9978 — both errors.
//!
//! ## 中文
//!
//! 同一数量在同一文档中出现两次，数值却不相同。
//!
//! ### 检查内容
//! 同一文档中的两张表（两个附件，或一张报表及其附表），若有同名列、且有同一主体的行，
//! 两处数字必须一致。行按标签匹配：去掉 `小计` 和末尾的 `市`，并将 `省本级`/`省直`、
//! `全省合计`/`合计` 视为相同。个数须完全一致；金额在四舍五入范围内一致即可。列名不说明
//! 所计何物（`金额`、`合计`）时，合计行不构成独立的数量：部门预算的支出表与基本支出表都有
//! 合计/金额，是不同的总数。以及以比率命名的指标行（`一年以内资金执行率`），其实际完成值
//! 复述资金表中同名的比率（`执行率`）的，两者须在四舍五入范围内一致。两个项目的表（项目名称
//! 单元格不同）不相比较：一个文件可能收有多个项目的自评表。
//!
//! ### 为何重要
//! 报告两处数字不一致，至少有一处有误；而进入上级统计的究竟是哪一个，全凭偶然。
//!
//! ### 示例
//! seed 003：附件2 中长沙市项目 365 个、全省合计 9979 个；附件3 中长沙市小计 366 个、
//! 全省合计 9978 个——两处均为错误。

use std::collections::HashMap;

use crate::check::arithmetic::{
    cells_sum_exactly, funds_rate, placed_cell, placed_in, sum_finding, Context, Placed,
};
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::number::Kind;
use crate::recognize::table::{CellRef, Region};
use crate::vocabulary::{common, Role, Words};

/// The figures of a region that have a row label and a column name of two characters or more:
/// (column name, entity, cell). `entities` are the region's row labels reduced by
/// the vocabulary's [`entity`](crate::vocabulary::Vocabulary::entity). A total row under a
/// column that does not say what it counts (合计/金额) names no quantity of its own.
fn figures<'r>(region: &'r Region, entities: &'r [String]) -> Vec<(&'r str, &'r str, CellRef)> {
    let words = &common().words;
    let mut out = Vec::new();
    for col in &region.columns {
        let Some(name) = col.path.last() else {
            continue;
        };
        if name.chars().count() < 2 {
            continue;
        }
        let unnamed = col.total || Words::is_only(&words.amount_only, name);
        for (row, entity) in region.rows.iter().zip(entities) {
            if row.label.is_empty()
                || (unnamed && row.total)
                || !row
                    .cells
                    .iter()
                    .any(|c| c.col == col.col && c.number.is_some())
            {
                continue;
            }
            out.push((
                name.as_str(),
                entity.as_str(),
                CellRef {
                    table: region.table,
                    row: row.row,
                    col: col.col,
                },
            ));
        }
    }
    out
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let entities: Vec<Vec<String>> = x
        .tables
        .iter()
        .map(|r| {
            r.rows
                .iter()
                .map(|row| common().entity(&row.label))
                .collect()
        })
        .collect();
    let figures: Vec<_> = x
        .tables
        .iter()
        .zip(&entities)
        .map(|(r, e)| figures(r, e))
        .collect();
    // For each (column name, entity): the regions that have it, with their first such cell.
    let mut seen: HashMap<(&str, &str), Vec<(usize, &CellRef)>> = HashMap::new();
    for (i, in_region) in figures.iter().enumerate() {
        for (name, label, cell) in in_region {
            let regions = seen.entry((*name, *label)).or_default();
            if regions.last().is_none_or(|(r, _)| *r != i) {
                regions.push((i, cell));
            }
        }
    }
    // Every figure of a later region against the same quantity in each earlier region of
    // another table, in the order (earlier region, later region, figure).
    let mut pairs: Vec<(usize, usize, usize, &CellRef, &CellRef)> = Vec::new();
    for (j, in_region) in figures.iter().enumerate() {
        for (k, (name, label, cell_b)) in in_region.iter().enumerate() {
            for &(i, cell_a) in &seen[&(*name, *label)] {
                let (a, b) = (&x.tables[i], &x.tables[j]);
                // Two projects' forms in one file hold the same rows of other quantities.
                let other_project =
                    a.project.is_some() && b.project.is_some() && a.project != b.project;
                if i < j && a.table != b.table && !other_project {
                    pairs.push((i, j, k, cell_a, cell_b));
                }
            }
        }
    }
    pairs.sort_by_key(|p| (p.0, p.1, p.2));
    let mut out = Vec::new();
    for (_, _, _, cell_a, cell_b) in pairs {
        if cells_sum_exactly(x, ctx, cell_b, std::slice::from_ref(cell_a)) {
            continue;
        }
        let (Some(mut first), Some(mut second)) =
            (placed_cell(x, ctx, cell_a), placed_cell(x, ctx, cell_b))
        else {
            continue;
        };
        // Both figures carry the same row and column names; the table (counted from 1, as
        // everywhere people read it) tells them apart.
        first.label = format!("table {} {}", cell_a.table + 1, first.label);
        second.label = format!("table {} {}", cell_b.table + 1, second.label);
        let parts: Vec<Placed<'_>> = vec![first];
        out.extend(sum_finding(
            &second,
            &parts,
            &rule.say(settings.lang, &[]),
            settings.lang,
        ));
    }
    out.extend(restated_rates(rule, x, ctx, settings));
    out
}

/// An indicator row named as a rate (一年以内资金执行率) whose actual value restates the
/// document's funds rate of that name (执行率 94.97%): the two must agree within rounding.
fn restated_rates(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let roles = settings.roles(x);
    let mut out = Vec::new();
    for region in &x.tables {
        let Some(actual_col) = region.column_for(roles, Role::Actual) else {
            continue;
        };
        let words = &common().words;
        // 一年以内资金执行率 restates the funds rate; 政府采购计划执行率 is another rate.
        let of_funds = |label: &str| words.funds.iter().any(|w| label.contains(w.as_str()));
        let rows = region.rows.iter();
        for row in rows.filter(|r| roles.matches(Role::Rate, &r.label) && of_funds(&r.label)) {
            let Some(actual) = placed_in(x, ctx, region, row.row, actual_col)
                .filter(|a| a.number.kind == Kind::Percent && a.number.comparator.is_none())
            else {
                continue;
            };
            let Some(funds) = funds_rate(x, ctx, roles, region, &row.label) else {
                continue;
            };
            if funds.at == actual.at {
                continue;
            }
            // At the indicator's cell: the restatement is what is read against the table.
            out.extend(sum_finding(
                &actual,
                std::slice::from_ref(&funds),
                &rule.say_part(settings.lang, "restated", &[]),
                settings.lang,
            ));
        }
    }
    out
}
