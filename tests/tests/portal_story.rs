//! The delegated-administration story, walked in Chromium through the console's HTML
//! forms (no JSON call), on the demo in-process:
//!
//! Luc, legal representative of ALE Schaerbeek, designates Tom main access manager by
//! national register number -> Tom logs in, creates a service and grants David
//! "prestations / consultation" on it until a date -> David, acting for the agency,
//! reaches the prestations page -> Tom revokes it -> David gets the 403 page, which
//! names what is missing and who can grant it, and requests access -> Tom sees the
//! request and grants it from the console -> David is allowed again.
//!
//! Then: Inès asks to be attached to the agency with a comment, Tom approves, she sees
//! it in "My organisations" and detaches herself; Quentin, the only main manager of Van
//! den Berg Schoonmaak, cannot deactivate his account until he names a successor.

use anyhow::{Context, Result, bail};
use e2e::WebDriver;
use serde_json::{Value, json};

mod portal;
use portal::{Portal, WAIT, login};

const AGENCY: &str = "0203.456.708";
const TOM_NRN: &str = "01030313144";
const DAVID_NRN: &str = "02030405613";

async fn body_text(b: &WebDriver) -> Result<String> {
    let v = b.execute("return document.body.innerText;", vec![]).await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Click `css` and wait until the browser shows the next document (a form's answer).
async fn click_and_wait(b: &WebDriver, css: &str) -> Result<()> {
    b.execute("window.__before_click = true; return true;", vec![])
        .await?;
    b.click_css(css)
        .await
        .with_context(|| format!("clicking {css}"))?;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let gone = b
            .execute(
                "return document.readyState === 'complete' && window.__before_click !== true;",
                vec![],
            )
            .await
            .unwrap_or(Value::Bool(false));
        if gone == json!(true) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("no new page after clicking {css}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Submit the form whose `action` ends with `action` (its first submit button).
async fn submit(b: &WebDriver, action: &str) -> Result<()> {
    click_and_wait(
        b,
        &format!("form[action$=\"{action}\"] button[type=submit]"),
    )
    .await
}

/// Set a form field's value from the page (date inputs do not take typed text the same
/// way in every locale).
async fn set_value(b: &WebDriver, css: &str, value: &str) -> Result<()> {
    b.execute(
        "const e = document.querySelector(arguments[0]); if (!e) { return false; } \
         e.value = arguments[1]; return true;",
        vec![json!(css), json!(value)],
    )
    .await
    .and_then(|v| {
        if v == json!(true) {
            Ok(())
        } else {
            bail!("no field {css}")
        }
    })
}

/// The agency's console id, from the links of `/admin/`.
async fn structure_id(b: &WebDriver, portal: &Portal, name: &str) -> Result<String> {
    b.goto(&format!("{}/admin/", portal.url)).await?;
    let href = b
        .execute(
            "const a = Array.from(document.querySelectorAll('a[href^=\"/admin/structures/\"]')) \
             .find(a => a.textContent.includes(arguments[0])); return a ? a.getAttribute('href') : null;",
            vec![json!(name)],
        )
        .await?;
    let href = href
        .as_str()
        .with_context(|| format!("no console link to {name}"))?;
    Ok(href
        .trim_start_matches("/admin/structures/")
        .trim_end_matches('/')
        .to_owned())
}

/// Open `url`: its title and text, and whether it is the 403 page offering to request
/// access.
async fn status_of_page(b: &WebDriver, url: &str) -> Result<(String, String)> {
    b.goto(url).await?;
    let title = b.title().await?;
    let refused = !b
        .find_all("form[action=\"/admin/access-requests\"]")
        .await?
        .is_empty();
    let text = body_text(b).await?;
    Ok((
        title,
        if refused {
            format!("REFUSED {text}")
        } else {
            text
        },
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegated_administration_from_designation_to_a_granted_access_request() -> Result<()> {
    let portal = Portal::start().await?;
    let base = portal.url.clone();

    // Luc designates Tom.
    let luc = WebDriver::start().await?;
    login(&luc, &portal, "citizen-12", "luc@example.be").await?;
    let agency = structure_id(&luc, &portal, "ALE Schaerbeek").await?;
    luc.goto(&format!("{base}/admin/structures/{agency}/managers"))
        .await?;
    luc.fill("#main-nrn", TOM_NRN).await?;
    submit(&luc, "/managers/main").await?;
    let page = body_text(&luc).await?;
    assert!(
        page.contains("***.44"),
        "the pending designation is listed, masked: {page}"
    );
    assert!(!page.contains(TOM_NRN), "the full number is never shown");
    luc.quit().await?;

    // Tom logs in: a main manager; creates a service and grants David on it.
    let tom = WebDriver::start().await?;
    login(&tom, &portal, "citizen-20", "tom@example.be").await?;
    let agency_for_tom = structure_id(&tom, &portal, "ALE Schaerbeek").await?;
    assert_eq!(agency_for_tom, agency);
    tom.goto(&format!("{base}/admin/structures/{agency}"))
        .await?;
    tom.fill("#new-code", "IXL").await?;
    tom.fill("#new-label", "Ixelles").await?;
    submit(&tom, "/services").await?;
    assert!(
        body_text(&tom).await?.contains("Ixelles"),
        "service created"
    );
    tom.goto(&format!("{base}/admin/structures/{agency}/people"))
        .await?;
    tom.fill("#grant-nrn", DAVID_NRN).await?;
    let picked = tom
        .execute(
            "const s = document.getElementById('grant-right'); \
             const o = Array.from(s.options).find(o => o.text.includes('(prestations / read)')); \
             if (!o) { return false; } s.value = o.value; return true;",
            vec![],
        )
        .await?;
    assert_eq!(picked, json!(true), "prestations / read is offered");
    tom.click_css("#scope-services").await?;
    let ixl = tom
        .execute(
            "const l = Array.from(document.querySelectorAll('label')).find(l => l.textContent.includes('Ixelles')); \
             return l ? l.getAttribute('for') : null;",
            vec![],
        )
        .await?;
    let ixl = ixl.as_str().context("no Ixelles checkbox")?.to_owned();
    tom.click_css(&format!("#{ixl}")).await?;
    set_value(&tom, "#grant-until", "2030-06-30").await?;
    submit(&tom, "/people/grant").await?;
    let page = body_text(&tom).await?;
    assert!(page.contains("The habilitation was granted."), "{page}");

    // David acts for the agency and reaches the prestations pages.
    let david = WebDriver::start().await?;
    login(&david, &portal, "citizen-4", "david@example.be").await?;
    let (title, text) = status_of_page(&david, &format!("{base}/prestations/")).await?;
    assert!(
        !text.starts_with("REFUSED") && !title.contains("Forbidden"),
        "David reaches the prestations pages: {title} {text}"
    );

    // Tom revokes.
    tom.goto(&format!("{base}/admin/structures/{agency}/people"))
        .await?;
    let marked = tom
        .execute(
            "const b = Array.from(document.querySelectorAll('form[action*=\"/revoke\"] button')) \
             .find(b => b.textContent.includes('David Lambert')); \
             if (!b) { return false; } b.id = 'revoke-david'; return true;",
            vec![],
        )
        .await?;
    assert_eq!(marked, json!(true), "a revoke button for David's grant");
    click_and_wait(&tom, "#revoke-david").await?;

    // David: the 403 page names the right and who can grant it; he asks for access.
    david.goto(&format!("{base}/prestations/")).await?;
    david
        .wait_for("form[action=\"/admin/access-requests\"]", WAIT)
        .await
        .context("the 403 page offers to request access")?;
    let page = body_text(&david).await?;
    assert!(page.contains("Tom Willems"), "who can grant it: {page}");
    david
        .fill("#acc-comment", "I encode the Ixelles prestations")
        .await?;
    submit(&david, "/admin/access-requests").await?;

    // Tom grants it from the console, in one click.
    tom.goto(&format!("{base}/admin/structures/{agency}/requests"))
        .await?;
    let page = body_text(&tom).await?;
    assert!(
        page.contains("I encode the Ixelles prestations"),
        "the request and its comment: {page}"
    );
    click_and_wait(
        &tom,
        "form[action$=\"/grant\"][action^=\"/admin/access-requests/\"] button[type=submit]",
    )
    .await?;

    // David is allowed again.
    let (title, text) = status_of_page(&david, &format!("{base}/prestations/")).await?;
    assert!(
        !text.starts_with("REFUSED") && !title.contains("Forbidden"),
        "David is allowed again: {title} {text}"
    );
    david.quit().await?;

    // Inès asks to be attached, with a comment; Tom approves; she detaches herself.
    let ines = WebDriver::start().await?;
    login(&ines, &portal, "citizen-9", "ines@example.be").await?;
    ines.goto(&format!("{base}/admin/mine")).await?;
    ines.fill("#ask-number", AGENCY).await?;
    ines.fill("#ask-comment", "New volunteer at the agency")
        .await?;
    submit(&ines, "/admin/mine/attachment-requests").await?;
    tom.goto(&format!("{base}/admin/structures/{agency}/requests"))
        .await?;
    assert!(
        body_text(&tom)
            .await?
            .contains("New volunteer at the agency")
    );
    click_and_wait(&tom, "form[action$=\"/approve\"] button[type=submit]").await?;
    ines.goto(&format!("{base}/admin/mine")).await?;
    assert!(
        ines.find_all("form[action=\"/admin/mine/detach\"]")
            .await?
            .len()
            >= 2,
        "attached to the agency besides her company: {}",
        body_text(&ines).await?
    );
    let marked = ines
        .execute(
            "const f = Array.from(document.querySelectorAll('form[action=\"/admin/mine/detach\"]')) \
             .find(f => f.closest('tr').textContent.includes('ALE Schaerbeek')); \
             if (!f) { return false; } f.querySelector('button').id = 'detach-agency'; return true;",
            vec![],
        )
        .await?;
    assert_eq!(marked, json!(true), "a detach button for the agency");
    click_and_wait(&ines, "#detach-agency").await?;
    ines.goto(&format!("{base}/admin/mine")).await?;
    let rows: Value = ines
        .execute(
            "return Array.from(document.querySelectorAll('form[action=\"/admin/mine/detach\"]')) \
             .map(f => f.closest('tr').textContent);",
            vec![],
        )
        .await?;
    assert!(
        !rows.to_string().contains("ALE Schaerbeek"),
        "detached: {rows}"
    );
    ines.quit().await?;
    tom.quit().await?;

    // Quentin, the last main manager of his company, cannot deactivate his account.
    let quentin = WebDriver::start().await?;
    login(&quentin, &portal, "citizen-17", "quentin@example.be").await?;
    quentin.goto(&format!("{base}/account/deactivate")).await?;
    let page = body_text(&quentin).await?;
    assert!(
        page.contains("Van den Berg Schoonmaak"),
        "refused, naming the organisation: {page}"
    );
    assert!(
        quentin
            .find_all("form[action=\"/account/deactivate\"]")
            .await?
            .is_empty(),
        "no deactivation form while he is the last main manager"
    );
    quentin.goto(&format!("{base}/account/")).await?;
    assert!(
        quentin.current_url().await?.ends_with("/account/"),
        "still logged in"
    );
    quentin.quit().await?;
    portal.stop().await
}
