//! Server-rendered pages and the way between them. Templates are compiled into the
//! binary (it runs from any directory) and auto-escaped; the error page answers the
//! gateway's [`crate::error::HttpError`]; [`continue_to`] sends a browser on so that its
//! `Strict` cookies come along; [`safe_return_to`] keeps every "come back here" on site.

use std::sync::LazyLock;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::Environment;
use serde::Serialize;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    crate::i18n::catalogue().install(&mut env);
    let sources: &[(&str, &str)] = &[
        ("shell.html", i18n::shell::TEMPLATE),
        ("account.html", include_str!("../templates/account.html")),
        (
            "account/profile.html",
            include_str!("../templates/account/profile.html"),
        ),
        (
            "account/preferences.html",
            include_str!("../templates/account/preferences.html"),
        ),
        (
            "account/sessions.html",
            include_str!("../templates/account/sessions.html"),
        ),
        (
            "account/deactivate.html",
            include_str!("../templates/account/deactivate.html"),
        ),
        (
            "account/deactivated.html",
            include_str!("../templates/account/deactivated.html"),
        ),
        (
            "console/index.html",
            include_str!("../templates/console/index.html"),
        ),
        (
            "console/mine.html",
            include_str!("../templates/console/mine.html"),
        ),
        (
            "console/requests.html",
            include_str!("../templates/console/requests.html"),
        ),
        (
            "console/habilitations.html",
            include_str!("../templates/console/habilitations.html"),
        ),
        (
            "console/access_denied.html",
            include_str!("../templates/console/access_denied.html"),
        ),
        (
            "console/nav.html",
            include_str!("../templates/console/nav.html"),
        ),
        (
            "console/notice.html",
            include_str!("../templates/console/notice.html"),
        ),
        (
            "console/forbidden.html",
            include_str!("../templates/console/forbidden.html"),
        ),
        (
            "console/structure.html",
            include_str!("../templates/console/structure.html"),
        ),
        (
            "console/managers.html",
            include_str!("../templates/console/managers.html"),
        ),
        (
            "console/audit.html",
            include_str!("../templates/console/audit.html"),
        ),
        (
            "console/check.html",
            include_str!("../templates/console/check.html"),
        ),
        (
            "console/people.html",
            include_str!("../templates/console/people.html"),
        ),
        (
            "console/catalogue.html",
            include_str!("../templates/console/catalogue.html"),
        ),
        (
            "console/register.html",
            include_str!("../templates/console/register.html"),
        ),
        (
            "console/organisations.html",
            include_str!("../templates/console/organisations.html"),
        ),
        (
            "console/accounts.html",
            include_str!("../templates/console/accounts.html"),
        ),
        ("base.html", include_str!("../templates/base.html")),
        ("error.html", include_str!("../templates/error.html")),
        ("login.html", include_str!("../templates/login.html")),
        ("redirect.html", include_str!("../templates/redirect.html")),
        (
            "logged_out.html",
            include_str!("../templates/logged_out.html"),
        ),
        ("home.html", include_str!("../templates/home.html")),
        (
            "factor_code.html",
            include_str!("../templates/factor_code.html"),
        ),
        (
            "factor_ended.html",
            include_str!("../templates/factor_ended.html"),
        ),
        ("factors.html", include_str!("../templates/factors.html")),
        (
            "step_up_acr.html",
            include_str!("../templates/step_up_acr.html"),
        ),
        (
            "factor_webauthn.html",
            include_str!("../templates/factor_webauthn.html"),
        ),
        (
            "totp_enroll.html",
            include_str!("../templates/totp_enroll.html"),
        ),
        (
            "local_login.html",
            include_str!("../templates/local_login.html"),
        ),
        (
            "local_forgot.html",
            include_str!("../templates/local_forgot.html"),
        ),
        (
            "local_reset.html",
            include_str!("../templates/local_reset.html"),
        ),
        (
            "local_email_confirm.html",
            include_str!("../templates/local_email_confirm.html"),
        ),
        (
            "local_invitation.html",
            include_str!("../templates/local_invitation.html"),
        ),
    ];
    for &(name, source) in sources {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

/// Render a template; a rendering failure gives a plain message (and a log line), never
/// a stack trace.
/// A page without a `shell` in its context gets the shell of a page before login (the
/// language switch), in the page's `lang`.
pub fn render<S: Serialize>(name: &str, context: S) -> String {
    let context = minijinja::Value::from_serialize(&context);
    let has_shell = context
        .get_attr("shell")
        .is_ok_and(|v| !v.is_undefined() && !v.is_none());
    let context = if has_shell {
        context
    } else {
        let lang = context
            .get_attr("lang")
            .ok()
            .and_then(|v| v.as_str().and_then(crate::i18n::Lang::from_code))
            .unwrap_or(crate::i18n::Lang::En);
        let shell = ::i18n::shell::Shell::anonymous(lang, "/");
        minijinja::context! { shell => shell, lang => lang.code(), ..context }
    };
    TEMPLATES
        .get_template(name)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| {
            tracing::error!(template = name, error = %e, "template failed");
            "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned()
        })
}

/// A page in `lang` (its template calls `t` with each text's key), never cached.
pub fn page(
    name: &str,
    status: StatusCode,
    lang: crate::i18n::Lang,
    extra: minijinja::Value,
) -> Response {
    let ctx = minijinja::context! { lang => lang.code(), ..extra };
    web::no_store((status, Html(render(name, ctx))).into_response())
}

/// The gateway's error page, for [`crate::error::HttpError`].
#[derive(Debug, Clone, Copy)]
pub struct Page;

