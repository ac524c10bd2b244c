//! Checks on the export itself: the shape of rows and the bytes of values.

mod delimiter_mismatch;
mod invalid_encoding;
mod key_columns_unmapped;
mod ragged_row;
mod required_column_missing;
mod rule_does_not_fit;
mod unclosed_quote;
mod unusable_input;

pub use delimiter_mismatch::DelimiterMismatch;
pub use invalid_encoding::InvalidEncoding;
pub use key_columns_unmapped::KeyColumnsUnmapped;
pub use ragged_row::RaggedRow;
pub use required_column_missing::RequiredColumnMissing;
pub use rule_does_not_fit::RuleDoesNotFit;
pub use unclosed_quote::UnclosedQuote;
pub use unusable_input::UnusableInput;
