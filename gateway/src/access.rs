//! What the hot path asks the access model, as a trait so that the proxy reads the same
//! whichever model answers. The production answer is [`policy::Policy`].

/// A structure as the assertion shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureSummary {
    /// Id.
    pub id: String,
    /// Enterprise number.
    pub enterprise_number: String,
    /// Common name.
    pub common_name: String,
}

/// Synchronous, in-memory decisions (no I/O on the request path).
pub trait AccessModel: Send + Sync {
    /// May `user_id`, acting for `structure_id` (in `services`, empty: the whole
    /// structure), use `application` at `level` at time `now_ms`?
    fn decide(
        &self,
        user_id: &str,
        structure_id: &str,
        services: &[String],
        application: &str,
        level: &str,
        now_ms: i64,
    ) -> bool;

    /// The levels held for `application` there.
    fn rights(
        &self,
        user_id: &str,
        structure_id: &str,
        services: &[String],
        application: &str,
        now_ms: i64,
    ) -> Vec<String>;

    /// The structure, for the assertion.
    fn structure_summary(&self, structure_id: &str) -> Option<StructureSummary>;

    /// The structures a person may act for.
    fn structures_of(&self, user_id: &str, now_ms: i64) -> Vec<StructureChoice>;
}

/// The model used before any access model is loaded: nothing is allowed.
pub struct DenyAll;

impl AccessModel for DenyAll {
    fn decide(&self, _: &str, _: &str, _: &[String], _: &str, _: &str, _: i64) -> bool {
        false
    }
    fn rights(&self, _: &str, _: &str, _: &[String], _: &str, _: i64) -> Vec<String> {
        Vec::new()
    }
    fn structure_summary(&self, _: &str) -> Option<StructureSummary> {
        None
    }
    fn structures_of(&self, _: &str, _: i64) -> Vec<StructureChoice> {
        Vec::new()
    }
}

/// A structure a person may act for, with the services they are attached to there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StructureChoice {
    /// Id.
    pub id: String,
    /// Enterprise number.
    pub number: String,
    /// Common name.
    pub name: String,
    /// Services the person may act in (empty: the whole structure).
    pub services: Vec<String>,
}
