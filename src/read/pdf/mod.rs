//! Reader for PDF files with a text layer: lopdf parses and decrypts the file, our own layer
//! walks the content streams (`content`) and lays glyphs and ruling lines out (`layout`).
//!
//! Every paragraph, table, row and cell carries its page and box ([`Origin::Pdf`]). Running
//! headers, footers and page numbers are kept out of the body, in [`super::Body::furniture`].
//! A table continued on the next page (same columns) is one table; a repeated header is
//! dropped. Scans without text, and files that need a password to open, are refused.

mod cmap;
mod content;
mod layout;

use std::collections::HashMap;

use lopdf::{Document as Pdf, LoadOptions, ObjectId};

use super::{Body, Limits};
use crate::error::ReadErrorKind;
use crate::model::{Block, Cell, Format, Origin, Paragraph, Table};
use content::{Glyph, Page};
use layout::{Grid, Rect, TextBlock};

/// How far above the lowest printed line (points) a table part may end and still be cut by
/// the page break rather than end there: a split row stops at the last line that fits, and
/// widow control can leave up to about three lines free.
const FOOT: f64 = 40.0;

/// Most pages read from one file: beyond it the file is refused (a page-count bomb).
const MAX_PAGES: usize = 10_000;

/// The reader of PDF files.
pub struct PdfReader;

impl super::Reader for PdfReader {
    fn claims(&self, content: &mut super::Content<'_>) -> Option<Format> {
        let head = &content.bytes[..content.bytes.len().min(1024)];
        super::find(head, b"%PDF-").map(|_| Format::Pdf)
    }

    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        source: &mut crate::model::Source,
    ) -> Result<Body, ReadErrorKind> {
        let (body, pages) = read(bytes, limits)?;
        source.pages = Some(pages);
        Ok(body)
    }
}

fn damaged(cause: impl std::fmt::Display) -> ReadErrorKind {
    ReadErrorKind::Pdf(format!("damaged PDF: {cause}"))
}

/// Reads a PDF held in `bytes` into its body and its number of pages. lopdf is not known to
/// panic, but a panic in it on a damaged file becomes an error naming the file, never a
/// crash of the batch.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Body, usize), ReadErrorKind> {
    super::guarded(|| read_pdf(bytes, limits)).unwrap_or_else(|cause| Err(damaged(cause)))
}

/// Loads the file; no stream may inflate past `part_limit` bytes.
fn load(bytes: &[u8], part_limit: usize) -> Result<Pdf, ReadErrorKind> {
    let options = |force_reconstruct| LoadOptions {
        max_decompressed_size: Some(part_limit),
        force_reconstruct,
        ..LoadOptions::default()
    };
    let doc = match Pdf::load_mem_with_options(bytes, options(false)) {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(needs_password()),
        Err(first) => {
            Pdf::load_mem_with_options(bytes, options(true)).map_err(|_| damaged(first))?
        }
    };
    if doc.is_encrypted() {
        return Err(needs_password());
    }
    Ok(doc)
}

fn needs_password() -> ReadErrorKind {
    ReadErrorKind::Pdf(
        "the PDF needs a password to open (remove the password and save it again)".into(),
    )
}

/// The pages in order: from the page tree, or, where the tree is broken, every page object.
fn pages(doc: &Pdf) -> Vec<ObjectId> {
    let tree: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if !tree.is_empty() {
        return tree;
    }
    doc.objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict()
                .and_then(|d| d.get(b"Type"))
                .and_then(lopdf::Object::as_name)
                .is_ok_and(|t| t == b"Page")
        })
        .map(|(id, _)| *id)
        .collect()
}

