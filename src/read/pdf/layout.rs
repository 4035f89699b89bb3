//! From positioned glyphs and ruling lines to lines, paragraphs and table grids.
//!
//! Tables come from the rules as pdfplumber finds them (edges → intersections → cells): the
//! distinct rule positions make the grid, and a grid line missing between two positions makes
//! a merged cell; a table without rules comes from body lines whose runs of text line up in
//! columns. Text is glyphs → lines (by baseline) → paragraphs (by spacing and indent), a page
//! set in two columns one column after the other.

use std::collections::HashMap;

use super::content::{Glyph, Rule};

/// Rules closer than this (points) are one rule; so are positions of one grid line.
const SNAP: f64 = 2.0;
/// Collinear rules with a gap up to this (points) are joined.
const JOIN: f64 = 2.5;

/// A rectangle in display space: x0, top, x1, bottom (points).
pub type Rect = [f64; 4];

/// A text line: glyphs on one baseline, left to right.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub rect: Rect,
    pub size: f64,
    /// Width of the line's first unbreakable run (a figure, a word, or one CJK character):
    /// a line above that ends short of the margin by less than this was wrapped.
    pub lead: f64,
    /// The runs of an upright line parted by a gap wider than [`COLUMN_GAP`] font sizes:
    /// the cells of a table drawn without rules.
    pub runs: Vec<Run>,
}

/// Part of a line between two wide gaps: its horizontal extent and where its text is in the
/// line's.
#[derive(Debug, Clone)]
pub struct Run {
    pub x0: f64,
    pub x1: f64,
    pub text: std::ops::Range<usize>,
}

/// A gap between glyphs wider than this many font sizes parts two cells of an unruled table
/// (a space between words is a quarter to a third of one).
const COLUMN_GAP: f64 = 1.0;

/// A grid cell with its spans and rectangle.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub rect: Rect,
}

/// A table found from ruling lines: its grid lines and anchor cells.
#[derive(Debug, Clone)]
pub struct Grid {
    /// x of each column boundary, left to right.
    pub xs: Vec<f64>,
    /// y of each row boundary, top to bottom.
    pub ys: Vec<f64>,
    pub cells: Vec<GridCell>,
    /// For each grid position (row-major), the index of the anchor cell covering it.
    owner: Vec<usize>,
}

/// The index of the boundary in `xs` nearest to `x`.
pub fn nearest(xs: &[f64], x: f64) -> usize {
    (0..xs.len())
        .min_by(|&a, &b| (xs[a] - x).abs().total_cmp(&(xs[b] - x).abs()))
        .unwrap_or(0)
}

/// The column boundaries of two parts of one table together.
pub fn union_columns(a: &[f64], b: &[f64]) -> Vec<f64> {
    cluster(a.iter().chain(b).copied().collect(), SNAP)
}

impl Grid {
    fn new(xs: Vec<f64>, ys: Vec<f64>, cells: Vec<GridCell>) -> Grid {
        let cols = xs.len() - 1;
        let mut owner = vec![0; cols * (ys.len() - 1)];
        for (i, c) in cells.iter().enumerate() {
            for r in c.row..c.row + c.row_span {
                owner[r * cols + c.col..r * cols + c.col + c.col_span].fill(i);
            }
        }
        Grid {
            xs,
            ys,
            cells,
            owner,
        }
    }

    /// The same grid on the finer column boundaries `xs` (which hold all of its own).
    pub fn with_columns(&self, xs: &[f64]) -> Grid {
        let cells = self
            .cells
            .iter()
            .map(|c| {
                let (first, last) = (nearest(xs, c.rect[0]), nearest(xs, c.rect[2]));
                GridCell {
                    col: first,
                    col_span: last.saturating_sub(first).max(1),
                    ..c.clone()
                }
            })
            .collect();
        Grid::new(xs.to_vec(), self.ys.clone(), cells)
    }

    pub fn rect(&self) -> Rect {
        [
            self.xs[0],
            self.ys[0],
            *self.xs.last().unwrap_or(&0.0),
            *self.ys.last().unwrap_or(&0.0),
        ]
    }

    pub fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    /// The index of the anchor cell holding point (x, y), if the point is inside the grid.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let [x0, y0, x1, y1] = self.rect();
        if !(x0 - 1.0..=x1 + 1.0).contains(&x) || !(y0 - 1.0..=y1 + 1.0).contains(&y) {
            return None;
        }
        let col = self
            .xs
            .partition_point(|&b| b <= x)
            .saturating_sub(1)
            .min(self.xs.len() - 2);
        let row = self
            .ys
            .partition_point(|&b| b <= y)
            .saturating_sub(1)
            .min(self.ys.len() - 2);
        self.owner.get(row * (self.xs.len() - 1) + col).copied()
    }
}

/// Mean positions of `values` grouped where neighbours are within `tol`.
fn cluster(mut values: Vec<f64>, tol: f64) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((sum, n)) if v - *sum / *n as f64 <= tol => {
                *sum += v;
                *n += 1;
            }
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(sum, n)| sum / n as f64).collect()
}

/// Rules of one direction snapped to common positions and joined where collinear.
fn merged(rules: impl Iterator<Item = Rule>) -> Vec<Rule> {
    let mut rules: Vec<Rule> = rules.collect();
    rules.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut out: Vec<Rule> = Vec::new();
    let mut start = 0;
    while start < rules.len() {
        let mut end = start + 1;
        while end < rules.len() && rules[end].at - rules[end - 1].at <= SNAP / 2.0 {
            end += 1;
        }
        let group = &rules[start..end];
        let at = group.iter().map(|r| r.at).sum::<f64>() / group.len() as f64;
        let horizontal = group[0].horizontal;
        let spans = joined(group.iter().map(|r| (r.from, r.to)).collect(), JOIN);
        out.extend(spans.into_iter().map(|(from, to)| Rule {
            horizontal,
            at,
            from,
            to,
        }));
        start = end;
    }
    out
}

