//! Identifiers with check digits: national register numbers and their keyed hashes,
//! Belgian enterprise numbers (mod-97), French SIREN and SIRET (Luhn).
//!
//! A national register number is never stored or logged in clear: it is kept as a keyed
//! hash (for lookup) and a masked form (for display). Parse errors never echo the input.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why an identifier was refused. Never contains the input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Wrong number of digits, or characters other than digits and separators.
    #[error("expected {expected} digits")]
    Length {
        /// Digits the identifier must have.
        expected: &'static str,
    },
    /// The check digits do not match.
    #[error("check digits do not match")]
    Checksum,
    /// Nine digits that are valid both as a Belgian legacy enterprise number and as a
    /// French SIREN: the country prefix (`BE` or `FR`) must say which.
    #[error("ambiguous organisation number: prefix it with BE or FR")]
    Ambiguous,
}

/// A Belgian national register number (11 digits, mod-97 check). `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct NationalNumber(String);

impl std::fmt::Debug for NationalNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NationalNumber([redacted])")
    }
}

impl NationalNumber {
    /// Parse `85.07.30-033.28`, `85073003328` or with spaces; check the mod-97 digits,
    /// for people born before and from 2000.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let digits = digits_only(input, 11, "11")?;
        let body: u64 = digits[..9].parse().map_err(|_| IdError::Checksum)?;
        let check: u64 = digits[9..].parse().map_err(|_| IdError::Checksum)?;
        let before_2000 = 97 - body % 97;
        let from_2000 = 97 - (2_000_000_000 + body) % 97;
        if check == before_2000 || check == from_2000 {
            Ok(Self(digits))
        } else {
            Err(IdError::Checksum)
        }
    }

    /// The digits, for the rare place that must show or compare them in full.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Masked for display: only the check digits show (`**.**.**-***.28`).
    pub fn masked(&self) -> String {
        format!("**.**.**-***.{}", &self.0[9..])
    }

    /// Keyed hash for lookup; the key is the deployment's secret.
    pub fn keyed_hash(&self, key: &[u8]) -> NrnHash {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable_hmac());
        mac.update(b"nrn:");
        mac.update(self.0.as_bytes());
        NrnHash(hex_lower(&mac.finalize().into_bytes()))
    }
}

fn unreachable_hmac() -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this branch cannot be taken.
    <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable_hmac())
}

/// The keyed hash of a national register number: what is stored and looked up.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct NrnHash(pub String);

impl NrnHash {
    /// The hex text, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Keep digits, drop the separators people type (space, dot, dash, slash); refuse
/// anything else or a wrong count.
pub(crate) fn digits_only(
    input: &str,
    len: usize,
    expected: &'static str,
) -> Result<String, IdError> {
    let mut out = String::with_capacity(len);
    for c in input.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '.' | '-' | '/' => {}
            _ => return Err(IdError::Length { expected }),
        }
        if out.len() > len {
            return Err(IdError::Length { expected });
        }
    }
    if out.len() == len {
        Ok(out)
    } else {
        Err(IdError::Length { expected })
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

mod org;
pub use org::{EnterpriseNumber, OrgNumber, OrgNumberKind, Siren, Siret};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_before_and_after_2000() {
        // 85073003328: 850730033 mod 97 = 69, 97 - 69 = 28.
        assert!(NationalNumber::parse("85.07.30-033.28").is_ok());
        // Born in 2001: 2 prefixed before the mod-97.
        let body = 10_203_040_u64; // 01.02.03-040
        let check = 97 - (2_000_000_000 + body) % 97;
        let text = format!("{body:09}{check:02}");
        assert!(NationalNumber::parse(&text).is_ok());
    }

    #[test]
    fn refuses_bad_checksum_length_and_letters() {
        assert_eq!(NationalNumber::parse("85073003327"), Err(IdError::Checksum));
        assert!(matches!(
            NationalNumber::parse("8507300332"),
            Err(IdError::Length { .. })
        ));
        assert!(NationalNumber::parse("85O73003328").is_err());
        assert!(NationalNumber::parse("").is_err());
    }

    #[test]
    fn debug_and_mask_hide_the_number() {
        let n = NationalNumber::parse("85073003328").expect("valid");
        assert!(!format!("{n:?}").contains("850730"));
        assert_eq!(n.masked(), "**.**.**-***.28");
    }

    #[test]
    fn keyed_hash_depends_on_key() {
        let n = NationalNumber::parse("85073003328").expect("valid");
        assert_ne!(n.keyed_hash(b"a"), n.keyed_hash(b"b"));
        assert_eq!(n.keyed_hash(b"a"), n.keyed_hash(b"a"));
    }
}
