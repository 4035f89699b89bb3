//! Reader for Word's plain-text export, the layout of the reports in `corpus/seeds/`.
//!
//! In that layout a line starting with a TAB begins a table cell, a cell's further paragraphs
//! follow on lines without the TAB, rows are separated by blank lines, and a lone TAB is an
//! empty (often merged) cell. Everything else is a paragraph, one per line.
//!
//! The export loses information, so some choices are heuristics, each seen on the real seeds:
//!
//! * **Row breaks.** One blank line before a cell starts a new row; so do three or more (a row
//!   break after cells that end in empty paragraphs). Exactly two blank lines before a cell are
//!   read as an empty last paragraph of the previous cell, not a row break — in seed 000 the
//!   cells at lines 235, 261 and 270 follow two blank lines and belong to the row before.
//! * **Layout tabs.** A line that starts with two or more TABs and then has text is a paragraph
//!   pushed right with tabs (`\t×25 单位：万元` in seed 003), not a cell.
//! * **Where a table ends.** A line that is not a cell line continues the last cell, except
//!   that it ends the table when (a) it contains a TAB (Word pads headings such as
//!   `附件 1\t\t\t` with layout tabs, never cell text), (b) two or more blank
//!   lines precede it, or (c) the run of TAB-less lines up to the next cell is longer than
//!   [`MAX_CONTINUATION`] lines: then the cell keeps only the leading lines that each follow one
//!   blank line (signature lines such as `年 月 日`), and the first line that does not is where
//!   the paragraphs after the table begin.
//! * **Spans.** The export does not record merged cells: each row's cells are laid left to right
//!   from column 0, the table is as wide as its widest row, and every cell has span 1. An empty
//!   cell below a merged cell stays an empty cell. The .docx, .html and .xlsx renditions keep
//!   the spans; compare rows by their non-empty texts when comparing with them.
//! * **One-cell tables.** A lone cell with no row around it (the cover title of seed 000) is a
//!   framed paragraph, not a table: its paragraphs become ordinary paragraphs.

use crate::model::{Block, Cell, Origin, Paragraph, TableBuilder};

/// Runs of TAB-less lines longer than this after a cell are mostly paragraphs, not cell text.
pub const MAX_CONTINUATION: usize = 4;

/// A cell as written in the export, before it is placed on the grid.
struct SourceCell {
    first: usize,
    last: usize,
    /// The cell's paragraphs with their 1-based line numbers.
    paras: Vec<(usize, String)>,
    /// Blank lines between the previous cell's last line and this cell's TAB line.
    blanks_before: usize,
}

/// Reads decoded text into blocks.
pub fn read(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut blocks = Vec::new();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_cell_line(line) {
            let (cells, next) = table_cells(&lines, i);
            i = next;
            if let [cell] = cells.as_slice() {
                for (n, text) in &cell.paras {
                    if !text.trim().is_empty() {
                        blocks.push(paragraph(text, *n));
                    }
                }
            } else {
                blocks.push(Block::Table(build_table(cells, tables)));
                tables += 1;
            }
        } else {
            if !line.trim().is_empty() {
                blocks.push(paragraph(line, i + 1));
            }
            i += 1;
        }
    }
    blocks
}

/// A line that starts a table cell: one TAB, then the cell's first paragraph (maybe empty).
fn is_cell_line(line: &str) -> bool {
    // One TAB; a second TAB only on a line that is otherwise empty (an empty cell).
    line.starts_with('\t') && (!line.starts_with("\t\t") || line.trim().is_empty())
}

fn paragraph(text: &str, line: usize) -> Block {
    Block::Paragraph(Paragraph {
        text: text.to_string(),
        heading: None,
        origin: Origin::Lines {
            first: line,
            last: line,
        },
    })
}

/// Collects the cells of the table starting at line index `start`; returns them and the index
/// of the first line after the table.
fn table_cells(lines: &[&str], start: usize) -> (Vec<SourceCell>, usize) {
    let mut cells: Vec<SourceCell> = Vec::new();
    let mut blanks = 0;
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        if let Some(text) = line.strip_prefix('\t').filter(|_| is_cell_line(line)) {
            cells.push(SourceCell {
                first: i + 1,
                last: i + 1,
                paras: vec![(i + 1, text.to_string())],
                blanks_before: blanks,
            });
            blanks = 0;
        } else if line.trim().is_empty() {
            blanks += 1;
        } else {
            let keep = continuation_lines(lines, i, blanks);
            let Some(cell) = cells.last_mut().filter(|_| keep > 0) else {
                break;
            };
            // `keep` TAB-less lines (with the blank lines between them) join the last cell.
            let mut taken = 0;
            while taken < keep {
                if !lines[i].trim().is_empty() {
                    cell.paras.push((i + 1, lines[i].to_string()));
                    cell.last = i + 1;
                    taken += 1;
                }
                i += 1;
            }
            blanks = 0;
            continue;
        }
        i += 1;
    }
    (cells, i)
}

/// How many of the TAB-less lines starting at `i` continue the previous cell (0: the table
/// ends here). `blanks` is the number of blank lines just before line `i`.
fn continuation_lines(lines: &[&str], i: usize, blanks: usize) -> usize {
    let ends_table = |line: &str, blanks: usize| blanks >= 2 || line.contains('\t');
    // The run: TAB-less lines up to the next cell or the end of the text.
    let mut run = Vec::new(); // (line index, blank lines before it)
    let mut gap = blanks;
    for (k, line) in lines.iter().enumerate().skip(i) {
        if is_cell_line(line) {
            break;
        }
        if line.trim().is_empty() {
            gap += 1;
        } else {
            run.push((k, gap));
            gap = 0;
        }
    }
    let short = run.len() <= MAX_CONTINUATION;
    let mut keep = 0;
    for &(k, gap) in &run {
        if ends_table(lines[k], gap) || (!short && gap != 1) {
            break;
        }
        keep += 1;
    }
    keep
}

fn build_table(cells: Vec<SourceCell>, index: usize) -> crate::model::Table {
    let first_line = cells.first().map_or(0, |c| c.first);
    let last_line = cells.last().map_or(0, |c| c.last);
    let mut rows: Vec<Vec<SourceCell>> = Vec::new();
    for cell in cells {
        let new_row = rows.is_empty() || matches!(cell.blanks_before, 1 | 3..);
        if new_row {
            rows.push(Vec::new());
        }
        if let Some(row) = rows.last_mut() {
            row.push(cell);
        }
    }
    let mut builder = TableBuilder::new();
    for row in rows {
        let origin = Origin::Lines {
            first: row.first().map_or(0, |c| c.first),
            last: row.last().map_or(0, |c| c.last),
        };
        let r = builder.start_row(origin);
        for (col, cell) in row.into_iter().enumerate() {
            let origin = Origin::Lines {
                first: cell.first,
                last: cell.last,
            };
            let text: Vec<String> = cell.paras.into_iter().map(|(_, t)| t).collect();
            builder.place(Cell::new(r, col, text.join("\n"), origin));
        }
    }
    builder.finish(
        index,
        None,
        Origin::Lines {
            first: first_line,
            last: last_line,
        },
    )
}
