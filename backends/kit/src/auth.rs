//! Who is calling: the backend trusts nothing but the gateway's signed assertion
//! ([`assertion::HEADER`]), verified with [`assertion::Verifier`] against the gateway's
//! JWKS. [`require_assertion`] runs before every route: without a valid assertion the
//! request is answered `401` JSON (or `503` when the key set cannot be fetched) and no
//! handler runs. Handlers take the verified [`Caller`].
//!
//! HTML forms carry a CSRF token derived from the assertion's session id ([`Csrf`]), and a
//! form posted from another site (`Sec-Fetch-Site: cross-site`) is refused.

use std::sync::Arc;

use assertion::{ActiveStructure, Claims, Verifier, VerifyError};
use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ApiError;

/// What a person acting as themselves may do with their own records, whatever the
/// assertion's `rights` say: read them and answer (confirm, contest, enter a code). The
/// gateway makes no policy decision for a person acting as themselves (a route accepts
/// that context or refuses it) and asserts no rights for them; every backend scopes what
/// such a caller reaches to their own `sub`, and refuses them every organisation's power
/// (`manage`, `process` and any action naming a structure).
pub const SELF_RIGHTS: [&str; 2] = ["read", "modify"];

/// The verified identity of the caller of one request: the assertion's claims, and the
/// language of the pages and messages answered to them.
#[derive(Debug, Clone)]
pub struct Caller(pub Claims, pub i18n::Lang);

impl Caller {
    /// The caller of `claims`, in the language the person chose at the gateway (the
    /// `shell` claim's `lang`), else English.
    pub fn new(claims: Claims) -> Self {
        Self::with_accept_language(claims, None)
    }

    /// The caller of `claims`, in the language the person chose at the gateway, else the
    /// browser's `Accept-Language`, else English.
    pub fn with_accept_language(claims: Claims, accept_language: Option<&str>) -> Self {
        let choice = claims.shell.as_ref().map(|s| s.lang.as_str());
        let lang = i18n::Lang::resolve(choice, accept_language, i18n::Lang::En);
        Self(claims, lang)
    }

    /// The language of the caller's pages and messages.
    pub fn lang(&self) -> i18n::Lang {
        self.1
    }

    /// The person's stable id at the gateway.
    pub fn sub(&self) -> &str {
        &self.0.sub
    }

    /// Display name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the caller holds `right` (an access level) in the active structure; a
    /// person acting as themselves holds [`SELF_RIGHTS`] over their own records.
    pub fn has(&self, right: &str) -> bool {
        self.0.rights.iter().any(|r| r == right)
            || (self.0.acts_as_self() && SELF_RIGHTS.contains(&right))
    }

    /// Refuse (403) unless the caller holds `right`.
    pub fn require(&self, right: &str) -> Result<(), ApiError> {
        if self.has(right) {
            Ok(())
        } else {
            Err(ApiError::forbidden(crate::texts::t_args(
                self.lang(),
                "kit_needs_right",
                &[("right", right)],
            )))
        }
    }

    /// The active structure, or 403 when the caller acts for none (also when they act as
    /// themselves, whatever structure the token names).
    pub fn structure(&self) -> Result<&ActiveStructure, ApiError> {
        self.0.organisation().ok_or_else(|| {
            let key = if self.0.acts_as_self() {
                "kit_acting_as_self"
            } else {
                "kit_choose_structure"
            };
            ApiError::forbidden(crate::texts::t(self.lang(), key))
        })
    }

    /// How the caller acts: for an organisation, or as themselves (a private person).
    pub fn acting(&self) -> assertion::Acting {
        self.0.acting
    }

    /// The identity as answered by `GET /whoami`.
    pub fn whoami(&self) -> Value {
        let c = &self.0;
        json!({
            "sub": c.sub,
            "name": c.name,
            "sid": c.sid,
            "acr": c.acr,
            "amr": c.amr,
            "acting": c.acting,
            "structure": c.structure,
            "services": c.services,
            "rights": c.rights,
            "audience": c.aud,
            "issuer": c.iss,
            "expires_at": c.exp,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Only `require_assertion` inserts a Caller: a route mounted without it fails closed.
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::Unauthorized("no assertion".to_owned()))
    }
}

/// Middleware: verify the assertion header and insert the [`Caller`], or answer 401.
pub async fn require_assertion(
    State(verifier): State<Arc<Verifier>>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut values = request.headers().get_all(assertion::HEADER).iter();
    let token = match (values.next(), values.next()) {
        (None, _) => return refuse(&VerifyError::Missing),
        (Some(_), Some(_)) => return refuse(&VerifyError::Malformed),
        (Some(value), None) => match value.to_str() {
            Ok(token) => token.trim().to_owned(),
            Err(_) => return refuse(&VerifyError::Malformed),
        },
    };
    match verifier.verify(&token).await {
        Ok(claims) => {
            let accept = request
                .headers()
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok());
            let caller = Caller::with_accept_language(claims, accept);
            let lang = caller.lang();
            request.extensions_mut().insert(caller);
            let mut response = next.run(request).await;
            // An error page is written again in the caller's language.
            match response
                .extensions_mut()
                .remove::<crate::error::ShownError>()
            {
                Some(shown) => crate::error::page_in(lang, &shown),
                None => response,
            }
        }
        Err(error) => refuse(&error),
    }
}

