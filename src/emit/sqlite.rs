//! `extract --format sqlite --out FILE.db`: the embedded database for backfilling. One table
//! per kind of row ([`KINDS`]); `documents` has an integer `id` (and a unique `path`),
//! the other tables key their rows by `document_id` and are deleted with their document, a `meta` table with the `schema_version`, and a `duplicate_documents`
//! view of paths with identical content.
//!
//! Re-running replaces each document's rows (or, with `--incremental`, skips documents whose
//! content hash is unchanged). Documents are committed in groups inside transactions, so a
//! killed run leaves every document either fully in or absent, and the next run completes it;
//! a group is also committed when the batch stalls ([`crate::batch::Delivery::Stalled`]), so
//! the database is never left locked while jixiao waits.

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

/// The SQL name of a flat column: the path that ties rows to their document is stored as the
/// document's integer id.
pub fn sql_column(name: &str) -> &str {
    if name == "document" {
        "document_id"
    } else {
        name
    }
}

fn ddl(kind: &Kind) -> String {
    let documents = kind.name == DOCUMENTS.name;
    let mut cols: Vec<String> = Vec::new();
    if documents {
        cols.push("\"id\" INTEGER PRIMARY KEY".to_string());
    }
    cols.extend(kind.columns.iter().map(|(n, t)| match *n {
        "document" => "\"document_id\" INTEGER NOT NULL".to_string(),
        _ => format!("\"{n}\" {t}"),
    }));
    let key: Vec<&str> = kind.key.iter().map(|k| sql_column(k)).collect();
    if documents {
        cols.push(format!("UNIQUE ({})", key.join(", ")));
    } else {
        cols.push(format!("PRIMARY KEY ({})", key.join(", ")));
        cols.push(
            "FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE".to_string(),
        );
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n  {}\n){};",
        kind.name,
        cols.join(",\n  "),
        if documents { "" } else { " WITHOUT ROWID" }
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
        // A page cache of 32 MiB (SQLite's default is 2 MiB) holds a group of documents'
        // pages until its commit instead of spilling them to the file mid-transaction.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;\
             PRAGMA cache_size = -32768;\
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

    /// The documents stored, with their content hash and what the cross-document rules need
    /// of them.
    pub fn stored(&self, families: &[Family]) -> std::io::Result<Stored> {
        let sql = |e: rusqlite::Error| std::io::Error::other(e.to_string());
        let mut out = Stored::default();
        let mut docs = self
            .conn
            .prepare(
                "SELECT path, sha256, family, department, year, id FROM documents \
                 WHERE status = 'ok'",
            )
            .map_err(sql)?;
        let mut field = self
            .conn
            .prepare(&format!(
                "SELECT value, unit, raw, scale, label, at FROM {} \
                 WHERE document_id = ?1 AND key = ?2",
                FIELDS.name
            ))
            .map_err(sql)?;
        let rows = docs
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    // A missing hash reads as none: the document counts as changed.
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<u32>>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (path, sha256, family, department, year, id) = row.map_err(sql)?;
            let mut get = |key: &str| -> Option<Field> {
                field
                    .query_row(rusqlite::params![id, key], |r| {
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
            out.insert(&Ledger {
                path,
                sha256,
                department,
                year,
                carries,
            })?;
        }
        Ok(out)
    }

    /// Drops the cross-document findings of these documents; the batch computes them anew.
    pub fn forget_batch_findings(&mut self, paths: &[PathBuf]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt =
                tx.prepare("DELETE FROM findings WHERE scope = 'batch' AND document_id = (SELECT id FROM documents WHERE path = ?1)")?;
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
        // The document row first (replacing an earlier one and, by cascade, its rows), then
        // every other row with the document's path turned into its id.
        let mut ids: HashMap<String, i64> = HashMap::new();
        for doc in &rows[0] {
            if let Some(Value::Text(path)) = doc.first() {
                self.conn
                    .prepare_cached("DELETE FROM documents WHERE path = ?1")?
                    .execute([path])?;
                let columns: Vec<&str> = DOCUMENTS.columns.iter().map(|(n, _)| *n).collect();
                let marks = vec!["?"; columns.len()].join(", ");
                self.conn
                    .prepare_cached(&format!(
                        "INSERT INTO documents ({}) VALUES ({marks})",
                        columns.join(", ")
                    ))?
                    .execute(params_from_iter(doc.iter()))?;
                ids.insert(path.clone(), self.conn.last_insert_rowid());
            }
        }
        for (kind, kind_rows) in KINDS.iter().zip(&rows).skip(1) {
            if kind_rows.is_empty() {
                continue;
            }
            let marks = vec!["?"; kind.columns.len()].join(", ");
            let mut insert = self.conn.prepare_cached(&format!(
                "INSERT OR REPLACE INTO {} VALUES ({marks})",
                kind.name
            ))?;
            for row in kind_rows {
                let Some(Value::Text(path)) = row.first() else {
                    continue;
                };
                let id = match ids.get(path) {
                    Some(id) => *id,
                    None => {
                        // Findings about a document written earlier (cross-document rules).
                        let id: i64 = self
                            .conn
                            .prepare_cached("SELECT id FROM documents WHERE path = ?1")?
                            .query_row([path], |r| r.get(0))?;
                        ids.insert(path.clone(), id);
                        id
                    }
                };
                let first = Value::Int(id);
                insert.execute(params_from_iter(std::iter::once(&first).chain(&row[1..])))?;
            }
        }
        self.in_group += 1;
        if self.in_group >= GROUP || self.group_started.elapsed() >= GROUP_TIME {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits what is pending.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        self.commit()
    }

    /// Commits the documents written since the last commit, if any.
    pub fn commit(&mut self) -> rusqlite::Result<()> {
        if self.in_group > 0 {
            self.conn.execute_batch("COMMIT")?;
            self.in_group = 0;
        }
        Ok(())
    }
}
