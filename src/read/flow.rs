//! The paragraph stream of a Word document (binary .doc or RTF) as blocks: each paragraph
//! ends as a paragraph, a cell or a row, at a table depth; rows carry their cell boundaries.
//!
//! Cells are placed on the grid that all the rows' boundaries make (so a wide cell gets a
//! column span), vertical and horizontal merges extend the cell they continue, and a table
//! deeper than the one open is nested in its current cell. Origins are named as for .docx:
//! `body/p[3]`, `body/tbl[2]/tr[5]/tc[1]`.

use super::Limits;
use crate::error::ReadErrorKind;
use crate::model::{Block, Cell, Origin, Paragraph, Table, TableBuilder};

/// The most grid columns the rows' cell boundaries may make (Word allows 63 cells a row).
const MAX_GRID_COLS: usize = 1024;

/// How a paragraph ends.
pub enum End {
    Paragraph,
    /// The last paragraph of a cell.
    Cell,
    /// The end of a row, with the row's shape (its own text, if any, is not content).
    Row(RowShape),
}

/// A table row's cell boundaries (in twips) and each cell's merge flags.
#[derive(Default, Clone)]
pub struct RowShape {
    pub bounds: Vec<i32>,
    /// Per cell: (horizontal, vertical) merge, as `TCGRF` writes them.
    pub merges: Vec<(u8, u8)>,
}

/// A cell being filled: its paragraphs and the tables nested in it.
#[derive(Default)]
struct RawCell {
    paragraphs: Vec<String>,
    tables: Vec<Table>,
}

/// A table being filled, one per level of nesting.
struct Level {
    index: usize,
    path: String,
    rows: Vec<(Vec<RawCell>, RowShape)>,
    row: Vec<RawCell>,
    cell: RawCell,
}

impl Level {
    fn cell_path(&self) -> String {
        format!(
            "{}/tr[{}]/tc[{}]",
            self.path,
            self.rows.len() + 1,
            self.row.len() + 1
        )
    }
}

/// Turns the paragraph stream into blocks: body paragraphs, and tables (nested by depth).
pub struct Flow<'l> {
    limits: &'l Limits,
    blocks: Vec<Block>,
    levels: Vec<Level>,
    tables: usize,
    body_paragraphs: usize,
    body_tables: usize,
}

impl<'l> Flow<'l> {
    pub fn new(limits: &'l Limits) -> Self {
        Flow {
            limits,
            blocks: Vec::new(),
            levels: Vec::new(),
            tables: 0,
            body_paragraphs: 0,
            body_tables: 0,
        }
    }

    /// Places one paragraph at table depth `depth` (0 for the body) that ended as `end` says.
    pub fn push(
        &mut self,
        text: String,
        depth: usize,
        end: End,
        heading: Option<u8>,
    ) -> Result<(), ReadErrorKind> {
        if depth > self.limits.max_table_depth {
            return Err(ReadErrorKind::TooDeep(self.limits.max_table_depth));
        }
        self.close_to(depth);
        if depth == 0 {
            self.body_paragraphs += 1;
            self.blocks.push(Block::Paragraph(Paragraph {
                text,
                heading,
                origin: Origin::Doc {
                    path: format!("body/p[{}]", self.body_paragraphs),
                },
            }));
            return Ok(());
        }
        while self.levels.len() < depth {
            self.open_table();
        }
        let Some(level) = self.levels.last_mut() else {
            return Ok(());
        };
        match end {
            End::Row(shape) => {
                let cells = std::mem::take(&mut level.row);
                level.rows.push((cells, shape));
            }
            End::Cell => {
                level.cell.paragraphs.push(text);
                let cell = std::mem::take(&mut level.cell);
                level.row.push(cell);
            }
            End::Paragraph => level.cell.paragraphs.push(text),
        }
        Ok(())
    }

    /// The blocks, once every open table is finished.
    pub fn finish(mut self) -> Vec<Block> {
        self.close_to(0);
        self.blocks
    }

    /// Starts a table one level deeper than the open ones: in the body, or in the cell being
    /// filled at the level above.
    fn open_table(&mut self) {
        let path = match self.levels.last() {
            Some(parent) => format!(
                "{}/tbl[{}]",
                parent.cell_path(),
                parent.cell.tables.len() + 1
            ),
            None => {
                self.body_tables += 1;
                format!("body/tbl[{}]", self.body_tables)
            }
        };
        self.levels.push(Level {
            index: self.tables,
            path,
            rows: Vec::new(),
            row: Vec::new(),
            cell: RawCell::default(),
        });
        self.tables += 1;
    }

    /// Finishes tables until only `depth` levels are open.
    fn close_to(&mut self, depth: usize) {
        while self.levels.len() > depth {
            let Some(level) = self.levels.pop() else {
                return;
            };
            let table = table(level);
            match self.levels.last_mut() {
                Some(parent) => parent.cell.tables.push(table),
                None => self.blocks.push(Block::Table(table)),
            }
        }
    }
}

/// Places a finished table's cells on the grid that all its rows' cell boundaries make.
fn table(mut level: Level) -> Table {
    // Cells after the last row end (a table cut short) make a row of their own.
    if !level.row.is_empty() || !level.cell.paragraphs.is_empty() {
        if !level.cell.paragraphs.is_empty() {
            level.row.push(std::mem::take(&mut level.cell));
        }
        let cells = std::mem::take(&mut level.row);
        level.rows.push((cells, RowShape::default()));
    }
    let mut grid: Vec<i32> = level
        .rows
        .iter()
        .filter(|(cells, shape)| shape.bounds.len() > cells.len())
        .flat_map(|(_, shape)| shape.bounds.iter().copied())
        .collect();
    grid.sort_unstable();
    grid.dedup();
    // Boundaries that make a grid wider than any real table (a damaged file) are not followed:
    // cells then take the next free column.
    if grid.len() > MAX_GRID_COLS {
        grid.clear();
    }
    let column = |x: i32| grid.partition_point(|&g| g < x);
    let mut builder = TableBuilder::new();
    for (r, (cells, shape)) in level.rows.into_iter().enumerate() {
        let row_path = format!("{}/tr[{}]", level.path, r + 1);
        let row = builder.start_row(Origin::Doc {
            path: row_path.clone(),
        });
        let shaped = !grid.is_empty() && shape.bounds.len() > cells.len();
        let mut next = 0;
        for (i, raw) in cells.into_iter().enumerate() {
            let (col, span) = if shaped {
                let (left, right) = (column(shape.bounds[i]), column(shape.bounds[i + 1]));
                (left, right.saturating_sub(left).max(1))
            } else {
                (builder.next_free_col(row, next), 1)
            };
            next = col + span;
            let (horizontal, vertical) = shape.merges.get(i).copied().unwrap_or_default();
            if horizontal >= 2 && builder.extend_right(row, col, span) {
                continue;
            }
            if vertical == 1 && builder.extend_down(row, col) {
                continue;
            }
            let mut cell = Cell::new(
                row,
                col,
                raw.paragraphs.join("\n"),
                Origin::Doc {
                    path: format!("{row_path}/tc[{}]", i + 1),
                },
            );
            cell.col_span = span;
            cell.tables = raw.tables;
            builder.place(cell);
        }
    }
    let mut table = builder.finish(level.index, None, Origin::Doc { path: level.path });
    table.cols = table.cols.max(grid.len().saturating_sub(1));
    table
}
