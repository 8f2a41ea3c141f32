//! What the console's request pages share: dates as people read them, a person's name
//! from the gateway's accounts, and a notice mailed to a person in their own language
//! through the outbox.

use crate::error::HttpError;
use crate::i18n::Lang;
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::{StoreError, users};

/// A unix-ms time as a calendar date (`2026-12-01`, UTC).
pub(super) fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A person's name as the gateway knows it (their id when the account is gone).
pub(super) async fn person_name(app: &AppState, user_id: &str) -> Result<String, HttpError> {
    Ok(users::get(&app.db, user_id)
        .await?
        .map_or_else(|| user_id.to_owned(), |u| u.display_name))
}

/// Queue a mail for the person `user_id`, in their language (their choice on their
/// account, else the platform's default): `write` gets the language and the person's
/// name and returns the subject and the body. Nothing when they have no address.
/// Returns whether a mail was queued.
pub(super) async fn mail_person(
    app: &AppState,
    user_id: &str,
    write: impl FnOnce(Lang, &str) -> (String, String),
) -> Result<bool, HttpError> {
    let Some(user) = users::get(&app.db, user_id).await? else {
        return Ok(false);
    };
    let Some(to) = user.email.clone() else {
        return Ok(false);
    };
    let lang = user
        .locale
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| app.config.server.default_lang());
    let (subject, body) = write(lang, &user.display_name);
    let mail = Outgoing {
        to,
        subject,
        body,
        expires_at: None,
    };
    let now = crate::store::now_ms();
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    app.mailer.wake();
    Ok(true)
}

/// A handler's answer: its response, or its error as a page for a browser (JSON for
/// other clients).
pub(super) fn respond(
    headers: &axum::http::HeaderMap,
    r: Result<axum::response::Response, HttpError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match r {
        Ok(response) => response,
        Err(e) => e.for_request(headers).into_response(),
    }
}
