//! Cells of the spreadsheets and CSV files the workspace exports (the audit log, the
//! backends' lists), made safe to open: a value a spreadsheet would take as a formula
//! (first character `=`, `+`, `-`, `@`, tab or carriage return: CSV injection, which can
//! run commands or leak data through links) gets a leading `'`, so it is shown as the
//! text it is. Every export writes its text cells through [`formula_safe`].

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula when first.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value`, with a leading `'` when it would start a formula.
pub fn formula_safe(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// One CSV field (RFC 4180): [`formula_safe`], then quoted when it holds a comma, a
/// quote or a line break.
pub fn csv_cell(value: &str) -> String {
    let guarded = formula_safe(value);
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_fields_are_quoted() {
        for f in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(formula_safe(f), format!("'{f}"));
        }
        assert_eq!(formula_safe("Dupont SRL"), "Dupont SRL");
        assert_eq!(formula_safe("a=b"), "a=b");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(
            csv_cell("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
    }
}
