//! Login through upstream OpenID providers: discovery (lazy, retried while the provider is
//! down), the authorization request (code flow, PKCE S256, state, nonce, acr_values), the
//! code exchange and the ID-token checks (signature against the provider's JWKS, refreshed
//! once on an unknown key; iss, aud, azp, exp, iat, nonce, acr), and the verification of
//! back-channel logout tokens.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGrantType, CoreIdTokenVerifier, CoreJsonWebKey, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthenticationContextClass, AuthorizationCode,
    ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, LogoutProviderMetadata, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadata, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde_json::Value;
use tokio::sync::{Mutex, RwLock};
use url::Url;
use web::error_chain;

use crate::config::{Config, ProviderConfig};
use crate::crypto::Secret;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Discovery fields beyond the core ones: RFC 9207's flag.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
struct IssParameter {
    #[serde(default)]
    authorization_response_iss_parameter_supported: Option<bool>,
}
impl AdditionalProviderMetadata for IssParameter {}

type Metadata = ProviderMetadata<
    LogoutProviderMetadata<IssParameter>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Least time between two discovery attempts of one provider.
const RETRY_DISCOVERY: Duration = Duration::from_secs(5);
/// An ID token issued longer ago than this is refused.
const MAX_ID_TOKEN_AGE: Duration = Duration::from_secs(600);
/// Clock skew tolerated with providers.
const SKEW: Duration = Duration::from_secs(60);

/// Why a login failed. The text is safe to log; it never holds a token.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Discovery, JWKS or token endpoint unreachable or broken.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The token endpoint refused the code (reused, expired, wrong verifier).
    #[error("code exchange refused: {0}")]
    Exchange(String),
    /// The ID token failed a check.
    #[error("ID token refused: {0}")]
    IdToken(String),
    /// The provider answered without an ID token.
    #[error("no ID token in the token response")]
    NoIdToken,
}

struct Discovered {
    client: Client,
    end_session: Option<Url>,
    jwks: CoreJsonWebKeySet,
    iss_parameter_supported: bool,
}

/// One configured provider.
pub struct Provider {
    /// Its configuration.
    pub config: ProviderConfig,
    redirect_uri: RedirectUrl,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
    last_attempt: Mutex<Option<Instant>>,
}

/// An authorization request ready to send the browser to.
pub struct Authorization {
    /// The provider's authorization URL with all parameters.
    pub url: Url,
    /// The `state` sent (stored hashed).
    pub state: Secret,
    /// The nonce sent.
    pub nonce: String,
    /// The PKCE verifier (stored sealed).
    pub pkce_verifier: Secret,
}

/// What a verified ID token says.
#[derive(Debug, Clone)]
pub struct VerifiedLogin {
    /// Issuer.
    pub issuer: String,
    /// Subject.
    pub subject: String,
    /// Display name (`name`, or given + family, or the subject).
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// `given_name`, if sent.
    pub given_name: Option<String>,
    /// `family_name`, if sent.
    pub family_name: Option<String>,
    /// `acr`.
    pub acr: Option<String>,
    /// `amr`.
    pub amr: Vec<String>,
    /// The provider's session id (`sid`).
    pub sid: Option<String>,
    /// The national register number claim, raw (validated by the caller).
    pub national_number: Option<String>,
}

/// What a verified back-channel logout token names.
#[derive(Debug, Clone)]
pub struct LogoutToken {
    /// Issuer.
    pub issuer: String,
    /// Provider session id.
    pub sid: Option<String>,
    /// Subject.
    pub sub: Option<String>,
}

impl Provider {
    /// A provider; discovery happens on first use.
    pub fn new(config: ProviderConfig, redirect_uri: RedirectUrl, http: reqwest::Client) -> Self {
        Self {
            config,
            redirect_uri,
            http,
            discovered: RwLock::new(None),
            last_attempt: Mutex::new(None),
        }
    }

