//! `extract --format sqlite --out FILE.db`: the embedded database for backfilling. One table
//! per kind of row ([`flat::KINDS`]) keyed by the document's path, children deleted with
//! their document, a `meta` table with the `schema_version`, and a `duplicate_documents`
//! view of paths with identical content.
//!
//! Re-running replaces each document's rows (or, with `--incremental`, skips documents whose
//! content hash is unchanged). Documents are committed in groups inside transactions, so a
//! killed run leaves every document either fully in or absent, and the next run completes it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params_from_iter, Connection};

use super::flat::{Kind, Rows, Value, DOCUMENTS, FIELDS, KINDS};
use crate::batch::Stored;
use crate::check::ledger::{carries, Ledger};
use crate::extract::family::Family;
use crate::extract::{Field, SCHEMA_VERSION};

/// Documents written per transaction, at most.
const GROUP: usize = 256;

/// Longest a transaction stays open, so readers see progress and a killed run loses little.
const GROUP_TIME: std::time::Duration = std::time::Duration::from_secs(1);

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(*n),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// An open output database.
pub struct Database {
    conn: Connection,
    in_group: usize,
    group_started: std::time::Instant,
}

fn ddl(kind: &Kind) -> String {
    let mut cols: Vec<String> = kind
        .columns
        .iter()
        .map(|(n, t)| format!("\"{n}\" {t}"))
        .collect();
    cols.push(format!("PRIMARY KEY ({})", kind.key.join(", ")));
    if kind.name != DOCUMENTS.name {
        cols.push(
            "FOREIGN KEY (document) REFERENCES documents(path) ON DELETE CASCADE".to_string(),
        );
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n  {}\n) WITHOUT ROWID;",
        kind.name,
        cols.join(",\n  ")
    )
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

impl Database {
    /// Opens (or creates) the database at `path`; refuses one written with another schema.
    pub fn open(path: &Path) -> Result<Database, String> {
        let err = sql_error(path);
        let conn = Connection::open(path).map_err(&err)?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;\
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )
        .map_err(&err)?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .ok();
        match version {
            Some(v) if v != SCHEMA_VERSION.to_string() => {
                return Err(format!(
                    "{}: written with schema_version {v}; this jixiao writes {SCHEMA_VERSION} (use a new file)",
                    path.display()
                ))
            }
            Some(_) => {}
            None => {
                let mut schema: String = KINDS.iter().map(|k| ddl(k) + "\n").collect();
                schema.push_str(
                    "CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);\n\
                     CREATE INDEX IF NOT EXISTS fields_key ON fields(key);\n\
                     CREATE INDEX IF NOT EXISTS findings_code ON findings(code);\n\
                     CREATE VIEW IF NOT EXISTS duplicate_documents AS\n\
                       SELECT a.path AS path, b.path AS duplicate_of, a.sha256 AS sha256\n\
                       FROM documents a JOIN documents b ON a.sha256 = b.sha256 AND a.path <> b.path;\n",
                );
                schema.push_str(&format!(
                    "INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');\n\
                     INSERT INTO meta VALUES ('generator', 'jixiao {}');",
                    env!("CARGO_PKG_VERSION")
                ));
                conn.execute_batch(&format!("BEGIN;\n{schema}\nCOMMIT;"))
                    .map_err(&err)?;
            }
        }
        Ok(Database {
            conn,
            in_group: 0,
            group_started: std::time::Instant::now(),
        })
    }

    /// The documents stored with their content hash and what the cross-document rules need.
    pub fn stored(&self, families: &[Family]) -> rusqlite::Result<HashMap<String, Stored>> {
        let mut out = HashMap::new();
        let mut docs = self.conn.prepare(
            "SELECT path, sha256, family, department, year FROM documents WHERE status = 'ok'",
        )?;
        let mut field = self.conn.prepare(&format!(
            "SELECT value, unit, raw, scale, label, at FROM {} WHERE document = ?1 AND key = ?2",
            FIELDS.name
        ))?;
        let rows = docs.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<u32>>(4)?,
            ))
        })?;
        for row in rows {
            let (path, sha256, family, department, year) = row?;
            let mut get = |key: &str| -> Option<Field> {
                field
                    .query_row([path.as_str(), key], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, Option<u32>>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, String>(5)?,
                        ))
                    })
                    .ok()
                    .and_then(|(value, unit, raw, scale, label, at)| {
                        Some(Field {
                            value,
                            unit,
                            raw,
                            scale,
                            label,
                            at: serde_json::from_str(&at).ok()?,
                        })
                    })
            };
            let carries = carries(families, family.as_ref(), &mut get);
            let ledger = Ledger {
                path: path.clone(),
                sha256: sha256.clone(),
                department,
                year,
                carries,
            };
            out.insert(path, Stored { sha256, ledger });
        }
        Ok(out)
    }

    /// Drops the cross-document findings of these documents; the batch computes them anew.
    pub fn forget_batch_findings(&mut self, paths: &[PathBuf]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt =
                tx.prepare("DELETE FROM findings WHERE scope = 'batch' AND document = ?1")?;
            for p in paths {
                stmt.execute([p.display().to_string()])?;
            }
        }
        tx.commit()
    }

    /// Writes one report's rows: its document replaced as a whole.
    pub fn write(&mut self, rows: Rows) -> rusqlite::Result<()> {
        if rows.iter().all(Vec::is_empty) {
            return Ok(());
        }
        if self.in_group == 0 {
            self.conn.execute_batch("BEGIN")?;
            self.group_started = std::time::Instant::now();
        }
        for doc in &rows[0] {
            if let Some(Value::Text(path)) = doc.first() {
                self.conn
                    .prepare_cached("DELETE FROM documents WHERE path = ?1")?
                    .execute([path])?;
            }
        }
        for (kind, kind_rows) in KINDS.iter().zip(&rows) {
            if kind_rows.is_empty() {
                continue;
            }
            let marks = vec!["?"; kind.columns.len()].join(", ");
            let mut stmt = self.conn.prepare_cached(&format!(
                "INSERT OR REPLACE INTO {} VALUES ({marks})",
                kind.name
            ))?;
            for row in kind_rows {
                stmt.execute(params_from_iter(row.iter()))?;
            }
        }
        self.in_group += 1;
        if self.in_group >= GROUP || self.group_started.elapsed() >= GROUP_TIME {
            self.conn.execute_batch("COMMIT")?;
            self.in_group = 0;
        }
        Ok(())
    }

    /// Commits what is pending.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        if self.in_group > 0 {
            self.conn.execute_batch("COMMIT")?;
            self.in_group = 0;
        }
        Ok(())
    }
}
