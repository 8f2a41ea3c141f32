//! Request and response bodies of the API, separate from the model's types: they show
//! national register numbers only masked, never their keyed hashes.

use policy::{Scope, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A structure (organisation).
#[derive(Debug, Serialize, ToSchema)]
pub struct StructureDto {
    /// Id.
    pub id: String,
    /// Enterprise number as shown.
    pub enterprise_number: String,
    /// Legal name.
    pub legal_name: String,
    /// Common (trade) name.
    pub common_name: String,
}

impl From<policy::Structure> for StructureDto {
    fn from(s: policy::Structure) -> Self {
        Self {
            id: s.id.0,
            enterprise_number: s.enterprise_number,
            legal_name: s.legal_name,
            common_name: s.common_name,
        }
    }
}

/// A service (branch) of a structure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDto {
    /// Id.
    pub id: String,
    /// Short code.
    pub code: String,
    /// Label.
    pub label: String,
}

impl From<policy::Service> for ServiceDto {
    fn from(s: policy::Service) -> Self {
        Self {
            id: s.id.0,
            code: s.code,
            label: s.label,
        }
    }
}

/// One structure the caller is related to, with their roles there.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyStructure {
    /// The structure.
    #[serde(flatten)]
    pub structure: StructureDto,
    /// `legal_representative`, `main_manager`, `local_manager`, `member`.
    pub roles: Vec<String>,
    /// Services the caller manages as local manager.
    pub managed_services: Vec<String>,
    /// Services the caller is attached to (empty with `whole_structure`).
    pub attached_services: Vec<String>,
    /// Attached to the whole structure.
    pub whole_structure: bool,
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Token to send in `X-CSRF-Token` on every state-changing call.
    pub csrf_token: String,
    /// A platform operator (may import the register and read the whole audit log).
    pub operator: bool,
    /// Structures the caller represents, manages or is attached to.
    pub structures: Vec<MyStructure>,
}

/// A legal representative (from the company register).
#[derive(Debug, Serialize, ToSchema)]
pub struct RepresentativeDto {
    /// National register number, masked.
    pub nrn_masked: String,
    /// Function in the register.
    pub function: String,
    /// Start date in the register.
    pub start_date: String,
    /// Linked account, once they logged in.
    pub user_id: Option<String>,
}

impl From<policy::LegalRepresentative> for RepresentativeDto {
    fn from(r: policy::LegalRepresentative) -> Self {
        Self {
            nrn_masked: r.nrn_masked,
            function: r.function,
            start_date: r.start_date,
            user_id: r.user_id.map(|u| u.0),
        }
    }
}

fn holder(s: &Subject) -> (Option<String>, bool) {
    match s {
        Subject::User(u) => (Some(u.0.clone()), false),
        Subject::Pending(_) => (None, true),
    }
}

fn scope_parts(s: &Scope) -> (bool, Vec<String>) {
    match s {
        Scope::Structure => (true, Vec::new()),
        Scope::Services(list) => (false, list.iter().map(|v| v.0.clone()).collect()),
    }
}

/// A main or local manager designation.
#[derive(Debug, Serialize, ToSchema)]
pub struct DesignationDto {
    /// Designation id.
    pub id: String,
    /// For a local manager: the service.
    pub service_id: Option<String>,
    /// The manager's user id; `None` while pending (designated by national number,
    /// not logged in yet).
    pub user_id: Option<String>,
    /// Pending until the person's first login.
    pub pending: bool,
    /// Who designated.
    pub designated_by: Option<String>,
    /// When (unix ms).
    pub designated_at: i64,
}

impl From<policy::Designation> for DesignationDto {
    fn from(d: policy::Designation) -> Self {
        let (user_id, pending) = holder(&d.subject);
        Self {
            id: d.id.0,
            service_id: d.service_id.map(|s| s.0),
            user_id,
            pending,
            designated_by: d.designated_by.map(|u| u.0),
            designated_at: d.designated_at,
        }
    }
}

/// A grant (habilitation).
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantDto {
    /// Grant id.
    pub id: String,
    /// Structure.
    pub structure_id: String,
    /// `application/level`.
    pub right: String,
    /// Label of the right.
    pub label: String,
    /// Holder's user id; `None` while pending.
    pub user_id: Option<String>,
    /// Pending until the holder's first login.
    pub pending: bool,
    /// Whole structure.
    pub whole_structure: bool,
    /// Services covered (empty with `whole_structure`).
    pub services: Vec<String>,
    /// End of validity (unix ms, exclusive); `None`: until revoked.
    pub valid_until: Option<i64>,
    /// Who granted.
    pub granted_by: Option<String>,
    /// When (unix ms).
    pub granted_at: i64,
    /// When revoked, if revoked.
    pub revoked_at: Option<i64>,
}

impl From<policy::Grant> for GrantDto {
    fn from(g: policy::Grant) -> Self {
        let (user_id, pending) = holder(&g.holder);
        let (whole_structure, services) = scope_parts(&g.scope);
        Self {
            id: g.id.0,
            structure_id: g.structure_id.0,
            right: format!("{}/{}", g.right.application, g.right.level),
            label: g.right.label,
            user_id,
            pending,
            whole_structure,
            services,
            valid_until: g.valid_until,
            granted_by: g.granted_by.map(|u| u.0),
            granted_at: g.granted_at,
            revoked_at: g.revoked_at,
        }
    }
}

