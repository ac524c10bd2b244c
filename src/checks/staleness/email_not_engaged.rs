use crate::checks::prelude::*;
use crate::checks::semantic::{Flag, TableRecord, date_of, role_columns};
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::locale::Date;

declare_check! {
    /// ## What it checks
    /// A contact or lead with an email address whose newest email engagement (the export's
    /// last open, click, reply or verification dates: HubSpot's `hs_email_last_open_date`,
    /// `hs_email_last_click_date`, `hs_sales_email_last_opened`, generic `Last Email
    /// Open`, `Email Verified Date`, …) is more than `warn-days` (default 365) before the
    /// run's as-of date. Records whose engagement columns are all blank are left alone
    /// (nothing says whether mail was ever sent), as are converted and deleted records.
    /// Soft: an export where nearly every record is that old folds to one notice.
    ///
    /// ## Why it matters
    /// Email lists decay by about a quarter a year: an address that has not opened or
    /// clicked for a year is likely abandoned or filtered, and campaign, **activity** and
    /// audience reports count it as reachable.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | Email | hs_email_last_open_date | hs_email_last_click_date | flagged |
    /// |-------|-------------------------|--------------------------|---------|
    /// | `ann@acme.com` | `2024-09-01` | `2024-10-02` | yes (last engaged 2024-10-02) |
    /// | `bob@acme.com` | `2024-09-01` | `2026-03-01` | no |
    /// | `cy@acme.com`  | (blank) | (blank) | no (no engagement data) |
    ///
    /// ## Options
    /// - `warn-days` (default 365): days without engagement before an address is reported.
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct EmailNotEngaged;
    code = "ST004",
    name = "email-not-engaged",
    family = Staleness,
    scope = Dataset,
    severity = Warning,
    dimension = Timeliness,
}

pub struct Options {
    warn_days: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { warn_days: 365 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(d) = table.integer("warn-days", 1..=36_500) {
            self.warn_days = d;
        }
    }
}

pub struct Prepared {
    email: usize,
    engaged: Vec<usize>,
    skip: Vec<Flag>,
    warn_days: i64,
}

impl Check for EmailNotEngaged {
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
        if !matches!(profile.object, ObjectType::Contact | ObjectType::Lead) {
            return None;
        }
        let engaged = role_columns(profile, Role::EmailEngagedAt);
        if engaged.is_empty() {
            return None;
        }
        let skip = Flag::all(profile, cx.sample, &[Role::IsConverted, Role::IsDeleted]);
        Some(Prepared {
            email: profile.columns.column(Role::Email)?,
            engaged,
            skip,
            warn_days: options.warn_days,
        })
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        let mut kept = vec![p.email];
        kept.extend(&p.engaged);
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
            for record in 0..table.len() {
                let r = TableRecord { table, record };
                if r.field_str(p.email).trim().is_empty()
                    || p.skip.iter().any(|f| f.read(&r) == Some(true))
                {
                    continue;
                }
                // The newest engagement of any kind, with its column.
                let newest: Option<(usize, Date)> = p
                    .engaged
                    .iter()
                    .filter_map(|&c| date_of(&r, c, &table.locale).map(|d| (c, d)))
                    .max_by_key(|&(c, d)| (d.0, std::cmp::Reverse(c)));
                let Some((column, last)) = newest else {
                    continue;
                };
                let days = i64::from(as_of.0 - last.0);
                if days <= p.warn_days {
                    continue;
                }
                sink.report_soft(
                    table,
                    record,
                    Some(p.email),
                    Some(r.field_str(p.email)),
                    format!(
                        "`{}` = `{}` shows no sign of being read since {last} (`{}`), {days} days before the as-of date {as_of}: it may be abandoned or filtered",
                        table.header_name(p.email),
                        r.field_str(p.email).trim(),
                        table.header_name(column)
                    ),
                );
            }
        }
    }
}
