//! A real SMTP server on loopback: Python `aiosmtpd`, writing each message it receives
//! as one JSON file that the tests read.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// aiosmtpd with a handler writing each message (decoded by Python's `email`) as one
/// JSON file, atomically (temp file then rename).
const SMTP_SINK: &str = r#"
import email, email.policy, json, os, sys, time
from aiosmtpd.controller import Controller
folder, port = sys.argv[1], int(sys.argv[2])
class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(("plain",))
        rec = {"rcpt_tos": envelope.rcpt_tos, "subject": str(msg["subject"]),
               "from": str(msg["from"]), "text": body.get_content() if body else ""}
        name = "%020d" % time.time_ns()
        tmp = os.path.join(folder, "." + name)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(folder, name + ".json"))
        return "250 OK"
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

pub struct Smtp {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
    taken: std::sync::Mutex<Vec<PathBuf>>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub rcpt_tos: Vec<String>,
    pub subject: String,
    pub text: String,
}

/// A free loopback port (for a peer that must come back on the same one).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

impl Smtp {
    /// Start on `port` and wait until it accepts connections.
    pub async fn start(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let child = Command::new("python3")
            .args(["-c", SMTP_SINK])
            .arg(dir.path())
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd");
        let smtp = Self {
            child,
            dir,
            port,
            taken: std::sync::Mutex::new(Vec::new()),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        smtp
    }

    /// The next message (in arrival order) for `to`, waiting up to 30 s.
    pub async fn next_for(&self, to: &str) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(m) = self.take(to) {
                return m;
            }
            assert!(Instant::now() < deadline, "no mail for {to}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn take(&self, to: &str) -> Option<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut taken = self.taken.lock().expect("lock");
        for f in files {
            if taken.contains(&f) {
                continue;
            }
            let mail: Mail =
                serde_json::from_slice(&std::fs::read(&f).expect("read")).expect("json");
            if mail.rcpt_tos.iter().any(|r| r == to) {
                taken.push(f);
                return Some(mail);
            }
        }
        None
    }

    /// How many messages arrived in all.
    pub fn count(&self) -> usize {
        std::fs::read_dir(self.dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