/// A right of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct RightDto {
    /// `application/level`, as given to `POST .../grants`.
    pub right: String,
    /// Label.
    pub label: String,
}

/// An attachment of a person to a structure.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDto {
    /// User id.
    pub user_id: String,
    /// Whole structure.
    pub whole_structure: bool,
    /// Services (empty with `whole_structure`).
    pub services: Vec<String>,
    /// Since (unix ms).
    pub created_at: i64,
}

impl From<policy::Attachment> for MemberDto {
    fn from(a: policy::Attachment) -> Self {
        let (whole_structure, services) = scope_parts(&a.scope);
        Self {
            user_id: a.user_id.0,
            whole_structure,
            services,
            created_at: a.created_at,
        }
    }
}

/// An attachment request.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDto {
    /// Request id.
    pub id: String,
    /// Structure asked for.
    pub structure_id: String,
    /// Who asks.
    pub user_id: String,
    /// Whole structure.
    pub whole_structure: bool,
    /// Services asked for (empty with `whole_structure`).
    pub services: Vec<String>,
    /// The requester's comment.
    pub comment: String,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
    /// When asked (unix ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The decider's reason.
    pub reason: Option<String>,
}

impl From<policy::AttachmentRequest> for RequestDto {
    fn from(r: policy::AttachmentRequest) -> Self {
        let (whole_structure, services) = scope_parts(&r.scope);
        Self {
            id: r.id.0,
            structure_id: r.structure_id.0,
            user_id: r.user_id.0,
            whole_structure,
            services,
            comment: r.comment,
            status: r.status.as_str().to_owned(),
            requested_at: r.requested_at,
            decided_by: r.decided_by.map(|u| u.0),
            decided_at: r.decided_at,
            reason: r.reason,
        }
    }
}

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    /// Sequence number (use as `after_id` to page).
    pub id: i64,
    /// When (unix ms).
    pub at: i64,
    /// Who acted (`None`: the platform operator's tooling).
    pub actor: Option<String>,
    /// What (`grant.create`, ...).
    pub action: String,
    /// On whom or what.
    pub target: String,
    /// In which structure.
    pub structure_id: Option<String>,
    /// From which address.
    pub ip: Option<String>,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<policy::AuditRecord> for AuditDto {
    fn from(r: policy::AuditRecord) -> Self {
        Self {
            id: r.id,
            at: r.at,
            actor: r.event.actor.map(|u| u.0),
            action: r.event.action,
            target: r.event.target,
            structure_id: r.event.structure.map(|s| s.0),
            ip: r.event.ip,
            detail: r.event.detail,
        }
    }
}

/// Outcome of a register import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportDto {
    /// Data lines read.
    pub lines: usize,
    /// Representatives added.
    pub inserted: usize,
    /// Representatives changed.
    pub updated: usize,
    /// Lines already known.
    pub unchanged: usize,
    /// Structures created.
    pub structures_created: usize,
    /// Refused lines: `line: reason`.
    pub errors: Vec<String>,
}

/// Who: exactly one of a user id, a national register number (the person may not have
/// logged in yet: the designation or grant waits for their first login) or an email
/// address of a known person.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    /// User id.
    pub user_id: Option<String>,
    /// National register number (11 digits, separators allowed).
    pub national_number: Option<String>,
    /// Email of a person who has an account.
    pub email: Option<String>,
}

/// Name a local manager of some services.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalManagerInput {
    /// Who.
    pub person: PersonRef,
    /// Service ids (at least one).
    pub services: Vec<String>,
}

/// Grant rights.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantInput {
    /// To whom.
    pub person: PersonRef,
    /// Rights as `application/level` (at least one).
    pub rights: Vec<String>,
    /// Service ids; absent: the whole structure.
    pub services: Option<Vec<String>>,
    /// End of validity (unix ms, exclusive, in the future); absent: until revoked.
    pub valid_until: Option<i64>,
}

/// Renew a grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewInput {
    /// New end of validity (unix ms, in the future); `null`: until revoked.
    pub valid_until: Option<i64>,
}

/// Ask to be attached.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// Service ids; absent: the whole structure.
    pub services: Option<Vec<String>>,
    /// Why (mandatory).
    pub comment: String,
}

/// Approve a request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveInput {
    /// Optional note.
    pub reason: Option<String>,
    /// Attach to these services instead of what was asked (absent: as asked; empty:
    /// the whole structure).
    #[serde(default)]
    pub services: Option<Vec<String>>,
}

/// Reject a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    /// Why (mandatory).
    pub reason: String,
}

/// Detach oneself.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DetachInput {
    /// Service ids to leave; absent: the whole structure.
    pub services: Option<Vec<String>>,
}

