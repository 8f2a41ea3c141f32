-- A person may ask to be attached to an organisation the platform does not know yet: it
-- is created from the number typed, pending (`pending_since` set) until the operator
-- confirms it; the operator's console lists the pending ones.
ALTER TABLE policy_structures ADD COLUMN pending_since BIGINT;
