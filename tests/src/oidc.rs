//! An independent OpenID provider on loopback: the npm package `oidc-provider` 9.x run by
//! `tests/peers/oidc-provider.mjs`, with PKCE required, a custom `rrn` claim in the ID
//! token, back-channel logout, RP-initiated logout, and a scripted login without browser.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, bail};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tempfile::TempDir;
use url::Url;

use crate::peers_dir;
use crate::process::{PeerProcess, READY_TIMEOUT};

/// A client (relying party) registered at the provider.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OidcClient {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret` (authentication `client_secret_basic` unless said otherwise).
    pub client_secret: String,
    /// Allowed redirect URIs (exact match).
    pub redirect_uris: Vec<String>,
    /// Allowed `post_logout_redirect_uri`s for RP-initiated logout.
    pub post_logout_redirect_uris: Vec<String>,
    /// Where Back-Channel Logout tokens are POSTed (with `sid`), if anywhere.
    pub backchannel_logout_uri: Option<String>,
    /// `token_endpoint_auth_method`, default `client_secret_basic`.
    pub token_endpoint_auth_method: Option<String>,
    /// `id_token_signed_response_alg`: RS256 (default), ES256 or EdDSA.
    pub id_token_signed_response_alg: Option<String>,
}

impl OidcClient {
    /// The client metadata in the provider's format.
    fn metadata(&self) -> Value {
        let mut m = json!({
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
            "post_logout_redirect_uris": self.post_logout_redirect_uris,
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        });
        if let Some(uri) = &self.backchannel_logout_uri {
            m["backchannel_logout_uri"] = json!(uri);
            m["backchannel_logout_session_required"] = json!(true);
        }
        if let Some(method) = &self.token_endpoint_auth_method {
            m["token_endpoint_auth_method"] = json!(method);
        }
        if let Some(alg) = &self.id_token_signed_response_alg {
            m["id_token_signed_response_alg"] = json!(alg);
        }
        m
    }
}

/// A person who can log in at the provider.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OidcAccount {
    /// The `sub`.
    pub account_id: String,
    /// `name` (split into `given_name` / `family_name` at the first space).
    pub name: String,
    /// `email` (always `email_verified`).
    pub email: String,
    /// The national register number, claim `rrn`, in the ID token when set.
    pub rrn: Option<String>,
    /// The `acr` of a login (a login may override it).
    pub acr: Option<String>,
    /// The `amr` of a login.
    pub amr: Vec<String>,
}

/// How to start the provider.
#[derive(Debug, Clone, Default)]
pub struct OidcProviderConfig {
    /// Registered clients (more can be added later with [`OidcProvider::add_client`]).
    pub clients: Vec<OidcClient>,
    /// Accounts (more with [`OidcProvider::add_account`]).
    pub accounts: Vec<OidcAccount>,
    /// `acr_values_supported`.
    pub acr_values: Vec<String>,
    /// ID token lifetime in seconds (default 600).
    pub id_token_ttl_secs: Option<u64>,
    /// Host name in the issuer URL: `127.0.0.1` (default) or `localhost` (it always binds 127.0.0.1).
    pub host: Option<String>,
}

/// A session the provider holds: the account and, per client, the `sid` it was given.
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderSession {
    /// The account (`sub`).
    pub account_id: String,
    /// client_id -> sid.
    pub clients: std::collections::HashMap<String, String>,
}

/// One Back-Channel Logout call the provider made.
#[derive(Debug, Clone, Deserialize)]
pub struct BackchannelLogoutCall {
    /// The client it was sent to.
    pub client_id: String,
    /// The account logged out.
    pub account_id: String,
    /// The `sid` in the logout token.
    pub sid: Option<String>,
    /// Whether the client answered 200/204.
    pub ok: bool,
    /// Why not, when not.
    pub error: Option<String>,
}

