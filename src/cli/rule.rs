//! `crmaudit rule CODE` and `crmaudit rules`: check documentation from the registry.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{DocFormat, Outcome, RuleArgs, RulesArgs};
use crate::checks::registry::{self, CHECKS};
use crate::checks::{Check, CheckMeta};

#[derive(Serialize)]
struct Explanation<'a> {
    #[serde(flatten)]
    meta: &'a CheckMeta,
    family_name: &'static str,
    summary: String,
    docs: String,
}

fn explain(meta: &'static CheckMeta) -> Explanation<'static> {
    Explanation {
        meta,
        family_name: meta.family.as_str(),
        summary: meta.summary(),
        docs: meta.docs_markdown(),
    }
}

fn markdown(meta: &CheckMeta) -> String {
    format!(
        "# {} {}\n\nFamily: {} · Default severity: {} · Dimension: {} · Scope: {:?}\n\n{}",
        meta.code,
        meta.name,
        meta.family.as_str(),
        meta.severity,
        meta.dimension.as_str(),
        meta.scope,
        meta.docs_markdown()
    )
}

pub fn rule(args: &RuleArgs) -> Result<Outcome> {
    let checks: Vec<&'static dyn Check> = if args.all {
        CHECKS.to_vec()
    } else {
        let code = args.code.as_deref().unwrap_or_default();
        match registry::find(code) {
            Some(c) => vec![c],
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
            let docs: Vec<Explanation<'_>> = checks.iter().map(|c| explain(c.meta())).collect();
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

pub fn rules(args: &RulesArgs) -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    match args.format {
        DocFormat::Markdown => {
            for c in CHECKS {
                let m = c.meta();
                writeln!(
                    out,
                    "{}  {:<30} {:<8} {:<13} {}",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.dimension.as_str(),
                    m.summary()
                )?;
            }
        }
        DocFormat::Json => {
            let docs: Vec<Explanation<'_>> = CHECKS.iter().map(|c| explain(c.meta())).collect();
            serde_json::to_writer_pretty(&mut out, &docs)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Passed)
}
