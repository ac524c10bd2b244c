//! `crmaudit history FILE [RUN]`: the runs a history database recorded, or one of them.

use std::io::Write;

use anyhow::{Result, bail};

use super::{DocFormat, HistoryArgs, Outcome};
use crate::history::History;
use crate::report::history as view;

pub fn run(args: &HistoryArgs) -> Result<Outcome> {
    if !args.file.is_file() {
        bail!("history `{}` not found", args.file.display());
    }
    let history = History::open_read_only(&args.file)?;
    let json = args.format == DocFormat::Json;
    let out = match args.run {
        None => view::runs(&history.runs()?, json)?,
        Some(n) => {
            let Some(run) = history.run(n)? else {
                bail!("history `{}` has no run {n}", args.file.display());
            };
            view::run(&run, json)?
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(Outcome::Passed)
}
