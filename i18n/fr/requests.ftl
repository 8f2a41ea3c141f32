# Demandes de rattachement et d'accès, « Mes organisations » et « Mes habilitations ».


## Mes organisations
mine_title = Mes organisations
mine_link = Mes organisations
mine_link_habilitations = Mes habilitations : ce que je peux faire, où et jusqu'à quand
mine_attachments = Organisations auxquelles je suis rattaché·e
mine_attachments_caption = Vos rattachements
mine_attachments_none = Vous n'êtes encore rattaché·e à aucune organisation.
mine_col_organisation = Organisation
mine_col_number = Numéro d'entreprise
mine_col_services = Services
mine_col_since = Depuis
mine_col_action = Action
mine_col_asked = Demandé le
mine_col_comment = Votre commentaire
mine_col_status = État
mine_whole = Toute l'organisation
mine_detach = Me détacher de { $name }
mine_requests = Mes demandes de rattachement
mine_requests_caption = Vos demandes de rattachement et leurs réponses
mine_requests_none = Vous n'avez fait aucune demande de rattachement.
mine_status_pending = En attente d'un gestionnaire d'accès
mine_status_approved = Acceptée
mine_status_rejected = Refusée
mine_ask = Demander un rattachement
mine_ask_intro = Indiquez le numéro d'entreprise de l'organisation pour laquelle vous travaillez et motivez votre demande. Ses gestionnaires d'accès l'accepteront ou la refuseront ; vous recevrez un courriel dans les deux cas.
mine_ask_number = Numéro d'entreprise (obligatoire)
mine_ask_number_help = Par exemple 0123.456.749 (Belgique) ou un numéro SIREN ou SIRET (France).
mine_ask_services = Services (facultatif)
mine_ask_services_help = Les codes des services dans lesquels vous travaillez, séparés par des virgules. Laissez vide pour toute l'organisation.
mine_ask_comment = Commentaire (obligatoire)
mine_ask_submit = Envoyer ma demande
mine_ask_errors = Votre demande n'a pas été envoyée :
mine_error_number = Ce numéro d'entreprise n'est pas valide : vérifiez ses chiffres.
mine_error_comment = Veuillez motiver votre demande de rattachement.
mine_error_services = L'un de ces codes n'est pas un service de cette organisation.
mine_error_conflict = Vous y êtes déjà rattaché·e, ou une de vos demandes y attend déjà une réponse.
mine_done_asked = Votre demande a été envoyée aux gestionnaires d'accès de l'organisation.
mine_done_asked_new = Cette organisation n'était pas encore sur la plateforme : elle a été ajoutée, et l'opérateur de la plateforme la vérifiera avant qu'il puisse être répondu à votre demande.
mine_done_detached = Vous n'êtes plus rattaché·e à cette organisation.
mine_pending_caption = Organisations ajoutées par une demande de rattachement, en attente du registre
mine_pending_since = Ajoutée le

## Demandes à traiter (gestionnaires)
req_title = Demandes à traiter
req_intro = Demandes de rattachement et d'accès pour { $organisation } ({ $number }).
req_attachments = Demandes de rattachement
req_attachment_from = { $name }, demande du { $date }
req_comment = Commentaire :
req_asked_for = Demande à être rattaché·e à :
req_attach_to = Rattacher à
req_whole = Toute l'organisation
req_these_services = Ces services :
req_rights_to_give = Habilitations à donner en même temps (facultatif)
req_valid_until = Valable jusqu'au (inclus)
req_note = Note pour le demandeur (facultatif)
req_approve = Accepter la demande de { $name }
req_reason = Motif (obligatoire pour refuser)
req_reject = Refuser la demande de { $name }
req_attachments_none = Aucune demande de rattachement en attente.
req_access = Demandes d'accès
req_access_from = { $name } demande « { $right } » (le { $date })
req_access_scope = Rattaché·e à :
req_grant = Accorder « { $right } » à { $name }
req_refuse = Refuser la demande de { $name }
req_access_none = Aucune demande d'accès en attente.
req_members = Personnes rattachées
req_members_caption = Personnes rattachées à { $organisation }
req_col_person = Personne
req_col_scope = Où
req_col_since = Depuis
req_col_action = Action
req_detach = Détacher { $name }
req_done_approved = La demande a été acceptée ; la personne en a été informée par courriel.
req_done_rejected = La demande a été refusée ; la personne en a été informée par courriel.
req_done_granted = L'habilitation a été accordée ; la personne en a été informée par courriel.
req_done_refused = La demande a été refusée ; la personne en a été informée par courriel.
req_done_detached = La personne a été détachée ; ses habilitations dans l'organisation ont pris fin.
req_mail_approved_subject = Votre rattachement à { $organisation } a été accepté
req_mail_approved_body = Bonjour { $name },

    Votre demande de rattachement à { $organisation } a été acceptée. Vous pouvez désormais choisir cette organisation après votre connexion.
