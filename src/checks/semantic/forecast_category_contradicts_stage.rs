use super::DealFields;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::text::fold_alnum;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Deals whose forecast category contradicts where they stand: a won deal not in
    /// `Closed`, a lost deal not in `Omitted`, an open deal in `Closed`.
    ///
    /// ## Why it matters
    /// Distorts the **forecast**: its columns are totalled by forecast category, so a
    /// wrong category puts the deal's money in the wrong column.
    ///
    /// ## Example
    /// | StageName     | ForecastCategoryName | flagged |
    /// |---------------|----------------------|---------|
    /// | `Closed Won`  | `Pipeline`           | yes     |
    /// | `Prospecting` | `Closed`             | yes     |
    /// | `Closed Lost` | `Omitted`            | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ForecastCategoryContradictsStage;
    code = "SM005",
    name = "forecast-category-contradicts-stage",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Forecast],
}

impl Check for ForecastCategoryContradictsStage {
    type Options = ();
    type Prepared = (DealFields, usize);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(DealFields, usize)> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        let column = cx.profile.columns.column(Role::ForecastCategory)?;
        Some((deal, column))
    }

    fn check_record(
        &self,
        (deal, column): &(DealFields, usize),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let value = record.get(*column);
        let category = fold_alnum(value);
        if category.is_empty() {
            return;
        }
        let closed = category == "closed";
        let omitted = category == "omitted" || category == "omit";
        let problem = match deal.state(record, record.profile) {
            Some(StageState::Won) if !closed => "a won deal belongs in `Closed`",
            Some(StageState::Lost) if !omitted => "a lost deal belongs in `Omitted`",
            Some(StageState::Open) if closed => "an open deal cannot be `Closed`",
            _ => return,
        };
        sink.report(
            Some(*column),
            Some(value),
            format!(
                "`{}` = `{value}`: {problem} (forecast)",
                record.header(*column)
            ),
        );
    }
}