/// Intervals (from, to) in order, joined where they overlap or lie within `join` of each other.
fn joined(mut spans: Vec<(f64, f64)>, join: f64) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (from, to) in spans {
        match out.last_mut() {
            Some(last) if from <= last.1 + join => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

fn crosses(h: &Rule, v: &Rule) -> bool {
    (h.from - SNAP..=h.to + SNAP).contains(&v.at) && (v.from - SNAP..=v.to + SNAP).contains(&h.at)
}

/// Whether a rule among `rules` lies at `at` and covers most of `from..to`.
fn covered(rules: &[&Rule], at: f64, from: f64, to: f64) -> bool {
    rules.iter().any(|r| {
        (r.at - at).abs() <= SNAP && (r.to.min(to) - r.from.max(from)) >= 0.5 * (to - from)
    })
}

/// The tables the ruling lines of one page draw, top to bottom; a single boxed cell is among
/// them (a table's last row continued on a new page is drawn so).
pub fn grids(rules: &[Rule]) -> Vec<Grid> {
    let horizontal = merged(rules.iter().filter(|r| r.horizontal).copied());
    let vertical = merged(rules.iter().filter(|r| !r.horizontal).copied());
    // Connected components of crossing rules, by union-find over indices (vertical after horizontal).
    let n = horizontal.len() + vertical.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if crosses(h, v) {
                let (a, b) = (
                    root(&mut parent, i),
                    root(&mut parent, horizontal.len() + j),
                );
                parent[a] = b;
            }
        }
    }
    let mut components: std::collections::BTreeMap<usize, (Vec<&Rule>, Vec<&Rule>)> =
        Default::default();
    for (i, h) in horizontal.iter().enumerate() {
        components
            .entry(root(&mut parent, i))
            .or_default()
            .0
            .push(h);
    }
    for (j, v) in vertical.iter().enumerate() {
        components
            .entry(root(&mut parent, horizontal.len() + j))
            .or_default()
            .1
            .push(v);
    }
    let mut out: Vec<Grid> = components
        .into_values()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .filter_map(|(h, v)| grid(&h, &v))
        .collect();
    out.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    out
}

/// The grid of one component: rule positions are its lines; a missing stretch of a line
/// between two cells merges them.
fn grid(horizontal: &[&Rule], vertical: &[&Rule]) -> Option<Grid> {
    let left = horizontal.iter().map(|r| r.from).fold(f64::MAX, f64::min);
    let right = horizontal.iter().map(|r| r.to).fold(f64::MIN, f64::max);
    let top = vertical.iter().map(|r| r.from).fold(f64::MAX, f64::min);
    let bottom = vertical.iter().map(|r| r.to).fold(f64::MIN, f64::max);
    // The frame closes at the rules' extents, so open-sided tables still have outer columns.
    let xs = cluster(
        vertical.iter().map(|r| r.at).chain([left, right]).collect(),
        SNAP,
    );
    let ys = cluster(
        horizontal
            .iter()
            .map(|r| r.at)
            .chain([top, bottom])
            .collect(),
        SNAP,
    );
    let xs: Vec<f64> = xs
        .into_iter()
        .filter(|x| (left - SNAP..=right + SNAP).contains(x))
        .collect();
    let ys: Vec<f64> = ys
        .into_iter()
        .filter(|y| (top - SNAP..=bottom + SNAP).contains(y))
        .collect();
    if xs.len() < 2 || ys.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let mut taken = vec![vec![false; cols]; rows];
    let mut cells = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if taken[r][c] {
                continue;
            }
            let mut col_span = 1;
            while c + col_span < cols
                && !taken[r][c + col_span]
                && !covered(vertical, xs[c + col_span], ys[r], ys[r + 1])
            {
                col_span += 1;
            }
            let mut row_span = 1;
            while r + row_span < rows
                && (c..c + col_span).all(|k| {
                    !taken[r + row_span][k]
                        && !covered(horizontal, ys[r + row_span], xs[k], xs[k + 1])
                })
            {
                row_span += 1;
            }
            for row in &mut taken[r..r + row_span] {
                row[c..c + col_span].fill(true);
            }
            cells.push(GridCell {
                row: r,
                col: c,
                row_span,
                col_span,
                rect: [xs[c], ys[r], xs[c + col_span], ys[r + row_span]],
            });
        }
    }
    Some(Grid::new(xs, ys, cells))
}

/// The fewest lines that make a table drawn without rules.
const MIN_ALIGNED_ROWS: usize = 3;

