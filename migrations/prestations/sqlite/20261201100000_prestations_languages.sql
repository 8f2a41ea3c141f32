-- The language of each person's mails (the language of their pages at their last visit)
-- and of each enterprise's digest (the language of whoever last set its email). English
-- until known.
ALTER TABLE prestation_people ADD COLUMN lang TEXT;
ALTER TABLE prestation_enterprises ADD COLUMN lang TEXT;
