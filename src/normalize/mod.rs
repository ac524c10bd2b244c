//! Normalizers: comparison keys computed from stored values, which are never rewritten.
//!
//! Each submodule owns one kind of value. Checks use them to compare picklist values,
//! placeholders and keys; duplicate detection builds its match keys from them.

pub mod email;
pub mod text;
