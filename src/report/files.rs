//! Output files, safe by construction.
//!
//! - Every file is first written to a temporary file created exclusively in the output
//!   folder (`tempfile`: `O_EXCL`, an unpredictable name, never through a symlink), then
//!   renamed over its target; a rename replaces a symlink planted at the target's name,
//!   it never writes through it.
//! - A run's files are made visible together ([`OutputSet::commit`]): all are written
//!   aside first; then the previous run's manifest and outputs are removed, the new files
//!   renamed into place, and `manifest.json` (the run id, each file's size and BLAKE3
//!   digest, which `b3sum` checks) written last. A folder with a manifest whose hashes match is one complete run; a run
//!   killed part way leaves either the previous run whole, or some of the new files and
//!   no manifest, never files of two runs side by side.
//! - Temporary files of killed runs (named `.crmaudit-tmp-<pid>-…`) are removed by the
//!   next run that writes to the folder, once their process is gone.
//!
//! Files are flushed, not fsynced: surviving a power loss is the file system's job
//! (ext4 and xfs order data before a replacing rename).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tempfile::TempPath;

use super::Error;

/// Prefix of every temporary file; the process id follows it.
const TEMP_PREFIX: &str = ".crmaudit-tmp-";
/// The file written last, listing the others.
pub const MANIFEST: &str = "manifest.json";
/// Every name a run may write: removed before a new run's files are moved in, so a
/// folder never mixes two runs (an old `pairs.csv` beside a new report without one).
pub const OUTPUT_NAMES: [&str; 7] = [
    "report.json",
    "report.html",
    "findings.csv",
    "summary.md",
    "fitness.csv",
    "pairs.csv",
    "clusters.csv",
];
/// The files of `crmaudit fix` besides the cleaned copies and update files (named after
/// the inputs).
pub const FIX_NAMES: [&str; 2] = ["changes.csv", "fix-summary.md"];
/// Temporary files of a process that cannot be checked for (no `/proc`) are removed
/// once this old.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

fn file_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::File {
        path: path.display().to_string(),
        source,
    }
}

/// A file written aside, with its digest.
#[derive(Debug)]
struct Staged {
    name: String,
    temp: TempPath,
    bytes: u64,
    blake3: String,
}

/// Writes `write`'s output to a new temporary file in `dir`.
fn stage(
    dir: &Path,
    name: &str,
    write: &dyn Fn(&mut dyn Write) -> Result<(), Error>,
) -> Result<Staged, Error> {
    let mut staged = stage_many(dir, &[name.to_owned()], &|outs| write(&mut *outs[0]))?;
    Ok(staged.remove(0))
}

/// What writes several files at once: one writer per file, in order.
pub type WriteMany<'a> = dyn Fn(&mut [&mut dyn Write]) -> Result<(), Error> + 'a;

/// Writes several files at once (one pass over an input feeding each): `write` gets
/// one writer per name, in order, each to a new temporary file in `dir`.
fn stage_many(dir: &Path, names: &[String], write: &WriteMany<'_>) -> Result<Vec<Staged>, Error> {
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut opened = Vec::with_capacity(names.len());
    for name in names {
        let target = dir.join(name);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // Reports are as readable as any file the user creates (the umask applies),
        // not private like a temporary file.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder.tempfile_in(dir).map_err(file_error(&target))?;
        let (file, temp) = file.into_parts();
        let out = Hashing {
            inner: BufWriter::with_capacity(256 * 1024, file),
            hasher: blake3::Hasher::new(),
            bytes: 0,
        };
        opened.push((name, target, temp, out));
    }
    let started = std::time::Instant::now();
    {
        let mut writers: Vec<&mut dyn Write> = opened
            .iter_mut()
            .map(|(_, _, _, out)| out as &mut dyn Write)
            .collect();
        write(&mut writers)?;
    }
    tracing::debug!(files = ?names, seconds = started.elapsed().as_secs_f64(), "written aside");
    let mut staged = Vec::with_capacity(opened.len());
    for (name, target, temp, out) in opened {
        out.inner
            .into_inner()
            .map_err(|e| file_error(&target)(e.into_error()))?;
        staged.push(Staged {
            name: name.clone(),
            temp,
            bytes: out.bytes,
            blake3: out.hasher.finalize().to_hex().to_string(),
        });
    }
    Ok(staged)
}

/// A writer that digests what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes one file atomically (`crmaudit init`): aside, then renamed over `path`.
pub fn write_atomic(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = stage(dir, &name, write)?;
    staged.temp.persist(path).map_err(|e| Error::File {
        path: path.display().to_string(),
        source: e.error,
    })
}

/// The files of one run, written into one folder and made visible together.
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    run_id: String,
    staged: Vec<Staged>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    tool: &'static str,
    version: &'static str,
    run_id: &'a str,
    files: Vec<ManifestFile<'a>>,
}

#[derive(Serialize)]
struct ManifestFile<'a> {
    name: &'a str,
    bytes: u64,
    blake3: &'a str,
}

impl OutputSet {
    /// Creates `dir` if needed and removes temporary files that killed runs left there.
    pub fn new(dir: &Path, run_id: &str) -> Result<OutputSet, Error> {
        fs::create_dir_all(dir).map_err(file_error(dir))?;
        remove_stale_temporaries(dir);
        Ok(OutputSet {
            dir: dir.to_owned(),
            run_id: run_id.to_owned(),
            staged: Vec::new(),
        })
    }

