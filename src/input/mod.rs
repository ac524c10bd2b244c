//! Reading CRM exports: CSV/TSV files, stdin and SQLite tables or queries.
//!
//! Every source runs on its own reader thread and sends the same messages: one
//! [`Header`], then [`Batch`]es of raw records with their line numbers. The engine
//! decides what the columns mean (`columns`, `object`) and checks the records; this
//! module only turns bytes into records and reports what it detected (encoding,
//! delimiter). It never writes to an input.

pub mod chunk;
pub mod columns;
mod csv;
mod encoding;
mod json;
pub mod locate;
pub mod object;
pub mod profile;
pub mod relations;
mod sheet;
mod sqlite;
pub mod table;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, OnceLock};
use std::thread;

use ::csv::ByteRecord;
use serde::Serialize;

pub use self::encoding::encoding_for_label;

/// Records per batch sent from a reader thread.
pub const BATCH_SIZE: usize = 4096;

/// Failures to read an input. Data problems inside a readable input are findings, not
/// these errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open `{path}`: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read `{path}` near line {line}: {source}")]
    Read {
        path: String,
        line: u64,
        source: ::csv::Error,
    },
    #[error("`{path}` is empty: a CSV export needs at least a header row")]
    Empty { path: String },
    #[error(
        "`{path}` does not look like a text export (binary data at byte {offset}); \
         pass --encoding if it is UTF-16 or another text encoding"
    )]
    Binary { path: String, offset: usize },
    #[error("`{path}`: unknown encoding `{label}`")]
    UnknownEncoding { path: String, label: String },
    #[error("`{path}`: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("`{path}`: {message}")]
    SqliteUsage { path: String, message: String },
    #[error("cannot open `{path}`: no such file")]
    NotFound { path: String },
    #[error("`{path}` is a directory, not an export")]
    Directory { path: String },
    #[error("{0}")]
    Usage(&'static str),
    #[error("`{path}`: {message}")]
    Format { path: String, message: String },
    /// The reader's own accounting failed: a bug, reported instead of a short audit.
    #[error("`{path}`: internal error: {message}")]
    Unaccounted { path: String, message: String },
}

/// Where records come from.
#[derive(Debug, Clone)]
pub enum Source {
    Csv(PathBuf),
    Stdin,
    Sqlite {
        path: PathBuf,
        query: SqliteQuery,
    },
    /// A JSON export; `kind`: the records of one type (SFDX `attributes.type`).
    Json {
        path: PathBuf,
        kind: Option<String>,
    },
    /// One sheet of a spreadsheet.
    Sheet {
        path: PathBuf,
        sheet: String,
    },
}

#[derive(Debug, Clone)]
pub enum SqliteQuery {
    Table(String),
    Sql(String),
}

/// Reader settings for one input, from the command line and the rule file's
/// `[input.<name>]` section. `None` means detect.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Lines a quoted field may span before its opening quote is taken as a stray
    /// quote (read as text).
    pub max_quoted_lines: u64,
}

/// Lines a quoted field may span by default: long notes and pasted emails stay whole,
/// a stray quote costs at most this much look-ahead.
pub const DEFAULT_MAX_QUOTED_LINES: u64 = 1000;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            encoding: None,
            max_quoted_lines: DEFAULT_MAX_QUOTED_LINES,
        }
    }
}

/// One input of a run.
#[derive(Debug, Clone)]
pub struct InputSpec {
    /// How the input is named in reports: the path as given, or `db.sqlite:table`.
    pub name: String,
    pub source: Source,
    /// What the user should know about how the file was split into inputs (a sheet
    /// left out because it is a pivot table).
    pub notes: Vec<String>,
}

