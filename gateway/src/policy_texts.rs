//! The access model's refusals in the person's language: [`policy::PolicyError`] speaks
//! English (its messages go to the API and the log); the console's error pages look its
//! reason up here. A message the table does not know is shown as it is.

use crate::i18n::{Lang, t, t_args};

/// The start of a refusal by the access model's rules ([`crate::error::from_policy`]).
pub const NOT_ALLOWED: &str = "Not allowed: ";

/// The start of the access model's "no such object".
pub const NOT_FOUND: &str = "Not found: ";

/// The start of the access model's "not possible in this state".
pub const CONFLICT: &str = "Not possible now: ";

/// Each reason, missing object or conflict the policy crate writes, and its key.
const TEXTS: &[(&str, &str)] = &[
    (
        "already a main manager of this structure",
        "policy_already_main",
    ),
    (
        "already a local manager of this service",
        "policy_already_local",
    ),
    (
        "the grant is already revoked",
        "policy_grant_already_revoked",
    ),
    ("the grant is revoked", "policy_grant_revoked"),
    (
        "the grant already has this level",
        "policy_grant_same_level",
    ),
    ("the request was already decided", "policy_request_decided"),
    ("already attached there", "policy_already_attached"),
    (
        "a request for this structure is already pending",
        "policy_request_pending",
    ),
    (
        "a service with this code exists in the structure",
        "policy_service_code_taken",
    ),
    (
        "this application and level are already in the catalogue",
        "policy_catalogue_has_it",
    ),
    (
        "the catalogue changed meanwhile",
        "policy_catalogue_changed",
    ),
    (
        "a main manager is attached to the whole structure; leave it or resign first",
        "policy_main_manager_whole",
    ),
    (
        "the service still has valid grants or local managers: revoke and remove them first",
        "policy_service_in_use",
    ),
    (
        "the same access request is already pending",
        "policy_access_request_pending",
    ),
    (
        "a structure with this number exists",
        "policy_structure_exists",
    ),
    (
        "only the platform operator imports the register",
        "policy_only_operator_imports",
    ),
    (
        "only a person may ask to be attached",
        "policy_only_person_attach",
    ),
    (
        "only the platform operator creates structures",
        "policy_only_operator_creates",
    ),
    (
        "only the platform operator edits the catalogue",
        "policy_only_operator_catalogue",
    ),
    (
        "only a legal representative or a main manager of this structure may designate its main managers",
        "policy_only_rep_designates",
    ),
    (
        "only a main manager of this structure may do this",
        "policy_only_main_manager",
    ),
    ("not a manager of this structure", "policy_not_manager"),
    (
        "a local manager may only grant within their own services",
        "policy_local_grant_scope",
    ),
    (
        "nobody may grant a right they could not exercise",
        "policy_grant_own_right",
    ),
    (
        "a grant may not last longer than the granter's own right",
        "policy_grant_longer",
    ),
    (
        "a local manager may only revoke within their own services",
        "policy_local_revoke_scope",
    ),
    (
        "nobody may decide their own attachment request",
        "policy_own_attachment",
    ),
    (
        "only the structure's managers or holders of the manage-attachments right there may decide",
        "policy_only_managers_decide",
    ),
    (
        "only a person detaches themselves",
        "policy_only_person_detaches",
    ),
    (
        "detach yourself from your own organisations page",
        "policy_detach_from_mine",
    ),
    (
        "a local manager may only detach people attached within their own services",
        "policy_local_detach_scope",
    ),
    (
        "only the structure's managers may detach people",
        "policy_only_managers_detach",
    ),
    (
        "nobody may decide their own access request",
        "policy_own_access_request",
    ),
    (
        "only the structure's managers may decide access requests",
        "policy_only_managers_access",
    ),
    (
        "a local manager decides only for people of their services",
        "policy_local_decides_scope",
    ),
    (
        "only a person may ask for access",
        "policy_only_person_access",
    ),
    (
        "ask to be attached to the organisation first",
        "policy_attach_first",
    ),
    ("main manager", "policy_what_main_manager"),
    ("local manager", "policy_what_local_manager"),
    ("right", "policy_what_right"),
    ("attachment", "policy_what_attachment"),
    ("service in this structure", "policy_what_service"),
    ("access request", "policy_what_access_request"),
    ("grant", "policy_what_grant"),
    ("attachment request", "policy_what_attachment_request"),
    ("structure", "policy_what_structure"),
    (
        "a local manager may only check people of their own services",
        "policy_local_check_scope",
    ),
    (
        "name the structure whose log you read (only operators read the whole log)",
        "policy_audit_name_structure",
    ),
    (
        "only legal representatives and main managers read a structure's log",
        "policy_audit_only_managers",
    ),
];

/// The key of one of the policy's texts.
fn key(text: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(t, _)| *t == text).map(|(_, k)| *k)
}

/// One of the policy's texts in `lang`, else as it is.
fn part(lang: Lang, text: &str) -> String {
    key(text).map_or_else(|| text.to_owned(), |k| t(lang, k))
}

/// `message`, as [`crate::error::from_policy`] wrote it, in `lang`; `None` when it is
/// not one of the access model's.
pub fn translate(lang: Lang, message: &str) -> Option<String> {
    if let Some(reason) = message.strip_prefix(NOT_ALLOWED) {
        return Some(t_args(
            lang,
            "policy_refused",
            &[("reason", &part(lang, reason))],
        ));
    }
    if let Some(what) = message.strip_prefix(NOT_FOUND) {
        return Some(t_args(
            lang,
            "policy_not_found",
            &[("what", &part(lang, what))],
        ));
    }
    if let Some(reason) = message.strip_prefix(CONFLICT) {
        return Some(t_args(
            lang,
            "policy_conflict",
            &[("reason", &part(lang, reason))],
        ));
    }
    (message == policy::PolicyError::LastMainManager.to_string())
        .then(|| t(lang, "policy_last_main_manager"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason, missing object and conflict written in the policy crate's sources
    /// has its key: a new refusal cannot reach a person untranslated.
    #[test]
    fn every_refusal_of_the_policy_crate_is_in_the_table() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policy/src");
        let mut texts = Vec::new();
        collect(&root, &mut texts);
        assert!(
            texts.len() > 20,
            "the scan found the policy's texts: {texts:?}"
        );
        let missing: Vec<&String> = texts.iter().filter(|t| key(t).is_none()).collect();
        assert!(
            missing.is_empty(),
            "not in policy_texts::TEXTS: {missing:?}"
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                collect(&path, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for opener in ["forbidden(", "not_found(", "Conflict("] {
                for piece in text.split(opener).skip(1) {
                    let piece = piece.trim_start();
                    if let Some(rest) = piece.strip_prefix('"')
                        && let Some(end) = rest.find('"')
                    {
                        out.push(rest[..end].to_owned());
                    }
                }
            }
        }
    }

    #[test]
    fn refusals_read_in_the_persons_language() {
        assert_eq!(
            translate(Lang::Fr, "Not allowed: not a manager of this structure").as_deref(),
            Some("Action refusée : vous n'êtes pas gestionnaire de cette organisation.")
        );
        assert_eq!(
            translate(Lang::Nl, "Not found: grant").as_deref(),
            Some("Niet gevonden: machtiging.")
        );
        assert_eq!(translate(Lang::Fr, "anything else"), None);
    }
}
