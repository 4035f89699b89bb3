//! A percentage does not match its numerator and denominator.
//!
//! ## What it flags
//! (1) In a table with an `…率` column (执行率, 完成率) beside columns for what was done
//! (执行数, 完成数) and what was planned (预算数, 计划数), every row's rate against done ÷
//! planned — the full-year budget when both 年初 and 全年 budgets are given. (2) A `比例` /
//! `占比` row of shares: each share against its column's total divided by the sum of the
//! totals of all columns that have a share. (3) The narrative 预算追加率 against 预算追加数 ÷
//! 年初预算收入. A rate is exact when the quotient rounds (half up) to the written decimals,
//! rounding when only the intervals meet. A zero denominator is reported, never divided by,
//! unless the rate and its numerator are zero too (nothing planned, nothing done: 0.00%).
//!
//! ## Why it matters
//! Rates are typed separately from the figures they come from and often go stale when a
//! figure is corrected; a share forced to make a column add up to 100% is a misstatement.
//!
//! ## Example
//! `执行率 94.97%` with 全年执行数 346511.97 and 全年预算数 364860: 94.9712% rounds to 94.97,
//! no finding. `基础设施建设 65.65%` with 227504.71 of 346511.97 = 65.6557%: an error
//! (65.66% as written to two decimals).
//!
//! ## 中文
//!
//! 百分比与其分子、分母不符。
//!
//! ### 检查内容
//! （1）表中设有 `…率` 列（执行率、完成率），并设有实际数列（执行数、完成数）和计划数列
//! （预算数、计划数）的，逐行按实际数 ÷ 计划数核对比率；同时列有年初预算和全年预算的，
//! 分母取全年预算数。（2）`比例` / `占比` 行：每个占比按“本列合计数 ÷ 所有设有占比的
//! 各列合计数之和”核对。（3）正文中的预算追加率按预算追加数 ÷ 年初预算收入核对。
//! 商按所填小数位四舍五入（逢五进一）后等于填报值的，为完全相符；仅二者取值区间有交集的，
//! 为四舍五入差异。分母为零的予以报告，不作除法；但比率与分子也为零的（未安排、未执行，
//! 填 0.00%）不报告。
//!
//! ### 为何重要
//! 比率与其所依据的数字分别填写，数字更正后比率往往未随之更新；为凑足一列合计 100% 而
//! 硬性调整的占比，属于错报。
//!
//! ### 示例
//! `执行率 94.97%`，全年执行数 346511.97、全年预算数 364860：94.9712% 四舍五入为
//! 94.97，无发现。`基础设施建设 65.65%`，227504.71 ÷ 346511.97 = 65.6557%：错误（保留
//! 两位小数应为 65.66%）。

use rust_decimal::Decimal;

use crate::check::arithmetic::{
    classify_rate, placed_field, placed_in, rate_explanation, show, Context, Placed,
};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::family::RateFields;
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::recognize::number::Kind;
use crate::vocabulary::{common, Role};

