//! `crmaudit rule CODE` and `crmaudit rules`: check documentation from the registry.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{DocFormat, Outcome, RuleArgs, RulesArgs};
use crate::checks::{CheckEntry, CheckMeta, CheckSet};
use crate::config::Origin;
use crate::engine::RunConfig;
use crate::finding::Severity;

#[derive(Serialize)]
struct Explanation<'a> {
    #[serde(flatten)]
    meta: &'a CheckMeta,
    family_name: &'static str,
    summary: String,
    docs: String,
    /// How the run's configuration sets the check.
    enabled: bool,
    effective_severity: Severity,
    severity_source: &'a Origin,
}

fn explain(entry: &CheckEntry) -> Explanation<'_> {
    let meta = entry.meta();
    Explanation {
        meta,
        family_name: meta.family.as_str(),
        summary: meta.summary(),
        docs: meta.docs_markdown(),
        enabled: entry.enabled,
        effective_severity: entry.severity,
        severity_source: &entry.severity_source,
    }
}

fn markdown(meta: &CheckMeta) -> String {
    format!(
        "# {} {}\n\nFamily: {} · Default severity: {} · Dimension: {} · Scope: {:?} · Fix: {}\nDistorts: {}\n\n{}",
        meta.code,
        meta.name,
        meta.family.as_str(),
        meta.severity,
        meta.dimension.as_str(),
        meta.scope,
        meta.fix.describe(),
        meta.reports
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        meta.docs_markdown()
    )
}

pub fn rule(args: &RuleArgs) -> Result<Outcome> {
    let set = CheckSet::builtin();
    let checks: Vec<&CheckEntry> = if args.all {
        set.entries().iter().collect()
    } else {
        let code = args.code.as_deref().unwrap_or_default();
        match set.find(code) {
            Some((_, c)) => vec![c],
            None => bail!("unknown check `{code}` (see `crmaudit rules`)"),
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        DocFormat::Markdown => {
            for (i, c) in checks.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", markdown(c.meta()))?;
            }
        }
        DocFormat::Json => {
            let docs: Vec<Explanation<'_>> = checks.iter().map(|c| explain(c)).collect();
            if args.all {
                serde_json::to_writer_pretty(&mut out, &docs)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &docs[0])?;
            }
            writeln!(out)?;
        }
    }
    Ok(Outcome::Passed)
}

/// `crmaudit rules`: every check, as the rule file (if any) configures it.
pub fn rules(args: &RulesArgs) -> Result<Outcome> {
    let rule_file = super::audit::rule_file(args.config.as_deref(), args.isolated)?;
    let config = RunConfig::load(rule_file.as_deref())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        DocFormat::Markdown => {
            for c in config.checks.entries() {
                let m = c.meta();
                let state = match (c.enabled, &c.severity_source) {
                    (false, _) => " (off)".to_owned(),
                    (true, Origin::Default) => String::new(),
                    (true, source) => format!(" (severity from {source})"),
                };
                writeln!(
                    out,
                    "{}  {:<30} {:<8} {:<13} {}{state}",
                    m.code,
                    m.name,
                    c.severity.as_str(),
                    m.dimension.as_str(),
                    m.summary()
                )?;
            }
        }
        DocFormat::Json => {
            let docs: Vec<Explanation<'_>> = config.checks.entries().iter().map(explain).collect();
            serde_json::to_writer_pretty(&mut out, &docs)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Passed)
}
