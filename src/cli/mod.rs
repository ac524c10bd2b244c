//! Command-line interface: argument definitions and dispatch to one module per command.
//!
//! Exit codes (DESIGN.md §8), never reordered: `0` the gate passed, `1` the gate failed,
//! `2` a usage, configuration or input error. A closed stdout (`| head`) exits `0`.

mod audit;
mod fix;
mod history;
mod init;
mod rule;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::gate::FailOn;
use crate::report::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "crmaudit",
    version,
    about = "Audit CRM exports before they feed reports: completeness, formats, references and duplicates.",
    after_help = "Exit codes: 0 gate passed, 1 gate failed, 2 usage, configuration or input error."
)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Audit one or more exports (CSV/TSV files, `-` for stdin, SQLite databases).
    Audit(Box<AuditArgs>),
    /// Write a cleaned copy of each input with the safe fixes of the audit's findings
    /// applied, a change log and, with --update-file, files a CRM imports as updates.
    Fix(Box<FixArgs>),
    /// Print the documentation of one check.
    Rule(RuleArgs),
    /// List all checks.
    Rules(RulesArgs),
    /// Find fuzzy duplicates: clusters, pairs with their evidence, a merge plan.
    Dedupe(Box<DedupeArgs>),
    /// Write a commented rule file for an export.
    Init(InitArgs),
    /// List the runs of a history database (`audit --history FILE`), or show one.
    History(HistoryArgs),
}

/// Where records come from and how to read them (shared by `audit` and `dedupe`).
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files: CSV/TSV exports, `-` for stdin, or SQLite databases (with --table/--query).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,

    /// Rule file (default: ./crmaudit.toml if present).
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Ignore ./crmaudit.toml and use the built-in rules only.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,

    /// Write CSV outputs' cells as they are: no `'` before values a spreadsheet would
    /// run as formulas (`=`, `+`, `-`, `@`).
    #[arg(long)]
    raw_csv: bool,

    /// Write the reports into this directory.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Object type of every input (account, contact, lead, deal, task, user, generic).
    #[arg(long, value_name = "TYPE")]
    object: Option<String>,

    /// Map a column to a role, e.g. `--column email="E-mail (work)"` or, for one object
    /// type, `--column contact.email="E-mail (work)"` (repeatable).
    #[arg(long, value_name = "[OBJECT.]ROLE=HEADER")]
    column: Vec<String>,

    /// The column holding record ids (default: inferred; else the line number).
    #[arg(long, value_name = "COL")]
    id_column: Option<String>,

    /// A column of true entity ids: duplicate detection is then evaluated against it
    /// (precision, recall, F1). It is never used for matching.
    #[arg(long, value_name = "COL")]
    labels_column: Option<String>,

    /// SQLite: read this table (repeatable).
    #[arg(long, value_name = "NAME")]
    table: Vec<String>,

    /// SQLite: read the rows of this read-only query (repeatable).
    #[arg(long, value_name = "SQL")]
    query: Vec<String>,

    /// Text encoding of CSV inputs (default: detected), e.g. windows-1251, utf-16le.
    #[arg(long, value_name = "ENC")]
    encoding: Option<String>,

    /// Field delimiter of CSV inputs (default: sniffed), e.g. ';' or 'tab'.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,

    /// Worker threads (0 = one per core; at most 256).
    #[arg(short = 'j', long, default_value_t = 0)]
    threads: usize,

    /// Progress bar on stderr: auto shows it on a terminal with the human format.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    progress: When,

    /// Colour in the human format.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    color: When,

    /// Print nothing but errors (the exit code tells the verdict; --out still writes).
    #[arg(short, long)]
    quiet: bool,

    /// Start findings.csv and fitness.csv with a UTF-8 byte-order mark, so that Excel
    /// opens them with non-Latin text (Cyrillic) intact.
    #[arg(long)]
    bom: bool,

    /// Mask emails, phone numbers and names in every report and log (not in the
    /// clean / review / quarantine files), so reports can be posted in CI logs.
    #[arg(long)]
    redact: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    input: InputArgs,

    /// What to print on stdout.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,

    /// Which findings fail the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,

    #[command(flatten)]
    checks: CheckArgs,

    /// Override a check's severity, e.g. `--severity CP003=error` (repeatable).
    #[arg(long, value_name = "CODE=LEVEL")]
    severity: Vec<String>,

    /// An input with no records (or one that is not a table of its header's columns)
    /// is expected: report it as a notice (IN008 at info) instead of failing the run.
    #[arg(long)]
    allow_empty: bool,

    /// Record the run in a history database (SQLite; created if missing) and compare
    /// with the last run over the same inputs: score trend, records that moved class,
    /// new findings, fields overwritten on an unusual share of records.
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,

    /// Accept the findings a baseline file lists (written by --write-baseline):
    /// --fail-on counts only the others.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Write this run's findings as a baseline file (JSON), to accept them in later
    /// runs with --baseline.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The history database (`--history FILE` of `crmaudit audit`).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Show one run (its number in the list) instead of listing them.
    #[arg(value_name = "RUN")]
    run: Option<i64>,

    #[arg(short, long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,
}

