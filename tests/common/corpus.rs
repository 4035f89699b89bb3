//! The committed corpus (`corpus/`), read as the tests read it.

use std::path::{Path, PathBuf};

use jixiao::model::Document;
use jixiao::read::{read_bytes, read_path, Limits};

/// A path under `corpus/`.
pub fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel)
}

/// The corpus file `rel`, read with the default limits; a read error fails the test.
pub fn read(rel: &str) -> Document {
    read_path(&corpus(rel), &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// `bytes` read as a file named `name`, the error as its message.
pub fn read_as(name: &str, bytes: &[u8]) -> Result<Document, String> {
    read_bytes(Path::new(name), bytes, &Limits::default()).map_err(|e| e.to_string())
}
