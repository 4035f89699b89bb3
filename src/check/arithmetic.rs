//! Rounding-aware arithmetic: figures as intervals, and the shared comparison of a stated
//! total (or rate) with the value computed from its parts.
//!
//! The decimals of a table figure are the most its column is written with; counts are exact.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Class, Finding, Involved};
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::location::At;
use crate::recognize::number::{Kind, Number};
use crate::recognize::table::{CellRef, Region, Row, SumBy, TypedCell};
use crate::vocabulary::{normalize, Names, Role, Roles};

/// A written figure as the interval `value ± half`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Approx {
    pub value: Decimal,
    pub half: Decimal,
    /// Decimals the figure stands for (its own, or its column's when more).
    pub scale: u32,
}

impl Approx {
    /// The interval a figure written with `scale` decimals stands for; `exact` gives half 0.
    pub fn new(value: Decimal, scale: u32, exact: bool) -> Self {
        let half = if exact {
            Decimal::ZERO
        } else {
            Decimal::new(5, scale + 1)
        };
        Approx { value, half, scale }
    }

    /// The same interval in `n`'s base unit (`1.82亿元` in 元), so that figures written in
    /// 万人 and 人, or 亿元 and 万元, compare.
    pub fn in_base_unit(self, n: &Number) -> Self {
        Approx {
            value: n.base_value,
            half: self.half * n.magnitude.unwrap_or(Decimal::ONE),
            scale: self.scale,
        }
    }
}

/// Facts about the extraction the rules share: decimals and exactness per column of each table
/// region (a form's funds rows and its indicator rows are different columns).
pub struct Context {
    /// (table, region, column) → what its figures are.
    columns: HashMap<(usize, usize, usize), ColumnFacts>,
    /// (table, row) → (index of the first region holding that row, index of the row in it).
    rows: HashMap<(usize, usize), (usize, usize)>,
    /// For each region of the extraction, in order: (table, region).
    regions: Vec<(usize, usize)>,
}

/// What a column's figures are: the most decimals they are written with, whether they count
/// things (exact), and whether they are points or scores (assigned, so exact in a sum).
#[derive(Clone, Copy, Default)]
struct ColumnFacts {
    scale: u32,
    counts: bool,
    assigned: bool,
}

impl Context {
    /// The context of `x`'s tables; `roles` tell which columns hold counts, points and scores.
    pub fn new(x: &Extraction, roles: &Roles) -> Self {
        let mut columns = HashMap::new();
        let mut rows = HashMap::new();
        for (r, region) in x.tables.iter().enumerate() {
            for (i, row) in region.rows.iter().enumerate() {
                rows.entry((region.table, row.row)).or_insert((r, i));
            }
            for col in &region.columns {
                let numbers: Vec<&Number> = region
                    .rows
                    .iter()
                    .filter_map(|r| r.cells.iter().find(|c| c.col == col.col)?.number.as_ref())
                    .collect();
                let facts = ColumnFacts {
                    scale: numbers.iter().map(|n| n.scale).max().unwrap_or(0),
                    counts: col.path.iter().any(|p| roles.matches(Role::Count, p)),
                    assigned: roles.matches_normalized(Role::Points, &col.name)
                        || roles.matches_normalized(Role::Score, &col.name),
                };
                columns.insert((region.table, region.region, col.col), facts);
            }
        }
        let regions = x.tables.iter().map(|r| (r.table, r.region)).collect();
        Context {
            columns,
            rows,
            regions,
        }
    }

    /// The interval of a table figure.
    pub fn cell(&self, region: &Region, col: usize, n: &Number) -> Approx {
        let facts = self
            .columns
            .get(&(region.table, region.region, col))
            .copied()
            .unwrap_or_default();
        let exact =
            facts.counts || (n.kind == Kind::Count && n.scale == 0 && n.magnitude.is_none());
        Approx::new(n.value, n.scale.max(facts.scale), exact)
    }

