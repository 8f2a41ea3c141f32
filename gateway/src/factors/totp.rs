//! TOTP (RFC 6238) as authenticator apps do it: SHA-1, 6 digits, 30-second steps,
//! 160-bit secrets. One step of clock skew is tolerated either way; the step a code
//! matched is returned so that the caller refuses it (and every earlier step) next time.

use totp_rs::{Algorithm, TOTP};
use zeroize::Zeroizing;

use crate::crypto::ct_eq;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds per step.
pub const STEP_SECS: u64 = 30;

/// A fresh 160-bit secret.
pub fn new_secret() -> Zeroizing<Vec<u8>> {
    use rand::RngCore;
    let mut s = Zeroizing::new(vec![0u8; 20]);
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

/// Seal context of a person's TOTP secret.
pub fn seal_context(user_id: &str) -> String {
    format!("totp secret v1:{user_id}")
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Option<TOTP> {
    // `:` separates issuer and account in the URI: never let one through.
    let account: String = account.replace(':', " ").chars().take(64).collect();
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        1,
        STEP_SECS,
        secret.to_vec(),
        Some(issuer.replace(':', " ")),
        account,
    )
    .ok()
}

/// What an enrollment page shows: the `otpauth://` URI, the secret in base32 for typing
/// by hand, and a PNG QR code (base64).
pub struct Enrollment {
    /// `otpauth://totp/...`
    pub uri: Zeroizing<String>,
    /// The secret, base32 without padding.
    pub base32: Zeroizing<String>,
    /// QR code of the URI, PNG, base64.
    pub qr_png_base64: Option<String>,
}

/// The enrollment material of a secret.
pub fn enrollment(secret: &[u8], issuer: &str, account: &str) -> Option<Enrollment> {
    let t = totp(secret, issuer, account)?;
    Some(Enrollment {
        uri: Zeroizing::new(t.get_url()),
        base32: Zeroizing::new(t.get_secret_base32()),
        qr_png_base64: t.get_qr_base64().ok(),
    })
}

/// The time step (`unix / 30`) whose code is `code`, among the steps around `now_secs`.
pub fn matching_step(secret: &[u8], code: &str, now_secs: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "x", "x")?;
    let now = now_secs / STEP_SECS;
    let mut found = None;
    // Compare against every candidate (no early exit) so the time does not tell which
    // step matched.
    for step in [now.saturating_sub(1), now, now + 1] {
        if ct_eq(t.generate(step * STEP_SECS).as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits there; the last
    // 6 digits are the 6-digit code.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_rfc_6238_vectors() {
        for (time, code8) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
        ] {
            let code = &code8[2..];
            assert_eq!(
                matching_step(RFC_SECRET, code, time),
                Some(time / 30),
                "{time}"
            );
        }
    }

    #[test]
    fn tolerates_one_step_of_skew_and_no_more() {
        let t = totp(RFC_SECRET, "x", "x").expect("totp");
        let now = 1_700_000_000u64;
        let step = now / 30;
        for (offset, ok) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let s = step.checked_add_signed(offset).expect("step");
            let code = t.generate(s * 30);
            let m = matching_step(RFC_SECRET, &code, now);
            // A code of a far step may collide with a near one (1 in a million): only
            // assert what is certain.
            if ok {
                assert_eq!(m, Some(s), "offset {offset}");
            } else {
                assert_ne!(m, Some(s), "offset {offset}");
            }
        }
        assert_eq!(matching_step(RFC_SECRET, "12345", now), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now), None);
    }

    #[test]
    fn enrollment_uri_is_what_apps_read() {
        let secret = new_secret();
        let e = enrollment(&secret, "Gateway", "alice@example.be").expect("enrollment");
        assert!(
            e.uri
                .starts_with("otpauth://totp/Gateway:alice%40example.be?"),
            "{}",
            e.uri.as_str()
        );
        assert!(e.uri.contains(&format!("secret={}", e.base32.as_str())));
        assert!(e.uri.contains("issuer=Gateway"));
        assert_eq!(e.base32.len(), 32);
        assert!(e.qr_png_base64.is_some());
        assert!(
            enrollment(&secret, "Gate:way", "a:b").is_some(),
            "colons are replaced"
        );
    }
}
