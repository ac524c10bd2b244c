use super::Flag;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Leads marked converted whose converted contact or account id is blank (when the
    /// export has those columns). A converted deal id may be blank: conversion creates
    /// a deal only optionally.
    ///
    /// ## Why it matters
    /// Distorts the **conversion** report: conversion always creates or merges an
    /// account and a contact, so a converted lead that points at neither is a broken
    /// conversion or a hand-edited export, and lead-to-customer attribution is lost.
    ///
    /// ## Example
    /// | IsConverted | ConvertedContactId | ConvertedAccountId | flagged |
    /// |-------------|--------------------|--------------------|---------|
    /// | `true`      | ``                 | `001…`             | yes     |
    /// | `true`      | `003…`             | `001…`             | no      |
    /// | `false`     | ``                 | ``                 | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ConvertedLeadWithoutTargets;
    code = "SM012",
    name = "converted-lead-without-targets",
    family = Semantic,
    scope = Record,
    severity = Error,
    dimension = Consistency,
    reports = [Conversion],
}

impl Check for ConvertedLeadWithoutTargets {
    type Options = ();
    type Prepared = (Flag, Vec<usize>);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(Flag, Vec<usize>)> {
        if cx.profile.object != ObjectType::Lead {
            return None;
        }
        let flag = Flag::new(cx.profile, cx.sample, Role::IsConverted)?;
        let targets: Vec<usize> = [Role::ConvertedContactId, Role::ConvertedAccountId]
            .iter()
            .filter_map(|r| cx.profile.columns.column(*r))
            .collect();
        (!targets.is_empty()).then_some((flag, targets))
    }

    fn check_record(
        &self,
        (flag, targets): &(Flag, Vec<usize>),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        if flag.read(record) != Some(true) {
            return;
        }
        for &column in targets {
            if !record.get(column).is_empty() {
                continue;
            }
            sink.report(
                Some(column),
                None,
                format!(
                    "converted lead with `{}` blank: the conversion points at no record (conversion)",
                    record.header(column)
                ),
            );
        }
    }
}