    /// Whether the figure at `cell` is in a column of points or scores: assigned, not measured,
    /// so a sum of them is compared exactly (a 0.5-point gap is an error, not rounding).
    pub fn assigned(&self, cell: &CellRef) -> bool {
        self.rows
            .get(&(cell.table, cell.row))
            .and_then(|&(r, _)| {
                self.regions
                    .get(r)
                    .and_then(|&(table, region)| self.columns.get(&(table, region, cell.col)))
            })
            .is_some_and(|f| f.assigned)
    }

    /// The interval of a figure in running text.
    pub fn text(&self, n: &Number) -> Approx {
        let exact = n.kind == Kind::Count && n.scale == 0 && n.magnitude.is_none();
        Approx::new(n.value, n.scale, exact)
    }
}

/// Classifies a difference between a stated and a computed figure, given the sum of the
/// half-widths of every figure involved.
pub fn classify_difference(diff: Decimal, slack: Decimal) -> Class {
    if diff.is_zero() {
        Class::Exact
    } else if diff.abs() <= slack {
        Class::Rounding
    } else {
        Class::Material
    }
}

/// Compares a stated total with the sum of its parts; `None` when the sum leaves `Decimal`'s
/// range (figures in base units reach 10^27: `999999999999999万亿元`).
pub fn classify_sum(total: Approx, parts: &[Approx]) -> Option<(Class, Decimal)> {
    let mut sum = Decimal::ZERO;
    let mut slack = total.half;
    for p in parts {
        sum = sum.checked_add(p.value)?;
        slack = slack.checked_add(p.half)?;
    }
    Some((
        classify_difference(sum.checked_sub(total.value)?, slack),
        sum,
    ))
}

/// Findings for the sum relations the tables state `by` rows or columns.
pub fn relation_findings(
    x: &Extraction,
    ctx: &Context,
    by: SumBy,
    what: &str,
    lang: Lang,
) -> Vec<Finding> {
    x.relations
        .iter()
        .filter(|r| r.by == by)
        .filter_map(|r| {
            if cells_sum_exactly(x, ctx, &r.total, &r.parts)
                || (by == SumBy::Row
                    && (cells_sum_exactly(x, ctx, &r.total, &outermost(x, ctx, &r.parts))
                        || cells_sum_exactly(
                            x,
                            ctx,
                            &r.total,
                            &without_group_members(x, ctx, &r.parts),
                        )))
            {
                return None;
            }
            let mut total = placed_cell(x, ctx, &r.total)?;
            let mut parts: Vec<Placed<'_>> = r
                .parts
                .iter()
                .filter_map(|p| placed_cell(x, ctx, p))
                .collect();
            if ctx.assigned(&r.total) {
                assigned(&mut total, &mut parts);
            }
            sum_finding(&total, &parts, what, lang)
        })
        .collect()
}

/// Compares a stated rate (in percent) with numerator / denominator.
/// Returns `None` when the denominator is zero.
pub fn classify_rate(
    rate: Approx,
    numerator: Approx,
    denominator: Approx,
) -> Option<(Class, Decimal)> {
    if denominator.value.is_zero() {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let computed = numerator.value / denominator.value * hundred;
    let rounded =
        computed.round_dp_with_strategy(rate.scale, RoundingStrategy::MidpointAwayFromZero);
    if rounded == rate.value {
        return Some((Class::Exact, computed));
    }
    // Cut instead of rounded (65.6557 → 65.65), or rounded the wrong way (66.6809 → 66.69):
    // less than one unit of the last decimal off is rounding-level.
    if (computed - rate.value).abs() < Decimal::new(1, rate.scale) {
        return Some((Class::Rounding, computed));
    }
    // Interval of the quotient (all figures here are non-negative amounts).
    let lo_den = denominator.value + denominator.half;
    let hi_den = denominator.value - denominator.half;
    let lo = (numerator.value - numerator.half) / lo_den * hundred;
    let hi = if hi_den > Decimal::ZERO {
        (numerator.value + numerator.half) / hi_den * hundred
    } else {
        Decimal::MAX
    };
    let (stated_lo, stated_hi) = (rate.value - rate.half, rate.value + rate.half);
    let class = if hi >= stated_lo && lo <= stated_hi {
        Class::Rounding
    } else {
        Class::Material
    };
    Some((class, computed))
}

/// Whether `computed`, cut to the decimals `stated` is written with instead of rounded, is
/// `stated` (65.6557 shown as 65.65): rounding-level, less than one unit of the last shown
/// decimal off.
fn is_truncation(stated: Approx, computed: Decimal) -> bool {
    computed.round_dp_with_strategy(stated.scale, RoundingStrategy::ToZero) == stated.value
}

/// Why a rate that is not exact is rounding-level, as its message ends: cut instead of
/// rounded, less than one unit of its last decimal off, or within the intervals of its
/// figures; nothing for a material one.
pub fn rate_explanation(lang: Lang, class: Class, stated: Approx, computed: Decimal) -> String {
    if class != Class::Rounding {
        return String::new();
    }
    let unit = Decimal::new(1, stated.scale);
    let off = (computed - stated.value).abs();
    if is_truncation(stated, computed) {
        lang.say("truncated", &[])
    } else if off < unit && off * Decimal::TWO > unit {
        lang.say("one_unit", &[])
    } else {
        lang.say("rounding", &[])
    }
}

/// A number with where it is and what it is called, as the rules pass figures around.
#[derive(Clone)]
pub struct Placed<'a> {
    pub number: &'a Number,
    pub approx: Approx,
    pub label: String,
    pub at: At,
}

