use crate::checks::prelude::*;
use crate::input::object::ObjectType;

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

impl Check for InvalidSalesforceId {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &(column, expected) in &ctx.plan.salesforce_id_columns {
            let value = record.get(column);
            if value.is_empty() {
                continue;
            }
            let Some(problem) = problem(value, expected) else {
                continue;
            };
            sink.report(
                &Self::META,
                Some(column),
                Some(value),
                format!("`{}` = `{value}`: {problem}", ctx.plan.header_name(column)),
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

/// The 3-character suffix that makes a 15-character id case-insensitive.
fn checksum(id15: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk.iter().enumerate().fold(0usize, |acc, (i, b)| {
                acc | (usize::from(b.is_ascii_uppercase()) << i)
            });
            char::from(ALPHABET[bits])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_salesforce() {
        // Documented pair: 001A0000006Vm9r → 001A0000006Vm9rIAC.
        assert_eq!(checksum("001A0000006Vm9r"), "IAC");
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
