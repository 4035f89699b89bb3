//! An identity of the family's template does not hold: 收入合计 ≠ 支出合计, 收入合计 ≠ 当年收入小计
//! + 上年结转资金, or one standard table's total ≠ another's.
//!
//! ## What it flags
//! A family file declares its template's identities (`[[identity]]`: a total field and the
//! fields that sum to it, each filled by a `[[label]]` rule, most of them restricted to one
//! standard table). Each identity whose total and parts the document has is checked with the
//! rounding of the figures as written; a part declared `optional` counts 0 when it has no
//! figure (an empty 上年结转资金 cell), and without the total or another part the identity is
//! not checked.
//!
//! ## Why it matters
//! A budget's or final accounts' tables are tied together by the template: what comes in is
//! what goes out, the 总表's total is the 支出表's and the 财政拨款 tables' total. A figure
//! that breaks such an identity was mistyped, or copied from another version of the tables.
//!
//! ## Example
//! 中共江苏省委办公厅 2019: 收支预算总表 收入合计 27,664.22 = 支出合计 27,664.22 = 当年支出小计
//! 27,664.22 + 结转下年资金 (empty), and = 支出预算总表 合计 27,664.22: exact, no finding.
//! With 支出预算总表 合计 written 27,646.22, it is an error: the 总表 says 27,664.22.
//!
//! ## 中文
//!
//! 模板规定的恒等关系不成立：收入合计 ≠ 支出合计、收入合计 ≠ 当年收入小计 + 上年结转资金，或
//! 一张标准表的合计 ≠ 另一张表的合计。
//!
//! ### 检查内容
//! 文档族文件声明其模板的恒等关系（`[[identity]]`：一个合计字段及与之相加相等的各字段，均由
//! `[[label]]` 规则取得，多数限定于某一张标准表）。文档具备合计与各分项的，按所写数字的
//! 四舍五入精度核对；声明为 `optional` 的分项无数字时按 0 计（上年结转资金单元格为空），
//! 缺少合计或其他分项的，不予核对。
//!
//! ### 为何重要
//! 预算或决算各表由模板相互勾连：收入等于支出，总表的合计即支出表和财政拨款各表的合计。
//! 破坏这种关系的数字，必是录错，或抄自另一版本的表格。
//!
//! ### 示例
//! 中共江苏省委办公厅 2019 年：收支预算总表收入合计 27,664.22 = 支出合计 27,664.22 = 当年支出
//! 小计 27,664.22 + 结转下年资金（空），且 = 支出预算总表合计 27,664.22：完全相符，无发现。
//! 若支出预算总表合计写作 27,646.22，则为错误：总表为 27,664.22。

use crate::check::arithmetic::{placed_field, sum_finding, Context, Placed};
use crate::check::{Finding, Rule, Settings};
use crate::extract::family::{Family, Identity};
use crate::extract::{Extraction, Field};
use crate::recognize::number::Number;

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let Some(family) = settings.family(x) else {
        return Vec::new();
    };
    family
        .identities
        .iter()
        .filter_map(|identity| identity_finding(rule, x, family, identity, settings))
        .collect()
}

fn identity_finding(
    rule: &Rule,
    x: &Extraction,
    family: &Family,
    identity: &Identity,
    settings: &Settings,
) -> Option<Finding> {
    let numbers: Vec<_> = std::iter::once(&identity.total)
        .chain(&identity.parts)
        .map(|key| {
            let field = x.fields.get(key)?;
            Some((key, field, field.number()?))
        })
        .collect();
    let total = numbers[0].as_ref()?;
    let mut parts = Vec::new();
    for (key, found) in identity.parts.iter().zip(&numbers[1..]) {
        match found {
            Some(part) => parts.push(part),
            None if identity.optional.contains(key) => {}
            None => return None,
        }
    }
    if parts.is_empty() {
        return None;
    }
    let total = place(family, total);
    let parts: Vec<Placed<'_>> = parts.into_iter().map(|p| place(family, p)).collect();
    // Said only for an identity whose figures the document has.
    let what = rule.say(settings.lang, &[("identity", &identity.name)]);
    sum_finding(&total, &parts, &what, settings.lang)
}

/// A field's figure, named as its label rule names it.
fn place<'a>(
    family: &Family,
    (key, field, number): &'a (&String, &'a Field, Number),
) -> Placed<'a> {
    placed_field(number, &family.field_label(key, field), field)
}
