//! Server-rendered pages. Templates are compiled into the binary (it runs from any
//! directory) and auto-escaped.

use std::sync::LazyLock;

use axum::http::StatusCode;
use minijinja::Environment;
use serde::Serialize;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    let sources: [(&str, &str); 17] = [
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
            "sim_authorize.html",
            include_str!("../templates/sim_authorize.html"),
        ),
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
    ];
    for (name, source) in sources {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

/// Render a template; a rendering failure gives a plain message (and a log line), never
/// a stack trace.
pub fn render<S: Serialize>(name: &str, context: S) -> String {
    TEMPLATES
        .get_template(name)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| {
            tracing::error!(template = name, error = %e, "template failed");
            "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned()
        })
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

/// A page that sends the browser on with a same-origin navigation (so that `Strict`
/// cookies are sent on the next request).
pub fn redirect_page(target: &str) -> String {
    render(
        "redirect.html",
        minijinja::context! { title => "Continuing…", target => target },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "sim_authorize.html",
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
        ] {
            assert!(TEMPLATES.get_template(name).is_ok(), "{name}");
        }
    }
}
