//! Junk and fake records (`JK`): test records and form spam among real ones.

mod company_not_a_name;
mod digits_in_person_name;
mod first_name_equals_last_name;
mod full_name_disagrees;
mod keyboard_mash;
mod test_record;

pub use company_not_a_name::CompanyNotAName;
pub use digits_in_person_name::DigitsInPersonName;
pub use first_name_equals_last_name::FirstNameEqualsLastName;
pub use full_name_disagrees::FullNameDisagrees;
pub use keyboard_mash::KeyboardMash;
pub use test_record::TestRecord;

use crate::checks::PrepareContext;
use crate::input::columns::{ColumnMap, Role};
use crate::input::object::ObjectType;

/// Name columns a person or company types: first, last, full and company names, on the
/// records people create (contacts, leads, accounts, deals; not lookup tables, property
/// definitions or history copies).
pub fn name_columns(cx: &PrepareContext<'_>) -> Vec<usize> {
    if !matches!(
        cx.profile.object,
        ObjectType::Contact | ObjectType::Lead | ObjectType::Account | ObjectType::Deal
    ) {
        return Vec::new();
    }
    cx.profile
        .columns
        .mapped()
        .filter(|(_, r)| {
            matches!(
                r,
                Role::FirstName | Role::LastName | Role::FullName | Role::Name | Role::Company
            )
        })
        .map(|(c, _)| c)
        .collect()
}

/// The column map of a record of a person (contact or lead), else `None`.
fn person_columns<'a>(cx: &'a PrepareContext<'_>) -> Option<&'a ColumnMap> {
    matches!(cx.profile.object, ObjectType::Contact | ObjectType::Lead)
        .then_some(&cx.profile.columns)
}
