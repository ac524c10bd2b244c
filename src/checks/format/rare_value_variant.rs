use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::checks::prelude::*;
use crate::config::closest;
use crate::input::columns::Role;
use crate::input::table::StrColumn;
use crate::normalize::text::fold_alnum;

declare_check! {
    /// ## What it checks
    /// Picklist-like columns (stage, status, source, industry, type, country, state,
    /// city, …) with no allowed list configured, where a rare value is a misspelling of
    /// a frequent one: the same after ignoring case, spacing and punctuation
    /// (`closed won` beside `Closed Won`), or one edit away in a word of four letters or
    /// more (`Finanace` beside `Finance`). The column's own data is the reference, as
    /// OpenRefine's clustering does it: the rare value appears on few records, the
    /// frequent one on many more. The message names the usual spelling. An industry
    /// with no correct spelling in the column is compared with the standard industry
    /// names (`data/industries.txt`): `technolgy` on every record is still `technology`.
    ///
    /// ## Why it matters
    /// Reports group by these values: each misspelling is a separate industry, stage or
    /// country with a handful of records, missing from the real group's totals.
    ///
    /// ## Example
    /// | Industry (records)  | flagged                         |
    /// |---------------------|---------------------------------|
    /// | `Finance` (40)      | no                              |
    /// | `Finanace` (2)      | yes (→ `Finance`)               |
    /// | `finance` (1)       | yes (→ `Finance`)               |
    /// | `Retail` (3)        | no (not a variant of anything)  |
    /// | `Q1 2025` / `Q2 2025` | no (values with digits must fold to the same text) |
    /// | `Technolgy` (5, no `Technology` in the column) | yes (→ standard `technology`) |
    /// | `Fintech` (5)       | no (not one edit from a single standard industry) |
    ///
    /// ## Options
    /// - `checks.rare-value-variant.roles`: the roles whose columns are compared
    ///   (default: stage, lead_status, lead_source, industry, type, country, state,
    ///   city, forecast_category, currency, lifecycle_stage, pipeline, salutation).
    /// - `checks.rare-value-variant.max-distinct` (default 200): columns with more
    ///   distinct values are free text, not picklists, and are skipped.
    /// - `checks.rare-value-variant.min-count` (default 5): records the usual spelling
    ///   needs.
    /// - `checks.rare-value-variant.min-ratio` (default 10): how many times more records
    ///   the usual spelling has than the variant.
    /// - `checks.rare-value-variant.max-edits` (default 1, 0 for case, spacing and
    ///   punctuation only).
    ///
    /// Columns with an allowed list (`objects.<object>.allowed`) are left to
    /// `allowed-value-variant`.
    ///
    /// ## Fix
    /// Unsafe: the column's usual spelling (found from the data, so a person should read
    /// the list first with `crmaudit fix --diff --unsafe-fixes`). A standard value the
    /// column does not use is only suggested: how the column would write it is unknown.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct RareValueVariant;
    code = "FM009",
    name = "rare-value-variant",
    family = Format,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
    fix = Unsafe,
}

/// `[checks.rare-value-variant]`.
#[derive(Debug)]
pub struct Options {
    roles: Vec<Role>,
    max_distinct: usize,
    min_count: usize,
    min_ratio: usize,
    max_edits: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            roles: vec![
                Role::Stage,
                Role::LeadStatus,
                Role::LeadSource,
                Role::Industry,
                Role::Type,
                Role::Country,
                Role::State,
                Role::City,
                Role::ForecastCategory,
                Role::Currency,
                Role::LifecycleStage,
                Role::Pipeline,
                Role::Salutation,
            ],
            max_distinct: 200,
            min_count: 5,
            min_ratio: 10,
            max_edits: 1,
        }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(names) = table.strings("roles") {
            let mut roles = Vec::with_capacity(names.len());
            for name in names {
                match Role::parse(&name) {
                    Some(role) => roles.push(role),
                    None => {
                        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                        let hint = closest(&name, &all)
                            .map(|r| format!("; did you mean `{r}`?"))
                            .unwrap_or_default();
                        let at = table.at();
                        table
                            .error_at(at, format!("unknown column role `{name}` in `roles`{hint}"));
                    }
                }
            }
            self.roles = roles;
        }
        if let Some(n) = table.integer("max-distinct", 2..=100_000) {
            self.max_distinct = n as usize;
        }
        if let Some(n) = table.integer("min-count", 2..=1_000_000) {
            self.min_count = n as usize;
        }
        if let Some(n) = table.integer("min-ratio", 2..=1_000_000) {
            self.min_ratio = n as usize;
        }
        if let Some(n) = table.integer("max-edits", 0..=2) {
            self.max_edits = n as usize;
        }
    }
}

