//! The whole product against independent peers: the npm `oidc-provider` as the eID
//! provider, Python `aiosmtpd` receiving the gateway's mail, and the real prestations and
//! vouchers backends verifying the gateway's assertions with its JWKS.
//!
//! A person logs in at the provider, confirms the new device with the code mailed to
//! them, picks the structure they were granted rights in, and reaches a backend that
//! verified who they are; the provider's back-channel logout ends the session at once; a
//! provider key rotation does not break the next login; an authorization code cannot be
//! used twice; a person without rights is refused. On PostgreSQL, with two gateway
//! nodes: a session opened on one is used on the other, and its logout on one is refused
//! on the other at once.

mod real_peers;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use e2e::http::{browser, browser_with_jar, client, jar_cookies, set_cookie};
use real_peers::{Device, Store, get_json, login, pick_first_structure, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_provider_to_real_backend_then_backchannel_logout() -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let mut w = world(Store::Sqlite, "").await?;
    let chloe = browser();

    let started = Instant::now();
    let callback = login(&w, &chloe, "chloe", "/prestations/whoami", Device::New)
        .await?
        .callback;
    // Measured, not asserted (the machine is shared): printed for the write-up.
    eprintln!(
        "full login at oidc-provider with an emailed code over SMTP: {} ms",
        started.elapsed().as_millis()
    );
    pick_first_structure(&w, &chloe).await?;
    let (status, who) = get_json(&chloe, &format!("{}/prestations/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");
    let text = who.to_string();
    assert!(text.contains("Chlo"), "{text}");
    assert!(text.contains("0123.456.749"), "{text}");
    assert!(text.contains("modify"), "{text}");
    assert!(text.contains("eidas-substantial"), "{text}");
    assert!(
        !text.contains("78010124512"),
        "national number reached a backend"
    );
    // The prestations backend's own API, through the gateway, with Chloé's rights.
    let (status, legend) = get_json(&chloe, &format!("{}/prestations/api/legend", w.url)).await?;
    assert_eq!(status, 200, "{legend}");
    assert!(legend.to_string().contains("to_validate"), "{legend}");
    let (status, list) =
        get_json(&chloe, &format!("{}/prestations/api/prestations", w.url)).await?;
    assert_eq!(status, 200, "{list}");

    // The authorization code cannot be used a second time, even by the same browser.
    let replay = chloe
        .get(&callback)
        .header("accept", "text/html")
        .send()
        .await?;
    assert_eq!(replay.status(), 400, "a replayed callback");
    assert!(
        set_cookie(&replay, "gw_session").is_none(),
        "a replayed callback set a session cookie"
    );
    let page = replay.text().await?;
    assert!(page.contains("already used"), "{page}");

    // The provider ends Chloé's session: the gateway's session ends with it.
    let calls = w.provider.backchannel_logout("chloe", None).await?;
    assert!(!calls.is_empty(), "the provider sent no logout token");
    assert!(calls.iter().all(|c| c.ok), "{calls:?}");
    let (status, _) = get_json(&chloe, &format!("{}/prestations/whoami", w.url)).await?;
    assert_eq!(status, 401);

    // The provider rotates its signing keys: the next login still verifies. Chloé's
    // browser confirmed a code before: it goes straight on, without a code.
    w.provider.rotate_keys().await?;
    login(&w, &chloe, "chloe", "/vouchers/whoami", Device::Trusted).await?;
    pick_first_structure(&w, &chloe).await?;
    let (status, who) = get_json(&chloe, &format!("{}/vouchers/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");
    // Another browser of hers is a new device: the code again.
    let again = browser();
    login(&w, &again, "chloe", "/vouchers/whoami", Device::New).await?;
    pick_first_structure(&w, &again).await?;
    let (status, who) = get_json(&again, &format!("{}/vouchers/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");

    // David holds no right anywhere: he acts as himself. Both routes accept private
    // persons: the backends see him acting as himself, with no organisation and no
    // right; the vouchers backend refuses him the agency's pages, and the prestations
    // backend refuses to let him encode as a worker.
    let david = browser();
    login(&w, &david, "david", "/vouchers/whoami", Device::New).await?;
    let (status, who) = get_json(&david, &format!("{}/vouchers/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");
    assert_eq!(who["acting"], "self", "{who}");
    let (status, users) = get_json(&david, &format!("{}/vouchers/api/users", w.url)).await?;
    assert_eq!(status, 403, "{users}");
    let (status, who) = get_json(&david, &format!("{}/prestations/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");
    assert_eq!(who["acting"], "self", "{who}");
    assert!(
        who["structure"].is_null() && who["rights"] == serde_json::json!([]),
        "{who}"
    );
    let refused = david
        .post(format!("{}/prestations/api/prestations", w.url))
        .header("accept", "application/json")
        .json(&serde_json::json!({ "date": "2026-11-02", "hours": 4 }))
        .send()
        .await?;
    assert!(
        refused.status().is_client_error(),
        "a private person cannot encode a prestation: {}",
        refused.status()
    );

    w.gateway.shutdown().await?;
    Ok(())
}

/// Two gateway nodes on one PostgreSQL database, behind one public URL: Chloé logs in
/// on node A (the real provider, the emailed code), picks her structure there, and node
/// B serves her with that session, its assertion verified by the backend; her logout on
/// A is refused on B at once, with no wait for any cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgres_share_the_session_and_its_logout() -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let pg = e2e::Postgres::ensure().await?;
    let w = world(Store::Postgres(pg.fresh_database().await?), "").await?;
    let (node_b, b_url) = w.another_node().await?;
    let (chloe, jar) = browser_with_jar();
    login(&w, &chloe, "chloe", "/prestations/whoami", Device::New).await?;
    pick_first_structure(&w, &chloe).await?;
    let session = jar_cookies(&jar, &w.url)
        .into_iter()
        .find(|(name, _)| name == "gw_session")
        .context("a session cookie after the login")?
        .1;
    let cookie = format!("gw_session={session}");
    let on = |base: &str| {
        let (c, url, cookie) = (
            client(),
            format!("{base}/prestations/whoami"),
            cookie.clone(),
        );
        async move {
            let r = c
                .get(url)
                .header("cookie", cookie)
                .header("accept", "application/json")
                .send()
                .await?;
            let status = r.status().as_u16();
            anyhow::Ok((status, r.text().await?))
        }
    };
    let (status, who) = on(&b_url).await?;
    assert_eq!(status, 200, "the session made on A, used on B: {who}");
    assert!(
        who.contains("Chlo") && who.contains("0123.456.749"),
        "{who}"
    );
    let (status, _) = on(&w.url).await?;
    assert_eq!(status, 200);

    let (_, me) = get_json(&chloe, &format!("{}/auth/session", w.url)).await?;
    let csrf = me["csrf"].as_str().context("csrf in the session status")?;
    let out = chloe
        .post(format!("{}/auth/logout", w.url))
        .header("accept", "application/json")
        .form(&[("csrf", csrf)])
        .send()
        .await?;
    assert!(
        out.status().is_success() || out.status().is_redirection(),
        "logout answered {}",
        out.status()
    );
    let (status, _) = on(&w.url).await?;
    assert_eq!(status, 401, "refused at once on the node that logged out");
    // B serves sessions from memory, kept true by the database's notifications: it
    // refuses as soon as the logout's notification arrives (milliseconds), never later
    // than this bound, and never answers anything but the session or its refusal.
    let start = Instant::now();
    loop {
        let (status, body) = on(&b_url).await?;
        if status == 401 {
            break;
        }
        assert_eq!(status, 200, "a live session or a refusal: {body}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a logout on A still served on B after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }

    node_b.shutdown().await?;
    w.gateway.shutdown().await?;
    Ok(())
}
