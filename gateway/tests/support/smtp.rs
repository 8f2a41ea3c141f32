//! A real SMTP server on loopback (Python `aiosmtpd`, from the workspace's harness
//! [`e2e::SmtpServer`]), with the two questions the gateway's tests ask of it: the next
//! mail to an address, and how many arrived.

use std::time::Duration;

pub use e2e::Mail;

pub struct Smtp {
    server: e2e::SmtpServer,
    pub port: u16,
    _dir: tempfile::TempDir,
}

/// A free loopback port (for a peer that must come back on the same one).
pub fn free_port() -> u16 {
    e2e::process::free_port().expect("free port")
}

impl Smtp {
    /// Start on `port` and wait until it accepts connections.
    pub async fn start(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let server = e2e::SmtpServer::start_on(dir.path(), port)
            .await
            .expect("python3 with aiosmtpd");
        Self {
            port: server.port,
            server,
            _dir: dir,
        }
    }

    /// The next message (in arrival order) for `to`, waiting up to 30 s.
    pub async fn next_for(&self, to: &str) -> Mail {
        self.server
            .wait_for_message(to, Duration::from_secs(30))
            .await
            .unwrap_or_else(|e| panic!("no mail for {to}: {e:#}"))
    }

    /// How many messages arrived in all.
    pub fn count(&self) -> usize {
        self.server.messages().expect("messages").len()
    }
}
