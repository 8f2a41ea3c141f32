//! A real browser: Debian's `chromedriver` driving headless `chromium`, spoken to with
//! plain W3C WebDriver HTTP calls (reqwest), including the WebAuthn virtual
//! authenticator. WebAuthn needs `http://localhost:PORT` pages, never `127.0.0.1`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::process::{PeerProcess, READY_TIMEOUT, free_port};

/// The W3C key of an element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver with one headless Chromium session. Both die on drop.
#[derive(Debug)]
pub struct WebDriver {
    /// `http://127.0.0.1:PORT` of chromedriver.
    pub driver_url: String,
    /// The WebDriver session id.
    pub session_id: String,
    http: reqwest::Client,
    process: PeerProcess,
    dir: TempDir,
}

/// A reference to an element of the current page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

/// Options of a WebAuthn virtual authenticator (WebDriver extension).
#[derive(Debug, Clone)]
pub struct VirtualAuthenticator {
    /// `ctap2` or `ctap1/u2f`.
    pub protocol: String,
    /// `internal` (platform), `usb`, `nfc` or `ble`.
    pub transport: String,
    /// Whether it stores discoverable (resident) credentials.
    pub has_resident_key: bool,
    /// Whether it can verify the user.
    pub has_user_verification: bool,
    /// Whether user verification succeeds.
    pub is_user_verified: bool,
}

impl Default for VirtualAuthenticator {
    /// CTAP2, internal, resident keys, user verification that succeeds.
    fn default() -> Self {
        Self {
            protocol: "ctap2".to_owned(),
            transport: "internal".to_owned(),
            has_resident_key: true,
            has_user_verification: true,
            is_user_verified: true,
        }
    }
}

/// Chromium's binary: Debian's real one, else its wrapper script.
fn chromium_binary() -> PathBuf {
    ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("chromium"))
}

