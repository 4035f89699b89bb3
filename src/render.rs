//! Human-readable rendering of the document model for `jixiao dump`.
//!
//! Paragraphs print as lines (headings marked with `#`), tables as box-drawn grids whose
//! merged cells span their columns; a position covered by a cell from a row above shows `〃`.

use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::{Block, Document, Table};

/// Widest column drawn, in terminal columns; longer cell text is cut with `…`.
const MAX_COL_WIDTH: usize = 24;

/// Renders the whole document.
pub fn document(doc: &Document) -> String {
    let mut out = String::new();
    let encoding = doc
        .source
        .encoding
        .as_deref()
        .map(|e| format!(", {e}"))
        .unwrap_or_default();
    let pages = doc
        .source
        .pages
        .map(|n| format!(", {n} page{}", if n == 1 { "" } else { "s" }))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}{encoding}, {} bytes{pages})",
        doc.source.path,
        doc.source.format.name(),
        doc.source.bytes
    );
    for w in &doc.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for p in &doc.furniture {
        let _ = writeln!(
            out,
            "running header or footer: {}    [{}]",
            p.text, p.origin
        );
    }
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                let marks = p
                    .heading
                    .map(|h| "#".repeat(h as usize) + " ")
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{marks}{}    [{}]",
                    p.text.replace('\n', " ⏎ "),
                    p.origin
                );
            }
            Block::Table(t) => table(&mut out, t, 0),
        }
    }
    out
}

fn table(out: &mut String, t: &Table, indent: usize) {
    let pad = " ".repeat(indent);
    let name = t
        .name
        .as_deref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{pad}table {}{name}: {} rows × {} cols    [{}]",
        t.index + 1,
        t.rows,
        t.cols,
        t.origin
    );
    // Rows and columns are numbered from 1 in a gutter and a header line, as they are named
    // in findings (`table 3, row 5, column 2`).
    let gutter = t.rows.to_string().len();
    let pad = format!("{pad}{}", " ".repeat(gutter + 1));
    let grid = t.grid();
    let shown = |i: usize| clip(&t.cells[i].text.replace('\n', " "), MAX_COL_WIDTH);
    // Column widths from single-column cells, then widened where a spanning cell needs room.
    let mut widths: Vec<usize> = (1..=t.cols).map(|n| n.to_string().len()).collect();
    for (i, c) in t.cells.iter().enumerate() {
        if c.col_span == 1 {
            widths[c.col] = widths[c.col].max(shown(i).width());
        }
    }
    for (i, c) in t.cells.iter().enumerate() {
        let have: usize =
            widths[c.col..c.col + c.col_span].iter().sum::<usize>() + 3 * (c.col_span - 1);
        let need = shown(i).width();
        if need > have {
            widths[c.col + c.col_span - 1] += need - have;
        }
    }
    let rule = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{pad}{l}{}{r}\n", parts.join(m))
    };
    let mut header = format!("{pad} ");
    for (c, w) in widths.iter().enumerate() {
        let _ = write!(header, " {:<w$}  ", c + 1);
    }
    out.push_str(header.trim_end());
    out.push('\n');
    out.push_str(&rule("┌", "┬", "┐"));
    for (r, row) in grid.iter().enumerate() {
        let mut line = format!("{}{:>gutter$} │", &pad[..pad.len() - gutter - 1], r + 1);
        let mut col = 0;
        while col < t.cols {
            match row[col] {
                Some(i) => {
                    let c = &t.cells[i];
                    let span = c.col + c.col_span - col;
                    let width = widths[col..col + span].iter().sum::<usize>() + 3 * (span - 1);
                    let text = if c.row == r {
                        shown(i)
                    } else {
                        "〃".to_string()
                    };
                    let _ = write!(
                        line,
                        " {text}{} │",
                        " ".repeat(width.saturating_sub(text.width()))
                    );
                    col += span;
                }
                None => {
                    let _ = write!(line, " {} │", " ".repeat(widths[col]));
                    col += 1;
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
        if r + 1 < t.rows {
            out.push_str(&rule("├", "┼", "┤"));
        }
    }
    out.push_str(&rule("└", "┴", "┘"));
    for c in &t.cells {
        for nested in &c.tables {
            let _ = writeln!(
                out,
                "{pad}  nested in row {}, column {}:",
                c.row + 1,
                c.col + 1
            );
            table(out, nested, pad.len() + 2);
        }
    }
}

/// Cuts `text` to at most `max` terminal columns, ending in `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in text.chars() {
        let cw = ch.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    out
}
