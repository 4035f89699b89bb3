//! The parts listed after 其中 in a sentence exceed the total stated before it.
//!
//! ## What it flags
//! Sentences such as `支出合计1,472.52万元，其中基本支出828.93万元，项目支出643.59万元` or
//! `共实施饮水安全项目4894处，其中…545处、…218处`: the figure before `其中` is the total, the
//! figures of the same measure after it are parts. Parts that sum to more than the total
//! (beyond rounding) are an error. Parts that sum to less are reported as `info`, since a
//! `其中` list is often not exhaustive.
//!
//! ## Why it matters
//! Narrative figures are typed by hand and rarely cross-checked; a part larger than its
//! whole is always a mistake.
//!
//! ## Example
//! `收入合计1,252.66万元，其中基本支出823.04万元，项目支出429.62万元` is exact: no finding.
//! `共有42.34万人，其中建档立卡贫困对象33.42万人` sums to less than the total (info, partial).
//!
//! ## 中文
//!
//! 句中“其中”之后所列各项之和，超过其前所述的总数。
//!
//! ### 检查内容
//! 如 `支出合计1,472.52万元，其中基本支出828.93万元，项目支出643.59万元` 或
//! `共实施饮水安全项目4894处，其中…545处、…218处` 这类句子：`其中` 之前的数字为总数，
//! 其后同一计量口径的数字为分项。各项之和大于总数（超出四舍五入范围）的，为错误；小于
//! 总数的，以 `info`（提示）报告，因为“其中”所列往往并不完整。
//!
//! ### 为何重要
//! 文字叙述中的数字系手工录入，很少经过交叉核对；分项大于总数，必定有误。
//!
//! ### 示例
//! `收入合计1,252.66万元，其中基本支出823.04万元，项目支出429.62万元` 完全相符：无发现。
//! `共有42.34万人，其中建档立卡贫困对象33.42万人` 各项之和小于总数（提示，所列不全）。

use rust_decimal::Decimal;

use crate::check::arithmetic::{classify_sum, show, Context, Placed};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::{Extraction, TextFigure};

fn placed<'a>(ctx: &Context, f: &'a TextFigure) -> Placed<'a> {
    Placed {
        number: &f.number,
        approx: ctx.text(&f.number),
        label: f.subject.clone(),
        at: f.at.clone(),
    }
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &x.statements {
        let total = placed(ctx, &s.total);
        let parts: Vec<Placed<'_>> = s.parts.iter().map(|p| placed(ctx, p)).collect();
        // Compare in base units: 万人 and 人 may mix.
        let base = |p: &Placed<'_>| crate::check::arithmetic::Approx {
            value: p.number.base_value,
            half: p.approx.half * p.number.magnitude.unwrap_or(Decimal::ONE),
            scale: p.approx.scale,
        };
        let Some((class, sum)) =
            classify_sum(base(&total), &parts.iter().map(base).collect::<Vec<_>>())
        else {
            continue;
        };
        let diff = sum - total.number.base_value;
        let in_total_unit = total.number.magnitude.unwrap_or(Decimal::ONE);
        // Parts that sum to less than their total are reported at info: the list of parts is
        // often not exhaustive.
        let (pinned, what) = match class {
            Class::Exact => continue,
            Class::Rounding => (None, rule.say_part(settings.lang, "rounding", &[])),
            // The arithmetic classes a sum as exact, rounding or material; materiality comes
            // after the rule.
            Class::Material | Class::Immaterial if diff > Decimal::ZERO => {
                (None, rule.say_part(settings.lang, "over", &[]))
            }
            Class::Material | Class::Immaterial => (
                Some(Severity::Info),
                rule.say_part(settings.lang, "under", &[]),
            ),
        };
        let terms: Vec<&str> = s.parts.iter().map(|p| p.number.raw.as_str()).collect();
        let mut involved = vec![total.involved("total")];
        involved.extend(parts.iter().map(|p| p.involved("part")));
        let message = rule.say(
            settings.lang,
            &[
                ("terms", &terms.join(" + ")),
                ("what", &what),
                ("total", &total.label),
                ("stated", &total.number.raw),
            ],
        );
        // In the total's unit as written (万元), not in base units.
        let finding = Finding::new(Some(class), message, total.at.clone(), involved).figures(
            Some(show(total.number.value)),
            Some(show(sum / in_total_unit)),
            Some(show(diff / in_total_unit)),
        );
        out.push(match pinned {
            Some(severity) => finding.at_severity(severity),
            None => finding,
        });
    }
    out
}
