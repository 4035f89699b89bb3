//! jixiao (绩效) reads Chinese public-body performance self-assessment reports — Word files,
//! Word text exports, spreadsheets and web pages — into one document model.
//!
//! The pipeline has one module per stage, each depending only on the ones before it:
//! * [`read`]: any supported file → [`model::Document`] (ordered paragraphs and tables with
//!   spans, every piece with its [`model::Origin`]).
//! * [`recognize`]: exact numbers in cells and sentences, and tables cut into regions with
//!   headers, row labels, totals and 其中 groups.
//! * [`extract`]: the document's regions, figures and statements, and the named fields of its
//!   family (`extractors/*.toml`), with the roles of [`vocabulary`].
//! * [`check`]: the rules, which report [`finding::Finding`]s.
//! * [`emit`]: the output formats; [`batch`] runs the stages over many files in parallel.
//!
//! The whole pipeline on one report — read, extract, check — as `jixiao check` runs it:
//!
//! ```
//! use jixiao::{batch, check, read};
//!
//! let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
//!     .join("corpus/fixtures/fund-2023-hunan.docx");
//! let doc = read::read_path(&path, &read::Limits::default())?;
//! assert_eq!(doc.tables().len(), 4);
//!
//! let x = batch::checked(&doc, &check::Settings::default());
//! assert_eq!(x.family.as_deref(), Some("project-selfeval-table"));
//!
//! let share = x.findings.iter().find(|f| f.code == "JX201").unwrap();
//! assert_eq!(share.stated.as_deref(), Some("65.65"));
//! assert_eq!(share.computed.as_deref(), Some("65.6557"));
//! assert_eq!(share.at.to_string(), "table 2, row 4, column 11 (body/tbl[2]/tr[4]/tc[7])");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod baseline;
pub mod batch;
pub mod check;
pub mod config;
mod decimal;
pub mod emit;
pub mod error;
pub mod extract;
pub mod finding;
pub mod lang;
pub mod location;
pub mod model;
#[cfg(test)]
#[allow(dead_code)] // each test uses the collections it needs
#[path = "../tests/common/outside.rs"]
mod outside;
pub mod read;
pub mod recognize;
pub mod render;
mod scratch;
pub mod stats;
pub mod vocabulary;
