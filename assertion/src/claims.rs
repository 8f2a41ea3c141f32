//! The claims carried by an assertion.

use serde::{Deserialize, Serialize};

/// The structure (organisation) the caller acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveStructure {
    /// The gateway's id of the structure.
    pub id: String,
    /// Enterprise number (BCE/KBO) or SIREN/SIRET, as registered.
    pub enterprise_number: String,
    /// The common name (nom commun) shown wherever the structure is shown.
    pub name: String,
}

/// What the gateway asserts about the caller of one forwarded request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The gateway's issuer URL.
    pub iss: String,
    /// The backend's application name (one audience only).
    pub aud: String,
    /// The person's stable id at the gateway (never a national register number).
    pub sub: String,
    /// Display name.
    pub name: String,
    /// Session id (a public handle, not the cookie secret).
    pub sid: String,
    /// Authentication context class reached at login.
    pub acr: String,
    /// Authentication methods used (`pwd`, `otp`, `hwk`, `fed`, ...).
    pub amr: Vec<String>,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Token id, unique per assertion.
    pub jti: String,
    /// Active structure, when the person acts for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<ActiveStructure>,
    /// Services (codes) of the active structure the caller acts in; empty means the
    /// whole structure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Access levels held, in the active structure, for the audience's application.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<String>,
}
