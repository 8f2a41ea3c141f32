//! A simulated eID provider, for the demo and as a peer in the gateway's tests: a real
//! (small) OpenID provider with discovery, JWKS, an authorization endpoint that shows a
//! plain HTML form to pick one of a few test citizens, a token endpoint (client
//! authentication, PKCE S256, single-use codes) and EdDSA-signed ID tokens carrying a
//! national register number and an `acr`.
//!
//! Its pages are the provider's own (`templates/`), not the gateway's. A gateway built
//! without the `demo` feature has no way to start it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use subtle::ConstantTimeEq;

/// The provider's own pages, compiled into the binary and auto-escaped.
static TEMPLATES: LazyLock<minijinja::Environment<'static>> = LazyLock::new(|| {
    let mut env = minijinja::Environment::new();
    for (name, source) in [
        (
            "authorize.html",
            include_str!("../templates/authorize.html"),
        ),
        ("message.html", include_str!("../templates/message.html")),
    ] {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

/// Render one of the provider's pages; a failure gives a plain message (and a log line).
fn page(name: &str, context: minijinja::Value) -> String {
    TEMPLATES
        .get_template(name)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| {
            tracing::error!(template = name, error = %e, "template failed");
            "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned()
        })
}

/// `n` random bytes, base64url: request ids, codes, session ids.
fn random_text(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What a code is kept under: its SHA-256 (a leaked map gives no usable code).
fn code_key(code: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(code.as_bytes()))
}

/// Constant-time equality (client secrets, PKCE challenges).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A registered client.
#[derive(Debug, Clone)]
pub struct SimClient {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// Exact redirect URIs allowed.
    pub redirect_uris: Vec<String>,
    /// Exact post-logout redirect URIs allowed.
    pub post_logout_redirect_uris: Vec<String>,
}

/// A test citizen.
#[derive(Debug, Clone, Serialize)]
pub struct Citizen {
    /// Subject.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Email.
    pub email: String,
    /// National register number.
    pub rrn: String,
    /// What the demo uses them for.
    pub role: String,
}

/// The demo's citizens (their national register numbers pass the mod-97 check).
pub fn demo_citizens() -> Vec<Citizen> {
    let c = |id: &str, given: &str, family: &str, rrn: &str, role: &str| Citizen {
        id: id.to_owned(),
        name: format!("{given} {family}"),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        email: format!(
            "{}@example.be",
            given.to_lowercase().replace(['é', 'è'], "e")
        ),
        rrn: rrn.to_owned(),
        role: role.to_owned(),
    };
    vec![
        c(
            "citizen-1",
            "Alice",
            "Dupont",
            "85073003328",
            "legal representative of Nettoyage Dupont SRL",
        ),
        c(
            "citizen-2",
            "Bruno",
            "Peeters",
            "90021512766",
            "main access manager candidate",
        ),
        c("citizen-3", "Chloé", "Janssens", "78010124512", "employee"),
        c(
            "citizen-4",
            "David",
            "Lambert",
            "02030405613",
            "no right; a client (titres-services, ALE Schaerbeek) acting as himself",
        ),
        c(
            "citizen-5",
            "Emma",
            "Leroy",
            "88041210157",
            "local access manager, Liège branch of Dupont Cleaning",
        ),
        c(
            "citizen-6",
            "Farid",
            "Benali",
            "92110310370",
            "prestations encoding at the Liège branch, ending within 30 days",
        ),
        c(
            "citizen-7",
            "Greet",
            "Claes",
            "75062110509",
            "vouchers reader at Dupont Cleaning and at Van den Berg",
        ),
        c(
            "citizen-8",
            "Hugo",
            "Martin",
            "83020810752",
            "enterprise office (prestations / manage) at Dupont Cleaning",
        ),
        c(
            "citizen-9",
            "Inès",
            "Dubois",
            "95091710981",
            "prestations reader at the Brussels branch",
        ),
        c(
            "citizen-10",
            "Jan",
            "Wouters",
            "69120111134",
            "vouchers reader at ALE Schaerbeek",
        ),
        c(
            "citizen-11",
            "Katrien",
            "Maes",
            "87033011359",
            "local access manager, Antwerp branch of Van den Berg",
        ),
        c(
            "citizen-12",
            "Luc",
            "Lemaire",
            "71081411542",
            "legal representative of ALE Schaerbeek",
        ),
        c(
            "citizen-13",
            "Marie",
            "Lambrechts",
            "80050511790",
            "main access manager of ALE Schaerbeek",
        ),
        c(
            "citizen-14",
            "Nicolas",
            "Simon",
            "93072311929",
            "vouchers encoding at ALE Schaerbeek",
        ),
        c(
            "citizen-15",
            "Olivia",
            "Goossens",
            "98011112162",
            "vouchers reader at ALE Schaerbeek, ending within 30 days",
        ),
        c(
            "citizen-16",
            "Pieter",
            "Van den Berg",
            "66100912393",
            "legal representative of Van den Berg Schoonmaak",
        ),
        c(
            "citizen-17",
            "Quentin",
            "Laurent",
            "90040212584",
            "main access manager of Van den Berg Schoonmaak",
        ),
        c(
            "citizen-18",
            "Rik",
            "Jacobs",
            "85060612765",
            "prestations encoding at the Antwerp branch",
        ),
        c(
            "citizen-19",
            "Sofie",
            "Mertens",
            "91121912935",
            "prestations reader at the Mechelen branch, ending within 30 days",
        ),
        c(
            "citizen-20",
            "Tom",
            "Willems",
            "01030313144",
            "prestations reader at Van den Berg Schoonmaak",
        ),
    ]
}

