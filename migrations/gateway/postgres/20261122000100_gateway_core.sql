-- Gateway core: people, their external identities, sessions, login flows, signing keys.
-- Times are unix milliseconds. Secrets are stored only as hashes or sealed.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    email         TEXT,
    nrn_hash      TEXT UNIQUE,          -- keyed hash of the national register number
    nrn_masked    TEXT,                 -- e.g. **.**.**-***.28
    locale        TEXT,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX users_email ON users (email);

CREATE TABLE user_identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    provider      TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,   -- SHA-256 of the cookie value
    sid             TEXT NOT NULL UNIQUE,
    user_id         TEXT NOT NULL REFERENCES users (id),
    display_name    TEXT NOT NULL,
    provider        TEXT,
    idp_issuer      TEXT,
    idp_subject     TEXT,
    idp_sid         TEXT,
    acr             TEXT NOT NULL,
    amr             TEXT NOT NULL,      -- JSON array
    structure_id    TEXT,
    services        TEXT NOT NULL DEFAULT '[]',
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,    -- absolute end
    user_agent      TEXT,
    ip              TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_idp ON sessions (idp_issuer, idp_sid);
CREATE INDEX sessions_idp_sub ON sessions (idp_issuer, idp_subject);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_flows (
    state_hash      TEXT PRIMARY KEY,   -- SHA-256 of the OAuth state
    browser_hash    TEXT NOT NULL,      -- SHA-256 of the login cookie bound to the browser
    provider        TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,      -- sealed
    return_to       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX login_flows_expires ON login_flows (expires_at);

CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    sealed_seed     TEXT NOT NULL,      -- XChaCha20-Poly1305 under a key derived from the master secret
    sign_from       BIGINT NOT NULL,    -- unix seconds
    sign_until      BIGINT NOT NULL,
    publish_until   BIGINT NOT NULL
);
