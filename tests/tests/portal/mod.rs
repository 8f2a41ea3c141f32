//! The demo in-process for browser tests: the gateway on SQLite, the simulated eID
//! provider, both backends and the seeded access model on loopback, and a login through
//! the provider with the code the demo mails into its folder.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use e2e::WebDriver;

/// Generous bound for anything awaited (never a timing assertion).
pub const WAIT: Duration = Duration::from_secs(30);

/// The demo, in-process.
pub struct Portal {
    pub url: String,
    pub mail_dir: PathBuf,
    running: Option<gateway::Running>,
    demo: Option<demo::Demo>,
    _dir: tempfile::TempDir,
}

impl Portal {
    pub async fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = e2e::process::free_port()?;
        let listen: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut demo = demo::Demo::start(&dir.path().join("data"), listen).await?;
        let config = gateway::Config::from_toml(demo.gateway_config()).context("demo config")?;
        let state = gateway::AppState::build(config).await?;
        gateway::demo_data::seed(&state, &demo).await?;
        let listener = demo.take_listener().context("listener")?;
        let running = gateway::spawn(state, listener)?;
        Ok(Self {
            url: demo.url().trim_end_matches('/').to_owned(),
            mail_dir: demo.mail_dir(),
            running: Some(running),
            demo: Some(demo),
            _dir: dir,
        })
    }

    pub async fn stop(mut self) -> Result<()> {
        if let Some(r) = self.running.take() {
            r.shutdown().await?;
        }
        if let Some(d) = self.demo.take() {
            d.shutdown();
        }
        Ok(())
    }
}

/// The mails to `to` in the demo's mail folder, oldest first.
pub fn mails_to(dir: &Path, to: &str) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|m| m.contains(to))
        .collect()
}

/// Log in as `citizen` at the simulated provider, with the code mailed to `email` when
/// the browser is new; lands on the home page.
pub async fn login(browser: &WebDriver, portal: &Portal, citizen: &str, email: &str) -> Result<()> {
    let before = mails_to(&portal.mail_dir, email).len();
    browser.goto(&format!("{}/account/", portal.url)).await?;
    browser.wait_for("input[name=citizen]", WAIT).await?;
    browser
        .click_css(&format!("input[name=citizen][value=\"{citizen}\"]"))
        .await?;
    browser.click_css("button[type=submit]").await?;
    let landed = browser
        .wait_for_url(
            |u| u.starts_with(&portal.url) && !u.contains("/auth/callback"),
            WAIT,
        )
        .await?;
    if landed.contains("/auth/factor") {
        let deadline = Instant::now() + WAIT;
        let code = loop {
            let mails = mails_to(&portal.mail_dir, email);
            if mails.len() > before
                && let Some(code) = mails.last().and_then(|m| {
                    m.split(|c: char| !c.is_ascii_digit())
                        .find(|w| w.len() == 8)
                })
            {
                break code.to_owned();
            }
            if Instant::now() > deadline {
                bail!("no code mailed to {email}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        browser.fill("#code", &code).await?;
        browser
            .click_css("form[action=\"/auth/factor\"] button[type=submit]")
            .await?;
        browser
            .wait_for_url(|u| !u.contains("/auth/factor"), WAIT)
            .await?;
    }
    let url = browser.current_url().await?;
    if !url.starts_with(&portal.url) || url.contains("/auth/") {
        bail!("{citizen} did not log in: at {url}");
    }
    Ok(())
}
