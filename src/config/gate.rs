//! `[gate]`, `[gate.dataset]` and `[[report]]`: where records go and when a run fails.
//!
//! ```toml
//! [gate]
//! review-below = 80          # a record scoring below goes to review
//! quarantine-below = 50      # … below this (or with any error) to quarantine
//!
//! [gate.dataset]             # the run fails (exit 1) when one of these does not hold
//! max-quarantine-rate = 5    # % of records in quarantine
//! max-review-rate = 20       # % of records in review
//! min-score = 85             # the dataset's mean trust score
//! max-duplicate-rate = 2     # % of records that duplicate another
//! max-score-drop = 3         # points lost since the last run (needs --history)
//! max-new-findings = 0       # findings the last run (or --baseline) did not have
//! min-completeness = { Email = 90, "lead.LeadSource" = 75 }   # % filled, by field
//!
//! [[report]]                 # a downstream report and what keeps a record out of it
//! name = "pipeline"          # a built-in report's name changes it; a new name adds one
//! objects = ["deal"]         # the records that feed it
//! deal-states = ["open"]     # of deals, those it reads (open, won, lost)
//! exclude = ["SM003", "DU"]  # codes (or prefixes, names) that keep a record out
//! extend-exclude = ["X001"]  # … added to the built-in list instead of replacing it
//! min-severity = "warning"   # findings below this never exclude
//! exclude-quarantine = false # true: every quarantined record is out as well
//! roll-up = ["account"]      # a record whose account is out is out too
//! ```
//!
//! The built-in reports (pipeline, forecast, win-loss, sales-cycle, conversion,
//! activity, per-owner, outreach) exclude, by default, the findings of every check that
//! says it distorts them, and, of checks that name no reports, the findings about a
//! field the report reads (an invalid email keeps a contact out of outreach, not out of
//! the pipeline).

use crate::config::{Diagnostic, FieldRef, OptionTable, Settings, trust::TrustSettings};
use crate::finding::{CheckId, Downstream, Severity};
use crate::input::object::ObjectType;
use crate::stage::StageState;

/// The gate's settings: dataset conditions and downstream reports.
#[derive(Debug, Clone, Default)]
pub struct GateSettings {
    pub dataset: DatasetConditions,
    pub reports: Vec<ReportSpec>,
}

/// `[gate.dataset]`: conditions on the run as a whole (percentages are 0–100).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetConditions {
    pub max_quarantine_rate: Option<f64>,
    pub max_review_rate: Option<f64>,
    pub min_score: Option<f64>,
    pub max_duplicate_rate: Option<f64>,
    pub max_score_drop: Option<f64>,
    pub max_new_findings: Option<u64>,
    /// Field (optionally `object.field`), minimum % of records with a value.
    pub min_completeness: Vec<FieldCondition>,
}

impl DatasetConditions {
    pub fn is_empty(&self) -> bool {
        *self == DatasetConditions::default()
    }
}

/// One `min-completeness` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCondition {
    /// As written (`Email`, `lead.LeadSource`).
    pub text: String,
    pub object: Option<ObjectType>,
    pub field: FieldRef,
    pub min: f64,
}

/// A downstream report: which records feed it and which findings keep one out.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSpec {
    pub name: String,
    /// The built-in report it is (or changes), if any.
    pub kind: Option<Downstream>,
    pub objects: Vec<ObjectType>,
    /// Of deals, the ones it reads (open deals for the pipeline); empty: every deal.
    pub deal_states: Vec<StageState>,
    /// Checks whose findings (at `min_severity` or above) keep a record out.
    pub exclude: Vec<CheckId>,
    /// Checks that name no reports of their own (sorted): their findings keep a record
    /// out when they are about a field this report reads (by the field's role), or,
    /// about no field, when the check's family says it distorts this report.
    pub by_field: Vec<CheckId>,
    /// Of `by_field`, those whose family distorts this report (sorted).
    pub by_family: Vec<CheckId>,
    pub min_severity: Severity,
    /// Also keep out every record in quarantine, whatever put it there.
    pub exclude_quarantine: bool,
    /// Objects a record refers to whose identity keeps the referring record out: a deal
    /// of a test, duplicate, deleted or unreadable account is out of pipeline by account
    /// (the account's invalid phone is not the deal's problem).
    pub roll_up: Vec<ObjectType>,
}

impl GateSettings {
    /// Whether a record of `object` referring to a record of `target` is kept out of a
    /// report when its target is in quarantine.
    pub fn rolls_up(&self, object: ObjectType, target: ObjectType) -> bool {
        self.reports
            .iter()
            .any(|r| r.objects.contains(&object) && r.roll_up.contains(&target))
    }
}

