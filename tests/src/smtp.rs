//! A real SMTP server on loopback: Python `aiosmtpd` running `tests/peers/smtp_sink.py`,
//! which writes every message atomically into a folder; the messages are parsed here in
//! Rust (MIME, quoted-printable, base64) to find the codes and links a test needs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mail_parser::{MessageParser, PartType};
use serde::Deserialize;

use crate::peers_dir;
use crate::process::{PeerProcess, READY_TIMEOUT};

/// The SMTP server peer. Killed on drop.
#[derive(Debug)]
pub struct SmtpServer {
    /// Always `127.0.0.1`.
    pub host: String,
    /// The port it listens on (kept across [`SmtpServer::restart`]).
    pub port: u16,
    dir: PathBuf,
    process: Option<PeerProcess>,
    /// Files already handed out by [`SmtpServer::wait_for_message`].
    taken: Mutex<HashSet<String>>,
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The file it was stored in (orders messages by arrival).
    pub file_name: String,
    /// The envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`).
    pub rcpt_tos: Vec<String>,
    /// When the server accepted it, in unix milliseconds.
    pub received_at_ms: u64,
    /// The decoded `Subject` header ("" when absent).
    pub subject: String,
    /// The address of the `From` header ("" when absent).
    pub from: String,
    /// The addresses of the `To` header.
    pub to: Vec<String>,
    /// Every header as (name, raw value trimmed), in order.
    pub headers: Vec<(String, String)>,
    /// The first text body, decoded (converted from HTML when there is only HTML).
    pub text: String,
    /// The first HTML body, decoded, when the message has one.
    pub html: Option<String>,
    /// The raw message as received.
    pub raw: Vec<u8>,
}

#[derive(Deserialize)]
struct Envelope {
    mail_from: String,
    rcpt_tos: Vec<String>,
    received_at_ms: u64,
}

impl SmtpServer {
    /// Starts the server on 127.0.0.1 with an ephemeral port, storing messages under
    /// `dir` (created if missing; messages already there are listed too).
    pub async fn start(dir: &Path) -> Result<Self> {
        Self::start_on(dir, 0).await
    }

