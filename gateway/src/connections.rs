//! Serving connections under limits, so that slow or numerous clients cannot hold the
//! gateway: at most `max_connections` at once (one more is answered 503 and closed), a
//! request's headers within `header_read_timeout_secs` (else 408 and closed: a client
//! trickling header lines cannot keep its connection), and each piece of a request body
//! within `body_read_timeout_secs` of the previous one (else 408, for the gateway's own
//! endpoints and for proxied bodies alike). Everyone else keeps being served meanwhile.

use std::convert::Infallible;
use std::future::Future as _;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use crate::error::HttpError;
use crate::router::Gateway;

/// The limits of [`serve`], from `[server]`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections at once.
    pub max_connections: usize,
    /// Time to send a request's headers.
    pub header_read: Duration,
    /// Time between two pieces of a request body.
    pub body_read: Duration,
    /// Time in-flight requests get to finish once shutdown starts.
    pub grace: Duration,
}

/// Serve `gateway` on `listener` until `stop` turns true, then let open connections
/// finish for `limits.grace`.
pub async fn serve(
    listener: TcpListener,
    gateway: Gateway,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(
                max = limits.max_connections,
                "connection limit reached: answered 503"
            );
            tokio::spawn(answer_and_close(stream, busy()));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = SharedIo::new(stream);
        let gateway = gateway.clone();
        let body_read = limits.body_read;
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let gateway = gateway.clone();
            async move { Ok::<_, Infallible>(handle(&gateway, request, remote, body_read).await) }
        });
        let conn = builder
            .serve_connection(TokioIo::new(io.clone()), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await
                && e.downcast_ref::<hyper::Error>()
                    .is_some_and(hyper::Error::is_timeout)
                && io.started_a_request()
            {
                tracing::info!(peer = %remote.ip(), "request headers too slow: 408");
                io.answer_and_close(too_slow()).await;
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {
            tracing::warn!("shutdown grace period over: closing remaining connections");
        }
    }
    Ok(())
}

/// One request: the client's address for the handlers, the body under its read timeout,
/// and 408 in place of whatever the handler answered when that timeout fired.
async fn handle(
    gateway: &Gateway,
    request: Request<Incoming>,
    remote: SocketAddr,
    body_read: Duration,
) -> Response {
    let (parts, body) = request.into_parts();
    let timed_out = Arc::new(AtomicBool::new(false));
    let body = Body::new(TimedBody {
        inner: body,
        after: body_read,
        sleep: None,
        timed_out: timed_out.clone(),
    });
    let response = gateway
        .serve(Request::from_parts(parts, body), remote)
        .await;
    if timed_out.load(Ordering::Acquire) {
        tracing::info!(peer = %remote.ip(), "request body too slow: 408");
        let mut r = too_slow_response();
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    response
}

fn too_slow_response() -> Response {
    HttpError::new(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        "The request was sent too slowly. Please try again.",
    )
    .into_response()
}

/// A raw answer for a connection that has no request hyper could answer: 408 when its
/// headers never came, 503 when it is over the limit. The web crate's JSON error body.
fn raw_answer(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({ "error": code, "message": message }).to_string();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncache-control: no-store\r\n\
         x-content-type-options: nosniff\r\nretry-after: 1\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn too_slow() -> Vec<u8> {
    raw_answer(
        "408 Request Timeout",
        "request_timeout",
        "The request was sent too slowly. Please try again.",
    )
}

fn busy() -> Vec<u8> {
    raw_answer(
        "503 Service Unavailable",
        "unavailable",
        "The service is busy. Please try again shortly.",
    )
}

async fn answer_and_close(mut stream: TcpStream, answer: Vec<u8>) {
    let write = async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    };
    // A client that does not even read its answer gets no more time than a slow one.
    let _ = tokio::time::timeout(Duration::from_secs(5), write).await;
}

/// The connection's socket, shared between hyper and the server loop so that the loop
/// can still answer 408 once hyper gave up on a request's headers. It remembers whether
/// the client sent bytes since the last answer: an idle keep-alive connection that times
/// out is closed without an answer nobody asked for (a client reusing it could take that
/// answer for its next request's).
#[derive(Clone)]
struct SharedIo(Arc<Shared>);

struct Shared {
    stream: Mutex<TcpStream>,
    unanswered: AtomicBool,
}

impl SharedIo {
    fn new(stream: TcpStream) -> Self {
        Self(Arc::new(Shared {
            stream: Mutex::new(stream),
            unanswered: AtomicBool::new(false),
        }))
    }

    /// Whether the client sent part of a request that got no answer yet.
    fn started_a_request(&self) -> bool {
        self.0.unanswered.load(Ordering::Acquire)
    }

    async fn answer_and_close(self, answer: Vec<u8>) {
        let mut io = self;
        let write = async {
            io.write_all(&answer).await?;
            io.shutdown().await
        };
        let _ = tokio::time::timeout(Duration::from_secs(5), write).await;
    }

    fn with<R>(&self, f: impl FnOnce(Pin<&mut TcpStream>) -> R) -> R {
        let mut s = self.0.stream.lock().unwrap_or_else(PoisonError::into_inner);
        f(Pin::new(&mut *s))
    }
}

impl AsyncRead for SharedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = self.with(|s| s.poll_read(cx, buf));
        if buf.filled().len() > before {
            self.0.unanswered.store(true, Ordering::Release);
        }
        polled
    }
}

impl AsyncWrite for SharedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = self.with(|s| s.poll_write(cx, buf));
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.0.unanswered.store(false, Ordering::Release);
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(|s| s.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(|s| s.poll_shutdown(cx))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = self.with(|s| s.poll_write_vectored(cx, bufs));
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.0.unanswered.store(false, Ordering::Release);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        true
    }
}

/// The error of a body piece that did not come in time.
#[derive(Debug, thiserror::Error)]
#[error("request body read timed out")]
pub struct BodyTimeout;

/// A request body whose next piece must come within `after` of the moment it is waited
/// for (the clock runs only while someone waits for the client, so a handler busy
/// elsewhere never makes it fire).
struct TimedBody {
    inner: Incoming,
    after: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    timed_out: Arc<AtomicBool>,
}

impl http_body::Body for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            this.sleep = None;
            return Poll::Ready(frame.map(|r| r.map_err(Into::into)));
        }
        let after = this.after;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(after)));
        ready!(sleep.as_mut().poll(cx));
        this.sleep = None;
        this.timed_out.store(true, Ordering::Release);
        Poll::Ready(Some(Err(Box::new(BodyTimeout))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