fn read_pdf(bytes: &[u8], limits: &Limits) -> Result<(Body, usize), ReadErrorKind> {
    let content_limit = usize::try_from(limits.max_part_size).unwrap_or(usize::MAX);
    let doc = load(bytes, content_limit)?;
    let ids = pages(&doc);
    if ids.is_empty() {
        return Err(damaged("no pages found"));
    }
    if ids.len() > MAX_PAGES {
        return Err(ReadErrorKind::Pdf(format!(
            "{} pages, more than the limit of {MAX_PAGES}",
            ids.len()
        )));
    }
    let mut warnings = Vec::new();
    let mut walked = Vec::with_capacity(ids.len());
    let mut shared = content::Shared::default();
    for (n, id) in ids.iter().enumerate() {
        match content::walk(&doc, *id, content_limit, &mut shared) {
            Ok(page) => {
                if page.truncated {
                    warnings.push(format!(
                        "page {}: more than {} drawing operations or {} glyphs; the rest of the page is not read",
                        n + 1,
                        content::MAX_OPERATIONS,
                        content::MAX_GLYPHS
                    ));
                }
                walked.push(page);
            }
            Err(e) => {
                warnings.push(format!(
                    "page {}: content not readable ({e}); page skipped",
                    n + 1
                ));
                walked.push(Page::default());
            }
        }
    }
    let glyphs: usize = walked.iter().map(|p| p.glyphs.len()).sum();
    let images: usize = walked.iter().map(|p| p.images).sum();
    if glyphs == 0 {
        return Err(ReadErrorKind::Pdf(if images > 0 {
            format!(
                "no text layer: its {} pages hold only images (a scan); it needs OCR first",
                ids.len()
            )
        } else {
            "no text on any page".to_string()
        }));
    }
    for (n, page) in walked.iter().enumerate() {
        if page.glyphs.is_empty() && page.images > 0 {
            warnings.push(format!(
                "page {}: only images, no text layer (not read)",
                n + 1
            ));
        }
    }
    let (blocks, furniture) = assemble(&walked);
    Ok((
        Body {
            blocks,
            warnings,
            furniture,
        },
        ids.len(),
    ))
}

/// A block of one page before numbering: body text or a grid with its cells' texts.
enum Laid {
    Text(TextBlock),
    Table {
        grid: Grid,
        texts: Vec<String>,
        /// Per cell: its first and last lines (whether text runs on over a page break).
        ends: Vec<layout::Ends>,
    },
}

impl Laid {
    /// A table of `grid` whose cells hold `cells`' glyphs.
    fn table(grid: Grid, cells: &[Vec<&Glyph>]) -> Laid {
        let (texts, ends) = grid
            .cells
            .iter()
            .zip(cells)
            .map(|(c, glyphs)| layout::cell_text(glyphs, c.rect))
            .unzip();
        Laid::Table { grid, texts, ends }
    }

    fn top(&self) -> f64 {
        self.rect()[1]
    }

    fn bottom(&self) -> f64 {
        self.rect()[3]
    }

    fn rect(&self) -> Rect {
        match self {
            Laid::Text(t) => t.rect,
            Laid::Table { grid, .. } => grid.rect(),
        }
    }
}

/// Lays out one part of a page's body lines: the tables drawn without rules among them (their
/// cells filled from the page's glyphs outside ruled tables), and the rest as paragraphs.
fn lay_text(body: Vec<layout::Line>, outside: &[&Glyph], blocks: &mut Vec<Laid>) {
    let mut in_table = vec![false; body.len()];
    for (grid, rows) in layout::aligned_tables(&body) {
        in_table[rows].fill(true);
        let mut cells = vec![Vec::new(); grid.cells.len()];
        for &g in outside {
            let (x, y) = g.center();
            if let Some(c) = grid.cell_at(x, y) {
                cells[c].push(g);
            }
        }
        blocks.push(Laid::table(grid, &cells));
    }
    let text: Vec<layout::Line> = body
        .into_iter()
        .zip(in_table)
        .filter_map(|(l, in_table)| (!in_table).then_some(l))
        .collect();
    blocks.extend(layout::paragraphs(&text).into_iter().map(Laid::Text));
}

/// Joins a paragraph that ends a page's left column to the one that opens its right column
/// where it goes on there (the test of a paragraph going on from line to line), `part_of`
/// telling the part of the page (`regions`) each block is in.
fn join_across_columns(
    blocks: &mut Vec<Laid>,
    regions: &[(Rect, usize)],
    part_of: impl Fn(&Laid) -> usize,
) {
    for i in (1..blocks.len()).rev() {
        let (p, q) = (part_of(&blocks[i - 1]), part_of(&blocks[i]));
        let columns = q == p + 1
            && regions
                .get(p)
                .zip(regions.get(q))
                .is_some_and(|(left, right)| left.0[2] == right.0[0]);
        let goes_on = match (&blocks[i - 1], &blocks[i]) {
            (Laid::Text(above), Laid::Text(next)) => {
                // The first line as if it stood in the left column (the indent test compares
                // it with the column's edge).
                let shift = next.rect[0] - above.rect[0];
                let mut first = next.first.0.clone();
                first.rect[0] -= shift;
                first.rect[2] -= shift;
                layout::continues(&above.last.0, above.last.1, &first, None)
            }
            _ => false,
        };
        if columns && goes_on {
            if let (Laid::Text(next), Some(Laid::Text(above))) =
                (blocks.remove(i), blocks.get_mut(i - 1))
            {
                above.join(next);
            }
        }
    }
}

