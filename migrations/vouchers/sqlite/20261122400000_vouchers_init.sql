-- Vouchers backend (local employment agency scheme): its own database. Times are unix
-- milliseconds, dates YYYY-MM-DD text, amounts integer cents, booleans 0/1 integers.
-- Every row belongs to one agency: the gateway structure the agent acts for.

CREATE TABLE ale_users (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('natural', 'legal')),
    first_name TEXT,
    last_name TEXT,
    legal_name TEXT,
    common_name TEXT,
    enterprise_number TEXT,
    email TEXT,
    phone TEXT,
    street TEXT,
    postcode TEXT,
    city TEXT,
    language TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- A legal person is registered once per agency (NULLs, i.e. natural persons, never clash).
CREATE UNIQUE INDEX ale_users_enterprise ON ale_users (structure_id, enterprise_number);
CREATE INDEX ale_users_by_structure ON ale_users (structure_id, created_at);

CREATE TABLE ale_authorizations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES ale_users (id),
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('creation', 'renewal')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (valid_from <= valid_until)
);
CREATE INDEX ale_authorizations_by_user ON ale_authorizations (user_id, valid_until);

CREATE TABLE ale_wallets (
    user_id TEXT PRIMARY KEY REFERENCES ale_users (id),
    balance INTEGER NOT NULL CHECK (balance >= 0),
    updated_at INTEGER NOT NULL
);

CREATE TABLE ale_purchases (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES ale_users (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    purchased_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE ale_vouchers (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    structure_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES ale_users (id),
    purchase_id TEXT NOT NULL REFERENCES ale_purchases (id),
    issued_at INTEGER NOT NULL,
    prestation_id TEXT,
    spent_at INTEGER,
    UNIQUE (structure_id, number)
);
CREATE INDEX ale_vouchers_by_user ON ale_vouchers (user_id, prestation_id, number);

CREATE TABLE ale_invoices (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL,
    number TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES ale_users (id),
    purchase_id TEXT NOT NULL UNIQUE REFERENCES ale_purchases (id),
    issued_on TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    legal_name TEXT NOT NULL,
    common_name TEXT,
    enterprise_number TEXT NOT NULL,
    address TEXT NOT NULL,
    agency_name TEXT NOT NULL,
    mailed INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (structure_id, number)
);

CREATE TABLE ale_counters (
    scope TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

CREATE TABLE ale_providers (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ale_providers_by_structure ON ale_providers (structure_id, last_name);

-- Type and public social-welfare centre, effective from a date; never updated, so the
-- history stays. The state on a date is the row with the latest effective date on or
-- before it (the latest recorded one when an agent records two for the same date).
CREATE TABLE ale_provider_changes (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES ale_providers (id),
    effective_from TEXT NOT NULL,
    provider_type TEXT NOT NULL,
    cpas TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX ale_provider_changes_by_provider ON ale_provider_changes (provider_id, effective_from);

CREATE TABLE ale_prestations (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES ale_users (id),
    provider_id TEXT NOT NULL REFERENCES ale_providers (id),
    work_date TEXT NOT NULL,
    hours INTEGER NOT NULL CHECK (hours > 0),
    activity TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'contested', 'cancelled')),
    contest_reason TEXT,
    resolution_note TEXT,
    paid_at INTEGER,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ale_prestations_by_status ON ale_prestations (structure_id, status, work_date);
CREATE INDEX ale_prestations_by_provider ON ale_prestations (provider_id, work_date);

-- Durable mail outbox (see backend_kit::outbox).
CREATE TABLE vouchers_outbox (
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
CREATE INDEX vouchers_outbox_due ON vouchers_outbox (state, next_attempt_at);
CREATE INDEX vouchers_outbox_about ON vouchers_outbox (about, created_at);
