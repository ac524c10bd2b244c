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
use crate::input::object::ObjectType;
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
    let specs = input::specs(&args.inputs, &args.table, &[])?;
    let config = RunConfig::compile(Settings::builtin())?;
    let profiles = engine::profile_inputs(&specs, &config, &InputOptions::default())?;
    let text = template(&args.inputs, &specs, &profiles, &config.settings);
    if to_stdout {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        crate::report::write_atomic(&args.output, &|w| Ok(w.write_all(text.as_bytes())?))?;
        let mut err = std::io::stderr().lock();
        let inputs: Vec<String> = profiles
            .iter()
            .map(|p| format!("{} ({})", p.name, p.object))
            .collect();
        writeln!(
            err,
            "wrote {} for {}; check it with: crmaudit audit {} -c {}",
            args.output.display(),
            inputs.join(", "),
            args.inputs.join(" "),
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

fn template(
    args: &[String],
    specs: &[InputSpec],
    profiles: &[InputProfile],
    settings: &Settings,
) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# crmaudit rule file, written by `crmaudit init {}`.",
        args.join(" ")
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

    for (spec, plan) in specs.iter().zip(profiles) {
        input_section(&mut t, spec, plan, profiles);
    }

    // One `[columns.*]` and `[objects.*]` section per object type.
    let mut objects: Vec<ObjectType> = profiles.iter().map(|p| p.object).collect();
    objects.sort_unstable();
    objects.dedup();
    for object in objects {
        let of_object: Vec<&InputProfile> =
            profiles.iter().filter(|p| p.object == object).collect();
        object_sections(&mut t, object, &of_object, settings);
    }
    t
}

/// `[input."<file>"]`: how one input is read, and the relations found for it.
fn input_section(t: &mut String, spec: &InputSpec, plan: &InputProfile, profiles: &[InputProfile]) {
    let key = spec.settings_keys().into_iter().next().unwrap_or_default();
    let _ = writeln!(t, "[input.{}]", quote(&key));
    let _ = writeln!(
        t,
        "object = {}   # detected from: {}",
        quote(plan.object.as_str()),
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
    let _ = writeln!(t, "decimal = {}", quote(plan.locale.decimal.as_str()));
    if !plan.relations.is_empty() {
        let _ = writeln!(
            t,
            "# Columns holding another input's keys (\"<file>\" for its ids, \"<file>:<column>\"):"
        );
        let _ = writeln!(t, "[input.{}.references]", quote(&key));
        for r in &plan.relations {
            let target = &profiles[r.target as usize];
            let file = target
                .name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(&target.name);
            let value = match r.target_column {
                Some(c) => format!("{file}:{}", target.header_name(c)),
                None => file.to_owned(),
            };
            let _ = writeln!(
                t,
                "{} = {}   # {} of {} sampled values match",
                quote(plan.header_name(r.column)),
                quote(&value),
                r.matched,
                r.distinct
            );
        }
    }
    let _ = writeln!(t);
}

/// `[columns.<object>]` (the roles of every input of the type) and `[objects.<object>]`.
fn object_sections(
    t: &mut String,
    object: ObjectType,
    plans: &[&InputProfile],
    settings: &Settings,
) {
    let _ = writeln!(
        t,
        "# Column roles: what each header means. Inferred ones are set; edit or add."
    );
    let _ = writeln!(t, "[columns.{object}]");
    let mut by_role: std::collections::BTreeMap<Role, Vec<String>> = Default::default();
    let mut unknown: Vec<String> = Vec::new();
    for plan in plans {
        for (i, header) in plan.header.columns.iter().enumerate() {
            match plan.columns.role(i) {
                Some(role) => {
                    let headers = by_role.entry(role).or_default();
                    if !headers.contains(header) {
                        headers.push(header.clone());
                    }
                }
                None if !unknown.contains(header) => unknown.push(header.clone()),
                None => {}
            }
        }
    }
    for (role, headers) in &by_role {
        let value = if headers.len() == 1 {
            quote(&headers[0])
        } else {
            format!(
                "[{}]",
                headers
                    .iter()
                    .map(|h| quote(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(t, "{} = {value}", role.as_str());
    }
    for header in &unknown {
        let _ = writeln!(t, "# ? = {}   # not recognised", quote(header));
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
    for role in by_role.keys() {
        if role.is_category() {
            let _ = writeln!(t, "# {} = [\"…\"]", role.as_str());
        }
    }
    let _ = writeln!(t, "[objects.{object}.range]");
    let _ = writeln!(t, "# amount = {{ min = 0, max = 10000000 }}");
    let _ = writeln!(t, "[objects.{object}.pattern]");
    let _ = writeln!(
        t,
        "# postcode = {{ regex = '\\d{{5}}(-\\d{{4}})?', message = \"US ZIP\" }}\n"
    );
}