impl<'a> Placed<'a> {
    /// A figure of the text, labelled by its subject, read within `approx`.
    pub fn text(f: &'a crate::extract::TextFigure, approx: Approx) -> Self {
        Placed {
            number: &f.number,
            approx,
            label: f.subject.clone(),
            at: f.at.clone(),
        }
    }

    pub fn involved(&self, role: &'static str) -> Involved {
        Involved {
            document: None,
            role,
            label: self.label.clone(),
            raw: self.number.raw.trim().to_string(),
            at: self.at.clone(),
        }
    }
}

/// The figure at a cell: its region, row, typed cell and number.
fn cell_figure<'a>(
    x: &'a Extraction,
    ctx: &Context,
    cell: &CellRef,
) -> Option<(&'a Region, &'a Row, &'a TypedCell, &'a Number)> {
    let &(r, i) = ctx.rows.get(&(cell.table, cell.row))?;
    let region: &Region = x.tables.get(r)?;
    let row = region.rows.get(i)?;
    let c = row.cells.iter().find(|c| c.col == cell.col)?;
    Some((region, row, c, c.number.as_ref()?))
}

/// The interval of the figure at a cell, as [`placed_cell`] gives it, without its label and
/// place: rules compare with it first and place figures only for a finding (most sums are
/// exact, and placing allocates).
fn cell_approx(x: &Extraction, ctx: &Context, cell: &CellRef) -> Option<Approx> {
    let (region, _, _, number) = cell_figure(x, ctx, cell)?;
    Some(ctx.cell(region, cell.col, number))
}

/// `parts` whose row label stands furthest left: where a table indents its hierarchy by
/// column (采购品目大类 | 专项名称 | … | 采购物品名称), the rows labelled in an earlier column
/// head the rows labelled further right. Total rows are only checked against this reading
/// when the plain one fails.
fn outermost(x: &Extraction, ctx: &Context, parts: &[CellRef]) -> Vec<CellRef> {
    let depth = |p: &CellRef| {
        let (_, row, _, _) = cell_figure(x, ctx, p)?;
        row.cells
            .iter()
            .filter(|c| c.number.is_none() && !c.no_value && !c.text.trim().is_empty())
            .map(|c| c.col)
            .filter(|&col| col < p.col)
            .max()
    };
    let depths: Vec<Option<usize>> = parts.iter().map(depth).collect();
    let Some(top) = depths.iter().flatten().min().copied() else {
        return parts.to_vec();
    };
    parts
        .iter()
        .zip(&depths)
        .filter(|(_, d)| d.is_none_or(|d| d == top))
        .map(|(p, _)| p.clone())
        .collect()
}

