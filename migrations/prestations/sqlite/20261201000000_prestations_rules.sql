-- The portals' own rules (seeds 001 and 003): voucher-user numbers and the people an
-- enterprise works with, the enterprise's notices, the user's answer given in parallel
-- with the worker's validation; organisation records, subcontractors, the submission
-- deadline of a dossier and its regularisation.

-- A number the backend gives each person the first time they act here, shown to people:
-- a client is found by name or by this number, never by an opaque id. `email_self_set`
-- is 1 once the person set their own email: the enterprise may no longer set it then.
ALTER TABLE prestation_people ADD COLUMN number TEXT;
ALTER TABLE prestation_people ADD COLUMN email_self_set INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX prestation_people_number ON prestation_people (number);
CREATE INDEX prestation_people_name ON prestation_people (name);

-- The clients and workers of an enterprise: added by the enterprise (by voucher-user
-- number) or when a prestation names them. `email` is the worker's address the enterprise
-- set, used for the notices about its prestations until the worker sets their own.
CREATE TABLE prestation_relations (
    structure_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES prestation_people (id),
    role TEXT NOT NULL CHECK (role IN ('client', 'worker')),
    email TEXT,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (structure_id, role, person_id)
);

-- An approved enterprise's own settings: where its notices go and when it was last told
-- which prestations its workers must still validate and which were contested.
CREATE TABLE prestation_enterprises (
    structure_id TEXT PRIMARY KEY,
    enterprise_number TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    last_digest_at INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

ALTER TABLE prestations ADD COLUMN worker_number TEXT;
ALTER TABLE prestations ADD COLUMN user_number TEXT;
-- The user confirmed it while the worker still validated it (in parallel).
ALTER TABLE prestations ADD COLUMN user_confirmed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX prestations_by_status ON prestations (status, updated_at);

-- Dossiers: the planned start of the prestation (the request is submitted by then, or by
-- the date a regularisation granted), and a subcontractor, known to the platform or not.
ALTER TABLE dossiers ADD COLUMN start_date TEXT;
ALTER TABLE dossiers ADD COLUMN submit_by TEXT;
ALTER TABLE dossiers ADD COLUMN subcontractor_number TEXT;
ALTER TABLE dossiers ADD COLUMN subcontractor_name TEXT;
ALTER TABLE dossiers ADD COLUMN subcontractor_known INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dossiers_by_beneficiary ON dossiers (provider_structure_id, beneficiary_number);

-- Organisations a provider keeps: its own record (kind `self`) and its beneficiaries.
CREATE TABLE dossier_organisations (
    id TEXT PRIMARY KEY,
    owner_structure_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('self', 'beneficiary')),
    enterprise_number TEXT NOT NULL,
    name TEXT NOT NULL,
    street TEXT,
    postcode TEXT,
    city TEXT,
    email TEXT,
    phone TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner_structure_id, kind, enterprise_number)
);
CREATE INDEX dossier_organisations_by_number ON dossier_organisations (kind, enterprise_number);

-- A provider hindered by a malfunction asks for a derogation of the submission deadline,
-- with a reason and a proof; an operator grants (with a new deadline) or refuses it.
CREATE TABLE dossier_regularisations (
    id TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_by_name TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    proof_name TEXT NOT NULL,
    proof_type TEXT NOT NULL,
    proof BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused')),
    decided_by TEXT,
    decided_by_name TEXT,
    decided_at INTEGER,
    decision_note TEXT,
    granted_until TEXT
);
CREATE INDEX dossier_regularisations_by_dossier ON dossier_regularisations (dossier_id, requested_at);
CREATE INDEX dossier_regularisations_by_status ON dossier_regularisations (status, requested_at);
