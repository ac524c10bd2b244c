//! crmaudit: audits CRM exports (CSV, SQLite) before they feed reports.
//!
//! Pipeline (DESIGN.md §2): `input` reads records and maps columns to roles; `engine`
//! runs the `checks` of the rule file (`config`) in parallel and collects `finding`s;
//! `report` renders one `RunReport` in every format. `cli` is the thin command layer.

pub mod checks;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod engine;
pub mod finding;
pub mod generate;
pub mod input;
pub mod locale;
pub mod normalize;
pub mod report;
