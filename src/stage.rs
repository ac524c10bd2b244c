//! Sales stages: where a deal stands (open, won or lost), in which order stages come, and
//! the probability and forecast category each stage implies.
//!
//! A [`StageMap`] is built per input from the pipelines of the rule files (the built-in
//! ones are the Salesforce default sales process, the HubSpot default deal pipeline and
//! the default amoCRM and Bitrix24 funnels) and then corrected by the data itself where
//! the export carries `IsClosed`/`IsWon` and probability columns: a stage that the export
//! marks closed and won on nearly every record is a won stage of that org, whatever its
//! name. Stage values are matched after [`fold_alnum`] folding, so `Closed Won`,
//! `closedwon` and `CLOSED-WON` are one stage.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::normalize::text::fold_alnum;

/// Where a deal in a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StageState {
    Open,
    Won,
    Lost,
}

impl StageState {
    pub fn parse(s: &str) -> Option<StageState> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Some(StageState::Open),
            "won" => Some(StageState::Won),
            "lost" => Some(StageState::Lost),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StageState::Open => "open",
            StageState::Won => "won",
            StageState::Lost => "lost",
        }
    }

    pub fn is_closed(self) -> bool {
        self != StageState::Open
    }
}

/// A stage as a rule file defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct StageDef {
    pub name: String,
    pub state: StageState,
    /// Default probability, 0–100.
    pub probability: Option<f64>,
    pub forecast: Option<String>,
}

/// A pipeline: its stages in order (`[pipelines.<name>]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub name: String,
    pub stages: Vec<StageDef>,
}

/// A stage as an input's records are read against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: String,
    /// The pipeline it comes from (`data` when only the export defines it).
    pub pipeline: String,
    /// Position in its pipeline (`None` for stages only the data knows).
    pub order: Option<usize>,
    pub state: StageState,
    pub probability: Option<f64>,
    /// The probability the pipeline defines, whatever the data says.
    pub defined_probability: Option<f64>,
    pub forecast: Option<String>,
    /// The state was read from the export's own closed/won flags.
    pub state_from_data: bool,
    /// The probability is the one most of the export's records in the stage carry.
    pub probability_from_data: bool,
}

/// One deal as stage learning sees it.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub stage: &'a str,
    pub closed: Option<bool>,
    pub won: Option<bool>,
    /// 0–100.
    pub probability: Option<f64>,
}

/// Records of a stage that must carry flags or probabilities before the data overrules
/// the pipeline.
const MIN_OBSERVATIONS: usize = 3;
/// Share of those records that must agree.
const MIN_AGREEMENT: f64 = 0.8;

/// The stages known for one input, by folded name.
#[derive(Debug, Clone, Default)]
pub struct StageMap {
    stages: BTreeMap<String, Stage>,
    /// What the data changed, for the summary.
    pub notes: Vec<String>,
}

impl StageMap {
    /// The stages of every pipeline; a name two pipelines share keeps the first one's
    /// meaning.
    pub fn new(pipelines: &[Pipeline]) -> StageMap {
        let mut stages = BTreeMap::new();
        for pipeline in pipelines {
            for (order, def) in pipeline.stages.iter().enumerate() {
                let key = fold_alnum(&def.name);
                // Where two pipelines share a stage (`closedwon`, `Closed Won`), messages
                // name it by its label rather than an internal value.
                if let Some(known) = stages.get_mut(&key) {
                    let known: &mut Stage = known;
                    if !known.name.contains(' ') && def.name.contains(' ') {
                        known.name = def.name.clone();
                    }
                    continue;
                }
                stages.entry(key).or_insert_with(|| Stage {
                    name: def.name.clone(),
                    pipeline: pipeline.name.clone(),
                    order: Some(order),
                    state: def.state,
                    probability: def.probability,
                    defined_probability: def.probability,
                    forecast: def.forecast.clone(),
                    state_from_data: false,
                    probability_from_data: false,
                });
            }
        }
        StageMap {
            stages,
            notes: Vec::new(),
        }
    }

