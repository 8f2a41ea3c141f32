//! The gateway as the proxy benchmark runs it (`scripts/bench-proxy.sh`): the simulated
//! eID provider and one gateway (SQLite in a temporary directory) on 127.0.0.1
//! ephemeral ports, a route `/bench` to the given upstream (`access = "authenticated"`,
//! prefix stripped), a real login through the provider over HTTP, then one line
//!
//! ```text
//! READY <gateway_url> <session_cookie_header_value>
//! ```
//!
//! on stdout, and serving until stdin closes or SIGTERM/SIGINT arrives.
//!
//! With `--database URL` (PostgreSQL), the gateway uses that database instead; with
//! `--join` besides, it is one more node on a database another run of this example has
//! set up: no grant, no login, and `READY <url> -` (the cluster benchmark,
//! `scripts/bench-cluster.sh`, uses the first node's session on the others).
//!
//! With `--bare`, it serves instead the floor of the gateway's stack: a plain hyper HTTP/1
//! server forwarding `/bench/...` through the same pooled hyper-util client to the
//! upstream, with no session, no assertion and no header work (`READY <url> -`). The
//! difference between the two is what the gateway's own logic and axum cost.
//!
//! ```text
//! cargo run --release -p gateway --example bench_gateway -- \
//!     --upstream http://127.0.0.1:8081 --threads 1
//! ```
//!
//! The tokio runtime has exactly `--threads` worker threads (nginx gets as many workers
//! in the comparison). Logging is at `warn` so that it costs nothing per request.

use std::io::Write as _;
use std::time::Duration;

use anyhow::{Context as _, bail};
use demo::sim_idp::{self, SimClient, SimIdpConfig};
use tokio::net::TcpListener;

/// mimalloc: less time per request in the allocator than glibc's malloc (measured in
/// docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A fixed demo secret: the benchmark's database is thrown away after the run.
const SECRET: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

struct Args {
    upstream: url::Url,
    threads: usize,
    citizen: String,
    bare: bool,
    database: Option<String>,
    join: bool,
}

fn usage() -> &'static str {
    "usage: bench_gateway --upstream http://127.0.0.1:PORT [--threads N] [--citizen citizen-1] [--bare] [--database postgres://... [--join]]"
}

