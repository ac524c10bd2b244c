//! Check selectors: `ALL`, a family prefix (`CP`), a code prefix (`FM00`), a code
//! (`FM003`) or a check name (`allowed-value-variant`), as in ruff's `select`.

use crate::checks::registry::CHECKS;

/// Registry positions matched by `selector`, or `None` if it matches nothing.
pub fn resolve(selector: &str) -> Option<Vec<usize>> {
    let s = selector.trim();
    if s.is_empty() {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    let matched: Vec<usize> = CHECKS
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let m = c.meta();
            upper == "ALL" || m.code.starts_with(&upper) || m.name == s
        })
        .map(|(i, _)| i)
        .collect();
    (!matched.is_empty()).then_some(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_prefix_code_and_name() {
        assert!(resolve("ALL").unwrap().len() == CHECKS.len());
        let cp = resolve("CP").unwrap();
        assert!(cp.iter().all(|i| CHECKS[*i].meta().code.starts_with("CP")));
        assert_eq!(resolve("fm003").unwrap().len(), 1);
        assert_eq!(resolve("required-field-blank").unwrap().len(), 1);
        assert_eq!(resolve("ZZ999"), None);
        assert_eq!(resolve(""), None);
    }
}