impl WebDriver {
    /// Starts chromedriver on an ephemeral port and opens a headless Chromium session
    /// with a fresh profile.
    pub async fn start() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("e2e-chromium-").tempdir()?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()?;
        let mut last = None;
        for _ in 0..3 {
            let port = free_port()?;
            let mut command = Command::new("chromedriver");
            command.arg(format!("--port={port}"));
            let mut process =
                PeerProcess::spawn("chromedriver", command, &dir.path().join("logs"))?;
            let driver_url = format!("http://127.0.0.1:{port}");
            match wait_ready(&http, &driver_url, &mut process).await {
                Ok(()) => {
                    let session_id = new_session(&http, &driver_url, dir.path())
                        .await
                        .map_err(|e| anyhow!("{e:#}\n{}", process.output_tail()))?;
                    return Ok(Self {
                        driver_url,
                        session_id,
                        http,
                        process,
                        dir,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| anyhow!("chromedriver did not start")))
    }

    /// The folder of this browser's profile and logs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver_url, self.session_id)
    }

    /// A raw WebDriver command on this session: `method` on `/session/{id}{path}`,
    /// returning the `value` of the answer, or an error with WebDriver's error and message.
    pub async fn command(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut request = self.http.request(method.clone(), self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("WebDriver {method} {path}"))?;
        answer(response, &format!("{method} {path}")).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.command(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Result<Value> {
        self.command(reqwest::Method::GET, path, None).await
    }

    /// Navigates to `url` and waits for the page load.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.post("/url", json!({ "url": url })).await.map(drop)
    }

    /// The URL of the current page.
    pub async fn current_url(&self) -> Result<String> {
        string(self.get("/url").await?)
    }

    /// The current page's title.
    pub async fn title(&self) -> Result<String> {
        string(self.get("/title").await?)
    }

    /// The current page's HTML.
    pub async fn page_source(&self) -> Result<String> {
        string(self.get("/source").await?)
    }

    /// The first element matching a CSS selector (error when none).
    pub async fn find(&self, css: &str) -> Result<Element> {
        let value = self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await
            .with_context(|| format!("finding {css:?}"))?;
        element(&value)
    }

    /// Every element matching a CSS selector.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let value = self
            .post(
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await?;
        value
            .as_array()
            .context("elements: not an array")?
            .iter()
            .map(element)
            .collect()
    }

    /// Waits (up to `timeout`) for an element matching `css`.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.find_all(css).await?.into_iter().next() {
                return Ok(e);
            }
            if Instant::now() > deadline {
                bail!(
                    "no element {css:?} within {timeout:?} on {}",
                    self.current_url().await.unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to `timeout`) until the current URL satisfies `predicate`; returns it.
    pub async fn wait_for_url(
        &self,
        predicate: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let url = self.current_url().await?;
            if predicate(&url) {
                return Ok(url);
            }
            if Instant::now() > deadline {
                // What the page says is what tells why the browser did not go on.
                let text: String = self
                    .execute(
                        "return document.body ? document.body.innerText : ''",
                        vec![],
                    )
                    .await
                    .map(|v| v.as_str().unwrap_or_default().chars().take(800).collect())
                    .unwrap_or_default();
                bail!("the URL is still {url} after {timeout:?}; the page says: {text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await
            .map(drop)
    }

    /// Types `text` into an element.
    pub async fn send_keys(&self, element: &Element, text: &str) -> Result<()> {
        self.post(
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        )
        .await
        .map(drop)
    }

    /// Finds the element matching `css`, empties it and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let element = self.find(css).await?;
        self.clear(&element).await?;
        self.send_keys(&element, text).await
    }

    /// Finds the element matching `css` and clicks it.
    pub async fn click_css(&self, css: &str) -> Result<()> {
        let element = self.find(css).await?;
        self.click(&element).await
    }

    /// Empties an input.
    pub async fn clear(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .await
            .map(drop)
    }

    /// The rendered text of an element.
    pub async fn text(&self, element: &Element) -> Result<String> {
        string(self.get(&format!("/element/{}/text", element.0)).await?)
    }

    /// An attribute of an element (`None` when absent).
    pub async fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>> {
        let value = self
            .get(&format!("/element/{}/attribute/{name}", element.0))
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// Presses `keys` one after another on whatever has the focus, as a person at the
    /// keyboard would (W3C "Perform Actions"; see [`keys`] for Tab, Enter and the arrows).
    pub async fn press(&self, keys: &str) -> Result<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                let k = k.to_string();
                [
                    json!({ "type": "keyDown", "value": k }),
                    json!({ "type": "keyUp", "value": k }),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await?;
        self.command(reqwest::Method::DELETE, "/actions", None)
            .await
            .map(drop)
    }

    /// Runs synchronous JavaScript (`return ...;`) with `args` and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Runs asynchronous JavaScript: the last argument is the callback to call with the
    /// result (how a test awaits `navigator.credentials.create()`).
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// The browser's cookies for the current page.
    pub async fn cookies(&self) -> Result<Vec<Value>> {
        let value = self.get("/cookie").await?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let value = self.get("/screenshot").await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().context("screenshot: not a string")?)?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Adds a WebAuthn virtual authenticator; returns its id.
    pub async fn add_virtual_authenticator(
        &self,
        options: &VirtualAuthenticator,
    ) -> Result<String> {
        let value = self
            .post(
                "/webauthn/authenticator",
                json!({
                    "protocol": options.protocol,
                    "transport": options.transport,
                    "hasResidentKey": options.has_resident_key,
                    "hasUserVerification": options.has_user_verification,
                    "isUserVerified": options.is_user_verified,
                }),
            )
            .await?;
        string(value)
    }

    /// The credentials a virtual authenticator holds (WebDriver's JSON objects, with
    /// `credentialId`, `rpId`, `signCount`, `isResidentCredential`, ...).
    pub async fn credentials(&self, authenticator_id: &str) -> Result<Vec<Value>> {
        let value = self
            .get(&format!(
                "/webauthn/authenticator/{authenticator_id}/credentials"
            ))
            .await?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }

    /// Sets whether the virtual authenticator's user verification succeeds.
    pub async fn set_user_verified(&self, authenticator_id: &str, verified: bool) -> Result<()> {
        self.post(
            &format!("/webauthn/authenticator/{authenticator_id}/uv"),
            json!({ "isUserVerified": verified }),
        )
        .await
        .map(drop)
    }

    /// Removes a virtual authenticator.
    pub async fn remove_virtual_authenticator(&self, authenticator_id: &str) -> Result<()> {
        self.command(
            reqwest::Method::DELETE,
            &format!("/webauthn/authenticator/{authenticator_id}"),
            None,
        )
        .await
        .map(drop)
    }

    /// Ends the session (Chromium quits) and stops chromedriver.
    pub async fn quit(mut self) -> Result<()> {
        let result = self
            .command(reqwest::Method::DELETE, "", None)
            .await
            .map(drop);
        self.process.kill();
        result
    }
}

/// Polls chromedriver's `/status` until it is ready.
async fn wait_ready(
    http: &reqwest::Client,
    driver_url: &str,
    process: &mut PeerProcess,
) -> Result<()> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Ok(response) = http.get(format!("{driver_url}/status")).send().await
            && let Ok(value) = response.json::<Value>().await
            && value["value"]["ready"].as_bool() == Some(true)
        {
            return Ok(());
        }
        process.check_alive_before(deadline, "answering /status")?;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens a headless Chromium session with a fresh profile under `dir`.
async fn new_session(http: &reqwest::Client, driver_url: &str, dir: &Path) -> Result<String> {
    let profile = dir.join("profile");
    std::fs::create_dir_all(&profile)?;
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--window-size=1280,900".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let body = json!({
        "capabilities": {
            "alwaysMatch": {
                "browserName": "chrome",
                "webauthn:virtualAuthenticators": true,
                "timeouts": { "script": 30000, "pageLoad": 60000, "implicit": 0 },
                "goog:chromeOptions": {
                    "binary": chromium_binary(),
                    "args": args,
                },
            }
        }
    });
    let response = http
        .post(format!("{driver_url}/session"))
        .json(&body)
        .send()
        .await
        .context("creating a WebDriver session")?;
    let value = answer(response, "new session").await?;
    string(value["sessionId"].clone())
}

/// The `value` of a WebDriver answer, or its error.
async fn answer(response: reqwest::Response, what: &str) -> Result<Value> {
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .with_context(|| format!("WebDriver {what}: answer is not JSON ({status})"))?;
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    if !status.is_success() {
        bail!(
            "WebDriver {what} failed ({status}): {} {}",
            value["error"].as_str().unwrap_or("?"),
            value["message"].as_str().unwrap_or("")
        );
    }
    Ok(value)
}

fn string(value: Value) -> Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("expected a string, got {value}"))
}

fn element(value: &Value) -> Result<Element> {
    value[ELEMENT_KEY]
        .as_str()
        .map(|id| Element(id.to_owned()))
        .with_context(|| format!("not an element reference: {value}"))
}

/// WebDriver's codes of the keys that are not characters, for [`WebDriver::press`].
pub mod keys {
    /// Tab.
    pub const TAB: &str = "\u{E004}";
    /// Enter.
    pub const ENTER: &str = "\u{E007}";
    /// Space.
    pub const SPACE: &str = " ";
    /// Arrow down.
    pub const DOWN: &str = "\u{E015}";
}
