//! Normalizers: comparison keys computed from stored values, which are never rewritten.
//!
//! Each submodule owns one kind of value. Checks use them to compare picklist values,
//! placeholders and keys; duplicate detection builds its match keys from them.

pub mod address;
pub mod company;
pub mod country;
pub mod domain;
pub mod email;
pub mod name;
pub mod phone;
pub mod postal_code;
pub mod salesforce_id;
pub mod subdivision;
pub mod text;
