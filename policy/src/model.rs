//! The types of the access model: typed ids, structures, services, rights, grants,
//! managers, attachments and requests, and the [`Actor`] who performs an action.

use serde::{Deserialize, Serialize};

use crate::ids::{NrnHash, OrgNumberKind};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// A fresh random id (uuid v4).
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id text, as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

id_type!(
    /// A person, by the gateway's user id (the `users` table belongs to the gateway).
    UserId
);
id_type!(
    /// A structure (organisation).
    StructureId
);
id_type!(
    /// A service (branch, local unit) of a structure.
    ServiceId
);
id_type!(
    /// A named right of the application catalogue.
    RightId
);
id_type!(
    /// A grant (habilitation).
    GrantId
);
id_type!(
    /// An attachment request.
    RequestId
);
id_type!(
    /// A manager designation (main or local).
    DesignationId
);

/// Who performs a management action. `user_id: None` is the platform operator (CLI,
/// configuration, bootstrap), who passes every authorisation check: never build one from
/// an HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The acting person, `None` for the platform operator.
    pub user_id: Option<UserId>,
    /// The client address, for the audit log.
    pub ip: Option<String>,
}

impl Actor {
    /// A logged-in person acting from `ip`.
    pub fn user(user_id: impl Into<UserId>, ip: Option<String>) -> Self {
        Self {
            user_id: Some(user_id.into()),
            ip,
        }
    }

    /// The platform operator (trusted, not a request from the web).
    pub fn operator() -> Self {
        Self {
            user_id: None,
            ip: None,
        }
    }
}

/// A person designated or granted something: by user id, or, before their first login,
/// by the keyed hash of their national register number (pending until
/// [`crate::Policy::on_login`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A person who has an account.
    User(UserId),
    /// A person known only by their national register number (hash).
    Pending(NrnHash),
}

/// Where a grant, attachment or request applies inside a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "services", rename_all = "snake_case")]
pub enum Scope {
    /// The whole structure.
    Structure,
    /// Only these services (never empty once validated).
    Services(Vec<ServiceId>),
}

impl Scope {
    /// The 0/1 flag stored in `whole_structure`.
    pub(crate) fn whole_flag(&self) -> i64 {
        i64::from(matches!(self, Self::Structure))
    }
}

/// An organisation users act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Structure {
    /// Id.
    pub id: StructureId,
    /// Which kind of number identifies it.
    pub number_kind: OrgNumberKind,
    /// The number as shown (`0123.456.749`, `732 829 320`).
    pub enterprise_number: String,
    /// Legal name (from the register).
    pub legal_name: String,
    /// Common / trade name, shown wherever the structure is shown.
    pub common_name: String,
    /// Creation time (unix ms).
    pub created_at: i64,
}

/// A service (branch) of a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Id.
    pub id: ServiceId,
    /// The structure it belongs to.
    pub structure_id: StructureId,
    /// Short code, unique in the structure.
    pub code: String,
    /// Label shown to people.
    pub label: String,
}

/// A named right of the catalogue: an application and an access level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Right {
    /// Id.
    pub id: RightId,
    /// Application name, e.g. `vouchers`.
    pub application: String,
    /// Access level, e.g. `read`, `modify`.
    pub level: String,
    /// Label shown to people.
    pub label: String,
}

/// A habilitation: a right held by a person in a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Id.
    pub id: GrantId,
    /// Structure.
    pub structure_id: StructureId,
    /// The right granted.
    pub right: Right,
    /// Who holds it.
    pub holder: Subject,
    /// Whole structure or chosen services.
    pub scope: Scope,
    /// End of validity (unix ms, exclusive); `None` = until revoked.
    pub valid_until: Option<i64>,
    /// Who granted it (`None`: operator).
    pub granted_by: Option<UserId>,
    /// When (unix ms).
    pub granted_at: i64,
    /// Last change (renewal).
    pub updated_at: i64,
    /// Revocation time, if revoked.
    pub revoked_at: Option<i64>,
}

