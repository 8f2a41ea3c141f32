//! The weekly digest of an access manager who asked for it (`/account/preferences`):
//! for each organisation they manage, the people who arrived (attached) and left
//! (detached) in the last seven days and the authorisations ending within 30 days. Queued
//! through the outbox by the periodic maintenance, at most once every seven days per
//! person (read on the access model's clock), in the person's language, to their email
//! for notifications (else the address their provider gave).

use crate::i18n::{Lang, t, t_args};
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::{StoreError, account, users};

/// A week, in milliseconds.
pub const WEEK_MS: i64 = 7 * 86_400_000;
/// How far ahead the digest looks for authorisations ending.
const ENDING_WITHIN_MS: i64 = 30 * 86_400_000;

/// Queue the digest of every person due; returns how many were queued. A person whose
/// digest cannot be built (no address, the model refusing) is skipped and logged.
pub async fn send_due(app: &AppState) -> Result<usize, StoreError> {
    let now = app.clock.now_ms();
    let mut queued = 0;
    for user_id in account::digest_due(&app.db, now - WEEK_MS).await? {
        let Some(user) = users::get(&app.db, &user_id).await? else {
            continue;
        };
        let profile = account::profile(&app.db, &user_id).await?;
        let Some(to) = profile.contact_email.or(user.email) else {
            tracing::info!(user = %user_id, "weekly digest skipped: no address");
            continue;
        };
        let lang = user
            .locale
            .as_deref()
            .or(Some(app.config.server.default_language.as_str()))
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En);
        let body = match body(app, &user_id, &user.display_name, lang, now).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(user = %user_id, error = %e, "weekly digest could not be built");
                continue;
            }
        };
        let mail = Outgoing {
            to,
            subject: t(lang, "digest_subject"),
            body,
            expires_at: None,
        };
        let mut tx = app.db.pool.begin().await?;
        outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
        account::digest_sent(&mut tx, &user_id, now).await?;
        tx.commit().await?;
        queued += 1;
    }
    if queued > 0 {
        app.mailer.wake();
    }
    Ok(queued)
}

/// The digest's text: one section per managed organisation.
async fn body(
    app: &AppState,
    user_id: &str,
    name: &str,
    lang: Lang,
    now: i64,
) -> Result<String, policy::PolicyError> {
    let user = policy::UserId::from(user_id);
    let actor = policy::Actor::user(user_id, None);
    let mut out = t_args(lang, "digest_greeting", &[("name", name)]);
    out.push_str("\n\n");
    out.push_str(&t(lang, "digest_intro"));
    out.push('\n');
    for st in app.policy.managed_structures(&user).await? {
        out.push_str(&format!(
            "\n== {} ({}) ==\n",
            st.common_name, st.enterprise_number
        ));
        let arrivals: Vec<String> = match app.policy.members(&actor, &st.id).await {
            Ok(members) => {
                let mut names = Vec::new();
                for m in members.iter().filter(|m| m.created_at > now - WEEK_MS) {
                    names.push(person_name(app, m.user_id.as_str()).await);
                }
                names
            }
            // A local manager may not list every member: say nothing rather than guess.
            Err(policy::PolicyError::Forbidden { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut departures = Vec::new();
        let events = app
            .policy
            .audit()
            .query(&policy::audit::AuditQuery {
                structure: Some(st.id.clone()),
                from_ms: Some(now - WEEK_MS),
                to_ms: Some(now + 1),
                ..Default::default()
            })
            .await?;
        for e in events
            .iter()
            .filter(|e| e.event.action == policy::audit::actions::ATTACHMENT_DETACH)
        {
            departures.push(person_name(app, &e.event.target).await);
        }
        let mut ending = Vec::new();
        match app.policy.grants_in(&actor, &st.id).await {
            Ok(grants) => {
                for g in grants.iter().filter(|g| g.revoked_at.is_none()) {
                    let Some(until) = g
                        .valid_until
                        .filter(|u| *u > now && *u <= now + ENDING_WITHIN_MS)
                    else {
                        continue;
                    };
                    let who = match &g.holder {
                        policy::Subject::User(u) => person_name(app, u.as_str()).await,
                        policy::Subject::Pending(_) => t(lang, "digest_pending_person"),
                    };
                    let date = chrono::DateTime::from_timestamp_millis(until)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default();
                    ending.push(t_args(
                        lang,
                        "digest_grant_line",
                        &[("name", &who), ("right", &g.right.label), ("date", &date)],
                    ));
                }
            }
            Err(policy::PolicyError::Forbidden { .. }) => {}
            Err(e) => return Err(e),
        }
        for (key, lines) in [
            ("digest_arrivals", arrivals),
            ("digest_departures", departures),
            ("digest_grants_ending", ending),
        ] {
            out.push_str(&format!("\n{}\n", t(lang, key)));
            if lines.is_empty() {
                out.push_str(&format!("- {}\n", t(lang, "digest_none")));
            }
            for l in lines {
                out.push_str(&format!("- {l}\n"));
            }
        }
    }
    out.push('\n');
    out.push_str(&t(lang, "digest_footer"));
    out.push('\n');
    Ok(out)
}

async fn person_name(app: &AppState, user_id: &str) -> String {
    match users::get(&app.db, user_id).await {
        Ok(Some(u)) => u.display_name,
        _ => user_id.to_owned(),
    }
}
