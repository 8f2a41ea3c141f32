//! An independent TOTP implementation to cross-check the gateway's codes: Python's
//! `pyotp`, run through `python3 -c`.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// The script: `argv` = mode, secret or URI, time, digits.
const SCRIPT: &str = r#"
import sys, time, pyotp
mode, value, at, digits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
totp = pyotp.parse_uri(value) if mode == "uri" else pyotp.TOTP(value, digits=digits)
print(totp.at(int(at)) if at else totp.now())
"#;

fn pyotp(mode: &str, value: &str, at: Option<u64>, digits: u32) -> Result<String> {
    let output = Command::new(crate::python())
        .args(["-c", SCRIPT, mode, value])
        .arg(at.map(|t| t.to_string()).unwrap_or_default())
        .arg(digits.to_string())
        .output()
        .context("running python3 with pyotp")?;
    if !output.status.success() {
        // The secret is never echoed: only pyotp's error.
        bail!(
            "pyotp failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The current 6-digit, 30-second, SHA-1 code for a base32 secret (what authenticator
/// apps show). pyotp refuses secrets under 112 bits: use 160-bit (32-character) secrets.
pub fn totp_now(secret_base32: &str) -> Result<String> {
    pyotp("secret", secret_base32, None, 6)
}

/// The `digits`-digit, 30-second, SHA-1 code for a base32 secret at `unix_time`.
pub fn totp_at(secret_base32: &str, unix_time: u64, digits: u32) -> Result<String> {
    pyotp("secret", secret_base32, Some(unix_time), digits)
}

/// The current code for an `otpauth://totp/...` URI as an app would read it from the QR
/// code (its own algorithm, digits and period).
pub fn totp_now_from_uri(otpauth_uri: &str) -> Result<String> {
    pyotp("uri", otpauth_uri, None, 6)
}

/// The code for an `otpauth://` URI at `unix_time`.
pub fn totp_at_from_uri(otpauth_uri: &str, unix_time: u64) -> Result<String> {
    pyotp("uri", otpauth_uri, Some(unix_time), 6)
}
