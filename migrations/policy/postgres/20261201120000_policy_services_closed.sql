-- A main manager closes a service once nobody holds a valid right or a local manager's
-- role there: it keeps its history (expired grants, the audit log) but is no longer
-- offered anywhere.
ALTER TABLE policy_services ADD COLUMN closed_at BIGINT;
-- The masked form (check digits only) of a national register number named in a pending
-- designation, so that the managers' list can show whom it waits for.
CREATE TABLE policy_masked_numbers (
    nrn_hash TEXT PRIMARY KEY,
    nrn_masked TEXT NOT NULL
);
