-- Gateway second factors: durable mail outbox, trusted devices, pending second-factor
-- challenges, TOTP authenticators. Times are unix milliseconds. Codes and tokens are
-- stored as hashes; TOTP secrets and queued mail bodies are sealed.

CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    recipient       TEXT NOT NULL,
    sealed          TEXT NOT NULL,      -- subject and body, sealed; emptied once sent
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,  -- lease of the node sending it
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

CREATE TABLE trusted_devices (
    id              TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,   -- SHA-256 of the device cookie
    user_id         TEXT NOT NULL REFERENCES users (id),
    user_agent      TEXT,
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);

-- Which sessions a trusted device opened: revoking the device ends them.
CREATE TABLE device_sessions (
    device_id           TEXT NOT NULL,
    session_token_hash  TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    PRIMARY KEY (device_id, session_token_hash)
);

CREATE TABLE factor_challenges (
    token_hash      TEXT PRIMARY KEY,   -- SHA-256 of the challenge cookie
    user_id         TEXT NOT NULL REFERENCES users (id),
    opening         TEXT NOT NULL,      -- sealed session opening, used on success
    return_to       TEXT NOT NULL,
    lang            TEXT NOT NULL,
    method          TEXT NOT NULL,      -- 'email' or 'totp'
    code_hash       TEXT,               -- keyed hash of the emailed code
    attempts        BIGINT NOT NULL DEFAULT 0,
    sends           BIGINT NOT NULL DEFAULT 0,
    last_sent_at    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX factor_challenges_expires ON factor_challenges (expires_at);

CREATE TABLE totp_factors (
    user_id         TEXT PRIMARY KEY REFERENCES users (id),
    name            TEXT NOT NULL,
    secret_sealed   TEXT NOT NULL,
    confirmed       BIGINT NOT NULL DEFAULT 0,
    last_step       BIGINT NOT NULL DEFAULT 0,  -- highest time step accepted (no replay)
    created_at      BIGINT NOT NULL
);
