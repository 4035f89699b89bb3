//! A balance identity does not hold: 年初结转 + 收入 − 支出 ≠ 年末结转, or 收入 − 支出 ≠ 结余.
//!
//! ## What it flags
//! (1) In a funds table with columns for the opening balance (年初…结转/结余, 上年结转), income
//! (…收入), spending (…支出) and the closing balance (年末…), every row where
//! opening + income − spending differs from closing; an empty cell in such a row counts as 0.
//! (2) Where one table gives each unit's 收入合计 and another its 支出合计 and 当年结转结余, the
//! same unit's income − spending against its 结余.
//!
//! ## Why it matters
//! Money does not appear or vanish between the start and the end of a year; a row that
//! breaks the identity has a wrong figure in it.
//!
//! ## Example
//! `州精准办工作经费`: 9.3 + 169.47 − 178.77 = 0 with 年末 empty: exact. In seed 000 the
//! 合计 row gives 213.96 + 429.62 − 643.59 = −0.01 against an empty 年末: rounding (info).
//!
//! ## 中文
//!
//! 平衡关系不成立：年初结转 + 收入 − 支出 ≠ 年末结转，或收入 − 支出 ≠ 结余。
//!
//! ### 检查内容
//! （1）资金表中设有年初结转结余列（年初…结转/结余、上年结转）、收入列（…收入）、支出列
//! （…支出）和年末结转结余列（年末…）的，逐行核对，年初 + 收入 − 支出不等于年末的行
//! 均予标出；此类行中的空白单元格按 0 计。
//! （2）一张表列出各单位的收入合计，另一张表列出其支出合计和当年结转结余的，核对同一
//! 单位的收入 − 支出是否等于其结余。
//!
//! ### 为何重要
//! 资金不会在年初与年末之间凭空出现或消失；不满足该等式的行，必有数字有误。
//!
//! ### 示例
//! `州精准办工作经费`：9.3 + 169.47 − 178.77 = 0，年末为空：完全相符。seed 000 的合计行
//! 为 213.96 + 429.62 − 643.59 = −0.01，而年末为空：属四舍五入差异（提示）。

use rust_decimal::Decimal;

use crate::check::arithmetic::{classify_difference, show, Approx, Context};
use crate::check::{Class, Finding, Involved, Rule, Settings};
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::location::At;
use crate::recognize::table::Region;
use crate::vocabulary::{Role, Roles};

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let lang = settings.lang;
    let roles = settings.roles(x);
    let mut out = Vec::new();
    for region in &x.tables {
        let col = |role: Role| region.column_for(roles, role);
        let opening = col(Role::OpeningBalance);
        let income = col(Role::Income);
        let spending = col(Role::Spending);
        let closing = col(Role::ClosingBalance);
        let (Some(o), Some(i), Some(s), Some(c)) = (opening, income, spending, closing) else {
            continue;
        };
        for row in &region.rows {
            let figure = |col: usize| row.cells.iter().find(|cell| cell.col == col);
            let value = |col: usize| figure(col).and_then(|cell| cell.number.as_ref());
            if [o, i, s]
                .iter()
                .filter(|&&col| value(col).is_some())
                .count()
                < 2
            {
                continue;
            }
            let a = |col: usize| {
                value(col).map_or(Approx::new(Decimal::ZERO, 0, true), |n| {
                    ctx.cell(region, col, n)
                })
            };
            let computed = a(o).value + a(i).value - a(s).value;
            let stated = a(c);
            let slack = a(o).half + a(i).half + a(s).half + stated.half;
            let diff = computed - stated.value;
            let class = classify_difference(diff, slack);
            if class == Class::Exact {
                continue;
            }
            // An empty cell points at its row (the row's first cell).
            let Some(row_origin) = row.cells.first().map(|c| c.origin.clone()) else {
                continue;
            };
            let at = |col: usize| At::Cell {
                table: region.table,
                row: row.row,
                col,
                origin: figure(col).map_or_else(|| row_origin.clone(), |f| f.origin.clone()),
            };
            let involved = [
                (o, "opening"),
                (i, "income"),
                (s, "spending"),
                (c, "closing"),
            ]
            .iter()
            .map(|&(col, role)| Involved {
                document: None,
                role,
                label: format!("{}/{}", row.label, region.column_name(col)),
                raw: figure(col).map_or(String::new(), |f| f.text.trim().to_string()),
                at: at(col),
            })
            .collect();
            out.push(finding(
                class,
                rule.say(
                    lang,
                    &[
                        ("row", &row.label),
                        ("opening", &region.column_name(o)),
                        ("income", &region.column_name(i)),
                        ("spending", &region.column_name(s)),
                        ("computed", &show(computed)),
                        ("closing", &region.column_name(c)),
                        (
                            "stated",
                            &if value(c).is_some() {
                                show(stated.value)
                            } else {
                                lang.say("empty", &[])
                            },
                        ),
                    ],
                ),
                (stated.value, computed),
                at(c),
                involved,
            ));
        }
    }
    out.extend(income_minus_spending(rule, x, ctx, roles, lang));
    out
}

