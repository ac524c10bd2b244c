use crate::checks::prelude::*;
use crate::input::columns::ValueKind;
use crate::input::object::ObjectType;
use crate::input::profile::majority_prefix;
use crate::normalize::salesforce_id::{checksum, restore_case};

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
    /// ## Fix
    /// An 18-character id whose checksum does not match because its case changed gets its
    /// case back from the checksum (`001a0000006vm9riac` → `001A0000006Vm9rIAC`): safe when
    /// the whole id was lowered or raised (what spreadsheets and case-insensitive tools
    /// do), unsafe when its case is mixed. Other problems have no fix.
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
    fix = SafeOrUnsafe,
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

/// The object a column's ids must belong to.
#[derive(Debug, Clone)]
pub struct Expected {
    prefix: String,
    name: String,
    /// Owner columns also hold queue ids (`00G`).
    queue_ok: bool,
}

impl Expected {
    fn of(object: ObjectType) -> Option<Expected> {
        Some(Expected {
            prefix: object.salesforce_prefix()?.to_owned(),
            name: object.as_str().to_owned(),
            queue_ok: object == ObjectType::User,
        })
    }
}

impl Check for InvalidSalesforceId {
    type Options = Options;
    /// Columns holding Salesforce ids, with the object their prefix must name.
    type Prepared = Vec<(usize, Option<Expected>)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        options: &Options,
    ) -> Option<Vec<(usize, Option<Expected>)>> {
        if options.mode == Mode::Never {
            return None;
        }
        let profile = cx.profile;
        let mut candidates: Vec<(usize, Option<Expected>)> = Vec::new();
        if let Some(c) = profile.id_column {
            // An entity's ids carry its prefix; a history or link table's ids are its
            // parent's, whatever most of them are.
            let expected = Expected::of(profile.object)
                .filter(|_| profile.object.is_entity())
                .or_else(|| {
                    let (prefix, (object, api)) = majority_prefix(cx.sample, c)?;
                    Some(Expected {
                        prefix,
                        name: if object.is_entity() {
                            object.as_str()
                        } else {
                            api
                        }
                        .to_owned(),
                        queue_ok: false,
                    })
                });
            candidates.push((c, expected));
        }
        for (c, role) in profile.columns.mapped() {
            if Some(c) == profile.id_column {
                continue;
            }
            match role.kind() {
                ValueKind::Reference(target) => candidates.push((c, Expected::of(target))),
                ValueKind::Id => candidates.push((c, None)),
                _ => {}
            }
        }
        // Lookups no role names (`LastModifiedById`, `pricebook_entry_id`): a column
        // named like an id whose values look like Salesforce ids (checked below, in
        // `auto` mode).
        for c in 0..profile.width() {
            let key = crate::input::columns::header_key(profile.header_name(c));
            if options.mode == Mode::Auto
                && profile.columns.role(c).is_none()
                && Some(c) != profile.labels_column
                && key.len() > 2
                && key.ends_with("id")
            {
                candidates.push((c, None));
            }
        }
        candidates.retain(|(c, _)| {
            if options.mode == Mode::Always {
                return true;
            }
            let (mut total, mut like) = (0usize, 0usize);
            for v in cx.sample_values(*c) {
                total += 1;
                like += usize::from(resembles_salesforce_id(v));
            }
            total > 0 && like * 10 >= total * 8
        });
        (!candidates.is_empty()).then_some(candidates)
    }

    fn check_record(
        &self,
        columns: &Vec<(usize, Option<Expected>)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for (column, expected) in columns {
            let value = record.get(*column);
            if value.is_empty() {
                continue;
            }
            let Some(problem) = problem(value, expected.as_ref()) else {
                continue;
            };
            sink.report(
                Some(*column),
                Some(value),
                format!("`{}` = `{value}`: {problem}", record.header(*column)),
            );
            if let Some(restored) = restore_case(value).filter(|r| r != value) {
                let uniform = !value.bytes().any(|b| b.is_ascii_uppercase())
                    || !value.bytes().any(|b| b.is_ascii_lowercase());
                let applicability = if uniform {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                sink.fix(&restored, applicability);
            }
        }
    }
}

/// Whether a value is a Salesforce id or a damaged one: 14 to 19 letters and digits
/// (spaces aside) starting with a standard object's key prefix. Hashes, emails and
/// `@references` are not.
fn resembles_salesforce_id(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| *c != ' ').collect();
    (14..=19).contains(&compact.len())
        && compact.bytes().all(|b| b.is_ascii_alphanumeric())
        && ObjectType::from_salesforce_prefix(&compact[..3]).is_some()
}

/// What is wrong with a Salesforce id, if anything.
fn problem(id: &str, expected: Option<&Expected>) -> Option<String> {
    if !(id.len() == 15 || id.len() == 18) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some("not a Salesforce id (15 or 18 letters and digits)".to_owned());
    }
    if id.len() == 18 && !id[15..].eq_ignore_ascii_case(&checksum(&id[..15])) {
        if let Some(restored) = restore_case(id) {
            return Some(format!(
                "its letter case was changed (as spreadsheets and case-insensitive tools do): its checksum suffix says it is `{restored}`"
            ));
        }
        return Some(format!(
            "checksum suffix `{}` does not match (expected `{}`): the id was altered",
            &id[15..],
            checksum(&id[..15])
        ));
    }
    let expected = expected?;
    let prefix = &id[..3];
    // Records owned by a queue carry a queue id (00G) in OwnerId.
    if prefix == expected.prefix || (expected.queue_ok && prefix == "00G") {
        return None;
    }
    let actual = ObjectType::from_salesforce_prefix(prefix).map_or_else(
        || format!("prefix `{prefix}`"),
        |(o, api)| {
            let name = if o.is_entity() { o.as_str() } else { api };
            format!("{} {name} id (`{prefix}`)", article(name))
        },
    );
    Some(format!(
        "{actual} where {} {} id (`{}`) belongs",
        article(&expected.name),
        expected.name,
        expected.prefix
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
        let of = |o| Expected::of(o).unwrap();
        assert_eq!(
            problem("001A0000006Vm9rIAC", Some(&of(ObjectType::Account))),
            None
        );
        assert!(problem("001a0000006vm9riac", Some(&of(ObjectType::Account))).is_some());
        assert!(problem("001A0000006Vm9r", Some(&of(ObjectType::Contact))).is_some());
        assert!(problem("00GA0000006Vm9r", Some(&of(ObjectType::User))).is_none());
        assert!(problem("001A0000006Vm9", None).is_some());
        assert!(resembles_salesforce_id("01 1G000000bUE8QAM"));
        assert!(!resembles_salesforce_id("9CcfAt8qtZvCTwFvwOFLcg=="));
    }
}
