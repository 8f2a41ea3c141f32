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