impl web::ErrorPage for Page {
    fn render(status: StatusCode, message: &str) -> String {
        error_page(status, message)
    }
}

/// The error page.
pub fn error_page(status: StatusCode, message: &str) -> String {
    let title = status.canonical_reason().unwrap_or("Error");
    render(
        "error.html",
        minijinja::context! { title => title, message => message },
    )
}

/// The refusal of a form whose CSRF token is missing, wrong or from another session.
pub const FORM_EXPIRED: &str = "This form has expired. Please reload the page and try again.";

/// The refusal of a form sent from another site.
pub const CROSS_SITE: &str = "This form must be sent from this site.";

/// The error page in `lang`, with `shell` (a logged-in person's; else the anonymous one):
/// the title from the status, and the message in that language when it is one the
/// gateway writes itself (the proxy's and the forms' refusals); any other message as it is.
pub fn error_page_in(
    lang: crate::i18n::Lang,
    status: StatusCode,
    message: &str,
    shell: Option<minijinja::Value>,
) -> String {
    use crate::i18n::t;
    let title = match status.as_u16() {
        400 => t(lang, "error_status_400"),
        401 => t(lang, "error_status_401"),
        403 => t(lang, "error_status_403"),
        404 => t(lang, "error_status_404"),
        405 => t(lang, "error_status_405"),
        502 => t(lang, "error_status_502"),
        503 => t(lang, "error_status_503"),
        504 => t(lang, "error_status_504"),
        _ => t(lang, "error_status_other"),
    };
    let message = match message {
        "This address is not valid." => t(lang, "error_bad_path"),
        "There is nothing at this address." => t(lang, "error_not_found"),
        "This address is not available." => t(lang, "error_denied_route"),
        "This action is not available here." => t(lang, "error_method"),
        "Choose \"Myself\" to act as yourself here." => t(lang, "error_choose_myself"),
        "Choose the organisation you act for on the home page first." => {
            t(lang, "error_choose_organisation")
        }
        "You do not hold the right needed for this action in this organisation." => {
            t(lang, "error_no_right")
        }
        "The service did not answer in time. Please try again." => t(lang, "error_timeout"),
        "The service is unavailable. Please try again later." => t(lang, "error_upstream"),
        "The service is temporarily unavailable. Please try again in a moment." => {
            t(lang, "error_unavailable")
        }
        "Something went wrong on our side. Please try again." => t(lang, "error_internal"),
        FORM_EXPIRED => t(lang, "error_form_expired"),
        CROSS_SITE => t(lang, "error_cross_site"),
        other => crate::policy_texts::translate(lang, other).unwrap_or_else(|| other.to_owned()),
    };
    let context = minijinja::context! { title => title, message => message, lang => lang.code() };
    match shell {
        Some(shell) => render(
            "error.html",
            minijinja::context! { shell => shell, ..context },
        ),
        None => render("error.html", context),
    }
}

/// A page that sends the browser on with a same-origin navigation (so that `Strict`
/// cookies are sent on the next request).
pub fn redirect_page(target: &str) -> String {
    render(
        "redirect.html",
        minijinja::context! { title => "Continuing…", target => target },
    )
}

/// Send the browser on: after a cross-site navigation a `Strict` cookie is not sent on a
/// redirect, so browsers get a same-origin page that continues; other clients a 303.
pub fn continue_to(headers: &HeaderMap, target: &str) -> Response {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    if cross_site {
        Html(redirect_page(target)).into_response()
    } else {
        Redirect::to(target).into_response()
    }
}

/// A same-origin relative path to go to after login; anything else becomes `/`.
pub fn safe_return_to(candidate: Option<&str>) -> String {
    let Some(c) = candidate else {
        return "/".to_owned();
    };
    let path = c.split(['?', '#']).next().unwrap_or("");
    let ok = c.len() <= 2048
        && c.starts_with('/')
        && !c.starts_with("//")
        && !c.contains('\\')
        && !c.chars().any(char::is_control)
        && crate::routes::check_path(path).is_ok()
        && !path.starts_with("/auth/");
    if ok { c.to_owned() } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_to_never_leaves_the_site() {
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "http:/evil",
            "javascript:alert(1)",
            "/%2f%2fevil.example",
            "/a/../../evil",
            "/ok\r\nLocation: https://evil",
            "/auth/logout",
            "",
        ] {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_to(Some("/vouchers/?a=1")), "/vouchers/?a=1");
        assert_eq!(safe_return_to(None), "/");
    }

    #[test]
    fn every_template_compiles_and_escapes() {
        let page = error_page(StatusCode::FORBIDDEN, "<script>alert(1)</script>");
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script>"));
        let r = redirect_page("/vouchers/?a=1&b=\"x\"");
        assert!(r.contains("url=/vouchers/?a=1&amp;b=&#34;x&#34;") || r.contains("&amp;b="));
        for name in [
            "login.html",
            "logged_out.html",
            "home.html",
            "factor_code.html",
            "factor_ended.html",
            "factor_webauthn.html",
            "factors.html",
            "step_up_acr.html",
            "totp_enroll.html",
            "local_login.html",
            "local_forgot.html",
            "local_reset.html",
            "local_email_confirm.html",
            "local_invitation.html",
            "account/profile.html",
            "account/preferences.html",
            "account/sessions.html",
            "account/deactivate.html",
            "account/deactivated.html",
        ] {
            assert!(TEMPLATES.get_template(name).is_ok(), "{name}");
        }
    }
}