fn refuse(error: &VerifyError) -> Response {
    tracing::info!(%error, "assertion refused");
    match error {
        VerifyError::KeySet(_) => {
            ApiError::Unavailable("the gateway's keys are unavailable".to_owned()).into_response()
        }
        other => ApiError::Unauthorized(other.to_string()).into_response(),
    }
}

/// `GET /whoami`: the identity this backend verified.
pub async fn whoami(caller: Caller) -> Json<Value> {
    Json(caller.whoami())
}

/// CSRF tokens for HTML forms: an HMAC of the gateway session id under a backend key.
#[derive(Clone)]
pub struct Csrf {
    key: Arc<[u8; 32]>,
}

impl std::fmt::Debug for Csrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Csrf([redacted])")
    }
}

/// Name of the hidden form field carrying the token.
pub const CSRF_FIELD: &str = "_csrf";

impl Csrf {
    /// With a configured key (hex or any text of at least 32 bytes), else a random one
    /// (forms then stop working across a restart or between nodes).
    pub fn new(configured: Option<&str>) -> Self {
        let mut key = [0u8; 32];
        match configured {
            Some(text) if !text.is_empty() => {
                let digest = <Sha256 as sha2::Digest>::digest(text.as_bytes());
                key.copy_from_slice(&digest);
            }
            _ => rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key),
        }
        Self { key: Arc::new(key) }
    }

    /// The token for forms shown to `caller`.
    pub fn token(&self, caller: &Caller) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.key.as_ref())
            .expect("HMAC takes keys of any length");
        mac.update(b"csrf:");
        mac.update(caller.0.sid.as_bytes());
        mac.update(b":");
        mac.update(caller.0.sub.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Refuse a form post from another site or without the right token.
    pub fn check(&self, caller: &Caller, headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
        if let Some(site) = headers.get("sec-fetch-site")
            && site.as_bytes() == b"cross-site"
        {
            return Err(ApiError::forbidden(crate::texts::t(
                caller.lang(),
                "kit_cross_site_form",
            )));
        }
        let expected = self.token(caller);
        if bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            Err(ApiError::forbidden(crate::texts::t(
                caller.lang(),
                "kit_form_expired",
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(sid: &str) -> Caller {
        Caller::new(Claims {
            iss: "i".to_owned(),
            aud: "a".to_owned(),
            sub: "u1".to_owned(),
            name: "Ann".to_owned(),
            sid: sid.to_owned(),
            acr: String::new(),
            amr: vec![],
            iat: 0,
            exp: 0,
            jti: "j".to_owned(),
            acting: assertion::Acting::Organisation,
            structure: None,
            services: vec![],
            rights: vec!["read".to_owned()],
            shell: None,
        })
    }

    #[test]
    fn a_person_acting_as_themselves_reads_and_answers_and_no_more() {
        let mut c = caller("s1");
        c.0.rights = vec![];
        assert!(
            !c.has("read"),
            "an organisation's caller holds what is asserted"
        );
        c.0.acting = assertion::Acting::Myself;
        assert!(c.has("read") && c.has("modify"));
        assert!(c.require("read").is_ok());
        assert!(!c.has("manage") && !c.has("process"));
        assert!(c.structure().is_err(), "and no organisation's powers");
    }

    #[test]
    fn csrf_token_is_bound_to_the_session() {
        let csrf = Csrf::new(Some("k"));
        let a = caller("s1");
        let token = csrf.token(&a);
        assert!(csrf.check(&a, &HeaderMap::new(), &token).is_ok());
        assert!(
            csrf.check(&caller("s2"), &HeaderMap::new(), &token)
                .is_err()
        );
        let mut cross = HeaderMap::new();
        cross.insert("sec-fetch-site", "cross-site".parse().expect("header"));
        assert!(csrf.check(&a, &cross, &token).is_err());
    }

    #[test]
    fn rights_are_checked() {
        let c = caller("s");
        assert!(c.require("read").is_ok());
        assert!(matches!(c.require("modify"), Err(ApiError::Forbidden(_))));
        assert!(c.structure().is_err());
    }
}