/// Tables drawn without ruling lines, found by the alignment of their text among a page's
/// body lines (in reading order): each a grid and the lines it is made of. A table is a run
/// of three or more lines, one after another at line spacing, each parted by wide gaps into
/// cells that fall into two or more common columns (the gaps no line crosses), where most
/// rows hold a figure outside the first column (so that a list of names set out with spaces
/// stays text). A title or note line above or below that would bridge the columns is left out.
pub fn aligned_tables(lines: &[Line]) -> Vec<(Grid, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let mut end = aligned_end(lines, start);
        let (mut from, mut to) = (start, end);
        while to - from >= MIN_ALIGNED_ROWS {
            let all = columns(&lines[from..to]);
            let alone = |i: usize| lines[i].runs.len() < 2;
            if alone(from) || columns(&lines[from + 1..to]).len() > all.len() {
                from += 1;
            } else if alone(to - 1) || columns(&lines[from..to - 1]).len() > all.len() {
                to -= 1;
            } else if let Some(lone) =
                (from + 1..to).find(|&i| alone(i) && !wraps_into(&lines[i - 1], &lines[i], &all))
            {
                // A line taken for the rest of a wrapped cell among the first rows' columns
                // is not one among the whole table's: the table ends above it.
                (end, to) = (lone, lone);
            } else {
                if let Some(grid) = aligned_grid(&lines[from..to]) {
                    out.push((grid, from..to));
                }
                break;
            }
        }
        start = end.max(start + 1);
    }
    out
}

/// The end of the lines from `start` that may make one table: each follows the line above
/// and has two runs or more, or is the rest of a wrapped cell among the columns so far (one
/// run under the start of a run that filled its column) with a row after it.
fn aligned_end(lines: &[Line], start: usize) -> usize {
    let mut end = start;
    while end < lines.len() && (end == start || follows(&lines[end - 1], &lines[end])) {
        if lines[end].runs.len() >= 2 {
            end += 1;
            continue;
        }
        if end == start {
            break;
        }
        let columns = columns(&lines[start..end]);
        let rest = lines[end..]
            .iter()
            .zip(&lines[end - 1..])
            .take_while(|(l, above)| {
                l.runs.len() == 1 && follows(above, l) && wraps_into(above, l, &columns)
            })
            .count();
        match lines.get(end + rest) {
            Some(next)
                if rest > 0 && next.runs.len() >= 2 && follows(&lines[end + rest - 1], next) =>
            {
                end += rest + 1;
            }
            _ => break,
        }
    }
    end
}

/// Whether line `next` follows `above` as the next row of one table: below it, no further
/// than one and a half line heights.
fn follows(above: &Line, next: &Line) -> bool {
    let gap = next.rect[1] - above.rect[3];
    gap > -0.2 * above.size && gap < 1.5 * above.size.max(next.size)
}

/// The columns of a set of lines: the extents of their runs merged where they overlap.
fn columns(lines: &[Line]) -> Vec<(f64, f64)> {
    let runs = lines
        .iter()
        .flat_map(|l| l.runs.iter().map(|r| (r.x0, r.x1)))
        .collect();
    joined(runs, 0.0)
}

/// Whether a run of text is a figure: digits with separators, a decimal point, a sign or `%`.
fn is_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '%' | '-' | '+' | ' '))
}

/// Whether a line holds a figure among its runs.
fn has_figure(line: &Line) -> bool {
    line.runs
        .iter()
        .any(|r| is_figure(&line.text[r.text.clone()]))
}

/// The index of the column (of `columns`, left to right) that holds a run ending at `x`.
fn column_of(columns: &[(f64, f64)], x: f64) -> usize {
    columns.partition_point(|c| c.1 < x)
}

/// Whether `line` is the rest of cells of line `above` in a table of `columns`: no figure,
/// not a numbered item, and each run starts where a run above starts that ran to the right
/// edge of its column (one more character would not have fitted), so the cell was wrapped.
fn wraps_into(above: &Line, line: &Line, columns: &[(f64, f64)]) -> bool {
    !has_figure(line)
        && !starts_item(&line.text)
        && line.runs.iter().all(|r| {
            above.runs.iter().any(|a| {
                let column = column_of(columns, a.x1);
                (r.x0 - a.x0).abs() < 0.5 * line.size
                    && column_of(columns, r.x1) == column
                    && columns
                        .get(column)
                        .is_some_and(|c| a.x1 > c.1 - 1.5 * line.size)
            })
        })
}

/// The grid of lines aligned in columns, if they make a table: a column per common column,
/// each boundary in the middle of the gap between two columns, a row per line but for the
/// rest of a wrapped cell, which joins its row. A cell's box is its column's text by its
/// row's lines.
fn aligned_grid(lines: &[Line]) -> Option<Grid> {
    let columns = columns(lines);
    if columns.len() < 2 {
        return None;
    }
    let mut rows: Vec<&[Line]> = Vec::new();
    let mut first = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || !wraps_into(&lines[i - 1], &lines[i], &columns) {
            rows.push(&lines[first..i]);
            first = i;
        }
    }
    let spread = rows.iter().all(|row| {
        let first = column_of(&columns, row[0].runs[0].x1);
        row[0]
            .runs
            .iter()
            .any(|r| column_of(&columns, r.x1) != first)
    });
    let with_figures =
        rows.iter()
            .filter(|row| {
                row[0].runs.iter().any(|r| {
                    column_of(&columns, r.x1) > 0 && is_figure(&row[0].text[r.text.clone()])
                })
            })
            .count();
    if !spread || with_figures < 2 || 2 * with_figures < rows.len() {
        return None;
    }
    let mut xs = vec![columns[0].0];
    xs.extend(columns.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    xs.push(columns[columns.len() - 1].1);
    let top = |row: &[Line]| row[0].rect[1];
    let bottom = |row: &[Line]| row[row.len() - 1].rect[3];
    let mut ys = vec![top(rows[0])];
    ys.extend(rows.windows(2).map(|w| (bottom(w[0]) + top(w[1])) / 2.0));
    ys.push(bottom(rows[rows.len() - 1]));
    let cells = (0..rows.len())
        .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
        .map(|(row, col)| GridCell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            rect: [columns[col].0, ys[row], columns[col].1, ys[row + 1]],
        })
        .collect();
    Some(Grid::new(xs, ys, cells))
}

