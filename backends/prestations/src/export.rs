//! Export of the prestations a caller sees, with the statuses of the worker's validation
//! (seed 001: « Ces nouveaux statuts seront incorporés dans l'ensemble des documents
//! utiles : les fichiers exports »): a real Excel workbook (`rust_xlsxwriter`) and CSV
//! (the `csv` crate: RFC 4180, comma-separated, UTF-8). Both have the same columns and
//! rows, in the list's order; each status as its code and as the caller reads it (a user
//! reads « En attente de validation » for the worker's stage).

use backend_kit::Caller;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::model::Prestation;
use crate::notices::hours_text;
use crate::registry::show_number;
use crate::service::seen_as_user;

/// Column headers, in order.
pub const HEADERS: [&str; 15] = [
    "Date",
    "Enterprise",
    "Enterprise number",
    "Worker",
    "Worker's number",
    "Client",
    "Client's number",
    "Activity",
    "Hours",
    "Status",
    "Status code",
    "Encoded",
    "Worker may answer until",
    "Client may answer until",
    "Client confirmed while the worker validates",
];

/// One row's cells, as text.
fn cells(caller: &Caller, p: &Prestation) -> [String; 15] {
    let number = |n: &Option<String>| n.as_deref().map(show_number).unwrap_or_default();
    let label = if seen_as_user(caller, p) {
        p.status.label_for_user()
    } else {
        p.status.label()
    };
    [
        p.work_date.to_string(),
        p.enterprise_name.clone(),
        backend_kit::ids::format_enterprise_number(&p.enterprise_number),
        p.worker_name.clone(),
        number(&p.worker_number),
        p.user_name.clone(),
        number(&p.user_number),
        p.activity.label().to_owned(),
        hours_text(p.minutes),
        label.to_owned(),
        p.status.code().to_owned(),
        crate::api::encoder_label(p),
        p.deadlines
            .validation_due
            .map(|d| d.to_string())
            .unwrap_or_default(),
        p.deadlines
            .confirm_due
            .map(|d| d.to_string())
            .unwrap_or_default(),
        if p.user_confirmed { "yes" } else { "" }.to_owned(),
    ]
}

/// The workbook's bytes: a bold, frozen header with filters, one row per prestation.
pub fn xlsx(caller: &Caller, items: &[Prestation]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Prestations")?;
    for (col, title) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, title, &bold)?;
        sheet.set_column_width(col, 18)?;
    }
    for (row, p) in (1u32..).zip(items) {
        for (col, value) in (0u16..).zip(cells(caller, p)) {
            if col == 8 {
                // Quarters of an hour: exact as f64.
                #[allow(clippy::cast_precision_loss)]
                sheet.write_number(row, col, p.minutes as f64 / 60.0)?;
            } else {
                sheet.write_string(row, col, backend_kit::sheet::formula_safe(&value))?;
            }
        }
    }
    let last_row = u32::try_from(items.len()).unwrap_or(u32::MAX - 1);
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row.max(1), 14)?;
    workbook.save_to_buffer()
}

/// The CSV's bytes, header first.
pub fn csv(caller: &Caller, items: &[Prestation]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADERS)?;
    for p in items {
        out.write_record(
            cells(caller, p)
                .iter()
                .map(|c| backend_kit::sheet::formula_safe(c).into_owned()),
        )?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
