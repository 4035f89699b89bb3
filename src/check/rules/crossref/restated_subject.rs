//! One subject of the text is given two figures in two paragraphs.
//!
//! ## What it flags
//! A subject (the words a figure counts, found by segmentation: `补短板综合财力补助资金`
//! in `…积极争取到补短板综合财力补助资金11.07亿元`) of six Han characters or more that the text
//! gives a figure in exactly two paragraphs, once in each, in the same unit, in two sentences
//! of other words (a sentence written twice is JX404's): the two figures must agree, within
//! each other's rounding where written with other decimals or in another unit (`11.07亿元` and
//! `110700万元` agree). Reports state a project's amounts in 项目概况 and again, in other words,
//! in 项目实施情况 or the conclusion.
//!
//! Only figures that state one amount are compared: not a bound or an approximation (`5%以上`,
//! `19亿多元`, `约3万人`), not a range, not a figure whose clause is a plan or a change
//! (vocabulary `target`, `change`, `increase`, `decrease`, `previous_year`: `计划实施项目`,
//! `比上年增加`), and not when the two sentences name other years or dates (`2019年…` and
//! `2020年…`); a sentence that names none speaks of the report's year (in a 2020 report,
//! `共获得深圳帮扶资金4.48亿元` is compared with `2020年共获得深圳帮扶资金4.84亿元`).
//! A shorter subject, one stated in three paragraphs or more, or one stated twice in a
//! paragraph, is a label under which the text lists several things (the 州级资金 and 上年结转
//! of each fund, the 基本支出 of income and of spending), not one quantity.
//!
//! A subject given the same number once in each unit of a pair the vocabulary's `unit_slips`
//! names (`人` and `人次`, `户` and `户次`), in two such paragraphs, is a slip of the unit:
//! `2020年深圳、河池开展考察互访共414人次`, and in the conclusion `河池开展考察互访414人`.
//!
//! ## Why it matters
//! When a report gives one quantity two values in two places, readers of each part are told
//! different facts, and at least one of them is wrong. The subject alone cannot prove that the
//! two figures count the same thing (the scope may be said in an earlier sentence), hence a
//! warning.
//!
//! ## Example
//! Seed 004 (河池市 2020) writes in 项目实施情况 `…积极争取到补短板综合财力补助资金11.07亿元…`.
//! Had its conclusion said, in a sentence of its own, `全年积极争取到补短板综合财力补助资金11.7亿元`:
//! a warning at the conclusion's figure.
//!
//! ## 中文
//!
//! 正文中同一主体在两个段落中给出了两个数字。
//!
//! ### 检查内容
//! 一个主体（数字所计之物，由分词得出：`…积极争取到补短板综合财力补助资金11.07亿元` 中的
//! `补短板综合财力补助资金`），含六个以上汉字，正文恰在两个段落中各给出一次数字，
//! 单位相同，且两句文字不同（同一句写两遍归 JX404）：两个数字须一致；小数位数或单位不同时，
//! 在彼此的四舍五入范围内一致即可（`11.07亿元` 与 `110700万元` 一致）。报告常在项目概况中
//! 写明项目金额，又在项目实施情况或结论中换一种说法再写一次。
//!
//! 只比较陈述一个确定数额的数字：不比较界限或约数（`5%以上`、`19亿多元`、`约3万人`）、
//! 区间，不比较所在分句为计划或变动的数字（词表 `target`、`change`、`increase`、`decrease`、
//! `previous_year`：`计划实施项目`、`比上年增加`），两句所指年份或日期不同时（`2019年…` 与
//! `2020年…`）也不比较；未写年份的句子视为说的是报告年度（2020 年的报告中，
//! `共获得深圳帮扶资金4.48亿元` 与 `2020年共获得深圳帮扶资金4.84亿元` 相比较）。较短的主体、出现在三个以上段落中的主体、或在一个段落中出现两次的
//! 主体，是正文列举多项内容时的标签（各项资金的州级资金和上年结转，收入与支出各自的基本
//! 支出），而非同一数量。
//!
//! 同一主体在两个这样的段落中各给出一次相同的数字，单位却分属词表 `unit_slips` 所列的一对
//! （`人` 与 `人次`，`户` 与 `户次`）的，是单位笔误：`2020年深圳、河池开展考察互访共414人次`，
//! 结论中又写 `河池开展考察互访414人`。
//!
//! ### 为何重要
//! 报告在两处给同一数量两个不同的数值，看不同部分的读者得到的事实不同，至少有一处有误。
//! 仅凭主体无法证明两个数字所计相同（范围可能写在前一句中），故为警告。
//!
//! ### 示例
//! seed 004（河池市 2020）在项目实施情况中写 `…积极争取到补短板综合财力补助资金11.07亿元…`。
//! 若其结论另写一句 `全年积极争取到补短板综合财力补助资金11.7亿元`：在结论的数字处警告。

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{alike, restatement};
use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::{is_han, Extraction, TextFigure};
use crate::location::At;
use crate::recognize::number::{Kind, Number};
use crate::vocabulary::common;

