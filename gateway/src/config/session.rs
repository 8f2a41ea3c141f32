//! `[session]`: how long a session and a login may last, and the order of the login
//! levels (`acr`) that routes' `min_acr` is compared in.

use serde::Deserialize;

use super::error::{ConfigError, invalid};

/// `[session]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// Seconds without activity after which a session ends.
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: u64,
    /// Seconds after login after which a session ends whatever the activity.
    #[serde(default = "default_absolute")]
    pub absolute_lifetime_secs: u64,
    /// Seconds a login may take between leaving for the provider and coming back.
    #[serde(default = "default_login_flow")]
    pub login_timeout_secs: u64,
    /// The `acr` values providers may return, weakest first, e.g.
    /// `["eidas-low", "eidas-substantial", "eidas-high"]`: the order routes' `min_acr`
    /// is compared in. An `acr` not listed ranks below all.
    #[serde(default)]
    pub acr_levels: Vec<String>,
}

fn default_idle() -> u64 {
    600
}
fn default_absolute() -> u64 {
    12 * 3600
}
fn default_login_flow() -> u64 {
    600
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout_secs: default_idle(),
            absolute_lifetime_secs: default_absolute(),
            login_timeout_secs: default_login_flow(),
            acr_levels: Vec::new(),
        }
    }
}

impl SessionConfig {
    /// Check the lifetimes: a session idles out before its absolute end, a login has at
    /// least half a minute at the provider.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.idle_timeout_secs == 0 {
            return Err(invalid("session.idle_timeout_secs", "must be at least 1"));
        }
        if self.absolute_lifetime_secs < self.idle_timeout_secs {
            return Err(invalid(
                "session.absolute_lifetime_secs",
                "must be at least session.idle_timeout_secs",
            ));
        }
        if self.login_timeout_secs < 30 {
            return Err(invalid("session.login_timeout_secs", "must be at least 30"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        assert_section_accepted, assert_section_refused, base, refused, section,
    };
    use super::*;

    #[test]
    fn the_defaults_and_the_bounds_are_accepted() {
        let s: SessionConfig = section("");
        assert_eq!(
            (
                s.idle_timeout_secs,
                s.absolute_lifetime_secs,
                s.login_timeout_secs
            ),
            (600, 43_200, 600)
        );
        assert!(s.validate().is_ok());
        assert_section_accepted(
            "idle_timeout_secs = 1\nabsolute_lifetime_secs = 1\nlogin_timeout_secs = 30",
            SessionConfig::validate,
        );
    }

    #[test]
    fn idle_longer_than_absolute_is_refused() {
        let text = format!(
            "{}\n[session]\nidle_timeout_secs = 100\nabsolute_lifetime_secs = 10\n",
            base()
        );
        assert!(refused(&text).contains("session.absolute_lifetime_secs"));
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        for (text, key) in [
            ("idle_timeout_secs = 0", "session.idle_timeout_secs"),
            (
                "idle_timeout_secs = 100\nabsolute_lifetime_secs = 99",
                "session.absolute_lifetime_secs",
            ),
            ("login_timeout_secs = 29", "session.login_timeout_secs"),
        ] {
            assert_section_refused(text, SessionConfig::validate, key);
        }
    }
}
