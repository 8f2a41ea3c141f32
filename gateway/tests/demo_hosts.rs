//! In the demo the browser must not send the gateway's session cookie to the simulated
//! provider's or the backends' own ports: cookies are scoped by host, not by port, so
//! they listen on another loopback address than the gateway.

use std::net::SocketAddr;

fn hosts_of(config: &str, key: &str) -> Vec<String> {
    config
        .lines()
        .filter_map(|l| l.trim().strip_prefix(key))
        .filter_map(|rest| rest.split('"').nth(1))
        .filter_map(|url| url::Url::parse(url).ok())
        .filter_map(|u| u.host_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn provider_and_backends_are_on_another_host_than_the_gateway() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listen: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let demo = demo::Demo::start(dir.path(), listen).await.expect("demo");
    let gateway_host = url::Url::parse(demo.url())
        .expect("url")
        .host_str()
        .expect("host")
        .to_owned();
    assert_eq!(gateway_host, "127.0.0.1");
    let config = demo.gateway_config().to_owned();
    let issuers = hosts_of(&config, "issuer =");
    let upstreams = hosts_of(&config, "upstream =");
    assert_eq!(issuers.len(), 1, "{config}");
    assert_eq!(upstreams.len(), 2, "{config}");
    for host in issuers.iter().chain(&upstreams) {
        assert_ne!(
            host, &gateway_host,
            "a peer shares the gateway's host: the session cookie reaches it"
        );
    }
    // They answer there.
    let issuer = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("issuer ="))
        .and_then(|r| r.split('"').nth(1))
        .expect("issuer")
        .to_owned();
    let r = e2e::http::client()
        .get(format!("{issuer}/.well-known/openid-configuration"))
        .send()
        .await
        .expect("provider");
    assert_eq!(r.status(), 200);
    demo.shutdown();
}
