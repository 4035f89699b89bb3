//! The document model every reader produces and every later stage reads.
//!
//! A [`Document`] is an ordered list of [`Block`]s — paragraphs and tables — where a table is a
//! grid of anchor [`Cell`]s with row and column spans, and every piece carries its [`Origin`].

use serde::Serialize;

/// One input file, read into paragraphs and tables in document order.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Document {
    pub source: Source,
    pub blocks: Vec<Block>,
    /// Things the reader noticed and worked around (a part it skipped, a lenient repair).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Running headers, footers and page numbers of a PDF, kept out of `blocks`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<Paragraph>,
}

/// Where the document came from and how its bytes were interpreted.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: Format,
    /// The character encoding a text or HTML file was decoded with (`UTF-8`, `GBK`, `UTF-16LE` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
    /// The number of pages of a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

/// The input formats jixiao reads. `doc` is Word 97–2003 and WPS Office `.wps` (the same
/// binary format); `rtf` is Rich Text Format, also the many `.doc` files that are RTF inside;
/// `pdf` is a PDF with a text layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Doc,
    Rtf,
    Text,
    Html,
    Xlsx,
    Xls,
    Ods,
    Pdf,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Text => "text",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Pdf => "pdf",
        }
    }
}

/// A top-level piece of the document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A paragraph of running text (a heading when `heading` is set).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Paragraph {
    pub text: String,
    /// Heading level 1–9 where the source marks the paragraph as a heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<u8>,
    pub origin: Origin,
}

/// A table as a grid: `rows × cols` positions covered by anchor cells with spans.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Table {
    /// Ordinal of the table in the document, counting nested tables, in reading order (0-based).
    pub index: usize,
    /// The sheet name for spreadsheets, otherwise absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub rows: usize,
    pub cols: usize,
    /// Anchor cells in row-major order; a merged cell appears once, at its top-left position.
    pub cells: Vec<Cell>,
    /// Where each row came from (same length as `rows`).
    pub row_origins: Vec<Origin>,
    pub origin: Origin,
}

/// One (possibly merged) cell of a table.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    /// The cell's paragraphs joined with `\n`.
    pub text: String,
    /// Tables nested inside this cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    pub origin: Origin,
}

/// Where a block, row or cell came from in the source file.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// An element of a Word document, e.g. `body/tbl[2]/tr[5]/tc[1]` (1-based, as in XPath).
    Docx { path: String },
    /// A paragraph, table, row or cell of a .doc, .wps or RTF file, named as for `.docx`:
    /// `body/p[12]`, `body/tbl[2]/tr[5]/tc[1]` (1-based).
    Doc { path: String },
    /// Lines of a text export (1-based, inclusive).
    Lines { first: usize, last: usize },
    /// A spreadsheet cell or range, e.g. sheet `附件2`, `C7` or `A1:O16`.
    Sheet { sheet: String, range: String },
    /// An HTML element, e.g. `body/table[1]/tr[3]/td[2]` (1-based, as in XPath).
    Html { path: String },
    /// A box on a page of a PDF: `page` from 1, `bbox` = [x0, top, x1, bottom] in points from
    /// the top left of the page as a viewer shows it (rotation applied), to 0.1 pt.
    Pdf { page: usize, bbox: [f32; 4] },
}

/// Origins compare as equal only to themselves: a PDF box's coordinates are always finite.
impl Eq for Origin {}

impl Origin {
    /// The place in `lang`: an XML path as it is, lines and sheet ranges in words.
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        match self {
            Origin::Docx { path } | Origin::Doc { path } | Origin::Html { path } => path.clone(),
            Origin::Lines { first, last } if first == last => {
                lang.say("origin-line", &[("line", first)])
            }
            Origin::Lines { first, last } => {
                lang.say("origin-lines", &[("first", first), ("last", last)])
            }
            Origin::Sheet { sheet, range } => {
                lang.say("origin-sheet", &[("range", range), ("sheet", sheet)])
            }
            Origin::Pdf { page, .. } => lang.say("origin-page", &[("page", page)]),
        }
    }
}

impl std::fmt::Display for Origin {
    /// As [`Origin::describe`] in English; a PDF box adds its coordinates (`page 9, box 57.2
    /// 160.5 567.4 812.9`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(crate::lang::Lang::En))?;
        if let Origin::Pdf {
            bbox: [x0, top, x1, bottom],
            ..
        } = self
        {
            write!(f, ", box {x0:.1} {top:.1} {x1:.1} {bottom:.1}")?;
        }
        Ok(())
    }
}

impl Document {
    /// The tables of the body in reading order (not those nested in cells).
    pub fn top_level_tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    /// All tables in reading order, nested tables after the table that holds them.
    pub fn tables(&self) -> Vec<&Table> {
        fn walk<'a>(t: &'a Table, out: &mut Vec<&'a Table>) {
            out.push(t);
            for c in &t.cells {
                for n in &c.tables {
                    walk(n, out);
                }
            }
        }
        let mut out = Vec::new();
        for b in &self.blocks {
            if let Block::Table(t) = b {
                walk(t, &mut out);
            }
        }
        out
    }
}

