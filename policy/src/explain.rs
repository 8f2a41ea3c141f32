//! Why a person may or may not use an application at a level in a structure right now:
//! the verdict is the decision index's ([`Policy::decide`], what the proxy asks on every
//! request), the explanation a reading of the person's grants beside it. A manager's
//! "check access" page shows both, so it can never disagree with the proxy.

use serde::Serialize;

use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::model::{Actor, Grant, ManagerScope, Scope, ServiceId, StructureId, UserId};
use crate::store::attachments::attachment_on;
use crate::store::grants::load_grants;
use crate::store::structures::normalize_scope;

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessQuestion {
    /// In which structure.
    pub structure: StructureId,
    /// Who.
    pub user: UserId,
    /// Which application.
    pub application: String,
    /// At which access level.
    pub level: String,
    /// Acting in this service (`None`: in the services of their attachment, as their
    /// session after login would).
    pub service: Option<ServiceId>,
}

/// Why the answer is no (several may hold at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// The person is not attached to the structure (or not to the service asked).
    NotAttached,
    /// No grant of the application at this level, nor any of the cases below.
    NoGrant,
    /// A grant at this level that ended (at `grant.valid_until`).
    Expired {
        /// The grant.
        grant: Grant,
    },
    /// A valid grant at this level, but for other services than those asked.
    OtherService {
        /// The grant.
        grant: Grant,
    },
    /// A valid grant of the application covering the services asked, at another level
    /// (levels do not include one another).
    OtherLevel {
        /// The grant.
        grant: Grant,
    },
}

/// The answer: the index's verdict and what explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessExplanation {
    /// What the proxy would decide now.
    pub allowed: bool,
    /// The services the decision was asked for (empty: the whole structure).
    pub services: Vec<ServiceId>,
    /// The person's attachment to the structure, if any.
    pub attachment: Option<Scope>,
    /// When allowed: the grant that allows it.
    pub grant: Option<Grant>,
    /// When refused: why.
    pub refusals: Vec<Refusal>,
}

fn covers(scope: &Scope, services: &[ServiceId]) -> bool {
    match scope {
        Scope::Structure => true,
        Scope::Services(list) => !services.is_empty() && services.iter().all(|s| list.contains(s)),
    }
}

impl Policy {
    /// May `q.user` use `q.application` at `q.level` in `q.structure` now, and why?
    /// Needs the right to read the person: a legal representative or main manager of the
    /// structure, or a local manager for a person attached in their services (and a
    /// service asked among theirs).
    pub async fn explain_access(
        &self,
        actor: &Actor,
        q: &AccessQuestion,
    ) -> Result<AccessExplanation> {
        let now = self.now_ms();
        let mut conn = self.pool().acquire().await?;
        let view = authz::ensure_may_read(&mut conn, actor, &q.structure).await?;
        let attachment = attachment_on(&mut conn, &q.structure, &q.user)
            .await?
            .map(|a| a.scope);
        if let ManagerScope::Services(mine) = &view {
            let seen = attachment.as_ref().is_some_and(|a| view.touches(a));
            let service_ok = q.service.as_ref().is_none_or(|s| mine.contains(s));
            if !seen || !service_ok {
                return Err(PolicyError::forbidden(
                    "a local manager may only check people of their own services",
                ));
            }
        }
        let services: Vec<ServiceId> = match (&q.service, &attachment) {
            (Some(s), _) => {
                normalize_scope(&mut conn, &q.structure, &Scope::Services(vec![s.clone()])).await?;
                vec![s.clone()]
            }
            (None, Some(Scope::Services(list))) => list.clone(),
            (None, _) => Vec::new(),
        };
        let attached = attachment.as_ref().is_some_and(|a| covers(a, &services));
        let ids: Vec<String> = services.iter().map(|s| s.0.clone()).collect();
        let allowed = attached
            && self.decide(
                q.user.as_str(),
                q.structure.as_str(),
                &ids,
                &q.application,
                &q.level,
                now,
            );
        let grants: Vec<Grant> = load_grants(
            &mut conn,
            "g.structure_id = $1 AND g.user_id = $2 AND g.revoked_at IS NULL",
            &[q.structure.as_str(), q.user.as_str()],
        )
        .await?
        .into_iter()
        .filter(|g| g.right.application == q.application)
        .collect();
        let valid = |g: &Grant| g.valid_until.is_none_or(|v| v > now);
        let same_level = |g: &Grant| g.right.level == q.level;
        if allowed {
            let grant = grants
                .iter()
                .find(|g| same_level(g) && valid(g) && covers(&g.scope, &services))
                .cloned();
            return Ok(AccessExplanation {
                allowed,
                services,
                attachment,
                grant,
                refusals: Vec::new(),
            });
        }
        let mut refusals = Vec::new();
        if !attached {
            refusals.push(Refusal::NotAttached);
        }
        for g in &grants {
            let grant = g.clone();
            match (same_level(g), valid(g), covers(&g.scope, &services)) {
                (true, false, true) => refusals.push(Refusal::Expired { grant }),
                (true, true, false) => refusals.push(Refusal::OtherService { grant }),
                (false, true, true) => refusals.push(Refusal::OtherLevel { grant }),
                _ => {}
            }
        }
        if !refusals.iter().any(|r| !matches!(r, Refusal::NotAttached)) {
            refusals.push(Refusal::NoGrant);
        }
        Ok(AccessExplanation {
            allowed,
            services,
            attachment,
            grant: None,
            refusals,
        })
    }
}