/// Part of a page's text read as one: its lines in reading order and the region of the page
/// they come from. A page's parts are read one after another.
#[derive(Debug)]
pub struct Part {
    pub region: Rect,
    pub lines: Vec<Line>,
}

/// Whether the centre of `rect` lies in `region`.
pub fn holds(region: &Rect, rect: Rect) -> bool {
    let (x, y) = ((rect[0] + rect[2]) / 2.0, (rect[1] + rect[3]) / 2.0);
    let [x0, top, x1, bottom] = *region;
    (x0..x1).contains(&x) && (top..bottom).contains(&y)
}

/// The fewest lines on each side of a gutter that make two columns of text.
const MIN_COLUMN_LINES: usize = 6;

/// A page's lines in the parts they are read in. Where a stretch of the page is set in two
/// columns — a gutter no line's text crosses, with six lines or more of the left column ending
/// near it (justified) and as many of the right column starting at one left edge —
/// the left column is one part and the right column the next; lines across the gutter, above,
/// between or below such stretches (and a ruled table of `tables` across the gutter), make
/// parts of their own (empty where there are none: the
/// regions tile the page, so that each block is read in one). A page of one column is one part.
pub fn reading_parts(glyphs: &[&Glyph], tables: &[Rect]) -> Vec<Part> {
    const PAGE: Rect = [f64::MIN, f64::MIN, f64::MAX, f64::MAX];
    let all = lines(glyphs);
    let Some((split, stretches)) = two_columns(&all, tables) else {
        return vec![Part {
            region: PAGE,
            lines: all,
        }];
    };
    // Regions from top to bottom: across the page, then the two columns of each stretch.
    let mut regions = Vec::new();
    let mut top = f64::MIN;
    for &(from, to) in &stretches {
        regions.push([f64::MIN, top, f64::MAX, from]);
        regions.push([f64::MIN, from, split, to]);
        regions.push([split, from, f64::MAX, to]);
        top = to;
    }
    regions.push([f64::MIN, top, f64::MAX, f64::MAX]);
    // Each glyph to its region by its centre: the stretches started at or above it, and its
    // side of the gutter within a stretch.
    let mut inside: Vec<Vec<&Glyph>> = vec![Vec::new(); regions.len()];
    for g in glyphs.iter().copied().filter(|g| g.upright) {
        let (x, y) = g.center();
        let started = stretches.partition_point(|&(from, _)| from <= y);
        let region = match started.checked_sub(1) {
            Some(j) if y < stretches[j].1 => 3 * j + 1 + usize::from(x >= split),
            _ => 3 * started,
        };
        inside[region].push(g);
    }
    let mut parts: Vec<Part> = regions
        .into_iter()
        .zip(inside)
        .map(|(region, glyphs)| Part {
            region,
            lines: lines(&glyphs),
        })
        .collect();
    // Rotated text (a stamp, a margin note) is read last, as on a page of one column.
    let rotated: Vec<&Glyph> = glyphs.iter().copied().filter(|g| !g.upright).collect();
    if !rotated.is_empty() {
        parts.push(Part {
            region: PAGE,
            lines: lines(&rotated),
        });
    }
    parts
}

/// Where a page's upright lines are set in two columns: the x of the gutter, and the
/// stretches (top, bottom) of lines that do not cross it, nor a table of `across` (the page's
/// ruled tables) between them, with enough lines on each side.
fn two_columns(lines: &[Line], across: &[Rect]) -> Option<(f64, Vec<(f64, f64)>)> {
    let mut lines: Vec<&Line> = lines.iter().filter(|l| !l.runs.is_empty()).collect();
    lines.sort_by(|a, b| a.rect[1].total_cmp(&b.rect[1]));
    let left = lines.iter().map(|l| l.rect[0]).fold(f64::MAX, f64::min);
    let right = lines.iter().map(|l| l.rect[2]).fold(f64::MIN, f64::max);
    let width = right - left;
    let runs = || lines.iter().flat_map(|l| &l.runs);
    if runs().count() < 2 * MIN_COLUMN_LINES {
        return None;
    }
    let sorted = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs
    };
    let starts = sorted(runs().map(|r| r.x0).collect());
    let ends = sorted(runs().map(|r| r.x1).collect());
    // How many values of a sorted list are below `x`, and how many are not above it.
    let below = |xs: &[f64], x: f64| xs.partition_point(|&v| v < x);
    let upto = |xs: &[f64], x: f64| xs.partition_point(|&v| v <= x);
    // The left column's right edge is where runs end in the middle half of the text's width:
    // the edge crossed by the fewest runs (a line's runs do not overlap, so lines), with the
    // most runs ending at it; counted on the sorted starts and ends of the runs.
    let mut edges: Vec<f64> = ends
        .iter()
        .copied()
        .filter(|&x| x > left + 0.25 * width && x < right - 0.25 * width)
        .collect();
    edges.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    let edge = edges
        .into_iter()
        .map(|edge| {
            let x = edge + 1.0;
            let crossed = below(&starts, x) - upto(&ends, x);
            let ending = below(&ends, edge + 1.0) - below(&ends, edge - 1.0);
            (crossed, std::cmp::Reverse(ending), edge)
        })
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))?
        .2;
    // The right column starts where the first runs right of the edge start.
    let start = *starts.get(upto(&starts, edge))?;
    let crossing = |x: f64, l: &Line| l.runs.iter().any(|r| r.x0 < x && r.x1 > x);
    let size = lines.iter().map(|l| l.size).fold(0.0, f64::max);
    if start - edge < size {
        return None;
    }
    let split = (edge + start) / 2.0;
    // Stretches of lines that keep out of the gutter; two columns where enough lines end
    // near it on the left (justified, a hanging comma aside) and start at it on the right.
    // A table drawn across the gutter (its text is not among the lines) parts them too.
    let tables: Vec<f64> = across
        .iter()
        .filter(|r| r[0] < split && r[2] > split)
        .map(|r| r[1])
        .collect();
    let mut runs_of_lines: Vec<Vec<&Line>> = vec![Vec::new()];
    let mut above = f64::MIN;
    for &l in &lines {
        let crosses = crossing(split, l);
        if crosses || tables.iter().any(|&top| top > above && top <= l.rect[1]) {
            runs_of_lines.push(Vec::new());
        }
        if let Some(stretch) = runs_of_lines.last_mut().filter(|_| !crosses) {
            stretch.push(l);
        }
        above = l.rect[1];
    }
    let mut stretches = Vec::new();
    for stretch in runs_of_lines.iter().filter(|s| !s.is_empty()) {
        let ends = stretch
            .iter()
            .filter(|l| {
                l.runs
                    .iter()
                    .any(|r| r.x1 < split && r.x1 > split - 3.0 * l.size)
            })
            .count();
        let starts = stretch
            .iter()
            .filter(|l| l.runs.iter().any(|r| (r.x0 - start).abs() < 1.0))
            .count();
        if ends >= MIN_COLUMN_LINES && starts >= MIN_COLUMN_LINES {
            let top = stretch.iter().map(|l| l.rect[1]).fold(f64::MAX, f64::min);
            let bottom = stretch.iter().map(|l| l.rect[3]).fold(f64::MIN, f64::max);
            stretches.push((top - 0.1, bottom + 0.1));
        }
    }
    (!stretches.is_empty()).then_some((split, stretches))
}

