-- Prestations backend: its own database. Times are unix milliseconds, dates YYYY-MM-DD text,
-- booleans 0/1 integers (portable through sqlx Any).

-- People this backend has seen (gateway `sub`), with the email used for notices.
CREATE TABLE prestation_people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    updated_at INTEGER NOT NULL
);

CREATE TABLE prestations (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL,
    enterprise_number TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    worker_id TEXT NOT NULL,
    worker_name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    work_date TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    activity TEXT NOT NULL,
    status TEXT NOT NULL,
    encoded_by TEXT NOT NULL,
    encoded_by_id TEXT NOT NULL,
    corrected_by TEXT,
    validation_due TEXT,
    user_stage_from TEXT,
    next_reminder_on TEXT,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    confirm_due TEXT,
    auto_confirmed INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX prestations_by_structure ON prestations (structure_id, work_date);
CREATE INDEX prestations_by_worker ON prestations (worker_id, work_date);
CREATE INDEX prestations_by_user ON prestations (user_id, work_date);
CREATE INDEX prestations_validation_due ON prestations (validation_due);
CREATE INDEX prestations_next_reminder ON prestations (next_reminder_on);
CREATE INDEX prestations_confirm_due ON prestations (confirm_due);

-- History: one line per change, never updated.
CREATE TABLE prestation_events (
    prestation_id TEXT NOT NULL REFERENCES prestations (id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (prestation_id, seq)
);

-- Business dossiers (enterprise support cheques).
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    provider_structure_id TEXT NOT NULL,
    provider_number TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    beneficiary_number TEXT NOT NULL,
    beneficiary_name TEXT NOT NULL,
    cheque_code TEXT NOT NULL,
    status TEXT NOT NULL,
    duplicated_from TEXT,
    decision_note TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dossiers_by_provider ON dossiers (provider_structure_id, updated_at);
CREATE INDEX dossiers_by_status ON dossiers (status);

CREATE TABLE dossier_competences (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    competence_code TEXT NOT NULL,
    weight INTEGER NOT NULL CHECK (weight > 0 AND weight <= 100),
    description TEXT NOT NULL,
    PRIMARY KEY (dossier_id, competence_code)
);

-- Kept when a dossier is deleted (no foreign key): the deletion itself is a line here.
CREATE TABLE dossier_events (
    dossier_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE prestation_counters (
    scope TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

-- Durable mail outbox (see backend_kit::outbox).
CREATE TABLE prestations_outbox (
    id TEXT PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    recipient TEXT,
    about TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX prestations_outbox_due ON prestations_outbox (state, next_attempt_at);
CREATE INDEX prestations_outbox_about ON prestations_outbox (about, created_at);
