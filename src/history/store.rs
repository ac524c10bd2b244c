//! The history database: its schema, writing a run, reading the last one back.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::trust::Class;

/// Version of the history schema, kept in `meta`.
const SCHEMA: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("history `{path}`: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error(
        "history `{path}` was written by a newer crmaudit (schema {found}, this one reads {SCHEMA})"
    )]
    Newer { path: String, found: i64 },
    #[error(
        "`{path}` is a SQLite database but no crmaudit history: it is left alone (name a new file for --history)"
    )]
    Foreign { path: String },
}

/// An open history.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

/// One run as it is recorded.
pub struct Snapshot<'a> {
    /// Which inputs the run read (their file names, sorted): runs of the same dataset
    /// are compared.
    pub dataset: String,
    pub run_id: &'a str,
    pub recorded_at: String,
    pub rules_hash: String,
    /// Per input: file name, size in bytes, records, columns.
    pub inputs: Vec<InputPrint>,
    /// The report's summary and gate, as JSON.
    pub summary: String,
    pub score: f64,
    pub records: usize,
    pub findings: usize,
    pub passed: bool,
    /// Per code: findings, records.
    pub codes: Vec<(String, usize, usize)>,
    /// Fingerprints of every finding.
    pub fingerprints: Vec<u64>,
    /// Per input, per record.
    pub rows: Vec<Vec<RecordRow<'a>>>,
}

/// What identifies an input between runs.
#[derive(Debug, Clone, Serialize)]
pub struct InputPrint {
    pub name: String,
    pub bytes: Option<u64>,
    pub records: usize,
    pub columns: Vec<String>,
}

/// One record of a run.
pub struct RecordRow<'a> {
    pub record_id: &'a str,
    pub score: f32,
    pub class: Class,
    /// Fingerprint of the record's findings (0 without findings).
    pub findings: u64,
    /// A digest of each field, in column order.
    pub digests: &'a [u32],
}

/// The last run of a dataset, as the next run compares with it.
pub struct Previous {
    pub run: i64,
    pub run_id: String,
    pub score: f64,
    pub fingerprints: FxHashSet<u64>,
    /// Per input file name: its columns, and per record id its class and digests.
    pub inputs: FxHashMap<String, PreviousInput>,
}

pub struct PreviousInput {
    pub columns: Vec<String>,
    pub records: FxHashMap<String, (Class, Vec<u32>)>,
}

/// One run as `crmaudit history FILE RUN` shows it: its row, its summary (JSON) and its
/// findings and records per code.
pub type RunDetail = (RunRow, String, Vec<(String, i64, i64)>);

/// A run as `crmaudit history` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    pub run: i64,
    pub run_id: String,
    pub recorded_at: String,
    pub dataset: String,
    pub records: i64,
    pub findings: i64,
    pub score: f64,
    pub passed: bool,
}

/// The schema version a history keeps in `meta`; `None` for a database that is none.
fn schema_of(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    let has_meta: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    if has_meta == 0 {
        return Ok(None);
    }
    conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
        r.get(0)
    })
    .optional()
}

impl RunRow {
    /// A row of `SELECT run, run_id, recorded_at, dataset, records, findings, score,
    /// passed …`.
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
        Ok(RunRow {
            run: r.get(0)?,
            run_id: r.get(1)?,
            recorded_at: r.get(2)?,
            dataset: r.get(3)?,
            records: r.get(4)?,
            findings: r.get(5)?,
            score: r.get(6)?,
            passed: r.get(7)?,
        })
    }
}

fn class_name(c: Class) -> &'static str {
    c.as_str()
}

fn parse_class(s: &str) -> Class {
    match s {
        "quarantine" => Class::Quarantine,
        "review" => Class::Review,
        _ => Class::Clean,
    }
}

impl History {
    /// Opens an existing history to read it; nothing is written.
    pub fn open_read_only(path: &Path) -> Result<History, Error> {
        let err = |source| Error::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(err)?;
        match schema_of(&conn).map_err(err)? {
            Some(v) if v > SCHEMA => Err(Error::Newer {
                path: path.display().to_string(),
                found: v,
            }),
            Some(_) => Ok(History {
                conn,
                path: path.to_path_buf(),
            }),
            None => Err(Error::Foreign {
                path: path.display().to_string(),
            }),
        }
    }

