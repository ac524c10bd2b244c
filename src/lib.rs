//! crmaudit: audits CRM exports (CSV, SQLite) before they feed reports.
//!
//! Pipeline (DESIGN.md §2): `input` reads records and profiles each input (object,
//! column roles, locale); `config` loads rule files; `checks` prepare themselves per
//! input and `engine` runs them in parallel, then the dataset checks and duplicate
//! detection (`dedupe`), collecting `finding`s; `gate` decides pass or fail; `report`
//! renders one `RunReport` in every format; `cleanse` applies the fixes findings carry
//! to copies of the inputs (`crmaudit fix`). `cli` is the thin command layer.
//!
//! Dependencies point one way: `finding`, `locale`, `normalize`, `stage` ← `input` ← `config` ←
//! `checks`, `dedupe` ← `engine` ← `gate`, `report` ← `cli`.

pub mod checks;
pub mod cleanse;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod engine;
pub mod finding;
pub mod gate;
pub mod history;
pub mod input;
pub mod locale;
pub mod normalize;
pub mod report;
pub mod stage;
pub mod trust;