pub struct Prepared {
    /// Columns compared, with their role (which may have a standard vocabulary).
    columns: Vec<(usize, Role)>,
    max_distinct: usize,
    min_count: usize,
    min_ratio: usize,
    max_edits: usize,
}

/// Shortest folded value for which a typo is considered (shorter codes differ by
/// design: `CA`/`CO`, `Won`/`Wan`).
const MIN_FUZZY_LEN: usize = 4;

impl Check for RareValueVariant {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let profile = cx.profile;
        let mut with_list: Vec<usize> = cx
            .rules()
            .map(|r| {
                r.allowed
                    .keys()
                    .filter_map(|f| cx.resolve(f, "picklist field"))
                    .collect()
            })
            .unwrap_or_default();
        // Columns checked against another input's keys are left to those checks.
        with_list.extend(cx.profile.relations.iter().map(|r| r.column));
        // Countries are checked against the country list when PL001 runs.
        let countries_listed = cx.checks.find("PL001").is_some_and(|(_, e)| e.enabled);
        let columns: Vec<(usize, Role)> = profile
            .columns
            .mapped()
            .filter(|(c, role)| options.roles.contains(role) && !with_list.contains(c))
            .filter(|(_, role)| !(*role == Role::Country && countries_listed))
            .collect();
        (!columns.is_empty()).then_some(Prepared {
            columns,
            max_distinct: options.max_distinct,
            min_count: options.min_count,
            min_ratio: options.min_ratio,
            max_edits: options.max_edits,
        })
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        p.columns.iter().map(|(c, _)| *c).collect()
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            for &(column, role) in &p.columns {
                let Some(values) = table.column(column) else {
                    continue;
                };
                let variants = variants(values, role, p);
                if variants.is_empty() {
                    continue;
                }
                for (record, value) in values.iter().enumerate() {
                    let Some((usual, count)) = variants.get(value) else {
                        continue;
                    };
                    let records = if *count == 1 { "record" } else { "records" };
                    let (message, (meant, applicability)) = match usual {
                        Usual::Column {
                            value: usual,
                            count: usual_count,
                        } => (
                            format!(
                                "`{}` = `{value}` ({count} {records}) looks like `{usual}` ({usual_count} records), the usual spelling in this column",
                                table.header_name(column),
                            ),
                            (*usual, Applicability::Unsafe),
                        ),
                        Usual::Standard { value: usual, what } => (
                            format!(
                                "`{}` = `{value}` ({count} {records}) looks like the standard {what} `{usual}`",
                                table.header_name(column),
                                // The standard value as listed, not as the column writes it.
                            ),
                            (*usual, Applicability::Suggestion),
                        ),
                    };
                    sink.report(table, record, Some(column), Some(value), message);
                    sink.fix(meant, applicability);
                }
            }
        }
    }
}

/// The value a variant stands for.
enum Usual<'v> {
    /// A frequent value of the same column, and its count.
    Column { value: &'v str, count: usize },
    /// A standard value of the column's role (`technology` for an industry).
    Standard {
        value: &'static str,
        what: &'static str,
    },
}

