//! Compiles every `extractors/*.toml` family into the binary, so that a new built-in family is
//! one new file there: writes `$OUT_DIR/built_in_families.rs`, a list of (path, text) in file
//! name order. `vocabulary.toml` is compiled in by `src/vocabulary.rs` itself.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("extractors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("extractors/ is readable")
        .map(|e| e.expect("extractors/ is readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_name().is_some_and(|n| n != "vocabulary.toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy();
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    (\"extractors/{name}\", include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("]\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("built_in_families.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
