//! A balance carried into this year's report differs from the one last year's report closed
//! with.
//!
//! ## What it flags
//! When a batch holds reports of the same department (the same 部门（单位）名称) for
//! consecutive years, every balance its family carries between years (`[[carry]]` in
//! `extractors/*.toml`: this year's 上年结转 against last year's 累计结转结余, the project
//! table's 年初结转和结余 total against last year's 年末结转 total) must agree, within
//! rounding of the decimals written.
//!
//! ## Why it matters
//! Money does not appear or vanish between 31 December and 1 January. A gap means one of the
//! two reports is wrong, or funds moved without being reported; neither report alone shows it.
//!
//! ## Example
//! 湘西自治州乡村振兴局's 2021 report opens with 上年结转 224.76 万元; if its 2020 report closed
//! with 累计结转结余 219.76 万元, the 2021 figure is flagged with the 2020 one beside it
//! (difference 5.00, an error).
//!
//! ## 中文
//!
//! 本年度报告结转入的余额，与上年度报告的期末余额不一致。
//!
//! ### 检查内容
//! 同一批次中有同一部门（部门（单位）名称相同）连续年度的报告时，该类报告跨年结转的
//! 每一项余额（`extractors/*.toml` 中的 `[[carry]]`：本年的上年结转对上年的累计结转结余，
//! 项目表的年初结转和结余合计对上年的年末结转合计）均须在所填小数位的舍入范围内一致。
//!
//! ### 为何重要
//! 资金不会在 12 月 31 日与次年 1 月 1 日之间凭空出现或消失。出现差额，说明两份报告中
//! 有一份有误，或有资金变动未予报告；单看其中任何一份报告都无从发现。
//!
//! ### 示例
//! 湘西自治州乡村振兴局 2021 年报告的上年结转为 224.76 万元；若其 2020 年报告的累计结转
//! 结余为 219.76 万元，则标出 2021 年的数字，并附列 2020 年的数字（差额 5.00，错误）。

use std::collections::HashMap;

use crate::check::arithmetic::{placed_field, sum_finding};
use crate::check::rules::BatchFindings;
use crate::check::{Ledgers, Rule, Settings};
use crate::recognize::table::squeeze;

pub fn check<'l>(
    rule: &'l Rule,
    ledgers: &'l Ledgers,
    settings: &'l Settings,
) -> BatchFindings<'l> {
    // The documents that carry balances, by department (its name's hash) and year.
    let mut by_year: HashMap<(u64, u32), Vec<usize>> = HashMap::new();
    for (i, key) in ledgers.keys().iter().enumerate() {
        if let (Some(department), Some(year), true) = (key.department, key.year, key.carries) {
            by_year.entry((department, year)).or_default().push(i);
        }
    }
    Box::new(move |i| {
        let key = &ledgers.keys()[i];
        let (Some(department), Some(year), true) = (key.department, key.year, key.carries) else {
            return Ok(Vec::new());
        };
        let Some(last_year) = year
            .checked_sub(1)
            .and_then(|y| by_year.get(&(department, y)))
        else {
            return Ok(Vec::new());
        };
        let this = ledgers.get(i)?;
        let name = this.department.as_deref().map(squeeze);
        let mut out = Vec::new();
        for &j in last_year {
            let last = ledgers.get(j)?;
            // The same name (not only the same hash), and not the same file twice.
            if last.department.as_deref().map(squeeze) != name || last.sha256 == this.sha256 {
                continue;
            }
            for carry in &this.carries {
                let Some(opening) = &carry.opening else {
                    continue;
                };
                let Some(closing) = last
                    .carries
                    .iter()
                    .find(|c| c.opening_key == carry.opening_key)
                    .and_then(|c| c.closing.as_ref())
                else {
                    continue;
                };
                let (Some(o), Some(c)) = (opening.number(), closing.number()) else {
                    continue;
                };
                // The documents' own labels (the row a balance stands in); the field's key
                // only where the document gave none.
                let label = |field: &crate::extract::Field, key: &str| {
                    field.label.clone().unwrap_or_else(|| key.to_string())
                };
                let stated = placed_field(
                    &o,
                    &format!("{year} {}", label(opening, &carry.opening_key)),
                    opening,
                );
                let carried = placed_field(
                    &c,
                    &format!("{} {}", year - 1, label(closing, &carry.closing_key)),
                    closing,
                );
                if let Some(mut f) = sum_finding(
                    &stated,
                    &[carried],
                    &rule.say(settings.lang, &[]),
                    settings.lang,
                ) {
                    if let Some(part) = f.involved.get_mut(1) {
                        part.document = Some(last.path.clone());
                    }
                    out.push(f);
                }
            }
        }
        Ok(out)
    })
}
