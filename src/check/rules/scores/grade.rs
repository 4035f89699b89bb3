//! The grade (评价等次) does not match the total score.
//!
//! ## What it flags
//! A report that states both a total score (绩效自评综合得分, 总分) and a grade — in the fields
//! its family names, or, in any document, in a sentence (`自评总分为85分`, `评价等次为优`) or a
//! table's grade cell: the grade the
//! score earns under the grade bands — 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below; configurable in
//! `jixiao.toml` — against the grade stated. 优秀/良好/合格/不合格 read as 优/良/中/差.
//!
//! ## Why it matters
//! The grade is what gets reported upward; a grade better than the score is an overstatement.
//!
//! ## Example
//! `绩效自评综合得分 99.5分` with `评价等次 优`: consistent. `85分` with `优`: a warning.
//!
//! ## 中文
//!
//! 评价等次与总分不符。
//!
//! ### 检查内容
//! 同时载明总分（绩效自评综合得分、总分）和评价等次的报告（见于文档族所指定的字段，或在任何
//! 文档中见于句子——`自评总分为85分`、`评价等次为优`——或表格的等次单元格）：按等次分档（优 ≥ 90，
//! 良 ≥ 80，中 ≥ 60，低于 60 为差；可在 `jixiao.toml` 中配置）确定该得分应得的等次，
//! 与所填等次核对。优秀/良好/合格/不合格分别视同优/良/中/差。
//!
//! ### 为何重要
//! 评价等次是向上级报送的结论；所填等次高于得分应得的等次，属于夸大。
//!
//! ### 示例
//! `绩效自评综合得分 99.5分`，`评价等次 优`：一致。`85分` 而评为 `优`：警告。

use crate::check::arithmetic::Context;
use crate::check::{Finding, Involved, Rule, Settings};
use crate::extract::Extraction;
use crate::vocabulary::{common, Role};

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let scores = settings.scores(x);
    let grade = scores.grade(&x.fields);
    let score = scores.total(&x.fields);
    let (Some(grade), Some(score)) = (grade, score) else {
        return Vec::new();
    };
    let stated = common().grade_of(&grade.value);
    let (Some(stated), Some(n)) = (stated, score.number()) else {
        return Vec::new();
    };
    let Some((earned, _)) = settings.grades.iter().find(|(_, min)| n.value >= *min) else {
        return Vec::new();
    };
    if earned == stated {
        return Vec::new();
    }
    let roles = settings.roles(x);
    let message = rule.say(
        settings.lang,
        &[
            ("grade", &grade.value),
            ("score", &score.raw.trim()),
            ("earned", &earned),
        ],
    );
    let involved = vec![
        Involved {
            document: None,
            role: "grade",
            label: roles.label(Role::Grade).into(),
            raw: grade.raw.clone(),
            at: grade.at.clone(),
        },
        Involved {
            document: None,
            role: "score",
            label: roles.label(Role::TotalScore).into(),
            raw: score.raw.clone(),
            at: score.at.clone(),
        },
    ];
    vec![
        Finding::new(None, message, grade.at.clone(), involved).figures(
            Some(grade.value.clone()),
            Some(earned.clone()),
            None,
        ),
    ]
}
