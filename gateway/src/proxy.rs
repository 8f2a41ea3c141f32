//! The request hot path, in the order it runs:
//!
//! 1. **strip**: a request without exactly one valid `Host` is refused (400); the
//!    client's address is settled (the TCP peer, or what a trusted proxy says); every
//!    identity or routing-override header in any spelling (the gateway's prefix,
//!    `Remote_User`, `X-Forwarded-*`, `X-Original-URL`, `X-HTTP-Method-Override`, the
//!    configured identity headers; see [`crate::headers`]) is removed from the client's
//!    request (done by [`phase_one`] before the request reaches any handler, so none
//!    ever sees them; trailers are filtered too);
//! 2. **path**: ambiguous spellings are refused ([`crate::routes::check_path`]);
//! 3. **route**: longest prefix match; no route is 404;
//! 4. **session**: the cookie resolves to a live session, or the browser is sent to log in
//!    and an API client gets 401 (public routes skip this);
//! 5. **decide**: the factor the route demands (else the step-up: [`step_up`]), the
//!    route's protection and, for policy routes, the access model (a browser refused
//!    for lack of a right gets the page that names it and offers to ask for it:
//!    [`crate::console::access::denied_page`]);
//! 6. **assert**: the signed assertion for the route's application (cached per session);
//! 7. **forward**: hop-by-hop headers removed, `X-Forwarded-*`/`Forwarded` set by the
//!    gateway alone, bodies streamed both ways; upstream refused is 502, slow is 504.
//!
//! Returning early from a phase answers the client; nothing after it runs, and nothing
//! reaches the backend.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use http_body::Frame;
use http_body_util::BodyExt;

use crate::config::Access;
use crate::error::HttpError;
use crate::extract::ClientIp;
use crate::live::Live;
use crate::routes::{self, Route};
use crate::sessions::Ended;
use crate::signing::Context;
use crate::state::AppState;
use crate::store::sessions::Session;
use crate::upstream::UpstreamBody;
use web::{error_chain, wants_html};

/// Headers that concern one connection only (RFC 9110 section 7.6.1), parsed once.
const HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::PROXY_AUTHORIZATION,
];

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const X_REAL_IP: HeaderName = HeaderName::from_static("x-real-ip");

/// Phase 1, for every request before anything else reads it: one valid `Host` or 400
/// (the answer is returned), the client's address settled once (inserted as the
/// [`ClientIp`] every handler reads, and returned), then client-sent identity and
/// routing-override headers removed.
pub fn phase_one(
    app: &AppState,
    request: &mut Request,
    peer: SocketAddr,
) -> Result<IpAddr, Box<Response>> {
    if crate::headers::valid_host(request.headers(), request.uri()).is_none() {
        app.metrics.denial("bad_host");
        return Err(Box::new(
            HttpError::bad_request("bad_host", "The request has no valid Host header.")
                .for_request(request.headers())
                .into_response(),
        ));
    }
    let ip = crate::headers::client_ip(
        peer.ip(),
        request.headers(),
        &app.config.server.trusted_proxies,
    );
    request.extensions_mut().insert(ClientIp(ip));
    strip(request.headers_mut(), &app.identity_headers);
    Ok(ip)
}

/// Remove every identity or routing-override header, in any spelling, and every
/// configured identity header.
pub fn strip(headers: &mut HeaderMap, identity: &[HeaderName]) {
    crate::headers::strip(headers, identity);
}

/// The router's fallback: a path under the gateway's own prefixes that none of its
/// handlers serves (answered as the proxy answers an unknown path).
pub async fn fallback(
    State(app): State<AppState>,
    ClientIp(peer): ClientIp,
    request: Request,
) -> Response {
    handle(&app, peer, request).await
}

