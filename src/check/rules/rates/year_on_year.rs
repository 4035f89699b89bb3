//! A year-on-year statement does not hold: the growth rate stated does not follow from this
//! year's figure and the change, or the direction words disagree.
//!
//! ## What it flags
//! A sentence that states a figure, its change against last year and the change in percent
//! (`收入预算27664.22万元，与上年相比增加3205.79万元，增长13.11%`): last year's figure is this
//! year's less the increase (or plus the decrease), and the percentage must be the change over
//! it, rounded to the decimals written (a percentage cut instead of rounded is rounding, as
//! in JX201). The words of the change's clause must say it is against last year
//! (`与上年相比收、支预算总计各增加`), so that a figure given for last year itself
//! (`与2016年度相比（2016年度…为8,648.07万元），增加…`) is not taken for this year's. An increase stated with a falling percentage (增加 … 下降) or the reverse is an
//! error; a change against a last year of 0 has no percentage (a warning when one is given).
//!
//! ## Why it matters
//! Year-on-year sentences are what a budget's readers quote. When the percentage does not
//! follow from the figures beside it, one of the three was mistyped or copied from a draft.
//!
//! ## Example
//! 中共江苏省委办公厅 2019: `27664.22万元，与上年相比…增加3205.79万元，增长13.11%` — last year
//! 24458.43, 3205.79 ÷ 24458.43 = 13.107 %: exact. 江苏省人民检察院 2019: `24,169.74 万元，与上年
//! 相比…增加 2214.39万元，增长 10.06 %` — 2214.39 ÷ 21955.35 = 10.086 %: an error.
//!
//! ## 中文
//!
//! 同比表述不成立：所述增长率不能由本年数与增减额得出，或增减用词前后矛盾。
//!
//! ### 检查内容
//! 一句话中先后写明某数、与上年相比的增减额及增减百分比的（`收入预算27664.22万元，与上年相比
//! 增加3205.79万元，增长13.11%`）：上年数为本年数减去增加额（或加上减少额），百分比须等于增减额
//! 除以上年数，按所写小数位四舍五入（截尾而非四舍五入的，与 JX201 一样属四舍五入级差异）。
//! 增减额所在分句须写明系与上年相比（`与上年相比收、支预算总计各增加`），以免把所列的上年数
//! （`与2016年度相比（2016年度……为8,648.07万元），增加……`）当作本年数。
//! 增加而称下降（增加……下降）或反之，为错误；上年数为 0 时无百分比可言（写了百分比则警告）。
//!
//! ### 为何重要
//! 同比表述是预算读者最常引用的内容。百分比不能由其旁边的数字得出，说明三者之一录错，
//! 或抄自草稿。
//!
//! ### 示例
//! 中共江苏省委办公厅 2019 年：`27664.22万元，与上年相比……增加3205.79万元，增长13.11%`——上年数
//! 24458.43，3205.79 ÷ 24458.43 = 13.107%：完全相符。江苏省人民检察院 2019 年：`24,169.74 万元，
//! 与上年相比……增加 2214.39万元，增长 10.06 %`——2214.39 ÷ 21955.35 = 10.086%：错误。

use super::{block_of, involved, name};
use crate::check::arithmetic::{classify_rate, rate_explanation, show, Approx, Context};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::{Extraction, TextFigure};
use crate::lang::Lang;
use crate::recognize::number::Kind;
use crate::vocabulary::{common, normalize, Words};

/// Which way a change goes, by the word that leads it.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Up,
    Down,
}