    /// Sets the run id the manifest records (known only once the files are written).
    pub fn set_run_id(&mut self, run_id: &str) {
        run_id.clone_into(&mut self.run_id);
    }

    /// Writes one file aside; it appears under `name` at [`OutputSet::commit`].
    pub fn write(
        &self,
        name: &str,
        write: &dyn Fn(&mut dyn Write) -> Result<(), Error>,
    ) -> Result<OutputFile, Error> {
        stage(&self.dir, name, write).map(OutputFile)
    }

    /// Writes several files aside in one go (see [`stage_many`]).
    pub fn write_many(
        &self,
        names: &[String],
        write: &WriteMany<'_>,
    ) -> Result<Vec<OutputFile>, Error> {
        Ok(stage_many(&self.dir, names, write)?
            .into_iter()
            .map(OutputFile)
            .collect())
    }

    pub fn add(&mut self, file: OutputFile) {
        self.staged.push(file.0);
    }

    /// Moves the files into place and writes the manifest; returns the paths written.
    pub fn commit(mut self) -> Result<Vec<String>, Error> {
        self.staged.sort_by(|a, b| a.name.cmp(&b.name));
        // The previous run goes first, manifest before files: from here until the new
        // manifest exists, the folder holds no complete run and says so. Removed: the
        // files this run writes, and those the previous run's manifest lists (a
        // `pairs.csv` this run does not write); no other file of the folder.
        let mut old: Vec<String> = previous_outputs(&self.dir);
        old.extend(self.staged.iter().map(|s| s.name.clone()));
        old.sort();
        old.dedup();
        for name in std::iter::once(MANIFEST.to_owned()).chain(old) {
            let path = self.dir.join(&name);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(file_error(&path)(e)),
                _ => {}
            }
        }
        let mut written = Vec::new();
        let mut files = Vec::new();
        for staged in self.staged {
            let path = self.dir.join(&staged.name);
            staged.temp.persist(&path).map_err(|e| Error::File {
                path: path.display().to_string(),
                source: e.error,
            })?;
            written.push(path.display().to_string());
            files.push((staged.name, staged.bytes, staged.blake3));
        }
        let manifest = Manifest {
            tool: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            run_id: &self.run_id,
            files: files
                .iter()
                .map(|(name, bytes, blake3)| ManifestFile {
                    name,
                    bytes: *bytes,
                    blake3,
                })
                .collect(),
        };
        let path = self.dir.join(MANIFEST);
        write_atomic(&path, &|w| {
            serde_json::to_writer_pretty(&mut *w, &manifest)?;
            Ok(w.write_all(b"\n")?)
        })?;
        written.push(path.display().to_string());
        Ok(written)
    }
}

/// The files the folder's `manifest.json` lists, when crmaudit wrote it (only names of
/// outputs, never a path elsewhere).
fn previous_outputs(dir: &Path) -> Vec<String> {
    let Ok(text) = fs::read(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    if manifest["tool"] != env!("CARGO_PKG_NAME") {
        return Vec::new();
    }
    manifest["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["name"].as_str())
        .filter(|n| OUTPUT_NAMES.contains(n) || FIX_NAMES.contains(n) || is_named_output(n))
        .map(str::to_owned)
        .collect()
}

/// A cleaned copy or update file of `crmaudit fix`: a plain `.csv`, `.tsv` or `.txt`
/// file name in the folder itself (no path, not hidden).
fn is_named_output(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && [".csv", ".tsv", ".txt"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext))
}

/// One file written aside, not yet in place.
#[derive(Debug)]
pub struct OutputFile(Staged);

/// Removes `.crmaudit-tmp-<pid>-…` files whose process is gone. Best effort: a file
/// that cannot be removed is left for a later run.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let proc_fs = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) if proc_fs => !Path::new(&format!("/proc/{pid}")).exists(),
            _ => meta
                .modified()
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > STALE_AFTER),
        };
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Refuses an output folder where a file of this run would replace one of its inputs
/// (the input itself, or a symlink to it that the run was given as the input).
pub fn check_outputs_spare_inputs(
    dir: &Path,
    inputs: &[PathBuf],
    extra: &[String],
) -> Result<(), Error> {
    let Ok(dir) = fs::canonicalize(dir) else {
        return Ok(()); // not there yet: it holds no input
    };
    let mut named: Vec<PathBuf> = Vec::new();
    for input in inputs {
        named.extend(fs::canonicalize(input).ok());
        let parent = match input.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let (Ok(parent), Some(file)) = (fs::canonicalize(parent), input.file_name()) {
            named.push(parent.join(file));
        }
    }
    // Windows and macOS file names ignore case: `Findings.csv` is `findings.csv` there.
    let same = |a: &Path, b: &Path| {
        if cfg!(any(windows, target_os = "macos")) {
            a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
        } else {
            a == b
        }
    };
    // The files this run writes, and those of the previous run there, which the commit
    // removes (a cleaned copy audited into the folder it was written to).
    let previous = previous_outputs(&dir);
    let names = std::iter::once(MANIFEST)
        .chain(OUTPUT_NAMES)
        .chain(FIX_NAMES)
        .chain(extra.iter().map(String::as_str))
        .chain(previous.iter().map(String::as_str));
    for name in names {
        let target = dir.join(name);
        if named.iter().any(|n| same(n, &target)) {
            return Err(Error::ReplacesInput {
                path: target.display().to_string(),
            });
        }
    }
    Ok(())
}