/// Every path that is not the gateway's own, after [`phase_one`].
pub async fn handle(app: &AppState, peer: IpAddr, request: Request) -> Response {
    let started = Instant::now();
    let html = wants_html(request.headers());
    // A browser's error page is the person's (their language and shell); what it needs
    // of the request is kept for browsers only, before the request is consumed.
    let page_request =
        html.then(|| crate::shell::PageRequest::of(request.headers(), request.uri().path()));
    // The routes in force when the request came: one snapshot for the whole request (a
    // reload meanwhile serves the next one).
    let live = app.live();
    let (route, response) = match run(app, &live, peer, request).await {
        Ok((route, response)) => (route, response),
        Err((route, error)) => {
            let mut e = error;
            e.html = html;
            let (status, message) = (e.status, e.message.clone());
            let mut response = e.into_response();
            if let Some(page_request) = page_request
                && response
                    .extensions_mut()
                    .remove::<web::ShownError>()
                    .is_some()
            {
                let page = crate::shell::error_page_for(app, &page_request, status, &message).await;
                response
                    .headers_mut()
                    .remove(axum::http::header::CONTENT_LENGTH);
                *response.body_mut() = Body::from(page);
            }
            (route, response)
        }
    };
    if let Some(route) = route {
        app.metrics.request_on(
            route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    response
}

type Outcome<'a> = Result<(Option<&'a Route>, Response), (Option<&'a Route>, HttpError)>;

async fn run<'a>(app: &AppState, live: &'a Live, peer: IpAddr, request: Request) -> Outcome<'a> {
    let (parts, body) = request.into_parts();
    // Phase 2: path.
    let path = parts.uri.path().to_owned();
    if routes::check_path(&path).is_err() {
        app.metrics.denial("bad_path");
        return Err((
            None,
            HttpError::bad_request("bad_path", "This address is not valid."),
        ));
    }
    // Phase 3: route.
    let Some(route) = live.routes.find(&path) else {
        return Err((
            None,
            HttpError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing at this address.",
            ),
        ));
    };
    let name = Some(route);
    // Phase 4: session.
    let session = match route.access {
        Access::Public => None,
        Access::Denied => {
            app.metrics.denial("route_denied");
            return Err((name, HttpError::forbidden("This address is not available.")));
        }
        Access::Authenticated | Access::Policy => match session(app, route, &parts).await {
            Ok(s) => Some(s),
            Err(SessionOutcome::Answer(r)) => return Ok((name, r)),
            Err(SessionOutcome::Error(e)) => return Err((name, e)),
        },
    };
    // Phase 5: decide.
    if let Some(r) = step_up(app, route, session.as_deref(), &parts) {
        return Ok((name, r));
    }
    let mut context = match (&session, route.access) {
        (Some(s), Access::Policy) if s.myself => match as_myself(app, route, s, &parts.method) {
            Ok(c) => c,
            Err(e) => {
                app.metrics.denial("policy");
                return Err((name, e));
            }
        },
        (Some(s), Access::Policy) => match decide(app, route, s, &parts.method) {
            Ok(c) => c,
            Err(Refused::Error(e)) => {
                app.metrics.denial("policy");
                return Err((name, e));
            }
            Err(Refused::MissingRight { level, error }) => {
                app.metrics.denial("policy");
                // A browser learns what was needed, who grants it, and may ask for it.
                if parts.method == Method::GET && wants_html(&parts.headers) {
                    let page = crate::console::access::denied_page(
                        app,
                        s,
                        &parts.headers,
                        &route.application,
                        &level,
                        &path_and_query(&parts.uri),
                    )
                    .await;
                    return match page {
                        Ok(r) => Ok((name, r)),
                        Err(e) => Err((name, e)),
                    };
                }
                return Err((name, error));
            }
        },
        (Some(s), _) => base_context(app, s),
        (None, _) => Context::default(),
    };
    // A page for a browser carries the portal shell: the backend draws the same header.
    if let Some(s) = &session
        && parts.method == Method::GET
        && wants_html(&parts.headers)
    {
        context.shell = Some(crate::shell::claims(app, s, &parts.headers).await);
    }
    // Phase 6: assert.
    let assertion = match &session {
        Some(s) => match app.assertions.for_request(s, &route.application, &context) {
            Ok(token) => Some(token),
            Err(e) => return Err((name, HttpError::unavailable(e))),
        },
        None => None,
    };
    // Phase 7: forward.
    match forward(app, route, peer, parts, body, assertion).await {
        Ok(r) => Ok((name, r)),
        Err(e) => Err((name, e)),
    }
}

enum SessionOutcome {
    Answer(Response),
    Error(HttpError),
}