/// 收入合计 − 支出合计 = 当年结转结余 for rows with the same label in two regions.
fn income_minus_spending(
    rule: &Rule,
    x: &Extraction,
    ctx: &Context,
    roles: &Roles,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some((inc, ci)) = x
        .tables
        .iter()
        .find_map(|r| Some((r, r.column_for(roles, Role::IncomeTotal)?)))
    else {
        return out;
    };
    let Some((exp, ce, cb)) = x.tables.iter().find_map(|r| {
        Some((
            r,
            r.column_for(roles, Role::SpendingTotal)?,
            r.column_for(roles, Role::BalanceOfYear)?,
        ))
    }) else {
        return out;
    };
    for row in &exp.rows {
        let Some(inc_row) = inc.rows.iter().find(|r| r.label == row.label) else {
            continue;
        };
        let (Some(income), Some(spending)) =
            (inc.number_at(inc_row.row, ci), exp.number_at(row.row, ce))
        else {
            continue;
        };
        let balance = exp.number_at(row.row, cb);
        let ai = ctx.cell(inc, ci, income);
        let ae = ctx.cell(exp, ce, spending);
        let ab = balance.map_or(Approx::new(Decimal::ZERO, 0, true), |n| {
            ctx.cell(exp, cb, n)
        });
        let computed = ai.value - ae.value;
        let diff = computed - ab.value;
        let class = classify_difference(diff, ai.half + ae.half + ab.half);
        if class == Class::Exact {
            continue;
        }
        let Some(row_origin) = row.cells.first().map(|c| c.origin.clone()) else {
            continue;
        };
        let cell_at = |r: &Region, row: usize, col: usize| {
            let origin = r
                .rows
                .iter()
                .find(|x| x.row == row)
                .and_then(|x| x.cells.iter().find(|c| c.col == col))
                .map(|c| c.origin.clone());
            At::Cell {
                table: r.table,
                row,
                col,
                origin: origin.unwrap_or_else(|| row_origin.clone()),
            }
        };
        out.push(finding(
            class,
            rule.say_part(
                lang,
                "across",
                &[
                    ("row", &row.label),
                    ("income", &income.raw.trim()),
                    ("spending", &spending.raw.trim()),
                    ("computed", &show(computed)),
                    (
                        "stated",
                        &balance
                            .map_or_else(|| lang.say("empty", &[]), |b| b.raw.trim().to_string()),
                    ),
                ],
            ),
            (ab.value, computed),
            cell_at(exp, row.row, cb),
            vec![
                Involved {
                    document: None,
                    role: "income",
                    label: format!("{}/{}", row.label, inc.column_name(ci)),
                    raw: income.raw.trim().to_string(),
                    at: cell_at(inc, inc_row.row, ci),
                },
                Involved {
                    document: None,
                    role: "spending",
                    label: format!("{}/{}", row.label, exp.column_name(ce)),
                    raw: spending.raw.trim().to_string(),
                    at: cell_at(exp, row.row, ce),
                },
            ],
        ));
    }
    out
}

/// A finding of the identity: stated and computed closing balances.
fn finding(
    class: Class,
    message: String,
    (stated, computed): (Decimal, Decimal),
    at: At,
    involved: Vec<Involved>,
) -> Finding {
    Finding::new(Some(class), message, at, involved).figures(
        Some(show(stated)),
        Some(show(computed)),
        Some(show(computed - stated)),
    )
}
