//! `[mail]`: where one-time codes, notices and password links go. An SMTP URL may carry
//! credentials, so it is a [`SecretUrl`]; plain SMTP leaves loopback only through the
//! `danger_*` switch.

use std::path::PathBuf;

use serde::Deserialize;
use url::Url;

use super::error::{ConfigError, invalid};
use super::secret::SecretUrl;

/// `[mail]`: where mail goes. Exactly one of `smtp_url` and `outbox_dir`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The `From` address, e.g. `Gateway <no-reply@gateway.example.be>`.
    pub from: String,
    /// SMTP server: `smtps://user:pass@host:465`, `smtp://host:587?tls=required`, or
    /// plain `smtp://127.0.0.1:2525` on loopback. Overridden by `GATEWAY_SMTP_URL`.
    #[serde(default)]
    pub smtp_url: Option<SecretUrl>,
    /// Deliver into this folder instead (one `.eml` file per mail): for the demo.
    #[serde(default)]
    pub outbox_dir: Option<PathBuf>,
    /// Seconds before the first retry of a failed send; doubled at each failure.
    #[serde(default = "default_retry_base")]
    pub retry_base_secs: u64,
    /// Upper bound of the wait between retries, seconds. A mail is retried until sent.
    #[serde(default = "default_retry_max")]
    pub retry_max_secs: u64,
    /// Seconds between two looks at the outbox (mails queued by this node are sent at
    /// once; this picks up the others' and the retries).
    #[serde(default = "default_mail_poll")]
    pub poll_secs: u64,
    /// Allow plain `smtp://` without TLS to a host that is not loopback. Never in production.
    #[serde(default)]
    pub danger_allow_plaintext_smtp: bool,
}

fn default_retry_base() -> u64 {
    5
}
fn default_retry_max() -> u64 {
    900
}
fn default_mail_poll() -> u64 {
    5
}

impl MailConfig {
    /// Check the sender, the one destination, and the retry timings.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid("mail.from", "not a mail address"));
        }
        match (&self.smtp_url, &self.outbox_dir) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(invalid(
                    "mail.smtp_url",
                    "set exactly one of mail.smtp_url and mail.outbox_dir",
                ));
            }
            (Some(url), None) => self.validate_smtp_url(url.expose())?,
            (None, Some(dir)) => {
                if dir.as_os_str().is_empty() {
                    return Err(invalid("mail.outbox_dir", "must not be empty"));
                }
            }
        }
        self.validate_timings()
    }

    /// smtp or smtps, naming a host, TLS unless on loopback, and understood by the client
    /// that will send with it.
    fn validate_smtp_url(&self, raw: &str) -> Result<(), ConfigError> {
        let url = Url::parse(raw).map_err(|_| invalid("mail.smtp_url", "not a URL"))?;
        let Some(loopback) = is_loopback(&url) else {
            return Err(invalid("mail.smtp_url", "must name a host"));
        };
        match url.scheme() {
            "smtps" => {}
            "smtp" => {
                let tls = url
                    .query_pairs()
                    .any(|(k, v)| k == "tls" && v == "required");
                if !tls && !loopback && !self.danger_allow_plaintext_smtp {
                    return Err(invalid(
                        "mail.smtp_url",
                        "plain smtp is only allowed on loopback: use smtps:// or ?tls=required",
                    ));
                }
            }
            _ => return Err(invalid("mail.smtp_url", "scheme must be smtp or smtps")),
        }
        if lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(raw).is_err() {
            return Err(invalid(
                "mail.smtp_url",
                "not understood by the SMTP client",
            ));
        }
        Ok(())
    }

    fn validate_timings(&self) -> Result<(), ConfigError> {
        if !(1..=3600).contains(&self.retry_base_secs) {
            return Err(invalid(
                "mail.retry_base_secs",
                "must be between 1 and 3600",
            ));
        }
        if self.retry_max_secs < self.retry_base_secs || self.retry_max_secs > 86_400 {
            return Err(invalid(
                "mail.retry_max_secs",
                "must be between mail.retry_base_secs and 86400",
            ));
        }
        if !(1..=300).contains(&self.poll_secs) {
            return Err(invalid("mail.poll_secs", "must be between 1 and 300"));
        }
        Ok(())
    }

    /// The warning for each `danger_*` switch that is on.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.danger_allow_plaintext_smtp {
            out.push(
                "mail.danger_allow_plaintext_smtp is on: mail may cross the network \
                 unencrypted, with the one-time codes and password links it carries and \
                 the SMTP password"
                    .to_owned(),
            );
        }
        out
    }
}

