//! THE list of checks. One line per check; codes are stable forever and never reused.
//! A renamed or removed check keeps its code reserved here in `REMOVED`.

use super::{
    DynCheck, completeness, duplicates, email, format, input, junk, phone, places, referential,
    semantic, staleness,
};

pub static CHECKS: &[&dyn DynCheck] = &[
    &input::RaggedRow,
    &input::InvalidEncoding,
    &input::UnclosedQuote,
    &input::RuleDoesNotFit,
    &input::RequiredColumnMissing,
    &input::KeyColumnsUnmapped,
    &input::DelimiterMismatch,
    &input::UnusableInput,
    &completeness::RequiredFieldBlank,
    &completeness::ConditionallyRequiredBlank,
    &completeness::PlaceholderValue,
    &format::PatternMismatch,
    &format::ValueNotAllowed,
    &format::AllowedValueVariant,
    &format::ValueOutOfRange,
    &format::UnparseableDate,
    &format::UnparseableNumber,
    &format::UnparseableBoolean,
    &format::InvalidSalesforceId,
    &format::RareValueVariant,
    &format::StrayWhitespace,
    &format::MixedFormat,
    &email::InvalidEmail,
    &email::EmailDomainTypo,
    &email::DisposableEmailDomain,
    &email::RoleEmailOnPerson,
    &email::PlaceholderEmail,
    &email::EmailBounced,
    &email::UnknownEmailTld,
    &email::FreeEmailOnBusinessRecord,
    &phone::PlaceholderPhone,
    &phone::InvalidPhone,
    &phone::PhoneCountryMismatch,
    &phone::PhoneNotE164,
    &junk::KeyboardMash,
    &junk::TestRecord,
    &junk::FirstNameEqualsLastName,
    &junk::DigitsInPersonName,
    &junk::FullNameDisagrees,
    &junk::CompanyNotAName,
    &staleness::StaleRecord,
    &staleness::DateInFuture,
    &staleness::EmailDomainLeftAccount,
    &staleness::EmailNotEngaged,
    &places::CountryMisspelled,
    &places::CountryWrittenSeveralWays,
    &places::StateNotInCountry,
    &places::PostalCodeInvalid,
    &places::StateWrittenSeveralWays,
    &duplicates::DuplicateKeyValue,
    &duplicates::PossibleDuplicatePair,
    &duplicates::DuplicateClusterMember,
    &duplicates::DuplicateRecord,
    &referential::ReferenceNotFound,
    &referential::ReferenceBlank,
    &semantic::WonDealWithoutAmount,
    &semantic::ProbabilityContradictsOutcome,
    &semantic::OpenProbabilityExtreme,
    &semantic::ProbabilityOffStageDefault,
    &semantic::ForecastCategoryContradictsStage,
    &semantic::FlagsContradictStage,
    &semantic::CloseBeforeCreated,
    &semantic::LostDealWithActualAmount,
    &semantic::NextStepContradictsStage,
    &semantic::StageNotInPipeline,
    &semantic::PlaceholderDate,
    &semantic::ConvertedLeadWithoutTargets,
    &semantic::OpenDealPastCloseDate,
    &semantic::WonCloseDateInFuture,
    &semantic::OverdueTask,
    &semantic::OpenTaskWithoutDueDate,
    &semantic::ConvertedStatusNotConverted,
    &semantic::DealNameRepeatedInAccount,
];

/// Codes of checks that no longer exist; they are never given to a new check.
pub static REMOVED: &[&str] = &[];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<&str> = CHECKS.iter().map(|c| c.meta().code.as_ref()).collect();
        assert_eq!(codes.len(), CHECKS.len(), "duplicate check code");
        let names: BTreeSet<&str> = CHECKS.iter().map(|c| c.meta().name.as_ref()).collect();
        assert_eq!(names.len(), CHECKS.len(), "duplicate check name");
        for removed in REMOVED {
            assert!(
                !codes.contains(*removed),
                "{removed} was removed and cannot be reused"
            );
        }
    }

    #[test]
    fn codes_match_their_family_and_names_are_kebab_case() {
        for c in CHECKS {
            let m = c.meta();
            assert!(
                m.code.starts_with(m.family.prefix()),
                "{} is not in family {:?}",
                m.code,
                m.family
            );
            assert_eq!(m.code.len(), 5, "{}", m.code);
            assert!(
                m.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                m.code
            );
            assert!(
                m.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !m.name.starts_with("no-"),
                "{} is not a kebab-case problem name",
                m.name
            );
        }
    }

    #[test]
    fn every_check_has_its_doc_sections() {
        for c in CHECKS {
            let m = c.meta();
            let docs = m.docs_markdown();
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## Trust impact",
            ] {
                assert!(docs.contains(heading), "{} lacks `{heading}`", m.code);
            }
            assert!(!m.summary().is_empty(), "{} has an empty summary", m.code);
        }
    }

    #[test]
    fn registry_snapshot() {
        let table: Vec<String> = CHECKS
            .iter()
            .map(|c| {
                let m = c.meta();
                format!(
                    "{} {} {:?} {} {}",
                    m.code,
                    m.name,
                    m.scope,
                    m.severity,
                    m.dimension.as_str()
                )
            })
            .collect();
        insta::assert_snapshot!(table.join("\n"));
    }
}
