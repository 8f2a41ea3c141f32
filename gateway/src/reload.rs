//! The rights catalogue and the routes reloaded from the configuration file without a
//! restart: on `SIGHUP` ([`reload_on_hangup`]), from the operators' console page
//! (`/admin/catalogue`) and from the API (`POST /admin/api/catalogue/reload`), all
//! through [`reload`].
//!
//! The file the gateway was started with is read again and checked by the same
//! [`Config::load`] as `check-config` and start. A wrong file changes nothing: the
//! error names the key, the configuration in force keeps serving. A valid one has its
//! `[[applications]]` written into the access model by the start's own code
//! ([`crate::state::load_catalogue`]: new levels added, labels updated, removed levels
//! retired with their grants kept), then its routes and catalogue swapped in whole for
//! every later request ([`crate::live`]). The catalogue is written into the database
//! even when the file is unchanged: the nodes of a cluster share it, and another node
//! may have written a different one; what that changed is in the answer. The other parts of the file (listen address,
//! database, secret, providers, sessions...) apply only at a restart: a change there is
//! reported as such and not applied. Every attempt, whatever its outcome, is an audit
//! line (`catalogue.reload`) with who asked and what changed.

use admin::dto::{CatalogueReloadDto, ReloadOutcome, RetiredLevelDto, SharedCatalogueDto};
use serde_json::json;

use crate::config::{ApplicationConfig, Config};
use crate::live::Live;
use crate::state::AppState;

/// Who asked for a reload.
#[derive(Debug, Clone)]
pub enum Trigger {
    /// `SIGHUP` on the process: the host's operator (no person).
    Signal,
    /// A platform operator, through `via` (`admin_api`, `console`).
    Operator {
        /// Their user id.
        user_id: String,
        /// Their address.
        ip: Option<String>,
        /// Which door they used.
        via: &'static str,
    },
}

impl Trigger {
    fn via(&self) -> &'static str {
        match self {
            Trigger::Signal => "signal",
            Trigger::Operator { via, .. } => via,
        }
    }
}

/// Reload the catalogue and the routes from the configuration file (see the module
/// comment); one reload at a time. The answer says what changed, or why nothing did.
pub async fn reload(app: &AppState, by: &Trigger) -> CatalogueReloadDto {
    let _one_at_a_time = app.reloading.lock().await;
    let report = attempt(app).await;
    match report.outcome {
        ReloadOutcome::Refused => tracing::warn!(
            via = by.via(),
            reason = report.message.as_deref().unwrap_or_default(),
            "configuration reload refused: the configuration in force keeps serving"
        ),
        outcome => tracing::info!(
            via = by.via(),
            ?outcome,
            routes_added = ?report.routes_added,
            routes_removed = ?report.routes_removed,
            levels_added = ?report.levels_added,
            levels_removed = ?report.levels_removed,
            shared_catalogue = ?report.shared_catalogue,
            "configuration reloaded"
        ),
    }
    if !report.needs_restart.is_empty() {
        tracing::warn!(
            keys = ?report.needs_restart,
            "the configuration file changed in parts that need a restart: not applied"
        );
    }
    let (actor, ip) = match by {
        Trigger::Signal => (None, None),
        Trigger::Operator { user_id, ip, .. } => (Some(user_id.as_str()), ip.as_deref()),
    };
    app.audit(
        actor,
        policy::audit::actions::CATALOGUE_RELOAD,
        "configuration",
        None,
        ip,
        json!({ "via": by.via(), "report": report }),
    )
    .await;
    report
}

fn refused(message: String) -> CatalogueReloadDto {
    CatalogueReloadDto {
        outcome: ReloadOutcome::Refused,
        message: Some(message),
        ..CatalogueReloadDto::default()
    }
}

