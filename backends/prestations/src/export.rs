//! Export of the prestations a caller sees, with the statuses of the worker's validation
//! (seed 001: « Ces nouveaux statuts seront incorporés dans l'ensemble des documents
//! utiles : les fichiers exports »): a real Excel workbook (`rust_xlsxwriter`) and CSV
//! (the `csv` crate: RFC 4180, comma-separated, UTF-8). Both have the same columns and
//! rows, in the list's order; each status as its code and as the caller reads it (a user
//! reads « En attente de validation » for the worker's stage), in the caller's language
//! (headers, names, dates).

use backend_kit::Caller;
use backend_kit::texts::day;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use i18n::Lang;

use crate::model::Prestation;
use crate::notices::{activity_key, hours_text, status_key};
use crate::registry::show_number;
use crate::service::seen_as_user;
use crate::status::Actor;
use crate::texts;

/// The catalogue keys of the column headers, in order.
pub const HEADERS: [&str; 15] = [
    "prestations_export_date",
    "prestations_export_enterprise",
    "prestations_export_enterprise_number",
    "prestations_export_worker",
    "prestations_export_worker_number",
    "prestations_export_client",
    "prestations_export_client_number",
    "prestations_export_activity",
    "prestations_export_hours",
    "prestations_export_status",
    "prestations_export_status_code",
    "prestations_export_encoded",
    "prestations_export_worker_until",
    "prestations_export_client_until",
    "prestations_export_client_confirmed",
];

/// The column headers in the caller's language.
fn headers(caller: &Caller) -> Vec<String> {
    HEADERS
        .iter()
        .map(|key| texts::t(caller.lang(), key))
        .collect()
}

/// "encoded by the worker" / "encoded by the enterprise, corrected by the worker".
fn encoder(lang: Lang, p: &Prestation) -> String {
    let who = |a: Actor| {
        texts::t(
            lang,
            match a {
                Actor::Worker => "prestations_actor_worker",
                Actor::Enterprise => "prestations_actor_enterprise",
                Actor::User => "prestations_actor_user",
                Actor::System => "prestations_actor_system",
            },
        )
    };
    match p.corrected_by {
        Some(c) => texts::t_args(
            lang,
            "prestations_encoded_corrected",
            &[("by", &who(p.encoded_by)), ("corrector", &who(c))],
        ),
        None => texts::t_args(
            lang,
            "prestations_encoded_by",
            &[("by", &who(p.encoded_by))],
        ),
    }
}

/// One row's cells, as text, in the caller's language.
fn cells(caller: &Caller, p: &Prestation) -> [String; 15] {
    let lang = caller.lang();
    let number = |n: &Option<String>| n.as_deref().map(show_number).unwrap_or_default();
    let label = if seen_as_user(caller, p) && p.status.with_the_worker() {
        texts::t(lang, "prestations_status_user_waiting")
    } else {
        texts::t(lang, status_key(p.status))
    };
    let date = |d: chrono::NaiveDate| day(lang, &d.to_string());
    [
        date(p.work_date),
        p.enterprise_name.clone(),
        backend_kit::ids::format_enterprise_number(&p.enterprise_number),
        p.worker_name.clone(),
        number(&p.worker_number),
        p.user_name.clone(),
        number(&p.user_number),
        texts::t(lang, activity_key(p.activity)),
        hours_text(p.minutes),
        label,
        p.status.code().to_owned(),
        encoder(lang, p),
        p.deadlines.validation_due.map(date).unwrap_or_default(),
        p.deadlines.confirm_due.map(date).unwrap_or_default(),
        if p.user_confirmed {
            texts::t(lang, "prestations_export_yes")
        } else {
            String::new()
        },
    ]
}

/// The workbook's bytes: a bold, frozen header with filters, one row per prestation.
pub fn xlsx(caller: &Caller, items: &[Prestation]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(texts::t(caller.lang(), "prestations_list_title"))?;
    for (col, title) in (0u16..).zip(headers(caller)) {
        sheet.write_string_with_format(0, col, &title, &bold)?;
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
    out.write_record(headers(caller))?;
    for p in items {
        out.write_record(
            cells(caller, p)
                .iter()
                .map(|c| backend_kit::sheet::formula_safe(c).into_owned()),
        )?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
