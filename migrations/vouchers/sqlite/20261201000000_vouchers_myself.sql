-- An ALE user acting as themselves sees their own wallets and prestations (read only).
-- Users are registered by an agent, by name; the link to the person's gateway identity is
-- made once, with a one-time code the agent gives a natural person (stored hashed).

CREATE TABLE ale_user_links (
    user_id TEXT PRIMARY KEY REFERENCES ale_users (id),
    sub TEXT NOT NULL,
    agency_name TEXT NOT NULL,
    linked_at INTEGER NOT NULL
);
CREATE INDEX ale_user_links_by_sub ON ale_user_links (sub);

CREATE TABLE ale_link_codes (
    user_id TEXT PRIMARY KEY REFERENCES ale_users (id),
    code_hash TEXT NOT NULL UNIQUE,
    agency_name TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
