//! The label of every action of the audit log: its catalogue key, for the log's page and
//! its filter by action.

use policy::audit::actions;

/// Every action of the log with the catalogue key of its label.
pub(super) const LABELS: [(&str, &str); 38] = [
    (actions::STRUCTURE_CREATE, "console_event_structure_create"),
    (actions::STRUCTURE_RENAME, "console_event_structure_rename"),
    (actions::SERVICE_CREATE, "console_event_service_create"),
    (actions::SERVICE_RENAME, "console_event_service_rename"),
    (actions::SERVICE_CLOSE, "console_event_service_close"),
    (
        actions::REPRESENTATIVE_IMPORT,
        "console_event_representative_import",
    ),
    (
        actions::MAIN_MANAGER_DESIGNATE,
        "console_event_main_manager_designate",
    ),
    (
        actions::MAIN_MANAGER_REMOVE,
        "console_event_main_manager_remove",
    ),
    (
        actions::LOCAL_MANAGER_DESIGNATE,
        "console_event_local_manager_designate",
    ),
    (
        actions::LOCAL_MANAGER_REMOVE,
        "console_event_local_manager_remove",
    ),
    (actions::RIGHT_DEFINE, "console_event_right_define"),
    (actions::RIGHT_RELABEL, "console_event_right_relabel"),
    (actions::RIGHT_RETIRE, "console_event_right_retire"),
    (actions::RIGHT_RESTORE, "console_event_right_restore"),
    (actions::GRANT_CREATE, "console_event_grant_create"),
    (actions::GRANT_REVOKE, "console_event_grant_revoke"),
    (actions::GRANT_RENEW, "console_event_grant_renew"),
    (actions::GRANT_LEVEL, "console_event_grant_level"),
    (
        actions::ATTACHMENT_REQUEST,
        "console_event_attachment_request",
    ),
    (
        actions::ATTACHMENT_APPROVE,
        "console_event_attachment_approve",
    ),
    (
        actions::ATTACHMENT_REJECT,
        "console_event_attachment_reject",
    ),
    (
        actions::ATTACHMENT_DETACH,
        "console_event_attachment_detach",
    ),
    (actions::ACCESS_REQUEST, "console_event_access_request"),
    (actions::ACCESS_GRANT, "console_event_access_grant"),
    (actions::ACCESS_REFUSE, "console_event_access_refuse"),
    (actions::IDENTITY_LINK, "console_event_identity_link"),
    (actions::LOGIN, "console_event_login"),
    (actions::LOGIN_FAILED, "console_event_login_failed"),
    (actions::STRUCTURE_SWITCH, "console_event_structure_switch"),
    (actions::FACTOR_CHANGE, "console_event_factor_change"),
    (actions::PROFILE_CHANGE, "console_event_profile_change"),
    (
        actions::PREFERENCES_CHANGE,
        "console_event_preferences_change",
    ),
    (actions::SESSION_END, "console_event_session_end"),
    (
        actions::ACCOUNT_DEACTIVATE,
        "console_event_account_deactivate",
    ),
    (
        actions::ACCOUNT_REACTIVATE,
        "console_event_account_reactivate",
    ),
    (actions::CATALOGUE_RELOAD, "console_event_catalogue_reload"),
    (actions::ACCOUNT_INVITE, "console_event_account_invite"),
    (actions::ACCOUNT_CREATE, "console_event_account_create"),
];

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn every_action_has_a_label() {
        let labelled: HashMap<&str, &str> = LABELS.iter().copied().collect();
        for a in actions::ALL {
            assert!(labelled.contains_key(a), "{a} has no label");
        }
        assert_eq!(labelled.len(), actions::ALL.len());
    }
}
