//! The main flows with the keyboard alone, in Chromium on the demo in-process: no click,
//! only Tab, Enter, Space and typed text, the way a person who cannot use a mouse works.
//! Every element reached must show where the focus is (WCAG 2.4.7), and each target must
//! be reachable by Tab from the top of the page (no trap, nothing left out of the order).
//!
//! Luc, legal representative of ALE Schaerbeek: skips to the content, opens his
//! organisation, its managers, designates a main manager by national number; turns on
//! larger text in his account; switches the portal to Dutch; logs out.

use anyhow::{Context, Result, bail};
use e2e::WebDriver;
use e2e::webdriver::keys::{ENTER, SPACE, TAB};
use serde_json::{Value, json};

mod portal;
use portal::{Portal, WAIT, login};

const TOM_NRN: &str = "01030313144";

/// At most this many Tab presses to reach any element of a page.
const MAX_TABS: usize = 120;

/// What has the focus: a short description, and whether a focus indicator is drawn.
async fn focused(b: &WebDriver) -> Result<(String, bool)> {
    let v = b
        .execute(
            "const e = document.activeElement; if (!e || e === document.body) { return ['body', false]; } \
             const s = getComputedStyle(e); \
             const drawn = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; \
             const r = e.getBoundingClientRect(); \
             const seen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0; \
             const name = (e.id ? '#' + e.id : '') + ' ' + e.tagName.toLowerCase() + ' ' + \
               (e.getAttribute('href') || e.getAttribute('name') || '') + ' ' + (e.textContent || '').trim().slice(0, 40); \
             return [name, drawn && seen];",
            vec![],
        )
        .await?;
    let name = v[0].as_str().unwrap_or_default().to_owned();
    Ok((name, v[1] == json!(true)))
}

/// Whether the focused element matches `css`.
async fn focus_is(b: &WebDriver, css: &str) -> Result<bool> {
    let v = b
        .execute(
            "const e = document.activeElement; return !!(e && e.matches(arguments[0]));",
            vec![json!(css)],
        )
        .await?;
    Ok(v == json!(true))
}

/// Press Tab until the element matching `css` has the focus, checking that every element
/// passed on the way shows its focus.
async fn tab_to(b: &WebDriver, css: &str) -> Result<()> {
    let mut path = Vec::new();
    for _ in 0..MAX_TABS {
        b.press(TAB).await?;
        let (name, drawn) = focused(b).await?;
        if name != "body" && !drawn {
            bail!("the focus on {name} is not visible (path: {path:?})");
        }
        if focus_is(b, css).await? {
            return Ok(());
        }
        path.push(name);
    }
    bail!("{css} never got the focus after {MAX_TABS} Tabs: {path:?}")
}

/// Press `key` on the focused element and wait for the next document.
async fn press_and_wait(b: &WebDriver, key: &str) -> Result<()> {
    b.execute("window.__before_key = true; return true;", vec![])
        .await?;
    b.press(key).await?;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let gone = b
            .execute(
                "return document.readyState === 'complete' && window.__before_key !== true;",
                vec![],
            )
            .await
            .unwrap_or(Value::Bool(false));
        if gone == json!(true) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("no new page after pressing a key");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn body_text(b: &WebDriver) -> Result<String> {
    let v = b.execute("return document.body.innerText;", vec![]).await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_flows_work_with_the_keyboard_alone() -> Result<()> {
    let portal = Portal::start().await?;
    let base = portal.url.clone();
    let luc = WebDriver::start().await?;
    login(&luc, &portal, "citizen-12", "luc@example.be").await?;

    // The first Tab of a page reaches the skip link, which shows and moves the focus to
    // the content.
    luc.goto(&format!("{base}/admin/")).await?;
    luc.press(TAB).await?;
    assert!(
        focus_is(&luc, "a.skip-link").await?,
        "the first Tab reaches the skip link, not {:?}",
        focused(&luc).await?
    );
    assert!(focused(&luc).await?.1, "the skip link shows when focused");
    luc.press(ENTER).await?;
    let in_main = luc
        .execute(
            "const m = document.getElementById('main'); return m.contains(document.activeElement) || document.activeElement === m;",
            vec![],
        )
        .await?;
    assert_eq!(
        in_main,
        json!(true),
        "Enter on the skip link moves the focus to the content"
    );

    // The organisation, then its managers, by links.
    tab_to(&luc, "main a[href^=\"/admin/structures/\"]").await?;
    let (target, _) = focused(&luc).await?;
    press_and_wait(&luc, ENTER).await?;
    let url = luc.current_url().await?;
    assert!(url.contains("/admin/structures/"), "{target} opened {url}");
    tab_to(&luc, "nav.console-nav a[href$=\"/managers\"]").await?;
    press_and_wait(&luc, ENTER).await?;
    assert!(luc.current_url().await?.ends_with("/managers"));

    // Designate Tom: type the number, Tab to the button, Enter.
    tab_to(&luc, "#main-nrn").await?;
    luc.press(TOM_NRN).await?;
    tab_to(&luc, "form[action$=\"/managers/main\"] button[type=submit]").await?;
    press_and_wait(&luc, ENTER).await?;
    let page = body_text(&luc).await?;
    assert!(
        page.contains("***.44"),
        "the designation made by keyboard is listed, masked: {page}"
    );

    // Larger text in the account, with Space on the checkbox and Enter on the button.
    luc.goto(&format!("{base}/account/preferences")).await?;
    tab_to(&luc, "#pref-large").await?;
    let was = luc
        .execute(
            "return document.getElementById('pref-large').checked;",
            vec![],
        )
        .await?;
    luc.press(SPACE).await?;
    tab_to(
        &luc,
        "form[action=\"/account/preferences/display\"] button[type=submit]",
    )
    .await?;
    press_and_wait(&luc, ENTER).await?;
    let class = luc
        .execute("return document.documentElement.className;", vec![])
        .await?;
    let large = class
        .as_str()
        .unwrap_or_default()
        .contains("pref-large-text");
    assert_eq!(
        Some(large),
        was.as_bool().map(|w| !w),
        "the shell applies the preference changed by keyboard: class {class}"
    );

    // The language switch of the shell.
    tab_to(&luc, "form.shell-lang button[value=\"nl\"]").await?;
    press_and_wait(&luc, ENTER).await?;
    let lang = luc
        .execute("return document.documentElement.lang;", vec![])
        .await?;
    assert_eq!(lang, json!("nl"), "the page is in Dutch after Enter");

    // Log out.
    tab_to(&luc, "form.shell-logout button[type=submit]").await?;
    press_and_wait(&luc, ENTER).await?;
    luc.goto(&format!("{base}/admin/")).await?;
    let url = luc.current_url().await.context("after logout")?;
    assert!(
        !url.starts_with(&format!("{base}/admin/")),
        "logged out: /admin/ sends to the login, at {url}"
    );
    luc.quit().await?;
    portal.stop().await
}