/// `parts` (rows in order) without the members of groups: a row whose figure the rows right
/// after it make up exactly (一、财政拨款 over 1.一般公共预算, a 采购品目大类 over its items) stands
/// for them, and they are dropped. Total rows are only checked against this reading when the
/// plain one fails, so a coincidence can explain a total but never make a finding.
fn without_group_members(x: &Extraction, ctx: &Context, parts: &[CellRef]) -> Vec<CellRef> {
    let values: Vec<Decimal> = parts
        .iter()
        .map(|p| cell_approx(x, ctx, p).map_or(Decimal::ZERO, |a| a.value))
        .collect();
    let mut ends = vec![None; values.len()];
    let mut kept = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        kept.push(parts[i].clone());
        i = group_end(&values, i, &mut ends).unwrap_or(i + 1);
    }
    kept
}

/// Where the group headed by row `i` ends: the rows after it, each counted with its own group
/// if it heads one, make up its figure exactly. Memoized in `ends` (`Some(None)`: no group).
fn group_end(values: &[Decimal], i: usize, ends: &mut Vec<Option<Option<usize>>>) -> Option<usize> {
    if let Some(known) = ends[i] {
        return known;
    }
    let head = values[i];
    let mut sum = Decimal::ZERO;
    let mut j = i + 1;
    let mut end = None;
    while j < values.len() && !head.is_zero() {
        let Some(next) = sum.checked_add(values[j]) else {
            break;
        };
        sum = next;
        j = group_end(values, j, ends).unwrap_or(j + 1);
        if sum == head {
            end = Some(j);
            break;
        }
        if sum.abs() > head.abs() {
            break;
        }
    }
    ends[i] = Some(end);
    end
}

/// Whether the figures at `parts` sum to the figure at `total` exactly, compared before any
/// figure is placed. False when the total has no figure or the sum leaves `Decimal`'s range;
/// parts without a figure are left out, as [`placed_cell`]'s callers leave them out.
pub fn cells_sum_exactly(
    x: &Extraction,
    ctx: &Context,
    total: &CellRef,
    parts: &[CellRef],
) -> bool {
    let approxes: Vec<Approx> = parts
        .iter()
        .filter_map(|p| cell_approx(x, ctx, p))
        .collect();
    cell_approx(x, ctx, total)
        .and_then(|total| classify_sum(total, &approxes))
        .is_some_and(|(class, _)| class == Class::Exact)
}

/// A table figure by its cell, with the row label and column name as its label.
pub fn placed_cell<'a>(x: &'a Extraction, ctx: &Context, cell: &CellRef) -> Option<Placed<'a>> {
    let (region, row, c, number) = cell_figure(x, ctx, cell)?;
    let column = region.column_name(cell.col);
    Some(Placed {
        number,
        approx: ctx.cell(region, cell.col, number),
        label: [row.label.as_str(), "/", column].concat(),
        at: At::Cell {
            table: cell.table,
            row: cell.row,
            col: cell.col,
            origin: c.origin.clone(),
        },
    })
}

/// The figure of `region` at (`row`, `col`), as [`placed_cell`] places it.
pub fn placed_in<'a>(
    x: &'a Extraction,
    ctx: &Context,
    region: &Region,
    row: usize,
    col: usize,
) -> Option<Placed<'a>> {
    placed_cell(
        x,
        ctx,
        &CellRef {
            table: region.table,
            row,
            col,
        },
    )
}

/// A figure read from a named field, labelled `label`.
pub fn placed_field<'a>(n: &'a Number, label: &str, field: &crate::extract::Field) -> Placed<'a> {
    let exact = n.kind == Kind::Count && n.scale == 0 && n.magnitude.is_none();
    Placed {
        number: n,
        approx: Approx::new(n.value, n.scale, exact),
        label: label.to_string(),
        at: field.at.clone(),
    }
}

/// Prints a decimal without trailing zeros beyond what is needed.
pub fn show(d: Decimal) -> String {
    crate::decimal::string(&d.normalize())
}

/// Prints a decimal with exactly `scale` decimals (`796.60`, `25.00`), as the figures it was
/// computed from are written.
pub fn show_at(d: Decimal, scale: u32) -> String {
    let mut d = d.round_dp(scale);
    d.rescale(scale);
    crate::decimal::string(&d)
}