fn origin(page: usize, r: Rect) -> Origin {
    // Finite, as `Origin`'s equality needs: a hostile matrix can make a coordinate NaN.
    let round = |v: f64| {
        let v = ((v * 10.0).round() / 10.0) as f32;
        if v.is_finite() {
            v
        } else {
            0.0
        }
    };
    Origin::Pdf {
        page: page + 1,
        bbox: [round(r[0]), round(r[1]), round(r[2]), round(r[3])],
    }
}

/// Lays out every page, recognizes running headers and footers across pages, and turns the
/// result into blocks, joining tables continued over a page break.
fn assemble(pages: &[Page]) -> (Vec<Block>, Vec<Paragraph>) {
    let mut laid: Vec<Vec<Laid>> = Vec::with_capacity(pages.len());
    let mut page_lines: Vec<Vec<layout::Line>> = Vec::with_capacity(pages.len());
    // Per page, the glyphs outside the ruled tables: the text, and any table without rules.
    let mut page_outside: Vec<Vec<&Glyph>> = Vec::with_capacity(pages.len());
    // Per page, the parts its text is read in (two columns are two parts): each part's region
    // and how many of the page's lines it holds, in order.
    let mut page_regions: Vec<Vec<(Rect, usize)>> = Vec::with_capacity(pages.len());
    for page in pages {
        let visible: Vec<&Glyph> = page
            .glyphs
            .iter()
            .filter(|g| !g.text.trim().is_empty())
            .collect();
        let mut grids = layout::grids(&page.rules);
        // A single box is a table only as the top of a table's continuation.
        let continued = laid
            .last()
            .and_then(|p: &Vec<Laid>| p.last())
            .and_then(|b| match b {
                Laid::Table { grid, .. } => Some(grid.xs.clone()),
                Laid::Text(_) => None,
            });
        let first_top = grids.first().map_or(0.0, |g| g.ys[0]);
        let text_above = visible
            .iter()
            .any(|g| g.bottom < first_top && g.top > 0.1 * page.height);
        grids.retain(|g| {
            g.cells.len() > 1
                || (g.ys[0] == first_top
                    && !text_above
                    && continued.as_ref().is_some_and(|xs| same_frame(xs, &g.xs)))
        });
        let mut in_cells: Vec<Vec<Vec<&Glyph>>> = grids
            .iter()
            .map(|g| vec![Vec::new(); g.cells.len()])
            .collect();
        let mut outside = Vec::new();
        for g in visible {
            let (x, y) = g.center();
            match grids
                .iter()
                .enumerate()
                .find_map(|(t, grid)| Some((t, grid.cell_at(x, y)?)))
            {
                Some((t, c)) => in_cells[t][c].push(g),
                None => outside.push(g),
            }
        }
        let blocks: Vec<Laid> = grids
            .into_iter()
            .zip(in_cells)
            .filter(|(_, cells)| !cells.iter().all(Vec::is_empty))
            .map(|(grid, cells)| Laid::table(grid, &cells))
            .collect();
        let tables: Vec<Rect> = blocks.iter().map(Laid::rect).collect();
        laid.push(blocks);
        let parts = layout::reading_parts(&outside, &tables);
        page_regions.push(parts.iter().map(|p| (p.region, p.lines.len())).collect());
        page_lines.push(parts.into_iter().flat_map(|p| p.lines).collect());
        page_outside.push(outside);
    }
    let running = running_lines(pages, &page_lines);
    let mut furniture = Vec::new();
    for (n, ((((lines, blocks), running), outside), regions)) in page_lines
        .into_iter()
        .zip(&mut laid)
        .zip(running)
        .zip(&page_outside)
        .zip(&page_regions)
        .enumerate()
    {
        let mut lines = lines.into_iter().zip(running);
        for &(_, count) in regions {
            let (running, body): (Vec<_>, Vec<_>) =
                lines.by_ref().take(count).partition(|(_, r)| *r);
            furniture.extend(running.into_iter().map(|(l, _)| Paragraph {
                text: l.text,
                heading: None,
                origin: origin(n, l.rect),
            }));
            let body: Vec<layout::Line> = body.into_iter().map(|(l, _)| l).collect();
            lay_text(body, outside, blocks);
        }
        let part_of = |b: &Laid| {
            regions
                .iter()
                .position(|(region, _)| layout::holds(region, b.rect()))
                .unwrap_or(0)
        };
        blocks.sort_by(|a, b| {
            part_of(a)
                .cmp(&part_of(b))
                .then(a.top().total_cmp(&b.top()))
        });
        join_across_columns(blocks, regions, part_of);
    }
    let (blocks, repeated) = number(laid);
    furniture.extend(repeated);
    (blocks, furniture)
}

