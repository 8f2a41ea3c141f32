-- Access model and audit log of the `policy` crate (PostgreSQL).
-- People are referred to by the gateway's user id (TEXT; no foreign key: the users table
-- belongs to the gateway) or, before their first login, by the keyed hash of their
-- national register number (`nrn_hash`). Times are unix milliseconds; flags are 0/1.

-- Which user id carries which national register number hash (filled at each login).
CREATE TABLE policy_identities (
    nrn_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE,
    linked_at BIGINT NOT NULL
);

CREATE TABLE policy_structures (
    id TEXT PRIMARY KEY,
    number_kind TEXT NOT NULL,
    enterprise_number TEXT NOT NULL UNIQUE,
    legal_name TEXT NOT NULL,
    common_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE policy_services (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (structure_id, code)
);

CREATE TABLE policy_legal_representatives (
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    nrn_hash TEXT NOT NULL,
    nrn_masked TEXT NOT NULL,
    function TEXT NOT NULL,
    start_date TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (structure_id, nrn_hash, function)
);
CREATE INDEX policy_legal_representatives_nrn ON policy_legal_representatives (nrn_hash);

CREATE TABLE policy_main_managers (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    user_id TEXT,
    nrn_hash TEXT,
    designated_by TEXT,
    designated_at BIGINT NOT NULL,
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
    designated_at BIGINT NOT NULL,
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
    created_at BIGINT NOT NULL,
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
    whole_structure BIGINT NOT NULL,
    valid_until BIGINT,
    granted_by TEXT,
    granted_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    revoked_at BIGINT,
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
    whole_structure BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
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
    whole_structure BIGINT NOT NULL,
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
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
CREATE SEQUENCE policy_changes_seq;
CREATE TABLE policy_changes (
    seq BIGINT PRIMARY KEY,
    user_id TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX policy_changes_at ON policy_changes (at);

-- Sequence numbers follow commit order: the transaction-scoped lock is taken before the
-- number is drawn and held until commit, so a reader that saw seq N never later sees a
-- smaller one appear. Policy writes record their change last, just before commit.
CREATE FUNCTION policy_changes_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7302911);
    NEW.seq := nextval('policy_changes_seq');
    RETURN NEW;
END;
$$;
CREATE TRIGGER policy_changes_number BEFORE INSERT ON policy_changes
FOR EACH ROW EXECUTE FUNCTION policy_changes_number();

-- Wake every node's watcher (delivered at commit).
CREATE FUNCTION policy_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('policy_changes', NEW.seq::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER policy_changes_notify AFTER INSERT ON policy_changes
FOR EACH ROW EXECUTE FUNCTION policy_changes_notify();

-- Append-only audit log.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
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

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
