-- Wrong second-factor codes per person, across challenges: a person whose codes were
-- wrong too often in the last 24 hours gets no new challenge until the oldest ages out,
-- so the code space cannot be searched by opening challenge after challenge.
CREATE TABLE factor_failures (
    user_id         TEXT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX factor_failures_user ON factor_failures (user_id, at);
