//! The people list as a download: the same filtered, sorted rows, every page, as CSV
//! or `.xlsx`, every text cell through the workspace's formula guard.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::super::view::{self, Ctx};
use super::list::{COLUMNS, Filter, listing, select};
use crate::error::HttpError;
use crate::extract::{ClientIp, CurrentSession};
use crate::i18n::t;
use crate::state::AppState;

/// The export's header and rows (the same filtered, sorted list, every page).
async fn export_rows(
    cx: &Ctx<'_>,
    f: &Filter,
) -> Result<Result<(Vec<String>, Vec<[String; 7]>), policy::PolicyError>, HttpError> {
    let l = match listing(cx).await? {
        Ok(l) => l,
        Err(e) => return Ok(Err(e)),
    };
    let rows = select(l.rows, f, cx.app.policy.now_ms());
    let header = COLUMNS.iter().map(|(_, k)| t(l.lang, k)).collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let g = r.grant.as_ref();
            [
                r.name.clone(),
                r.attached.clone(),
                g.map(|g| g.application.clone()).unwrap_or_default(),
                g.map(|g| g.level.clone()).unwrap_or_default(),
                g.map(|g| g.scope.clone()).unwrap_or_default(),
                g.and_then(|g| g.until.clone()).unwrap_or_default(),
                r.status.clone(),
            ]
        })
        .collect();
    Ok(Ok((header, rows)))
}

/// GET /admin/structures/{id}/people/export.csv: the filtered list as CSV (every text
/// cell through the formula guard). Needs the same as the page.
pub(super) async fn export_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    let (header, rows) = match export_rows(&cx, &f).await? {
        Ok(v) => v,
        Err(e) => return view::refused(&app, &headers, &s, e).await,
    };
    let mut out = String::new();
    for line in std::iter::once(header).chain(rows.into_iter().map(Vec::from)) {
        let cells: Vec<String> = line.iter().map(|c| web::sheet::csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok(view::download(
        "text/csv; charset=utf-8",
        "people.csv",
        out.into_bytes(),
    ))
}

/// GET /admin/structures/{id}/people/export.xlsx: the filtered list as a workbook.
pub(super) async fn export_xlsx(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    let (header, rows) = match export_rows(&cx, &f).await? {
        Ok(v) => v,
        Err(e) => return view::refused(&app, &headers, &s, e).await,
    };
    let book = workbook(&header, &rows).map_err(HttpError::internal)?;
    Ok(view::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "people.xlsx",
        book,
    ))
}

fn workbook(
    header: &[String],
    rows: &[[String; 7]],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    for (col, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, web::sheet::formula_safe(title), &bold)?;
    }
    for (row, line) in (1u32..).zip(rows) {
        for (col, value) in (0u16..).zip(line) {
            sheet.write_string(row, col, web::sheet::formula_safe(value))?;
        }
    }
    book.save_to_buffer()
}
