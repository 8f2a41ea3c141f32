-- The organisation a person last acted for, chosen again at their next login.
ALTER TABLE users ADD COLUMN last_structure_id TEXT;
