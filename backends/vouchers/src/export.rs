//! The agent's user list as a real Excel workbook (`.xlsx`, written by `rust_xlsxwriter`):
//! the same rows, filters and order as the page, a bold frozen header with filters, in the
//! agent's language (headers, kinds, dates).

use backend_kit::texts::day;
use i18n::Lang;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::texts::t;
use crate::userlist::UserRow;

/// The catalogue keys of the column headers, in order.
pub const HEADERS: [&str; 12] = [
    "vouchers_export_name",
    "vouchers_export_kind",
    "vouchers_export_legal_name",
    "vouchers_export_enterprise_number",
    "vouchers_export_email",
    "vouchers_export_street",
    "vouchers_export_postcode",
    "vouchers_export_municipality",
    "vouchers_export_from",
    "vouchers_export_until",
    "vouchers_export_authorized_today",
    "vouchers_export_balance",
];

/// The workbook's bytes, in `lang`.
pub fn users_xlsx(rows: &[UserRow], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(t(lang, "vouchers_users_title"))?;
    for (col, key) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, t(lang, key), &bold)?;
        sheet.set_column_width(col, if col < 3 { 30 } else { 16 })?;
    }
    for (row, r) in (1u32..).zip(rows) {
        let u = &r.user;
        let cells = [
            r.display_name.clone(),
            match u.kind.as_str() {
                "legal" => t(lang, "vouchers_kind_legal"),
                _ => t(lang, "vouchers_kind_natural"),
            },
            u.legal_name.clone().unwrap_or_default(),
            u.enterprise_number
                .as_deref()
                .map(backend_kit::ids::format_enterprise_number)
                .unwrap_or_default(),
            u.email.clone().unwrap_or_default(),
            u.street.clone().unwrap_or_default(),
            u.postcode.clone().unwrap_or_default(),
            u.city.clone().unwrap_or_default(),
            r.valid_from
                .as_deref()
                .map(|d| day(lang, d))
                .unwrap_or_default(),
            r.valid_until
                .as_deref()
                .map(|d| day(lang, d))
                .unwrap_or_default(),
            t(
                lang,
                if r.authorized_today {
                    "vouchers_yes"
                } else {
                    "vouchers_no"
                },
            ),
        ];
        for (col, value) in (0u16..).zip(cells) {
            sheet.write_string(row, col, backend_kit::sheet::formula_safe(&value))?;
        }
        // Balances are far below 2^53: exact as f64.
        #[allow(clippy::cast_precision_loss)]
        sheet.write_number(row, 11, r.balance as f64)?;
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX - 1);
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row.max(1), 11)?;
    workbook.save_to_buffer()
}
