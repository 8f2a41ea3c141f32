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

## Every structure page
console_nav_label = Administration de l'organisation
console_nav_organisation = Organisation
console_nav_managers = Gestionnaires d'accès
console_nav_people = Personnes et habilitations
console_back_home = Retour à mes organisations
console_refused = Cette modification a été refusée.
console_forbidden_title = Accès refusé
console_forbidden_text = Seuls les représentants légaux et les gestionnaires d'accès d'une organisation peuvent en voir l'administration.
console_col_name = Nom
console_col_actions = Actions
console_done_renamed = La dénomination usuelle a été modifiée.
console_done_service_created = Le service a été créé.
console_done_service_renamed = Le service a été renommé.
console_done_service_closed = Le service a été fermé.
console_done_main_designated = Le gestionnaire d'accès principal a été désigné.
console_done_main_removed = Le gestionnaire d'accès principal a été retiré.
console_done_local_designated = Le gestionnaire d'accès local a été désigné.
console_done_local_removed = Le gestionnaire d'accès local a été retiré.
console_done_granted = L'habilitation a été accordée.
console_done_level_changed = Le niveau d'accès a été modifié.
console_done_renewed = L'habilitation a été prolongée.
console_done_revoked = L'habilitation a été retirée.

## The organisation page
console_structure_title = Organisation
console_structure_identity = Identification
console_legal_name = Dénomination sociale
console_common_name = Dénomination usuelle
console_common_name_new = Nouvelle dénomination usuelle
console_common_name_save = Modifier la dénomination usuelle
console_reps_title = Représentants légaux
console_reps_intro = Issus de la Banque-Carrefour des Entreprises ; ils ne peuvent pas être modifiés ici.
console_reps_not_logged_in = Pas encore connecté
console_reps_none = La banque de données ne mentionne aucun représentant légal.
console_col_function = Fonction
console_col_since = Depuis
console_services_title = Services
console_services_none = Aucun service : les personnes sont rattachées à toute l'organisation.
console_col_code = Code
console_col_label = Libellé
console_service_label_new = Nouveau libellé de { $code }
console_service_rename = Renommer
console_service_close = Fermer { $code }
console_service_close_rule = Un service ne peut être fermé que lorsque plus personne n'y détient d'habilitation valide et qu'il n'a plus de gestionnaire d'accès local.
console_service_new = Nouveau service
console_service_code_hint = Lettres, chiffres, « - », « _ » et « . » ; unique dans l'organisation.
console_service_create = Créer le service

## The managers page
console_managers_title = Gestionnaires d'accès
console_managers_heading = Gestionnaires d'accès de { $name }
console_mains_title = Gestionnaires d'accès principaux
console_mains_last_rule = Une organisation garde toujours au moins un gestionnaire d'accès principal : le dernier ne peut ni partir ni être retiré tant qu'un successeur n'est pas désigné.
console_mains_none = Aucun gestionnaire d'accès principal pour l'instant.
console_mains_designate = Désigner un gestionnaire d'accès principal
console_col_status = Statut
console_col_service = Service
console_pending = En attente de sa première connexion
console_active = Actif
console_withdraw = Retirer la désignation de { $name }
console_remove = Retirer { $name }
console_resign = Quitter ce rôle
console_nrn_label = Numéro de registre national
console_nrn_hint = 11 chiffres, par exemple 85.07.30-033.28. La personne devient gestionnaire à sa première connexion.
console_nrn_invalid = Ce numéro de registre national n'est pas valide : vérifiez les 11 chiffres.
console_designate = Désigner
console_unknown_person = Cette personne n'est pas connue ici.
console_locals_title = Gestionnaires d'accès locaux par service
console_locals_col = Gestionnaires d'accès locaux
console_locals_none = Aucun
console_locals_designate = Désigner un gestionnaire d'accès local
console_local_one_of = Choisissez une personne déjà rattachée ou saisissez un numéro de registre national (l'un des deux).
console_local_person = Personne rattachée à l'organisation
console_local_person_none = (aucune : utiliser le numéro de registre national)
console_local_nrn = Ou numéro de registre national
