//! WebAuthn pieces shared by the login ceremony ([`super::webauthn`]) and the key pages
//! of the account area: the relying party built from the configuration, the user handle
//! given to authenticators, and the stored keys read back. Nothing here handles a request.

use std::sync::Arc;

use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{Passkey, Uuid};

use super::webauthn_store::KeyRow;
use crate::crypto::Keys;
use crate::error::HttpError;

/// How long a ceremony (registration or authentication) may take (ms).
pub const CEREMONY_MS: i64 = 5 * 60 * 1000;
/// Keys per person at most.
pub const MAX_KEYS: usize = 10;

/// The relying party, or 404 when security keys are off (their addresses do not exist).
pub fn enabled(rp: Option<&Arc<Webauthn>>) -> Result<&Arc<Webauthn>, HttpError> {
    rp.ok_or_else(|| HttpError::new(StatusCode::NOT_FOUND, "not_found", "Not found."))
}

/// The user handle given to authenticators: derived from the person's id under a key of
/// the master secret, so that it says nothing about the id.
pub fn user_handle(keys: &Keys, user_id: &str) -> Uuid {
    let tag = keys.csrf_tag(&format!("webauthn-user:{user_id}"));
    let digest = Sha256::digest(tag.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

/// A key's credential id as stored (base64url).
pub fn credential_id_text(key: &Passkey) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.cred_id().as_slice())
}

/// The stored keys, as `webauthn-rs` wants them.
pub fn parse(rows: &[KeyRow]) -> Result<Vec<Passkey>, HttpError> {
    rows.iter()
        .map(|r| serde_json::from_str(&r.credential).map_err(HttpError::internal))
        .collect()
}