    async fn discovered(&self, refresh: bool) -> Result<Arc<Discovered>, LoginError> {
        if !refresh && let Some(d) = self.discovered.read().await.as_ref() {
            return Ok(d.clone());
        }
        let asked = Instant::now();
        let mut last = self.last_attempt.lock().await;
        if let Some(at) = *last {
            let recent = at.elapsed() < RETRY_DISCOVERY;
            if at >= asked || (recent && !refresh) {
                // Someone fetched while we waited, or just tried: use what they got, or
                // report the provider as down.
                return self.discovered.read().await.clone().ok_or_else(|| {
                    LoginError::Unavailable("discovery failed recently".to_owned())
                });
            }
            if recent {
                // A key we do not know (the provider rotated): fetch again, but never
                // more than once per RETRY_DISCOVERY, whoever asks (a forged token with a
                // random key id must not make us hammer the provider). Waiting holds the
                // lock, so the others waiting get this fetch's result.
                tokio::time::sleep(RETRY_DISCOVERY.saturating_sub(at.elapsed())).await;
            }
        }
        *last = Some(Instant::now());
        let issuer = IssuerUrl::new(self.config.issuer.as_str().trim_end_matches('/').to_owned())
            .map_err(|e| LoginError::Unavailable(e.to_string()))?;
        let metadata = Metadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| LoginError::Unavailable(error_chain(&e)))?;
        let end_session = metadata
            .additional_metadata()
            .end_session_endpoint
            .as_ref()
            .map(|u| u.url().clone());
        let jwks = metadata.jwks().clone();
        let iss_parameter_supported = metadata
            .additional_metadata()
            .additional_metadata
            .authorization_response_iss_parameter_supported
            .unwrap_or(false);
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().to_owned())),
        )
        .set_redirect_uri(self.redirect_uri.clone());
        let d = Arc::new(Discovered {
            client,
            end_session,
            jwks,
            iss_parameter_supported,
        });
        *self.discovered.write().await = Some(d.clone());
        tracing::info!(provider = %self.config.id, "provider discovered");
        Ok(d)
    }

    /// Build the authorization request, asking for the configured `acr_values`.
    pub async fn authorize(&self) -> Result<Authorization, LoginError> {
        self.authorize_with(&self.config.acr_values).await
    }

    /// Build the authorization request, asking for these `acr_values` (a subset of the
    /// configured ones: a step-up asks for the stronger ones only).
    pub async fn authorize_with(&self, acr_values: &[String]) -> Result<Authorization, LoginError> {
        let d = self.discovered(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = d
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.config.scopes {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        for acr in acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url,
            state: Secret::new(state.secret().clone()),
            nonce: nonce.secret().clone(),
            pkce_verifier: Secret::new(verifier.secret().clone()),
        })
    }

    /// Whether the provider must send `iss` on the callback (RFC 9207).
    pub async fn expects_iss(&self) -> bool {
        self.discovered(false)
            .await
            .map(|d| d.iss_parameter_supported)
            .unwrap_or(false)
    }

    /// The configured `acr_values` at or above `min` in `[session] acr_levels` (all of them
    /// without `min`); `None` when `min` is unknown or this provider reaches no such level.
    pub fn acr_values_at_least(&self, config: &Config, min: Option<&str>) -> Option<Vec<String>> {
        let Some(min) = min else {
            return Some(self.config.acr_values.clone());
        };
        let need = config.acr_rank(min)?;
        let values: Vec<String> = self
            .config
            .acr_values
            .iter()
            .filter(|a| config.acr_rank(a).is_some_and(|r| r >= need))
            .cloned()
            .collect();
        (!values.is_empty()).then_some(values)
    }

    /// The issuer as configured (what `iss` must equal).
    pub fn issuer(&self) -> &str {
        self.config.issuer.as_str().trim_end_matches('/')
    }

    /// The end-session endpoint, if the provider has one.
    pub async fn end_session_endpoint(&self) -> Option<Url> {
        self.discovered(false)
            .await
            .ok()
            .and_then(|d| d.end_session.clone())
    }

    /// Exchange the code and verify the ID token.
    pub async fn finish(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<VerifiedLogin, LoginError> {
        let d = self.discovered(false).await?;
        let response = d
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| LoginError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => {
                    LoginError::Exchange(r.error().to_string())
                }
                other => LoginError::Unavailable(error_chain(&other)),
            })?;
        let id_token = response.id_token().ok_or(LoginError::NoIdToken)?;
        let nonce = Nonce::new(nonce.to_owned());
        let verified = match self.check(&d, id_token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // The provider may have rotated its keys: fetch them again, once.
                let fresh = self.discovered(true).await?;
                self.check(&fresh, id_token, &nonce)
            }
            other => other,
        }
        .map_err(|e| LoginError::IdToken(error_chain(&e)))?;
        Ok(verified)
    }

    fn verifier<'a>(&self, d: &'a Discovered) -> CoreIdTokenVerifier<'a> {
        let algs: Vec<CoreJwsSigningAlgorithm> = self
            .config
            .signing_algs
            .iter()
            .filter_map(|a| serde_json::from_value(Value::String(a.clone())).ok())
            .collect();
        let acr_values = self.config.acr_values.clone();
        d.client
            .id_token_verifier()
            .set_allowed_algs(algs)
            .set_issue_time_verifier_fn(|iat| {
                let now = chrono::Utc::now();
                let skew = chrono::Duration::from_std(SKEW).unwrap_or_default();
                let age = chrono::Duration::from_std(MAX_ID_TOKEN_AGE).unwrap_or_default();
                if iat > now + skew {
                    Err("issued in the future".to_owned())
                } else if iat < now - age {
                    Err("issued too long ago".to_owned())
                } else {
                    Ok(())
                }
            })
            .set_auth_context_verifier_fn(move |acr| {
                if acr_values.is_empty() {
                    return Ok(());
                }
                match acr {
                    Some(a) if acr_values.iter().any(|v| v == a.as_str()) => Ok(()),
                    Some(_) => Err("acr not among the requested values".to_owned()),
                    None => Err("acr missing".to_owned()),
                }
            })
    }

    fn check(
        &self,
        d: &Discovered,
        id_token: &openidconnect::core::CoreIdToken,
        nonce: &Nonce,
    ) -> Result<VerifiedLogin, ClaimsVerificationError> {
        let verifier = self.verifier(d);
        let claims = id_token.claims(&verifier, nonce)?;
        if let Some(azp) = claims.authorized_party() {
            if azp.as_str() != self.config.client_id {
                return Err(ClaimsVerificationError::InvalidAudience(
                    "azp is not this client".to_owned(),
                ));
            }
        } else if claims.audiences().len() > 1 {
            return Err(ClaimsVerificationError::InvalidAudience(
                "several audiences without azp".to_owned(),
            ));
        }
        // The signature is verified: read the claims the library does not type.
        let raw = payload(&id_token.to_string()).unwrap_or(Value::Null);
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| {
                let given = claims.given_name().and_then(|n| n.get(None))?;
                let family = claims.family_name().and_then(|n| n.get(None))?;
                Some(format!("{} {}", given.as_str(), family.as_str()))
            })
            .unwrap_or_else(|| claims.subject().as_str().to_owned());
        let national_number = self
            .config
            .national_number_claim
            .as_ref()
            .and_then(|c| raw.get(c))
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        Ok(VerifiedLogin {
            issuer: claims.issuer().as_str().trim_end_matches('/').to_owned(),
            subject: claims.subject().as_str().to_owned(),
            name,
            email: claims.email().map(|e| e.as_str().to_owned()),
            given_name: claims
                .given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            family_name: claims
                .family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            acr: claims.auth_context_ref().map(|a| a.as_str().to_owned()),
            amr: claims
                .auth_method_refs()
                .map(|v| v.iter().map(|m| m.as_str().to_owned()).collect())
                .unwrap_or_default(),
            sid: raw.get("sid").and_then(Value::as_str).map(str::to_owned),
            national_number,
        })
    }

    /// Verify a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, 2.6).
    pub async fn verify_logout_token(&self, token: &str) -> Result<LogoutToken, LoginError> {
        let d = self.discovered(false).await?;
        match self.check_logout(&d.jwks, token) {
            Err(LoginError::IdToken(e)) if e == "unknown key" => {
                let fresh = self.discovered(true).await?;
                self.check_logout(&fresh.jwks, token)
            }
            other => other,
        }
    }

    fn check_logout(
        &self,
        jwks: &CoreJsonWebKeySet,
        token: &str,
    ) -> Result<LogoutToken, LoginError> {
        use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
        let refuse = |why: &str| LoginError::IdToken(why.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|_| refuse("malformed"))?;
        let allowed: Vec<Algorithm> = self
            .config
            .signing_algs
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        if !allowed.contains(&header.alg) {
            return Err(refuse("algorithm not allowed"));
        }
        let set: JwkSet = serde_json::to_value(jwks)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(|| refuse("provider keys unreadable"))?;
        let jwk = match &header.kid {
            Some(kid) => set.find(kid),
            None if set.keys.len() == 1 => set.keys.first(),
            None => None,
        }
        .ok_or_else(|| refuse("unknown key"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|_| refuse("provider key unusable"))?;
        // jsonwebtoken refuses a validation whose algorithms span key families: the
        // header's algorithm, already checked against the allowed list, is the only one.
        let mut validation = Validation::new(header.alg);
        validation.algorithms = vec![header.alg];
        validation.set_audience(&[&self.config.client_id]);
        validation.set_issuer(&[self.issuer(), &format!("{}/", self.issuer())]);
        validation.set_required_spec_claims(&["iss", "aud", "iat"]);
        validation.validate_exp = false;
        validation.leeway = SKEW.as_secs();
        let data = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|e| refuse(&format!("{:?}", e.kind())))?;
        let c = data.claims;
        let now = chrono::Utc::now().timestamp();
        let iat = c
            .get("iat")
            .and_then(Value::as_i64)
            .ok_or_else(|| refuse("iat missing"))?;
        let max_age = i64::try_from(MAX_ID_TOKEN_AGE.as_secs()).unwrap_or(600);
        if iat > now + 60 || iat < now - max_age {
            return Err(refuse("iat out of range"));
        }
        if let Some(exp) = c.get("exp").and_then(Value::as_i64)
            && exp + 60 < now
        {
            return Err(refuse("expired"));
        }
        if c.get("jti").and_then(Value::as_str).is_none() {
            return Err(refuse("jti missing"));
        }
        if c.get("nonce").is_some() {
            return Err(refuse("nonce present"));
        }
        let event = c
            .get("events")
            .and_then(|e| e.get("http://schemas.openid.net/event/backchannel-logout"));
        if !matches!(event, Some(Value::Object(_))) {
            return Err(refuse("not a logout event"));
        }
        let sid = c.get("sid").and_then(Value::as_str).map(str::to_owned);
        let sub = c.get("sub").and_then(Value::as_str).map(str::to_owned);
        if sid.is_none() && sub.is_none() {
            return Err(refuse("neither sid nor sub"));
        }
        Ok(LogoutToken {
            issuer: self.issuer().to_owned(),
            sid,
            sub,
        })
    }
}

/// The unverified `iss` of a JWT, to pick which provider must verify it.
pub fn unverified_issuer(token: &str) -> Option<String> {
    payload(token)?
        .get("iss")
        .and_then(Value::as_str)
        .map(|s| s.trim_end_matches('/').to_owned())
}

fn payload(token: &str) -> Option<Value> {
    let part = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The HTTP client for providers: no redirects (an SSRF door), bounded time.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}