/// Phase 4: the live session behind the cookie, or the answer that sends the client to
/// log in.
/// The route's idle timeout applies, measured from the last activity anywhere.
async fn session(
    app: &AppState,
    route: &Route,
    request: &Parts,
) -> Result<Arc<Session>, SessionOutcome> {
    let headers = &request.headers;
    let browser = request.method == Method::GET && wants_html(headers);
    let Some(token) = app.cookies.session_token(headers) else {
        if browser && fetch_site(headers) == Some("cross-site") {
            // A Strict cookie is not sent on a cross-site navigation: continue with a
            // same-origin one before deciding the person is not logged in.
            return Err(SessionOutcome::Answer(
                Html(crate::pages::redirect_page(&path_and_query(&request.uri))).into_response(),
            ));
        }
        return Err(login_required(app, request, browser, None));
    };
    match app.sessions.resolve_for(&token, true, route.idle_ms).await {
        Ok(Ok(session)) => Ok(session),
        Ok(Err(why)) => Err(login_required(app, request, browser, Some(why))),
        // Store down: fail closed (at once while its circuit is open).
        Err(e) => {
            if matches!(e, crate::store::StoreError::CircuitOpen(_)) {
                app.metrics.denial("db_circuit_open");
            }
            Err(SessionOutcome::Error(HttpError::unavailable(e)))
        }
    }
}

fn login_required(
    app: &AppState,
    request: &Parts,
    browser: bool,
    ended: Option<Ended>,
) -> SessionOutcome {
    app.metrics.denial("no_session");
    if browser {
        let target = format!(
            "/auth/login?return_to={}",
            url::form_urlencoded::byte_serialize(path_and_query(&request.uri).as_bytes())
                .collect::<String>()
        );
        let mut response = Redirect::to(&target).into_response();
        // A session idle only for this route lives on for a route with a longer timeout.
        if ended.is_some_and(|e| e != Ended::IdleHere) {
            crate::cookies::append(response.headers_mut(), app.cookies.clear_session());
        }
        return SessionOutcome::Answer(response);
    }
    let message = match ended {
        Some(Ended::Idle | Ended::IdleHere) => {
            "Your session ended after a period of inactivity. Please log in again."
        }
        Some(Ended::Absolute) => "Your session reached its maximum duration. Please log in again.",
        _ => "Please log in.",
    };
    SessionOutcome::Error(HttpError::new(
        StatusCode::UNAUTHORIZED,
        "session_required",
        message,
    ))
}

/// Phase 5, first: a route demanding a login level (`min_acr`) or a second factor the
/// session has not reached sends the browser through the missing step (and back), and
/// answers 401 to any other client. `None`: go on.
fn step_up(
    app: &AppState,
    route: &Route,
    session: Option<&Session>,
    request: &Parts,
) -> Option<Response> {
    let s = session?;
    let browser_get = request.method == Method::GET && wants_html(&request.headers);
    if let Some(min) = route.min_acr.as_deref() {
        let config = &app.config;
        let below = match (config.acr_rank(&s.acr), config.acr_rank(min)) {
            (Some(have), Some(need)) => have < need,
            _ => true,
        };
        if below {
            app.metrics.denial("step_up");
            return Some(crate::factors::step_up::acr_required(
                min,
                browser_get,
                &path_and_query(&request.uri),
            ));
        }
    }
    let need = route.require_factor?;
    if need.met_by(&s.amr) {
        return None;
    }
    app.metrics.denial("step_up");
    Some(crate::factors::step_up::required(
        need,
        browser_get,
        &path_and_query(&request.uri),
    ))
}

/// Why phase 5 refused a policy route.
enum Refused {
    /// Answered as it is.
    Error(HttpError),
    /// The person lacks the route's `level` in their active organisation: a browser gets
    /// the page that offers to ask for it, other clients `error`.
    MissingRight { level: String, error: HttpError },
}

/// Phase 5 for policy routes, for a person acting as themselves: no policy decision (the
/// backend decides what a person may see of their own records), only whether the route
/// accepts the context and the method.
fn as_myself(
    app: &AppState,
    route: &Route,
    session: &Session,
    method: &Method,
) -> Result<Context, HttpError> {
    if !route.methods.contains_key(method.as_str()) {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This action is not available here.",
        ));
    }
    if !route.accepts_myself {
        tracing::info!(sid = %session.sid, route = %route.prefix, "acting as oneself refused");
        return Err(HttpError::forbidden(
            "Choose the organisation you act for on the home page first.",
        ));
    }
    Ok(base_context(app, session))
}