impl Table {
    /// For each grid position, the index into `cells` of the cell covering it.
    pub fn grid(&self) -> Vec<Vec<Option<usize>>> {
        let mut grid = vec![vec![None; self.cols]; self.rows];
        for (i, c) in self.cells.iter().enumerate() {
            for row in grid.iter_mut().skip(c.row).take(c.row_span) {
                for slot in row.iter_mut().skip(c.col).take(c.col_span) {
                    *slot = Some(i);
                }
            }
        }
        grid
    }

    /// The cell covering grid position (row, col), if any.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            (c.row..c.row + c.row_span).contains(&row) && (c.col..c.col + c.col_span).contains(&col)
        })
    }
}

/// Widest grid a column span may reach (the spreadsheet limit, 16 384 columns): spans of up to
/// 1000 columns on thousands of cells would otherwise make the grid of taken positions rows ×
/// millions of columns.
pub const MAX_SPAN_COLS: usize = 16_384;

/// Builds a [`Table`] from cells placed one by one, tracking which grid positions are taken.
///
/// Readers differ in how they know a cell's position (HTML: next free column; Word: grid
/// columns and `vMerge`; spreadsheets: merged ranges), but all of them end up here.
#[derive(Debug, Default)]
pub struct TableBuilder {
    cells: Vec<Cell>,
    taken: Vec<Vec<bool>>,
    row_origins: Vec<Origin>,
    cols: usize,
}

impl TableBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a new row; returns its index.
    pub fn start_row(&mut self, origin: Origin) -> usize {
        self.row_origins.push(origin);
        let r = self.row_origins.len() - 1;
        self.ensure_rows(r + 1);
        r
    }

    fn ensure_rows(&mut self, n: usize) {
        while self.taken.len() < n {
            self.taken.push(Vec::new());
        }
    }

    fn is_taken(&self, row: usize, col: usize) -> bool {
        self.taken
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(false)
    }

    /// The first column at or after `from` in `row` that no earlier cell covers.
    pub fn next_free_col(&self, row: usize, from: usize) -> usize {
        let mut c = from;
        while self.is_taken(row, c) {
            c += 1;
        }
        c
    }

    /// Places a cell; positions already taken by an earlier cell keep their first owner.
    /// A column span stops at [`MAX_SPAN_COLS`].
    pub fn place(&mut self, mut cell: Cell) {
        cell.row_span = cell.row_span.max(1);
        cell.col_span = cell
            .col_span
            .clamp(1, MAX_SPAN_COLS.saturating_sub(cell.col).max(1));
        self.ensure_rows(cell.row + cell.row_span);
        for r in cell.row..cell.row + cell.row_span {
            let row = &mut self.taken[r];
            if row.len() < cell.col + cell.col_span {
                row.resize(cell.col + cell.col_span, false);
            }
            for slot in &mut row[cell.col..cell.col + cell.col_span] {
                *slot = true;
            }
        }
        self.cols = self.cols.max(cell.col + cell.col_span);
        self.cells.push(cell);
    }

    /// Extends downwards, to cover `row`, the cell whose column range starts at `col` in the
    /// row above (a Word `vMerge` continuation). Returns false when there is no such cell.
    pub fn extend_down(&mut self, row: usize, col: usize) -> bool {
        let Some(i) = self
            .cells
            .iter()
            .rposition(|c| c.col == col && c.row + c.row_span == row)
        else {
            return false;
        };
        self.cells[i].row_span += 1;
        let span = self.cells[i].col_span;
        self.ensure_rows(row + 1);
        let taken = &mut self.taken[row];
        if taken.len() < col + span {
            taken.resize(col + span, false);
        }
        for slot in &mut taken[col..col + span] {
            *slot = true;
        }
        true
    }

    /// Widens by `span` columns the cell of `row` that ends just before `col` (a legacy Word
    /// `hMerge` continuation). Returns false when there is no such cell.
    pub fn extend_right(&mut self, row: usize, col: usize, span: usize) -> bool {
        let Some(i) = self
            .cells
            .iter()
            .rposition(|c| c.row == row && c.col + c.col_span == col)
        else {
            return false;
        };
        self.cells[i].col_span += span;
        let taken = &mut self.taken[row];
        if taken.len() < col + span {
            taken.resize(col + span, false);
        }
        for slot in &mut taken[col..col + span] {
            *slot = true;
        }
        self.cols = self.cols.max(col + span);
        true
    }

    pub fn rows(&self) -> usize {
        self.row_origins.len()
    }

    /// Finishes the table. Rows implied only by a span reaching past the last row are dropped
    /// by clipping the span, so `rows` always equals the number of source rows.
    pub fn finish(mut self, index: usize, name: Option<String>, origin: Origin) -> Table {
        let rows = self.row_origins.len();
        for c in &mut self.cells {
            if c.row + c.row_span > rows {
                c.row_span = rows.saturating_sub(c.row).max(1);
            }
        }
        self.cells.retain(|c| c.row < rows);
        self.cells.sort_by_key(|c| (c.row, c.col));
        Table {
            index,
            name,
            rows,
            cols: self.cols,
            cells: self.cells,
            row_origins: self.row_origins,
            origin,
        }
    }
}

impl Cell {
    pub fn new(row: usize, col: usize, text: String, origin: Origin) -> Self {
        Cell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            text,
            tables: Vec::new(),
            origin,
        }
    }
}
