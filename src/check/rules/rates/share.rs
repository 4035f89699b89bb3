//! A share of a total does not follow from the figure and the total it is a share of.
//!
//! ## What it flags
//! A figure followed by its share (`基本支出 6,522.75万元，占 48.76%`, `公务接待费支出 397.5
//! 万元，占“三公”经费的 60.22%`; the words before the percentage start with a `[words] share_of`
//! word). The total is the one before the 其中 whose parts the figure is among, when the share
//! names no other (`本年支出预算合计 13,377.11 万元，其中：…`); else, when two or more such
//! figures follow one another with shares of the same thing that add up to 100 %, the sum of
//! those figures. A share that names its total (`…完成年初预算的105.3%`) is of the figure so
//! named earlier in its paragraph (`年初预算为292.33万元`). The share must be the figure over the
//! total, rounded to the decimals written (a share cut instead of rounded is rounding, as in
//! JX201). A share of a total of 0 (`年初预算为0万元，…完成年初预算的100%`) is a warning, and no
//! division. A share that names a total stated nowhere in its paragraph (`占本年支出合计的
//! 99.92%`) is of the table figures its family labels so (the name, or a label it ends with
//! that is more than a total word: 支出合计), in a table of the figure's unit; one that gives
//! the share is enough (a 部门预算 has a 支出合计 in its 收支预算总表 and in its 财政拨款 table).
//!
//! ## Why it matters
//! Shares are computed by hand when a narrative is written and are not updated when a figure
//! changes; a share that does not follow from its figures shows which of them moved.
//!
//! ## Example
//! 江苏省政协办公厅 2019: `本年收入预算合计 13,377.11 万元，其中：一般公共预算收入 13,297.11万元，
//! 占 99.4%；…其他资金 80万元，占 0.6%` — 13,297.11 ÷ 13,377.11 = 99.40 %, 80 ÷ 13,377.11 =
//! 0.60 %: exact. `因公出国（境）费支出 106万元，占“三公”经费的 16.06%；…156.6 万元，…23.72%；…
//! 397.5 万元，…60.22%` — the shares make 100 %, so the total is 660.1 and 106 ÷ 660.1 = 16.06 %.
//! 江苏省人民检察院 2017: `财政拨款预算支出 17981.68 万元，占本年支出合计的 99.92%` — the
//! 收支预算总表's 支出合计 17,996.68: 99.917 %, exact.
//!
//! ## 中文
//!
//! 某数占总数的比重，不能由该数与其所占的总数得出。
//!
//! ### 检查内容
//! 某数之后写明其比重的（`基本支出 6,522.75万元，占 48.76%`、`公务接待费支出 397.5 万元，占
//! “三公”经费的 60.22%`；百分比前的词以 `[words] share_of` 中的词开头）。比重未写明另一总数的，
//! 总数为该数所属“其中”之前的数（`本年支出预算合计 13,377.11 万元，其中：……`）；否则，两个及以上
//! 这样的数前后相连、所占为同一总数且比重合计 100% 的，总数为这些数之和。写明总数名称的比重
//! （`……完成年初预算的105.3%`），总数为同段此前以该名称写出的数（`年初预算为292.33万元`）。比重
//! 须等于该数除以总数，按所写小数位四舍五入（截尾而非四舍五入的，与 JX201 一样属四舍五入级
//! 差异）。总数为 0 而写了比重的（`年初预算为0万元，……完成年初预算的100%`），为警告，不作除法。
//! 所写总数在同段中未见的比重（`占本年支出合计的 99.92%`），总数为文档族以该名称（或该名称以之
//! 结尾、且不只是合计字样的标签：支出合计）标注的、与该数单位相同的表中数字；其中任一能得出该
//! 比重即可（部门预算的收支预算总表和财政拨款收支总表都有支出合计）。
//!
//! ### 为何重要
//! 比重是撰写说明时手工计算的，某数改动后往往未随之更新；比重与其数字不符，说明其中有数字改过。
//!
//! ### 示例
//! 江苏省政协办公厅 2019 年：`本年收入预算合计 13,377.11 万元，其中：一般公共预算收入 13,297.11
//! 万元，占 99.4%；……其他资金 80万元，占 0.6%`——13,297.11 ÷ 13,377.11 = 99.40%，80 ÷ 13,377.11
//! = 0.60%：完全相符。`因公出国（境）费支出 106万元，占“三公”经费的 16.06%；……156.6 万元，……
//! 23.72%；……397.5 万元，……60.22%`——比重合计 100%，总数为 660.1，106 ÷ 660.1 = 16.06%。
//! 江苏省人民检察院 2017 年：`财政拨款预算支出 17981.68 万元，占本年支出合计的 99.92%`——收支预算
//! 总表的支出合计为 17,996.68：99.917%，完全相符。

use rust_decimal::Decimal;