/// Standard values of a role, lowercase, for misspellings that have no correct
/// spelling in the column itself.
fn vocabulary(role: Role) -> Option<(&'static str, &'static [&'static str])> {
    static INDUSTRIES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    match role {
        Role::Industry => Some((
            "industry",
            INDUSTRIES
                .get_or_init(|| {
                    include_str!("../../../data/industries.txt")
                        .lines()
                        .collect()
                })
                .as_slice(),
        )),
        _ => None,
    }
}

/// Each variant of a column with the value it stands for and its own count. Empty
/// when the column is not picklist-like.
fn variants<'v>(
    values: &'v StrColumn,
    role: Role,
    p: &Prepared,
) -> FxHashMap<&'v str, (Usual<'v>, usize)> {
    let counts: FxHashMap<&str, usize> = (0..values.len())
        .into_par_iter()
        .with_min_len(4096)
        .fold(FxHashMap::default, |mut m: FxHashMap<&str, usize>, i| {
            let v = values.get(i);
            if !v.is_empty() {
                *m.entry(v).or_default() += 1;
            }
            m
        })
        .reduce(FxHashMap::default, |mut a, b| {
            b.into_iter()
                .for_each(|(k, n)| *a.entry(k).or_default() += n);
            a
        });
    if counts.len() > p.max_distinct || counts.len() < 2 {
        return FxHashMap::default();
    }
    let mut distinct: Vec<(&str, usize)> = counts.into_iter().collect();
    // Most frequent first; ties by text, so the result does not depend on hashing.
    distinct.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let folded: Vec<String> = distinct.iter().map(|(v, _)| fold_alnum(v)).collect();
    // The standard list speaks for a column only where two thirds of its records use it:
    // an org with an industry list of its own (`Rail, Bus & Taxi`) spells its values as
    // it likes.
    let vocabulary = vocabulary(role).filter(|(_, terms)| {
        let total: usize = distinct.iter().map(|(_, n)| n).sum();
        let standard: usize = distinct
            .iter()
            .filter(|(v, _)| terms.contains(&v.trim().to_lowercase().as_str()))
            .map(|(_, n)| n)
            .sum();
        standard * 3 >= total * 2
    });
    let mut out = FxHashMap::default();
    for (i, &(value, count)) in distinct.iter().enumerate() {
        let rare_fold = &folded[i];
        if rare_fold.is_empty() {
            continue;
        }
        let usual = distinct
            .iter()
            .enumerate()
            .take(i)
            .find(|(j, (_, usual_count))| {
                let usual_fold = &folded[*j];
                if *usual_count < p.min_count || *usual_count < count * p.min_ratio {
                    return false;
                }
                if usual_fold == rare_fold {
                    return true;
                }
                p.max_edits > 0
                    && rare_fold.chars().count() >= MIN_FUZZY_LEN
                    && usual_fold.chars().count() >= MIN_FUZZY_LEN
                    && !rare_fold.chars().any(|c| c.is_numeric())
                    && !usual_fold.chars().any(|c| c.is_numeric())
                    && strsim::osa_distance(rare_fold, usual_fold) <= p.max_edits
            });
        if let Some((_, &(usual, usual_count))) = usual {
            out.insert(
                value,
                (
                    Usual::Column {
                        value: usual,
                        count: usual_count,
                    },
                    count,
                ),
            );
            continue;
        }
        // No usual spelling in the column: a misspelling of a standard value.
        if let Some((what, terms)) = vocabulary
            && let Some(term) = standard_variant(value, terms, p.max_edits)
        {
            out.insert(value, (Usual::Standard { value: term, what }, count));
        }
    }
    out
}

/// The one standard term a value is a misspelling of: not a term itself, five letters or
/// more, within the allowed edits of exactly one term.
fn standard_variant(value: &str, terms: &[&'static str], max_edits: usize) -> Option<&'static str> {
    let lower = value.trim().to_lowercase();
    if max_edits == 0
        || lower.chars().count() < 5
        || lower.chars().any(|c| c.is_numeric())
        || terms.contains(&lower.as_str())
    {
        return None;
    }
    let mut near = terms
        .iter()
        .filter(|t| t.chars().count() >= 5 && strsim::osa_distance(&lower, t) <= max_edits);
    let first = near.next()?;
    near.next().is_none().then_some(*first)
}