fn finding(
    rule: &Rule,
    rate: &Placed<'_>,
    num: &Placed<'_>,
    den: &Placed<'_>,
    what: &str,
    lang: Lang,
) -> Option<Finding> {
    let involved = vec![
        rate.involved("rate"),
        num.involved("numerator"),
        den.involved("denominator"),
    ];
    let Some((class, computed)) = classify_rate(rate.approx, num.approx, den.approx) else {
        if rate.approx.value.is_zero() && num.approx.value.is_zero() {
            return None;
        }
        let message = rule.say_part(
            lang,
            "zero",
            &[
                ("what", &what),
                ("rate", &rate.label),
                ("stated", &rate.number.raw.trim()),
                ("denominator", &den.label),
            ],
        );
        return Some(
            Finding::new(None, message, rate.at.clone(), involved)
                .figures(Some(show(rate.approx.value)), None, None)
                .at_severity(Severity::Warning),
        );
    };
    if class == Class::Exact {
        return None;
    }
    let explained = rate_explanation(lang, class, rate.approx, computed);
    let computed = computed.round_dp(4);
    let message = rule.say(
        lang,
        &[
            ("what", &what),
            ("rate", &rate.label),
            ("stated", &rate.number.raw.trim()),
            ("numerator", &num.number.raw.trim()),
            ("denominator", &show(den.approx.value)),
            ("computed", &show(computed)),
        ],
    ) + &explained;
    Some(
        Finding::new(Some(class), message, rate.at.clone(), involved).figures(
            Some(show(rate.approx.value)),
            Some(show(computed)),
            Some(show(computed - rate.approx.value)),
        ),
    )
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let rate_mismatch = rule.say_part(settings.lang, "rate", &[]);
    let share_mismatch = rule.say_part(settings.lang, "share", &[]);
    let mut out = Vec::new();
    let roles = settings.roles(x);
    for region in &x.tables {
        let col = |role: Role| region.column_for(roles, role);
        let rate_col = col(Role::Rate);
        let done_col = col(Role::Executed);
        let plan_col = col(Role::Budget).or_else(|| col(Role::Planned));
        if let (Some(rc), Some(dc), Some(pc)) = (rate_col, done_col, plan_col) {
            for row in &region.rows {
                let at = |c: usize| placed_in(x, ctx, region, row.row, c);
                if let (Some(r), Some(d), Some(p)) = (at(rc), at(dc), at(pc)) {
                    if r.number.kind == Kind::Percent {
                        out.extend(finding(rule, &r, &d, &p, &rate_mismatch, settings.lang));
                    }
                }
            }
        }
        // Share rows: each share = its column's total / Σ totals of the shared columns.
        let Some(total_row) = region.rows.iter().find(|r| r.total) else {
            continue;
        };
        for share_row in region
            .rows
            .iter()
            .filter(|r| roles.matches(Role::Share, &r.label))
        {
            let shared: Vec<(Placed<'_>, Placed<'_>)> = share_row
                .cells
                .iter()
                .filter(|c| c.number.as_ref().is_some_and(|n| n.kind == Kind::Percent))
                .filter_map(|c| {
                    let share = placed_in(x, ctx, region, share_row.row, c.col)?;
                    let total = placed_in(x, ctx, region, total_row.row, c.col)?;
                    Some((share, total))
                })
                .collect();
            if shared.len() < 2 {
                continue;
            }
            let whole: Decimal = shared.iter().map(|(_, t)| t.approx.value).sum();
            let whole_half: Decimal = shared.iter().map(|(_, t)| t.approx.half).sum();
            for (share, total) in &shared {
                let mut den = total.clone();
                den.approx = crate::check::arithmetic::Approx {
                    value: whole,
                    half: whole_half,
                    scale: total.approx.scale,
                };
                den.label = [&total_row.label, &*common().labels.column_totals].concat();
                out.extend(finding(
                    rule,
                    share,
                    total,
                    &den,
                    &share_mismatch,
                    settings.lang,
                ));
            }
        }
    }
    for declared in settings.family(x).map_or(&[][..], |f| &f.rates) {
        out.extend(declared_rate(
            rule,
            x,
            declared,
            &rate_mismatch,
            settings.lang,
        ));
    }
    out
}

/// A rate a family declares between three of its fields (预算追加率 = 预算追加数 / 年初预算收入).
fn declared_rate(
    rule: &Rule,
    x: &Extraction,
    declared: &RateFields,
    what: &str,
    lang: Lang,
) -> Option<Finding> {
    let [rate, numerator, denominator] =
        [&declared.rate, &declared.numerator, &declared.denominator].map(|d| {
            x.fields
                .get(&d.field)
                .and_then(|f| Some((f, f.number()?, &d.label)))
        });
    let ((rf, rn, rl), (nf, nn, nl), (df, dn, dl)) = (rate?, numerator?, denominator?);
    finding(
        rule,
        &placed_field(&rn, rl, rf),
        &placed_field(&nn, nl, nf),
        &placed_field(&dn, dl, df),
        what,
        lang,
    )
}
