-- WebAuthn security keys: the registered credentials (several per person, named) and the
-- state of a ceremony between its two round trips, kept server side and sealed. Times
-- are unix milliseconds.

CREATE TABLE webauthn_credentials (
    id              TEXT PRIMARY KEY,       -- public id (forms, audit)
    user_id         TEXT NOT NULL REFERENCES users (id),
    credential_id   TEXT NOT NULL UNIQUE,   -- base64url of the authenticator's credential id
    name            TEXT NOT NULL,
    credential      TEXT NOT NULL,          -- the verified public key and counter (JSON)
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- One pending ceremony per key: the hash of the login challenge cookie (authentication)
-- or of the session cookie (registration). Consumed (deleted) by its first answer.
CREATE TABLE webauthn_states (
    state_key       TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    purpose         TEXT NOT NULL,          -- 'register' or 'authenticate'
    name            TEXT,                   -- name of the key being registered
    state_sealed    TEXT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX webauthn_states_expires ON webauthn_states (expires_at);
