use crate::checks::prelude::*;
use crate::checks::semantic::{Flag, TableRecord, date_of};
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Contacts, leads and accounts whose last activity (`LastActivityDate`, HubSpot's
    /// last engagement, amoCRM's last activity) is more than `warn-days` (default 365)
    /// before the run's as-of date, or that have no activity at all and were created
    /// that long ago. Past `error-days` (default 730) the finding is an error. Converted
    /// leads and deleted records are left out; an export without an activity column is
    /// not checked.
    ///
    /// ## Why it matters
    /// A contact nobody has reached for two years has most likely changed jobs or
    /// addresses (email lists decay by about a quarter a year): counted as a live
    /// contact, it inflates the **addressable audience**, the **coverage** of an
    /// account, and the denominators of every response rate.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | LastActivityDate | CreatedDate  | flagged |
    /// |------------------|--------------|---------|
    /// | `2025-06-01`     | `2020-01-01` | yes (warning: 537 days) |
    /// | `2023-01-15`     | `2020-01-01` | yes (error: 1405 days)  |
    /// | (blank)          | `2024-02-01` | yes (never engaged, created 1023 days before) |
    /// | `2026-10-01`     | `2020-01-01` | no      |
    ///
    /// ## Options
    /// - `warn-days` (default 365): days without activity before a record is reported.
    /// - `error-days` (default 730): days without activity from which it is an error
    ///   (when the check's severity is the default warning).
    ///
    /// How long is too long is each org's policy, so this check runs only when
    /// selected: `--extend-select ST001`, or `extend-select = ["ST001"]` under
    /// `[checks]` in the rule file.
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct StaleRecord;
    code = "ST001",
    name = "stale-record",
    family = Staleness,
    scope = Dataset,
    severity = Warning,
    dimension = Timeliness,
    opt_in = true,
}

pub struct Options {
    warn_days: i64,
    error_days: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            warn_days: 365,
            error_days: 730,
        }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(d) = table.integer("warn-days", 1..=36_500) {
            self.warn_days = d;
        }
        if let Some(d) = table.integer("error-days", 1..=36_500) {
            self.error_days = d;
        }
    }
}

pub struct Prepared {
    activity: usize,
    created: Option<usize>,
    skip: Vec<Flag>,
    warn_days: i64,
    error_days: i64,
}

impl Check for StaleRecord {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn time_relative(&self) -> bool {
        true
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let profile = cx.profile;
        if !matches!(
            profile.object,
            ObjectType::Contact | ObjectType::Lead | ObjectType::Account
        ) {
            return None;
        }
        let columns = &profile.columns;
        let skip = Flag::all(profile, cx.sample, &[Role::IsConverted, Role::IsDeleted]);
        Some(Prepared {
            activity: columns.column(Role::LastActivityAt)?,
            created: columns.column(Role::CreatedAt),
            skip,
            warn_days: options.warn_days,
            error_days: options.error_days.max(options.warn_days),
        })
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        let mut kept = vec![p.activity];
        kept.extend(p.created);
        kept.extend(p.skip.iter().map(|f| f.column));
        kept
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        let Some(as_of) = cx.as_of else {
            return;
        };
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            let activity_header = table.header_name(p.activity);
            for record in 0..table.len() {
                let r = TableRecord { table, record };
                if p.skip.iter().any(|f| f.read(&r) == Some(true)) {
                    continue;
                }
                let (column, since, what) = match date_of(&r, p.activity, &table.locale) {
                    Some(last) => (p.activity, last, format!("last activity on {last}")),
                    // A value that is not a date is FM005's; a blank is "never".
                    None if !r.field_str(p.activity).is_empty() => continue,
                    None => {
                        let Some(created) = p
                            .created
                            .and_then(|c| date_of(&r, c, &table.locale).map(|d| (c, d)))
                        else {
                            continue;
                        };
                        (
                            created.0,
                            created.1,
                            format!(
                                "no activity recorded (`{activity_header}` blank) since it was created on {}",
                                created.1
                            ),
                        )
                    }
                };
                let days = i64::from(as_of.0 - since.0);
                if days <= p.warn_days {
                    continue;
                }
                let message = format!(
                    "{what}, {days} days before the as-of date {as_of}: the {} is likely out of date (audience and coverage counts)",
                    table.object
                );
                let value = r.field_str(column);
                if days > p.error_days {
                    sink.report_soft_escalated(table, record, Some(column), Some(value), message);
                } else {
                    sink.report_soft(table, record, Some(column), Some(value), message);
                }
            }
        }
    }
}