impl ReportSpec {
    /// A built-in report, excluding the findings of every check that names it.
    pub fn builtin(kind: Downstream, checks: &Checks<'_>) -> ReportSpec {
        use ObjectType::*;
        let (objects, roll_up): (&[ObjectType], &[ObjectType]) = match kind {
            Downstream::Pipeline
            | Downstream::Forecast
            | Downstream::WinLoss
            | Downstream::SalesCycle => (&[Deal], &[Account]),
            Downstream::Conversion => (&[Lead, Contact, CampaignMember], &[Account]),
            Downstream::Activity => (&[Task, Event], &[]),
            Downstream::PerOwner => (
                &[Deal, Lead, Account, Contact, Task, Event, Case],
                &[Account],
            ),
            Downstream::Outreach => (&[Contact, Lead, CampaignMember], &[Account]),
        };
        let deal_states: &[StageState] = match kind {
            Downstream::Pipeline | Downstream::Forecast => &[StageState::Open],
            Downstream::WinLoss => &[StageState::Won, StageState::Lost],
            Downstream::SalesCycle => &[StageState::Won],
            _ => &[],
        };
        ReportSpec {
            name: kind.as_str().to_owned(),
            kind: Some(kind),
            objects: objects.to_vec(),
            deal_states: deal_states.to_vec(),
            exclude: (checks.distorting)(kind),
            by_field: (checks.by_field)(None),
            by_family: (checks.by_field)(Some(kind)),
            min_severity: Severity::Warning,
            exclude_quarantine: false,
            roll_up: roll_up.to_vec(),
        }
    }
}

/// What the gate's settings need of the run's checks (configuration knows no checks).
pub struct Checks<'a> {
    /// The checks a selector (`SM003`, `DU`, a name) names.
    pub resolve: &'a dyn Fn(&str) -> Option<Vec<CheckId>>,
    /// The checks that say they distort a report, sorted.
    pub distorting: &'a dyn Fn(Downstream) -> Vec<CheckId>,
    /// The checks that name no reports (`None`), or those of them whose family
    /// distorts a report; sorted.
    pub by_field: &'a dyn Fn(Option<Downstream>) -> Vec<CheckId>,
}

/// Reads every `[gate]` and `[[report]]` layer in turn (later layers win key by key):
/// the thresholds into `trust`, the rest into the gate's settings.
pub fn load(
    settings: &Settings,
    checks: &Checks<'_>,
    trust: &mut TrustSettings,
    diagnostics: &mut Vec<Diagnostic>,
) -> GateSettings {
    let mut out = GateSettings {
        dataset: DatasetConditions::default(),
        reports: Downstream::ALL
            .into_iter()
            .map(|k| ReportSpec::builtin(k, checks))
            .collect(),
    };
    for raw in &settings.trust_options {
        match raw.name.as_str() {
            "gate" => {
                let t =
                    OptionTable::new(&raw.layer, "[gate]".into(), raw.item.clone(), diagnostics);
                gate_table(t, trust, &mut out.dataset);
            }
            "report" => {
                let items = match &raw.item.value {
                    crate::config::value::Owned::Array(items) => items.clone(),
                    _ => vec![raw.item.clone()],
                };
                for item in items {
                    let t = OptionTable::new(&raw.layer, "[[report]]".into(), item, diagnostics);
                    report_table(t, checks, &mut out.reports);
                }
            }
            _ => {}
        }
    }
    out
}

fn gate_table(mut t: OptionTable<'_>, trust: &mut TrustSettings, dataset: &mut DatasetConditions) {
    let review = t.number("review-below", 0.0..=100.0);
    let quarantine = t.number("quarantine-below", 0.0..=100.0);
    if let Some(v) = review {
        trust.review_below = v;
    }
    if let Some(v) = quarantine {
        trust.quarantine_below = v;
    }
    if trust.quarantine_below > trust.review_below {
        let at = t.at();
        t.error_at(
            at,
            format!(
                "`quarantine-below` ({}) is above `review-below` ({}): a record would go to quarantine before review",
                trust.quarantine_below, trust.review_below
            ),
        );
    }
    if let Some(mut d) = t.table("dataset") {
        for (key, slot) in [
            ("max-quarantine-rate", &mut dataset.max_quarantine_rate),
            ("max-review-rate", &mut dataset.max_review_rate),
            ("min-score", &mut dataset.min_score),
            ("max-duplicate-rate", &mut dataset.max_duplicate_rate),
            ("max-score-drop", &mut dataset.max_score_drop),
        ] {
            if let Some(v) = d.number(key, 0.0..=100.0) {
                *slot = Some(v);
            }
        }
        if let Some(n) = d.integer("max-new-findings", 0..=i64::MAX) {
            dataset.max_new_findings = Some(n as u64);
        }
        if let Some(entries) = d.free_entries("min-completeness") {
            for (text, at, item) in entries {
                let min = match item.value {
                    crate::config::value::Owned::Integer(i) => i as f64,
                    crate::config::value::Owned::Float(f) => f,
                    ref other => {
                        let message = format!(
                            "`min-completeness.{text}` must be a percentage, found {}",
                            other.type_str()
                        );
                        d.error_at(item.at, message);
                        continue;
                    }
                };
                if !(0.0..=100.0).contains(&min) {
                    d.error_at(
                        item.at,
                        format!("`min-completeness.{text}` must be from 0 to 100, found {min}"),
                    );
                    continue;
                }
                let (object, field) = match text.split_once('.') {
                    Some((o, f)) => match ObjectType::parse(o) {
                        Some(o) => (Some(o), f),
                        None => {
                            d.error_at(
                                at,
                                format!("`min-completeness.{text}`: unknown object type `{o}`"),
                            );
                            continue;
                        }
                    },
                    None => (None, text.as_str()),
                };
                let field = FieldRef::parse(field);
                dataset.min_completeness.retain(|c| c.text != text);
                dataset.min_completeness.push(FieldCondition {
                    text: text.clone(),
                    object,
                    field,
                    min,
                });
            }
        }
    }
}

