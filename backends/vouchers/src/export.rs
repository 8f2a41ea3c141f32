//! The agent's user list as a real Excel workbook (`.xlsx`, written by `rust_xlsxwriter`):
//! the same rows, filters and order as the page, a bold frozen header with filters.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::userlist::UserRow;

/// Column headers, in order.
pub const HEADERS: [&str; 12] = [
    "Name",
    "Kind",
    "Legal name",
    "Enterprise number",
    "Email",
    "Street",
    "Postcode",
    "Municipality",
    "Authorization from",
    "Authorization until",
    "Authorized today",
    "Vouchers in wallet",
];

/// The workbook's bytes.
pub fn users_xlsx(rows: &[UserRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Users")?;
    for (col, title) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, title, &bold)?;
        sheet.set_column_width(col, if col < 3 { 30 } else { 16 })?;
    }
    for (row, r) in (1u32..).zip(rows) {
        let u = &r.user;
        let cells = [
            r.display_name.clone(),
            u.kind.clone(),
            u.legal_name.clone().unwrap_or_default(),
            u.enterprise_number
                .as_deref()
                .map(backend_kit::ids::format_enterprise_number)
                .unwrap_or_default(),
            u.email.clone().unwrap_or_default(),
            u.street.clone().unwrap_or_default(),
            u.postcode.clone().unwrap_or_default(),
            u.city.clone().unwrap_or_default(),
            r.valid_from.clone().unwrap_or_default(),
            r.valid_until.clone().unwrap_or_default(),
            if r.authorized_today { "yes" } else { "no" }.to_owned(),
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