/// Whether `c` is a CJK character or punctuation (no space between such and a neighbour).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Glyphs grouped into lines in reading order: upright text top to bottom and left to right,
/// rotated text by its column. A glyph drawn twice in place (simulated bold) counts once.
pub fn lines(glyphs: &[&Glyph]) -> Vec<Line> {
    let mut upright: Vec<&Glyph> = glyphs.iter().copied().filter(|g| g.upright).collect();
    let mut rotated: Vec<&Glyph> = glyphs.iter().copied().filter(|g| !g.upright).collect();
    upright.sort_by(|a, b| a.center().1.total_cmp(&b.center().1));
    let mut out = Vec::new();
    let mut band: Vec<&Glyph> = Vec::new();
    // The sum of the band's centre heights, for their mean.
    let mut sum = 0.0;
    for g in upright {
        if let Some(first) = band.first() {
            let mean = sum / band.len() as f64;
            if (g.center().1 - mean).abs() > 0.4 * first.size.max(g.size).max(1.0) {
                out.push(line(std::mem::take(&mut band), true));
                sum = 0.0;
            }
        }
        sum += g.center().1;
        band.push(g);
    }
    if !band.is_empty() {
        out.push(line(band, true));
    }
    rotated.sort_by(|a, b| a.center().0.total_cmp(&b.center().0));
    let mut band: Vec<&Glyph> = Vec::new();
    for g in rotated {
        if band
            .last()
            .is_some_and(|b| (g.center().0 - b.center().0).abs() > 0.4 * g.size.max(1.0))
        {
            out.push(line(std::mem::take(&mut band), false));
        }
        band.push(g);
    }
    if !band.is_empty() {
        out.push(line(band, false));
    }
    out
}

fn line(mut glyphs: Vec<&Glyph>, upright: bool) -> Line {
    if upright {
        glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    } else {
        glyphs.sort_by(|a, b| a.top.total_cmp(&b.top));
    }
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f64::max);
    let mut text = String::new();
    let mut rect = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut previous: Option<&Glyph> = None;
    let lead = if upright { lead_width(&glyphs) } else { 0.0 };
    let mut runs: Vec<Run> = Vec::new();
    for g in glyphs {
        let mut starts_run = true;
        if let Some(p) = previous {
            let (gap, offset) = if upright {
                (g.x0 - p.x1, g.x0 - p.x0)
            } else {
                (g.top - p.bottom, g.top - p.top)
            };
            if g.text == p.text && offset.abs() < 0.3 * g.size {
                continue;
            }
            if gap > 0.25 * g.size.max(p.size) && !text.ends_with(' ') {
                text.push(' ');
            }
            starts_run = gap > COLUMN_GAP * g.size.max(p.size);
        }
        if upright {
            match runs.last_mut() {
                Some(run) if !starts_run => {
                    run.x1 = g.x1;
                    run.text.end = text.len() + g.text.len();
                }
                _ => runs.push(Run {
                    x0: g.x0,
                    x1: g.x1,
                    text: text.len()..text.len() + g.text.len(),
                }),
            }
        }
        text.push_str(&g.text);
        rect = [
            rect[0].min(g.x0),
            rect[1].min(g.top),
            rect[2].max(g.x1),
            rect[3].max(g.bottom),
        ];
        previous = Some(g);
    }
    // A glyph's text may end in a space; the runs keep to the trimmed text.
    let blank_start = text.len() - text.trim_start().len();
    let kept = text.trim().len();
    let within = |at: usize| at.saturating_sub(blank_start).min(kept);
    for run in &mut runs {
        run.text = within(run.text.start)..within(run.text.end);
    }
    Line {
        text: text.trim().to_string(),
        rect,
        size,
        lead,
        runs,
    }
}

