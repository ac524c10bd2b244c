use crate::checks::prelude::*;
use crate::input::columns::ValueKind;
use crate::input::object::ObjectType;
use crate::normalize::salesforce_id::{checksum, looks_like_salesforce_id};

declare_check! {
    /// ## What it checks
    /// Salesforce record ids in id and reference columns that are malformed: not 15 or
    /// 18 letters and digits, an 18-character id whose 3-character checksum suffix does
    /// not match its first 15 characters (the case was changed, e.g. by Excel or a
    /// lower-casing script), or a key prefix naming the wrong object (`003…` contact id in
    /// an `AccountId` column). Applies to columns whose values look like Salesforce ids.
    ///
    /// ## Why it matters
    /// 15-character ids are case-sensitive: once their case is changed they join to
    /// another record or to none. A wrong prefix means the column holds ids of another
    /// object, so every join through it is wrong.
    ///
    /// ## Example
    /// | AccountId            | flagged                      |
    /// |----------------------|------------------------------|
    /// | `001xx000003dgsuaaa` | yes (checksum: case changed) |
    /// | `003xx000004TmiQAAS` | yes (contact id, not account)|
    /// | `001xx000003DGSu`    | no (15-character form)       |
    /// | `001xx000003DGSuAAO` | no                           |
    ///
    /// ## Options
    /// - `checks.invalid-salesforce-id.mode`: `auto` (columns whose sampled values are
    ///   mostly Salesforce-shaped, the default), `always`, `never`.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct InvalidSalesforceId;
    code = "FM008",
    name = "invalid-salesforce-id",
    family = Format,
    scope = Record,
    severity = Error,
    dimension = Validity,
}

/// How Salesforce ids are validated (`[checks.invalid-salesforce-id] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Only columns whose sampled values look like Salesforce ids.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Default)]
pub struct Options {
    mode: Mode,
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(mode) = table.choice(
            "mode",
            &[
                ("auto", Mode::Auto),
                ("always", Mode::Always),
                ("never", Mode::Never),
            ],
        ) {
            self.mode = mode;
        }
    }
}

impl Check for InvalidSalesforceId {
    type Options = Options;
    /// Columns holding Salesforce ids, with the object their prefix must name.
    type Prepared = Vec<(usize, Option<ObjectType>)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        options: &Options,
    ) -> Option<Vec<(usize, Option<ObjectType>)>> {
        if options.mode == Mode::Never {
            return None;
        }
        let profile = cx.profile;
        let mut candidates: Vec<(usize, Option<ObjectType>)> = Vec::new();
        if let Some(c) = profile.id_column {
            candidates.push((
                c,
                (profile.object != ObjectType::Generic).then_some(profile.object),
            ));
        }
        for (c, role) in profile.columns.mapped() {
            if Some(c) == profile.id_column {
                continue;
            }
            match role.kind() {
                ValueKind::Reference(target) => candidates.push((c, Some(target))),
                ValueKind::Id => candidates.push((c, None)),
                _ => {}
            }
        }
        candidates.retain(|(c, _)| {
            if options.mode == Mode::Always {
                return true;
            }
            let (mut total, mut like) = (0usize, 0usize);
            for v in cx.sample_values(*c) {
                total += 1;
                like += usize::from(looks_like_salesforce_id(v));
            }
            total > 0 && like * 10 >= total * 8
        });
        (!candidates.is_empty()).then_some(candidates)
    }

    fn check_record(
        &self,
        columns: &Vec<(usize, Option<ObjectType>)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &(column, expected) in columns {
            let value = record.get(column);
            if value.is_empty() {
                continue;
            }
            let Some(problem) = problem(value, expected) else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!("`{}` = `{value}`: {problem}", record.header(column)),
            );
        }
    }
}

/// What is wrong with a Salesforce id, if anything.
fn problem(id: &str, expected: Option<ObjectType>) -> Option<String> {
    if !(id.len() == 15 || id.len() == 18) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some("not a Salesforce id (15 or 18 letters and digits)".to_owned());
    }
    if id.len() == 18 && !id[15..].eq_ignore_ascii_case(&checksum(&id[..15])) {
        return Some(format!(
            "checksum suffix `{}` does not match (expected `{}`): the id was altered (typically its case changed)",
            &id[15..],
            checksum(&id[..15])
        ));
    }
    let expected = expected?;
    let prefix = &id[..3];
    let want = expected.salesforce_prefix()?;
    // Records owned by a queue carry a queue id (00G) in OwnerId.
    if prefix == want || (expected == ObjectType::User && prefix == "00G") {
        return None;
    }
    let actual = ObjectType::from_salesforce_prefix(prefix).map_or_else(
        || format!("prefix `{prefix}`"),
        |o| format!("{} {o} id (`{prefix}`)", article(o.as_str())),
    );
    Some(format!(
        "{actual} where {} {expected} id (`{want}`) belongs",
        article(expected.as_str())
    ))
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_salesforce() {
        assert_eq!(
            problem("001A0000006Vm9rIAC", Some(ObjectType::Account)),
            None
        );
        assert!(problem("001a0000006vm9riac", Some(ObjectType::Account)).is_some());
        assert!(problem("001A0000006Vm9r", Some(ObjectType::Contact)).is_some());
        assert!(problem("00GA0000006Vm9r", Some(ObjectType::User)).is_none());
        assert!(problem("001A0000006Vm9", None).is_some());
    }
}
