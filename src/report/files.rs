//! Atomic output files: write to a temporary file beside the target, flush, rename.
//! A crash or a full disk leaves the previous report (or none), never half of one.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Error;

pub fn write_atomic(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let file_err = |source| Error::File {
        path: path.display().to_string(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).map_err(file_err)?;
        let mut out = BufWriter::with_capacity(256 * 1024, file);
        write(&mut out)?;
        // Flushed, not fsynced: the rename makes a crashed or killed run leave the
        // previous report or none, never half of one; surviving a power loss is the
        // file system's job (ext4 and xfs order data before a replacing rename).
        out.into_inner().map_err(|e| file_err(e.into_error()))?;
        fs::rename(&tmp, path).map_err(file_err)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
