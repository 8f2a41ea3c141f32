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