/// The width of a line's first unbreakable run (glyphs sorted left to right): a word or
/// figure, or one CJK character with the punctuation that may not be parted from it (an
/// opening quote or bracket before, closing punctuation after).
fn lead_width(glyphs: &[&Glyph]) -> f64 {
    const OPENING: &str = "“‘（《【〔「『([";
    const CLOSING: &str = "”’）》】〕」』，。、；：！？,.;:!?)]%％";
    let Some(start) = glyphs.first().map(|g| g.x0) else {
        return 0.0;
    };
    let is = |g: &Glyph, set: &str| g.text.chars().all(|c| set.contains(c));
    let mut end = start;
    let mut cjk_seen = false;
    for (i, g) in glyphs.iter().enumerate() {
        let gap = i > 0 && g.x0 - glyphs[i - 1].x1 > 0.25 * g.size;
        if gap || g.text.trim().is_empty() {
            break;
        }
        let cjk = g.text.chars().any(is_cjk) && !is(g, CLOSING);
        if cjk_seen && !is(g, CLOSING) {
            break;
        }
        if cjk && !is(g, OPENING) {
            cjk_seen = true;
        }
        end = g.x1;
    }
    end - start
}

/// Appends `next` to `text` as the continuation of a wrapped line: nothing between CJK
/// characters or within a figure, a space between words.
pub fn join_wrapped(text: &mut String, next: &str) {
    let last = text.chars().last();
    let first = next.chars().next();
    // A figure broken in a narrow cell (227504.7 | 1) is one figure again.
    let figure = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '%');
    if let (Some(a), Some(b)) = (last, first) {
        let no_space = is_cjk(a) || is_cjk(b) || a.is_whitespace() || a == '-';
        if !(no_space || figure(a) && figure(b)) {
            text.push(' ');
        }
    }
    text.push_str(next);
}

/// A cell's first and last lines, by which its text may be seen to go on over a page break.
pub type Ends = Option<(Line, Line)>;

/// A cell's text: its lines, a wrapped line joined to the next, other breaks kept as `\n`;
/// and its first and last lines.
pub fn cell_text(glyphs: &[&Glyph], rect: Rect) -> (String, Ends) {
    let mut text = String::new();
    let mut first: Option<Line> = None;
    let mut previous: Option<Line> = None;
    let wraps = |l: &Line| l.rect[2] > rect[2] - 2.0 * l.size.max(1.0) - 2.0;
    for l in lines(glyphs) {
        if l.text.is_empty() {
            continue;
        }
        match &previous {
            None => text.push_str(&l.text),
            Some(p) if wraps(p) => join_wrapped(&mut text, &l.text),
            Some(_) => {
                text.push('\n');
                text.push_str(&l.text);
            }
        }
        first.get_or_insert_with(|| l.clone());
        previous = Some(l);
    }
    (text, first.zip(previous))
}

/// Whether the text of a cell (box `rect`, lines `above`) goes on in the cell below it on
/// the next page (lines `below`): the first run of the new line would not have fitted after
/// the last line above, so the line was wrapped there, not ended.
pub fn runs_on(above: &Ends, rect: Rect, below: &Ends) -> bool {
    match (above, below) {
        // Cell padding is up to about 6 pt (Word's default is 0.19 cm).
        (Some((_, last)), Some((next, _))) => last.rect[2] + next.lead > rect[2] - 6.0,
        _ => false,
    }
}

/// Whether a line starts a numbered item: `1、`, `2.`, `3．`, `一、`, `（四）`, `(5)`.
fn starts_item(text: &str) -> bool {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let mut chars = text.chars().peekable();
    let bracketed = chars.next_if(|&c| c == '（' || c == '(').is_some();
    let mut digits = 0;
    while chars.next_if(|&c| numeral(c)).is_some() {
        digits += 1;
    }
    let close = chars.next();
    digits > 0
        && match close {
            Some('）' | ')') => bracketed,
            Some('、' | '．') => !bracketed,
            Some('.') => !bracketed && chars.peek().is_some_and(|c| !c.is_ascii_digit()),
            _ => false,
        }
}

/// A paragraph of body text with its rectangle.
#[derive(Debug, Clone)]
pub struct TextBlock {
    pub text: String,
    pub rect: Rect,
    /// The paragraph's first and last lines, and the right margin of their pages: whether a
    /// paragraph goes on over a page break is decided by the same test as within a page.
    pub first: (Line, f64),
    pub last: (Line, f64),
}

impl TextBlock {
    /// This paragraph with `next`, its rest, joined to it.
    pub fn join(&mut self, next: TextBlock) {
        join_wrapped(&mut self.text, &next.text);
        self.rect = [
            self.rect[0].min(next.rect[0]),
            self.rect[1].min(next.rect[1]),
            self.rect[2].max(next.rect[2]),
            self.rect[3].max(next.rect[3]),
        ];
        self.last = next.last;
    }
}

/// Whether line `next` continues the paragraph of line `above` (on a page with right margin
/// `right`): same size, no first-line indent, not a numbered item, and `above` ran to the
/// margin (the first word of `next` would not have fitted after it). On one page (`pitch`,
/// the page's usual distance from one line to the next, is given) `next` must also follow at
/// that distance or closer: Chinese reports set fixed line spacing and mark paragraphs by
/// indent, not by space between them.
pub fn continues(above: &Line, right: f64, next: &Line, pitch: Option<f64>) -> bool {
    let height = above.rect[3] - above.rect[1];
    let close = pitch.is_none_or(|pitch| {
        next.rect[1] - above.rect[3] < 0.8 * height
            || next.rect[1] - above.rect[1] <= pitch * 1.15 + 1.0
    });
    close
        && (next.size - above.size).abs() < 0.15 * above.size
        && above.rect[2] + next.lead > right - 0.5 * above.size
        && next.rect[0] < above.rect[0] + 0.8 * above.size
        && !starts_item(&next.text)
}

