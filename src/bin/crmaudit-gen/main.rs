//! `crmaudit-gen`: seeded synthetic CRM exports with planted defects, for the tests and
//! the benchmarks in `bench/`. A development tool, not part of the product: the audit
//! never depends on it.
//!
//! ```sh
//! crmaudit-gen --out bench/out/contacts-1000000 --contacts 1000000 --accounts 50000 --seed 1
//! ```

mod data;
mod generate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::generate::Config;

#[derive(Debug, Parser)]
#[command(
    name = "crmaudit-gen",
    version,
    about = "Write seeded synthetic CRM exports with planted defects (for tests and benchmarks)."
)]
struct Args {
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

fn main() -> ExitCode {
    let args = Args::parse();
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
    let mut stderr = std::io::stderr();
    match generate::write(&args.out, &cfg) {
        Ok(written) => {
            writeln!(
                stderr,
                "wrote {} accounts, {} contacts ({} duplicates), {} deals, {} planted defects to {}",
                written.accounts,
                written.contacts,
                written.duplicate_records,
                written.deals,
                written.defects,
                args.out.display()
            )
            .ok();
            ExitCode::SUCCESS
        }
        Err(e) => {
            writeln!(
                stderr,
                "crmaudit-gen: cannot write to `{}`: {e}",
                args.out.display()
            )
            .ok();
            ExitCode::from(2)
        }
    }
}
