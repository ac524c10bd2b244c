//! `crmaudit init INPUT`: reads the export's header and first records, infers what
//! `audit` would, and writes that down as a commented rule file to edit.
//! Refuses to overwrite an existing file unless `--force`.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};

use super::{InitArgs, Outcome};
use crate::config::{FieldRef, Settings};
use crate::engine::{self, InputOptions, RunConfig};
use crate::input::columns::Role;
use crate::input::profile::InputProfile;
use crate::input::{self, InputSpec};

pub fn run(args: &InitArgs) -> Result<Outcome> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && args.output.exists() && !args.force {
        bail!(
            "`{}` already exists (use --force to overwrite)",
            args.output.display()
        );
    }
    let tables: Vec<String> = args.table.iter().cloned().collect();
    let specs = input::specs(std::slice::from_ref(&args.input), &tables, &[])?;
    let [spec] = &specs[..] else {
        bail!("`crmaudit init` inspects one input at a time (one --table for a SQLite database)");
    };
    let config = RunConfig::compile(Settings::builtin())?;
    let profile = engine::profile(spec, &config, &InputOptions::default())?;
    let text = template(spec, &profile, &config.settings);
    if to_stdout {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        crate::report::write_atomic(&args.output, &|w| Ok(w.write_all(text.as_bytes())?))?;
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "wrote {} ({} export, {} columns); check it with: crmaudit audit {} -c {}",
            args.output.display(),
            profile.object,
            profile.width(),
            args.input,
            args.output.display()
        )
        .ok();
    }
    Ok(Outcome::Passed)
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn template(spec: &InputSpec, plan: &InputProfile, settings: &Settings) -> String {
    let object = plan.object;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# crmaudit rule file, written by `crmaudit init {}`.",
        spec.name
    );
    let _ = writeln!(
        t,
        "# Reference: `crmaudit rules` lists the checks, `crmaudit rule CODE` documents one."
    );
    let _ = writeln!(
        t,
        "# The built-in defaults always apply first; this file overrides them.\n"
    );
    let _ = writeln!(
        t,
        "# Built-in packs with picklists and conventions: builtin:salesforce, builtin:hubspot, builtin:russian"
    );
    let _ = writeln!(t, "extends = []\n");
    let _ = writeln!(t, "[checks]");
    let _ = writeln!(
        t,
        "# select = [\"CP\", \"FM\", \"DU\", \"RF\"]   # codes, prefixes or names; default: all"
    );
    let _ = writeln!(t, "ignore = []");
    let _ = writeln!(t, "[checks.severity]");
    let _ = writeln!(t, "# CP003 = \"error\"\n");

    let _ = writeln!(t, "[input.{}]", quote(&spec.file_name()));
    let _ = writeln!(
        t,
        "object = {}   # detected from: {}",
        quote(object.as_str()),
        plan.object_source
    );
    match plan.id_column {
        Some(c) => {
            let _ = writeln!(t, "id-column = {}", quote(plan.header_name(c)));
        }
        None => {
            let _ = writeln!(
                t,
                "# id-column = \"Id\"   # none detected: records are named by line number"
            );
        }
    }
    if let Some(enc) = &plan.header.encoding {
        let _ = writeln!(t, "# encoding = {}   # detected", quote(enc));
    }
    if let Some(d) = &plan.header.delimiter {
        let _ = writeln!(
            t,
            "# delimiter = {}   # detected",
            quote(if d == "\t" { "tab" } else { d })
        );
    }
    let _ = writeln!(
        t,
        "date-order = {}   # mdy (11/22/2026) or dmy (22/11/2026)",
        quote(plan.locale.date_order.as_str())
    );
    let _ = writeln!(t, "decimal = {}\n", quote(plan.locale.decimal.as_str()));

    let _ = writeln!(
        t,
        "# Column roles: what each header means. Inferred ones are set; edit or add."
    );
    let _ = writeln!(t, "[columns.{object}]");
    for (i, header) in plan.header.columns.iter().enumerate() {
        match plan.columns.role(i) {
            Some(role) => {
                let _ = writeln!(t, "{} = {}", role.as_str(), quote(header));
            }
            None => {
                let _ = writeln!(t, "# ? = {}   # not recognised", quote(header));
            }
        }
    }
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let _ = writeln!(t, "# Roles: {}\n", roles.join(", "));

    let rules = settings.object_rules(object).cloned().unwrap_or_default();
    let names = |fields: &[FieldRef]| {
        fields
            .iter()
            .map(|f| quote(&f.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(t, "[objects.{object}]");
    let _ = writeln!(
        t,
        "# Fields that must not be blank (roles or header names)."
    );
    let _ = writeln!(t, "required = [{}]", names(&rules.required));
    let _ = writeln!(t, "# Keys that must be unique within the export.");
    let _ = writeln!(t, "unique = [{}]", names(&rules.unique));
    let _ = writeln!(t, "# Fields required only in some cases:");
    let _ = writeln!(
        t,
        "# required-when = [{{ field = \"amount\", when = \"stage\", not-in = [\"Prospecting\", \"Closed Lost\"] }}]"
    );
    let _ = writeln!(t, "[objects.{object}.allowed]   # picklists");
    for (i, _) in plan.header.columns.iter().enumerate() {
        if let Some(
            role @ (Role::Stage
            | Role::LeadStatus
            | Role::Industry
            | Role::Type
            | Role::LeadSource
            | Role::ForecastCategory),
        ) = plan.columns.role(i)
        {
            let _ = writeln!(t, "# {} = [\"…\"]", role.as_str());
        }
    }
    let _ = writeln!(t, "[objects.{object}.range]");
    let _ = writeln!(t, "# amount = {{ min = 0, max = 10000000 }}");
    let _ = writeln!(t, "[objects.{object}.pattern]");
    let _ = writeln!(
        t,
        "# postcode = {{ regex = '\\d{{5}}(-\\d{{4}})?', message = \"US ZIP\" }}"
    );
    t
}