use super::{block_of, involved, name};
use crate::check::arithmetic::{
    classify_rate, placed_cell, rate_explanation, show, Approx, Context, Placed,
};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::{is_change, is_quantity, Extraction, TextFigure};
use crate::lang::Lang;
use crate::location::At;
use crate::recognize::number::Kind;
use crate::recognize::table::CellRef;
use crate::vocabulary::{common, normalize, Words};

/// A figure and the percentage after it that says what share of a total it is.
struct Share<'x> {
    part: &'x TextFigure,
    rate: &'x TextFigure,
    /// What the share is of, as the percentage's words say (`“三公”经费`), or empty.
    of: String,
    /// The part's and the percentage's indices among the document's text figures.
    index: usize,
    rate_index: usize,
}

/// What a share is compared with.
enum Total<'x> {
    /// The figure before the 其中 the part is listed under.
    Stated(&'x TextFigure),
    /// The sum of a run of parts whose shares make 100 %.
    Listed(Approx, &'x [Share<'x>]),
    /// The table figures labelled with the total the share names (占本年支出合计的99.92%: the
    /// 支出合计 cells), in document order; one that gives the share is enough.
    Tabled(Vec<Placed<'x>>),
}

/// The shares in running text, in reading order.
fn shares(x: &Extraction) -> Vec<Share<'_>> {
    let words = &common().words;
    let mut out = Vec::new();
    let mut share_of: Vec<&String> = words.share_of.iter().collect();
    // The longest first: 占比 before 占.
    share_of.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    for (j, rate) in x.figures.iter().enumerate() {
        if rate.number.kind != Kind::Percent || block_of(rate).is_none() {
            continue;
        }
        // The figure the share is of: the last before it in its paragraph that is no change
        // against another figure (…比年初预算增加15.47万元，完成年初预算的105.3%).
        let Some(index) = (0..j)
            .rev()
            .take_while(|&k| block_of(&x.figures[k]) == block_of(rate))
            .find(|&k| !is_change(&x.figures[k]))
        else {
            continue;
        };
        let part = &x.figures[index];
        if !is_quantity(&part.number) {
            continue;
        }
        let Some(of) = share_of
            .iter()
            .find_map(|w| rate.clause.strip_prefix(w.as_str()))
        else {
            continue;
        };
        let of = words
            .possessive
            .iter()
            .find_map(|w| of.strip_suffix(w.as_str()))
            .unwrap_or(of);
        let of: String = of
            .chars()
            .filter(|c| !matches!(c, '“' | '”' | '"'))
            .collect();
        out.push(Share {
            part,
            rate,
            of,
            index,
            rate_index: j,
        });
    }
    out
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let shares = shares(x);
    let mut out = Vec::new();
    let mut start = 0;
    while start < shares.len() {
        // A run: shares of one thing, each part right after the previous share.
        let mut end = start + 1;
        while end < shares.len()
            && shares[end].of == shares[start].of
            && shares[end].index == shares[end - 1].rate_index + 1
        {
            end += 1;
        }
        let run = &shares[start..end];
        start = end;
        let listed = listed_total(ctx, run);
        for share in run {
            let stated = if share.of.is_empty() {
                stated_total(x, share.part)
            } else {
                named_total(x, share)
            };
            let total = match (stated, &listed) {
                (Some(t), _) => Total::Stated(t),
                (None, Some(sum)) => Total::Listed(*sum, run),
                (None, None) => match tabled_totals(x, ctx, share) {
                    cells if cells.is_empty() => continue,
                    cells => Total::Tabled(cells),
                },
            };
            out.extend(finding(rule, share, &total, ctx, settings.lang));
        }
    }
    out
}

/// The total before the 其中 that lists `part`.
fn stated_total<'x>(x: &'x Extraction, part: &TextFigure) -> Option<&'x TextFigure> {
    x.statements
        .iter()
        .find(|s| s.parts.iter().any(|p| p.at == part.at))
        .map(|s| &s.total)
        .filter(|t| t.number.unit == part.number.unit)
}

/// The figure the share names, stated earlier in its paragraph (`年初预算为0万元，…支出
/// 35万元，完成年初预算的…`): the last one before the part whose subject ends with that name.
fn named_total<'x>(x: &'x Extraction, share: &Share<'_>) -> Option<&'x TextFigure> {
    let block = block_of(share.part)?;
    x.figures[..share.index]
        .iter()
        .rev()
        .take_while(|f| block_of(f) == Some(block))
        .find(|f| {
            f.number.kind == share.part.number.kind
                && f.number.unit == share.part.number.unit
                && !f.subject.is_empty()
                && f.subject.ends_with(share.of.as_str())
        })
}