impl InputSpec {
    /// What the input reads, independent of how its path was written: the canonical
    /// path and the part of the file (table, query, sheet, record type).
    fn identity(&self) -> (PathBuf, String) {
        let canonical = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        match &self.source {
            Source::Csv(p) => (canonical(p), String::new()),
            Source::Stdin => (PathBuf::from("-"), String::new()),
            Source::Sqlite { path, query } => (
                canonical(path),
                match query {
                    SqliteQuery::Table(t) => format!("table:{t}"),
                    SqliteQuery::Sql(q) => format!("query:{q}"),
                },
            ),
            Source::Json { path, kind } => (
                canonical(path),
                format!("type:{}", kind.as_deref().unwrap_or_default()),
            ),
            Source::Sheet { path, sheet } => (canonical(path), format!("sheet:{sheet}")),
        }
    }

    /// The file name used to match `[input.<name>]` sections and infer the object.
    pub fn file_name(&self) -> String {
        match &self.source {
            Source::Csv(p)
            | Source::Sqlite { path: p, .. }
            | Source::Json { path: p, .. }
            | Source::Sheet { path: p, .. } => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Source::Stdin => "-".to_owned(),
        }
    }

    /// The names a rule file's `[input."…"]` section may use for this input, most
    /// specific first: `crm.db:contacts` for a SQLite table, then the file name.
    pub fn settings_keys(&self) -> Vec<String> {
        match &self.source {
            Source::Sqlite {
                query: SqliteQuery::Table(t),
                ..
            }
            | Source::Sheet { sheet: t, .. }
            | Source::Json { kind: Some(t), .. } => {
                vec![format!("{}:{t}", self.file_name()), self.file_name()]
            }
            _ => vec![self.file_name()],
        }
    }

    /// A name for object inference: the table name for SQLite, else the file name.
    pub fn object_hint(&self) -> String {
        match &self.source {
            Source::Sqlite {
                query: SqliteQuery::Table(t),
                ..
            }
            | Source::Json { kind: Some(t), .. } => t.clone(),
            // A sheet named like an object (`Deals`) says more than the workbook.
            Source::Sheet { sheet, .. } => format!("{} {sheet}", self.file_name()),
            _ => self.file_name(),
        }
    }
}

