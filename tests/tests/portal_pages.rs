//! Every page a person meets, in a real browser. The demo (the gateway on SQLite, the
//! simulated eID provider, both backends, the seeded access model) runs in-process on
//! loopback; headless Chromium logs in as people in each role (legal representative,
//! main manager, local manager, employee, a person without rights) and visits every page
//! it can reach by following the links of the pages themselves, the console's, "My
//! account"'s and the backends' included. On each kind of page:
//!
//! - axe-core (the npm package, injected into the page) finds no violation of impact
//!   serious or critical against WCAG 2.1 A and AA;
//! - after the shell's language switch to French, then Dutch, the page carries that
//!   `lang` and shows no catalogue key in place of a text.
//!
//! With `PORTAL_SCREENSHOTS=<folder>`, the main pages are also saved there as PNG files
//! (the README's screenshots under `docs/screenshots/` are made this way).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use e2e::WebDriver;
use serde_json::{Value, json};

mod portal;
use portal::{Portal, WAIT, login};
/// Pages visited per person at most (the crawl stops there; a page kind is checked once).
const MAX_PAGES: usize = 40;

/// What kind of page a URL is: its path with every identifier-like segment replaced
/// (a page kind is checked once, whatever record it shows).
fn kind(url: &str) -> String {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    path.split('/')
        .map(|seg| {
            let digits = seg.chars().filter(char::is_ascii_digit).count();
            if seg.len() >= 8 && digits >= 2
                || seg.chars().all(|c| c.is_ascii_digit()) && !seg.is_empty()
            {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Links a crawl does not follow: actions, files and JSON, the provider.
fn skipped(url: &str, base: &str) -> bool {
    let Some(path) = url.strip_prefix(base) else {
        return true;
    };
    let path = path.split('#').next().unwrap_or("");
    path.is_empty()
        || [
            "/auth/login",
            "/auth/logout",
            "/auth/logged-out",
            "/auth/session",
            "/auth/factors/totp/qr.png",
            "/admin/api/",
            "/.well-known/",
            "/metrics",
            "/healthz",
            "/readyz",
        ]
        .iter()
        .any(|p| path.starts_with(p))
        || [
            ".csv", ".xlsx", ".json", ".png", ".jsonl", "export", "download",
        ]
        .iter()
        .any(|x| {
            path.split('?').next().unwrap_or("").contains(x)
                || path.contains(&format!("format={}", x.trim_start_matches('.')))
        })
}

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then(r => done(r.violations
      .filter(v => v.impact === "serious" || v.impact === "critical")
      .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }))))
  .catch(e => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));"#;

const LINKS: &str = r#"return Array.from(document.querySelectorAll("a[href]")).map(a => a.href);"#;

fn axe_source() -> Result<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: install the test peers (cd tests/peers && npm ci)",
            path.display()
        )
    })
}

/// Violations of impact serious or critical on the current page.
async fn axe(browser: &WebDriver, source: &str) -> Result<Vec<Value>> {
    let loaded = browser
        .execute("return typeof axe !== 'undefined';", vec![])
        .await?;
    if loaded != json!(true) {
        browser
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .context("injecting axe-core")?;
    }
    let found = browser.execute_async(AXE_RUN, vec![]).await?;
    Ok(found.as_array().cloned().unwrap_or_default())
}

/// The catalogue keys a page shows raw (a text missing in its language).
async fn raw_keys(browser: &WebDriver, keys: &BTreeSet<String>) -> Result<Vec<String>> {
    let text = browser
        .execute(
            "return document.body ? document.body.innerText : '';",
            vec![],
        )
        .await?;
    let text = text.as_str().unwrap_or("");
    Ok(text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.contains('_') && keys.contains(*w))
        .map(str::to_owned)
        .collect())
}

