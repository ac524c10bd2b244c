//! Format and validity checks: values that do not have the shape or type their column
//! requires.

mod allowed_value_variant;
mod invalid_salesforce_id;
mod mixed_format;
mod pattern_mismatch;
mod picklist;
mod rare_value_variant;
mod stray_whitespace;
mod unparseable_boolean;
mod unparseable_date;
mod unparseable_number;
mod value_not_allowed;
mod value_out_of_range;

pub use allowed_value_variant::AllowedValueVariant;
pub use invalid_salesforce_id::InvalidSalesforceId;
pub use mixed_format::MixedFormat;
pub use pattern_mismatch::PatternMismatch;
pub use rare_value_variant::RareValueVariant;
pub use stray_whitespace::StrayWhitespace;
pub use unparseable_boolean::UnparseableBoolean;
pub use unparseable_date::UnparseableDate;
pub use unparseable_number::UnparseableNumber;
pub use value_not_allowed::ValueNotAllowed;
pub use value_out_of_range::ValueOutOfRange;