/// The running provider. Killed on drop.
#[derive(Debug)]
pub struct OidcProvider {
    /// The issuer URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub issuer: String,
    /// The port (kept across [`OidcProvider::restart`]).
    pub port: u16,
    config: Mutex<OidcProviderConfig>,
    // Dropped (killed) before its folder goes.
    process: Option<PeerProcess>,
    dir: TempDir,
    http: reqwest::Client,
}

impl OidcProvider {
    /// Starts the provider on an ephemeral port and waits until it serves.
    pub async fn start(config: OidcProviderConfig) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("e2e-oidc-").tempdir()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut provider = Self {
            issuer: String::new(),
            port: 0,
            config: Mutex::new(config),
            process: None,
            dir,
            http,
        };
        provider.spawn(false).await?;
        Ok(provider)
    }

    fn config(&self) -> Result<OidcProviderConfig> {
        self.config
            .lock()
            .map(|c| c.clone())
            .map_err(|_| anyhow!("poisoned lock"))
    }

    async fn spawn(&mut self, rotate_keys: bool) -> Result<()> {
        let config = self.config()?;
        let host = config
            .host
            .clone()
            .unwrap_or_else(|| "127.0.0.1".to_owned());
        let file = json!({
            "host": host,
            "port": self.port,
            "keys_file": self.dir.path().join("keys.json"),
            "rotate_keys": rotate_keys,
            "clients": config.clients.iter().map(OidcClient::metadata).collect::<Vec<_>>(),
            "accounts": config.accounts,
            "acr_values": config.acr_values,
            "id_token_ttl_secs": config.id_token_ttl_secs,
        });
        let config_path: PathBuf = self.dir.path().join("config.json");
        std::fs::write(&config_path, serde_json::to_vec_pretty(&file)?)?;
        let mut command = Command::new(crate::node());
        command
            .arg(peers_dir().join("oidc-provider.mjs"))
            .arg(&config_path)
            .current_dir(peers_dir())
            .env("NODE_ENV", "test");
        let mut process =
            PeerProcess::spawn("oidc-provider", command, &self.dir.path().join("logs"))?;
        let line = process.wait_for_line("READY ", READY_TIMEOUT).await?;
        let mut parts = line.split_whitespace().skip(1);
        self.port = parts
            .next()
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("bad readiness line {line:?}"))?;
        self.issuer = parts
            .next()
            .with_context(|| format!("bad readiness line {line:?}"))?
            .to_owned();
        self.process = Some(process);
        Ok(())
    }

    /// The discovery document URL.
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer)
    }

    /// Stops the provider: connections are refused until [`OidcProvider::restart`].
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.kill();
        }
    }

    /// Starts it again on the same port with the same keys and clients (sessions,
    /// codes and grants are lost: its storage is in memory).
    pub async fn restart(&mut self) -> Result<()> {
        self.stop();
        self.spawn(false).await
    }

    /// Restarts with new signing keys that sign from now on; the old keys stay in the
    /// JWKS (a rotation as a provider does it).
    pub async fn rotate_keys(&mut self) -> Result<()> {
        self.stop();
        self.spawn(true).await
    }

    /// Whether the provider process is up.
    pub fn is_running(&mut self) -> bool {
        self.process.as_mut().is_some_and(PeerProcess::is_running)
    }

    async fn admin_post(&self, path: &str, body: &Value) -> Result<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.issuer))
            .json(body)
            .send()
            .await
            .with_context(|| format!("POST {path} to oidc-provider"))?;
        let status = response.status();
        let value: Value = response.json().await?;
        if !status.is_success() {
            bail!("oidc-provider {path} answered {status}: {value}");
        }
        Ok(value)
    }

    /// Registers (or replaces) a client while the provider runs; kept across restarts.
    pub async fn add_client(&self, client: OidcClient) -> Result<()> {
        self.admin_post("/admin/clients", &client.metadata())
            .await?;
        let mut config = self.config.lock().map_err(|_| anyhow!("poisoned lock"))?;
        config.clients.retain(|c| c.client_id != client.client_id);
        config.clients.push(client);
        Ok(())
    }

    /// Adds (or replaces) an account while the provider runs; kept across restarts.
    pub async fn add_account(&self, account: OidcAccount) -> Result<()> {
        self.admin_post("/admin/accounts", &serde_json::to_value(&account)?)
            .await?;
        let mut config = self.config.lock().map_err(|_| anyhow!("poisoned lock"))?;
        config
            .accounts
            .retain(|a| a.account_id != account.account_id);
        config.accounts.push(account);
        Ok(())
    }

    /// The provider's live sessions.
    pub async fn sessions(&self) -> Result<Vec<ProviderSession>> {
        let response = self
            .http
            .get(format!("{}/admin/sessions", self.issuer))
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    /// Ends every provider session of `account_id` and sends a Back-Channel Logout token
    /// (with the session's `sid`) to each client of those sessions that registered a
    /// `backchannel_logout_uri` (only to `client_id` when given, and then the session
    /// stays). Returns what each client answered.
    pub async fn backchannel_logout(
        &self,
        account_id: &str,
        client_id: Option<&str>,
    ) -> Result<Vec<BackchannelLogoutCall>> {
        let value = self
            .admin_post(
                "/admin/backchannel-logout",
                &json!({ "account_id": account_id, "client_id": client_id }),
            )
            .await?;
        Ok(serde_json::from_value(value["sent"].clone())?)
    }

    /// Every Back-Channel Logout call made so far (admin-triggered and RP-initiated).
    pub async fn backchannel_log(&self) -> Result<Vec<BackchannelLogoutCall>> {
        let response = self
            .http
            .get(format!("{}/admin/backchannel-log", self.issuer))
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    /// Scripted login without a browser. `client` must keep cookies and not follow
    /// redirects. Starting at `authorize_url` (the provider's, or any URL that redirects
    /// there, such as the gateway's login), follows redirects, posts `account_id` to the
    /// provider's interaction page, and returns the first redirect whose `Location`
    /// starts with `redirect_uri_prefix` (the RP callback with `code`, `state`, `iss`),
    /// without requesting it.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        authorize_url: &str,
        account_id: &str,
        redirect_uri_prefix: &str,
    ) -> Result<String> {
        self.login_with_acr(client, authorize_url, account_id, None, redirect_uri_prefix)
            .await
    }

    /// [`OidcProvider::login`] with the `acr` of this login set (instead of the account's).
    pub async fn login_with_acr(
        &self,
        client: &reqwest::Client,
        authorize_url: &str,
        account_id: &str,
        acr: Option<&str>,
        redirect_uri_prefix: &str,
    ) -> Result<String> {
        let mut form = vec![("account_id", account_id.to_owned())];
        if let Some(acr) = acr {
            form.push(("acr", acr.to_owned()));
        }
        let interaction_prefix = format!("{}/interaction/", self.issuer);
        let followed = self
            .follow(client, authorize_url, redirect_uri_prefix, |url, _body| {
                url.starts_with(&interaction_prefix)
                    .then(|| (url.to_owned(), form.clone()))
            })
            .await
            .with_context(|| format!("scripted login of {account_id} from {authorize_url}"))?;
        match followed {
            Followed::Redirect(url) => Ok(url),
            Followed::Page { url, body } => bail!(
                "scripted login of {account_id} stopped on {url} instead of reaching \
                 {redirect_uri_prefix}:\n{}",
                body.chars().take(2000).collect::<String>()
            ),
        }
    }

    /// Completes an RP-initiated logout: starting at `end_session_url` (the provider's
    /// end-session URL with `id_token_hint`, `post_logout_redirect_uri`, or a URL that
    /// redirects there), confirms the provider's "sign out?" form and returns the final
    /// redirect starting with `redirect_prefix` (the post-logout redirect URI), or the
    /// provider's own "signed out" page URL when none matches.
    pub async fn confirm_logout(
        &self,
        client: &reqwest::Client,
        end_session_url: &str,
        redirect_prefix: &str,
    ) -> Result<String> {
        let end_session = format!("{}/session/end", self.issuer);
        let confirm = format!("{}/session/end/confirm", self.issuer);
        let success = format!("{}/session/end/success", self.issuer);
        let followed = self
            .follow(client, end_session_url, redirect_prefix, |url, body| {
                if !url.starts_with(&end_session) || url.starts_with(&success) {
                    return None;
                }
                let xsrf = extract_input_value(body, "xsrf")?;
                Some((
                    confirm.clone(),
                    vec![("xsrf", xsrf), ("logout", "yes".to_owned())],
                ))
            })
            .await
            .context("confirming RP-initiated logout")?;
        match followed {
            Followed::Redirect(url) => Ok(url),
            Followed::Page { url, .. } if url.starts_with(&success) => Ok(url),
            Followed::Page { url, body } => bail!(
                "RP-initiated logout stopped on {url}:\n{}",
                body.chars().take(2000).collect::<String>()
            ),
        }
    }

    /// Follows redirects from `start` until a `Location` starts with `prefix`. On a 200
    /// page, `on_page(url, body)` may answer a form to POST (once per page URL).
    async fn follow(
        &self,
        client: &reqwest::Client,
        start: &str,
        prefix: &str,
        on_page: impl Fn(&str, &str) -> Option<(String, Vec<(&'static str, String)>)>,
    ) -> Result<Followed> {
        let mut url = Url::parse(start).with_context(|| format!("bad URL {start}"))?;
        let mut post: Option<(Url, Vec<(&'static str, String)>)> = None;
        let mut posted = std::collections::HashSet::new();
        for _ in 0..30 {
            let (current, response) = match post.take() {
                Some((target, form)) => {
                    let r = client.post(target.clone()).form(&form).send().await;
                    (target, r)
                }
                None => (url.clone(), client.get(url.clone()).send().await),
            };
            let response = response.with_context(|| format!("requesting {current}"))?;
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .with_context(|| format!("{status} without Location from {current}"))?;
                let next = current.join(location)?;
                if next.as_str().starts_with(prefix) {
                    return Ok(Followed::Redirect(next.to_string()));
                }
                url = next;
                continue;
            }
            let body = response.text().await.unwrap_or_default();
            if status == StatusCode::OK {
                if let Some((target, form)) = on_page(current.as_str(), &body) {
                    if !posted.insert(current.to_string()) {
                        bail!("the page {current} came back after its form was posted:\n{body}");
                    }
                    post = Some((Url::parse(&target)?, form));
                    url = current;
                    continue;
                }
                return Ok(Followed::Page {
                    url: current.to_string(),
                    body,
                });
            }
            bail!(
                "{status} from {current}: {}",
                body.chars().take(2000).collect::<String>()
            );
        }
        bail!("more than 30 redirects from {start}")
    }
}

/// Where [`OidcProvider::follow`] stopped.
enum Followed {
    /// A redirect to the awaited prefix (not requested).
    Redirect(String),
    /// A 200 page it had no form to post for.
    Page { url: String, body: String },
}

/// The `value` of the first `<input name="NAME" value="...">` in an HTML page.
fn extract_input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = html.find(&marker)?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.find("value=\"")? + "value=\"".len();
    let end = tag[v..].find('"')?;
    Some(tag[v..v + end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::extract_input_value;

    #[test]
    fn extracts_hidden_input_values() {
        let html = r#"<form id="op.logoutForm" method="post" action="/x"><input type="hidden" name="xsrf" value="abc123"/></form>"#;
        assert_eq!(extract_input_value(html, "xsrf").as_deref(), Some("abc123"));
        assert_eq!(extract_input_value(html, "other"), None);
    }
}