/// The most common distance (to 1 pt) from one line's top to the next line's top on a page.
fn line_pitch(lines: &[&Line]) -> f64 {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for w in lines.windows(2) {
        let d = w[1].rect[1] - w[0].rect[1];
        if d > 0.0 && d < 3.0 * w[0].size.max(1.0) {
            *counts.entry(d.round() as i64).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(d, n)| (n, -d))
        .map_or(0.0, |(d, _)| d as f64)
}

/// The right margin of a page's body text: where most long lines end (justified text ends
/// at the margin; a line poking out, or a short one, does not move it).
fn right_margin(lines: &[&Line]) -> f64 {
    let widest = lines.iter().map(|l| l.rect[2]).fold(0.0, f64::max);
    let mut ends: Vec<i64> = lines
        .iter()
        .filter(|l| l.rect[2] > widest * 0.75)
        .map(|l| l.rect[2].round() as i64)
        .collect();
    ends.sort_unstable();
    let mut best = (0, widest);
    for (i, &e) in ends.iter().enumerate() {
        let near = ends[i..].iter().take_while(|&&f| f - e <= 2).count();
        if near > best.0 {
            best = (near, ends[i + near - 1] as f64);
        }
    }
    if best.0 >= 2 {
        best.1
    } else {
        widest
    }
}

/// Lines (in reading order) grouped into paragraphs by [`continues`].
pub fn paragraphs(lines: &[Line]) -> Vec<TextBlock> {
    let lines: Vec<&Line> = lines.iter().filter(|l| !l.text.is_empty()).collect();
    let right = right_margin(&lines);
    let pitch = line_pitch(&lines);
    let mut out: Vec<TextBlock> = Vec::new();
    let mut previous: Option<&Line> = None;
    for l in lines {
        let line = TextBlock {
            text: l.text.clone(),
            rect: l.rect,
            first: (l.clone(), right),
            last: (l.clone(), right),
        };
        match out.last_mut() {
            Some(b) if previous.is_some_and(|p| continues(p, right, l, Some(pitch))) => {
                b.join(line);
            }
            _ => out.push(line),
        }
        previous = Some(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(horizontal: bool, at: f64, from: f64, to: f64) -> Rule {
        Rule {
            horizontal,
            at,
            from,
            to,
        }
    }

    #[test]
    fn a_missing_rule_merges_cells() {
        // Three columns, two rows; the top row's two right cells are one (no rule between
        // them above y = 20), as a 项目资金 header over 预算数 and 执行数 is drawn.
        let rules = [
            rule(true, 0.0, 0.0, 90.0),
            rule(true, 20.0, 0.0, 90.0),
            rule(true, 40.0, 0.0, 90.0),
            rule(false, 0.0, 0.0, 40.0),
            rule(false, 30.0, 0.0, 40.0),
            rule(false, 60.0, 20.0, 40.0),
            rule(false, 90.0, 0.0, 40.0),
        ];
        let g = &grids(&rules)[0];
        let spans: Vec<_> = g
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 0, 1, 1),
                (0, 1, 1, 2),
                (1, 0, 1, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 1)
            ]
        );
        assert_eq!(g.cell_at(70.0, 10.0), Some(1));
        assert_eq!(g.cell_at(70.0, 30.0), Some(4));
        assert_eq!(g.cell_at(95.0, 30.0), None);
    }

    #[test]
    fn an_open_sided_table_closes_at_its_rules_ends() {
        // No outer verticals: the columns still start and end where the rules do.
        let rules = [
            rule(true, 0.0, 10.0, 100.0),
            rule(true, 20.0, 10.0, 100.0),
            rule(true, 40.0, 10.0, 100.0),
            rule(false, 50.0, 0.0, 40.0),
            rule(false, 70.0, 0.0, 40.0),
        ];
        let g = &grids(&rules)[0];
        assert_eq!(g.xs, [10.0, 50.0, 70.0, 100.0]);
        assert_eq!(g.cells.len(), 6);
    }

    /// The glyphs of one line at `top`: each cell's text from its x, 10 pt a character.
    fn row(top: f64, cells: &[(f64, &str)]) -> Vec<Glyph> {
        cells
            .iter()
            .flat_map(|&(x, text)| {
                text.chars().enumerate().map(move |(i, c)| Glyph {
                    text: c.to_string(),
                    x0: x + 10.0 * i as f64,
                    top,
                    x1: x + 10.0 * (i + 1) as f64,
                    bottom: top + 10.0,
                    size: 10.0,
                    upright: true,
                })
            })
            .collect()
    }

    fn laid_lines(rows: &[Vec<Glyph>]) -> Vec<Line> {
        let glyphs: Vec<&Glyph> = rows.iter().flatten().collect();
        lines(&glyphs)
    }

    #[test]
    fn figures_set_out_in_columns_make_a_table_and_a_title_above_stays_text() {
        // Xiangxi's income rows: a title with its unit that runs over the first two columns, a
        // header, and figures right-aligned at x = 300 and 400.
        let lines = laid_lines(&[
            row(
                0.0,
                &[
                    (0.0, "表一湘西自治州乡村振兴局本级及二级机构年度收入"),
                    (330.0, "单位万元"),
                ],
            ),
            row(
                14.0,
                &[(0.0, "机构名称"), (220.0, "收入合计"), (320.0, "上年结转")],
            ),
            row(
                28.0,
                &[(0.0, "局机关"), (220.0, "1,333.13"), (340.0, "223.36")],
            ),
            row(
                42.0,
                &[(0.0, "二级机构"), (240.0, "149.30"), (360.0, "1.40")],
            ),
        ]);
        let tables = aligned_tables(&lines);
        assert_eq!(tables.len(), 1);
        let (grid, rows) = &tables[0];
        assert_eq!(*rows, 1..4);
        assert_eq!(grid.xs, [0.0, 130.0, 310.0, 400.0]);
        assert_eq!(grid.cell_at(390.0, 47.0), Some(8));
    }

    #[test]
    fn a_wrapped_cell_joins_its_row_and_a_title_under_a_table_stays_text() {
        // Xiangxi's spending rows in a narrow first column: 局机关及二级机构汇总 wraps after
        // 机, its figures on the first line.
        let spending = [
            row(
                0.0,
                &[(0.0, "机构名称"), (200.0, "支出合计"), (300.0, "基本支出")],
            ),
            row(
                14.0,
                &[
                    (0.0, "局机关及二级机"),
                    (200.0, "1,478.93"),
                    (310.0, "830.35"),
                ],
            ),
            row(28.0, &[(0.0, "构汇总")]),
            row(
                42.0,
                &[(0.0, "局机关"), (200.0, "1,329.63"), (310.0, "681.05")],
            ),
            row(
                56.0,
                &[(0.0, "二级机构"), (210.0, "149.30"), (310.0, "149.30")],
            ),
        ];
        let tables = aligned_tables(&laid_lines(&spending));
        assert_eq!(tables.len(), 1);
        let (grid, rows) = &tables[0];
        assert_eq!(*rows, 0..5);
        assert_eq!(grid.ys, [0.0, 12.0, 40.0, 54.0, 66.0]);
        let label = grid.cell_at(5.0, 33.0).unwrap();
        assert_eq!((grid.cells[label].row, grid.cells[label].col), (1, 0));
        let glyphs: Vec<&Glyph> = spending[1..3]
            .iter()
            .flatten()
            .filter(|g| g.x0 < 100.0)
            .collect();
        let (text, _) = cell_text(&glyphs, grid.cells[label].rect);
        assert_eq!(text, "局机关及二级机构汇总");
        // The title of the next table, alone in the first column under a label that does not
        // fill it, is no wrapped cell: the table ends above it.
        let next = [
            row(70.0, &[(0.0, "收入情况")]),
            row(84.0, &[(0.0, "机构名称"), (200.0, "收入合计")]),
            row(98.0, &[(0.0, "局机关"), (200.0, "1,333.13")]),
        ];
        let lines = laid_lines(&[&spending[..], &next[..]].concat());
        let tables = aligned_tables(&lines);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].1, 0..5);
    }

    #[test]
    fn text_in_two_columns_is_read_column_by_column() {
        // Six justified lines of twenty characters on the left, six on the right set 5 pt
        // lower (their own baselines), under a title across the page.
        let prose = "全州危房改造三百六十二户开竣工率达到百分";
        let mut glyphs = row(
            0.0,
            &[(0.0, "六、部门整体支出绩效情况以及各项工作的完成情况")],
        );
        for i in 0..6 {
            let top = 20.0 + 15.0 * i as f64;
            glyphs.extend(row(top, &[(0.0, prose)]));
            glyphs.extend(row(top + 5.0, &[(230.0, prose)]));
        }
        let glyphs: Vec<&Glyph> = glyphs.iter().collect();
        let parts = reading_parts(&glyphs, &[]);
        let counts: Vec<usize> = parts.iter().map(|p| p.lines.len()).collect();
        assert_eq!(counts, [1, 6, 6, 0]);
        assert!(parts[1].lines.iter().all(|l| l.rect[2] <= 200.0));
        assert!(parts[2].lines.iter().all(|l| l.rect[0] >= 230.0));
        // A page of one column, its lines across the middle, is one part.
        let one: Vec<Glyph> = (0..8)
            .flat_map(|i| row(15.0 * i as f64, &[(0.0, prose), (200.0, prose)]))
            .collect();
        let one: Vec<&Glyph> = one.iter().collect();
        assert_eq!(reading_parts(&one, &[]).len(), 1);
        // A ruled table across the gutter between the third and fourth lines parts the
        // columns above it from those below, too short (three lines each) to be columns.
        let table = [0.0, 60.0, 430.0, 62.0];
        assert_eq!(reading_parts(&glyphs, &[table]).len(), 1);
    }

    #[test]
    fn names_set_out_with_spaces_stay_text() {
        // Xiangxi's 评价小组: names parted by wide spaces, in columns, but no figure.
        let lines = laid_lines(&[
            row(0.0, &[(0.0, "杨代宏"), (60.0, "黎小涛"), (120.0, "陈吉平")]),
            row(
                14.0,
                &[(0.0, "陈昌保"), (60.0, "陈瑞芳"), (120.0, "周礼礼")],
            ),
            row(28.0, &[(0.0, "宋顺龙"), (60.0, "罗翔"), (120.0, "梁筠")]),
        ]);
        assert!(aligned_tables(&lines).is_empty());
        // Nor do two lines of figures make a table.
        let lines = laid_lines(&[
            row(0.0, &[(0.0, "收入"), (100.0, "1,482.43")]),
            row(14.0, &[(0.0, "支出"), (100.0, "1,478.93")]),
        ]);
        assert!(aligned_tables(&lines).is_empty());
    }
}
