//! Table understanding: header rows and column paths, row labels, units, and which rows and
//! columns are totals of which others — for any table, whatever family it comes from.
//!
//! A model table can hold several logical tables (a Word form stacks its 收入, 支出 and 三公经费
//! blocks in one grid), so a table is first cut into [`Region`]s: a run of header rows (no
//! figures) followed by data rows (with figures). Header cells that do not reach across the
//! region (the text export loses `gridSpan`) get their spans back from the row below, see
//! [`infer_spans`]. A column's path is its header texts top-down (`其中：/上年结转`).
//!
//! Totals are found by words (合计, 小计, 总计, 汇总, 总分 …) in row labels and column headers;
//! the parts of a total column are the columns under the `其中` header next to it. Rows and
//! columns so related become [`SumRelation`]s, which the checks evaluate.

use std::borrow::Cow;

use serde::Serialize;

use super::number::{parse_cell, CellValue, Kind, Number};
use crate::model::{Origin, Table};
use crate::vocabulary::{common, normalize, Role, Roles, Words};

/// A logical table: header rows, then data rows, inside one model table.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Region {
    /// Index of the model table (`Table::index`).
    pub table: usize,
    /// The region's ordinal within its model table.
    pub region: usize,
    /// A title row above the headers (`年度收入情况（万元）`), or the paragraph before the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Unit stated by the title, header or a `单位：` line (`万元`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Model rows that form the header.
    pub header_rows: Vec<usize>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The project the table is of: its 项目名称 cell's value (`项目支出名称 | 2023年度衔接推进
    /// 乡村振兴补助专项资金`), or else that of the last table before it that names one, so that
    /// the forms of two projects in one file are not read as one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
}

/// One column of a region.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Column {
    /// Grid column in the model table.
    pub col: usize,
    /// Header texts from top to bottom, white space removed (`["其中：", "上年结转"]`).
    pub path: Vec<String>,
    /// True when the header names a total (`收入合计`).
    pub total: bool,
    /// The last header text, [`normalize`]d once for every role and column name it is
    /// matched against.
    #[serde(skip)]
    #[schemars(skip)]
    pub name: String,
}

impl Column {
    /// Whether a header of the column is a serial word (序号, 行次): its figures number the rows.
    pub fn numbers_rows(&self) -> bool {
        let words = &common().words;
        self.path.iter().any(|p| words.is_serial(p))
    }
}

/// One data row of a region.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Row {
    /// Row in the model table.
    pub row: usize,
    /// The row's label: the last text left of its first figure (`1、局机关`, `全省合计`, or the
    /// 三级指标 of an indicator row).
    pub label: String,
    /// Every text left of the first figure, merged cells from rows above included
    /// (`["绩效指标", "产出指标", "数量指标", "脱贫人口"]`).
    pub label_path: Vec<String>,
    /// True when the label names a total (合计, 汇总 …).
    pub total: bool,
    /// The row's classification code (功能分类 `204` → `20404` → `2040401`, 经济分类 `301` →
    /// `30101`), joined where the table splits it over 类, 款 and 项 columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub cells: Vec<TypedCell>,
}

/// A cell of a data row with its figure.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TypedCell {
    pub col: usize,
    pub text: String,
    /// The figure when the cell holds exactly one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<Number>,
    /// True for a dash standing for "no value".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_value: bool,
    pub origin: Origin,
}

/// A cell named by its place in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CellRef {
    pub table: usize,
    pub row: usize,
    pub col: usize,
}

/// "`total` = sum of `parts`", as a table states it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SumRelation {
    pub total: CellRef,
    pub parts: Vec<CellRef>,
    pub by: SumBy,
}

/// How a sum relation was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SumBy {
    /// A total row over its part rows.
    Row,
    /// A total column over its 其中 columns.
    Column,
    /// A classification code's row over the rows of the next level under it (类 over its 款,
    /// 款 over its 项), or a total row over the top-level codes.
    Code,
}

/// A header or data row as the region finder sees it.
struct RowInfo<'t> {
    /// Anchor cells starting in this row: (col, col_span, text).
    cells: Vec<(usize, usize, &'t str)>,
    /// For each of `cells`: its index in `Table::cells` and what it holds, parsed once.
    parsed: Vec<(usize, CellValue)>,
    numeric: usize,
}

fn row_infos(t: &Table) -> Vec<RowInfo<'_>> {
    let mut rows: Vec<RowInfo> = (0..t.rows)
        .map(|_| RowInfo {
            cells: Vec::new(),
            parsed: Vec::new(),
            numeric: 0,
        })
        .collect();
    for (i, c) in t.cells.iter().enumerate() {
        let info = &mut rows[c.row];
        let value = parse_cell(&c.text);
        if matches!(&value, CellValue::Number(n) if n.kind != Kind::Date) {
            info.numeric += 1;
        }
        info.cells.push((c.col, c.col_span, c.text.as_str()));
        info.parsed.push((i, value));
    }
    rows
}

