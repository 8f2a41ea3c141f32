-- Access requests: a person attached to a structure, refused by the gateway for lack of a
-- right, asks its managers for it. A manager grants it (an ordinary grant, whose id is
-- kept here) or refuses it with a reason. One pending request per person, structure and
-- right.
CREATE TABLE policy_access_requests (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES policy_structures (id),
    user_id TEXT NOT NULL,
    right_id TEXT NOT NULL REFERENCES policy_rights (id),
    comment TEXT,
    status TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    reason TEXT,
    grant_id TEXT
);
CREATE UNIQUE INDEX policy_access_requests_one_pending
    ON policy_access_requests (structure_id, user_id, right_id) WHERE status = 'pending';
CREATE INDEX policy_access_requests_structure ON policy_access_requests (structure_id, status);
CREATE INDEX policy_access_requests_user ON policy_access_requests (user_id);