async fn attempt(app: &AppState) -> CatalogueReloadDto {
    let Some(file) = app.config.file.as_ref() else {
        return refused(
            "the gateway was started without a configuration file: nothing to reload".to_owned(),
        );
    };
    let newer = match Config::load(file.path()) {
        Ok(c) => c,
        Err(e) => return refused(e.to_string()),
    };
    let next = Live::new(&newer);
    let mut report = changes(&app.live(), &next);
    report.needs_restart = newer
        .file
        .as_ref()
        .map(|f| file.needs_restart(f))
        .unwrap_or_default();
    // The shared catalogue is written even when this node's is unchanged: another node
    // (started or reloaded with another file) may have written a different one.
    let sync = match crate::state::load_catalogue(&next.applications, &app.policy).await {
        Ok(sync) => sync,
        Err(e) => {
            tracing::error!(error = %e, "the access model could not take the reloaded catalogue");
            return refused(
                "the access model could not be updated (see the gateway's log): nothing changed"
                    .to_owned(),
            );
        }
    };
    report.shared_catalogue = SharedCatalogueDto {
        added: sync.added,
        relabelled: sync.relabelled,
        restored: sync.restored,
        retired: sync.newly_retired,
    };
    report.retired_with_grants = sync
        .retired
        .into_iter()
        .filter(|r| r.grants_kept > 0)
        .map(|r| RetiredLevelDto {
            application: r.application,
            level: r.level,
            grants_kept: r.grants_kept,
        })
        .collect();
    if changed(&report) {
        let session_idle = i64::try_from(app.config.session.idle_timeout_secs.saturating_mul(1000))
            .unwrap_or(i64::MAX);
        app.sessions
            .set_longest_idle(next.longest_idle_ms(session_idle));
        app.swap_live(next);
    }
    if changed(&report) || report.shared_catalogue.changed() {
        report.outcome = ReloadOutcome::Applied;
    }
    report
}

/// Whether a report lists any change to the catalogue or the routes.
fn changed(r: &CatalogueReloadDto) -> bool {
    [
        &r.applications_added,
        &r.applications_removed,
        &r.applications_changed,
        &r.levels_added,
        &r.levels_removed,
        &r.routes_added,
        &r.routes_removed,
        &r.routes_changed,
    ]
    .iter()
    .any(|list| !list.is_empty())
}

/// What differs between the catalogue and routes in force and the file's (outcome
/// `unchanged` until applied).
fn changes(current: &Live, next: &Live) -> CatalogueReloadDto {
    let mut r = CatalogueReloadDto::default();
    let levels = |a: &ApplicationConfig| -> Vec<String> {
        a.levels.iter().map(|l| format!("{}/{l}", a.id)).collect()
    };
    for a in &next.applications {
        match current.application(&a.id) {
            None => {
                r.applications_added.push(a.id.clone());
                r.levels_added.extend(levels(a));
            }
            Some(old) => {
                let (old_levels, new_levels) = (levels(old), levels(a));
                r.levels_added.extend(
                    new_levels
                        .iter()
                        .filter(|l| !old_levels.contains(l))
                        .cloned(),
                );
                r.levels_removed.extend(
                    old_levels
                        .iter()
                        .filter(|l| !new_levels.contains(l))
                        .cloned(),
                );
                if old.name != a.name || old.labels != a.labels || old.methods != a.methods {
                    r.applications_changed.push(a.id.clone());
                }
            }
        }
    }
    for old in &current.applications {
        if next.application(&old.id).is_none() {
            r.applications_removed.push(old.id.clone());
            r.levels_removed.extend(levels(old));
        }
    }
    let find = |live: &Live, prefix: &str| {
        live.routes
            .routes()
            .iter()
            .find(|x| x.prefix == prefix)
            .cloned()
    };
    for route in next.routes.routes() {
        match find(current, &route.prefix) {
            None => r.routes_added.push(shown(&route.prefix)),
            Some(old) if old != *route => r.routes_changed.push(shown(&route.prefix)),
            Some(_) => {}
        }
    }
    for old in current.routes.routes() {
        if find(next, &old.prefix).is_none() {
            r.routes_removed.push(shown(&old.prefix));
        }
    }
    for list in [
        &mut r.routes_added,
        &mut r.routes_removed,
        &mut r.routes_changed,
    ] {
        list.sort();
    }
    r
}

/// A route's prefix as people write it (`/` for the catch-all).
fn shown(prefix: &str) -> String {
    if prefix.is_empty() {
        "/".to_owned()
    } else {
        prefix.to_owned()
    }
}

/// Reload on every `SIGHUP` until the process ends (the way `systemctl reload` asks).
/// Only `gateway serve` installs it: the demo has no file to read again.
#[cfg(unix)]
pub fn reload_on_hangup(app: AppState) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            reload(&app, &Trigger::Signal).await;
        }
    });
    Ok(())
}