/// Header text with the white space of in-cell line breaks removed (`公共财 政拨款` → `公共财政拨款`).
///
/// Borrowed when there is no white space, as in most cells: this runs on nearly every cell,
/// several times.
pub fn squeeze(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(char::is_whitespace) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    for piece in text[first..].split(char::is_whitespace) {
        out.push_str(piece);
    }
    Cow::Owned(out)
}

/// Whether a row label or column header names a total (and not a share of one, `占比`): the
/// vocabulary's `total` and `not_total` words.
pub fn is_total_label(text: &str) -> bool {
    let words = &common().words;
    let t = squeeze(text);
    // One pass, trying a word only where its first character stands: a substring search per
    // word cost more to set up than these short labels take to read.
    let total = t.char_indices().any(|(i, c)| {
        words
            .total
            .iter()
            .any(|w| w.starts_with(c) && t[i..].starts_with(w.as_str()))
    });
    total && !words.not_total.iter().any(|w| t.contains(w.as_str()))
}

fn is_group_label(text: &str) -> bool {
    Words::is_only(&common().words.group, text)
}

/// Cuts a table into regions and reads each one.
pub fn regions(t: &Table, before: Option<&str>) -> Vec<Region> {
    let mut infos = row_infos(t);
    // Asked of a row again and again as regions are cut: found once.
    let empty_total: Vec<bool> = infos.iter().map(is_empty_total_row).collect();
    let mut out = Vec::new();
    let mut r = 0;
    while r < t.rows {
        if infos[r].numeric == 0 {
            r += 1;
            continue;
        }
        // A run of data rows starting at r.
        let first_data = r;
        let mut end = r;
        let is_data = |k: usize| {
            infos[k].numeric > 0
                || is_no_value_row(&infos[k])
                || is_label_only_row(&infos[k])
                || empty_total[k]
        };
        while end < t.rows {
            if is_data(end) {
                end += 1;
                continue;
            }
            // Prose rows under a merged label (a rubric's 指标说明 rows: nothing of their own in
            // the first column) stay in the region when more data rows follow.
            let continues = |k: usize| {
                !is_header_like(&infos[k])
                    && !infos[k]
                        .cells
                        .iter()
                        .any(|(c, _, s)| *c == 0 && !s.trim().is_empty())
            };
            let next = (end..t.rows).find(|&k| is_data(k) || !continues(k));
            match next {
                Some(k) if is_data(k) => end = k,
                _ => {
                    // At the end of the table, the prose rows that a data row's merged cells
                    // still cover belong to it (the last rubric item's criteria).
                    let covered_until = t
                        .cells
                        .iter()
                        .filter(|c| (first_data..end).contains(&c.row))
                        .map(|c| c.row + c.row_span)
                        .max()
                        .unwrap_or(end)
                        .min(t.rows);
                    if (end..covered_until).all(continues) {
                        end = end.max(covered_until);
                    }
                    break;
                }
            }
        }
        // Header rows: non-numeric rows just above, up to 4, stopping at a title row.
        let mut header_start = first_data;
        let mut title = None;
        while header_start > 0 && first_data - header_start < 4 {
            let above = &infos[header_start - 1];
            if above.numeric > 0
                || out
                    .iter()
                    .any(|reg: &Region| reg.rows.iter().any(|x| x.row == header_start - 1))
            {
                break;
            }
            let texts: Vec<&str> = above
                .cells
                .iter()
                .map(|(_, _, s)| *s)
                .filter(|s| !s.trim().is_empty())
                .collect();
            if texts.len() == 1
                && (above.cells.len() == 1 || above.cells.iter().any(|(_, span, _)| *span > 1))
            {
                title = Some(squeeze(texts[0]).into_owned());
                break;
            }
            if texts.is_empty() || texts.iter().any(|s| squeeze(s).chars().count() > 16) {
                break;
            }
            header_start -= 1;
        }
        if title.is_none() && out.is_empty() && header_start == 0 {
            title = before.map(|b| squeeze(b).into_owned());
        }
        let header_rows: Vec<usize> = (header_start..first_data).collect();
        out.push(region(
            t,
            &mut infos,
            out.len(),
            title,
            header_rows,
            first_data..end,
        ));
        r = end;
    }
    out
}

/// A row of short texts and no figures: a header, or a label row that starts a new block.
fn is_header_like(info: &RowInfo) -> bool {
    let texts: Vec<Cow<'_, str>> = info
        .cells
        .iter()
        .map(|(_, _, s)| squeeze(s))
        .filter(|s| !s.is_empty())
        .collect();
    info.numeric == 0
        && texts.len() >= 2
        && texts.iter().all(|s| s.chars().count() <= 16)
        && !is_label_only_row(info)
}