/// The direction the lead's last word states (`与上年相比增加` → up), brackets dropped
/// (`增加（减少）`), or `None`.
fn direction(words: &Words, lead: &str) -> Option<Direction> {
    let lead = normalize(lead);
    if words.increase.iter().any(|w| lead.ends_with(w.as_str())) {
        Some(Direction::Up)
    } else if words.decrease.iter().any(|w| lead.ends_with(w.as_str())) {
        Some(Direction::Down)
    } else {
        None
    }
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let words = &common().words;
    let mut out = Vec::new();
    for (i, rate) in x.figures.iter().enumerate() {
        if rate.number.kind != Kind::Percent || i < 2 {
            continue;
        }
        let (change, this) = (&x.figures[i - 1], &x.figures[i - 2]);
        let same_block = block_of(rate).is_some()
            && block_of(rate) == block_of(change)
            && block_of(change) == block_of(this);
        let money = |f: &TextFigure| f.number.kind == Kind::Money && f.number.comparator.is_none();
        let against_last_year = words
            .previous_year
            .iter()
            .any(|w| change.clause.contains(w.as_str()));
        let (Some(moved), Some(stated_way)) =
            (direction(words, &change.lead), direction(words, &rate.lead))
        else {
            continue;
        };
        if !same_block
            || !money(change)
            || !money(this)
            || change.number.unit != this.number.unit
            || !against_last_year
            || direction(words, &this.lead).is_some()
        {
            continue;
        }
        out.extend(finding(
            rule,
            [this, change, rate],
            moved,
            stated_way,
            ctx,
            settings.lang,
        ));
    }
    out
}

fn finding(
    rule: &Rule,
    [this, change, rate]: [&TextFigure; 3],
    moved: Direction,
    stated_way: Direction,
    ctx: &Context,
    lang: Lang,
) -> Option<Finding> {
    let involved = vec![
        involved("this year", this),
        involved("change", change),
        involved("rate", rate),
    ];
    let subject = name(this);
    let (now, delta, pct) = (
        ctx.text(&this.number),
        ctx.text(&change.number),
        ctx.text(&rate.number),
    );
    let last_value = match moved {
        Direction::Up => now.value - delta.value,
        Direction::Down => now.value + delta.value,
    };
    let values: [(&str, &dyn std::fmt::Display); 5] = [
        ("this", &this.number.raw),
        ("change", &change.number.raw),
        ("rate", &rate.number.raw),
        ("last", &show(last_value)),
        ("subject", &subject),
    ];
    if moved != stated_way && !(delta.value.is_zero() && pct.value.is_zero()) {
        let said = rule.say_part(lang, "direction", &values);
        let message = said.trim_start().to_string();
        return Some(Finding::new(
            Some(Class::Material),
            message,
            rate.at.clone(),
            involved,
        ));
    }
    let last = Approx {
        value: last_value,
        half: now.half + delta.half,
        scale: now.scale.max(delta.scale),
    };
    let Some((class, computed)) = classify_rate(pct, delta, last) else {
        if pct.value.is_zero() && delta.value.is_zero() {
            return None;
        }
        let said = rule.say_part(lang, "zero", &values);
        let message = said.trim_start().to_string();
        return Some(
            Finding::new(None, message, rate.at.clone(), involved)
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
        ("this", &this.number.raw as &dyn std::fmt::Display),
        ("change", &change.number.raw),
        ("rate", &rate.number.raw),
        ("last", &show(last_value)),
        ("subject", &subject),
        ("computed", &show(computed)),
    ];
    let said = rule.say(lang, &values);
    let message = said.trim_start().to_string() + &explained;
    Some(
        Finding::new(Some(class), message, rate.at.clone(), involved).figures(
            Some(show(pct.value)),
            Some(show(computed)),
            Some(show(computed - pct.value)),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_are_read_from_the_last_word() {
        let words = &common().words;
        assert!(matches!(
            direction(words, "与上年相比增加"),
            Some(Direction::Up)
        ));
        assert!(matches!(direction(words, "，增长"), Some(Direction::Up)));
        assert!(matches!(direction(words, "增幅"), Some(Direction::Up)));
        assert!(matches!(
            direction(words, "与上年相比减少"),
            Some(Direction::Down)
        ));
        assert!(matches!(direction(words, "下降"), Some(Direction::Down)));
        // 增加（减少）: the bracketed alternative is dropped.
        assert!(matches!(
            direction(words, "与上年相比增加（减少）"),
            Some(Direction::Up)
        ));
        assert!(direction(words, "收入预算").is_none());
    }
}