/// One person's crawl: every page kind reachable from the portal's entries; axe on the
/// kinds not checked yet. Returns the URL of each kind visited.
async fn crawl(
    browser: &WebDriver,
    portal: &Portal,
    who: &str,
    checked: &mut BTreeSet<String>,
    problems: &mut Vec<String>,
    screenshots: Option<&Path>,
) -> Result<BTreeMap<String, String>> {
    let source = axe_source()?;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: VecDeque<String> = ["/", "/account/", "/admin/", "/prestations/", "/vouchers/"]
        .iter()
        .map(|p| format!("{}{p}", portal.url))
        .collect();
    while let Some(url) = queue.pop_front() {
        if seen.len() >= MAX_PAGES {
            break;
        }
        let k = kind(&url);
        if seen.contains_key(&k) {
            continue;
        }
        browser.goto(&url).await?;
        let landed = browser.current_url().await?;
        if !landed.starts_with(&portal.url) {
            continue;
        }
        seen.insert(k.clone(), url.clone());
        let landed_kind = kind(&landed);
        seen.entry(landed_kind.clone())
            .or_insert_with(|| landed.clone());
        if checked.insert(landed_kind.clone()) {
            for v in axe(browser, &source).await? {
                problems.push(format!("{who} {landed}: {v}"));
            }
            if let Some(dir) = screenshots {
                let name = format!(
                    "{who}{}.png",
                    landed_kind
                        .replace(['/', '{', '}'], "-")
                        .trim_end_matches('-')
                );
                browser.screenshot(&dir.join(name)).await?;
            }
        }
        let links = browser.execute(LINKS, vec![]).await?;
        for link in links
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !skipped(link, &portal.url) && !seen.contains_key(&kind(link)) {
                queue.push_back(link.to_owned());
            }
        }
    }
    Ok(seen)
}

/// Switch the pages' language with the shell's switch on the current page.
async fn switch_language(browser: &WebDriver, lang: &str) -> Result<()> {
    browser
        .click_css(&format!(
            "form[action=\"/auth/language\"] button[value=\"{lang}\"]"
        ))
        .await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let now = browser
            .execute("return document.documentElement.lang;", vec![])
            .await?;
        if now == json!(lang) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the language switch to {lang} did not take: {now}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_accessible_and_translated() -> Result<()> {
    let portal = Portal::start().await?;
    let screenshots = std::env::var_os("PORTAL_SCREENSHOTS").map(PathBuf::from);
    if let Some(dir) = &screenshots {
        std::fs::create_dir_all(dir)?;
    }
    let keys = gateway::i18n::catalogue().all_keys();
    let mut checked = BTreeSet::new();
    let mut problems = Vec::new();
    let people = [
        ("alice", "citizen-1", "alice@example.be", true),
        ("bruno", "citizen-2", "bruno@example.be", true),
        ("emma", "citizen-5", "emma@example.be", false),
        ("chloe", "citizen-3", "chloe@example.be", true),
        ("david", "citizen-4", "david@example.be", false),
    ];
    let mut total = 0;
    for (who, citizen, email, languages) in people {
        let browser = WebDriver::start().await?;
        login(&browser, &portal, citizen, email)
            .await
            .with_context(|| format!("{who} logs in"))?;
        let pages = crawl(
            &browser,
            &portal,
            who,
            &mut checked,
            &mut problems,
            screenshots.as_deref(),
        )
        .await
        .with_context(|| format!("{who}'s pages"))?;
        total += pages.len();
        if languages {
            for lang in ["fr", "nl"] {
                browser.goto(&format!("{}/account/", portal.url)).await?;
                switch_language(&browser, lang).await?;
                for url in pages.values() {
                    browser.goto(url).await?;
                    let now = browser
                        .execute("return document.documentElement.lang;", vec![])
                        .await?;
                    if now != json!(lang) {
                        problems.push(format!("{who} {url}: lang {now} after switching to {lang}"));
                    }
                    let raw = raw_keys(&browser, &keys).await?;
                    if !raw.is_empty() {
                        problems.push(format!("{who} {url} in {lang}: untranslated {raw:?}"));
                    }
                }
            }
        }
        browser.quit().await?;
    }
    portal.stop().await?;
    assert!(
        checked.len() >= 8,
        "only {} kinds of page were reached ({checked:?}): the crawl is broken",
        checked.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s) over {total} pages ({} kinds checked):\n{}",
        problems.len(),
        checked.len(),
        problems.join("\n")
    );
    Ok(())
}
