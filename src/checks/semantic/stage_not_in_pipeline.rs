use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::normalize::text::fold_alnum;

declare_check! {
    /// ## What it checks
    /// Deal stages that are not a stage of any pipeline, in an export whose other
    /// deals (80% or more of the sampled ones) use known stages: a misspelling
    /// (`Closed/Won` for `Closed Won`, `Negotation/Review`) gets the stage meant as a
    /// suggestion; a stage no pipeline has (`Assigned dynamically`) is reported as
    /// unknown. Where most stages are unknown the org has a sales process of its own:
    /// nothing is reported (define it under `[pipelines.<name>]`).
    ///
    /// ## Why it matters
    /// Distorts the **pipeline** and **forecast**: reports group and weigh deals by
    /// stage; a deal in a stage nobody defined is counted nowhere or in its own
    /// one-deal row.
    ///
    /// ## Example
    /// | StageName            | flagged |
    /// |----------------------|---------|
    /// | `Closed/Won`         | yes (`Closed Won`) |
    /// | `Assigned dynamically` | yes   |
    /// | `closedwon`          | no (HubSpot's internal form of `Closed Won`) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct StageNotInPipeline;
    code = "SM010",
    name = "stage-not-in-pipeline",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Validity,
    reports = [Pipeline, Forecast],
}

/// Share of sampled deals whose stage must be known before unknown ones are reported.
const MIN_KNOWN_SHARE: f64 = 0.8;

pub struct Prepared {
    column: usize,
    /// Folded name and name of every known stage.
    known: Vec<(String, String)>,
}

/// Lowercase without whitespace: what a spelling keeps besides case and spacing.
fn shape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Check for StageNotInPipeline {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        if cx.profile.object != ObjectType::Deal {
            return None;
        }
        let column = cx.profile.columns.column(Role::Stage)?;
        let stages = &cx.profile.stages;
        let (mut known, mut total) = (0usize, 0usize);
        for v in cx.sample_values(column) {
            total += 1;
            known += usize::from(stages.get(v).is_some());
        }
        // Too few deals, or an org with stages of its own.
        if total < 5 || (known as f64) < total as f64 * MIN_KNOWN_SHARE {
            return None;
        }
        Some(Prepared {
            column,
            known: stages
                .stages()
                .map(|s| (fold_alnum(&s.name), s.name.clone()))
                .collect(),
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        let value = record.get(p.column);
        if value.is_empty() {
            return;
        }
        let header = record.header(p.column);
        if let Some(stage) = record.profile.stages.get(value) {
            // Case and spacing aside (`closedwon`, `CLOSED WON`), a different
            // spelling is a variant of the stage.
            if shape(value) != shape(&stage.name) && value.chars().any(|c| c.is_ascii_punctuation())
            {
                sink.report(
                    Some(p.column),
                    Some(value),
                    format!(
                        "`{header}` = `{value}` is a variant spelling of the stage `{}` (pipeline, forecast)",
                        stage.name
                    ),
                );
            }
            return;
        }
        let folded = fold_alnum(value);
        let near = p
            .known
            .iter()
            .filter(|(f, _)| f.chars().count() >= 6)
            .map(|(f, name)| (strsim::osa_distance(&folded, f), name))
            .filter(|(d, _)| *d <= 2)
            .min();
        let message = match near {
            Some((_, name)) => format!(
                "`{header}` = `{value}` is not a stage of any pipeline; did you mean `{name}`? (pipeline, forecast)"
            ),
            None => format!(
                "`{header}` = `{value}` is not a stage of any pipeline, while the other deals use known stages (pipeline, forecast)"
            ),
        };
        sink.report(Some(p.column), Some(value), message);
    }
}
