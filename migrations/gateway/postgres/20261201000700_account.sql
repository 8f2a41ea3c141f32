-- "My account": the names the eID provider gave (shown read-only), the person's own
-- profile, preferences (accessibility, notifications per application, weekly digest),
-- and self-deactivation (until an operator reactivates the account).
ALTER TABLE users ADD COLUMN idp_given_name TEXT;
ALTER TABLE users ADD COLUMN idp_family_name TEXT;
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;

CREATE TABLE user_profiles (
    user_id        TEXT PRIMARY KEY REFERENCES users (id),
    surname        TEXT,
    first_name     TEXT,
    contact_email  TEXT,                -- for notifications, not the login
    phone          TEXT,
    address        TEXT,                -- workplace address
    updated_at     BIGINT NOT NULL
);

CREATE TABLE user_preferences (
    user_id        TEXT PRIMARY KEY REFERENCES users (id),
    large_text     BIGINT NOT NULL DEFAULT 0,
    reduced_motion BIGINT NOT NULL DEFAULT 0,
    high_contrast  BIGINT NOT NULL DEFAULT 0,
    weekly_digest  BIGINT NOT NULL DEFAULT 0,
    digest_sent_at BIGINT,                -- when the last weekly digest was queued
    updated_at     BIGINT NOT NULL
);

-- Notifications per application: a row only for an application the person turned off
-- or on again; none means on.
CREATE TABLE user_app_notifications (
    user_id        TEXT NOT NULL REFERENCES users (id),
    application    TEXT NOT NULL,
    enabled        BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, application)
);