fn parse_args() -> anyhow::Result<Args> {
    let mut upstream = None;
    let mut threads = 1usize;
    let mut citizen = "citizen-1".to_owned();
    let mut bare = false;
    let mut database = None;
    let mut join = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .with_context(|| format!("{name} needs a value\n{}", usage()))
        };
        match arg.as_str() {
            "--upstream" => upstream = Some(url::Url::parse(&value("--upstream")?)?),
            "--threads" => threads = value("--threads")?.parse().context("--threads: a number")?,
            "--citizen" => citizen = value("--citizen")?,
            "--bare" => bare = true,
            "--database" => database = Some(value("--database")?),
            "--join" => join = true,
            "-h" | "--help" => {
                println!("{}", usage());
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}\n{}", usage()),
        }
    }
    let Some(upstream) = upstream else {
        bail!("--upstream is required\n{}", usage());
    };
    if upstream.scheme() != "http" || upstream.host_str().is_none() {
        bail!("--upstream must be an http://host:port URL");
    }
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    if join && database.is_none() {
        bail!("--join needs --database (the shared database)");
    }
    Ok(Args {
        upstream,
        threads,
        citizen,
        bare,
        database,
        join,
    })
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()
        .context("tokio runtime")?;
    if args.bare {
        runtime.block_on(bare::run(&args.upstream))
    } else {
        runtime.block_on(run(args))
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("temporary directory")?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let listen = listener.local_addr()?;
    let url = format!("http://{listen}");

    // The simulated provider, on its own port.
    let idp_listener = TcpListener::bind("127.0.0.1:0").await?;
    let issuer = format!("http://{}", idp_listener.local_addr()?);
    let idp = sim_idp::router(SimIdpConfig {
        issuer: issuer.clone(),
        clients: vec![SimClient {
            client_id: "gw".to_owned(),
            client_secret: "gw-secret".to_owned(),
            redirect_uris: vec![format!("{url}/auth/callback")],
            post_logout_redirect_uris: vec![format!("{url}/auth/logged-out")],
        }],
        citizens: sim_idp::demo_citizens(),
        acr: "eidas-substantial".to_owned(),
    });
    let idp_task = tokio::spawn(async move {
        let _ = axum::serve(idp_listener, idp).await;
    });

    let db = match &args.database {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", dir.path().join("gateway.db").display()),
    };
    let upstream = args.upstream.as_str().trim_end_matches('/');
    let text = format!(
        r#"
secret_key = "{SECRET}"
[server]
listen = "{listen}"
public_url = "{url}"
shutdown_grace_secs = 2
[database]
url = "{db}"
[[providers]]
id = "sim"
label = "Simulated eID"
issuer = "{issuer}"
client_id = "gw"
client_secret = "gw-secret"
acr_values = ["eidas-substantial"]
national_number_claim = "rrn"
[[applications]]
id = "bench"
name = "Bench"
levels = ["read"]
methods = {{ GET = "read" }}
[[routes]]
prefix = "/bench-policy"
upstream = "{upstream}"
application = "bench"
access = "policy"
strip_prefix = true
[[routes]]
prefix = "/bench"
upstream = "{upstream}"
access = "authenticated"
strip_prefix = true
"#
    );
    let config = gateway::Config::from_toml(&text).context("gateway configuration")?;
    let state = gateway::AppState::build(config)
        .await
        .context("gateway state")?;
    if !args.join {
        grant_bench_read(&state, &args.citizen)
            .await
            .context("granting bench/read")?;
    }
    let running = gateway::spawn(state, listener)?;

    let cookie = if args.join {
        "-".to_owned()
    } else {
        login(&url, &issuer, &args.citizen)
            .await
            .context("login through the simulated provider")?
    };
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "READY {url} {cookie}")?;
        out.flush()?;
    }

    stop_signal().await;
    running.shutdown().await?;
    idp_task.abort();
    Ok(())
}

/// One organisation in which `citizen` holds `bench/read` (named by national number
/// before their first login, as an access manager does it), so that `/bench-policy`
/// is decided by the access model; their only organisation, it is active at login.
async fn grant_bench_read(state: &gateway::AppState, citizen: &str) -> anyhow::Result<()> {
    use policy::grants::GrantRequest;
    use policy::{Actor, Scope, Subject};
    let person = sim_idp::demo_citizens()
        .into_iter()
        .find(|c| c.id == citizen)
        .with_context(|| format!("no demo citizen {citizen}"))?;
    let nrn = policy::ids::NationalNumber::parse(&person.rrn)?.keyed_hash(state.keys.nrn_key());
    let op = Actor::operator();
    let number = policy::ids::OrgNumber::parse("0123.456.749")?;
    let structure = state
        .policy
        .create_structure(&op, &number, "Bench SRL", "Bench")
        .await?;
    let right = state.policy.right_by_name("bench", "read").await?;
    state
        .policy
        .grant(
            &op,
            &GrantRequest {
                structure: structure.id,
                subject: Subject::Pending(nrn),
                right: right.id,
                scope: Scope::Structure,
                valid_until: None,
            },
        )
        .await?;
    Ok(())
}

