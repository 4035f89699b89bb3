//! Dependencies between the crate's top-level modules point one way: no module reaches,
//! through `crate::` paths outside tests and comments, one that reaches back to it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The `.rs` files of a top-level module (a file, or a folder of them).
fn files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        out.extend(files(&entry.unwrap().path()));
    }
    out.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    out
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, Vec<std::path::PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let is_module = path.is_dir() || path.extension().is_some_and(|e| e == "rs");
        if is_module && name != "lib" && name != "main" {
            modules.insert(name, files(&path));
        }
    }
    let path = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let mut uses: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (module, paths) in &modules {
        let entry = uses.entry(module).or_default();
        for p in paths {
            let text = std::fs::read_to_string(p).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for c in path.captures_iter(line) {
                    if &c[1] != module && modules.contains_key(&c[1]) {
                        entry.insert(c[1].to_string());
                    }
                }
            }
        }
    }
    assert!(uses["check"].contains("extract") && uses["emit"].contains("batch"));
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::from([from.to_string()]);
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            for next in &uses[m.as_str()] {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        false
    };
    let cycles: Vec<String> = uses
        .iter()
        .flat_map(|(m, used)| used.iter().map(move |u| (*m, u.as_str())))
        .filter(|(m, u)| reaches(u, m))
        .map(|(m, u)| format!("{m} → {u} → … → {m}"))
        .collect();
    assert!(cycles.is_empty(), "{cycles:#?}");
}