/// Turns input arguments into specs: CSV files, stdin (`-`), or one spec per SQLite
/// `tables` entry and `queries` entry for each SQLite database. The input kind is
/// decided here, once, for every command.
pub fn specs(
    inputs: &[String],
    tables: &[String],
    queries: &[String],
) -> Result<Vec<InputSpec>, Error> {
    let mut specs = Vec::new();
    let mut used_sqlite = false;
    for name in inputs {
        if name == "-" {
            specs.push(InputSpec {
                name: "-".to_owned(),
                source: Source::Stdin,
                notes: Vec::new(),
            });
            continue;
        }
        let path = PathBuf::from(name);
        if !path.exists() {
            return Err(Error::NotFound { path: name.clone() });
        }
        if path.is_dir() {
            return Err(Error::Directory { path: name.clone() });
        }
        match kind_of(&path, name)? {
            Kind::Sqlite => {}
            Kind::Csv => {
                specs.push(InputSpec {
                    name: name.clone(),
                    source: Source::Csv(path),
                    notes: Vec::new(),
                });
                continue;
            }
            Kind::Json => {
                match json::contents(&path, name)? {
                    json::Contents::Types(_) => specs.extend(specs_of_json(&path, name)?),
                    json::Contents::Plan(files) => {
                        for file in files {
                            if !file.is_file() {
                                return Err(Error::Format {
                                    path: name.clone(),
                                    message: format!(
                                        "the data plan lists `{}`, which does not exist (an import of this plan would fail); audit the tree files themselves, without the plan",
                                        file.display()
                                    ),
                                });
                            }
                            let file_name = file.display().to_string();
                            specs.extend(specs_of_json(&file, &file_name)?);
                        }
                    }
                }
                continue;
            }
            Kind::Spreadsheet => {
                let sheets = sheet::sheets(&path, name)?;
                if sheets.records.is_empty() {
                    return Err(Error::Empty { path: name.clone() });
                }
                let notes: Vec<String> = sheets
                    .pivots
                    .iter()
                    .map(|p| {
                        format!("sheet `{p}` of {name} holds a pivot table (totals, not records): not audited")
                    })
                    .collect();
                for (i, sheet) in sheets.records.into_iter().enumerate() {
                    specs.push(InputSpec {
                        name: format!("{name}:{sheet}"),
                        source: Source::Sheet {
                            path: path.clone(),
                            sheet,
                        },
                        // Said once, on the workbook's first input.
                        notes: if i == 0 { notes.clone() } else { Vec::new() },
                    });
                }
                continue;
            }
        }
        used_sqlite = true;
        if tables.is_empty() && queries.is_empty() {
            return Err(Error::SqliteUsage {
                path: name.clone(),
                message: "this is a SQLite database: name a table with --table NAME or rows with --query \"SELECT ...\"".to_owned(),
            });
        }
        for table in tables {
            specs.push(InputSpec {
                name: format!("{name}:{table}"),
                source: Source::Sqlite {
                    path: path.clone(),
                    query: SqliteQuery::Table(table.clone()),
                },
                notes: Vec::new(),
            });
        }
        for (i, query) in queries.iter().enumerate() {
            specs.push(InputSpec {
                name: if queries.len() == 1 {
                    format!("{name}:query")
                } else {
                    format!("{name}:query{}", i + 1)
                },
                source: Source::Sqlite {
                    path: path.clone(),
                    query: SqliteQuery::Sql(query.clone()),
                },
                notes: Vec::new(),
            });
        }
    }
    if !used_sqlite && (!tables.is_empty() || !queries.is_empty()) {
        return Err(match inputs.first() {
            Some(name) => Error::Format {
                path: name.clone(),
                message: "not a SQLite database: --table and --query apply to SQLite inputs only"
                    .to_owned(),
            },
            None => Error::Usage("--table and --query apply to SQLite inputs, and none was given"),
        });
    }
    // A file named twice (given directly and listed by a data plan, or the same path
    // spelt two ways) is one input: auditing it twice would double every finding.
    let mut seen = std::collections::BTreeSet::new();
    specs.retain(|spec| seen.insert(spec.identity()));
    Ok(specs)
}

/// What kind of file an input is.
enum Kind {
    Csv,
    Sqlite,
    Json,
    Spreadsheet,
}

/// Decides an input's kind from its first bytes (and extension), and refuses files
/// that are no export at all (archives, PDFs, images, executables) with a clear error,
/// instead of auditing their bytes as one-column CSV.
fn kind_of(path: &std::path::Path, name: &str) -> Result<Kind, Error> {
    use std::io::Read;
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|source| Error::Open {
            path: name.to_owned(),
            source,
        })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let not_export = |what: &str| Error::Format {
        path: name.to_owned(),
        message: format!(
            "this is {what}, not an export crmaudit reads (CSV/TSV, JSON, XLSX/XLS/ODS, SQLite)"
        ),
    };
    if head.starts_with(b"SQLite format 3\0") {
        return Ok(Kind::Sqlite);
    }
    // Office files: OOXML/ODS are ZIP archives, XLS is an OLE2 compound file.
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if zip || ole {
        let spreadsheet_ext = matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods");
        if spreadsheet_ext || sheet::sheets(path, name).is_ok() {
            return Ok(Kind::Spreadsheet);
        }
        return Err(not_export(if zip {
            "a ZIP archive"
        } else {
            "an Office document"
        }));
    }
    if head.starts_with(b"%PDF") {
        return Err(not_export("a PDF document"));
    }
    if head.starts_with(&[0x1F, 0x8B]) {
        return Err(not_export("a gzip-compressed file (unpack it first)"));
    }
    if head.starts_with(b"\x7FELF") || head.starts_with(b"MZ") {
        return Err(not_export("a program"));
    }
    if head.starts_with(b"\x89PNG")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF8")
    {
        return Err(not_export("an image"));
    }
    // A web page saved in place of the export (a login or "session expired" page from
    // a download link) or an XML document.
    let text_start: Vec<u8> = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head)
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(16)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if text_start.starts_with(b"<!doctype html") || text_start.starts_with(b"<html") {
        return Err(not_export(
            "an HTML page (a login or error page saved instead of the export?)",
        ));
    }
    if text_start.starts_with(b"<?xml") {
        return Err(not_export("an XML document"));
    }
    if json::is_json(path, &head) {
        return Ok(Kind::Json);
    }
    Ok(Kind::Csv)
}

