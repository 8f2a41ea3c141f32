//! `scripts/deploy-walkthrough.sh` is the multi-node part of docs/DEPLOYMENT.md played on
//! loopback: three gateway nodes on a fresh PostgreSQL database, nginx in front, the
//! independent OpenID provider, both backends as their own processes. The guide stays
//! true as long as this test passes. The binaries are those of this build (debug); the
//! script stops everything it started and drops its database, pass or fail.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The folder of this build's binaries: `<target>/debug` (the test runs from `deps/`).
fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target/debug")
        .to_owned()
}

#[tokio::test]
async fn the_deployment_guide_runs_on_loopback() {
    let bins = bin_dir();
    let target = bins.parent().expect("target folder").to_owned();
    // The binaries the script runs, built like the README builds them (a no-op when
    // `cargo test --workspace` built them already).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "build",
            "-p",
            "gateway",
            "-p",
            "prestations",
            "-p",
            "vouchers",
            "--bins",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(root())
        .status()
        .expect("cargo build");
    assert!(status.success(), "building the binaries failed");

    // Held until the end: a throwaway cluster lives as long as this handle.
    let server = e2e::postgres::Postgres::ensure().await.expect("PostgreSQL");
    let pg = server.url.clone();
    let mut child = Command::new("bash")
        .arg(root().join("scripts/deploy-walkthrough.sh"))
        .env("BIN_DIR", &bins)
        .env("PG_URL", &pg)
        .env("E2E_NODE", e2e::node())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the walkthrough script");
    // Generous: the machine is shared; the script itself takes well under a minute.
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            // SIGTERM lets the script's trap stop its processes and drop the database.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        out.status.success(),
        "the walkthrough failed:\n{stdout}\n{stderr}"
    );
    for promise in [
        "node 2 knows the session",
        "both backends verified the assertion through every node",
        "the logout on node 0 is seen by nodes 1 and 2",
    ] {
        assert!(
            stdout.contains(promise),
            "{promise:?} not checked:\n{stdout}"
        );
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}
