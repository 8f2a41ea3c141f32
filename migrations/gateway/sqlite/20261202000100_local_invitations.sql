-- Invitations to a local password account (by an operator): a one-time link like the
-- reset links, but for a person who has no account yet. `local_links.user_id` becomes
-- optional (an invitation names nobody yet) and an invitation keeps the name and the
-- language of the mail; its address is `new_email`. SQLite cannot drop a NOT NULL, so
-- the table is rebuilt (nothing refers to it).
ALTER TABLE local_links RENAME TO local_links_before;
CREATE TABLE local_links (
    token_hash      TEXT PRIMARY KEY,   -- SHA-256 of the token in the mailed link
    user_id         TEXT REFERENCES users (id),  -- none for 'invite'
    purpose         TEXT NOT NULL,      -- 'reset', 'email' or 'invite'
    new_email       TEXT,               -- for 'email' and 'invite'
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    name            TEXT,               -- for 'invite': the person's name
    lang            TEXT                -- for 'invite': the language of the mail
);
INSERT INTO local_links (token_hash, user_id, purpose, new_email, created_at, expires_at)
    SELECT token_hash, user_id, purpose, new_email, created_at, expires_at FROM local_links_before;
DROP TABLE local_links_before;
CREATE INDEX local_links_user ON local_links (user_id, purpose);
CREATE INDEX local_links_email ON local_links (new_email, purpose);