/// Which checks run, and the date they measure against (shared by `audit` and `fix`).
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only run these checks: codes, prefixes or names, comma-separated (replaces the rule file's `select`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Option<Vec<String>>,

    /// Also run these checks, e.g. `--extend-select DU` for fuzzy duplicates (adds to the
    /// rule file's selection).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    extend_select: Option<Vec<String>>,

    /// Do not run these checks (replaces the rule file's `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Option<Vec<String>>,

    /// The date time-relative checks measure against: a date (2026-11-22), `export`
    /// (the newest timestamp in the inputs, the default) or `today`.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Apply unsafe fixes too (corrections that are a judgement: a typo in a domain, a
    /// picklist value one typo from an allowed one).
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print the changes as a diff on stdout; without --out nothing is written and the
    /// exit code is 1 when there are changes.
    #[arg(long)]
    diff: bool,

    /// Also write, per input with changes, a file of only the changed records with
    /// their id and the changed columns, for the CRM's own update import.
    #[arg(long, value_enum, value_name = "CRM")]
    update_file: Option<UpdateFileArg>,

    /// Field delimiter of the cleaned copies (default: the input's own).
    #[arg(long, value_name = "CHAR")]
    out_delimiter: Option<String>,

    /// The checks whose findings are fixed (those that run).
    #[command(flatten)]
    checks: CheckArgs,
}

/// `--update-file`: which CRM's update import to write for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UpdateFileArg {
    Salesforce,
    Hubspot,
    Generic,
}

impl From<UpdateFileArg> for crate::cleanse::UpdateShape {
    fn from(a: UpdateFileArg) -> Self {
        match a {
            UpdateFileArg::Salesforce => crate::cleanse::UpdateShape::Salesforce,
            UpdateFileArg::Hubspot => crate::cleanse::UpdateShape::Hubspot,
            UpdateFileArg::Generic => crate::cleanse::UpdateShape::Generic,
        }
    }
}

#[derive(Debug, Args)]
pub struct DedupeArgs {
    #[command(flatten)]
    input: InputArgs,

    /// What to print on stdout.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum When {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Check code or name, e.g. CP001 or required-field-blank.
    #[arg(required_unless_present = "all")]
    code: Option<String>,
    /// Print every check's documentation.
    #[arg(long)]
    all: bool,
    #[arg(short, long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(short, long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,
    /// Show the checks as this rule file configures them (default: ./crmaudit.toml if
    /// present).
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore ./crmaudit.toml and show the built-in configuration.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The files of the export to inspect (CSV/TSV, or SQLite with --table): the rule
    /// file gets a section for each, with the relations found between them.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Where to write the rule file (`-` for stdout).
    #[arg(short, long, default_value = "crmaudit.toml")]
    output: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// SQLite: a table to inspect (repeatable).
    #[arg(long)]
    table: Vec<String>,
}

/// What a command ends with.
pub enum Outcome {
    /// The gate passed (or the command has no gate).
    Passed,
    /// The gate failed.
    Failed,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Command::Audit(args) => audit::run(&args),
        Command::Dedupe(args) => audit::dedupe(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Rule(args) => rule::rule(&args),
        Command::Rules(args) => rule::rules(&args),
        Command::Init(args) => init::run(&args),
        Command::History(args) => history::run(&args),
    };
    match result {
        Ok(Outcome::Passed) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote file names and values: control characters in them are
            // shown escaped, line by line (a configuration error lists its problems on
            // lines of their own).
            let shown = |text: String| -> String {
                text.lines()
                    .map(crate::normalize::text::printable)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let mut stderr = std::io::stderr().lock();
            writeln!(stderr, "crmaudit: error: {}", shown(e.to_string())).ok();
            for cause in e.chain().skip(1) {
                writeln!(stderr, "  cause: {}", shown(cause.to_string())).ok();
            }
            ExitCode::from(2)
        }
    }
}

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &OutputFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[FailOn::Error, FailOn::Warning, FailOn::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }))
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<crate::report::Error>()
                .is_some_and(crate::report::Error::is_broken_pipe)
    })
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => tracing::Level::ERROR,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