/// The table figures a share's named total is (占本年支出合计的…: the cells labelled 支出合计): the
/// labelled fields whose label is the name, or ends it and is more than a total word, in a
/// region of the part's unit.
fn tabled_totals<'x>(x: &'x Extraction, ctx: &Context, share: &Share<'_>) -> Vec<Placed<'x>> {
    let of = normalize(&share.of);
    if of.is_empty() {
        return Vec::new();
    }
    let words = &common().words;
    let mut out: Vec<Placed<'x>> = x
        .fields
        .values()
        .filter_map(|field| {
            let label = normalize(field.label.as_deref()?).into_owned();
            let names_it = *of == *label
                || (of.ends_with(label.as_str())
                    && !Words::is_only(&words.total, &label)
                    && words.total.iter().any(|w| label.contains(w.as_str())));
            let At::Cell {
                table, row, col, ..
            } = field.at
            else {
                return None;
            };
            let cell = CellRef { table, row, col };
            let placed = Placed {
                label: field.label.clone()?,
                ..placed_cell(x, ctx, &cell).filter(|_| names_it)?
            };
            let region = x.tables.iter().find(|r| {
                r.table == table && r.rows.iter().any(|candidate| candidate.row == row)
            })?;
            (region.unit.as_deref() == share.part.number.unit.as_deref()).then_some(placed)
        })
        .collect();
    out.sort_by_key(|p| match p.at {
        At::Cell {
            table, row, col, ..
        } => (table, row, col),
        _ => (usize::MAX, 0, 0),
    });
    out.dedup_by(|a, b| a.at == b.at);
    out
}

/// The sum of a run's parts, when there are two or more in one unit and their shares make
/// 100 % within one unit of each share's last decimal.
fn listed_total(ctx: &Context, run: &[Share<'_>]) -> Option<Approx> {
    let [first, _, ..] = run else { return None };
    if run
        .iter()
        .any(|s| s.part.number.unit != first.part.number.unit)
    {
        return None;
    }
    let stated: Decimal = run.iter().map(|s| s.rate.number.value).sum();
    let slack: Decimal = run
        .iter()
        .map(|s| Decimal::new(1, s.rate.number.scale))
        .sum();
    if (stated - Decimal::ONE_HUNDRED).abs() > slack {
        return None;
    }
    let parts: Vec<Approx> = run.iter().map(|s| ctx.text(&s.part.number)).collect();
    Some(Approx {
        value: parts.iter().map(|p| p.value).sum(),
        half: parts.iter().map(|p| p.half).sum(),
        scale: parts.iter().map(|p| p.scale).max().unwrap_or(0),
    })
}

fn finding(
    rule: &Rule,
    share: &Share<'_>,
    total: &Total<'_>,
    ctx: &Context,
    lang: Lang,
) -> Option<Finding> {
    let (part, pct) = (ctx.text(&share.part.number), ctx.text(&share.rate.number));
    let mut figures = vec![involved("part", share.part), involved("share", share.rate)];
    let (denominator, total_name, total_shown) = match total {
        Total::Tabled(cells) => {
            // The first that gives the share; else the first.
            let gives = |c: &Placed<'_>| {
                classify_rate(pct, part, c.approx)
                    .is_some_and(|(class, _)| class != Class::Material)
            };
            let cell = cells.iter().find(|c| gives(c)).unwrap_or(&cells[0]);
            figures.push(cell.involved("total"));
            (
                cell.approx,
                cell.label.clone(),
                cell.number.raw.trim().to_string(),
            )
        }
        Total::Stated(t) => {
            figures.push(involved("total", t));
            (
                ctx.text(&t.number),
                name(t),
                t.number.raw.trim().to_string(),
            )
        }
        Total::Listed(sum, run) => {
            figures.extend(
                run.iter()
                    .filter(|s| s.part.at != share.part.at)
                    .map(|s| involved("listed", s.part)),
            );
            let listed = &common().labels.listed_total;
            match share.of.as_str() {
                "" => (*sum, listed.clone(), show(sum.value)),
                of => (*sum, format!("{of}（{listed}）"), show(sum.value)),
            }
        }
    };
    let subject = name(share.part);
    let values: [(&str, &dyn std::fmt::Display); 5] = [
        ("subject", &subject),
        ("part", &share.part.number.raw.trim()),
        ("rate", &share.rate.number.raw.trim()),
        ("total_name", &total_name),
        ("total", &total_shown),
    ];
    let Some((class, computed)) = classify_rate(pct, part, denominator) else {
        if pct.value.is_zero() {
            return None;
        }
        let said = rule.say_part(lang, "zero", &values);
        return Some(
            Finding::new(None, said, share.rate.at.clone(), figures)
                .figures(Some(show(pct.value)), None, None)
                .at_severity(Severity::Warning),
        );
    };
    if class == Class::Exact {
        return None;
    }
    let explained = rate_explanation(lang, class, pct, computed);
    let computed = computed.round_dp(4);
    let values = [
        ("subject", &subject as &dyn std::fmt::Display),
        ("part", &share.part.number.raw.trim()),
        ("rate", &share.rate.number.raw.trim()),
        ("total_name", &total_name),
        ("total", &total_shown),
        ("computed", &show(computed)),
    ];
    let message = rule.say(lang, &values) + &explained;
    Some(
        Finding::new(Some(class), message, share.rate.at.clone(), figures).figures(
            Some(show(pct.value)),
            Some(show(computed)),
            Some(show(computed - pct.value)),
        ),
    )
}
