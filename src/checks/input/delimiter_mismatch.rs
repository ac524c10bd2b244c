use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// A CSV input read as a single column whose header and records are full of another
    /// delimiter: the delimiter set with `--delimiter` or `[input] delimiter` (or an
    /// Excel `sep=` line) is not the one the file uses. One finding for the input.
    ///
    /// ## Why it matters
    /// Read with the wrong delimiter, every record is one long value: no column has a
    /// role, no check applies, and the export would pass having been checked for
    /// nothing.
    ///
    /// ## Example
    /// | delimiter | header                 | flagged |
    /// |-----------|------------------------|---------|
    /// | `;`       | `Id,LastName,Email`    | yes (the file is `,`-separated) |
    /// | `,`       | `Id,LastName,Email`    | no      |
    /// | `,`       | `Email` (one column)   | no      |
    ///
    /// ## Trust impact
    /// Counts against `validity`; an error, so the gate fails.
    pub struct DelimiterMismatch;
    code = "IN007",
    name = "delimiter-mismatch",
    family = Input,
    scope = Dataset,
    severity = Error,
    dimension = Validity,
}

/// Delimiters exports use, as the reader sniffs them.
const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

impl Check for DelimiterMismatch {
    type Options = ();
    type Prepared = String;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<String> {
        let profile = cx.profile;
        // Only a CSV read as one column can have been split on the wrong delimiter.
        if profile.header.format != "csv" || profile.width() != 1 {
            return None;
        }
        let header = profile.header_name(0);
        let used = profile.header.delimiter.as_deref().unwrap_or(",");
        // The delimiter the header is full of, which the records use too.
        let other = DELIMITERS.iter().copied().find(|d| {
            d.to_string() != used && header.matches(*d).count() >= 1 && {
                let values: Vec<&str> = cx.sample_values(0).take(100).collect();
                let with = values.iter().filter(|v| v.contains(*d)).count();
                values.is_empty() || with * 2 >= values.len()
            }
        })?;
        let show = |d: &str| match d {
            "\t" => "tab".to_owned(),
            d => format!("`{d}`"),
        };
        let other = other.to_string();
        let flag = if other == "\t" {
            "'\\t'".to_owned()
        } else {
            format!("'{other}'")
        };
        Some(format!(
            "the whole header is one column (`{header}`): the file is {}-separated, not {}-separated; pass --delimiter {flag} or fix [input] delimiter",
            show(&other),
            show(used),
        ))
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, String>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            if let Some(message) = input.prepared {
                sink.report_input(input.table, None, message.clone());
            }
        }
    }
}