    /// Opens (creating if need be) the history at `path`. A SQLite database that holds
    /// other tables and no history is refused, never written into.
    pub fn open(path: &Path) -> Result<History, Error> {
        let err = |source| Error::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if tables > 0 && schema_of(&conn).map_err(err)?.is_none() {
            return Err(Error::Foreign {
                path: path.display().to_string(),
            });
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS runs (
                 run INTEGER PRIMARY KEY AUTOINCREMENT,
                 run_id TEXT NOT NULL,
                 recorded_at TEXT NOT NULL,
                 dataset TEXT NOT NULL,
                 rules_hash TEXT NOT NULL,
                 inputs TEXT NOT NULL,
                 summary TEXT NOT NULL,
                 score REAL NOT NULL,
                 records INTEGER NOT NULL,
                 findings INTEGER NOT NULL,
                 passed INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS runs_dataset ON runs (dataset, run);
             CREATE TABLE IF NOT EXISTS codes (
                 run INTEGER NOT NULL, code TEXT NOT NULL,
                 findings INTEGER NOT NULL, records INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS findings (run INTEGER NOT NULL, fingerprint INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS findings_run ON findings (run);
             CREATE TABLE IF NOT EXISTS records (
                 run INTEGER NOT NULL, input TEXT NOT NULL, record_id TEXT NOT NULL,
                 score REAL NOT NULL, class TEXT NOT NULL, findings INTEGER NOT NULL,
                 digests BLOB NOT NULL);
             CREATE INDEX IF NOT EXISTS records_run ON records (run);",
        )
        .map_err(err)?;
        match schema_of(&conn).map_err(err)? {
            Some(v) if v > SCHEMA => {
                return Err(Error::Newer {
                    path: path.display().to_string(),
                    found: v,
                });
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    params![SCHEMA],
                )
                .map_err(err)?;
            }
        }
        Ok(History {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// The last run of `dataset`, with what the next run compares.
    pub fn last(&self, dataset: &str) -> Result<Option<Previous>, Error> {
        let err = self.err();
        let row: Option<(i64, String, f64, String)> = self
            .conn
            .query_row(
                "SELECT run, run_id, score, inputs FROM runs WHERE dataset = ?1 ORDER BY run DESC LIMIT 1",
                params![dataset],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(&err)?;
        let Some((run, run_id, score, inputs_json)) = row else {
            return Ok(None);
        };
        let prints: Vec<serde_json::Value> = serde_json::from_str(&inputs_json).unwrap_or_default();
        let mut inputs: FxHashMap<String, PreviousInput> = FxHashMap::default();
        for p in prints {
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let columns = p["columns"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| c.as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            inputs.insert(
                name,
                PreviousInput {
                    columns,
                    records: FxHashMap::default(),
                },
            );
        }
        let mut fingerprints = FxHashSet::default();
        let mut stmt = self
            .conn
            .prepare("SELECT fingerprint FROM findings WHERE run = ?1")
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![run], |r| r.get::<_, i64>(0))
            .map_err(&err)?;
        for fp in rows {
            fingerprints.insert(fp.map_err(&err)? as u64);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT input, record_id, class, digests FROM records WHERE run = ?1")
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![run], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(&err)?;
        for row in rows {
            let (input, id, class, blob) = row.map_err(&err)?;
            let digests = blob
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            inputs
                .entry(input)
                .or_insert_with(|| PreviousInput {
                    columns: Vec::new(),
                    records: FxHashMap::default(),
                })
                .records
                .entry(id)
                .or_insert((parse_class(&class), digests));
        }
        Ok(Some(Previous {
            run,
            run_id,
            score,
            fingerprints,
            inputs,
        }))
    }

    /// Writes a run in one transaction; returns its number.
    pub fn record(&mut self, s: &Snapshot<'_>) -> Result<i64, Error> {
        let path = self.path.display().to_string();
        let err = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        let inputs = serde_json::to_string(&s.inputs).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "INSERT INTO runs (run_id, recorded_at, dataset, rules_hash, inputs, summary, score, records, findings, passed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                s.run_id,
                s.recorded_at,
                s.dataset,
                s.rules_hash,
                inputs,
                s.summary,
                s.score,
                s.records as i64,
                s.findings as i64,
                s.passed
            ],
        )
        .map_err(err)?;
        let run = tx.last_insert_rowid();
        {
            let mut codes = tx
                .prepare("INSERT INTO codes (run, code, findings, records) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err)?;
            for (code, findings, records) in &s.codes {
                codes
                    .execute(params![run, code, *findings as i64, *records as i64])
                    .map_err(err)?;
            }
            let mut findings = tx
                .prepare("INSERT INTO findings (run, fingerprint) VALUES (?1, ?2)")
                .map_err(err)?;
            for fp in &s.fingerprints {
                findings.execute(params![run, *fp as i64]).map_err(err)?;
            }
            let mut records = tx
                .prepare(
                    "INSERT INTO records (run, input, record_id, score, class, findings, digests)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err)?;
            let mut blob = Vec::new();
            for (input, rows) in s.inputs.iter().zip(&s.rows) {
                for row in rows {
                    blob.clear();
                    for d in row.digests {
                        blob.extend_from_slice(&d.to_le_bytes());
                    }
                    records
                        .execute(params![
                            run,
                            input.name,
                            row.record_id,
                            f64::from(row.score),
                            class_name(row.class),
                            row.findings as i64,
                            blob
                        ])
                        .map_err(err)?;
                }
            }
        }
        tx.commit().map_err(err)?;
        Ok(run)
    }

    /// Every run, newest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, Error> {
        let err = self.err();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT run, run_id, recorded_at, dataset, records, findings, score, passed
                 FROM runs ORDER BY run DESC",
            )
            .map_err(&err)?;
        let rows = stmt.query_map([], RunRow::read).map_err(&err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&err)
    }

    /// One run: its row, its summary (JSON) and its counts per code.
    pub fn run(&self, run: i64) -> Result<Option<RunDetail>, Error> {
        let err = self.err();
        let row = self
            .conn
            .query_row(
                "SELECT run, run_id, recorded_at, dataset, records, findings, score, passed, summary
                 FROM runs WHERE run = ?1",
                params![run],
                |r| Ok((RunRow::read(r)?, r.get::<_, String>(8)?)),
            )
            .optional()
            .map_err(&err)?;
        let Some((row, summary)) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare("SELECT code, findings, records FROM codes WHERE run = ?1 ORDER BY code")
            .map_err(&err)?;
        let codes = stmt
            .query_map(params![run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        Ok(Some((row, summary, codes)))
    }
}
