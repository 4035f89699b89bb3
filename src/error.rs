//! Errors a reader can report about one input file.
//!
//! Every error names the file; its `kind` says what is wrong in words a user can act on.

use std::path::{Path, PathBuf};

/// A file that could not be read into a document model.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    pub kind: ReadErrorKind,
}

/// What went wrong while reading a file.
#[derive(Debug, thiserror::Error)]
pub enum ReadErrorKind {
    /// The file could not be opened or read from disk.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The file has no bytes.
    #[error("empty file")]
    Empty,
    /// A format jixiao recognises but does not read (legacy .doc, PDF, xlsb …).
    #[error("{format} is not supported{hint}; supported formats: .docx, .doc, .wps, .rtf, .pdf, .xlsx, .xls, .ods, .html, plain-text Word exports (.txt)")]
    Unsupported {
        format: &'static str,
        hint: &'static str,
    },
    /// The bytes match no format jixiao knows.
    #[error("unrecognised format ({0}); supported formats: .docx, .doc, .wps, .rtf, .pdf, .xlsx, .xls, .ods, .html, plain-text Word exports (.txt)")]
    Unrecognised(&'static str),
    /// A zip container (docx, xlsx, ods) that is damaged or incomplete.
    #[error("damaged zip container: {0}")]
    Zip(String),
    /// A part inside a container that is larger than the limit allows (a zip bomb guard).
    #[error(
        "part {part} inflates to more than {limit} bytes (limit; raise it with --max-part-size)"
    )]
    TooLarge { part: String, limit: u64 },
    /// The input file itself exceeds the size limit.
    #[error("file is {size} bytes, more than the limit of {limit} bytes (raise it with --max-file-size)")]
    FileTooLarge { size: u64, limit: u64 },
    /// Malformed XML inside a Word document.
    #[error("malformed XML in {part}: {message}")]
    Xml { part: String, message: String },
    /// Tables or elements nested deeper than the limit.
    #[error("nesting deeper than {0} levels (limit)")]
    TooDeep(usize),
    /// A legacy Word document (.doc, .wps) whose structure is damaged.
    #[error("{0}")]
    Doc(String),
    /// A spreadsheet that calamine could not read.
    #[error("spreadsheet error: {0}")]
    Sheet(String),

    /// A PDF that cannot be read: damaged, needs a password, or a scan without text.
    #[error("{0}")]
    Pdf(String),
}

impl ReadError {
    pub fn new(path: &Path, kind: impl Into<ReadErrorKind>) -> Self {
        ReadError {
            path: path.to_path_buf(),
            kind: kind.into(),
        }
    }
}
