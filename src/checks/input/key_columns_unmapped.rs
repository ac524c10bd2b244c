use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// An input of a known object type (from `--object`, the rule file, its ids or its
    /// file name) in which none of the columns that identify such a record was
    /// recognised (a contact export with no name, email or phone column, a deal export
    /// with no name, stage, amount or close date) and at most one other column was:
    /// the tool did not understand the export. One finding for the input.
    ///
    /// ## Why it matters
    /// Every check of the object type reads those columns. When none is mapped (headers
    /// in a language or naming the tool does not know, a wrong `--object`), the audit
    /// checks nothing and would pass an export it never understood.
    ///
    /// ## Example
    /// | object  | header                         | flagged |
    /// |---------|--------------------------------|---------|
    /// | contact | `Nom,Prénom,Courriel`          | yes     |
    /// | contact | `Id,LastName,Email`            | no      |
    /// | deal    | `Id,Opportunity,Étape,Montant` | yes     |
    ///
    /// Map the columns with `--column contact.last_name=Nom` or `[columns.contact]`.
    ///
    /// ## Trust impact
    /// Counts against `completeness`; an error, so the gate fails.
    pub struct KeyColumnsUnmapped;
    code = "IN006",
    name = "key-columns-unmapped",
    family = Input,
    scope = Dataset,
    severity = Error,
    dimension = Completeness,
}

/// The columns that identify a record of each object type; an input of the type should
/// have at least one.
fn key_roles(object: ObjectType) -> &'static [Role] {
    match object {
        ObjectType::Contact | ObjectType::Lead => &[
            Role::FirstName,
            Role::LastName,
            Role::FullName,
            Role::Email,
            Role::Phone,
            Role::MobilePhone,
        ],
        ObjectType::Account => &[Role::Name, Role::Website, Role::Phone, Role::Email],
        ObjectType::Deal => &[
            Role::Name,
            Role::Stage,
            Role::Amount,
            Role::CloseDate,
            Role::Probability,
        ],
        ObjectType::Task | ObjectType::Event => {
            &[Role::Subject, Role::Status, Role::DueDate, Role::EventStart]
        }
        ObjectType::Case => &[Role::Subject, Role::CaseStatus, Role::CaseNumber],
        ObjectType::User => &[
            Role::Username,
            Role::Email,
            Role::FullName,
            Role::FirstName,
            Role::LastName,
        ],
        ObjectType::Campaign | ObjectType::Product => &[Role::Name],
        // Derived tables and generic inputs have no columns they must carry.
        _ => &[],
    }
}

impl Check for KeyColumnsUnmapped {
    type Options = ();
    type Prepared = String;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<String> {
        let profile = cx.profile;
        let roles = key_roles(profile.object);
        // Types without key columns, or an input that has one.
        if roles.is_empty() || roles.iter().any(|r| profile.columns.column(*r).is_some()) {
            return None;
        }
        // A role taken away because the values are not what it means (hashed names)
        // was recognised: that is said where it was taken away.
        if roles.iter().any(|r| profile.overruled.contains(r)) {
            return None;
        }
        // Other columns of the type were understood (owner, dates, references): the
        // export is a narrow one, not one the tool failed to read.
        let understood = profile
            .columns
            .mapped()
            .filter(|(c, _)| Some(*c) != profile.id_column)
            .count();
        if understood > 1 {
            return None;
        }
        let object = profile.object;
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Some(format!(
            "no column of this {object} export was recognised as {} (columns: {}; object type from {}): the checks of a {object} have nothing to read; map the columns with --column {object}.{}=HEADER or under [columns.{object}], or set the right --object",
            names.join(", "),
            profile.header.columns.join(", "),
            profile.object_source,
            names[0],
        ))
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, String>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            if let Some(message) = input.prepared {
                sink.report_input(input.table, None, message.clone());
            }
        }
    }
}
