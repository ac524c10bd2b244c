//! Completeness checks: values that are missing or stand in for missing.

mod conditionally_required_blank;
mod placeholder_value;
mod required_field_blank;

pub use conditionally_required_blank::ConditionallyRequiredBlank;
pub use placeholder_value::PlaceholderValue;
pub use required_field_blank::RequiredFieldBlank;
