//! Where a figure sits: a table cell or a span of a paragraph, with the source origin.
//!
//! Rendered for people as `table 3, row 5, col 2 (C7 on sheet 附件2)` and for SARIF as the
//! logical location `table[3]/r5c2`; Word files have no line numbers to point at.

use serde::Serialize;

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
    /// A stable, format-independent name such as `table[3]/r5c2` or `block[12]/c5-10`.
    pub fn logical(&self) -> String {
        match self {
            At::Cell {
                table, row, col, ..
            } => {
                let mut n = itoa::Buffer::new();
                let mut name = ["table[", n.format(*table), "]/r"].concat();
                name.push_str(n.format(*row));
                name.push('c');
                name.push_str(n.format(*col));
                name
            }
            At::Text { block, span, .. } => {
                let mut n = itoa::Buffer::new();
                let mut name = ["block[", n.format(*block), "]/c"].concat();
                name.push_str(n.format(span.0));
                name.push('-');
                name.push_str(n.format(span.1));
                name
            }
            At::Document => "document".to_string(),
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
        match self {
            At::Cell {
                table,
                row,
                col,
                origin,
            } => write!(f, "table {table}, row {row}, col {col} ({origin})"),
            At::Text {
                block,
                span,
                origin,
            } => write!(
                f,
                "paragraph {block}, chars {}-{} ({origin})",
                span.0, span.1
            ),
            At::Document => write!(f, "the whole document"),
        }
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
        assert_eq!(cell.logical(), "table[3]/r5c2");
        let text = At::Text {
            block: 12,
            span: (5, 10),
            origin,
        };
        assert_eq!(text.logical(), "block[12]/c5-10");
        assert_eq!(At::Document.logical(), "document");
    }
}
