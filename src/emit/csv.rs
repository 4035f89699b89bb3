//! `extract --format csv --out DIR`: one CSV file per kind of row ([`KINDS`]), UTF-8
//! with a byte-order mark (so that Excel on Chinese Windows does not read it as GBK; `--no-bom`
//! leaves it out) and a header line, written to temporary files in DIR and renamed into place at the end,
//! so a crash never leaves a truncated `fields.csv` behind.
//!
//! Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is prefixed with `'`, so Excel or LibreOffice never evaluates it as a formula. A
//! cell that is exactly a decimal number (`-12.50`) is left as it is: spreadsheets read it as
//! a number, not a formula.

use std::io::{BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

use super::flat::{Rows, Value, KINDS};

/// The CSV files being written, one per kind.
pub struct CsvDir {
    files: Vec<(BufWriter<NamedTempFile>, &'static str)>,
    dir: std::path::PathBuf,
}

impl CsvDir {
    /// Creates DIR if needed and starts one temporary file per kind, the byte-order mark (when
    /// `bom`) and headers written.
    pub fn create(dir: &Path, bom: bool) -> std::io::Result<CsvDir> {
        std::fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        for kind in KINDS {
            let mut w = BufWriter::new(super::temp_file_in(dir)?);
            if bom {
                w.write_all("\u{feff}".as_bytes())?;
            }
            let header: Vec<&str> = kind.columns.iter().map(|(n, _)| *n).collect();
            writeln!(w, "{}", header.join(","))?;
            files.push((w, kind.name));
        }
        Ok(CsvDir {
            files,
            dir: dir.to_path_buf(),
        })
    }

    /// Appends one report's rows.
    pub fn write(&mut self, rows: Rows) -> std::io::Result<()> {
        for ((w, _), kind_rows) in self.files.iter_mut().zip(rows) {
            for row in kind_rows {
                let cells: Vec<String> = row.iter().map(cell).collect();
                writeln!(w, "{}", cells.join(","))?;
            }
        }
        Ok(())
    }

    /// Flushes every file and renames it to `<kind>.csv`.
    pub fn finish(self) -> std::io::Result<()> {
        for (w, name) in self.files {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.as_file().sync_all()?;
            file.persist(self.dir.join(format!("{name}.csv")))
                .map_err(|e| e.error)?;
        }
        Ok(())
    }
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// One CSV field: formula-guarded, quoted when it holds a comma, quote or line break.
fn cell(v: &Value) -> String {
    let text = match v {
        Value::Null => return String::new(),
        Value::Int(n) => return n.to_string(),
        Value::Text(s) => s,
    };
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal(text) {
        format!("'{text}")
    } else {
        text.clone()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(cell(&Value::from("=1+2")), "'=1+2");
        assert_eq!(cell(&Value::from("@SUM(A1)")), "'@SUM(A1)");
        assert_eq!(cell(&Value::from("+86 10")), "'+86 10");
        assert_eq!(cell(&Value::from("-")), "'-");
        assert_eq!(cell(&Value::from("\tx")), "'\tx");
        assert_eq!(cell(&Value::from("-12.50")), "-12.50");
        assert_eq!(cell(&Value::from("1,482.43")), "\"1,482.43\"");
        assert_eq!(cell(&Value::from("说 \"好\"")), "\"说 \"\"好\"\"\"");
        assert_eq!(cell(&Value::Null), "");
        assert_eq!(cell(&Value::Int(-3)), "-3");
    }
}