/// The inputs of a JSON file (one per record type).
fn specs_of_json(path: &std::path::Path, name: &str) -> Result<Vec<InputSpec>, Error> {
    match json::contents(path, name)? {
        json::Contents::Types(types) => {
            let single = types.len() == 1;
            Ok(types
                .into_iter()
                .map(|kind| InputSpec {
                    name: match (&kind, single) {
                        (Some(k), false) => format!("{name}:{k}"),
                        _ => name.to_owned(),
                    },
                    source: Source::Json {
                        path: path.to_path_buf(),
                        kind,
                    },
                    notes: Vec::new(),
                })
                .collect())
        }
        json::Contents::Plan(_) => Err(Error::Format {
            path: name.to_owned(),
            message: "a data plan lists another plan".to_owned(),
        }),
    }
}

/// What a reader found out about its input before the first record.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub columns: Vec<String>,
    /// `csv` or `sqlite`.
    pub format: &'static str,
    /// Detected or given encoding (`UTF-8`, `windows-1251`, …); `null` for SQLite.
    pub encoding: Option<String>,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// The field delimiter, for CSV.
    pub delimiter: Option<String>,
    /// 1-based line of the header row.
    #[serde(skip)]
    pub line: u64,
    /// The record type a typed export names (JSON `attributes.type`: `Account`).
    #[serde(skip)]
    pub record_type: Option<String>,
}

/// Raw records with the 1-based line each starts on.
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<ByteRecord>,
    pub lines: Vec<u64>,
    /// How each record was read (empty: nothing to note for any).
    pub flags: Vec<chunk::RecordFlags>,
    /// No records follow this batch: it is the whole rest of the input.
    pub complete: bool,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

pub enum Message {
    Header(Header),
    /// Parsed records (the first records of a CSV input, and SQLite rows).
    Batch(Batch),
    /// CSV text of whole records, parsed by the worker that checks them.
    Chunk(chunk::Chunk),
    Error(Error),
}

/// A buffer handed back to the reader for reuse.
pub enum Recycled {
    Records(Vec<ByteRecord>),
    Bytes(Vec<u8>),
}

/// The engine's ends of a reader: messages in, used buffers back out (allocations stay
/// on the reader thread and pages stay mapped, instead of being freed across threads).
pub struct Reader {
    pub messages: Receiver<Message>,
    recycle: SyncSender<Recycled>,
    physical_lines: Arc<OnceLock<u64>>,
}

impl Reader {
    /// Lines of a CSV input's text, once it has been read to the end.
    pub fn physical_lines(&self) -> Option<u64> {
        self.physical_lines.get().copied()
    }

    /// A sender of used buffers, for workers that finish batches.
    pub fn recycler(&self) -> SyncSender<Recycled> {
        self.recycle.clone()
    }
}

