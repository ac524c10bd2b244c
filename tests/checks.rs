//! One fixture per check, run with only that check enabled (ruff's model).
//!
//! `fixtures/checks/<CODE>.csv` has a first column `case`: rows starting with `flag:`
//! must get at least one finding of the check, rows starting with `ok:` none; a row
//! starting with `flag-input:` asserts a finding about the input as a whole. The
//! findings are also snapshotted, so messages are reviewed like code. A `<CODE>.toml`
//! beside the fixture configures the check (its `extend-select` may enable checks the
//! tested one works on; only the tested check's findings count); `<CODE>.<object>.csv`
//! files are extra inputs (e.g. the accounts an `AccountId` refers to).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crmaudit::config::Settings;
use crmaudit::engine::{self, RunConfig, RunOptions};
use crmaudit::input::{InputSpec, Source};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/checks")
}

/// Maps each record's line to its `case` text.
fn cases(path: &Path) -> BTreeMap<u64, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let mut out = BTreeMap::new();
    let mut record = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut record).unwrap() {
        let line = record.position().unwrap().line();
        out.insert(line, String::from_utf8_lossy(&record[0]).into_owned());
    }
    out
}

fn check(code: &str) {
    let dir = fixture_dir();
    let main = dir.join(format!("{code}.csv"));
    let toml = dir.join(format!("{code}.toml"));
    let mut settings = Settings::load(toml.is_file().then_some(toml.as_path())).unwrap();
    settings.apply_cli_selection(Some(&[code.to_owned()]), None, None);
    let config = RunConfig::compile(settings).unwrap();

    let mut inputs = vec![InputSpec {
        name: format!("{code}.csv"),
        source: Source::Csv(main.clone()),
        notes: Vec::new(),
    }];
    let mut extra: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{code}."))
                && name.ends_with(".csv")
                && name != format!("{code}.csv")
        })
        .collect();
    extra.sort();
    for p in extra {
        inputs.push(InputSpec {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            source: Source::Csv(p),
            notes: Vec::new(),
        });
    }

    let scan = engine::run(
        &inputs,
        &config,
        &RunOptions {
            threads: 2,
            ..RunOptions::default()
        },
    )
    .unwrap();
    let cases = cases(&main);
    let mut flagged: BTreeMap<u64, usize> = BTreeMap::new();
    let mut input_level = 0;
    let mut lines = Vec::new();
    let extended = !config.settings.selection.extend_select.is_empty();
    for f in &scan.findings {
        if config.checks.meta(f.check).code != code {
            assert!(extended, "only {code} was selected");
            continue;
        }
        if f.input == 0 && f.is_input_level() {
            input_level += 1;
        }
        let table = &scan.tables[f.input as usize];
        let field = f
            .column
            .map(|c| table.header_name(c as usize).to_owned())
            .unwrap_or_default();
        let case = if f.input == 0 {
            cases.get(&f.line).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        if f.input == 0 {
            *flagged.entry(f.line).or_default() += 1;
        }
        let mut fixes = String::new();
        for fix in &f.fixes {
            let at = if f.is_input_level() {
                format!(" line {}", table.lines[fix.record as usize])
            } else {
                String::new()
            };
            fixes.push_str(&format!(
                " [{} fix{at}: `{}`]",
                fix.applicability.as_str(),
                fix.new
            ));
        }
        lines.push(format!(
            "{}:{} [{case}] {} {field}: {}{fixes}",
            table.name, f.line, f.severity, f.message
        ));
    }
    for (line, case) in &cases {
        let n = flagged.get(line).copied().unwrap_or(0);
        if case.starts_with("flag-input") {
            assert!(
                input_level > 0,
                "{code}: `{case}`: no finding about the input\n{}",
                lines.join("\n")
            );
        } else if case.starts_with("flag") {
            assert!(
                n > 0,
                "{code}: line {line} `{case}` was not flagged\n{}",
                lines.join("\n")
            );
        } else if case.starts_with("ok") {
            assert_eq!(
                n,
                0,
                "{code}: line {line} `{case}` was flagged\n{}",
                lines.join("\n")
            );
        }
    }
    insta::assert_snapshot!(code, lines.join("\n"));
}

macro_rules! check_tests {
    ($($name:ident => $code:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($code);
            }
        )*

        #[test]
        fn every_registered_check_has_a_fixture() {
            let tested = [$($code),*];
            for c in crmaudit::checks::registry::CHECKS {
                let code: &str = &c.meta().code;
                assert!(tested.contains(&code), "{code} has no fixture test");
                assert!(fixture_dir().join(format!("{code}.csv")).is_file(), "{code} has no fixture");
            }
        }
    };
}

check_tests! {
    ragged_row => "IN001",
    invalid_encoding => "IN002",
    unclosed_quote => "IN003",
    rule_does_not_fit => "IN004",
    required_column_missing => "IN005",
    key_columns_unmapped => "IN006",
    delimiter_mismatch => "IN007",
    unusable_input => "IN008",
    stale_record => "ST001",
    date_in_future => "ST002",
    email_domain_left_account => "ST003",
    email_not_engaged => "ST004",
    country_misspelled => "PL001",
    country_written_several_ways => "PL002",
    state_not_in_country => "PL003",
    postal_code_invalid => "PL004",
    state_written_several_ways => "PL005",
    required_field_blank => "CP001",
    conditionally_required_blank => "CP002",
    placeholder_value => "CP003",
    pattern_mismatch => "FM001",
    value_not_allowed => "FM002",
    allowed_value_variant => "FM003",
    value_out_of_range => "FM004",
    unparseable_date => "FM005",
    unparseable_number => "FM006",
    unparseable_boolean => "FM007",
    invalid_salesforce_id => "FM008",
    rare_value_variant => "FM009",
    stray_whitespace => "FM010",
    mixed_format => "FM011",
    invalid_email => "EM001",
    email_domain_typo => "EM002",
    disposable_email_domain => "EM003",
    role_email_on_person => "EM004",
    placeholder_email => "EM005",
    email_bounced => "EM006",
    unknown_email_tld => "EM007",
    free_email_on_business_record => "EM008",
    placeholder_phone => "PH001",
    invalid_phone => "PH002",
    phone_country_mismatch => "PH003",
    phone_not_e164 => "PH004",
    keyboard_mash => "JK001",
    test_record => "JK002",
    first_name_equals_last_name => "JK003",
    digits_in_person_name => "JK004",
    full_name_disagrees => "JK005",
    company_not_a_name => "JK006",
    duplicate_key_value => "DU001",
    possible_duplicate_pair => "DU002",
    duplicate_cluster_member => "DU003",
    duplicate_record => "DU004",
    reference_not_found => "RF001",
    reference_blank => "RF002",
    won_deal_without_amount => "SM001",
    probability_contradicts_outcome => "SM002",
    open_probability_extreme => "SM003",
    probability_off_stage_default => "SM004",
    forecast_category_contradicts_stage => "SM005",
    flags_contradict_stage => "SM006",
    close_before_created => "SM007",
    lost_deal_with_actual_amount => "SM008",
    next_step_contradicts_stage => "SM009",
    stage_not_in_pipeline => "SM010",
    placeholder_date => "SM011",
    converted_lead_without_targets => "SM012",
    open_deal_past_close_date => "SM013",
    won_close_date_in_future => "SM014",
    overdue_task => "SM015",
    open_task_without_due_date => "SM016",
    converted_status_not_converted => "SM017",
    deal_name_repeated_in_account => "SM018",
}
