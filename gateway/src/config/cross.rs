//! The checks that span sections: what one section names must exist in another (a
//! route's `min_acr` among the levels and reachable through a provider, an operator's
//! provider, the providers that skip the device check), and what one section needs of
//! another (emailed codes and password links need `[mail]`, security keys need a public
//! URL with a domain). Each runs after every section has passed its own checks.

use super::Config;
use super::admin::{AdminConfig, OPERATOR_FORM};
use super::error::{ConfigError, invalid};
use super::routes::{Access, RequiredFactor};

/// Run every check that spans sections.
pub(super) fn validate(c: &Config) -> Result<(), ConfigError> {
    policy_routes_name_the_catalogue(c)?;
    routes_min_acr_is_ranked_and_reachable(c)?;
    routes_required_factor_is_offered(c)?;
    device_trust_has_mail(c)?;
    skip_device_check_names_providers(c)?;
    webauthn_has_a_domain(c)?;
    local_accounts_have_mail(c)?;
    operators_name_providers(c)
}

/// A policy route's application is one of `[[applications]]`, and each level its methods
/// need (its own `methods`, else the application's) is one of that application's levels:
/// a typo would otherwise refuse every request of that method with no warning.
fn policy_routes_name_the_catalogue(c: &Config) -> Result<(), ConfigError> {
    for (i, r) in c.routes.iter().enumerate() {
        if r.access != Access::Policy {
            continue;
        }
        let Some(app) = c.applications.iter().find(|a| a.id == r.application) else {
            return Err(invalid(
                format!("routes[{i}].application"),
                "not the id of one of [[applications]]",
            ));
        };
        let (methods, from) = if r.methods.is_empty() {
            (&app.methods, "the application's methods")
        } else {
            (&r.methods, "methods")
        };
        if methods.is_empty() {
            return Err(invalid(
                format!("routes[{i}].methods"),
                "a policy route maps methods to levels (here or in its application's methods)",
            ));
        }
        for (method, level) in methods {
            if !app.has_level(level) {
                return Err(invalid(
                    format!("routes[{i}].methods.{method}"),
                    format!(
                        "{from}: not one of the levels of application `{}` ({})",
                        app.id,
                        app.levels.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A route's `min_acr` is one of `session.acr_levels`, and some provider requests an
/// `acr` at or above it: otherwise nobody could ever reach the route.
fn routes_min_acr_is_ranked_and_reachable(c: &Config) -> Result<(), ConfigError> {
    for (i, r) in c.routes.iter().enumerate() {
        let Some(min) = &r.min_acr else { continue };
        let key = format!("routes[{i}].min_acr");
        let Some(rank) = c.acr_rank(min) else {
            return Err(invalid(key, "not among session.acr_levels"));
        };
        let reachable = c.providers.iter().any(|p| {
            p.acr_values
                .iter()
                .any(|a| c.acr_rank(a).is_some_and(|r| r >= rank))
        });
        if !reachable {
            return Err(invalid(
                key,
                "no provider requests an acr at or above it (providers[].acr_values)",
            ));
        }
    }
    Ok(())
}

/// A route's `require_factor` is one `[factors]` offers.
fn routes_required_factor_is_offered(c: &Config) -> Result<(), ConfigError> {
    for (i, r) in c.routes.iter().enumerate() {
        let Some(need) = r.require_factor else {
            continue;
        };
        let key = format!("routes[{i}].require_factor");
        let Some(f) = &c.factors else {
            return Err(invalid(key, "needs a [factors] section"));
        };
        if need == RequiredFactor::Webauthn && !f.webauthn {
            return Err(invalid(key, "needs factors.webauthn = true"));
        }
    }
    Ok(())
}

/// Device trust mails a code to a new device.
fn device_trust_has_mail(c: &Config) -> Result<(), ConfigError> {
    if c.factors.as_ref().is_some_and(|f| f.device_trust) && c.mail.is_none() {
        return Err(invalid(
            "mail",
            "a [mail] section is required when factors.device_trust is on",
        ));
    }
    Ok(())
}

fn skip_device_check_names_providers(c: &Config) -> Result<(), ConfigError> {
    let Some(f) = &c.factors else { return Ok(()) };
    for (i, id) in f.registered_factor_every_login.iter().enumerate() {
        if id != "local" && !c.providers.iter().any(|p| &p.id == id) {
            return Err(invalid(
                format!("factors.registered_factor_every_login[{i}]"),
                format!("{id:?} is neither a provider id nor \"local\""),
            ));
        }
    }
    for id in f.skip_device_check.keys() {
        if !c.providers.iter().any(|p| &p.id == id) {
            return Err(invalid(
                format!("factors.skip_device_check.{id}"),
                "no provider has this id",
            ));
        }
    }
    Ok(())
}

/// The WebAuthn relying party id is the public URL's host, and an IP address cannot be one.
fn webauthn_has_a_domain(c: &Config) -> Result<(), ConfigError> {
    let on = c.factors.as_ref().is_some_and(|f| f.webauthn);
    if on && c.server.public_url.domain().is_none() {
        return Err(invalid(
            "factors.webauthn",
            "server.public_url must name a domain (e.g. localhost), not an IP address",
        ));
    }
    Ok(())
}

/// Local accounts reset their passwords through mailed links.
fn local_accounts_have_mail(c: &Config) -> Result<(), ConfigError> {
    if c.local.is_some() && c.mail.is_none() {
        return Err(invalid(
            "mail",
            "a [mail] section is required by [local] (reset links)",
        ));
    }
    Ok(())
}

fn operators_name_providers(c: &Config) -> Result<(), ConfigError> {
    for (i, op) in c.admin.operators.iter().enumerate() {
        let known = AdminConfig::split(op)
            .is_some_and(|(provider, _)| c.providers.iter().any(|p| p.id == provider));
        if !known {
            return Err(invalid(format!("admin.operators[{i}]"), OPERATOR_FORM));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{MAIL, assert_refused, base, refused, with_factors};
    use super::super::{Config, RequiredFactor};

    #[test]
    fn webauthn_and_step_up_keys_are_checked() {
        let on_localhost = |factors: &str, route: &str| {
            with_factors(MAIL, factors)
                .replace("http://127.0.0.1:8080", "http://localhost:8080")
                .replace(
                    "access = \"policy\"",
                    &format!("access = \"policy\"\n{route}"),
                )
        };
        let ok = Config::from_toml(&on_localhost(
            "webauthn = true",
            "require_factor = \"webauthn\"",
        ))
        .expect("valid");
        assert_eq!(ok.routes[0].require_factor, Some(RequiredFactor::Webauthn));
        assert!(ok.factors.is_some_and(|f| f.webauthn));
        let cases = [
            (with_factors(MAIL, "webauthn = true"), "factors.webauthn"),
            (
                on_localhost("webauthn_rp_name = \"\"", ""),
                "factors.webauthn_rp_name",
            ),
            (
                on_localhost("", "require_factor = \"webauthn\""),
                "routes[0].require_factor",
            ),
            (
                base().replace(
                    "access = \"policy\"",
                    "access = \"policy\"\nrequire_factor = \"totp\"",
                ),
                "routes[0].require_factor",
            ),
            (
                on_localhost("", "require_factor = \"sometimes\""),
                "require_factor",
            ),
        ];
        for (text, key) in cases {
            let msg = refused(&text);
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
        for need in ["totp", "any"] {
            let text = on_localhost("", &format!("require_factor = \"{need}\""));
            assert!(Config::from_toml(&text).is_ok(), "{need} needs no key");
        }
    }

    #[test]
    fn min_acr_is_checked_against_the_levels_and_providers() {
        let with = |levels: &str, acr_values: &str, route: &str| {
            base()
                .replace(
                    "[database]",
                    &format!("[session]\nacr_levels = {levels}\n[database]"),
                )
                .replace(
                    "client_secret = \"s\"",
                    &format!("client_secret = \"s\"\nacr_values = {acr_values}"),
                )
                .replace(
                    "access = \"policy\"",
                    &format!("access = \"policy\"\n{route}"),
                )
        };
        let levels = "[\"low\", \"substantial\", \"high\"]";
        let ok = Config::from_toml(&with(
            levels,
            "[\"substantial\", \"high\"]",
            "min_acr = \"high\"",
        ))
        .expect("valid");
        assert_eq!(ok.acr_rank("high"), Some(2));
        assert_eq!(ok.acr_rank("other"), None);
        for (text, why) in [
            (
                with(levels, "[\"high\"]", "min_acr = \"highest\""),
                "not a level",
            ),
            (
                with(levels, "[\"substantial\"]", "min_acr = \"high\""),
                "unreachable",
            ),
            (with("[]", "[\"high\"]", "min_acr = \"high\""), "no levels"),
        ] {
            let msg = refused(&text);
            assert!(msg.contains("routes[0].min_acr"), "{why}: {msg}");
        }
        // A provider asking for a stronger level than the route needs reaches it.
        let stronger = with(levels, "[\"high\"]", "min_acr = \"low\"");
        assert!(Config::from_toml(&stronger).is_ok());
    }

    #[test]
    fn factors_and_local_accounts_need_mail() {
        let without_mail = format!("{}\n[factors]\n", base());
        assert!(refused(&without_mail).contains("mail"));
        let no_device_trust = format!("{}\n[factors]\ndevice_trust = false\n", base());
        assert!(Config::from_toml(&no_device_trust).is_ok());
        assert!(refused(&format!("{}\n[local]\n", base())).contains("mail"));
    }

    #[test]
    fn every_login_names_a_provider_or_local() {
        assert_refused(
            &with_factors(
                MAIL,
                "registered_factor_every_login = [\"local\", \"nope\"]",
            ),
            "factors.registered_factor_every_login[1]",
        );
        let known = with_factors(MAIL, "registered_factor_every_login = [\"local\", \"eid\"]");
        assert!(Config::from_toml(&known).is_ok());
    }

    #[test]
    fn skip_device_check_names_a_configured_provider() {
        assert_refused(
            &with_factors(MAIL, "skip_device_check = { nope = [\"x\"] }"),
            "factors.skip_device_check.nope",
        );
        let known = with_factors(MAIL, "skip_device_check = { eid = [\"x\"] }");
        assert!(Config::from_toml(&known).is_ok());
    }

    #[test]
    fn operators_name_a_configured_provider() {
        let with = |op: &str| format!("{}\n[admin]\noperators = [\"{op}\"]\n", base());
        assert!(Config::from_toml(&with("eid:someone")).is_ok());
        assert_refused(&with("nope:someone"), "admin.operators[0]");
    }
}