/// Phase 5 for policy routes: the method's access level on the route's application, in
/// the session's active structure.
fn decide(
    app: &AppState,
    route: &Route,
    session: &Session,
    method: &Method,
) -> Result<Context, Refused> {
    let Some(level) = route.methods.get(method.as_str()) else {
        return Err(Refused::Error(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This action is not available here.",
        )));
    };
    if !route.accepts_organisation {
        return Err(Refused::Error(HttpError::forbidden(
            "Choose \"Myself\" to act as yourself here.",
        )));
    }
    let Some(structure_id) = session.structure_id.as_deref() else {
        return Err(Refused::Error(HttpError::forbidden(
            "Choose the organisation you act for on the home page first.",
        )));
    };
    let now = app.clock.now_ms();
    let allowed = app.policy.decide(
        &session.user_id,
        structure_id,
        &session.services,
        &route.application,
        level,
        now,
    );
    if !allowed {
        tracing::info!(sid = %session.sid, route = %route.prefix, level = %level, "access denied by policy");
        return Err(Refused::MissingRight {
            level: level.clone(),
            error: HttpError::forbidden(
                "You do not hold the right needed for this action in this organisation.",
            ),
        });
    }
    let mut context = base_context(app, session);
    context.rights = app.policy.rights(
        &session.user_id,
        structure_id,
        &session.services,
        &route.application,
        now,
    );
    Ok(context)
}

fn base_context(app: &AppState, session: &Session) -> Context {
    Context {
        myself: session.myself,
        structure: session
            .structure_id
            .as_deref()
            .and_then(|id| app.policy.structure_info(id))
            .map(|s| assertion::ActiveStructure {
                id: s.id.0,
                enterprise_number: s.enterprise_number,
                name: s.common_name,
            }),
        services: session.services.clone(),
        rights: Vec::new(),
        shell: None,
    }
}

/// Phase 7: send the request upstream and stream the answer back.
async fn forward(
    app: &AppState,
    route: &Route,
    peer: IpAddr,
    mut parts: Parts,
    body: Body,
    assertion: Option<HeaderValue>,
) -> Result<Response, HttpError> {
    let original_host = crate::headers::valid_host(&parts.headers, &parts.uri).map(str::to_owned);
    let target = route.upstream_path_and_query(parts.uri.path(), parts.uri.query());
    parts.uri = Uri::builder()
        .scheme("http")
        .authority(route.upstream.clone())
        .path_and_query(target)
        .build()
        .map_err(|_| HttpError::bad_request("bad_path", "This address is not valid."))?;
    parts.version = http::Version::HTTP_11;
    let headers = &mut parts.headers;
    remove_hop_by_hop(headers);
    crate::cookies::strip_gateway_cookies(headers);
    for name in [
        header::FORWARDED,
        X_FORWARDED_FOR,
        X_FORWARDED_HOST,
        X_FORWARDED_PROTO,
        X_REAL_IP,
    ] {
        headers.remove(name);
    }
    let proto = app.config.server.public_url.scheme();
    insert(headers, X_FORWARDED_FOR, &peer.to_string());
    insert(headers, X_FORWARDED_PROTO, proto);
    let mut forwarded = String::with_capacity(96);
    let _ = match peer {
        IpAddr::V4(ip) => write!(forwarded, "for=\"{ip}\";proto={proto}"),
        IpAddr::V6(ip) => write!(forwarded, "for=\"[{ip}]\";proto={proto}"),
    };
    // Checked in phase 1: a host name, an address and a port, nothing that could close
    // the quoted string.
    if let Some(host) = original_host.as_deref() {
        insert(headers, X_FORWARDED_HOST, host);
        let _ = write!(forwarded, ";host=\"{host}\"");
    }
    insert(headers, header::FORWARDED, &forwarded);
    headers.insert(header::HOST, route.host.clone());
    if let Some(token) = assertion {
        headers.insert(assertion::HEADER, token);
    }
    let body: UpstreamBody = body.map_frame(strip_trailers as fn(Frame<Bytes>) -> Frame<Bytes>);
    let upstream_request = http::Request::from_parts(parts, body);
    let response =
        match tokio::time::timeout(route.timeout, app.upstream.request(upstream_request)).await {
            Err(_) => {
                return Err(HttpError::upstream(
                    StatusCode::GATEWAY_TIMEOUT,
                    "upstream_timeout",
                    "The service did not answer in time. Please try again.",
                    format!(
                        "no response from {} within {:?}",
                        route.upstream, route.timeout
                    ),
                ));
            }
            Ok(Err(e)) => {
                return Err(HttpError::upstream(
                    StatusCode::BAD_GATEWAY,
                    "upstream_unavailable",
                    "The service is unavailable. Please try again later.",
                    format!("{}: {}", route.upstream, error_chain(&e)),
                ));
            }
            Ok(Ok(r)) => r,
        };
    let (mut parts, body) = response.into_parts();
    remove_hop_by_hop(&mut parts.headers);
    keep_gateway_cookies_ours(&mut parts.headers);
    // The backend's headers stay its own: the page-headers layer adds nothing.
    parts.extensions.insert(crate::page_headers::Proxied);
    Ok(Response::from_parts(parts, Body::new(body)))
}

