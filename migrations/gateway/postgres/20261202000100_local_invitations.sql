-- Invitations to a local password account (by an operator): a one-time link like the
-- reset links, but for a person who has no account yet. `local_links.user_id` becomes
-- optional (an invitation names nobody yet) and an invitation keeps the name and the
-- language of the mail; its address is `new_email`.
ALTER TABLE local_links ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE local_links ADD COLUMN name TEXT;
ALTER TABLE local_links ADD COLUMN lang TEXT;
CREATE INDEX local_links_email ON local_links (new_email, purpose);