/// Settings of the simulated provider.
#[derive(Debug, Clone)]
pub struct SimIdpConfig {
    /// Issuer URL (where it listens), no trailing slash.
    pub issuer: String,
    /// Registered clients.
    pub clients: Vec<SimClient>,
    /// The citizens offered.
    pub citizens: Vec<Citizen>,
    /// The `acr` put in ID tokens; further space-separated values are levels the
    /// citizens can also reach when a request asks for them only (a step-up), e.g.
    /// `"eidas-substantial eidas-high"`.
    pub acr: String,
}

struct Pending {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: String,
    acr: String,
    created: Instant,
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    nonce: Option<String>,
    code_challenge: String,
    acr: String,
    citizen: Citizen,
    created: Instant,
}

struct Inner {
    config: SimIdpConfig,
    ring: assertion::KeyRing,
    pending: Mutex<HashMap<String, Pending>>,
    codes: Mutex<HashMap<String, Grant>>,
}

/// The simulated provider's router.
pub fn router(config: SimIdpConfig) -> Router {
    let now = now_secs();
    let ring = assertion::KeyRing::new(vec![assertion::KeyMaterial::generate(
        now,
        10 * 365 * 86_400,
    )]);
    let state = Arc::new(Inner {
        config,
        ring,
        pending: Mutex::new(HashMap::new()),
        codes: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize).post(choose))
        .route("/token", axum::routing::post(token))
        .route("/end_session", get(end_session))
        .with_state(state)
}

type S = State<Arc<Inner>>;

async fn discovery(State(s): S) -> Json<serde_json::Value> {
    let i = &s.config.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/end_session"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "scopes_supported": ["openid", "profile", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "name", "given_name", "family_name", "email", "rrn", "acr", "amr", "sid"],
        "acr_values_supported": s.config.acr.split_whitespace().collect::<Vec<_>>(),
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks(State(s): S) -> Json<serde_json::Value> {
    Json(s.ring.jwks())
}

#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    acr_values: Option<String>,
}

fn bad(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(page(
            "message.html",
            minijinja::context! { title => "Error", message => message, alert => true },
        )),
    )
        .into_response()
}

/// The `acr` answered: the configured default (first value), unless the request asks
/// only for other levels the provider can reach (a step-up): then the first of those.
fn answered_acr(configured: &str, requested: Option<&str>) -> String {
    let levels: Vec<&str> = configured.split_whitespace().collect();
    let default = levels.first().copied().unwrap_or_default();
    let asked: Vec<&str> = requested.unwrap_or("").split_whitespace().collect();
    if asked.is_empty() || asked.contains(&default) {
        return default.to_owned();
    }
    asked
        .iter()
        .find(|a| levels.contains(a))
        .copied()
        .unwrap_or(default)
        .to_owned()
}