/// Fewest Han characters a subject must have to name one quantity of the document.
const SHORTEST: usize = 6;

/// A figure with the years and dates of its sentence, or the report's year if it has none.
struct Stated<'x> {
    figure: &'x TextFigure,
    dates: Vec<Decimal>,
}

/// The paragraph a figure of the text stands in.
fn block(f: &TextFigure) -> Option<usize> {
    match f.at {
        At::Text { block, .. } => Some(block),
        _ => None,
    }
}

/// Whether a figure states one amount: not a bound, an approximation or a range, and not in a
/// clause of a plan or a change against another year.
fn states_one_amount(f: &TextFigure) -> bool {
    let words = &common().words;
    let n = &f.number;
    let plan_or_change = [
        &words.target,
        &words.change,
        &words.increase,
        &words.decrease,
        &words.previous_year,
    ]
    .iter()
    .any(|list| list.iter().any(|w| f.clause.contains(w.as_str())));
    n.comparator.is_none() && n.upper.is_none() && !plan_or_change
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    // Every figure with a unit under a subject, with its sentence's dates (each once; a sentence
    // without any speaks of the report's year); a sentence's figures are consecutive and
    // numbered from place 0.
    let mut by_subject: HashMap<(&str, Option<&str>), Vec<Stated<'_>>> = HashMap::new();
    for sentence in x.figures.chunk_by(|_, next| next.sentence.place > 0) {
        let mut dates: Vec<Decimal> = sentence
            .iter()
            .filter(|f| f.number.kind == Kind::Date)
            .map(|f| f.number.value)
            .collect();
        dates.sort_unstable();
        dates.dedup();
        if dates.is_empty() {
            dates.extend(x.meta.year.map(Decimal::from));
        }
        for f in sentence {
            let named = f.subject.chars().filter(|c| is_han(*c)).count() >= SHORTEST;
            if named && f.number.kind != Kind::Date && f.number.unit.is_some() {
                let key = (f.subject.as_str(), f.number.base_unit);
                let dates = dates.clone();
                by_subject
                    .entry(key)
                    .or_default()
                    .push(Stated { figure: f, dates });
            }
        }
    }

    let mut findings = Vec::new();
    for stated in by_subject.values() {
        if let [first, again] = stated.as_slice() {
            if one_quantity(first, again) && !alike(again.figure, first.figure) {
                findings.push(differs(rule, settings, first.figure, again.figure, false));
            }
        }
    }

    // A subject stated once in each unit of a slip pair (人 and 人次), with the same number.
    let mut by_name: HashMap<&str, Vec<&Stated<'_>>> = HashMap::new();
    for ((subject, _), stated) in &by_subject {
        by_name.entry(subject).or_default().extend(stated);
    }
    for stated in by_name.values_mut() {
        stated.sort_by_key(|s| (block(s.figure), s.figure.number.span.0));
        if let [first, again] = stated.as_slice() {
            if one_quantity(first, again) && slipped(&first.figure.number, &again.figure.number) {
                findings.push(differs(rule, settings, first.figure, again.figure, true));
            }
        }
    }
    findings
}

/// Whether two figures, a paragraph apart, may state one quantity: in two sentences of other
/// words of the same years and dates, each a single amount.
fn one_quantity(first: &Stated<'_>, again: &Stated<'_>) -> bool {
    let (a, b) = (first.figure, again.figure);
    block(a) != block(b)
        && a.sentence.words != b.sentence.words
        && first.dates == again.dates
        && states_one_amount(a)
        && states_one_amount(b)
}

/// Whether two figures give the same number in the two units of a `unit_slips` pair.
fn slipped(a: &Number, b: &Number) -> bool {
    let (Some(u), Some(v)) = (a.base_unit, b.base_unit) else {
        return false;
    };
    a.base_value == b.base_value
        && common()
            .words
            .unit_slips
            .iter()
            .any(|[s, t]| (s.as_str(), t.as_str()) == (u, v) || (s.as_str(), t.as_str()) == (v, u))
}

/// The finding at `again`, restating `first` with another figure, or with the same number in
/// another unit.
fn differs(
    rule: &Rule,
    settings: &Settings,
    first: &TextFigure,
    again: &TextFigure,
    in_another_unit: bool,
) -> Finding {
    let place = first.at.describe(settings.lang);
    let (subject, stated, was) = (
        again.subject.as_str(),
        again.number.raw.trim(),
        first.number.raw.trim(),
    );
    let values: [(&str, &dyn std::fmt::Display); 4] = [
        ("subject", &subject),
        ("stated", &stated),
        ("place", &place),
        ("first", &was),
    ];
    let message = if in_another_unit {
        rule.say_part(settings.lang, "unit", &values)
    } else {
        rule.say(settings.lang, &values)
    };
    restatement(message, again, first)
}