/// Whether the URL's host is loopback; `None` when it has no host. `smtp` is not a
/// special scheme, so an IP address comes back as an opaque domain string.
fn is_loopback(url: &Url) -> Option<bool> {
    Some(match url.host()? {
        url::Host::Domain(d) => {
            d == "localhost"
                || d.trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::super::testing::{
        MAIL, assert_section_accepted, assert_section_refused, refused, section, with_factors,
    };
    use super::*;

    fn with_smtp(url: &str, extra: &str) -> String {
        format!("from = \"gw@example.be\"\nsmtp_url = \"{url}\"\n{extra}")
    }

    #[test]
    fn smtp_tls_loopback_and_a_folder_are_accepted() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://localhost:2525",
            "smtp://[::1]:2525",
            "smtp://mail.example.be:587?tls=required",
            "smtps://user:pass@mail.example.be:465",
        ] {
            assert_section_accepted(&with_smtp(url, ""), MailConfig::validate);
        }
        let m: MailConfig = section(MAIL);
        assert_eq!(
            (m.retry_base_secs, m.retry_max_secs, m.poll_secs),
            (5, 900, 5)
        );
        assert!(m.warnings().is_empty());
        let folder = "from = \"gw@example.be\"\noutbox_dir = \"mails\"";
        assert!(Config::from_toml(&with_factors(folder, "")).is_ok());
        assert_section_accepted(
            &format!("{MAIL}\nretry_base_secs = 3600\nretry_max_secs = 86400\npoll_secs = 300"),
            MailConfig::validate,
        );
    }

    #[test]
    fn each_bad_mail_value_is_refused_with_its_key() {
        let cases = [
            (MAIL.replace("gw@example.be", "not an address"), "mail.from"),
            (
                MAIL.replace("smtp://127.0.0.1:2525", "http://x"),
                "mail.smtp_url",
            ),
            (
                MAIL.replace("127.0.0.1:2525", "mail.example.be:25"),
                "mail.smtp_url",
            ),
            (format!("{MAIL}\noutbox_dir = \"x\""), "mail.smtp_url"),
            (
                format!("{MAIL}\nretry_base_secs = 0"),
                "mail.retry_base_secs",
            ),
            (format!("{MAIL}\nretry_max_secs = 1"), "mail.retry_max_secs"),
            (format!("{MAIL}\npoll_secs = 0"), "mail.poll_secs"),
        ];
        for (mail, key) in cases {
            let msg = refused(&with_factors(&mail, ""));
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
    }

    /// Each branch is told by its reason: several would refuse these URLs with the same
    /// key if another were missing.
    #[test]
    fn each_bad_destination_is_refused_for_its_reason() {
        let key = "invalid `mail.smtp_url`: ";
        let cases = [
            ("from = \"gw@example.be\"".to_owned(), "set exactly one of"),
            (with_smtp("not a url", ""), "not a URL"),
            (with_smtp("smtp:mailhost", ""), "must name a host"),
            (
                with_smtp("http://127.0.0.1:2525", ""),
                "scheme must be smtp or smtps",
            ),
            (
                with_smtp("smtp://mail.example.be:587?tls=opportunistic", ""),
                "plain smtp is only allowed on loopback",
            ),
            (
                with_smtp("smtp://127.0.0.1:2525?tls=bogus", ""),
                "not understood by the SMTP client",
            ),
        ];
        for (text, reason) in cases {
            assert_section_refused(&text, MailConfig::validate, &format!("{key}{reason}"));
        }
        assert_section_refused(
            "from = \"gw@example.be\"\noutbox_dir = \"\"",
            MailConfig::validate,
            "mail.outbox_dir",
        );
    }

    #[test]
    fn the_upper_bounds_of_the_timings_are_checked() {
        for (extra, key) in [
            (
                "retry_base_secs = 3601\nretry_max_secs = 86400",
                "mail.retry_base_secs",
            ),
            ("retry_max_secs = 86401", "mail.retry_max_secs"),
            ("poll_secs = 301", "mail.poll_secs"),
        ] {
            assert_section_refused(&format!("{MAIL}\n{extra}"), MailConfig::validate, key);
        }
    }

    #[test]
    fn the_danger_switch_allows_plain_smtp_and_warns() {
        let plaintext_allowed = format!(
            "{}\ndanger_allow_plaintext_smtp = true",
            MAIL.replace("127.0.0.1:2525", "mail.example.be:25")
        );
        assert!(Config::from_toml(&with_factors(&plaintext_allowed, "")).is_ok());
        let m: MailConfig = section(&plaintext_allowed);
        let w = m.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("mail.danger_allow_plaintext_smtp"), "{w:?}");
        assert!(w[0].contains("unencrypted"), "{w:?}");
    }
}
