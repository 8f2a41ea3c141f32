-- The rights catalogue comes from the gateway's configuration: a level removed from it is
-- retired (it stops deciding and cannot be granted) while its grants are kept, so that
-- putting it back restores them.
ALTER TABLE policy_rights ADD COLUMN retired_at BIGINT;