/// Remove hop-by-hop headers, including those named in `Connection`.
fn remove_hop_by_hop(headers: &mut HeaderMap) {
    if headers.contains_key(header::CONNECTION) {
        let listed: Vec<HeaderName> = headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
            .collect();
        for name in listed {
            headers.remove(name);
        }
    }
    for name in &HOP_BY_HOP {
        headers.remove(name);
    }
}

/// A backend may not set the gateway's own cookies (session fixation through a backend).
fn keep_gateway_cookies_ours(headers: &mut HeaderMap) {
    let values: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    if values.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for v in values {
        // From the bytes: a value that is not text must not hide the name.
        let name = crate::headers::set_cookie_name(v.as_bytes());
        if !crate::cookies::is_gateway_cookie(&name) {
            headers.append(header::SET_COOKIE, v);
        }
    }
}

/// Request trailers pass, minus anything that looks like an identity header.
fn strip_trailers(frame: Frame<Bytes>) -> Frame<Bytes> {
    match frame.into_trailers() {
        Ok(mut trailers) => {
            let names: Vec<HeaderName> = trailers
                .keys()
                .filter(|n| {
                    crate::headers::is_identity_or_override(n.as_str(), &[])
                        || n.as_str().contains("user")
                        || n.as_str().contains("identity")
                        || n.as_str().contains("forwarded")
                })
                .cloned()
                .collect();
            for n in names {
                trailers.remove(n);
            }
            Frame::trailers(trailers)
        }
        Err(frame) => frame,
    }
}

fn insert(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

fn fetch_site(headers: &HeaderMap) -> Option<&str> {
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
}

fn path_and_query(uri: &Uri) -> String {
    uri.path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_removes_prefix_and_identity_headers_in_any_case() {
        let mut h = HeaderMap::new();
        h.append("X-Gateway-Assertion", HeaderValue::from_static("forged"));
        h.append("x-gateway-assertion", HeaderValue::from_static("forged2"));
        h.append("X-GATEWAY-anything", HeaderValue::from_static("x"));
        h.append("X-Remote-User", HeaderValue::from_static("admin"));
        h.append("accept", HeaderValue::from_static("*/*"));
        let identity = vec![HeaderName::from_static("x-remote-user")];
        strip(&mut h, &identity);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("accept"));
    }

    #[test]
    fn hop_by_hop_and_connection_listed_headers_go() {
        let mut h = HeaderMap::new();
        h.insert(
            "connection",
            HeaderValue::from_static("keep-alive, x-secret-hop"),
        );
        h.insert("x-secret-hop", HeaderValue::from_static("1"));
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("upgrade", HeaderValue::from_static("websocket"));
        h.insert("x-kept", HeaderValue::from_static("1"));
        remove_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("x-kept"));
    }

    #[test]
    fn trailers_lose_identity_headers() {
        let mut t = HeaderMap::new();
        t.insert("x-gateway-assertion", HeaderValue::from_static("forged"));
        t.insert("x-remote-user", HeaderValue::from_static("admin"));
        t.insert("x-checksum", HeaderValue::from_static("abc"));
        let out = strip_trailers(Frame::trailers(t));
        let t = out.into_trailers().expect("trailers");
        assert_eq!(t.len(), 1);
        assert!(t.contains_key("x-checksum"));
    }

    #[test]
    fn backend_cannot_set_gateway_cookies() {
        let mut h = HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("gw_session=evil; Path=/"),
        );
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("theirs=1; Path=/"),
        );
        keep_gateway_cookies_ours(&mut h);
        let all: Vec<_> = h.get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0], "theirs=1; Path=/");
    }
}
