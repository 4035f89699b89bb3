//! The parts listed after 其中 (or in brackets) exceed the total stated before them.
//!
//! ## What it flags
//! Sentences such as `支出合计1,472.52万元，其中基本支出828.93万元，项目支出643.59万元` or
//! `共实施饮水安全项目4894处，其中…545处、…218处`: the figure before `其中` is the total, the
//! figures of the same measure after it are parts (things counted in different measure words,
//! 处 and 座, are one measure; a list that runs to the end of its paragraph,
//! `…合计13,377.11万元，其中：`, goes on in the list items after it, numbered `（一）…（二）…` or
//! one a paragraph). Two or more figures in the brackets right after a figure break it down
//! the same way (`人员经费720.28万元（工资福利支出480.19万元，对个人和家庭的补助240.09万元）`). A figure,
//! an addition to it and their total (`69.1万贫困人口（…新增7.42万人，合计76.52万人）`: vocabulary
//! `added`) are a running total, total = figure + addition. Parts that sum to more than the
//! total (beyond rounding) are an error. Two or more parts that sum to less are reported as
//! `info`, since a `其中` list is often not exhaustive — except in a running total, whose parts
//! are the whole; a single part is a subset and only has to be smaller. So is a count of things
//! done in the clause after the count of those things (`实施项目155个，目前已完工136个`, or
//! `19个…项目已全部完工，18个已投入使用` with the word after the count: vocabulary `progress`),
//! unless that count is a target (`target`: 目标, 计划, which can be exceeded).
//!
//! ## Why it matters
//! Narrative figures are typed by hand and rarely cross-checked; a part larger than its
//! whole is always a mistake.
//!
//! ## Example
//! `收入合计1,252.66万元，其中基本支出823.04万元，项目支出429.62万元` is exact: no finding.
//! `共实施饮水安全项目4894处，其中…新建545处、改扩建218处，…新建4116座、改扩建15座` is exact.
//! `共有42.34万人，其中建档立卡贫困对象33.42万人` is a subset: no finding.
//! `69.1万贫困人口（2016年后又动态调整新增7.42万人，合计76.52万人）` is exact (seed 004).
//!
//! ## 中文
//!
//! 句中“其中”之后所列各项之和，超过其前所述的总数。
//!
//! ### 检查内容
//! 如 `支出合计1,472.52万元，其中基本支出828.93万元，项目支出643.59万元` 或
//! `共实施饮水安全项目4894处，其中…545处、…218处` 这类句子：`其中` 之前的数字为总数，
//! 其后同一计量口径的数字为分项（以不同量词计数的事物，如“处”与“座”，属同一口径；所列
//! 延续到段末的，如 `…合计13,377.11万元，其中：`，分项还包括其后各段所列，编号为 `（一）…（二）…`
//! 或一段一项）。紧跟某数之后的括号中有两个及以上同口径数字的，同样视为该数的分项
//! （`人员经费720.28万元（工资福利支出480.19万元，对个人和家庭的补助240.09万元）`）。一个数、其增加数
//! 及二者合计（`69.1万贫困人口（…新增7.42万人，合计76.52万人）`，词表 `added`）为累计式表述，
//! 合计 = 原数 + 增加数。各项之和大于总数（超出四舍五入范围）的，为错误；两项及以上之和小于
//! 总数的，以 `info`（提示）报告，因为“其中”所列往往并不完整——累计式表述除外，其各项即为全部；
//! 只有一项的是子集，只须不大于总数。紧接某类事物的个数、在下一分句写出其中已完成多少的
//! （`实施项目155个，目前已完工136个`，或进度词在数字之后的 `19个…项目已全部完工，18个已投入使用`，
//! 词表 `progress`），同样是子集——除非前者是目标数（`target`：
//! 目标、计划，目标数可以超额完成）。
//!
//! ### 为何重要
//! 文字叙述中的数字系手工录入，很少经过交叉核对；分项大于总数，必定有误。
//!
//! ### 示例
//! `收入合计1,252.66万元，其中基本支出823.04万元，项目支出429.62万元` 完全相符：无发现。
//! `共实施饮水安全项目4894处，其中…新建545处、改扩建218处，…新建4116座、改扩建15座` 完全相符。
//! `共有42.34万人，其中建档立卡贫困对象33.42万人` 是子集：无发现。
//! `69.1万贫困人口（2016年后又动态调整新增7.42万人，合计76.52万人）` 完全相符（seed 004）。

use rust_decimal::Decimal;

use crate::check::arithmetic::{classify_sum, show, Context, Placed};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::{Extraction, TextFigure};

fn placed<'a>(ctx: &Context, f: &'a TextFigure) -> Placed<'a> {
    Placed::text(f, ctx.text(&f.number))
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &x.statements {
        let total = placed(ctx, &s.total);
        let parts: Vec<Placed<'_>> = s.parts.iter().map(|p| placed(ctx, p)).collect();
        // Compare in base units: 万人 and 人 may mix.
        let base = |p: &Placed<'_>| p.approx.in_base_unit(p.number);
        let Some((class, sum)) =
            classify_sum(base(&total), &parts.iter().map(base).collect::<Vec<_>>())
        else {
            continue;
        };
        let diff = sum - total.number.base_value;
        // One part alone is a subset (共有42.34万人，其中建档立卡贫困对象33.42万人), not a sum.
        if s.parts.len() == 1 && diff <= Decimal::ZERO {
            continue;
        }
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
            // A running total (…新增B，合计C) says its parts are the whole.
            Class::Material | Class::Immaterial if s.complete => {
                (None, rule.say_part(settings.lang, "short", &[]))
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