/// An access request: a person asks a structure's managers for a right.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessRequestDto {
    /// Request id.
    pub id: String,
    /// Structure.
    pub structure_id: String,
    /// Who asks.
    pub user_id: String,
    /// `application/level`.
    pub right: String,
    /// The right's label.
    pub label: String,
    /// The requester's comment.
    pub comment: Option<String>,
    /// `pending`, `approved` (granted), `rejected` (refused).
    pub status: String,
    /// When asked (unix ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The reason of a refusal.
    pub reason: Option<String>,
    /// The grant that answered it.
    pub grant_id: Option<String>,
}

impl From<policy::access::AccessRequest> for AccessRequestDto {
    fn from(r: policy::access::AccessRequest) -> Self {
        Self {
            id: r.id.0,
            structure_id: r.structure_id.0,
            user_id: r.user_id.0,
            right: format!("{}/{}", r.right.application, r.right.level),
            label: r.right.label,
            comment: r.comment,
            status: r.status.as_str().to_owned(),
            requested_at: r.requested_at,
            decided_by: r.decided_by.map(|u| u.0),
            decided_at: r.decided_at,
            reason: r.reason,
            grant_id: r.grant_id.map(|g| g.0),
        }
    }
}

/// Ask for a right in a structure one is attached to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRequestInput {
    /// `application/level`.
    pub right: String,
    /// Optional comment for the managers.
    pub comment: Option<String>,
}

/// Grant an access request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessGrantInput {
    /// End of validity (unix ms, exclusive); absent: until revoked.
    pub valid_until: Option<i64>,
}

/// An invitation to a local password account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationDto {
    /// The person's email address: their login once they accept.
    pub email: String,
    /// Their name as shown.
    pub name: String,
    /// The language of the mail: `fr`, `nl` or `en` (default: the platform's).
    pub lang: Option<String>,
}

/// The answer to an invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedDto {
    /// The address the link was mailed to.
    pub email: String,
    /// Until when the link is valid (unix ms): 24 hours.
    pub expires_at: i64,
}

/// The answer to a reactivation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactivatedDto {
    /// The person's user id.
    pub user_id: String,
    /// Always true: the person may log in again.
    pub reactivated: bool,
}

/// The outcome of reloading the rights catalogue and the routes from the configuration
/// file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReloadOutcome {
    /// The file's catalogue and routes are in force for every later request (on this
    /// node, in the shared catalogue of the database, or both).
    Applied,
    /// They were already in force, on this node and in the database: nothing changed.
    #[default]
    Unchanged,
    /// The file is wrong or could not be applied: nothing changed, the configuration in
    /// force keeps serving; `message` names the key at fault.
    Refused,
}

/// A level removed from the file that still has grants: they are kept, deciding nothing,
/// and work again when the level comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RetiredLevelDto {
    /// Application.
    pub application: String,
    /// Access level.
    pub level: String,
    /// Grants kept (not revoked).
    pub grants_kept: usize,
}

/// The answer to a catalogue reload (also what the audit line records).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CatalogueReloadDto {
    /// Applied, unchanged or refused.
    pub outcome: ReloadOutcome,
    /// Why a reload was refused (the key at fault), when it was.
    pub message: Option<String>,
    /// Application ids added to the catalogue.
    pub applications_added: Vec<String>,
    /// Application ids removed from the catalogue.
    pub applications_removed: Vec<String>,
    /// `application/level` added.
    pub levels_added: Vec<String>,
    /// `application/level` removed (retired in the access model, grants kept).
    pub levels_removed: Vec<String>,
    /// Applications whose name, labels or default methods changed.
    pub applications_changed: Vec<String>,
    /// Route prefixes added.
    pub routes_added: Vec<String>,
    /// Route prefixes removed.
    pub routes_removed: Vec<String>,
    /// Route prefixes whose upstream, protection, methods or options changed.
    pub routes_changed: Vec<String>,
    /// Top-level keys of the file that changed but only apply at a restart (the listen
    /// address, the database, the secret, the providers...): not applied.
    pub needs_restart: Vec<String>,
    /// Retired levels that still have grants.
    pub retired_with_grants: Vec<RetiredLevelDto>,
    /// What the reload wrote into the catalogue the nodes share in the database. Every
    /// reload writes the file's catalogue there, also when the file is unchanged: on a
    /// cluster another node may have written a different one.
    pub shared_catalogue: SharedCatalogueDto,
}

/// The changes a reload made to the catalogue in the database (`application/level`
/// entries); all empty when the database already held the file's catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharedCatalogueDto {
    /// Levels written because the database did not have them.
    pub added: Vec<String>,
    /// Levels whose label in the database differed from the file's.
    pub relabelled: Vec<String>,
    /// Levels the database had retired, in force again with their grants.
    pub restored: Vec<String>,
    /// Levels the database held that the file does not name: retired, grants kept.
    pub retired: Vec<String>,
}

impl SharedCatalogueDto {
    /// Whether the reload changed the shared catalogue.
    pub fn changed(&self) -> bool {
        [&self.added, &self.relabelled, &self.restored, &self.retired]
            .iter()
            .any(|list| !list.is_empty())
    }
}
