//! `GET /admin/structures/{id}/check`: a manager picks a person attached to the
//! structure, an application, an access level and perhaps a service, and reads whether
//! that person may use it right now, and why: the verdict is the proxy's own decision
//! ([`policy::Policy::explain_access`] asks the decision index), the grant that allows
//! it or the reasons it does not beside it. A form that changes nothing (GET).

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use policy::explain::{AccessExplanation, AccessQuestion, Refusal};
use policy::{ManagerScope, Scope, ServiceId, UserId};
use serde::{Deserialize, Serialize};

use super::view::{self, Ctx, Notice, StructureView};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CurrentSession};
use crate::i18n::{Lang, t, t_args};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::users;

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/structures/{id}/check", get(page))
}

/// The question, as the address carries it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Question {
    person: String,
    application: String,
    level: String,
    service: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// The grant that allows, as the page shows it.
#[derive(Debug, Serialize)]
struct GrantLine {
    label: String,
    level: String,
    scope: String,
    granted_by: String,
    until: String,
}

/// The answer as the page shows it.
#[derive(Debug, Serialize)]
struct Verdict {
    allowed: bool,
    /// Where the decision was asked (the service, or the person's attachment).
    services: String,
    grant: Option<GrantLine>,
    reasons: Vec<String>,
}

/// GET /admin/structures/{id}/check. Needs: legal representative or manager of the
/// structure (a local manager checks the people of their services).
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(q): Query<Question>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    let (structure, scope) = match view::open(&app, &cx.actor, &cx.id).await {
        Ok(v) => v,
        Err(e) => return view::refused(&app, &headers, &s, e).await,
    };
    let lang = crate::i18n::person_lang(&app, &headers, &s.user_id).await?;
    let policy = &app.policy;
    let members = policy
        .members(&cx.actor, &cx.id)
        .await
        .map_err(from_policy)?;
    let names = view::names(&app, members.iter().map(|m| m.user_id.clone()).collect()).await?;
    let mut people: Vec<Choice> = members
        .iter()
        .map(|m| Choice {
            value: m.user_id.0.clone(),
            label: names
                .get(m.user_id.as_str())
                .cloned()
                .unwrap_or_else(|| m.user_id.0.clone()),
        })
        .collect();
    people.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));
    let catalogue = policy.catalogue().await.map_err(from_policy)?;
    let applications: BTreeSet<&str> = catalogue.iter().map(|r| r.application.as_str()).collect();
    let levels: BTreeSet<&str> = catalogue.iter().map(|r| r.level.as_str()).collect();
    let all_services = policy
        .service_names(&cx.actor, &cx.id)
        .await
        .map_err(from_policy)?;
    let mut services: Vec<Choice> = all_services
        .values()
        .filter(|sv| match &scope {
            ManagerScope::Whole => true,
            ManagerScope::Services(set) => set.contains(&sv.id),
        })
        .map(|sv| Choice {
            value: sv.id.0.clone(),
            label: format!("{} · {}", sv.code, sv.label),
        })
        .collect();
    services.sort_by(|a, b| a.label.cmp(&b.label));
    let (verdict, notice) = if [&q.person, &q.application, &q.level]
        .iter()
        .all(|v| !v.trim().is_empty())
    {
        let question = AccessQuestion {
            structure: cx.id.clone(),
            user: UserId::from(q.person.trim()),
            application: q.application.trim().to_owned(),
            level: q.level.trim().to_owned(),
            service: Some(q.service.trim())
                .filter(|s| !s.is_empty())
                .map(ServiceId::from),
        };
        match policy.explain_access(&cx.actor, &question).await {
            Ok(e) => {
                let disabled = users::get(&app.db, question.user.as_str())
                    .await?
                    .is_none_or(|u| u.disabled);
                (
                    Some(verdict(&app, lang, e, disabled, &all_services).await?),
                    None,
                )
            }
            Err(e) => (None, Some(view::policy_notice(e, "check"))),
        }
    } else {
        (None, None)
    };
    let status = notice
        .as_ref()
        .map_or(StatusCode::OK, |n: &Notice| n.status);
    let path = format!("/admin/structures/{}/check", cx.id);
    person_page(
        &app,
        &headers,
        &s,
        Place::new("console/check.html", "admin", &path),
        status,
        minijinja::context! {
            title_key => "console_check_title",
            structure => StructureView::new(&structure, &scope),
            section => "check",
            people => people,
            applications => applications,
            levels => levels,
            services => services,
            question => minijinja::context! {
                person => q.person.trim(), application => q.application.trim(),
                level => q.level.trim(), service => q.service.trim(),
            },
            verdict => verdict,
            notice => notice,
        },
    )
    .await
}

/// The explanation in the reader's language. A person whose account is disabled (or
/// gone) cannot log in, whatever they hold: then the answer is no.
async fn verdict(
    app: &AppState,
    lang: Lang,
    e: AccessExplanation,
    disabled: bool,
    services: &std::collections::HashMap<ServiceId, policy::Service>,
) -> Result<Verdict, HttpError> {
    let asked = if e.services.is_empty() {
        Scope::Structure
    } else {
        Scope::Services(e.services.clone())
    };
    let scope = |s: &Scope| view::scope_text(s, services, lang);
    let grant = match &e.grant {
        Some(g) if !disabled => Some(GrantLine {
            label: g.right.label.clone(),
            level: g.right.level.clone(),
            scope: scope(&g.scope),
            granted_by: match &g.granted_by {
                Some(u) => view::person_name(app, u.as_str()).await?,
                None => t(lang, "console_audit_platform"),
            },
            until: g
                .valid_until
                .map_or_else(|| t(lang, "console_until_revoked"), view::last_day),
        }),
        _ => None,
    };
    let mut reasons: Vec<String> = Vec::new();
    if disabled {
        reasons.push(t(lang, "console_check_disabled"));
    }
    for r in &e.refusals {
        reasons.push(match r {
            Refusal::NotAttached => t(lang, "console_check_not_attached"),
            Refusal::NoGrant => t(lang, "console_check_no_grant"),
            Refusal::Expired { grant } => t_args(
                lang,
                "console_check_expired",
                &[(
                    "date",
                    &grant.valid_until.map(view::last_day).unwrap_or_default(),
                )],
            ),
            Refusal::OtherService { grant } => t_args(
                lang,
                "console_check_other_service",
                &[("services", &scope(&grant.scope))],
            ),
            Refusal::OtherLevel { grant } => t_args(
                lang,
                "console_check_other_level",
                &[("level", &grant.right.level)],
            ),
        });
    }
    Ok(Verdict {
        allowed: e.allowed && !disabled,
        services: scope(&asked),
        grant,
        reasons,
    })
}
