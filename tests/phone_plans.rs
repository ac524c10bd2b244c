//! `data/phone_plans.tsv` is derived from libphonenumber's metadata as the `phonenumber`
//! crate (a dev-dependency) carries it: per country its calling code, national prefix,
//! possible lengths and number ranges. crmaudit reads the table instead of the crate,
//! whose loader compiles every pattern of every country at start-up (a quarter of a
//! second before the first number) and whose validator serialises threads on one
//! regex cache.
//!
//! This test keeps the table equal to the crate's metadata; after a crate update run
//! `CRMAUDIT_REGENERATE=1 cargo test --test phone_plans` and commit the table.

use std::path::Path;

use phonenumber::metadata::{DATABASE, Descriptor};

/// The number types of a country (fixed line, mobile, toll free, …).
fn number_types(meta: &phonenumber::Metadata) -> Vec<&Descriptor> {
    let d = meta.descriptors();
    [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A pattern without the layout whitespace the metadata's XML gives it (the patterns
/// are read with `x`, whitespace-insensitive; none holds a literal space).
fn compact(pattern: &str) -> String {
    pattern.chars().filter(|c| !c.is_whitespace()).collect()
}

fn table() -> String {
    // By calling code: `iter()` is keyed by region, and the non-geographic codes
    // (+800, +808, +870, +881, +882, +883, +888, +979) all share the region `001`.
    let metas: Vec<&phonenumber::Metadata> = (1..1000u16)
        .filter_map(|code| DATABASE.by_code(&code))
        .flatten()
        .collect();
    let mut rows: Vec<String> = metas
        .into_iter()
        .map(|meta| {
            let types = number_types(meta);
            // Any number type's range, as libphonenumber's validity reads them (the
            // general descriptor is looser: every `[2-9]` ten-digit number for the US).
            let pattern = if types.is_empty() {
                compact(meta.descriptors().general().national_number().as_str())
            } else {
                types
                    .iter()
                    .map(|t| format!("(?:{})", compact(t.national_number().as_str())))
                    .collect::<Vec<_>>()
                    .join("|")
            };
            let mut lengths: Vec<u16> = meta
                .descriptors()
                .general()
                .possible_length()
                .iter()
                .chain(types.iter().flat_map(|t| t.possible_length().iter()))
                .copied()
                .collect();
            lengths.sort_unstable();
            lengths.dedup();
            let lengths: Vec<String> = lengths.iter().map(u16::to_string).collect();
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                meta.id(),
                meta.country_code(),
                meta.national_prefix().unwrap_or(""),
                u8::from(meta.is_main_country_for_code()),
                lengths.join(","),
                pattern
            )
        })
        .collect();
    rows.sort();
    rows.dedup();
    let mut out = String::from("region\tcode\tnational_prefix\tmain\tlengths\tpattern\n");
    for row in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out
}

#[test]
fn phone_plans_match_the_crate() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/phone_plans.tsv");
    let expected = table();
    if std::env::var_os("CRMAUDIT_REGENERATE").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let bundled = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        bundled == expected,
        "data/phone_plans.tsv differs from the phonenumber crate's metadata: run `CRMAUDIT_REGENERATE=1 cargo test --test phone_plans`"
    );
}
