-- A provider's own enterprise number was stored as the assertion writes it (with dots),
-- every other number without: the two never matched. Every number is now stored as ten
-- digits without dots. (A provider whose plain record already exists keeps both rows.)
UPDATE dossier_organisations
SET enterprise_number = REPLACE(enterprise_number, '.', '')
WHERE enterprise_number LIKE '%.%'
  AND NOT EXISTS (
    SELECT 1 FROM dossier_organisations o
    WHERE o.owner_structure_id = dossier_organisations.owner_structure_id
      AND o.kind = dossier_organisations.kind
      AND o.enterprise_number = REPLACE(dossier_organisations.enterprise_number, '.', '')
  );
UPDATE dossiers
SET provider_number = REPLACE(provider_number, '.', '')
WHERE provider_number LIKE '%.%';
