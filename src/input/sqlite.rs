//! SQLite inputs: a table or a query, opened read-only.
//!
//! Values are turned into the same text a CSV export would hold: NULL is blank, numbers
//! use their shortest decimal form, blobs are hex. The "line" of a record is its 1-based
//! row number in the result.

use std::path::Path;

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{BatchSender, Error, Header, SqliteQuery};

/// Opens a database so that reading it changes nothing on disk. Without a write-ahead
/// log beside it, as `immutable`: SQLite then takes no locks and creates no `-shm` or
/// `-wal` file, so a database in a read-only folder reads too. With a non-empty
/// `-wal` file (a WAL database not yet checkpointed) `immutable` would miss the rows
/// in the log, so the database is opened read-only the usual way.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let pending_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match absolute.to_str() {
        Some(p) if !pending_log => {
            let mut uri = String::from("file:");
            for c in p.chars() {
                match c {
                    '%' => uri.push_str("%25"),
                    '?' => uri.push_str("%3f"),
                    '#' => uri.push_str("%23"),
                    c => uri.push(c),
                }
            }
            uri.push_str("?mode=ro&immutable=1");
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        }
        _ => Connection::open_with_flags(path, flags),
    }
}

/// SQLite's authorizer, asked about every action while a statement is prepared: only
/// reading is allowed. Denied, among others: `ATTACH` (it may create a file), `PRAGMA`
/// with a value (it may change the database or the connection), transactions and
/// savepoints, and every write. A statement that asks for one does not compile.
fn read_only(cx: AuthContext<'_>) -> Authorization {
    match cx.action {
        AuthAction::Select
        | AuthAction::Read { .. }
        | AuthAction::Function { .. }
        | AuthAction::Recursive
        | AuthAction::Pragma {
            pragma_value: None, ..
        } => Authorization::Allow,
        _ => Authorization::Deny,
    }
}

pub(super) fn read(
    name: &str,
    path: &Path,
    query: &SqliteQuery,
    sender: &mut BatchSender<'_>,
) -> Result<(), Error> {
    let sql_err = |source| Error::Sqlite {
        path: name.to_owned(),
        source,
    };
    if !path.is_file() {
        return Err(Error::Open {
            path: name.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let conn = open(path).map_err(sql_err)?;
    conn.authorizer(Some(read_only));
    let sql = match query {
        SqliteQuery::Table(table) => {
            let exists: bool = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = ?1",
                    [table],
                    |row| row.get::<_, i64>(0),
                )
                .map(|n| n > 0)
                .map_err(sql_err)?;
            if !exists {
                let tables: Vec<String> = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name")
                    .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                    .map_err(sql_err)?;
                return Err(Error::SqliteUsage {
                    path: name.to_owned(),
                    message: format!(
                        "no table `{table}` (tables: {})",
                        if tables.is_empty() {
                            "none".to_owned()
                        } else {
                            tables.join(", ")
                        }
                    ),
                });
            }
            format!("SELECT * FROM \"{}\"", table.replace('"', "\"\""))
        }
        SqliteQuery::Sql(sql) => sql.clone(),
    };
    // Only queries: SQLite counts ATTACH, PRAGMA reads and transactions as read-only
    // statements too, and those may create files or change the connection. Three
    // guards: the statement's first word, SQLite's own read-only test, and the
    // authorizer, which sees what a WITH or a view would do.
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !matches!(first.as_str(), "SELECT" | "WITH" | "VALUES") {
        return Err(Error::SqliteUsage {
            path: name.to_owned(),
            message: format!("--query must be a read-only SELECT (not {first})"),
        });
    }
    let mut stmt = conn.prepare(&sql).map_err(sql_err)?;
    if !stmt.readonly() {
        return Err(Error::SqliteUsage {
            path: name.to_owned(),
            message: "--query must be a read-only SELECT".to_owned(),
        });
    }
    let columns: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let width = columns.len();
    let header = Header {
        columns,
        format: "sqlite",
        encoding: None,
        bom: false,
        delimiter: None,
        line: 0,
        record_type: None,
    };
    if !sender.header(header) {
        return Ok(());
    }
    let mut rows = stmt.query([]).map_err(sql_err)?;
    let mut line = 0u64;
    let mut text = String::new();
    while let Some(row) = rows.next().map_err(sql_err)? {
        line += 1;
        let mut record = sender.record();
        record.clear();
        for i in 0..width {
            match row.get_ref(i).map_err(sql_err)? {
                ValueRef::Null => record.push_field(b""),
                ValueRef::Integer(n) => {
                    text.clear();
                    text.push_str(&n.to_string());
                    record.push_field(text.as_bytes());
                }
                ValueRef::Real(x) => record.push_field(x.to_string().as_bytes()),
                ValueRef::Text(t) => record.push_field(t),
                ValueRef::Blob(b) => {
                    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
                    record.push_field(hex.as_bytes());
                }
            }
        }
        if !sender.push(record, line) {
            return Ok(());
        }
    }
    sender.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorizer_allows_reading_only() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x');")
            .unwrap();
        conn.authorizer(Some(read_only));
        for ok in [
            "SELECT * FROM t",
            "WITH r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r",
            "SELECT upper(a) FROM t",
            "PRAGMA user_version",
        ] {
            assert!(conn.prepare(ok).is_ok(), "{ok}");
        }
        for denied in [
            "ATTACH DATABASE ':memory:' AS o",
            "PRAGMA user_version = 5",
            "BEGIN",
            "SAVEPOINT s",
            "INSERT INTO t VALUES ('y')",
            "DELETE FROM t",
            "CREATE TABLE u (b TEXT)",
            "WITH d AS (SELECT 1) DELETE FROM t",
        ] {
            assert!(conn.prepare(denied).is_err(), "{denied}");
        }
    }
}