/// A shown decimal with its whole part in groups of three (`-1478.94` → `-1,478.94`), as
/// documents that write thousands separators write their figures.
pub fn group_thousands(shown: &str) -> String {
    let (sign, digits) = match shown.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shown),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Makes a sum of points or scores exact: they are assigned, not measured, so no rounding
/// interval explains a gap (issue 16: a 0.5 or 2-point gap in a score sum is an error).
pub fn assigned<'a>(total: &mut Placed<'a>, parts: &mut [Placed<'a>]) {
    for p in std::iter::once(total).chain(parts) {
        p.approx.half = Decimal::ZERO;
    }
}

/// A finding for "total = Σ parts" when the sum does not agree; `None` when it is exact.
pub fn sum_finding(
    total: &Placed<'_>,
    parts: &[Placed<'_>],
    what: &str,
    lang: Lang,
) -> Option<Finding> {
    let approxes: Vec<Approx> = parts.iter().map(|p| p.approx).collect();
    let (class, sum) = classify_sum(total.approx, &approxes)?;
    if class == Class::Exact {
        return None;
    }
    let diff = sum - total.approx.value;
    let sign = if diff > Decimal::ZERO { "+" } else { "" };
    let parts_scale = parts.iter().map(|p| p.approx.scale).max().unwrap_or(0);
    let (stated, computed) = (
        show_at(total.approx.value, total.approx.scale),
        show_at(sum, parts_scale),
    );
    let difference = show_at(diff, parts_scale.max(total.approx.scale));
    // The message's figures are written as the document writes them (1,478.94 beside
    // 1,478.93, not 1478.94).
    let grouped = std::iter::once(total)
        .chain(parts)
        .any(|p| p.number.raw.contains(','));
    let like = |shown: &str| {
        if grouped {
            group_thousands(shown)
        } else {
            shown.to_string()
        }
    };
    let difference_shown = format!("{sign}{}", like(&difference));
    let message = match parts {
        [only] => lang.say(
            "sum.one",
            &[
                ("what", &what),
                ("total", &total.label),
                ("stated", &total.number.raw.trim()),
                ("part", &only.label),
                ("part_stated", &only.number.raw.trim()),
                ("difference", &difference_shown),
            ],
        ),
        _ => {
            let terms: Vec<&str> = parts.iter().map(|p| p.number.raw.trim()).collect();
            lang.say(
                "sum.many",
                &[
                    ("what", &what),
                    ("total", &total.label),
                    ("stated", &total.number.raw.trim()),
                    ("terms", &terms.join(" + ")),
                    ("computed", &like(&computed)),
                    ("difference", &difference_shown),
                ],
            )
        }
    } + &if class == Class::Rounding {
        lang.say("rounding", &[])
    } else {
        String::new()
    };
    let mut involved = vec![total.involved("total")];
    involved.extend(parts.iter().map(|p| p.involved("part")));
    Some(
        Finding::new(Some(class), message, total.at.clone(), involved).figures(
            Some(stated),
            Some(computed),
            Some(difference),
        ),
    )
}

/// The document's own rate that a row named `label` scores or restates (预算执行率, 一年以内资金
/// 执行率): the percentage of a rate column, in a region with a budget or an executed column,
/// whose name ends with the rate name `label` ends with (执行率 against 到位率) — on the region's
/// total row where it has one, else its first. The funds table is of the project of the row's
/// region `of` (where tables name projects), the last before it, else the first after it.
pub fn funds_rate<'x>(
    x: &'x Extraction,
    ctx: &Context,
    roles: &Roles,
    of: &Region,
    label: &str,
) -> Option<Placed<'x>> {
    let label = normalize(label);
    let written = roles.names(Role::Rate).map_or(&[][..], Names::written);
    let kind = written
        .iter()
        .filter(|n| label.ends_with(n.as_str()))
        .max_by_key(|n| n.chars().count())?;
    let project = |region: &Region| {
        region.project.is_none() || of.project.is_none() || region.project == of.project
    };
    let before = x.tables.iter().rev().filter(|r| r.table <= of.table);
    let after = x.tables.iter().filter(|r| r.table > of.table);
    before
        .chain(after)
        .filter(|r| project(r))
        .find_map(|region| {
            let funds = region.column_for(roles, Role::Budget).is_some()
                || region.column_for(roles, Role::Executed).is_some();
            let col = region
                .column_for(roles, Role::Rate)
                .filter(|_| funds)
                .and_then(|c| region.columns.iter().find(|col| col.col == c))
                .filter(|col| col.name.ends_with(kind.as_str()))?;
            // The funds total's rate (年度资金总额) where a row is one, else the first.
            let rates: Vec<(bool, Placed<'x>)> = region
                .rows
                .iter()
                .filter_map(|r| Some((r.total, placed_in(x, ctx, region, r.row, col.col)?)))
                .filter(|(_, p)| p.number.kind == Kind::Percent)
                .collect();
            let at = rates.iter().position(|(total, _)| *total).unwrap_or(0);
            rates.into_iter().nth(at).map(|(_, p)| p)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_as_documents_write_them() {
        assert_eq!(group_thousands("1478.94"), "1,478.94");
        assert_eq!(group_thousands("-1478.9"), "-1,478.9");
        assert_eq!(group_thousands("213.96"), "213.96");
        assert_eq!(group_thousands("1234567"), "1,234,567");
        assert_eq!(group_thousands("0.01"), "0.01");
    }

    fn a(v: &str, scale: u32) -> Approx {
        Approx::new(v.parse().unwrap(), scale, false)
    }

    #[test]
    fn sums_are_exact_rounding_or_material() {
        // Xiangxi income: 1,482.43 = 224.76 + 1,252.66 + 5.01.
        assert_eq!(
            classify_sum(
                a("1482.43", 2),
                &[a("224.76", 2), a("1252.66", 2), a("5.01", 2)]
            )
            .unwrap()
            .0,
            Class::Exact
        );
        // Xiangxi expenditure: 1,478.93 vs 830.35 + 648.59 = 1,478.94.
        assert_eq!(
            classify_sum(a("1478.93", 2), &[a("830.35", 2), a("648.59", 2)])
                .unwrap()
                .0,
            Class::Rounding
        );
        // A real error: 5.00 off.
        assert_eq!(
            classify_sum(a("1472.52", 2), &[a("828.93", 2), a("648.59", 2)])
                .unwrap()
                .0,
            Class::Material
        );
        // Counts are exact: 9979 vs 9978 is material.
        let exact = |v: &str| Approx::new(v.parse().unwrap(), 0, true);
        assert_eq!(
            classify_sum(exact("9979"), &[exact("9978")]).unwrap().0,
            Class::Material
        );
    }

    #[test]
    fn rates_use_the_stated_decimals() {
        // 预算追加率 45% = 393.73 / 873.72 = 45.06%: rounds to 45.
        let (class, computed) = classify_rate(a("45", 0), a("393.73", 2), a("873.72", 2)).unwrap();
        assert_eq!(class, Class::Exact);
        assert!(computed > "45.06".parse().unwrap() && computed < "45.07".parse().unwrap());
        // 附件2 基础设施建设 share: 65.65% written, 227504.71 / 346511.97 = 65.6557%: cut,
        // not rounded, so rounding-level; 65.64% would be material.
        assert_eq!(
            classify_rate(a("65.65", 2), a("227504.71", 2), a("346511.97", 2))
                .unwrap()
                .0,
            Class::Rounding
        );
        assert!(is_truncation(a("65.65", 2), "65.6557".parse().unwrap()));
        assert_eq!(
            classify_rate(a("65.64", 2), a("227504.71", 2), a("346511.97", 2))
                .unwrap()
                .0,
            Class::Material
        );
        // 执行率 94.97% = 346511.97 / 364860.
        assert_eq!(
            classify_rate(a("94.97", 2), a("346511.97", 2), a("364860", 2))
                .unwrap()
                .0,
            Class::Exact
        );
        assert!(classify_rate(a("50", 0), a("1", 0), a("0", 0)).is_none());
    }
}