    /// Like [`SmtpServer::start`] on a chosen port (0: any), for a test that lets the
    /// gateway queue mail before the server is up.
    pub async fn start_on(dir: &Path, port: u16) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut server = Self {
            host: "127.0.0.1".to_owned(),
            port,
            dir: dir.to_owned(),
            process: None,
            taken: Mutex::new(HashSet::new()),
        };
        server.spawn().await?;
        Ok(server)
    }

    async fn spawn(&mut self) -> Result<()> {
        let mut command = Command::new(crate::python());
        command
            .arg(peers_dir().join("smtp_sink.py"))
            .arg(&self.dir)
            .arg(self.port.to_string())
            .env("PYTHONUNBUFFERED", "1");
        let mut process = PeerProcess::spawn("smtp", command, &self.dir.join("logs"))?;
        let line = process.wait_for_line("READY ", READY_TIMEOUT).await?;
        self.port = line
            .trim_start_matches("READY ")
            .trim()
            .parse()
            .with_context(|| format!("bad readiness line from smtp_sink.py: {line:?}"))?;
        self.process = Some(process);
        Ok(())
    }

    /// `smtp://127.0.0.1:PORT`, plain SMTP without TLS or authentication.
    pub fn url(&self) -> String {
        format!("smtp://{}:{}", self.host, self.port)
    }

    /// The folder messages are stored in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stops the server (connections are then refused), keeping its messages.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.kill();
        }
    }

    /// Starts it again on the same port after [`SmtpServer::stop`].
    pub async fn restart(&mut self) -> Result<()> {
        self.stop();
        self.spawn().await
    }

    /// Whether the server process is up.
    pub fn is_running(&mut self) -> bool {
        self.process.as_mut().is_some_and(PeerProcess::is_running)
    }

    /// While `on`, the server answers every message with a temporary failure (451).
    pub fn set_rejecting(&self, on: bool) -> Result<()> {
        let switch = self.dir.join("reject");
        if on {
            std::fs::write(&switch, b"")?;
        } else if switch.exists() {
            std::fs::remove_file(&switch)?;
        }
        Ok(())
    }

    /// Every message received so far, in arrival order.
    pub fn messages(&self) -> Result<Vec<Mail>> {
        let new = self.dir.join("new");
        let mut names: Vec<String> = match std::fs::read_dir(&new) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".msg"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(new.join(&name))?;
                Mail::parse(name, &bytes)
            })
            .collect()
    }

    /// Every message whose envelope recipients include `to` (case-insensitive).
    pub fn messages_to(&self, to: &str) -> Result<Vec<Mail>> {
        Ok(self
            .messages()?
            .into_iter()
            .filter(|m| m.is_to(to))
            .collect())
    }

    /// Waits (up to `timeout`) for the oldest message to `to` not yet returned by this
    /// function, and returns it. Successive calls return successive messages.
    pub async fn wait_for_message(&self, to: &str, timeout: Duration) -> Result<Mail> {
        self.wait_for_message_matching(|m| m.is_to(to), timeout)
            .await
            .with_context(|| format!("waiting for a mail to {to}"))
    }

    /// Like [`SmtpServer::wait_for_message`] with any predicate.
    pub async fn wait_for_message_matching(
        &self,
        predicate: impl Fn(&Mail) -> bool,
        timeout: Duration,
    ) -> Result<Mail> {
        let deadline = Instant::now() + timeout;
        loop {
            for mail in self.messages()? {
                if predicate(&mail) {
                    let mut taken = self
                        .taken
                        .lock()
                        .map_err(|_| anyhow::anyhow!("poisoned lock"))?;
                    if taken.insert(mail.file_name.clone()) {
                        return Ok(mail);
                    }
                }
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = self
                    .messages()?
                    .iter()
                    .map(|m| format!("{:?} -> {:?}", m.subject, m.rcpt_tos))
                    .collect();
                bail!("no matching mail within {timeout:?}; received so far: {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Mail {
    /// Parses a stored file: one JSON envelope line, then the raw message.
    pub fn parse(file_name: String, bytes: &[u8]) -> Result<Self> {
        let split = bytes
            .iter()
            .position(|b| *b == b'\n')
            .context("stored mail without envelope line")?;
        let envelope: Envelope = serde_json::from_slice(&bytes[..split])?;
        let raw = bytes[split + 1..].to_vec();
        let message = MessageParser::default()
            .parse(&raw)
            .with_context(|| format!("unparsable mail {file_name}"))?;
        let addresses = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
            a.map(|a| {
                a.iter()
                    .filter_map(|x| x.address().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
        };
        let html = message
            .html_bodies()
            .find(|p| matches!(p.body, PartType::Html(_)))
            .and_then(|p| match &p.body {
                PartType::Html(h) => Some(h.to_string()),
                _ => None,
            });
        Ok(Self {
            mail_from: envelope.mail_from,
            rcpt_tos: envelope.rcpt_tos,
            received_at_ms: envelope.received_at_ms,
            subject: message.subject().unwrap_or_default().to_owned(),
            from: addresses(message.from())
                .into_iter()
                .next()
                .unwrap_or_default(),
            to: addresses(message.to()),
            headers: message
                .headers_raw()
                .map(|(n, v)| (n.to_owned(), v.trim().to_owned()))
                .collect(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html,
            file_name,
            raw,
        })
    }

    /// Whether `address` is among the envelope recipients (case-insensitive).
    pub fn is_to(&self, address: &str) -> bool {
        self.rcpt_tos
            .iter()
            .any(|r| r.eq_ignore_ascii_case(address))
    }

    /// The raw value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first standalone run of `min..=max` digits in the text body (then the HTML
    /// body): a one-time code.
    pub fn find_code(&self, min: usize, max: usize) -> Option<String> {
        std::iter::once(self.text.as_str())
            .chain(self.html.as_deref())
            .find_map(|body| find_digits(body, min, max))
    }

    /// The first URL starting with `prefix` in the text body (then the HTML body), up to
    /// the first space, quote or angle bracket; `&amp;` decoded.
    pub fn find_link(&self, prefix: &str) -> Option<String> {
        std::iter::once(self.text.as_str())
            .chain(self.html.as_deref())
            .find_map(|body| {
                let start = body.find(prefix)?;
                let rest = &body[start..];
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
                    .unwrap_or(rest.len());
                Some(rest[..end].replace("&amp;", "&"))
            })
    }
}

/// The first run of ASCII digits whose length is within `min..=max` and that is not part
/// of a longer run.
fn find_digits(text: &str, min: usize, max: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - start;
            if (min..=max).contains(&len) {
                return Some(text[start..i].to_owned());
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_and_links_in_encoded_parts() {
        let raw = b"{\"mail_from\":\"gw@example.test\",\"rcpt_tos\":[\"Ann@Example.test\"],\"received_at_ms\":1}\n\
From: Gateway <gw@example.test>\r\n\
To: ann@example.test\r\n\
Subject: =?utf-8?q?Votre_code_=C3=A0_usage_unique?=\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Code envoy=C3=A9 le 2026-11-22: 048213. Lien: https://gw.test/reset?t=3Dabc&x=3D1\r\n\
--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
PHA+PGEgaHJlZj0iaHR0cHM6Ly9ndy50ZXN0L3Jlc2V0P3Q9YWJjJmFtcDt4PTEiPmxpbms8L2E+PC9wPg==\r\n\
--b--\r\n";
        let mail = Mail::parse("00000001-x.msg".to_owned(), raw).expect("parse");
        assert!(mail.is_to("ann@example.test"));
        assert_eq!(mail.subject, "Votre code à usage unique");
        assert_eq!(mail.from, "gw@example.test");
        assert_eq!(mail.find_code(6, 8).as_deref(), Some("048213"));
        assert_eq!(
            mail.find_link("https://gw.test/reset").as_deref(),
            Some("https://gw.test/reset?t=abc&x=1")
        );
        let html = mail.html.as_deref().expect("html part");
        assert!(html.contains("href=\"https://gw.test/reset?t=abc&amp;x=1\""));
        assert_eq!(mail.header("mime-version"), Some("1.0"));
    }
}
