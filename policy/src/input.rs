//! Checks of free text typed by people (names, labels, comments, reasons) before it is
//! stored: trimmed, present, printable, bounded.

use crate::error::{PolicyError, Result};

/// A trimmed, non-empty text of at most `max` characters.
pub(crate) fn clean_text(value: &str, field: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(PolicyError::Invalid(format!("{field} is required")));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(PolicyError::Invalid(format!(
            "{field} must be at most {max} printable characters"
        )));
    }
    Ok(v.to_owned())
}

/// The name of an organisation or of one of its services (legal name, common name,
/// service label or code), as every creation or renaming checks it: [`clean_text`], and
/// not starting like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, carriage return),
/// since names travel into assertions, pages and exports.
pub(crate) fn org_name(value: &str, field: &str, max: usize) -> Result<String> {
    if value.starts_with(['\t', '\r']) {
        return Err(formula(field));
    }
    let v = clean_text(value, field, max)?;
    if v.starts_with(['=', '+', '-', '@']) {
        return Err(formula(field));
    }
    Ok(v)
}

fn formula(field: &str) -> PolicyError {
    PolicyError::Invalid(format!(
        "{field} may not start with =, +, -, @, a tab or a line break"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_names_refuse_formulas() {
        for bad in ["=1+1", "+32", "-x", "@SUM(A1)", "\t=1", "\r=1", " =1"] {
            assert!(org_name(bad, "common_name", 200).is_err(), "{bad:?}");
        }
        assert_eq!(
            org_name(" Dupont-Cleaning ", "common_name", 200).expect("ok"),
            "Dupont-Cleaning"
        );
    }
}
