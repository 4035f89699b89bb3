//! A score is higher than the points its item can earn.
//!
//! ## What it flags
//! In a table with a 分值 column and a 得分 / 自评得分 column, any row whose score exceeds its
//! points; in a report with `满分X分，得Y分` sections, any section with Y > X.
//!
//! ## Why it matters
//! No item can earn more than its points; a higher score inflates the total and the grade.
//!
//! ## Example
//! `一年以内资金执行率 | 分值 2 | 自评得分 1.9` is fine. `分值 2 | 自评得分 3` is an error.
//!
//! ## 中文
//!
//! 得分高于该项的分值。
//!
//! ### 检查内容
//! 设有分值列和得分 / 自评得分列的表中，得分超过分值的行；各部分写有 `满分X分，得Y分`
//! 的报告中，Y > X 的部分。
//!
//! ### 为何重要
//! 任何一项的得分都不能超过其分值；超出部分会抬高总分和评价等次。
//!
//! ### 示例
//! `一年以内资金执行率 | 分值 2 | 自评得分 1.9` 没有问题。`分值 2 | 自评得分 3` 为错误。

use crate::check::arithmetic::{placed_field, placed_in, show, Context, Placed};
use crate::check::{Class, Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::recognize::table::Region;
use crate::vocabulary::{Role, Roles};

/// The points and score columns of a scoring table.
pub fn points_and_score(region: &Region, roles: &Roles) -> Option<(usize, usize)> {
    Some((
        region.column_for(roles, Role::Points)?,
        region.column_for(roles, Role::Score)?,
    ))
}

fn finding(rule: &Rule, score: &Placed<'_>, points: &Placed<'_>, lang: Lang) -> Option<Finding> {
    if score.approx.value <= points.approx.value {
        return None;
    }
    let message = rule.say(
        lang,
        &[
            ("item", &score.label),
            ("score", &score.number.raw.trim()),
            ("points", &points.number.raw.trim()),
        ],
    );
    let involved = vec![score.involved("score"), points.involved("points")];
    Some(
        Finding::new(Some(Class::Material), message, score.at.clone(), involved).figures(
            Some(show(score.approx.value)),
            Some(show(points.approx.value)),
            Some(show(points.approx.value - score.approx.value)),
        ),
    )
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let roles = settings.roles(x);
    for region in &x.tables {
        let Some((pc, sc)) = points_and_score(region, roles) else {
            continue;
        };
        for row in &region.rows {
            let at = |c: usize| placed_in(x, ctx, region, row.row, c);
            if let (Some(points), Some(score)) = (at(pc), at(sc)) {
                out.extend(finding(rule, &score, &points, settings.lang));
            }
        }
    }
    for section in settings.scores(x).sections(&x.fields) {
        let (Some((_, max_field)), Some((_, score_field))) = (section.maximum, section.score)
        else {
            continue;
        };
        let (Some(max), Some(score)) = (max_field.number(), score_field.number()) else {
            continue;
        };
        out.extend(finding(
            rule,
            &placed_field(&score, &section.name, score_field),
            &placed_field(&max, &section.name, max_field),
            settings.lang,
        ));
    }
    out
}
