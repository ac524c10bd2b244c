//! Checks on the export itself: the shape of rows and the bytes of values.

mod invalid_encoding;
mod ragged_row;
mod rule_does_not_fit;
mod unclosed_quote;

pub use invalid_encoding::InvalidEncoding;
pub use ragged_row::RaggedRow;
pub use rule_does_not_fit::RuleDoesNotFit;
pub use unclosed_quote::UnclosedQuote;
