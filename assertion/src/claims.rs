//! The claims carried by an assertion.
//!
//! A person acts either for an organisation (the active structure, with the rights held
//! there) or as themselves, as a private client (a titres-services user, a local
//! employment agency user): [`Acting`]. With [`Acting::Myself`] the assertion carries no
//! structure and no services, and its rights are the access levels the gateway grants a
//! person acting as themselves on that route. A backend never takes a structure from an
//! assertion that says `self`: [`Claims::organisation`] answers `None` for it, whatever
//! the token holds, so organisation actions are refused.

use serde::{Deserialize, Serialize};

/// For whom the caller acts. Serialised as `"organisation"` or `"self"`; absent in
/// assertions issued before the field existed, which therefore read as `Organisation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Acting {
    /// For the active structure, with the rights held there.
    #[default]
    #[serde(rename = "organisation")]
    Organisation,
    /// As themselves (a private client): no structure, no services.
    #[serde(rename = "self")]
    Myself,
}

impl Acting {
    /// The serialised name: `organisation` or `self`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Myself => "self",
        }
    }
}

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
    /// For whom the person acts: an organisation (the default, also for assertions
    /// without this claim) or themselves.
    #[serde(default)]
    pub acting: Acting,
    /// Active structure, when the person acts for one. Always absent with
    /// [`Acting::Myself`]; read it through [`Claims::organisation`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<ActiveStructure>,
    /// Services (codes) of the active structure the caller acts in; empty means the
    /// whole structure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Access levels for the audience's application: held in the active structure, or,
    /// acting as oneself, granted by the gateway to a person acting as themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<String>,
    /// What a backend needs to draw the portal's shell (the same header as the gateway's
    /// pages) without asking the gateway anything; absent in older assertions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<ShellClaims>,
}

/// The portal shell's data, kept compact: lists are `[id, name, third]` triples.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShellClaims {
    /// The person's language for pages (`fr`, `nl`, `en`).
    #[serde(default)]
    pub lang: String,
    /// Every organisation the person may act for: `[id, name, enterprise number]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orgs: Vec<[String; 3]>,
    /// The applications the person may use in the active organisation: `[id, name, url]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<[String; 3]>,
    /// The gateway session's CSRF token, for the shell's forms (switch, language, log
    /// out), which post to the gateway on the same origin.
    #[serde(default)]
    pub csrf: String,
    /// The idle timeout in seconds (the session ends after this long without activity).
    #[serde(default)]
    pub idle_secs: i64,
    /// The session's absolute end (seconds since the epoch).
    #[serde(default)]
    pub ends_at: i64,
    /// The person's display preferences; absent from gateways that predate them (and
    /// ignored by backends that do), so both keep working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefs: Option<DisplayPrefs>,
}

/// A person's display preferences, for the shell's classes on `<html>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayPrefs {
    /// Larger text.
    #[serde(default)]
    pub large_text: bool,
    /// Reduced motion.
    #[serde(default)]
    pub reduced_motion: bool,
    /// High contrast.
    #[serde(default)]
    pub high_contrast: bool,
}

impl Claims {
    /// The person acts as themselves (a private client).
    pub fn acts_as_self(&self) -> bool {
        self.acting == Acting::Myself
    }

    /// The structure the person acts for: `None` when they act as themselves, even if the
    /// token also names a structure (such a token is inconsistent and gets no
    /// organisation's powers), and `None` when they chose no structure.
    pub fn organisation(&self) -> Option<&ActiveStructure> {
        match self.acting {
            Acting::Organisation => self.structure.as_ref(),
            Acting::Myself => None,
        }
    }

    /// The claims agree with [`Acting`]: acting as oneself, neither a structure nor
    /// services. The gateway signs only consistent claims.
    pub fn is_consistent(&self) -> bool {
        match self.acting {
            Acting::Organisation => true,
            Acting::Myself => self.structure.is_none() && self.services.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: serde_json::Value) -> Claims {
        serde_json::from_value(json).expect("claims")
    }

    fn base() -> serde_json::Value {
        serde_json::json!({
            "iss": "http://gw", "aud": "prestations", "sub": "u1", "name": "Ann",
            "sid": "s", "acr": "a", "amr": [], "iat": 0, "exp": 60, "jti": "j"
        })
    }

    fn structure() -> serde_json::Value {
        serde_json::json!({ "id": "s1", "enterprise_number": "0403449625", "name": "Clean" })
    }

    #[test]
    fn older_assertions_without_the_claim_act_for_an_organisation() {
        let mut old = base();
        old["structure"] = structure();
        let c = claims(old);
        assert_eq!(c.acting, Acting::Organisation);
        assert_eq!(c.organisation().map(|s| s.id.as_str()), Some("s1"));
        assert!(c.is_consistent());
    }

    #[test]
    fn acting_is_serialised_as_organisation_or_self() {
        let mut json = base();
        json["acting"] = serde_json::json!("self");
        let c = claims(json);
        assert!(c.acts_as_self());
        let out = serde_json::to_value(&c).expect("json");
        assert_eq!(out["acting"], "self");
        assert!(out.get("structure").is_none());
        let org = Claims {
            acting: Acting::Organisation,
            ..c
        };
        assert_eq!(
            serde_json::to_value(&org).expect("json")["acting"],
            "organisation"
        );
        let mut bad = base();
        bad["acting"] = serde_json::json!("myself");
        assert!(serde_json::from_value::<Claims>(bad).is_err());
    }

    #[test]
    fn a_structure_beside_self_is_never_trusted() {
        let mut json = base();
        json["acting"] = serde_json::json!("self");
        json["structure"] = structure();
        json["services"] = serde_json::json!(["B1"]);
        let c = claims(json);
        assert!(c.organisation().is_none(), "no organisation's powers");
        assert!(!c.is_consistent());
    }
}
