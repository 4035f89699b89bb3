//! jixiao (绩效) reads Chinese public-body performance self-assessment reports — Word files,
//! Word text exports, spreadsheets and web pages — into one document model.
//!
//! The pipeline has one module per stage:
//! * [`read`]: any supported file → [`model::Document`] (ordered paragraphs and tables with
//!   spans, every piece with its [`model::Origin`]).
//!
//! ```
//! let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds/000_d660c977e1eff9a8.txt");
//! let doc = jixiao::read::read_path(&path, &Default::default()).unwrap();
//! assert_eq!(doc.source.format, jixiao::model::Format::Text);
//! assert!(doc.tables().len() >= 2);
//! ```

pub mod baseline;
pub mod batch;
pub mod check;
pub mod config;
mod decimal;
pub mod emit;
pub mod error;
pub mod extract;
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