fn report_table(mut t: OptionTable<'_>, checks: &Checks<'_>, reports: &mut Vec<ReportSpec>) {
    let at = t.at();
    let Some(name) = t.string("name") else {
        t.error_at(at, "[[report]] needs a `name`".into());
        return;
    };
    let name = name.trim().to_owned();
    let kind = Downstream::parse(&name);
    let index = match reports
        .iter()
        .position(|r| r.name == name || (kind.is_some() && r.kind == kind))
    {
        Some(i) => i,
        None => {
            reports.push(ReportSpec {
                name: name.clone(),
                kind: None,
                objects: Vec::new(),
                deal_states: Vec::new(),
                exclude: Vec::new(),
                by_field: Vec::new(),
                by_family: Vec::new(),
                min_severity: Severity::Warning,
                exclude_quarantine: false,
                roll_up: Vec::new(),
            });
            reports.len() - 1
        }
    };
    let report = &mut reports[index];
    let objects = |t: &mut OptionTable<'_>, key: &'static str| -> Option<Vec<ObjectType>> {
        let list = t.spanned_strings(key)?;
        let mut out = Vec::with_capacity(list.len());
        for (o, at) in list {
            match ObjectType::parse(&o) {
                Some(o) => out.push(o),
                None => {
                    let known: Vec<&str> = ObjectType::ALL.iter().map(|o| o.as_str()).collect();
                    t.error_at(
                        at,
                        format!("unknown object type `{o}` (known: {})", known.join(", ")),
                    );
                }
            }
        }
        Some(out)
    };
    if let Some(o) = objects(&mut t, "objects") {
        report.objects = o;
    }
    if let Some(o) = objects(&mut t, "roll-up") {
        report.roll_up = o;
    }
    let codes = |t: &mut OptionTable<'_>, key: &'static str| -> Option<Vec<CheckId>> {
        let list = t.spanned_strings(key)?;
        let mut out = Vec::new();
        for (code, at) in list {
            match (checks.resolve)(&code) {
                Some(ids) => out.extend(ids),
                None => t.error_at(at, format!("`{code}` in `{key}` names no check")),
            }
        }
        Some(out)
    };
    if let Some(ids) = codes(&mut t, "exclude") {
        // The codes named are the whole list: no finding decides by its field.
        report.exclude = ids;
        report.by_field.clear();
        report.by_family.clear();
    }
    if let Some(ids) = codes(&mut t, "extend-exclude") {
        report.exclude.extend(ids);
    }
    report.exclude.sort_unstable();
    report.exclude.dedup();
    if let Some(s) = t.choice(
        "min-severity",
        &[
            ("info", Severity::Info),
            ("warning", Severity::Warning),
            ("error", Severity::Error),
        ],
    ) {
        report.min_severity = s;
    }
    if let Some(b) = t.boolean("exclude-quarantine") {
        report.exclude_quarantine = b;
    }
    if let Some(list) = t.spanned_strings("deal-states") {
        let mut states = Vec::new();
        for (s, at) in list {
            match StageState::parse(&s) {
                Some(st) => states.push(st),
                None => t.error_at(
                    at,
                    format!("`{s}` in `deal-states` is no deal state (open, won, lost)"),
                ),
            }
        }
        report.deal_states = states;
    }
    if report.objects.is_empty() {
        t.error_at(
            at,
            format!("[[report]] `{name}` needs `objects`: the records that feed it"),
        );
    }
}
