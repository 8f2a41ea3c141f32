//! The people page's forms: grant one right to several people at once, change a
//! level, renew, revoke. Each goes through the policy, after its read check.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use policy::grants::GrantRequest;
use policy::ids::NationalNumber;
use policy::{GrantId, RightId, Scope, ServiceId, Subject, UserId};
use serde::Deserialize;

use super::super::structure::Empty;
use super::super::view::{self, Ctx, Notice};
use super::list::Filter;
use super::render;
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm};
use crate::state::AppState;
use crate::store::users;

/// Answer a change: back to the list with a confirmation, or the list again with the
/// refusal.
async fn answer<T>(
    cx: &Ctx<'_>,
    outcome: Result<T, Notice>,
    code: &str,
) -> Result<Response, HttpError> {
    match outcome {
        Ok(_) => Ok(view::done(
            &format!("/admin/structures/{}/people", cx.id),
            code,
        )),
        Err(n) => render(cx, &Filter::default(), Some(n)).await,
    }
}

/// POST /admin/structures/{id}/people/grant: grant one right to the people ticked (and
/// to a national number, if typed), on the whole structure or chosen services, until an
/// optional last day. Needs: the right to grant it there (the policy's rule), CSRF.
/// The right is checked before anyone gets it.
pub(super) async fn grant(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = grant_many(&cx, &form).await;
    answer(&cx, outcome, "granted").await
}

async fn grant_many(cx: &Ctx<'_>, form: &[(String, String)]) -> Result<usize, Notice> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let all = |name: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect()
    };
    let policy = &cx.app.policy;
    let mut subjects: Vec<Subject> = Vec::new();
    for p in all("person").into_iter().collect::<BTreeSet<_>>() {
        match users::get(&cx.app.db, p).await {
            Ok(Some(u)) if !u.disabled => subjects.push(Subject::User(UserId::from(u.id))),
            Ok(_) => return Err(view::invalid(cx.t("console_unknown_person").await, "grant")),
            Err(e) => {
                // The store's detail goes to the log only.
                let e = HttpError::from(e);
                return Err(Notice {
                    status: e.status,
                    message: e.message,
                    form: "grant",
                    key: None,
                });
            }
        }
    }
    let number = field("national_number");
    if !number.is_empty() {
        let Ok(n) = NationalNumber::parse(number) else {
            return Err(view::invalid(cx.t("console_nrn_invalid").await, "grant"));
        };
        let h = policy
            .remember_masked_number(&n, cx.app.keys.nrn_key())
            .await
            .map_err(|e| view::policy_notice(e, "grant"))?;
        subjects.push(Subject::Pending(h));
    }
    if subjects.is_empty() {
        return Err(view::invalid(
            cx.t("console_grant_no_person").await,
            "grant",
        ));
    }
    let scope = if field("scope") == "services" {
        let list: Vec<ServiceId> = all("service").into_iter().map(ServiceId::from).collect();
        if list.is_empty() {
            return Err(view::invalid(
                cx.t("console_grant_no_service").await,
                "grant",
            ));
        }
        Scope::Services(list)
    } else {
        Scope::Structure
    };
    let until = match field("until") {
        "" => None,
        d => match view::end_of_day(d) {
            Some(ms) => Some(ms),
            None => return Err(view::invalid(cx.t("console_date_invalid").await, "grant")),
        },
    };
    let right = RightId::from(field("right"));
    policy
        .may_grant(&cx.actor, &cx.id, &right, &scope, until)
        .await
        .map_err(|e| view::policy_notice(e, "grant"))?;
    for subject in &subjects {
        policy
            .grant(
                &cx.actor,
                &GrantRequest {
                    structure: cx.id.clone(),
                    subject: subject.clone(),
                    right: right.clone(),
                    scope: scope.clone(),
                    valid_until: until,
                },
            )
            .await
            .map_err(|e| view::policy_notice(e, "grant"))?;
    }
    Ok(subjects.len())
}

#[derive(Debug, Deserialize)]
pub(super) struct LevelForm {
    right: String,
}

/// POST /admin/structures/{id}/people/grants/{grant}/level. Needs: revoking the grant
/// and granting the new level (the policy's rules), CSRF.
pub(super) async fn change_level(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, form }: CsrfForm<LevelForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = app
        .policy
        .change_level(&cx.actor, &GrantId::from(grant), &RightId::from(form.right))
        .await
        .map_err(|e| view::policy_notice(e, "grants"));
    answer(&cx, outcome, "level_changed").await
}

#[derive(Debug, Deserialize)]
pub(super) struct RenewForm {
    #[serde(default)]
    until: String,
}

/// POST /admin/structures/{id}/people/grants/{grant}/renew: a new last day (empty:
/// until revoked). Needs: granting it again (the policy's rule), CSRF.
pub(super) async fn renew(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, form }: CsrfForm<RenewForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let until = match form.until.trim() {
        "" => Ok(None),
        d => match view::end_of_day(d) {
            Some(ms) => Ok(Some(ms)),
            None => Err(view::invalid(cx.t("console_date_invalid").await, "grants")),
        },
    };
    let outcome = match until {
        Ok(until) => app
            .policy
            .renew(&cx.actor, &GrantId::from(grant), until)
            .await
            .map_err(|e| view::policy_notice(e, "grants")),
        Err(n) => Err(n),
    };
    answer(&cx, outcome, "renewed").await
}

/// POST /admin/structures/{id}/people/grants/{grant}/revoke. Needs: main manager, or
/// local manager for a grant inside their services; CSRF.
pub(super) async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, .. }: CsrfForm<Empty>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = app
        .policy
        .revoke(&cx.actor, &GrantId::from(grant))
        .await
        .map_err(|e| view::policy_notice(e, "grants"));
    answer(&cx, outcome, "revoked").await
}
