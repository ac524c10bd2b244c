//! Junk and fake records (`JK`): test records and form spam among real ones.

mod keyboard_mash;
mod test_record;

pub use keyboard_mash::KeyboardMash;
pub use test_record::TestRecord;

use crate::checks::PrepareContext;
use crate::input::columns::Role;
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
