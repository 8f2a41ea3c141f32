//! `/account/profile`: the person's surname, first name, email for notifications, phone
//! and workplace address. One form; its POST changes only the fields sent whose value
//! differs from the stored one, each validated with a message tied to its field. The
//! names the eID provider gave are shown read-only (the provider is their source). The
//! login email of a local account stays on the security page.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::audit_person;
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm, CurrentSession, csrf_token};
use crate::i18n::{person_lang, t};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::account::{self, Profile, ProfileField, ProviderNames};
use crate::store::now_ms;
use crate::store::sessions::Session;

/// The longest name, in characters.
const NAME_MAX: usize = 100;
/// The longest address, in characters.
const ADDRESS_MAX: usize = 300;

#[derive(Deserialize)]
pub(super) struct PageQuery {
    done: Option<String>,
}

/// GET /account/profile (`done=saved|unchanged` after a change). Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let notice = match q.done.as_deref() {
        Some("saved") => Some(t(lang, "profile_saved")),
        Some("unchanged") => Some(t(lang, "profile_unchanged")),
        _ => None,
    };
    let stored = account::profile(&app.db, &s.user_id).await?;
    let names = account::provider_names(&app.db, &s.user_id).await?;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        View {
            values: &stored,
            names: &names,
            errors: &[],
            notice,
        },
    )
    .await
}

/// The form: a field left out is not changed; an empty one is cleared.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ProfileForm {
    surname: Option<String>,
    first_name: Option<String>,
    contact_email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

impl ProfileForm {
    fn get(&self, field: ProfileField) -> Option<&str> {
        match field {
            ProfileField::Surname => self.surname.as_deref(),
            ProfileField::FirstName => self.first_name.as_deref(),
            ProfileField::ContactEmail => self.contact_email.as_deref(),
            ProfileField::Phone => self.phone.as_deref(),
            ProfileField::Address => self.address.as_deref(),
        }
    }
}

/// POST /account/profile. Needs a session and its CSRF token. Answers 303 to the page
/// when stored, or the page with each refused field's message (422), nothing stored.
pub(super) async fn save(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<ProfileForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let stored = account::profile(&app.db, &s.user_id).await?;
    let names = account::provider_names(&app.db, &s.user_id).await?;
    let mut wanted = stored.clone();
    let mut errors: Vec<(ProfileField, String)> = Vec::new();
    let mut changed: Vec<&'static str> = Vec::new();
    for field in ProfileField::ALL {
        let Some(raw) = form.get(field) else {
            continue;
        };
        match check(field, raw) {
            Ok(value) if value.as_deref() == field.get(&stored) => {}
            Ok(_) if from_provider(field, &names) => {
                errors.push((field, t(lang, "profile_err_from_eid")));
            }
            Ok(value) => {
                field.set(&mut wanted, value);
                changed.push(field.name());
            }
            Err(key) => errors.push((field, t(lang, key))),
        }
        // What the person typed stays in the form when something is refused.
        if errors.last().is_some_and(|(f, _)| *f == field) {
            field.set(&mut wanted, Some(raw.to_owned()));
        }
    }
    if !errors.is_empty() {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            View {
                values: &wanted,
                names: &names,
                errors: &errors,
                notice: None,
            },
        )
        .await;
    }
    if changed.is_empty() {
        return Ok(Redirect::to("/account/profile?done=unchanged").into_response());
    }
    account::set_profile(&app.db, &s.user_id, &wanted, now_ms()).await?;
    tracing::info!(user = %s.user_id, fields = ?changed, "profile changed");
    audit_person(
        &app,
        &s,
        ip,
        policy::audit::actions::PROFILE_CHANGE,
        serde_json::json!({ "fields": changed }),
    )
    .await;
    Ok(Redirect::to("/account/profile?done=saved").into_response())
}

/// Whether the eID provider is the source of this field (then it is read-only).
fn from_provider(field: ProfileField, names: &ProviderNames) -> bool {
    match field {
        ProfileField::Surname => names.family_name.is_some(),
        ProfileField::FirstName => names.given_name.is_some(),
        _ => false,
    }
}

