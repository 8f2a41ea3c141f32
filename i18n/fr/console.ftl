# La console d'administration déléguée (/admin/) : organisations, gestionnaires,
# personnes et habilitations, demandes de rattachement, journal d'audit.

console_title = Administration
console_intro = Les organisations que vous représentez ou gérez.
console_none = Vous ne représentez ni ne gérez aucune organisation. Pour y être rattaché, faites-en la demande depuis « Mes organisations ».
console_role_representative = Représentant légal
console_role_manager = Gestionnaire d'accès
console_operator = Opérateur de la plateforme
console_operator_intro = Vous êtes opérateur de la plateforme : vous pouvez importer le registre et rechercher toute organisation.
console_col_organisation = Organisation
console_col_number = Numéro d'entreprise
console_col_role = Votre rôle
