//! The authorisation questions asked ahead of an action, for callers that show or hide
//! it (the administration API answers 403 before reading a form): the rules of
//! [`crate::authz`] on a connection of the pool, at the policy's clock.

use crate::authz::{
    self, ensure_may_decide_request, ensure_may_designate, ensure_may_read, ensure_may_read_audit,
};
use crate::engine::Policy;
use crate::error::Result;
use crate::model::{Actor, ManagerScope, RequestId, RightId, Scope, StructureId};
use crate::store::requests::load_request;
use crate::store::structures::normalize_scope;

impl Policy {
    /// May the actor designate (or remove) main managers of the structure?
    pub async fn may_designate(&self, actor: &Actor, structure: &StructureId) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        ensure_may_designate(&mut conn, actor, structure).await
    }

    /// How much of the structure's administration may the actor read?
    pub async fn may_read(&self, actor: &Actor, structure: &StructureId) -> Result<ManagerScope> {
        let mut conn = self.pool().acquire().await?;
        ensure_may_read(&mut conn, actor, structure).await
    }

    /// May the actor read the audit log of `structure` (`None`: the whole log, the
    /// operator's)? What the API's and the console's log pages ask first.
    pub async fn may_read_audit(
        &self,
        actor: &Actor,
        structure: Option<&StructureId>,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        ensure_may_read_audit(&mut conn, actor, structure).await
    }

    /// May the actor grant `right` over `scope` until `valid_until` (checked now)?
    pub async fn may_grant(
        &self,
        actor: &Actor,
        structure: &StructureId,
        right: &RightId,
        scope: &Scope,
        valid_until: Option<i64>,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        let scope = normalize_scope(&mut conn, structure, scope).await?;
        authz::ensure_may_grant(
            &mut conn,
            actor,
            structure,
            right,
            &scope,
            valid_until,
            self.now_ms(),
        )
        .await
    }

    /// May the actor decide this attachment request?
    pub async fn may_decide_request(&self, actor: &Actor, request: &RequestId) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        let r = load_request(&mut conn, request).await?;
        ensure_may_decide_request(
            &mut conn,
            actor,
            &r.structure_id,
            &r.user_id,
            &r.scope,
            self.now_ms(),
        )
        .await
    }
}
