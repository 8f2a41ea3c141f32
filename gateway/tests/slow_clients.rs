//! Slow and numerous clients: a client trickling header lines gets 408 and loses its
//! connection, a body that stops coming gets 408, connections over the cap get 503, and
//! the gateway keeps serving everyone else meanwhile.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn limits(extra: &str) -> Options {
    Options {
        server_extra: extra.to_owned(),
        ..Options::default()
    }
}

/// Read whatever the gateway answers until it closes (or 30 s pass).
async fn read_answer(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn served(env: &Env) -> u16 {
    client()
        .get(format!("{}/public/ok", env.url))
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_client_trickling_headers_gets_408_while_others_are_served() {
    let env = Env::start(limits("header_read_timeout_secs = 2\n")).await;
    let mut s = TcpStream::connect(env.listen).await.expect("connect");
    s.write_all(b"GET /public/x HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // One header line every half second, for up to 60 s: the gateway must cut it first.
    let mut cut = false;
    for i in 0..120 {
        if s.write_all(format!("X-Line-{i}: a\r\n").as_bytes())
            .await
            .is_err()
        {
            cut = true;
            break;
        }
        let mut byte = [0u8; 1];
        if let Ok(r) = tokio::time::timeout(Duration::from_millis(500), s.peek(&mut byte)).await {
            cut = true;
            let _ = r;
            break;
        }
        if i == 2 {
            assert_eq!(served(&env).await, 200, "others are served meanwhile");
        }
    }
    assert!(cut, "a trickling client kept its connection for a minute");
    let answer = read_answer(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert_eq!(served(&env).await, 200);
}

#[tokio::test]
async fn a_body_that_stops_coming_gets_408() {
    let env = Env::start(limits("body_read_timeout_secs = 2\n")).await;
    let mut s = TcpStream::connect(env.listen).await.expect("connect");
    s.write_all(
        format!(
            "POST /public/x HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\n\
             Content-Length: 100\r\n\r\n0123456789",
            env.listen
        )
        .as_bytes(),
    )
    .await
    .expect("write");
    let answer = read_answer(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert_eq!(served(&env).await, 200);
}

async fn hold(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.expect("connect")
}

#[tokio::test]
async fn connections_over_the_cap_get_503_and_serving_resumes() {
    let env = Env::start(limits(
        "max_connections = 3\nheader_read_timeout_secs = 60\n",
    ))
    .await;
    let held = vec![
        hold(env.listen).await,
        hold(env.listen).await,
        hold(env.listen).await,
    ];
    // The three are accepted (the gateway reads from them) before the fourth comes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut fourth = hold(env.listen).await;
    fourth
        .write_all(b"GET /public/x HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let answer = read_answer(&mut fourth).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    assert!(answer.contains("\"error\":\"unavailable\""), "{answer}");
    drop(held);
    let mut status = 0;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let r = client().get(format!("{}/public/ok", env.url)).send().await;
        if let Ok(r) = r {
            status = r.status().as_u16();
            if status == 200 {
                break;
            }
        }
    }
    assert_eq!(status, 200, "serving never resumed");
}
