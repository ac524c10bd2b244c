//! `crmaudit generate` (hidden): seeded synthetic exports for tests and benchmarks.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::Outcome;
use crate::generate::{self, Config};

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory to write accounts.csv, contacts.csv, deals.csv and defects.csv into.
    #[arg(short, long)]
    out: PathBuf,
    #[arg(long, default_value_t = 1000)]
    contacts: usize,
    /// Accounts (default: contacts / 10).
    #[arg(long)]
    accounts: Option<usize>,
    /// Deals (default: contacts / 4).
    #[arg(long)]
    deals: Option<usize>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of contacts that duplicate another contact.
    #[arg(long, default_value_t = 0.15)]
    duplicates: f64,
    /// Share of records with a planted defect.
    #[arg(long, default_value_t = 0.05)]
    defects: f64,
    /// Add the EntityId ground-truth column to contacts.
    #[arg(long)]
    labels: bool,
    /// Add multi-line Description notes to deals.
    #[arg(long)]
    notes: bool,
}

pub fn run(args: &GenerateArgs) -> Result<Outcome> {
    let cfg = Config {
        accounts: args.accounts.unwrap_or((args.contacts / 10).max(1)),
        contacts: args.contacts,
        deals: args.deals.unwrap_or(args.contacts / 4),
        seed: args.seed,
        duplicate_rate: args.duplicates.clamp(0.0, 0.9),
        defect_rate: args.defects.clamp(0.0, 1.0),
        labels: args.labels,
        notes: args.notes,
    };
    let written = generate::write(&args.out, &cfg)
        .with_context(|| format!("cannot write to `{}`", args.out.display()))?;
    writeln!(
        std::io::stderr(),
        "wrote {} accounts, {} contacts ({} duplicates), {} deals, {} planted defects to {}",
        written.accounts,
        written.contacts,
        written.duplicate_records,
        written.deals,
        written.defects,
        args.out.display()
    )
    .ok();
    Ok(Outcome::Passed)
}
