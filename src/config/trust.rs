//! `[score]` and `[gate]`: the penalty of a finding by severity, and the scores below
//! which a record goes to review or to quarantine.
//!
//! ```toml
//! [score]
//! penalty = { error = 40, warning = 15, info = 3 }
//!
//! [gate]
//! review-below = 80
//! quarantine-below = 50
//! ```

use crate::config::{Diagnostic, OptionTable, Settings};
use crate::finding::Severity;

/// How findings become scores and scores classes.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustSettings {
    /// Share of the remaining trust (0–100) a finding removes, by severity: info,
    /// warning, error.
    pub penalties: [f64; 3],
    pub review_below: f64,
    pub quarantine_below: f64,
}

impl Default for TrustSettings {
    fn default() -> Self {
        TrustSettings {
            penalties: [3.0, 15.0, 40.0],
            review_below: 80.0,
            quarantine_below: 50.0,
        }
    }
}

impl TrustSettings {
    pub fn penalty(&self, severity: Severity) -> f64 {
        match severity {
            Severity::Info => self.penalties[0],
            Severity::Warning => self.penalties[1],
            Severity::Error => self.penalties[2],
        }
    }
}

/// Reads every `[score]` layer in turn (later layers win key by key); the thresholds
/// of `[gate]` are read by [`crate::config::gate::load`].
pub fn load(settings: &Settings, diagnostics: &mut Vec<Diagnostic>) -> TrustSettings {
    let mut out = TrustSettings::default();
    // `[gate]` and `[[report]]` are `config::gate`'s.
    for raw in settings.trust_options.iter().filter(|r| r.name == "score") {
        let mut t = OptionTable::new(&raw.layer, "[score]".into(), raw.item.clone(), diagnostics);
        if let Some(mut penalty) = t.table("penalty") {
            for (i, key) in ["info", "warning", "error"].into_iter().enumerate() {
                if let Some(p) = penalty.number(key, 0.0..=100.0) {
                    out.penalties[i] = p;
                }
            }
        }
    }
    out
}