/// A data row with a label and nothing else (`2、二级机构` with empty cells).
/// A row with one label in its first columns and nothing after it (`其中：上年结转资金` with no
/// figures). Leading empty cells are allowed: in a text export they stand under a merged label.
fn is_label_only_row(info: &RowInfo) -> bool {
    let Some(k) = info.cells.iter().position(|(_, _, s)| !s.trim().is_empty()) else {
        return false;
    };
    info.cells.len() >= 2
        && info.cells[k].1 < 3
        && info.cells[k + 1..]
            .iter()
            .all(|(_, _, s)| s.trim().is_empty())
}

/// A total row with nothing to total yet (`政府性基金 | 小计 |` with empty amounts): labels only,
/// the last a total word.
fn is_empty_total_row(info: &RowInfo) -> bool {
    if info.numeric > 0 {
        return false;
    }
    let mut texts = info
        .cells
        .iter()
        .map(|(_, _, s)| *s)
        .filter(|s| !s.trim().is_empty());
    let (first, second, third) = (texts.next(), texts.next(), texts.next());
    third.is_none()
        && second
            .or(first)
            .is_some_and(|t| is_total_label(&squeeze(t)))
}

fn is_no_value_row(info: &RowInfo) -> bool {
    let filled: Vec<&CellValue> = info
        .parsed
        .iter()
        .map(|(_, v)| v)
        .filter(|v| **v != CellValue::Empty)
        .collect();
    filled.len() >= 2 && filled[1..].iter().all(|v| **v == CellValue::NoValue)
}

/// The unit a title or header states: `（万元）`, `单位：万元`, `(万元)`.
pub fn unit_in(text: &str) -> Option<String> {
    if !text.contains(['（', '(', '位']) {
        return None;
    }
    let t = squeeze(text);
    let stated = |at: usize, unit: &str| {
        let (before, after) = (&t[..at], &t[at + unit.len()..]);
        (before.ends_with('（') && after.starts_with('）'))
            || (before.ends_with('(') && after.starts_with(')'))
            || before.ends_with("单位：")
            || before.ends_with("单位:")
    };
    [
        "万亿元",
        "亿元",
        "万元",
        "千元",
        "元",
        "%",
        "人",
        "户",
        "个",
    ]
    .into_iter()
    .find(|unit| t.match_indices(unit).any(|(at, _)| stated(at, unit)))
    .map(str::to_string)
}

/// A model table's grid: for each row and column, the index of the cell covering it.
type Grid = Vec<Vec<Option<usize>>>;