/// For each page, for each of its lines: whether it is a running header, footer or page
/// number — in the top or bottom tenth of the page, and either a page number or repeated
/// (digits aside) on several pages.
fn running_lines(pages: &[Page], lines: &[Vec<layout::Line>]) -> Vec<Vec<bool>> {
    let shape = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    // Each margin line's shape, found once: None for a line in the body.
    let shapes: Vec<Vec<Option<String>>> = lines
        .iter()
        .zip(pages)
        .map(|(page, p)| {
            let h = p.height.max(1.0);
            page.iter()
                .map(|l| (l.rect[3] < 0.1 * h || l.rect[1] > 0.9 * h).then(|| shape(&l.text)))
                .collect()
        })
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for page in &shapes {
        let mut on_page: Vec<&str> = page.iter().flatten().map(String::as_str).collect();
        on_page.dedup();
        for s in on_page {
            *seen.entry(s).or_default() += 1;
        }
    }
    let repeated = |s: &str| {
        seen.get(s)
            .is_some_and(|&k| k >= 2 && k * 5 >= lines.len() * 2)
    };
    lines
        .iter()
        .zip(&shapes)
        .map(|(page, shapes)| {
            page.iter()
                .zip(shapes)
                .map(|(l, s)| {
                    s.as_deref()
                        .is_some_and(|s| is_page_number(&l.text) || repeated(s))
                })
                .collect()
        })
        .collect()
}

/// "3", "- 3 -", "第3页", "第 3 页 共 10 页", "3/10", "Page 3".
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '·'));
    let rest = rest.strip_prefix("Page").unwrap_or(rest);
    !rest.is_empty()
        && rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '第' | '页' | '共' | '/' | '／'))
}

/// The blocks of all pages in order, tables numbered, a table continued on the next page
/// appended to the one it continues; and the titles printed again above a continuation
/// (kept out of the body, as running headers are).
fn number(pages: Vec<Vec<Laid>>) -> (Vec<Block>, Vec<Paragraph>) {
    let floor = pages.iter().flatten().map(Laid::bottom).fold(0.0, f64::max);
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<Open> = None;
    // The last line of the page's last block when it is a paragraph.
    let mut last_text: Option<(layout::Line, f64)> = None;
    let mut repeated = Vec::new();
    let mut tables = 0;
    for (n, mut page) in pages.into_iter().enumerate() {
        if let Some(above) = &open {
            let titles = repeated_titles(&page, &blocks, above);
            repeated.extend(page.drain(..titles).filter_map(|b| match b {
                Laid::Text(t) => Some(Paragraph {
                    text: t.text,
                    heading: None,
                    origin: origin(n, t.rect),
                }),
                Laid::Table { .. } => None,
            }));
        }
        let count = page.len();
        for (k, item) in page.into_iter().enumerate() {
            match item {
                Laid::Text(t) => {
                    open = None;
                    match blocks.last_mut() {
                        // A paragraph going on from the foot of the page before.
                        Some(Block::Paragraph(p))
                            if k == 0
                                && last_text.as_ref().is_some_and(|(line, right)| {
                                    layout::continues(line, *right, &t.first.0, None)
                                }) =>
                        {
                            layout::join_wrapped(&mut p.text, &t.text);
                        }
                        _ => blocks.push(Block::Paragraph(Paragraph {
                            text: t.text,
                            heading: None,
                            origin: origin(n, t.rect),
                        })),
                    }
                    last_text = (k + 1 == count).then_some(t.last);
                }
                Laid::Table { grid, texts, ends } => {
                    last_text = None;
                    let above = open
                        .take()
                        .filter(|o| k == 0 && same_frame(&o.xs, &grid.xs));
                    let (grid, xs) = match (blocks.last_mut(), above) {
                        (Some(Block::Table(t)), Some(above)) => {
                            let xs = layout::union_columns(&above.xs, &grid.xs);
                            if xs.len() != above.xs.len() {
                                recolumn(t, &xs);
                            }
                            let grid = grid.with_columns(&xs);
                            let foot = above.foot.with_columns(&xs);
                            // Per cell of the new part: its first line goes on with the last
                            // line of the cell above it (that line was wrapped, not ended).
                            let wrapped: Vec<bool> = grid
                                .cells
                                .iter()
                                .zip(&ends)
                                .map(|(c, e)| {
                                    c.row == 0
                                        && foot.cells.iter().zip(&above.ends).any(|(a, ae)| {
                                            (a.col, a.col_span) == (c.col, c.col_span)
                                                && a.row + a.row_span == foot.rows()
                                                && layout::runs_on(ae, a.rect, e)
                                        })
                                })
                                .collect();
                            let at_floor = foot.rect()[3] >= floor - FOOT;
                            append(t, n, &grid, texts, at_floor.then_some(&wrapped[..]));
                            (grid, xs)
                        }
                        _ => {
                            let mut t = Table {
                                index: tables,
                                name: None,
                                rows: 0,
                                cols: 0,
                                cells: Vec::new(),
                                row_origins: Vec::new(),
                                origin: origin(n, grid.rect()),
                            };
                            append(&mut t, n, &grid, texts, None);
                            blocks.push(Block::Table(t));
                            tables += 1;
                            let xs = grid.xs.clone();
                            (grid, xs)
                        }
                    };
                    open = (k + 1 == count).then_some(Open {
                        xs,
                        foot: grid,
                        ends,
                    });
                }
            }
        }
    }
    (blocks, repeated)
}