/// A field's value as stored (`None`: empty), or the catalogue key of why it is refused.
fn check(field: ProfileField, raw: &str) -> Result<Option<String>, &'static str> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ok = match field {
        ProfileField::Surname | ProfileField::FirstName => {
            value.chars().count() <= NAME_MAX
                && value.chars().any(char::is_alphabetic)
                && !value.chars().any(char::is_control)
        }
        ProfileField::ContactEmail => crate::local::rules::valid_email(value),
        ProfileField::Phone => valid_phone(value),
        ProfileField::Address => {
            value.chars().count() <= ADDRESS_MAX && !value.chars().any(char::is_control)
        }
    };
    if ok {
        let stored = match field {
            ProfileField::ContactEmail => value.to_lowercase(),
            ProfileField::Phone => value.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => value.to_owned(),
        };
        return Ok(Some(stored));
    }
    Err(match field {
        ProfileField::Surname | ProfileField::FirstName => "profile_err_name",
        ProfileField::ContactEmail => "profile_err_email",
        ProfileField::Phone => "profile_err_phone",
        ProfileField::Address => "profile_err_address",
    })
}

/// Digits and spaces, a `+` only in front, 6 to 15 digits (E.164 has at most 15).
fn valid_phone(value: &str) -> bool {
    let body = value.strip_prefix('+').unwrap_or(value);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || c == ' ') && (6..=15).contains(&digits)
}

/// What the page shows.
struct View<'a> {
    values: &'a Profile,
    names: &'a ProviderNames,
    errors: &'a [(ProfileField, String)],
    notice: Option<String>,
}

#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    value: String,
    error: Option<String>,
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    view: View<'_>,
) -> Result<Response, HttpError> {
    let fields: Vec<FieldView> = ProfileField::ALL
        .iter()
        .map(|&f| FieldView {
            name: f.name(),
            value: f.get(view.values).unwrap_or_default().to_owned(),
            error: view
                .errors
                .iter()
                .find(|(e, _)| *e == f)
                .map(|(_, m)| m.clone()),
        })
        .collect();
    let by_name = |n: &str| fields.iter().find(|f| f.name == n);
    let local = match app.config.local {
        Some(_) => crate::local::store::by_user(&app.db, &s.user_id)
            .await?
            .is_some(),
        None => false,
    };
    person_page(
        app,
        headers,
        s,
        Place::new("account/profile.html", "account", "/account/profile"),
        status,
        minijinja::context! {
            title_key => "profile_title",
            csrf => csrf_token(app, s),
            notice => view.notice,
            has_errors => !view.errors.is_empty(),
            surname => by_name("surname"),
            first_name => by_name("first_name"),
            contact_email => by_name("contact_email"),
            phone => by_name("phone"),
            address => by_name("address"),
            eid_family => view.names.family_name.clone(),
            eid_given => view.names.given_name.clone(),
            local => local,
        },
    )
    .await
}

/// The English refusal message of a value, for the tests.
#[cfg(test)]
fn message(field: ProfileField, raw: &str) -> Option<String> {
    check(field, raw).err().map(|k| t(crate::i18n::Lang::En, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_is_checked_with_its_own_message() {
        assert_eq!(
            check(ProfileField::Phone, " +32 2 555 12 34 "),
            Ok(Some("+32 2 555 12 34".to_owned()))
        );
        assert_eq!(check(ProfileField::Phone, ""), Ok(None));
        for bad in [
            "12-34-56",
            "+32+2555",
            "12345",
            "abc123456",
            "1234567890123456",
        ] {
            assert_eq!(
                check(ProfileField::Phone, bad),
                Err("profile_err_phone"),
                "{bad}"
            );
        }
        assert_eq!(
            check(ProfileField::ContactEmail, "Anne@Example.BE"),
            Ok(Some("anne@example.be".to_owned()))
        );
        assert_eq!(
            check(ProfileField::ContactEmail, "anne@"),
            Err("profile_err_email")
        );
        assert_eq!(
            check(ProfileField::Surname, &"x".repeat(101)),
            Err("profile_err_name")
        );
        assert_eq!(
            check(ProfileField::Surname, "1234"),
            Err("profile_err_name")
        );
        assert_eq!(
            check(ProfileField::FirstName, "Zoë"),
            Ok(Some("Zoë".to_owned()))
        );
        assert_eq!(
            check(ProfileField::Address, &"a".repeat(301)),
            Err("profile_err_address")
        );
        assert_eq!(
            check(ProfileField::Address, "Rue\u{0}"),
            Err("profile_err_address")
        );
        assert!(message(ProfileField::Phone, "x").is_some_and(|m| !m.is_empty()));
    }
}