/// The whole login over HTTP, as a browser without JavaScript does it; returns the
/// `Cookie` header value that carries the session.
async fn login(gateway: &str, issuer: &str, citizen: &str) -> anyhow::Result<String> {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()?;
    let start = c
        .get(format!("{gateway}/auth/login/sim?return_to=%2Fbench%2F"))
        .send()
        .await?;
    if start.status() != 303 {
        bail!("login start answered {}", start.status());
    }
    let login_cookie = set_cookie(&start, "gw_login").context("no login cookie")?;
    let authorize = location(&start).context("no redirect to the provider")?;
    if !authorize.starts_with(issuer) {
        bail!("login start redirected elsewhere: {authorize}");
    }
    let html = c
        .get(&authorize)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let request = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .context("no request id in the provider's form")?
        .to_owned();
    let chosen = c
        .post(format!("{issuer}/authorize"))
        .form(&[("request", request.as_str()), ("citizen", citizen)])
        .send()
        .await?;
    if chosen.status() != 303 {
        bail!(
            "provider answered {} to the citizen choice",
            chosen.status()
        );
    }
    let callback = location(&chosen).context("no redirect back to the gateway")?;
    let done = c
        .get(&callback)
        .header("cookie", format!("gw_login={login_cookie}"))
        .send()
        .await?;
    if done.status() != 303 {
        bail!("callback answered {}", done.status());
    }
    let session = set_cookie(&done, "gw_session").context("no session cookie")?;
    // Check the session works through the route before announcing it.
    let probe = c
        .get(format!("{gateway}/bench/"))
        .header("cookie", format!("gw_session={session}"))
        .send()
        .await?;
    if !probe.status().is_success() {
        bail!(
            "GET /bench/ with the new session answered {}",
            probe.status()
        );
    }
    Ok(format!("gw_session={session}"))
}

fn location(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The value of cookie `name` set by a response.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// Stdin closed (the script that started us is gone), SIGTERM or SIGINT.
async fn stop_signal() {
    let stdin_closed = async {
        // A plain thread: tokio's stdin would hold a blocking-pool thread anyway.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut sink = [0u8; 256];
            let mut stdin = std::io::stdin().lock();
            while matches!(std::io::Read::read(&mut stdin, &mut sink), Ok(n) if n > 0) {}
            let _ = tx.send(());
        });
        let _ = rx.await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = stdin_closed => {},
        () = term => {},
        _ = tokio::signal::ctrl_c() => {},
    }
}

/// The floor: hyper server + hyper-util pooled client, nothing else.
mod bare {
    use std::convert::Infallible;

    use anyhow::Context as _;
    use http_body_util::combinators::BoxBody;
    use http_body_util::{BodyExt, Empty};
    use hyper::body::{Bytes, Incoming};
    use hyper_util::client::legacy::Client;
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tokio::net::TcpListener;

    type Upstream = Client<HttpConnector, Incoming>;
    type Answer = hyper::Response<BoxBody<Bytes, hyper::Error>>;

    pub async fn run(upstream: &url::Url) -> anyhow::Result<()> {
        let host = upstream.host_str().context("upstream host")?;
        let port = upstream.port_or_known_default().context("upstream port")?;
        let authority: http::uri::Authority = format!("{host}:{port}").parse()?;
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client: Upstream = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(256)
            .build(connector);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            writeln!(out, "READY http://{} -", listener.local_addr()?)?;
            out.flush()?;
        }
        let accept = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let client = client.clone();
                let authority = authority.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        forward(client.clone(), authority.clone(), request)
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        };
        tokio::select! {
            () = accept => {},
            () = super::stop_signal() => {},
        }
        Ok(())
    }

    async fn forward(
        client: Upstream,
        authority: http::uri::Authority,
        request: hyper::Request<Incoming>,
    ) -> Result<Answer, Infallible> {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let path = match path.strip_prefix("/bench") {
            Some("") => "/",
            Some(rest) => rest,
            None => path,
        };
        let Ok(uri) = http::Uri::builder()
            .scheme("http")
            .authority(authority)
            .path_and_query(path)
            .build()
        else {
            return Ok(status(http::StatusCode::BAD_REQUEST));
        };
        parts.uri = uri;
        match client
            .request(hyper::Request::from_parts(parts, body))
            .await
        {
            Ok(response) => Ok(response.map(BodyExt::boxed)),
            Err(_) => Ok(status(http::StatusCode::BAD_GATEWAY)),
        }
    }

    fn status(code: http::StatusCode) -> Answer {
        let mut r = hyper::Response::new(Empty::new().map_err(|e| match e {}).boxed());
        *r.status_mut() = code;
        r
    }
}
