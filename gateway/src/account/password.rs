//! A local account's password, changed by its owner with the current one (a wrong one
//! counts towards the lockout, as at login).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::security::render;
use crate::error::HttpError;
use crate::extract::CsrfForm;
use crate::i18n::{person_lang, t};
use crate::local::rules::{check_policy, weakness_text};
use crate::local::{LocalAccounts, store};
use crate::state::AppState;
use crate::store::{StoreError, now_ms};

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    current: Option<String>,
    password: Option<String>,
}

/// POST /auth/local/password: needs local accounts configured, a session with a local
/// account, its CSRF token and the current password.
pub(super) async fn change(
    State(app): State<AppState>,
    LocalAccounts(c, hasher): LocalAccounts,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<PasswordForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let Some(account) = store::by_user(&app.db, &s.user_id).await? else {
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "no_local_account",
            "This account has no password.",
        )
        .for_request(&headers));
    };
    let current = zeroize::Zeroizing::new(form.current.unwrap_or_default());
    let right = hasher
        .verify(&current, Some(&account.password_hash))
        .await
        .map_err(HttpError::internal)?;
    if !right {
        let now = now_ms();
        let lock_ms = i64::try_from(c.lockout_secs * 1000).unwrap_or(900_000);
        store::record_failure(&app.db, &s.user_id, now, i64::from(c.max_failures), lock_ms).await?;
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&t(lang, "current_wrong")),
        )
        .await;
    }
    let new = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    if let Err(w) = check_policy(&c, &new) {
        let msg = weakness_text(lang, &c, w);
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&msg),
        )
        .await;
    }
    let hash = hasher.hash(&new).await.map_err(HttpError::internal)?;
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    store::set_password(&mut conn, &s.user_id, &hash, now_ms()).await?;
    tracing::info!(user = %s.user_id, "password changed");
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "password_changed")),
        None,
    )
    .await
}