fn region(
    t: &Table,
    infos: &mut [RowInfo],
    index: usize,
    title: Option<String>,
    header_rows: Vec<usize>,
    data: std::ops::Range<usize>,
) -> Region {
    let width = data
        .clone()
        .map(|r| {
            infos[r]
                .cells
                .iter()
                .map(|(c, s, _)| c + s)
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let grid = t.grid();
    // A row with grid positions no cell covers lost its spans (a text export).
    let short = |r: usize| {
        grid.get(r)
            .is_some_and(|g| (0..width).any(|c| g.get(c).copied().flatten().is_none()))
    };
    let columns = columns(t, infos, &grid, &header_rows, width, &short);
    let unit = title.as_deref().and_then(unit_in).or_else(|| {
        columns
            .iter()
            .flat_map(|c| c.path.iter())
            .find_map(|p| unit_in(p))
    });
    let mut typed = typed_rows(t, infos, data);
    align_short_rows(&mut typed, width, &short);
    let codes = take_codes(&mut typed);
    // Label columns: those left of the first column that holds a figure in any data row
    // (a 序号 column does not count), counted after the alignment, so that a text export's
    // short total row does not make its figure's raw position the end of the labels. Label
    // texts carry down over empty (merged) cells.
    let is_serial = |col: usize| columns.iter().any(|c| c.col == col && c.numbers_rows());
    let label_width = typed
        .iter()
        .flat_map(|(_, cells)| cells.iter())
        .filter(|c| c.number.is_some() && !is_serial(c.col))
        .map(|c| c.col)
        .min()
        .unwrap_or(width)
        .min(width);
    let mut carry: Vec<Option<String>> = vec![None; label_width];
    let mut rows = Vec::new();
    for ((r, cells), code) in typed.into_iter().zip(codes) {
        let label_path = label_path(t, &grid[r], &cells, &mut carry);
        let label = label_path.last().cloned().unwrap_or_default();
        let total = label_path.last().is_some_and(|l| is_total_label(l));
        rows.push(Row {
            row: r,
            label,
            label_path,
            total,
            code,
            cells,
        });
    }
    Region {
        table: t.index,
        region: index,
        title,
        unit,
        header_rows,
        columns,
        rows,
        project: None,
    }
}

/// The region's columns with their header paths, top to bottom. A short header row (one
/// that lost its spans) gets its cells' spans inferred from the row below, bottom-up.
fn columns(
    t: &Table,
    infos: &[RowInfo],
    grid: &Grid,
    header_rows: &[usize],
    width: usize,
    short: &dyn Fn(usize) -> bool,
) -> Vec<Column> {
    let mut header: Vec<Vec<(usize, usize, &str)>> = header_rows
        .iter()
        .map(|&r| infos[r].cells.clone())
        .collect();
    for k in (0..header.len()).rev() {
        if short(header_rows[k]) {
            let below: Vec<(usize, usize, &str)> = match header.get(k + 1) {
                Some(b) => b.clone(),
                None => (0..width).map(|c| (c, 1, "x")).collect(),
            };
            header[k] = infer_spans(&header[k], &below, width);
        }
    }
    let mut columns = Vec::new();
    for col in 0..width {
        let mut path: Vec<String> = Vec::new();
        // The cell each header row shows over this column: (identity, text). A cell merged
        // down over several rows (or an empty cell under a text export header) counts once.
        let mut last: Option<(usize, usize)> = None;
        for (k, &r) in header_rows.iter().enumerate() {
            let (id, text) = if short(r) {
                match header[k].iter().find(|(c, s, _)| *c <= col && col < c + s) {
                    Some((c, _, text)) => ((r, *c), squeeze(text)),
                    None => continue,
                }
            } else {
                match grid[r].get(col).copied().flatten().map(|i| &t.cells[i]) {
                    Some(cell) => ((cell.row, cell.col), squeeze(&cell.text)),
                    None => continue,
                }
            };
            if text.is_empty() || last == Some(id) {
                continue;
            }
            last = Some(id);
            path.push(text.into_owned());
        }
        let total = path.last().is_some_and(|p| is_total_label(p));
        let name = path
            .last()
            .map_or_else(String::new, |p| normalize(p).into_owned());
        columns.push(Column {
            col,
            path,
            total,
            name,
        });
    }
    columns
}

/// The data rows' cells with their parsed values, by grid column. A data row belongs to one
/// region alone: its parsed values move into it.
fn typed_rows(
    t: &Table,
    infos: &mut [RowInfo],
    data: std::ops::Range<usize>,
) -> Vec<(usize, Vec<TypedCell>)> {
    let mut typed = Vec::new();
    for r in data {
        let mut cells: Vec<TypedCell> = std::mem::take(&mut infos[r].parsed)
            .into_iter()
            .map(|(i, value)| {
                let c = &t.cells[i];
                let (number, no_value) = match value {
                    CellValue::Number(n) => (Some(n), false),
                    CellValue::NoValue => (None, true),
                    _ => (None, false),
                };
                TypedCell {
                    col: c.col,
                    text: c.text.clone(),
                    number,
                    no_value,
                    origin: c.origin.clone(),
                }
            })
            .collect();
        cells.sort_by_key(|c| c.col);
        typed.push((r, cells));
    }
    typed
}

/// The digits of a cell that holds nothing else (`204`, `05`).
fn digits(c: &TypedCell) -> Option<&str> {
    let t = c.text.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
}

/// Whether every filled cell of column `col` is a digit string of one of `lengths`, at least
/// `min` of them; a total row's label (合计, written across the code columns) does not count.
/// Labels are only looked at once the digits qualify: most columns fail on their first cell.
fn digit_column(
    typed: &[(usize, Vec<TypedCell>)],
    col: usize,
    lengths: &[usize],
    min: usize,
) -> bool {
    let mut n = 0;
    let mut labels: Vec<&str> = Vec::new();
    for (_, cells) in typed {
        let Some(c) = cells
            .iter()
            .find(|c| c.col == col && !c.text.trim().is_empty())
        else {
            continue;
        };
        match digits(c) {
            Some(d) if lengths.contains(&d.len()) => n += 1,
            Some(_) => return false,
            None if labels.len() < 2 => labels.push(&c.text),
            None => return false,
        }
    }
    n >= min && labels.iter().all(|t| is_total_label(&squeeze(t)))
}

/// Finds the classification codes of the rows and takes them out of the figures: a column of
/// 3-, 5- and 7-digit codes where longer codes extend shorter ones (`204`, `20404`,
/// `2040401`), or adjacent 类 | 款 | 项 columns of 3, 2 and 2 digits (`208 | 05 | 05`), an
/// empty 类 or 款 cell standing for the one above. Tables without codes give `None` for
/// every row.
fn take_codes(typed: &mut [(usize, Vec<TypedCell>)]) -> Vec<Option<String>> {
    let width = typed
        .iter()
        .flat_map(|(_, cells)| cells.iter().map(|c| c.col + 1))
        .max()
        .unwrap_or(0);
    let joined = (0..width).find(|&col| {
        if !digit_column(typed, col, &[3, 5, 7], 3) {
            return false;
        }
        let codes: Vec<&str> = typed
            .iter()
            .filter_map(|(_, cells)| cells.iter().find(|c| c.col == col).and_then(digits))
            .collect();
        codes
            .iter()
            .any(|c| c.len() > 3 && codes.contains(&&c[..c.len() - 2]))
    });
    let split = (0..width.saturating_sub(1))
        .find(|&col| digit_column(typed, col, &[3], 2) && digit_column(typed, col + 1, &[2], 1));
    let columns: Vec<usize> = match (joined, split) {
        (Some(col), _) => vec![col],
        (None, Some(col)) => {
            let mut cols = vec![col, col + 1];
            if digit_column(typed, col + 2, &[2], 1) {
                cols.push(col + 2);
            }
            cols
        }
        (None, None) => return vec![None; typed.len()],
    };
    let mut carried: Vec<Option<String>> = vec![None; columns.len()];
    let mut out = Vec::with_capacity(typed.len());
    for (_, cells) in typed.iter_mut() {
        let own: Vec<Option<String>> = columns
            .iter()
            .map(|&col| {
                cells
                    .iter()
                    .find(|c| c.col == col)
                    .and_then(digits)
                    .map(str::to_string)
            })
            .collect();
        let deepest = own.iter().rposition(Option::is_some);
        let code = deepest.map(|d| {
            let mut code = String::new();
            for k in 0..=d {
                if let Some(part) = &own[k] {
                    carried[k] = Some(part.clone());
                    for later in carried.iter_mut().skip(k + 1) {
                        *later = None;
                    }
                }
                code.push_str(carried[k].as_deref().unwrap_or(""));
            }
            code
        });
        for c in cells.iter_mut().filter(|c| columns.contains(&c.col)) {
            c.number = None;
        }
        out.push(code);
    }
    out
}

/// A text-export row with fewer cells than the region: its first cell spans what is
/// missing. When everything after the label is a figure, the figures go to the rightmost
/// columns that hold figures in the full rows (总分 | 100 | 99.4 under 分值 and 自评得分,
/// not under a trailing 偏差原因 column); otherwise the cells keep to the right edge.
fn align_short_rows(
    typed: &mut [(usize, Vec<TypedCell>)],
    width: usize,
    short: &dyn Fn(usize) -> bool,
) {
    let numeric_columns: Vec<usize> = (0..width)
        .filter(|&col| {
            typed.iter().any(|(r, cells)| {
                !short(*r) && cells.iter().any(|c| c.col == col && c.number.is_some())
            })
        })
        .collect();
    for (r, cells) in typed.iter_mut() {
        if !short(*r) || cells.is_empty() || cells.len() >= width {
            continue;
        }
        let rest = cells.len() - 1;
        let targets = &numeric_columns[numeric_columns.len().saturating_sub(rest)..];
        if rest > 0
            && targets.len() == rest
            && targets[0] > 0
            && cells[1..].iter().all(|c| c.number.is_some())
        {
            for (c, &col) in cells[1..].iter_mut().zip(targets) {
                c.col = col;
            }
        } else {
            let shift = width - cells.len();
            for c in cells.iter_mut().skip(1) {
                c.col += shift;
            }
        }
    }
}

/// Texts in the label columns (`carry.len()` of them); an empty label
/// cell takes the text last seen in its column (a merged cell, or a text export's empty cell
/// under one).
fn label_path(
    t: &Table,
    grid_row: &[Option<usize>],
    cells: &[TypedCell],
    carry: &mut [Option<String>],
) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for col in 0..carry.len() {
        let own = cells
            .iter()
            .find(|c| c.col == col)
            .map(|c| c.text.as_str())
            .or_else(|| {
                let cell = &t.cells[grid_row.get(col).copied().flatten()?];
                (cell.col == col).then_some(cell.text.as_str())
            });
        let text = match own.map(squeeze) {
            Some(text) if !text.is_empty() => {
                if parse_cell(&text) != CellValue::Text {
                    continue;
                }
                let text = text.into_owned();
                carry[col] = Some(text.clone());
                for later in carry.iter_mut().skip(col + 1) {
                    *later = None;
                }
                text
            }
            _ => match &carry[col] {
                Some(text) => text.clone(),
                None => continue,
            },
        };
        if path.last() != Some(&text) {
            path.push(text);
        }
    }
    path
}

/// Gives the cells of a header row that does not reach across the region (a text export)
/// the spans that best fit the row below: a labelled cell either sits over one column or
/// over a run of labelled cells (its parts), and an empty cell sits over one column. Ties go
/// to the layout where a group's parts contain the group's name (`结余` over `当年结转结余`).
pub fn infer_spans<'t>(
    cells: &[(usize, usize, &'t str)],
    below: &[(usize, usize, &str)],
    width: usize,
) -> Vec<(usize, usize, &'t str)> {
    let below_text = |col: usize| {
        below
            .iter()
            .find(|(c, s, _)| *c <= col && col < c + s)
            .map(|(_, _, t)| squeeze(t))
            .unwrap_or_default()
    };
    let m = cells.len();
    if m == 0 || m > width {
        return cells.to_vec();
    }
    let cost = |text: &str, a: usize, b: usize| -> i64 {
        let text = squeeze(text);
        let n = b - a;
        if text.is_empty() {
            return 5 * (n as i64 - 1);
        }
        if n == 1 {
            return 0;
        }
        let parts: Vec<Cow<'_, str>> = (a..b).map(below_text).collect();
        let empty = parts.iter().filter(|p| p.is_empty()).count() as i64;
        if is_group_label(&text) {
            return 3 * empty;
        }
        let containing = parts.iter().filter(|p| p.contains(&*text)).count() as i64;
        let penalty = if containing > 0 {
            parts.len() as i64 - containing
        } else {
            0
        };
        3 * empty + penalty - containing
    };
    // best[i][c]: least cost to lay cells i.. over columns c..width.
    const INF: i64 = i64::MAX / 4;
    let mut best = vec![vec![INF; width + 1]; m + 1];
    let mut choice = vec![vec![0usize; width + 1]; m + 1];
    best[m][width] = 0;
    for i in (0..m).rev() {
        for c in (0..width).rev() {
            for b in c + 1..=width {
                if best[i + 1][b] == INF {
                    continue;
                }
                let v = cost(cells[i].2, c, b) + best[i + 1][b];
                if v < best[i][c] {
                    best[i][c] = v;
                    choice[i][c] = b;
                }
            }
        }
    }
    if best[0][0] == INF {
        return cells.to_vec();
    }
    let mut out = Vec::with_capacity(m);
    let mut c = 0;
    for (i, cell) in cells.iter().enumerate() {
        let b = choice[i][c];
        out.push((c, b - c, cell.2));
        c = b;
    }
    out
}

impl Region {
    pub fn column(&self, col: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.col == col)
    }

    /// The first column whose name (last header path element) plays `role`.
    pub fn column_for(&self, roles: &Roles, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| roles.matches_normalized(role, &c.name))
            .map(|c| c.col)
    }

    /// The last element of a column's path, or "" (`上年结转`).
    pub fn column_name(&self, col: usize) -> &str {
        self.column(col)
            .and_then(|c| c.path.last())
            .map_or("", String::as_str)
    }

    pub fn number_at(&self, row: usize, col: usize) -> Option<&Number> {
        self.rows
            .iter()
            .find(|r| r.row == row)?
            .cells
            .iter()
            .find(|c| c.col == col)?
            .number
            .as_ref()
    }

    /// Sum relations stated by total rows and total columns; in a table keyed by
    /// classification codes, by the codes' hierarchy instead of the total rows alone.
    pub fn relations(&self) -> Vec<SumRelation> {
        let mut out = Vec::new();
        if self.rows.iter().any(|r| r.code.is_some()) {
            self.code_relations(&mut out);
        } else {
            self.row_relations(&mut out);
        }
        self.column_relations(&mut out);
        out
    }

    /// A total row sums the rows after it (when it comes first, as 全省合计 or 汇总 do) or the
    /// rows before it (when it comes last); a 总计 after another total and the rows that add to
    /// it takes that total too. A 小计 is a subtotal: under a grand total it is a
    /// part, and it takes the plain rows it heads or closes when their labels start with its
    /// name (`长沙市小计` over `长沙市…`) or it is a bare `小计`. Rows of shares (only
    /// percentages, as a `比例` row) are never parts.
    fn row_relations(&self, out: &mut Vec<SumRelation>) {
        let is_share = |r: &Row| {
            let numbers: Vec<&Number> = r.cells.iter().filter_map(|c| c.number.as_ref()).collect();
            !numbers.is_empty() && numbers.iter().all(|n| n.kind == Kind::Percent)
        };
        let words = &common().words;
        let is_sub = |r: &Row| r.total && words.is_subtotal(&r.label);
        // A bare 小计 under a merged group label (一般公共预算资金 | 小计) is named by the group.
        let group_of = |sub: &Row| -> String {
            match words.without_subtotal(&sub.label) {
                name if name.is_empty() && sub.label_path.len() > 1 => {
                    sub.label_path[sub.label_path.len() - 2].clone()
                }
                name => name,
            }
        };
        let belongs = |sub: &Row, r: &Row| {
            let name = group_of(sub);
            name.is_empty()
                || r.label.starts_with(&name)
                || (sub.label_path.len() > 1 && r.label_path.first() == Some(&name))
        };
        for (i, total) in self.rows.iter().enumerate() {
            if !total.total || is_share(total) {
                continue;
            }
            let grand = !is_sub(total);
            let stop = |r: &Row| {
                if grand {
                    r.total && !is_sub(r)
                } else {
                    r.total
                }
            };
            let after: Vec<&Row> = self.rows[i + 1..]
                .iter()
                .take_while(|r| !stop(r))
                .filter(|r| !is_share(r))
                .collect();
            let mut before: Vec<&Row> = self.rows[..i]
                .iter()
                .rev()
                .take_while(|r| !stop(r))
                .filter(|r| !is_share(r))
                .collect();
            before.reverse();
            // 总计 after 本年收入合计 and the rows that add to it (使用非财政拨款结余, 年初结转和
            // 结余) takes that total as a part too.
            // Only a total that closes its own rows (it comes after them): one heading its
            // group (政府性基金合计 over the rows after it) is counted through them.
            let earlier = self.rows[..i].iter().rposition(stop);
            let closes_rows = |at: usize| at > 0 && !self.rows[at - 1].total;
            let adds_to = earlier
                .filter(|&at| closes_rows(at))
                .map(|at| &self.rows[at]);
            let adds_to = adds_to.filter(|p| {
                grand
                    && !before.is_empty()
                    && words.is_grand_total(&total.label)
                    && !words.is_grand_total(&p.label)
                    && !is_share(p)
            });
            if let Some(p) = adds_to {
                before.insert(0, p);
            }
            let candidates = if i == 0 || before.is_empty() {
                after
            } else {
                before
            };
            let parts: Vec<&Row> = if grand {
                // Plain rows that a 小计 among the candidates takes are not counted again.
                let subs: Vec<&Row> = candidates.iter().copied().filter(|r| is_sub(r)).collect();
                candidates
                    .into_iter()
                    .filter(|r| {
                        is_sub(r)
                            || !subs
                                .iter()
                                .any(|s| belongs(s, r) && !group_of(s).is_empty())
                    })
                    .collect()
            } else {
                candidates
                    .into_iter()
                    .filter(|r| !r.total && belongs(total, r))
                    .collect()
            };
            if parts.is_empty() {
                continue;
            }
            self.row_sums(total, &parts, SumBy::Row, out);
        }
    }

    /// "`total` = Σ `parts`" for every column where the total row holds an amount and a part
    /// does.
    fn row_sums(&self, total: &Row, parts: &[&Row], by: SumBy, out: &mut Vec<SumRelation>) {
        // A 行次 or 序号 column numbers the rows: its figures are no amounts.
        let amounts = self
            .columns
            .iter()
            .filter(|c| !c.numbers_rows())
            .map(|c| c.col);
        for col in amounts {
            let Some(total_number) = self.number_at(total.row, col) else {
                continue;
            };
            if matches!(total_number.kind, Kind::Percent | Kind::Date) {
                continue;
            }
            let part_cells: Vec<CellRef> = parts
                .iter()
                .filter(|r| r.cells.iter().any(|c| c.col == col && c.number.is_some()))
                .map(|r| CellRef {
                    table: self.table,
                    row: r.row,
                    col,
                })
                .collect();
            if part_cells.is_empty() {
                continue;
            }
            out.push(SumRelation {
                total: CellRef {
                    table: self.table,
                    row: total.row,
                    col,
                },
                parts: part_cells,
                by,
            });
        }
    }

    /// In a table keyed by classification codes, each code's row sums the rows of the next
    /// level under it (the rows that follow it while their codes extend it), and a total row
    /// sums the rows of the top level.
    fn code_relations(&self, out: &mut Vec<SumRelation>) {
        let mut lengths: Vec<usize> = self
            .rows
            .iter()
            .filter_map(|r| r.code.as_ref().map(String::len))
            .collect();
        lengths.sort_unstable();
        lengths.dedup();
        let next_level = |len: usize| lengths.iter().copied().find(|&l| l > len);
        for (i, row) in self.rows.iter().enumerate() {
            let parts: Vec<&Row> = match &row.code {
                Some(code) => {
                    let Some(next) = next_level(code.len()) else {
                        continue;
                    };
                    self.rows[i + 1..]
                        .iter()
                        .take_while(|r| {
                            r.code.as_ref().is_none_or(|c| {
                                c.starts_with(code.as_str()) && c.len() > code.len()
                            })
                        })
                        .filter(|r| r.code.as_ref().is_some_and(|c| c.len() == next))
                        .collect()
                }
                None if row.total => {
                    let Some(&top) = lengths.first() else {
                        continue;
                    };
                    self.rows
                        .iter()
                        .filter(|r| r.code.as_ref().is_some_and(|c| c.len() == top))
                        .collect()
                }
                None => continue,
            };
            if !parts.is_empty() {
                self.row_sums(row, &parts, SumBy::Code, out);
            }
        }
    }

    /// A total column sums the columns under the `其中` header to its right; a part that has its
    /// own `其中` group is itself a total of that group. A total column among siblings under
    /// one header (“三公”经费 | 小计, 因公出国（境）费 …) sums those siblings.
    ///
    /// Siblings are read from the header alone, so a row whose siblings are all 0 is taken as a
    /// breakdown not filled in (a mid-year form's 预计年度剩余 | 小计 190, 结转资金 0, 结余资金 0),
    /// not as a sum.
    fn column_relations(&self, out: &mut Vec<SumRelation>) {
        let groups = self.column_groups();
        let sibling_groups = self.sibling_groups(&groups);
        let amount = |row: usize, col: usize| {
            self.number_at(row, col)
                .filter(|n| !matches!(n.kind, Kind::Percent | Kind::Date))
        };
        let tagged = groups
            .into_iter()
            .map(|g| (g, false))
            .chain(sibling_groups.into_iter().map(|g| (g, true)));
        for ((total_col, part_cols), siblings) in tagged {
            for row in &self.rows {
                if amount(row.row, total_col).is_none() {
                    continue;
                }
                let figures: Vec<(usize, &Number)> = part_cols
                    .iter()
                    .filter_map(|&c| Some((c, amount(row.row, c)?)))
                    .collect();
                if figures.is_empty()
                    || (siblings && figures.iter().all(|(_, n)| n.value.is_zero()))
                {
                    continue;
                }
                let parts: Vec<CellRef> = figures
                    .iter()
                    .map(|&(col, _)| CellRef {
                        table: self.table,
                        row: row.row,
                        col,
                    })
                    .collect();
                out.push(SumRelation {
                    total: CellRef {
                        table: self.table,
                        row: row.row,
                        col: total_col,
                    },
                    parts,
                    by: SumBy::Column,
                });
            }
        }
    }

    /// (total column, part columns) pairs from total headers among siblings: a column headed
    /// with a total word sums the other columns under its parent header (all the columns, for
    /// a total at the top), one per sibling header — a sibling with columns of its own counts
    /// through its own total column, and without one the pair is not made. Columns of their
    /// own measure (率, 个数), 序号 columns and totals already heading a `其中` group are left
    /// out.
    fn sibling_groups(&self, of_groups: &[(usize, Vec<usize>)]) -> Vec<(usize, Vec<usize>)> {
        let words = &common().words;
        let mut groups = Vec::new();
        for total in self.columns.iter().filter(|c| c.total) {
            if of_groups.iter().any(|(t, _)| *t == total.col) {
                continue;
            }
            let parent = &total.path[..total.path.len() - 1];
            let siblings: Vec<&Column> = self
                .columns
                .iter()
                .filter(|c| c.col != total.col && c.path.len() > parent.len())
                .filter(|c| c.path.starts_with(parent))
                .filter(|c| !words.has_own_measure(&c.name) && !words.is_serial(&c.name))
                .collect();
            let mut names: Vec<&String> = Vec::new();
            let mut parts = Vec::new();
            let mut complete = true;
            for sibling in &siblings {
                let name = &sibling.path[parent.len()];
                if names.contains(&name) {
                    continue;
                }
                names.push(name);
                let members: Vec<&&Column> = siblings
                    .iter()
                    .filter(|c| &c.path[parent.len()] == name)
                    .collect();
                match members.as_slice() {
                    [only] => parts.push(only.col),
                    _ => match members
                        .iter()
                        .find(|c| c.path.len() == parent.len() + 2 && c.total)
                    {
                        Some(sub) => parts.push(sub.col),
                        None => complete = false,
                    },
                }
            }
            if complete && parts.len() > 1 {
                groups.push((total.col, parts));
            }
        }
        groups
    }

    /// (total column, part columns) pairs from `其中` groups (and breakdown headers such as
    /// 实际使用方向) in the header paths.
    pub fn column_groups(&self) -> Vec<(usize, Vec<usize>)> {
        let mut groups = Vec::new();
        for (i, col) in self.columns.iter().enumerate() {
            let depth = col.path.len();
            // The next column's path at this depth must be a 其中 group.
            let Some(next) = self.columns.get(i + 1) else {
                continue;
            };
            if next.path.len() <= depth.saturating_sub(1) {
                continue;
            }
            let level = depth.saturating_sub(1);
            if next.path.get(..level) != col.path.get(..level)
                || !next
                    .path
                    .get(level)
                    .is_some_and(|p| is_group_label(p) || common().words.is_breakdown(p))
            {
                continue;
            }
            let prefix: Vec<String> = next.path[..=level].to_vec();
            let members: Vec<&Column> = self.columns[i + 1..]
                .iter()
                .take_while(|c| c.path.starts_with(&prefix))
                .collect();
            // Direct parts: members whose path is one longer than the group, the first column of each.
            let mut parts = Vec::new();
            let mut seen = Vec::new();
            for m in &members {
                let Some(name) = m.path.get(level + 1) else {
                    continue;
                };
                if is_group_label(name) || seen.contains(name) {
                    continue;
                }
                seen.push(name.clone());
                parts.push(m.col);
            }
            if !parts.is_empty() {
                groups.push((col.col, parts));
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every total word makes a total wherever it stands in a label, with white space between
    /// its characters too; a share of a total does not.
    #[test]
    fn total_labels_are_found_by_every_total_word() {
        for word in &common().words.total {
            let spaced: String = word.chars().flat_map(|c| [c, ' ']).collect();
            assert!(
                is_total_label(&format!("一般公共{spaced}（万元）")),
                "{word}"
            );
        }
        assert!(is_total_label("全省合计"));
        // A first character that begins no total word before one that does.
        assert!(is_total_label("合作社合计"));
        assert!(!is_total_label("合计占比"));
        assert!(!is_total_label("支出比例（小计）"));
        assert!(!is_total_label("上年结转"));
        assert!(!is_total_label("计划数"));
    }
}