/// How many of the page's first blocks repeat the paragraphs just above the open table (its
/// title and unit line printed again) before the table's continuation.
fn repeated_titles(page: &[Laid], blocks: &[Block], open: &Open) -> usize {
    let Some(Block::Table(_)) = blocks.last() else {
        return 0;
    };
    let above: Vec<String> = blocks
        .iter()
        .rev()
        .skip(1)
        .take(3)
        .map_while(|b| match b {
            Block::Paragraph(p) => Some(p.text.split_whitespace().collect()),
            Block::Table(_) => None,
        })
        .collect();
    let titles = page
        .iter()
        .take_while(|b| match b {
            Laid::Text(t) => above.contains(&t.text.split_whitespace().collect::<String>()),
            Laid::Table { .. } => false,
        })
        .count();
    let continues = matches!(page.get(titles), Some(Laid::Table { grid, .. }) if same_frame(&open.xs, &grid.xs));
    if titles > 0 && continues {
        titles
    } else {
        0
    }
}

/// A table ending its page, which the next page's first table may continue.
struct Open {
    /// The table's column boundaries so far.
    xs: Vec<f64>,
    /// Its part on the page, with the first and last lines of each cell.
    foot: Grid,
    ends: Vec<layout::Ends>,
}

/// Whether two parts of a table share their left and right edges (their inner columns may
/// differ: each page's grid has only the boundaries its rows draw).
fn same_frame(a: &[f64], b: &[f64]) -> bool {
    let close =
        |x: Option<&f64>, y: Option<&f64>| x.zip(y).is_some_and(|(x, y)| (x - y).abs() <= 3.0);
    close(a.first(), b.first()) && close(a.last(), b.last())
}

/// Re-expresses the table's cells on the finer column boundaries `xs`, by their boxes.
fn recolumn(table: &mut Table, xs: &[f64]) {
    for c in &mut table.cells {
        if let Origin::Pdf { bbox, .. } = c.origin {
            let (first, last) = (
                layout::nearest(xs, f64::from(bbox[0])),
                layout::nearest(xs, f64::from(bbox[2])),
            );
            c.col = first;
            c.col_span = last.saturating_sub(first).max(1);
        }
    }
    table.cols = xs.len() - 1;
}

/// The texts of rows `0..rows`, cell by cell, from (row, text) pairs in order.
fn first_rows<'t>(cells: impl Iterator<Item = (usize, &'t str)>, rows: usize) -> Vec<Vec<&'t str>> {
    let mut out = vec![Vec::new(); rows];
    for (r, t) in cells {
        if let Some(row) = out.get_mut(r) {
            row.push(t);
        }
    }
    out
}

