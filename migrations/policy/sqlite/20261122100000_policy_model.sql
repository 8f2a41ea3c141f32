-- Access model and audit log of the `policy` crate (SQLite).
-- People are referred to by the gateway's user id (TEXT; no foreign key: the users table
-- belongs to the gateway) or, before their first login, by the keyed hash of their
-- national register number (`nrn_hash`). Times are unix milliseconds; flags are 0/1.

-- Which user id carries which national register number hash (filled at each login).
CREATE TABLE policy_identities (
    nrn_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE,
    linked_at INTEGER NOT NULL
);

CREATE TABLE policy_structures (
    id TEXT PRIMARY KEY,
    number_kind TEXT NOT NULL,
    enterprise_number TEXT NOT NULL UNIQUE,
    legal_name TEXT NOT NULL,
    common_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE policy_services (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (structure_id, code)
);

CREATE TABLE policy_legal_representatives (
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    nrn_hash TEXT NOT NULL,
    nrn_masked TEXT NOT NULL,
    function TEXT NOT NULL,
    start_date TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (structure_id, nrn_hash, function)
);
CREATE INDEX policy_legal_representatives_nrn ON policy_legal_representatives (nrn_hash);

CREATE TABLE policy_main_managers (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    user_id TEXT,
    nrn_hash TEXT,
    designated_by TEXT,
    designated_at INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (nrn_hash IS NULL)),
    UNIQUE (structure_id, user_id),
    UNIQUE (structure_id, nrn_hash)
);
CREATE INDEX policy_main_managers_user ON policy_main_managers (user_id);
CREATE INDEX policy_main_managers_nrn ON policy_main_managers (nrn_hash);

CREATE TABLE policy_local_managers (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    service_id TEXT NOT NULL REFERENCES policy_services (id),
    user_id TEXT,
    nrn_hash TEXT,
    designated_by TEXT,
    designated_at INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (nrn_hash IS NULL)),
    UNIQUE (service_id, user_id),
    UNIQUE (service_id, nrn_hash)
);
CREATE INDEX policy_local_managers_user ON policy_local_managers (user_id);
CREATE INDEX policy_local_managers_nrn ON policy_local_managers (nrn_hash);

-- The application catalogue: named rights, each an application and an access level.
CREATE TABLE policy_rights (
    id TEXT PRIMARY KEY,
    application TEXT NOT NULL,
    level TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (application, level)
);
INSERT INTO policy_rights (id, application, level, label, created_at)
VALUES ('access-manage-attachments', 'access', 'manage-attachments',
        'Access management / decide attachment requests', 0);

-- Habilitations: a right granted to a person in a structure, for the whole structure
-- (whole_structure = 1) or for the services listed in policy_grant_services.
CREATE TABLE policy_grants (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    right_id TEXT NOT NULL REFERENCES policy_rights (id),
    user_id TEXT,
    nrn_hash TEXT,
    whole_structure INTEGER NOT NULL,
    valid_until INTEGER,
    granted_by TEXT,
    granted_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT,
    CHECK ((user_id IS NULL) <> (nrn_hash IS NULL))
);
CREATE INDEX policy_grants_user ON policy_grants (user_id);
CREATE INDEX policy_grants_nrn ON policy_grants (nrn_hash);
CREATE INDEX policy_grants_structure ON policy_grants (structure_id);

CREATE TABLE policy_grant_services (
    grant_id TEXT NOT NULL REFERENCES policy_grants (id),
    service_id TEXT NOT NULL REFERENCES policy_services (id),
    PRIMARY KEY (grant_id, service_id)
);

-- Attachments: a person attached to a whole structure or to some of its services.
CREATE TABLE policy_attachments (
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    user_id TEXT NOT NULL,
    whole_structure INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (structure_id, user_id)
);
CREATE INDEX policy_attachments_user ON policy_attachments (user_id);

CREATE TABLE policy_attachment_services (
    structure_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES policy_services (id),
    PRIMARY KEY (structure_id, user_id, service_id),
    FOREIGN KEY (structure_id, user_id) REFERENCES policy_attachments (structure_id, user_id)
);

CREATE TABLE policy_attachment_requests (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    user_id TEXT NOT NULL,
    whole_structure INTEGER NOT NULL,
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    reason TEXT
);
CREATE INDEX policy_attachment_requests_structure ON policy_attachment_requests (structure_id, status);
CREATE INDEX policy_attachment_requests_user ON policy_attachment_requests (user_id);

CREATE TABLE policy_attachment_request_services (
    request_id TEXT NOT NULL REFERENCES policy_attachment_requests (id),
    service_id TEXT NOT NULL REFERENCES policy_services (id),
    PRIMARY KEY (request_id, service_id)
);

-- Change log read by every node's enforcer: one row per committed change, naming the
-- person whose rights changed (NULL: reload everything).
CREATE TABLE policy_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX policy_changes_at ON policy_changes (at);

-- Append-only audit log.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    structure_id TEXT,
    ip TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_structure ON audit_log (structure_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_target ON audit_log (target, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