/// A main or local manager designation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Designation {
    /// Id.
    pub id: DesignationId,
    /// Structure.
    pub structure_id: StructureId,
    /// `None` for a main manager, the service for a local manager.
    pub service_id: Option<ServiceId>,
    /// The manager (pending until first login when designated by national number).
    pub subject: Subject,
    /// Who designated them (`None`: operator).
    pub designated_by: Option<UserId>,
    /// When (unix ms).
    pub designated_at: i64,
}

/// A legal representative of a structure, from the company register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalRepresentative {
    /// Structure represented.
    pub structure_id: StructureId,
    /// National number, masked (`**.**.**-***.28`).
    pub nrn_masked: String,
    /// Keyed hash of the national number.
    pub nrn_hash: NrnHash,
    /// Function in the register (e.g. `Administrateur`).
    pub function: String,
    /// Start date of the function (`YYYY-MM-DD`).
    pub start_date: String,
    /// The account of this person, once they have logged in.
    pub user_id: Option<UserId>,
}

/// A person's attachment to a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Structure.
    pub structure_id: StructureId,
    /// Person.
    pub user_id: UserId,
    /// Whole structure or some services.
    pub scope: Scope,
    /// Since when (unix ms).
    pub created_at: i64,
}

/// State of an attachment request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for a manager.
    Pending,
    /// Approved: the attachment exists.
    Approved,
    /// Rejected with a reason.
    Rejected,
}

impl RequestStatus {
    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// A request to be attached to a structure or some of its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRequest {
    /// Id.
    pub id: RequestId,
    /// Structure asked for.
    pub structure_id: StructureId,
    /// Who asks.
    pub user_id: UserId,
    /// Whole structure or some services.
    pub scope: Scope,
    /// The requester's comment (mandatory).
    pub comment: String,
    /// State.
    pub status: RequestStatus,
    /// When asked (unix ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The decider's reason (mandatory for a rejection).
    pub reason: Option<String>,
}

/// A manager's decision on an attachment request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Attach the requester.
    Approve {
        /// Optional note.
        reason: Option<String>,
    },
    /// Refuse, saying why.
    Reject {
        /// Mandatory reason.
        reason: String,
    },
}

/// One structure a person may act for, as the gateway shows it in the structure picker
/// and puts it in the assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureSummary {
    /// Structure id.
    pub id: StructureId,
    /// Number as shown.
    pub enterprise_number: String,
    /// Legal name.
    pub legal_name: String,
    /// Common name.
    pub common_name: String,
    /// Attached to the whole structure (then `services` lists all its services).
    pub whole_structure: bool,
    /// The services the person is attached to.
    pub services: Vec<Service>,
}

/// Read scope of a manager in a structure, from [`crate::authz`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagerScope {
    /// Main manager, legal representative or operator: the whole structure.
    Whole,
    /// Local manager of these services only.
    Services(std::collections::BTreeSet<ServiceId>),
}

impl ManagerScope {
    /// May a manager with this view read the structure's audit log? Only with the whole
    /// structure in view: the log is per structure, a local manager's view per service.
    pub fn reads_audit(&self) -> bool {
        matches!(self, Self::Whole)
    }

    /// Does `scope` touch what this manager sees (the whole structure, or at least one
    /// of their services)? What lists of members, grants and managers show.
    pub(crate) fn touches(&self, scope: &Scope) -> bool {
        match (self, scope) {
            (Self::Whole, _) => true,
            (Self::Services(set), Scope::Services(list)) => list.iter().any(|s| set.contains(s)),
            (Self::Services(_), Scope::Structure) => false,
        }
    }

    /// Is `scope` wholly inside what this manager sees? What lists of requests show.
    pub(crate) fn covers(&self, scope: &Scope) -> bool {
        match (self, scope) {
            (Self::Whole, _) => true,
            (Self::Services(set), Scope::Services(list)) => list.iter().all(|s| set.contains(s)),
            (Self::Services(_), Scope::Structure) => false,
        }
    }
}
