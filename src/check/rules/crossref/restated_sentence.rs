//! A sentence written twice in the text gives a figure two values.
//!
//! ## What it flags
//! Two sentences of the narrative with the same words — white space aside, each figure
//! standing for its kind (money, a count, a percentage …) — and at least 16 Han characters of
//! them, whose figures with a unit at one place differ in amount or in unit (`10000人` copied
//! as `10000人次`; `19亿元` and `190000万元` are alike, and so are `1945.46万元` and its
//! rounding `0.19亿元`): the later one is flagged against the earliest it restates. Reports
//! restate a paragraph of their 项目实施情况 in the 过程 section of their 评价结论, or a
//! summary in the conclusion; the copy must say what the original says.
//!
//! Two such sentences are taken for one statement only when the figures that name rather than
//! measure agree — years and dates (`2019年完成…` and `2020年完成…` are two years'
//! statements), bare numbers (`公开 06 表`) — and either another of their figures
//! agrees too or the words are long (32 Han characters or more): a short sentence filled in
//! with other figures throughout is a template used twice (`该项目年度预算…万元，全年执行…万元`),
//! not a restatement.
//!
//! ## Why it matters
//! When a report copies a sentence and edits one figure in one copy only, readers of each part
//! are told different facts, and at least one of them is wrong.
//!
//! ## Example
//! Seed 004 (河池市 2020) states in 项目实施情况 and again under （二）过程
//! `…增派由10名处级干部带队和172名优秀干部组成的脱贫攻坚突击队，分别进驻81个贫困村驻村作战`:
//! no finding. Had the second copy said 127名: an error.
//!
//! ## 中文
//!
//! 文中同一句话写了两遍，某个数字两处不同。
//!
//! ### 检查内容
//! 正文中文字相同的两个句子（空白不计，每个数字以其类别——金额、数量、百分比等——代替），
//! 其文字含至少 16 个汉字，而同一位置上带单位的数字数额或单位不同（`10000人` 抄作
//! `10000人次`；`19亿元` 与 `190000万元` 相同，`1945.46万元` 与其约数 `0.19亿元` 亦同）：
//! 后一处对照它所复述的最早一处报告。报告常把项目实施情况中的一段在评价结论的“过程”部分
//! 再写一遍，或在结论中复述概述；复述须与原文一致。
//!
//! 两句只在起指称作用的数字一致——年份和日期（`2019年完成…` 与 `2020年完成…` 是两个年度的
//! 陈述）、无单位也无数量级的数字（`公开 06 表`）——并且另有一个数字也一致或文字较长
//! （32 个汉字以上）时，才视为同一陈述：较短的句子各处数字全都不同，是同一模板用了两次
//! （`该项目年度预算…万元，全年执行…万元`），而非复述。
//!
//! ### 为何重要
//! 报告复制一句话后只改了其中一处的数字，看不同部分的读者得到的事实不同，至少有一处有误。
//!
//! ### 示例
//! seed 004（河池市 2020）在项目实施情况中、又在“（二）过程”下写
//! `…增派由10名处级干部带队和172名优秀干部组成的脱贫攻坚突击队，分别进驻81个贫困村驻村作战`：
//! 无发现。若第二处写作 127名：错误。

use std::collections::HashMap;

use super::{alike, restatement};
use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::{Extraction, TextFigure};
use crate::recognize::number::Kind;

/// Fewest Han characters a sentence's words must have to be recognized when written again.
const SHORTEST: usize = 16;

/// Han characters from which a sentence is one statement even if no other figure agrees.
const LONG: usize = 32;

/// The figures of one sentence as written at one place, in order.
struct Written<'x> {
    figures: Vec<&'x TextFigure>,
}

impl Written<'_> {
    /// Whether `self` restates `first`: the same names, and a measure alike or long words.
    fn restates(&self, first: &Self) -> bool {
        let pairs = || self.figures.iter().zip(&first.figures);
        pairs().filter(|(a, _)| names(a)).all(|(a, b)| alike(a, b))
            && (self.figures[0].sentence.han >= LONG
                || pairs().any(|(a, b)| !names(a) && alike(a, b)))
    }
}

/// Whether a figure names what a sentence is about rather than measures it: a year or date,
/// or a bare number, without a unit or a magnitude (`公开 06 表`, `附件2`).
fn names(f: &TextFigure) -> bool {
    f.number.kind == Kind::Date || (f.number.unit.is_none() && f.number.magnitude.is_none())
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    // Each sentence written, keyed by its words, in document order; a sentence's figures are
    // consecutive and numbered from place 0.
    let mut written: HashMap<u64, Vec<Written<'_>>> = HashMap::new();
    for f in x.figures.iter().filter(|f| f.sentence.han >= SHORTEST) {
        let places = written.entry(f.sentence.words).or_default();
        match places.last_mut() {
            Some(w) if f.sentence.place > 0 => w.figures.push(f),
            _ => places.push(Written { figures: vec![f] }),
        }
    }
    let mut findings = Vec::new();
    for places in written.values() {
        for (i, copy) in places.iter().enumerate().skip(1) {
            // The earliest sentence this one restates (an earlier year's aside).
            let Some(first) = places[..i].iter().find(|w| copy.restates(w)) else {
                continue;
            };
            for (again, original) in copy.figures.iter().zip(&first.figures) {
                if !names(again) && !alike(again, original) {
                    let message = rule.say(
                        settings.lang,
                        &[
                            ("stated", &again.number.raw.trim()),
                            ("place", &original.at.describe(settings.lang)),
                            ("first", &original.number.raw.trim()),
                        ],
                    );
                    findings.push(restatement(message, again, original));
                }
            }
        }
    }
    findings
}
