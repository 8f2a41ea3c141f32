//! Behind a TLS terminator on the same host every TCP peer is loopback: only the
//! configured trusted proxies' `X-Forwarded-For`/`Forwarded` names the client, and
//! `/metrics` is opened by its token, never by a loopback peer address.

mod support;

use support::*;

const TOKEN: &str = "metrics-token-0123456789abcdef-0123";

fn behind_proxy() -> Options {
    Options {
        server_extra: format!(
            "trusted_proxies = [\"127.0.0.1/32\"]\nmetrics_token = \"{TOKEN}\"\n"
        ),
        ..Options::default()
    }
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_and_metrics_need_the_token() {
    let env = Env::start(behind_proxy()).await;
    let c = client();
    // The proxy appended the client it saw; the left entry is the client's own claim.
    let echo: serde_json::Value = c
        .get(format!("{}/public/x", env.url))
        .header("x-forwarded-for", "6.6.6.6, 203.0.113.7")
        .send()
        .await
        .expect("proxied")
        .json()
        .await
        .expect("echo");
    assert_eq!(echo["headers"]["x-forwarded-for"], "203.0.113.7");
    assert_eq!(
        echo["headers"]["forwarded"],
        format!("for=\"203.0.113.7\";proto=http;host=\"{}\"", env.listen)
    );
    // Loopback alone no longer opens /metrics: every proxied client is loopback here.
    let r = c
        .get(format!("{}/metrics", env.url))
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), 404);
    for wrong in ["Bearer nope", "Basic abc", TOKEN] {
        let r = c
            .get(format!("{}/metrics", env.url))
            .header("authorization", wrong)
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status(), 404, "{wrong}");
    }
    let r = c
        .get(format!("{}/metrics", env.url))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("text").contains("# EOF"));
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_headers_are_the_clients_word_only() {
    let env = Env::start(Options::default()).await;
    let echo: serde_json::Value = client()
        .get(format!("{}/public/x", env.url))
        .header("x-forwarded-for", "203.0.113.7")
        .header("forwarded", "for=203.0.113.8")
        .send()
        .await
        .expect("proxied")
        .json()
        .await
        .expect("echo");
    assert_eq!(echo["headers"]["x-forwarded-for"], "127.0.0.1");
}

#[test]
fn a_proxy_on_loopback_without_a_metrics_token_is_refused() {
    let listen = "127.0.0.1:1".parse().expect("addr");
    let text = config_text(
        listen,
        "sqlite://x.db",
        "http://127.0.0.1:2",
        "127.0.0.1:3".parse().expect("addr"),
        &Options {
            server_extra: "trusted_proxies = [\"127.0.0.1/32\"]\n".to_owned(),
            ..Options::default()
        },
    );
    let e = gateway::Config::from_toml(&text).expect_err("refused");
    assert!(e.to_string().contains("server.metrics_token"), "{e}");
}
