//! Where a figure sits: a table cell or a span of a paragraph, with the source origin.
//!
//! The data keeps 0-based indices; everything shown counts from 1, as a Word or spreadsheet
//! user does: `table 3, row 5, column 2 (C7 on sheet 附件2)` (第3张表 第5行 第2列), the
//! logical location `table[3]/r5c2`, and paragraphs numbered as the document counts them
//! (`paragraph 12` for `body/p[12]`), not by the model's block index.

use serde::Serialize;

use crate::lang::Lang;
use crate::model::Origin;

/// The place of a figure in the document model (indices are 0-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "in", rename_all = "lowercase")]
pub enum At {
    /// A table cell: model table index, grid row and column.
    Cell {
        table: usize,
        row: usize,
        col: usize,
        origin: Origin,
    },
    /// Characters `span` of top-level block `block` (a paragraph).
    Text {
        block: usize,
        span: (usize, usize),
        origin: Origin,
    },
    /// The document as a whole (a duplicate of another file, say).
    Document,
}

impl At {
    /// A stable, format-independent name, counted from 1: `table[3]/r5c2` (table, row and
    /// column), `p[12]/c6-10` (paragraph as the document counts it, characters inclusive).
    pub fn logical(&self) -> String {
        match self {
            At::Cell {
                table, row, col, ..
            } => {
                let mut n = itoa::Buffer::new();
                let mut name = ["table[", n.format(table + 1), "]/r"].concat();
                name.push_str(n.format(row + 1));
                name.push('c');
                name.push_str(n.format(col + 1));
                name
            }
            At::Text { span, .. } => {
                let mut n = itoa::Buffer::new();
                let mut name = ["p[", n.format(self.paragraph().unwrap_or(0)), "]/c"].concat();
                name.push_str(n.format(span.0 + 1));
                name.push('-');
                name.push_str(n.format(span.1));
                name
            }
            At::Document => "document".to_string(),
        }
    }

    /// The paragraph's number as the document counts it: from its origin (`body/p[12]` → 12)
    /// where the source numbers paragraphs, else its place among the blocks (from 1).
    pub fn paragraph(&self) -> Option<usize> {
        let At::Text { block, origin, .. } = self else {
            return None;
        };
        let counted = match origin {
            Origin::Docx { path } | Origin::Doc { path } | Origin::Html { path } => path
                .rsplit_once("p[")
                .filter(|(_, rest)| !rest.contains('/'))
                .and_then(|(_, rest)| rest.strip_suffix(']'))
                .and_then(|n| n.parse().ok()),
            Origin::Lines { .. } | Origin::Sheet { .. } | Origin::Pdf { .. } => None,
        };
        Some(counted.unwrap_or(block + 1))
    }

    /// The place for people, in `lang`, counted from 1 (`table 3, row 5, column 2 (…)`,
    /// `第3张表 第5行 第2列（…）`).
    pub fn describe(&self, lang: Lang) -> String {
        let place = self.describe_in_document(lang);
        let (At::Cell { origin, .. } | At::Text { origin, .. }) = self else {
            return place;
        };
        // A PDF's page comes first, as a reader finds the place: page 5, table 1, row 3 …
        let pdf = matches!(origin, crate::model::Origin::Pdf { .. });
        match (lang, pdf) {
            (Lang::En, true) => format!("{}, {place}", origin.describe(lang)),
            (Lang::Zh, true) => format!("{} {place}", origin.describe(lang)),
            (Lang::En, false) => format!("{place} ({})", origin.describe(lang)),
            (Lang::Zh, false) => format!("{place}（{}）", origin.describe(lang)),
        }
    }

    /// The place in the document's own numbering: table, row and column, or paragraph and
    /// characters.
    fn describe_in_document(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                At::Cell {
                    table, row, col, ..
                },
                Lang::En,
            ) => {
                format!("table {}, row {}, column {}", table + 1, row + 1, col + 1)
            }
            (
                At::Cell {
                    table, row, col, ..
                },
                Lang::Zh,
            ) => {
                format!("第{}张表 第{}行 第{}列", table + 1, row + 1, col + 1)
            }
            (At::Text { span, .. }, Lang::En) => format!(
                "paragraph {}, characters {}–{}",
                self.paragraph().unwrap_or(0),
                span.0 + 1,
                span.1
            ),
            (At::Text { span, .. }, Lang::Zh) => format!(
                "第{}段 第{}–{}字",
                self.paragraph().unwrap_or(0),
                span.0 + 1,
                span.1
            ),
            (At::Document, Lang::En) => "the whole document".to_string(),
            (At::Document, Lang::Zh) => "整个文档".to_string(),
        }
    }

    /// The lines of a text export the place is on, for SARIF regions and annotations.
    pub fn lines(&self) -> Option<(usize, usize)> {
        match self.origin()? {
            Origin::Lines { first, last } => Some((*first, *last)),
            _ => None,
        }
    }

    /// Where in the source file, when the place is a part of the document.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            At::Cell { origin, .. } | At::Text { origin, .. } => Some(origin),
            At::Document => None,
        }
    }

    /// Sort key that follows reading order within a document.
    pub fn sort_key(&self) -> (usize, usize, usize, usize) {
        match self {
            At::Cell {
                table, row, col, ..
            } => (1, *table, *row, *col),
            At::Text { block, span, .. } => (0, *block, span.0, span.1),
            At::Document => (0, 0, 0, 0),
        }
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_places_name_table_cells_and_paragraph_spans() {
        let origin = Origin::Docx {
            path: "body/tbl[4]/tr[6]/tc[3]".into(),
        };
        let cell = At::Cell {
            table: 3,
            row: 5,
            col: 2,
            origin: origin.clone(),
        };
        assert_eq!(cell.logical(), "table[4]/r6c3");
        assert_eq!(
            cell.describe(Lang::En),
            "table 4, row 6, column 3 (body/tbl[4]/tr[6]/tc[3])"
        );
        assert_eq!(
            cell.describe(Lang::Zh),
            "第4张表 第6行 第3列（body/tbl[4]/tr[6]/tc[3]）"
        );
        // A paragraph is numbered as the document counts it, not by its block index.
        let text = At::Text {
            block: 12,
            span: (5, 10),
            origin: Origin::Docx {
                path: "body/p[9]".into(),
            },
        };
        assert_eq!(text.logical(), "p[9]/c6-10");
        assert_eq!(
            text.describe(Lang::En),
            "paragraph 9, characters 6–10 (body/p[9])"
        );
        let export = At::Text {
            block: 12,
            span: (0, 4),
            origin: Origin::Lines {
                first: 40,
                last: 41,
            },
        };
        assert_eq!(export.logical(), "p[13]/c1-4");
        assert_eq!(export.lines(), Some((40, 41)));
        assert_eq!(At::Document.logical(), "document");
    }
}
