//! Child processes of the harness: each peer runs in its own process group, writes its
//! output to files (no pipe can fill up), is waited on with a bounded readiness check and
//! is killed, with everything it started, when its handle is dropped.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// How long a peer may take to become ready before its start counts as failed. Generous:
/// the machine is small and shared; a healthy peer is ready in about a second.
pub const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(25);

/// A free TCP port on 127.0.0.1, for the few peers that cannot bind port 0 and report
/// it (chromedriver, postgres). Another process may take it before the peer binds it,
/// so callers retry on a failed start.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A running peer process, killed with its whole process group on drop.
#[derive(Debug)]
pub struct PeerProcess {
    name: String,
    child: Child,
    /// Held open: the scripts of tests/peers exit when it closes, so they never outlive
    /// the test process even when it is killed.
    stdin: Option<ChildStdin>,
    stdout_path: PathBuf,
    stderr_path: PathBuf,
}

impl PeerProcess {
    /// Spawns `command` in a new process group, its stdout and stderr going to
    /// `<log_dir>/<name>.<n>.stdout|stderr` (a new pair per spawn).
    pub fn spawn(name: &str, mut command: Command, log_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(log_dir)
            .with_context(|| format!("creating log folder {}", log_dir.display()))?;
        let mut n = 0;
        let (stdout_path, stderr_path) = loop {
            let out = log_dir.join(format!("{name}.{n}.stdout"));
            if !out.exists() {
                break (out, log_dir.join(format!("{name}.{n}.stderr")));
            }
            n += 1;
        };
        let stdout = File::create(&stdout_path)?;
        let stderr = File::create(&stderr_path)?;
        command
            .stdin(Stdio::piped())
            .stdout(stdout)
            .stderr(stderr)
            .process_group(0);
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {name}: {command:?}"))?;
        let stdin = child.stdin.take();
        Ok(Self {
            name: name.to_owned(),
            child,
            stdin,
            stdout_path,
            stderr_path,
        })
    }

    /// The peer's name, as given to [`PeerProcess::spawn`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The process id (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has not exited yet.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until the peer prints a line starting with `prefix` on stdout and returns
    /// that line. Fails with the peer's output if it exits first or `timeout` passes.
    pub async fn wait_for_line(&mut self, prefix: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.find_stdout_line(prefix)? {
                return Ok(line);
            }
            self.check_alive_before(deadline, &format!("printing {prefix:?}"))?;
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until a TCP connection to `addr` succeeds. Fails with the peer's output if
    /// it exits first or `timeout` passes.
    pub async fn wait_for_connect(&mut self, addr: SocketAddr, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return Ok(());
            }
            self.check_alive_before(deadline, &format!("accepting connections on {addr}"))?;
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fails if the process exited or the deadline passed; `what` says what was awaited.
    pub fn check_alive_before(&mut self, deadline: Instant, what: &str) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!(
                "{} exited ({status}) before {what}\n{}",
                self.name,
                self.output_tail()
            );
        }
        if Instant::now() > deadline {
            bail!(
                "{} was not ready ({what}) in time\n{}",
                self.name,
                self.output_tail()
            );
        }
        Ok(())
    }

    fn find_stdout_line(&self, prefix: &str) -> Result<Option<String>> {
        let file = File::open(&self.stdout_path)?;
        for line in BufReader::new(file).lines() {
            let line = line?;
            if line.starts_with(prefix) {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }

    /// The last lines of the peer's stdout and stderr, for error messages.
    pub fn output_tail(&self) -> String {
        format!(
            "--- {} stderr ({}) ---\n{}\n--- {} stdout ---\n{}",
            self.name,
            self.stderr_path.display(),
            tail(&self.stderr_path, 40),
            self.name,
            tail(&self.stdout_path, 20)
        )
    }

    /// Kills the whole process group (SIGKILL) and reaps the process. Idempotent.
    pub fn kill(&mut self) {
        self.stdin.take();
        // Always signal the group: the leader may be gone while its children live on.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        let _ = self.child.wait();
    }

    /// Waits (up to `timeout`) for the process to exit and returns how it ended.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Result<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!(
                    "{} did not exit within {timeout:?}\n{}",
                    self.name,
                    self.output_tail()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Asks the whole process group to stop (SIGTERM), as a supervisor or Ctrl-C would.
    pub fn terminate(&self) -> Result<()> {
        self.signal(Signal::SIGTERM)
    }

    /// Sends `signal` to the whole process group.
    pub fn signal(&self, signal: Signal) -> Result<()> {
        let pid = i32::try_from(self.child.id())?;
        killpg(Pid::from_raw(pid), signal).map_err(|e| anyhow!("signalling {}: {e}", self.name))
    }
}

impl Drop for PeerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The last `lines` lines of a text file ("" when unreadable).
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
