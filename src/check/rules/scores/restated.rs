//! The total score is stated twice, with two values.
//!
//! ## What it flags
//! A report whose total score stands in more than one place — its form's cell
//! (`绩效自评综合得分 | 99.5分`) or the first sentence that states it, and any later sentence whose
//! words before the figure end with a total-score name (`总分`, `综合得分`) or one of the
//! vocabulary's `overall_score` words (`本单位部门整体支出绩效评价得分是99.5分`, `自评得分`): every
//! statement against the first, exactly. A sentence scoring a section the report scores
//! (`投入自评得分20分`, with a 投入 section) or an indicator (`…指标`) is not the total.
//!
//! Scores are assigned, not measured: half a point apart is an error, not rounding.
//!
//! ## Why it matters
//! The total score is the report's conclusion and is quoted upward; when the narrative and the
//! form disagree, one of them was edited after the other, and readers of each are told
//! different results.
//!
//! ## Example
//! Seed 000 (湘西 2021): the form's 绩效自评综合得分 is 99.5分 and its 综合评价 says
//! `本单位部门整体支出绩效评价得分是99.5分`: no finding. Had the sentence said 98.5分: an error.
//!
//! ## 中文
//!
//! 总分在两处所述不一致。
//!
//! ### 检查内容
//! 总分见于多处的报告——自评表的单元格（`绩效自评综合得分 | 99.5分`）或首个载明总分的句子，以及
//! 其后数字前的文字以总分名称（`总分`、`综合得分`）或词表 `overall_score` 中的词结尾的句子
//! （`本单位部门整体支出绩效评价得分是99.5分`、`自评得分`）：各处与第一处按完全相等核对。
//! 为报告所评某一部分打分的句子（有“投入”部分时的 `投入自评得分20分`）或为某项指标（`…指标`）
//! 打分的句子，不是总分。
//!
//! 分数是评定的而非测量的：相差半分即为错误，而非四舍五入。
//!
//! ### 为何重要
//! 总分是报告的结论，要向上报送；正文与自评表不一致，说明其中一处在另一处之后改过，看不同
//! 部分的读者得到的结论也不同。
//!
//! ### 示例
//! seed 000（湘西 2021）：自评表的绩效自评综合得分为 99.5分，综合评价写
//! `本单位部门整体支出绩效评价得分是99.5分`：无发现。若该句写作 98.5分：错误。

use crate::check::arithmetic::{placed_field, show, Approx, Context, Placed};
use crate::check::{Finding, Rule, Settings};
use crate::extract::{Extraction, TextFigure};
use crate::recognize::number::Kind;
use crate::vocabulary::{common, Names, Role, Roles};

/// The names a sentence's score is led by when it states the report's total score: the
/// total-score role's (with the family's own) and the vocabulary's `overall_score` words.
fn overall_names(roles: &Roles) -> Names {
    let vocabulary = common();
    Names::new(
        roles
            .names(Role::TotalScore)
            .map_or(&[][..], Names::written)
            .iter()
            .chain(&vocabulary.words.overall_score),
    )
}

/// Whether a sentence's figure states the report's total score: its subject ends with one of
/// `overall`, and names no section of the report and no indicator.
fn states_total(f: &TextFigure, overall: &Names, sections: &[String]) -> bool {
    f.number.kind == Kind::Score
        && overall.matches(&f.subject)
        && !sections.iter().any(|s| f.subject.contains(s.as_str()))
        && !common()
            .words
            .indicator
            .iter()
            .any(|w| f.subject.contains(w.as_str()))
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let scores = settings.scores(x);
    let sections: Vec<String> = scores
        .sections(&x.fields)
        .iter()
        .filter_map(|s| {
            let (_, field) = s.score.or(s.maximum)?;
            field.label.clone()
        })
        .collect();
    let label = settings.roles(x).label(Role::TotalScore).to_string();
    let field = scores.total(&x.fields);
    let field_number = field.and_then(|f| f.number());
    let mut stated: Vec<Placed<'_>> = Vec::new();
    if let (Some(field), Some(n)) = (field, &field_number) {
        stated.push(placed_field(
            n,
            field.label.as_deref().unwrap_or(&label),
            field,
        ));
    }
    let overall = overall_names(settings.roles(x));
    for f in x
        .figures
        .iter()
        .filter(|f| states_total(f, &overall, &sections))
    {
        if stated.iter().any(|s| s.at == f.at) {
            continue;
        }
        stated.push(Placed::text(
            f,
            Approx::new(f.number.value, f.number.scale, true),
        ));
    }
    let Some((first, rest)) = stated.split_first() else {
        return Vec::new();
    };
    rest.iter()
        .filter(|s| s.number.value != first.number.value)
        .map(|s| {
            let message = rule.say(
                settings.lang,
                &[
                    ("stated", &s.number.raw.trim()),
                    ("label", &first.label),
                    ("first", &first.number.raw.trim()),
                ],
            );
            Finding::new(
                None,
                message,
                s.at.clone(),
                vec![s.involved("restated"), first.involved("total")],
            )
            .figures(
                Some(show(s.number.value)),
                Some(show(first.number.value)),
                Some(show(s.number.value - first.number.value)),
            )
        })
        .collect()
}
