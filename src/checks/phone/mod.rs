//! Phone checks (`PH`): numbers that cannot be someone's line.

mod placeholder_phone;

pub use placeholder_phone::PlaceholderPhone;