/// Starts the reader thread of `spec`.
pub fn spawn_reader(spec: &InputSpec, options: &ReadOptions) -> Reader {
    let (tx, rx) = sync_channel(4);
    let (recycle_tx, recycle_rx) = sync_channel(16);
    let spec = spec.clone();
    let options = options.clone();
    let physical_lines = Arc::new(OnceLock::new());
    let lines = Arc::clone(&physical_lines);
    // If the thread cannot start, `tx` is dropped with it and the engine sees a
    // reader that ended without a header, which it reports as an input error.
    let _ = thread::Builder::new()
        .name(format!("read {}", spec.name))
        .spawn(move || {
            let mut sender = BatchSender::new(&tx, recycle_rx);
            sender.physical_lines = Some(lines);
            let result = match &spec.source {
                Source::Csv(_) | Source::Stdin => self::csv::read(&spec, &options, &mut sender),
                Source::Sqlite { path, query } => {
                    sqlite::read(&spec.name, path, query, &mut sender)
                }
                Source::Json { path, kind } => {
                    json::read(&spec.name, path, kind.as_deref(), &mut sender)
                }
                Source::Sheet { path, sheet } => sheet::read(&spec.name, path, sheet, &mut sender),
            };
            if let Err(e) = result {
                // The receiver may be gone already (an earlier error stopped the run).
                let _ = tx.send(Message::Error(e));
            }
        });
    Reader {
        messages: rx,
        recycle: recycle_tx,
        physical_lines,
    }
}

/// Sends the header and records in batches, reusing record buffers the engine sends
/// back. Sending returns false when the engine hung up.
pub(crate) struct BatchSender<'a> {
    tx: &'a SyncSender<Message>,
    recycled: Receiver<Recycled>,
    spare: Vec<ByteRecord>,
    spare_bytes: Vec<Vec<u8>>,
    batch: Batch,
    physical_lines: Option<Arc<OnceLock<u64>>>,
}

impl<'a> BatchSender<'a> {
    pub(crate) fn new(tx: &'a SyncSender<Message>, recycled: Receiver<Recycled>) -> Self {
        BatchSender {
            tx,
            recycled,
            spare: Vec::new(),
            spare_bytes: Vec::new(),
            batch: Batch::default(),
            physical_lines: None,
        }
    }

    fn take_recycled(&mut self) {
        while let Ok(r) = self.recycled.try_recv() {
            match r {
                Recycled::Records(records) if self.spare.is_empty() => self.spare = records,
                Recycled::Records(_) => {}
                Recycled::Bytes(bytes) => self.spare_bytes.push(bytes),
            }
        }
    }

    /// A copy of `bytes` in a recycled buffer when one is available.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.take_recycled();
        let mut buf = self.spare_bytes.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(bytes);
        buf
    }

    /// Records the lines of the input's text, read to the end.
    pub(crate) fn set_physical_lines(&mut self, lines: u64) {
        if let Some(cell) = &self.physical_lines {
            let _ = cell.set(lines);
        }
    }

    pub(crate) fn header(&mut self, header: Header) -> bool {
        self.tx.send(Message::Header(header)).is_ok()
    }

    /// An empty record to read into: a recycled one when available.
    pub(crate) fn record(&mut self) -> ByteRecord {
        if self.spare.is_empty() {
            self.take_recycled();
        }
        self.spare.pop().unwrap_or_default()
    }

    /// Sends a whole batch (after any records pushed before it).
    pub(crate) fn batch(&mut self, batch: Batch) -> bool {
        self.flush() && self.tx.send(Message::Batch(batch)).is_ok()
    }

    /// Sends a chunk of CSV text (after any records pushed before it).
    pub(crate) fn chunk(&mut self, chunk: chunk::Chunk) -> bool {
        self.flush() && self.tx.send(Message::Chunk(chunk)).is_ok()
    }

    pub(crate) fn push(&mut self, record: ByteRecord, line: u64) -> bool {
        self.batch.records.push(record);
        self.batch.lines.push(line);
        if self.batch.len() >= BATCH_SIZE {
            return self.flush();
        }
        true
    }

    pub(crate) fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let batch = std::mem::replace(
            &mut self.batch,
            Batch {
                records: Vec::with_capacity(BATCH_SIZE),
                lines: Vec::with_capacity(BATCH_SIZE),
                flags: Vec::new(),
                complete: false,
            },
        );
        self.tx.send(Message::Batch(batch)).is_ok()
    }

    /// Sends the last records, marked as the end of the input.
    pub(crate) fn finish(&mut self) -> bool {
        self.batch.complete = true;
        self.flush()
    }
}
