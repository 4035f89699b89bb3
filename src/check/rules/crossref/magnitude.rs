//! A figure in a 万元 column is ten thousand times the size of its neighbours: 元 written into
//! a 万元 table.
//!
//! ## What it flags
//! In a table region whose unit is a money unit larger than 元 (万元, 亿元), a column of
//! amounts (not a total column, not one with a measure of its own, `[words] own_measure`, nor a
//! serial column; most of its figures written with decimals, as amounts in 万元 are) whose
//! figure on one row is at least 1,000 times the largest of the others on the column's other
//! rows, where three or more of those are above zero, and read in 元 falls among them (at most
//! ten times the largest). Total rows are left out on both sides. The message gives the figure
//! read in the table's unit.
//!
//! ## Why it matters
//! Amounts copied from an accounting system in 元 into a form in 万元 make one line 10,000
//! times too large; where the table has no total row to betray it, the slip goes into every
//! figure computed from the table.
//!
//! ## Example
//! Seed 003 附件3's 设计费 column (万元): 263.57, 97.52, 25.06, 140.02 … With 湘西州's 97.52
//! written as 975200 (its amount in 元), 975200 is 3,700 times 263.57: a warning, reading
//! 975200 元 as 97.52 万元.
//!
//! ## 中文
//!
//! 以万元为单位的列中，某数是同列其他数的上万倍：把以元计的数填进了万元表。
//!
//! ### 检查内容
//! 单位为大于元的货币单位（万元、亿元）的表格区域中，金额列（不含合计列、有自身计量单位的列
//! `[words] own_measure` 和序号列；其数多带小数，如万元金额）某一行的数，不小于该列其他各行中
//! 最大者的 1,000 倍，其他各行中有三个及以上大于零，且按元折算后落在其他各数之间（不超过最大者
//! 的十倍）。合计行两边都不计。提示信息按表的单位折算给出该数。
//!
//! ### 为何重要
//! 从会计系统中以元为单位抄入万元报表的金额，会让一行放大一万倍；表中没有合计行可资核对时，
//! 这一错误会进入由该表算出的每个数字。
//!
//! ### 示例
//! seed 003 附件3 的设计费列（万元）：263.57、97.52、25.06、140.02……若湘西州的 97.52 写成
//! 975200（其以元计的金额），975200 是 263.57 的 3,700 倍：警告，并按 975200 元 = 97.52 万元
//! 给出。

use rust_decimal::Decimal;

use crate::check::arithmetic::{placed_in, show, Context};
use crate::check::{Class, Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::number::in_yuan;
use crate::vocabulary::common;

/// How many times the largest other figure a figure must be to be read as a slip.
const SLIP_FACTOR: i64 = 1000;
/// How many other figures above zero the column must have.
const FEWEST_OTHERS: usize = 3;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let words = &common().words;
    let mut out = Vec::new();
    for region in &x.tables {
        let Some(unit) = region.unit.as_deref() else {
            continue;
        };
        // How many 元 one of the region's units is: only units above 元.
        let Some(yuan) = in_yuan(unit).filter(|r| *r > Decimal::ONE) else {
            continue;
        };
        for col in &region.columns {
            if words.has_own_measure(&col.name) || words.is_serial(&col.name) || col.total {
                continue;
            }
            let figures: Vec<_> = region
                .rows
                .iter()
                .filter(|r| !r.total)
                .filter_map(|r| placed_in(x, ctx, region, r.row, col.col))
                .collect();
            // Amounts in 万元 are written with decimals; a column of whole numbers counts
            // something (受益人口 3, 5, 4 …).
            let with_decimals = figures.iter().filter(|f| f.number.scale > 0).count();
            if with_decimals * 2 < figures.len() {
                continue;
            }
            for (i, figure) in figures.iter().enumerate() {
                let others = figures
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, f)| f.approx.value.abs());
                let above_zero = others.clone().filter(|v| !v.is_zero()).count();
                let largest = others.max().unwrap_or_default();
                let value = figure.approx.value.abs();
                // Read in 万元 it must fall among its neighbours, not below them.
                let read_in_unit = value / yuan;
                if above_zero < FEWEST_OTHERS
                    || value < largest * Decimal::from(SLIP_FACTOR)
                    || read_in_unit > largest * Decimal::TEN
                {
                    continue;
                }
                let times = (value / largest).round();
                let read = show(read_in_unit);
                let message = rule.say(
                    settings.lang,
                    &[
                        ("item", &figure.label),
                        ("figure", &figure.number.raw.trim()),
                        ("times", &show(times)),
                        ("largest", &show(largest)),
                        ("unit", &unit),
                        ("read", &read),
                    ],
                );
                let involved = vec![figure.involved("figure")];
                out.push(
                    Finding::new(Some(Class::Material), message, figure.at.clone(), involved)
                        .figures(Some(show(value)), Some(read), None),
                );
            }
        }
    }
    out
}
