//! Staleness: records nobody has worked for a long time, and dates that cannot be
//! true yet. Every check here is measured against the run's as-of date (`--as-of`, the
//! rule file's `as-of`, or by default the newest timestamp in the inputs), so the same
//! export audited next month gives the same findings.

mod date_in_future;
mod email_domain_left_account;
mod email_not_engaged;
mod stale_record;

pub use date_in_future::DateInFuture;
pub use email_domain_left_account::EmailDomainLeftAccount;
pub use email_not_engaged::EmailNotEngaged;
pub use stale_record::StaleRecord;
