-- Local password accounts (people without eID or company SSO): the login email, the
-- Argon2id hash, failure counting and lockout; one-time links (password reset, change
-- of login email) stored as hashes.

CREATE TABLE local_accounts (
    user_id             TEXT PRIMARY KEY REFERENCES users (id),
    login_email         TEXT NOT NULL UNIQUE,   -- lower-case
    password_hash       TEXT NOT NULL,          -- Argon2id PHC string
    failures            BIGINT NOT NULL DEFAULT 0,
    locked_until        BIGINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT NOT NULL,
    created_at          BIGINT NOT NULL
);

CREATE TABLE local_links (
    token_hash      TEXT PRIMARY KEY,   -- SHA-256 of the token in the mailed link
    user_id         TEXT NOT NULL REFERENCES users (id),
    purpose         TEXT NOT NULL,      -- 'reset' or 'email'
    new_email       TEXT,               -- for 'email'
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX local_links_user ON local_links (user_id, purpose);