/// GET /authorize: check the request, show the citizen form.
async fn authorize(State(s): S, Query(q): Query<AuthorizeQuery>) -> Response {
    let Some(client) = q
        .client_id
        .as_deref()
        .and_then(|id| s.config.clients.iter().find(|c| c.client_id == id))
    else {
        return bad("Unknown client.");
    };
    let Some(redirect_uri) = q
        .redirect_uri
        .clone()
        .filter(|r| client.redirect_uris.contains(r))
    else {
        // Never redirect to an unregistered address.
        return bad("This redirect address is not registered for the client.");
    };
    let error_back = |error: &str| {
        let mut url = match url::Url::parse(&redirect_uri) {
            Ok(u) => u,
            Err(_) => return bad("Invalid redirect address."),
        };
        url.query_pairs_mut().append_pair("error", error);
        if let Some(st) = &q.state {
            url.query_pairs_mut().append_pair("state", st);
        }
        url.query_pairs_mut().append_pair("iss", &s.config.issuer);
        Redirect::to(url.as_str()).into_response()
    };
    if q.response_type.as_deref() != Some("code") {
        return error_back("unsupported_response_type");
    }
    if !q
        .scope
        .as_deref()
        .unwrap_or("")
        .split(' ')
        .any(|x| x == "openid")
    {
        return error_back("invalid_scope");
    }
    let (Some(challenge), Some("S256")) =
        (q.code_challenge.clone(), q.code_challenge_method.as_deref())
    else {
        return error_back("invalid_request");
    };
    let request = random_text(16);
    if let Ok(mut pending) = s.pending.lock() {
        pending.retain(|_, p| p.created.elapsed() < Duration::from_secs(600));
        pending.insert(
            request.clone(),
            Pending {
                client_id: client.client_id.clone(),
                redirect_uri,
                state: q.state.clone(),
                nonce: q.nonce.clone(),
                code_challenge: challenge,
                acr: answered_acr(&s.config.acr, q.acr_values.as_deref()),
                created: Instant::now(),
            },
        );
    }
    Html(page(
        "authorize.html",
        minijinja::context! {
            title => "Simulated eID",
            action => "/authorize",
            request => request,
            citizens => s.config.citizens,
        },
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct ChooseForm {
    request: String,
    citizen: String,
}

/// POST /authorize: the citizen is chosen; back to the client with a code.
async fn choose(State(s): S, Form(f): Form<ChooseForm>) -> Response {
    let pending = s.pending.lock().ok().and_then(|mut p| p.remove(&f.request));
    let Some(p) = pending.filter(|p| p.created.elapsed() < Duration::from_secs(600)) else {
        return bad("This login request is unknown or expired. Please start again.");
    };
    let Some(citizen) = s
        .config
        .citizens
        .iter()
        .find(|c| c.id == f.citizen)
        .cloned()
    else {
        return bad("Unknown citizen.");
    };
    let code = random_text(32);
    let mut url = match url::Url::parse(&p.redirect_uri) {
        Ok(u) => u,
        Err(_) => return bad("Invalid redirect address."),
    };
    url.query_pairs_mut().append_pair("code", &code);
    if let Some(st) = &p.state {
        url.query_pairs_mut().append_pair("state", st);
    }
    url.query_pairs_mut().append_pair("iss", &s.config.issuer);
    if let Ok(mut codes) = s.codes.lock() {
        codes.retain(|_, g| g.created.elapsed() < Duration::from_secs(120));
        codes.insert(
            code_key(&code),
            Grant {
                client_id: p.client_id,
                redirect_uri: p.redirect_uri,
                nonce: p.nonce,
                code_challenge: p.code_challenge,
                acr: p.acr,
                citizen,
                created: Instant::now(),
            },
        );
    }
    Redirect::to(url.as_str()).into_response()
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn token_error(status: StatusCode, error: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": error })),
    )
        .into_response()
}

fn client_credentials(headers: &HeaderMap, form: &TokenForm) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = STANDARD.decode(basic.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let dec = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((dec(id)?, dec(secret)?));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

/// POST /token: the code for an ID token.
async fn token(State(s): S, headers: HeaderMap, Form(f): Form<TokenForm>) -> Response {
    let Some((client_id, secret)) = client_credentials(&headers, &f) else {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    let Some(client) = s.config.clients.iter().find(|c| c.client_id == client_id) else {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    if !ct_eq(secret.as_bytes(), client.client_secret.as_bytes()) {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if f.grant_type.as_deref() != Some("authorization_code") {
        return token_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let Some(code) = f.code.as_deref() else {
        return token_error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    // Single use: the code is removed whatever happens next.
    let grant = s
        .codes
        .lock()
        .ok()
        .and_then(|mut c| c.remove(&code_key(code)));
    let Some(g) = grant.filter(|g| g.created.elapsed() < Duration::from_secs(60)) else {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    if g.client_id != client.client_id || f.redirect_uri.as_deref() != Some(g.redirect_uri.as_str())
    {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let Some(verifier) = f.code_verifier.as_deref() else {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !ct_eq(computed.as_bytes(), g.code_challenge.as_bytes()) {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let now = now_secs();
    let c = &g.citizen;
    let claims = json!({
        "iss": s.config.issuer,
        "sub": c.id,
        "aud": client.client_id,
        "azp": client.client_id,
        "iat": now,
        "exp": now + 300,
        "auth_time": now,
        "nonce": g.nonce,
        "acr": g.acr,
        "amr": ["eid"],
        "sid": random_text(16),
        "name": c.name,
        "given_name": c.given_name,
        "family_name": c.family_name,
        "email": c.email,
        "email_verified": true,
        "rrn": c.rrn,
    });
    let id_token = match s.ring.sign(&claims, now) {
        Ok(t) => t,
        Err(_) => return token_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error"),
    };
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": &random_text(32),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        })),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct EndSessionQuery {
    client_id: Option<String>,
    post_logout_redirect_uri: Option<String>,
}

/// GET /end_session: RP-initiated logout; back to the client when the address is
/// registered.
async fn end_session(State(s): S, Query(q): Query<EndSessionQuery>) -> Response {
    let back = q.client_id.as_deref().and_then(|id| {
        let client = s.config.clients.iter().find(|c| c.client_id == id)?;
        q.post_logout_redirect_uri
            .clone()
            .filter(|u| client.post_logout_redirect_uris.contains(u))
    });
    match back {
        Some(u) => Redirect::to(&u).into_response(),
        None => Html(page(
            "message.html",
            minijinja::context! { title => "Logged out", message => "You are logged out of the simulated eID provider." },
        ))
        .into_response(),
    }
}