    pub fn get(&self, value: &str) -> Option<&Stage> {
        if value.is_empty() {
            return None;
        }
        self.stages.get(&fold_alnum(value))
    }

    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Every stage, by folded name.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.values()
    }

    /// Corrects the map from an export's records: their closed/won flags decide a
    /// stage's state, the probability most of them carry its default probability.
    pub fn learn<'a>(&mut self, observations: impl IntoIterator<Item = Observation<'a>>) {
        #[derive(Default)]
        struct Tally<'a> {
            name: &'a str,
            closed: [usize; 2],
            won: [usize; 2],
            probabilities: BTreeMap<i64, usize>,
            with_probability: usize,
        }
        let mut tallies: BTreeMap<String, Tally<'a>> = BTreeMap::new();
        for o in observations {
            if o.stage.is_empty() {
                continue;
            }
            let t = tallies.entry(fold_alnum(o.stage)).or_default();
            t.name = o.stage;
            if let Some(c) = o.closed {
                t.closed[usize::from(c)] += 1;
            }
            if let Some(w) = o.won {
                t.won[usize::from(w)] += 1;
            }
            if let Some(p) = o.probability {
                *t.probabilities.entry(p.round() as i64).or_default() += 1;
                t.with_probability += 1;
            }
        }
        for (key, t) in tallies {
            // A stage no pipeline has is defined by the export's flags alone, however
            // few its records; overruling a pipeline takes several.
            let min = if self.stages.contains_key(&key) {
                MIN_OBSERVATIONS
            } else {
                1
            };
            let agreed = |counts: [usize; 2]| -> Option<bool> {
                let total = counts[0] + counts[1];
                if total < min {
                    return None;
                }
                let share = |n: usize| n as f64 / total as f64;
                if share(counts[1]) >= MIN_AGREEMENT {
                    Some(true)
                } else if share(counts[0]) >= MIN_AGREEMENT {
                    Some(false)
                } else {
                    None
                }
            };
            let state = match (agreed(t.closed), agreed(t.won)) {
                (Some(false), _) => Some(StageState::Open),
                (Some(true), Some(true)) | (None, Some(true)) => Some(StageState::Won),
                (Some(true), Some(false)) => Some(StageState::Lost),
                _ => None,
            };
            let probability = t
                .probabilities
                .iter()
                .max_by_key(|(p, n)| (**n, -**p))
                .filter(|(_, n)| {
                    t.with_probability >= MIN_OBSERVATIONS
                        && **n as f64 >= t.with_probability as f64 * MIN_AGREEMENT
                })
                .map(|(p, _)| *p as f64);
            match self.stages.get_mut(&key) {
                Some(stage) => {
                    if let Some(state) = state
                        && state != stage.state
                    {
                        self.notes.push(format!(
                            "stage `{}` is {} in this export's flags (the {} pipeline has it {})",
                            t.name,
                            state.as_str(),
                            stage.pipeline,
                            stage.state.as_str()
                        ));
                        stage.state = state;
                        stage.state_from_data = true;
                    }
                    if let Some(p) = probability
                        && stage.probability != Some(p)
                    {
                        stage.probability = Some(p);
                        stage.probability_from_data = true;
                    }
                }
                None => {
                    let Some(state) = state else { continue };
                    self.stages.insert(
                        key,
                        Stage {
                            name: t.name.to_owned(),
                            pipeline: "data".to_owned(),
                            order: None,
                            state,
                            probability,
                            defined_probability: None,
                            forecast: None,
                            state_from_data: true,
                            probability_from_data: probability.is_some(),
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salesforce() -> Pipeline {
        let def = |name: &str, state, p| StageDef {
            name: name.to_owned(),
            state,
            probability: Some(p),
            forecast: None,
        };
        Pipeline {
            name: "salesforce".to_owned(),
            stages: vec![
                def("Prospecting", StageState::Open, 10.0),
                def("Closed Won", StageState::Won, 100.0),
                def("Closed Lost", StageState::Lost, 0.0),
            ],
        }
    }

    #[test]
    fn stages_match_folded() {
        let map = StageMap::new(&[salesforce()]);
        assert_eq!(map.get("closedwon").unwrap().state, StageState::Won);
        assert_eq!(map.get("CLOSED-WON").unwrap().name, "Closed Won");
        assert!(map.get("Closed/Won ").is_some());
        assert!(map.get("Negotiation").is_none());
    }

    #[test]
    fn the_export_flags_overrule_the_pipeline() {
        let mut map = StageMap::new(&[salesforce()]);
        let obs = |stage, closed, won, p| Observation {
            stage,
            closed: Some(closed),
            won: Some(won),
            probability: Some(p),
        };
        let data = [
            obs("Signed", true, true, 100.0),
            obs("Signed", true, true, 100.0),
            obs("Signed", true, true, 100.0),
            obs("Prospecting", false, false, 20.0),
            obs("Prospecting", false, false, 20.0),
            obs("Prospecting", false, false, 20.0),
            obs("Prospecting", false, false, 40.0),
            obs("Prospecting", false, false, 20.0),
        ];
        map.learn(data);
        let signed = map.get("Signed").unwrap();
        assert_eq!(
            (signed.state, signed.pipeline.as_str()),
            (StageState::Won, "data")
        );
        let p = map.get("Prospecting").unwrap();
        assert_eq!((p.probability, p.probability_from_data), (Some(20.0), true));
        // One record defines a stage no pipeline has; it takes several to overrule one.
        map.learn([obs("Rare", true, true, 100.0)]);
        assert_eq!(map.get("Rare").unwrap().state, StageState::Won);
        map.learn([obs("Closed Won", true, false, 0.0)]);
        assert_eq!(map.get("Closed Won").unwrap().state, StageState::Won);
    }
}