/// Appends the grid's rows (from page `page`) to `table`. Rows repeating the table's first
/// rows (a header printed again) are skipped. Across a page break (`wrapped` is set when the
/// part above ended at the lowest line the document prints: its foot cells whose last line
/// ran to the edge), a first-row cell may continue the cell above it: an empty cell under a
/// merged cell makes it run on, and a first row whose text all goes on from wrapped lines
/// above, with cells the part above completed left empty, is one row split over the break.
fn append(
    table: &mut Table,
    page: usize,
    grid: &Grid,
    texts: Vec<String>,
    wrapped: Option<&[bool]>,
) {
    // The texts of the first rows of the new part and of the table, for a repeated header.
    let rows = grid.rows().min(table.rows);
    let new_rows = first_rows(
        grid.cells
            .iter()
            .zip(&texts)
            .map(|(c, t)| (c.row, t.as_str())),
        rows,
    );
    let old_rows = first_rows(table.cells.iter().map(|c| (c.row, c.text.as_str())), rows);
    let repeated = new_rows
        .iter()
        .zip(&old_rows)
        .take_while(|(a, b)| a == b && !a.is_empty())
        .count()
        .min(grid.rows().saturating_sub(1));
    let continues = table.rows > 0 && repeated == 0 && wrapped.is_some();
    // For each of the grid's cells, the table's cell it may continue.
    let above: Vec<Option<usize>> = grid
        .cells
        .iter()
        .map(|c| {
            (continues && c.row == 0)
                .then(|| {
                    table.cells.iter().position(|a| {
                        a.col == c.col
                            && a.col_span == c.col_span
                            && a.row + a.row_span == table.rows
                    })
                })
                .flatten()
        })
        .collect();
    let under_wrap = |i: usize| wrapped.and_then(|w| w.get(i)).copied().unwrap_or(false);
    let runs_on: Vec<bool> = grid
        .cells
        .iter()
        .zip(&above)
        .zip(&texts)
        .enumerate()
        .map(|(i, ((c, a), text))| {
            a.is_some_and(|a| {
                (c.row_span > 1 || table.cells[a].row_span > 1)
                    && (text.is_empty() || under_wrap(i))
            })
        })
        .collect();
    let mut started = (0..grid.cells.len())
        .filter(|&i| grid.cells[i].row == 0 && !runs_on[i] && !texts[i].is_empty())
        .peekable();
    // A lone box under a cell of the same width is the rest of that cell (a row's blank
    // lines can push its remaining text to the new page without a full line above it).
    let lone_rest = grid.cells.len() == 1 && above[0].is_some();
    // A row split by the break leaves empty the cells its first part completed; a new row
    // whose every cell happens to fit after the line above (codes and amounts in narrow
    // columns) fills them all.
    let completed_above = (0..grid.cells.len()).any(|i| {
        grid.cells[i].row == 0
            && texts[i].is_empty()
            && above[i].is_some_and(|a| !table.cells[a].text.is_empty())
    });
    let split_row = continues
        && (lone_rest
            || completed_above
                && started.peek().is_some()
                && started.all(|i| above[i].is_some() && under_wrap(i)));
    let offset = table.rows - usize::from(split_row);
    for r in repeated + usize::from(split_row)..grid.rows() {
        let rect = [
            grid.xs[0],
            grid.ys[r],
            *grid.xs.last().unwrap_or(&0.0),
            grid.ys[r + 1],
        ];
        table.row_origins.push(origin(page, rect));
    }
    for (i, (c, text)) in grid.cells.iter().zip(texts).enumerate() {
        if c.row < repeated {
            continue;
        }
        match above[i] {
            Some(a) if runs_on[i] || split_row => {
                let above = &mut table.cells[a];
                if !text.is_empty() {
                    layout::join_wrapped(&mut above.text, &text);
                }
                above.row_span += c.row_span - usize::from(split_row);
            }
            _ => table.cells.push(Cell {
                row: c.row - repeated + offset,
                col: c.col,
                row_span: c.row_span,
                col_span: c.col_span,
                text,
                tables: Vec::new(),
                origin: origin(page, c.rect),
            }),
        }
    }
    table.rows = table.row_origins.len();
    table.cols = table.cols.max(grid.xs.len() - 1);
    table.cells.sort_by_key(|c| (c.row, c.col));
}
