//! The points or scores of a section do not add up to the section's stated maximum or total.
//!
//! ## What it flags
//! (1) In an indicator table with a 分值 column, rows grouped under a label that states
//! points (`产出指标 (50 分)`, `效益指标（30 分）`): the sum of their 分值 against that figure.
//! (2) In a report of any family whose section headings state their points (`（一）投入（满分20分，
//! 得20分）`, `二、项目过程（27分）`): the sum of the section scores against the stated 总分, and
//! the sum of the maxima (two or more) against 100. The sections are the headings numbered like
//! the first one that states points, so `1.预算编制（10分）` under `一、投入` is not added in.
//!
//! Points and scores are assigned, not measured: the sums are compared exactly, so half a
//! point off is an error, not rounding.
//!
//! ## Why it matters
//! A scoring table whose sections do not add up was edited after its totals were fixed, and
//! its total score cannot be trusted.
//!
//! ## Example
//! Seed 003: the 产出指标 rows have 分值 3×8 + 2 + 2×3 + 2×3 + 2×6 = 50 = `(50 分)`, exact.
//! Seed 004: 20 + 20 + 20 + 40 = 100 = 总分 100, exact; seed 003's 一级指标 written as headings,
//! 13 + 27 + 41 + 19 = 100.
//!
//! ## 中文
//!
//! 某一部分的分值或得分之和，不等于该部分所注明的满分或合计。
//!
//! ### 检查内容
//! （1）设有分值列的指标表中，归于注明分值的标签（`产出指标 (50 分)`、`效益指标（30 分）`）
//! 之下的各行：其分值之和与所注分数核对。
//! （2）任一类别的报告，其各部分标题注明分数（`（一）投入（满分20分，得20分）`、
//! `二、项目过程（27分）`）：各部分得分之和与所述总分核对，各部分（两个及以上）满分之和与
//! 100 核对。所谓各部分，是与第一个注明分数的标题编号方式相同的标题，因此 `一、投入` 之下的
//! `1.预算编制（10分）` 不计入。
//!
//! 分值和得分是评定的而非测量的：各项之和按完全相等核对，相差半分即为错误，而非四舍五入。
//!
//! ### 为何重要
//! 各部分加不上的评分表，说明合计确定之后又作过改动，其总分不可信。
//!
//! ### 示例
//! seed 003：产出指标各行分值为 3×8 + 2 + 2×3 + 2×3 + 2×6 = 50 = `(50 分)`，完全相符。
//! seed 004：20 + 20 + 20 + 40 = 100 = 总分 100，完全相符；seed 003 的一级指标写成标题，
//! 13 + 27 + 41 + 19 = 100。

use rust_decimal::Decimal;

use crate::check::arithmetic::{
    assigned, placed_cell, placed_field, sum_finding, Approx, Context, Placed,
};
use crate::check::{Finding, Rule, Settings};
use crate::extract::family::ScoreFields;
use crate::extract::{Extraction, Field};
use crate::lang::Lang;
use crate::location::At;
use crate::recognize::number::{scan, Kind, Number};
use crate::recognize::table::{squeeze, CellRef};
use crate::vocabulary::{common, Role, Roles};

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let roles = settings.roles(x);
    for region in &x.tables {
        let Some(points_col) = region.column_for(roles, Role::Points) else {
            continue;
        };
        // Group labels that state points, in order of first appearance.
        let mut groups: Vec<(String, Number)> = Vec::new();
        for row in &region.rows {
            for label in &row.label_path {
                if groups.iter().any(|(l, _)| l == label) {
                    continue;
                }
                if let Some(n) = scan(label).into_iter().find(|n| n.kind == Kind::Score) {
                    groups.push((label.clone(), n));
                }
            }
        }
        for (label, stated) in groups {
            let rows: Vec<&crate::recognize::table::Row> = region
                .rows
                .iter()
                // By name, not depth: a text export can lose a label column on some rows.
                .filter(|r| r.label_path.contains(&label))
                .collect();
            let mut parts: Vec<Placed<'_>> = rows
                .iter()
                .filter_map(|r| {
                    placed_cell(
                        x,
                        ctx,
                        &CellRef {
                            table: region.table,
                            row: r.row,
                            col: points_col,
                        },
                    )
                })
                .collect();
            let Some(first) = rows.first() else { continue };
            // The label's own cell (资金管理（14分） stands in the second column).
            let own = squeeze(&label);
            let Some(cell) = first
                .cells
                .iter()
                .find(|c| squeeze(&c.text) == own)
                .or(first.cells.first())
            else {
                continue;
            };
            let mut total = Placed {
                number: &stated,
                approx: Approx::new(stated.value, stated.scale, false),
                label: label.clone(),
                at: At::Cell {
                    table: region.table,
                    row: first.row,
                    col: cell.col,
                    origin: cell.origin.clone(),
                },
            };
            assigned(&mut total, &mut parts);
            out.extend(sum_finding(
                &total,
                &parts,
                &rule.say_part(settings.lang, "points", &[]),
                settings.lang,
            ));
        }
    }
    out.extend(narrative_sections(
        rule,
        x,
        settings.scores(x),
        roles,
        settings.lang,
    ));
    out
}

/// The section scores against the total score, and the section maxima against 100.
fn narrative_sections(
    rule: &Rule,
    x: &Extraction,
    scores: &ScoreFields,
    roles: &Roles,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let sections = scores.sections(&x.fields);
    let total = scores
        .total(&x.fields)
        .and_then(|f| f.number().map(|n| (f, n)));
    if let Some((total_field, total)) = total {
        let mut parts: Vec<(&str, &Field, Number)> = sections
            .iter()
            .filter_map(|s| s.score)
            .filter_map(|(k, f)| f.number().map(|n| (k, f, n)))
            .collect();
        // In reading order, not in the order of the field keys.
        parts.sort_by_key(|(_, f, _)| f.at.sort_key());
        if !parts.is_empty() {
            let mut placed_parts: Vec<Placed<'_>> = parts
                .iter()
                .map(|(k, f, n)| placed_field(n, f.label.as_deref().unwrap_or(k), f))
                .collect();
            let mut placed_total = placed_field(&total, roles.label(Role::TotalScore), total_field);
            assigned(&mut placed_total, &mut placed_parts);
            out.extend(sum_finding(
                &placed_total,
                &placed_parts,
                &rule.say_part(lang, "scores", &[]),
                lang,
            ));
        }
    }
    let mut maxima: Vec<(&Field, Number)> = sections
        .iter()
        .filter_map(|s| s.maximum)
        .filter_map(|(_, f)| f.number().map(|n| (f, n)))
        .collect();
    maxima.sort_by_key(|(f, _)| f.at.sort_key());
    // One section's maximum alone is no share of the whole.
    if let [(first, first_max), _, ..] = maxima.as_slice() {
        let hundred = Number {
            raw: "100".to_string(),
            value: Decimal::ONE_HUNDRED,
            base_value: Decimal::ONE_HUNDRED,
            ..first_max.clone()
        };
        let maximum = roles.label(Role::Maximum);
        let mut placed_max: Vec<Placed<'_>> = maxima
            .iter()
            .map(|(f, n)| placed_field(n, f.label.as_deref().unwrap_or(maximum), f))
            .collect();
        let mut all = placed_field(&hundred, &common().labels.all_maxima, first);
        assigned(&mut all, &mut placed_max);
        out.extend(sum_finding(
            &all,
            &placed_max,
            &rule.say_part(lang, "maxima", &[]),
            lang,
        ));
    }
    out
}
