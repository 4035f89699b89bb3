//! Reader for HTML pages: paragraphs, headings and `<table>`s with `rowspan`/`colspan`.
//!
//! The page is parsed with scraper (html5ever), then walked in document order. Block elements
//! (`p`, `h1`–`h6`, `pre`, `div`, `li` …) become paragraphs; text outside them is gathered into
//! paragraphs too. Whitespace collapses as a browser shows it, except inside `<pre>`; U+00A0
//! becomes a plain space. Cells keep their paragraphs joined with `\n`, and nested tables.

use scraper::{ElementRef, Html, Node};

use super::Limits;
use crate::model::{Block, Cell, Origin, Paragraph, Table, TableBuilder};

/// Reads an HTML page into blocks.
pub fn read(text: &str, limits: &Limits) -> Vec<Block> {
    let html = Html::parse_document(text);
    let root = html.root_element();
    let body = root
        .child_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let mut walker = Walker {
        limits: *limits,
        tables: 0,
    };
    let mut out = Flow::default();
    walker.children(body, "body", &mut out, 0, 0);
    out.flush(None, "body");
    out.blocks
}

/// Blocks gathered so far, plus inline text not yet closed into a paragraph.
#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    inline: String,
    pre: bool,
}

impl Flow {
    fn push_text(&mut self, t: &str) {
        if self.pre {
            self.inline.push_str(t);
            return;
        }
        for ch in t.chars() {
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                if !self.inline.is_empty() && !self.inline.ends_with([' ', '\n']) {
                    self.inline.push(' ');
                }
            } else {
                self.inline.push(if ch == '\u{a0}' { ' ' } else { ch });
            }
        }
    }

    /// Closes the inline text gathered so far into a paragraph (if it holds any text).
    fn flush(&mut self, heading: Option<u8>, path: &str) {
        let text = std::mem::take(&mut self.inline);
        let text = if self.pre {
            text.replace('\u{a0}', " ")
        } else {
            text.trim_matches([' ', '\n']).to_string()
        };
        if !text.trim().is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph {
                text,
                heading,
                origin: Origin::Html {
                    path: path.to_string(),
                },
            }));
        }
    }
}

struct Walker {
    limits: Limits,
    tables: usize,
}

const SKIPPED: [&str; 7] = [
    "head", "script", "style", "template", "noscript", "title", "iframe",
];
const BLOCKS: [&str; 19] = [
    "p",
    "div",
    "pre",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "header",
    "footer",
    "main",
    "nav",
    "address",
    "center",
    "form",
];

impl Walker {
    /// Walks the children of `parent`, whose path is `path`.
    fn children(
        &mut self,
        parent: ElementRef<'_>,
        path: &str,
        out: &mut Flow,
        depth: usize,
        table_depth: usize,
    ) {
        let mut seen = Ordinals::default();
        for child in parent.children() {
            match child.value() {
                Node::Text(t) => out.push_text(t),
                Node::Element(e) => {
                    let name = e.name();
                    let n = seen.next(name);
                    let child_path = format!("{path}/{name}[{n}]");
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element(el, &child_path, out, depth + 1, table_depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(
        &mut self,
        el: ElementRef<'_>,
        path: &str,
        out: &mut Flow,
        depth: usize,
        table_depth: usize,
    ) {
        let name = el.value().name();
        if SKIPPED.contains(&name) {
            return;
        }
        if depth > self.limits.max_element_depth {
            // Too deep to walk safely: keep the text, lose the structure.
            for t in el.text() {
                out.push_text(t);
            }
            return;
        }
        let heading = match name.as_bytes() {
            [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => None,
        };
        if name == "table" && table_depth < self.limits.max_table_depth {
            out.flush(None, path);
            let table = self.table(el, path, depth, table_depth + 1);
            out.blocks.push(Block::Table(table));
        } else if name == "br" {
            out.inline.push('\n');
        } else if heading.is_some() || BLOCKS.contains(&name) || name == "table" {
            out.flush(None, path);
            let was_pre = out.pre;
            out.pre |= name == "pre";
            self.children(el, path, out, depth, table_depth);
            out.flush(heading, path);
            out.pre = was_pre;
        } else {
            self.children(el, path, out, depth, table_depth);
        }
    }

    fn table(
        &mut self,
        table: ElementRef<'_>,
        path: &str,
        depth: usize,
        table_depth: usize,
    ) -> Table {
        let index = self.tables;
        self.tables += 1;
        let mut builder = TableBuilder::new();
        let rows = rows(table, path);
        let n_rows = rows.len();
        for (tr, tr_path) in rows {
            let r = builder.start_row(Origin::Html {
                path: tr_path.clone(),
            });
            let mut col = 0;
            let mut counts = Ordinals::default();
            for cell in tr
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
            {
                let name = cell.value().name();
                let n = counts.next(name);
                let cell_path = format!("{tr_path}/{name}[{n}]");
                let mut flow = Flow::default();
                self.children(cell, &cell_path, &mut flow, depth + 2, table_depth);
                flow.flush(None, &cell_path);
                let mut texts = Vec::new();
                let mut tables = Vec::new();
                for b in flow.blocks {
                    match b {
                        Block::Paragraph(p) => texts.push(p.text),
                        Block::Table(t) => tables.push(t),
                    }
                }
                col = builder.next_free_col(r, col);
                let mut c = Cell::new(r, col, texts.join("\n"), Origin::Html { path: cell_path });
                // A row span ends with the table (as in browsers): no grid rows past the last.
                c.row_span = span(cell, "rowspan").min(n_rows - r);
                c.col_span = span(cell, "colspan")
                    .min(crate::model::MAX_SPAN_COLS.saturating_sub(col).max(1));
                c.tables = tables;
                col += c.col_span;
                builder.place(c);
            }
        }
        builder.finish(
            index,
            None,
            Origin::Html {
                path: path.to_string(),
            },
        )
    }
}

/// The rows of a table, directly or inside `thead`/`tbody`/`tfoot`, with their paths.
fn rows<'a>(table: ElementRef<'a>, path: &str) -> Vec<(ElementRef<'a>, String)> {
    let mut out = Vec::new();
    let mut tr_count = 0;
    let mut groups = Ordinals::default();
    for child in table.child_elements() {
        let name = child.value().name();
        if name == "tr" {
            tr_count += 1;
            out.push((child, format!("{path}/tr[{tr_count}]")));
        } else if matches!(name, "thead" | "tbody" | "tfoot") {
            let n = groups.next(name);
            let group_path = format!("{path}/{name}[{n}]");
            for (k, tr) in child
                .child_elements()
                .filter(|e| e.value().name() == "tr")
                .enumerate()
            {
                out.push((tr, format!("{group_path}/tr[{}]", k + 1)));
            }
        }
    }
    out
}

/// A `rowspan`/`colspan` value: 1 when absent, zero or garbage; at most 1000.
fn span(cell: ElementRef<'_>, attr: &str) -> usize {
    cell.value()
        .attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

/// XPath-style ordinals: the n-th element of each name among one parent's children.
#[derive(Default)]
struct Ordinals<'a>(Vec<(&'a str, usize)>);

impl<'a> Ordinals<'a> {
    fn next(&mut self, name: &'a str) -> usize {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.0.push((name, 1));
                1
            }
        }
    }
}
