use crate::checks::prelude::*;
use crate::checks::semantic::Flag;
use crate::input::columns::Role;

declare_check! {
    /// ## What it checks
    /// Records the CRM itself marks as bounced: Salesforce `IsEmailBounced` (or an
    /// `EmailBouncedDate`), HubSpot's bounce properties, a generic `bounced` column.
    ///
    /// ## Why it matters
    /// The address is known dead: mail to it hard-bounced. It still counts as a
    /// contactable person in completeness and campaign-list reports, and each further
    /// send hurts the sender's reputation.
    ///
    /// ## Example
    /// | Email            | IsEmailBounced | EmailBouncedDate | flagged |
    /// |------------------|----------------|------------------|---------|
    /// | `ann@acme.com`   | `true`         |                  | yes     |
    /// | `bo@acme.com`    |                | `2026-03-01`     | yes     |
    /// | `cy@acme.com`    | `false`        |                  | no      |
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct EmailBounced;
    code = "EM006",
    name = "email-bounced",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Timeliness,
}

impl Check for EmailBounced {
    type Options = ();
    type Prepared = (Option<Flag>, Option<usize>);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        _options: &(),
    ) -> Option<(Option<Flag>, Option<usize>)> {
        let flag = Flag::new(cx.profile, cx.sample, Role::EmailBounced);
        let date = cx.profile.columns.column(Role::EmailBouncedAt);
        (flag.is_some() || date.is_some()).then_some((flag, date))
    }

    fn check_record(
        &self,
        (flag, date): &(Option<Flag>, Option<usize>),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        if let Some(flag) = flag
            && flag.read(record) == Some(true)
        {
            sink.report(
                Some(flag.column),
                Some(record.get(flag.column)),
                format!(
                    "`{}`: the CRM marks this address as bounced",
                    record.header(flag.column)
                ),
            );
            return;
        }
        if let Some(c) = date
            && !record.get(*c).is_empty()
        {
            sink.report(
                Some(*c),
                Some(record.get(*c)),
                format!(
                    "`{}` = `{}`: the address bounced",
                    record.header(*c),
                    record.get(*c)
                ),
            );
        }
    }
}