req_mail_rejected_subject = Votre rattachement à { $organisation } a été refusé
req_mail_rejected_body = Bonjour { $name },

    Votre demande de rattachement à { $organisation } a été refusée, pour le motif suivant :

    { $reason }
req_mail_no_end = jusqu'à révocation
req_mail_granted_subject = L'habilitation « { $right } » vous a été accordée
req_mail_granted_body = Bonjour { $name },

    Votre demande d'accès a été acceptée : vous disposez désormais de « { $right } » pour { $organisation }, valable jusqu'au { $until }.
req_mail_refused_subject = Votre demande de « { $right } » a été refusée
req_mail_refused_body = Bonjour { $name },

    Votre demande de « { $right } » pour { $organisation } a été refusée, pour le motif suivant :

    { $reason }

## Mes habilitations
hab_title = Mes habilitations
hab_intro = Ce que vous pouvez faire, où, et jusqu'à quand.
hab_caption = Vos habilitations en vigueur
hab_col_organisation = Organisation
hab_col_services = Services
hab_col_application = Application
hab_col_level = Niveau d'accès
hab_col_until = Valable jusqu'au
hab_col_right = Habilitation
hab_col_asked = Demandée le
hab_col_status = État
hab_whole = Toute l'organisation
hab_no_end = Jusqu'à révocation
hab_ends_in = Prend fin dans { $days } jours
hab_ends_today = Prend fin aujourd'hui ou demain
hab_none = Vous n'avez aucune habilitation en vigueur.
hab_access = Mes demandes d'accès
hab_access_caption = Vos demandes d'accès et leurs réponses
hab_access_none = Vous n'avez fait aucune demande d'accès.
hab_access_pending = En attente d'un gestionnaire d'accès
hab_access_granted = Accordée
hab_access_refused = Refusée
hab_done_access_requested = Votre demande a été envoyée aux gestionnaires d'accès qui peuvent l'accorder.

## Accès refusé : le demander
acc_title = Accès refusé
acc_needed = Pour ouvrir cette page, il faut l'habilitation « { $right } » dans { $application } pour { $organisation }, et vous ne l'avez pas.
acc_granters = Ces gestionnaires d'accès peuvent vous l'accorder :
acc_granters_none = Aucun gestionnaire d'accès de cette organisation ne peut encore l'accorder.
acc_ask = Demander l'accès
acc_comment = Commentaire (facultatif)
acc_comment_help = Expliquez pourquoi vous en avez besoin ; les gestionnaires d'accès le liront.
acc_submit = Demander « { $right } »
acc_error_no_organisation = Choisissez d'abord l'organisation pour laquelle vous agissez.
acc_error_pending = Vous avez déjà demandé cette habilitation ; votre demande attend une réponse.
acc_mail_subject = { $requester } demande « { $right } »
acc_mail_body = Bonjour { $name },

    { $requester } demande l'habilitation « { $right } » pour { $organisation }. Vous pouvez l'accorder ou la refuser ici :

    { $link }
mine_mail_subject = { $requester } demande un rattachement
mine_mail_body = Bonjour { $name },

    { $requester } demande à être rattaché·e à { $organisation }, avec ce commentaire :

    { $comment }

    Vous pouvez accepter ou refuser la demande ici :

    { $link }
