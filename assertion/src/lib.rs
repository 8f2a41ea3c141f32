//! The identity assertion: a short-lived EdDSA-signed JWT that the gateway adds to every
//! request it forwards, and that backends verify offline against the gateway's JWKS.
//!
//! This crate is the whole contract between the gateway and its backends: the claims, the
//! header name, the signing key ring (gateway side) and the verifier (backend side).
//!
//! A caller acts for an organisation (the active structure and the rights held there) or
//! as themselves, a private client ([`Acting`]); backends read the structure only through
//! [`Claims::organisation`], which never yields one for a person acting as themselves.

mod claims;
mod keys;
mod verify;

pub use claims::{Acting, ActiveStructure, Claims, DisplayPrefs, ShellClaims};
pub use keys::{KeyMaterial, KeyRing, SignError};
pub use verify::{Verifier, VerifierConfig, VerifyError};

/// Every header whose name starts with this prefix belongs to the gateway: the gateway
/// removes all of them from client requests before doing anything else.
pub const HEADER_PREFIX: &str = "x-gateway-";

/// The header that carries the assertion to backends.
pub const HEADER: &str = "x-gateway-assertion";

/// The only signature algorithm the gateway issues and backends accept.
pub const ALGORITHM: &str = "EdDSA";

/// Path on the gateway where the public keys are published.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// Clock skew a backend accepts by default on `exp` and `iat`, in seconds. An assertion
/// replayed straight to a backend works for its lifetime plus this, so it stays small.
pub const DEFAULT_LEEWAY_SECS: u64 = 5;

/// The largest accepted clock skew ([`VerifierConfig::leeway_secs`] is capped at it).
pub const MAX_LEEWAY_SECS: u64 = 30;
