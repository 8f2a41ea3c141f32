# Prestations titres-services (entreprises agréées, travailleurs, utilisateurs) et dossiers
# chèques-entreprises.

prestations_app_title = Prestations titres-services
prestations_nav_todo = À faire
prestations_nav_prestations = Prestations
prestations_nav_encode = Encoder
prestations_nav_history = Historique
prestations_nav_enterprise = Entreprise
prestations_nav_dossiers = Chèques-entreprises
prestations_nav_notices = Mes notifications

## Mots communs
prestations_action = Action
prestations_activity = Activité
prestations_add = Ajouter
prestations_all = Tous
prestations_beneficiary = Bénéficiaire
prestations_by = Par
prestations_cheque = Chèque
prestations_continue = Continuer
prestations_create = Créer
prestations_date = Date
prestations_encoded = Encodage
prestations_enterprise = Entreprise
prestations_enterprise_number = Numéro d'entreprise :
prestations_enterprise_number_column = Numéro d'entreprise
prestations_filter = Filtrer
prestations_history = Historique
prestations_hours = Heures
prestations_mail = E-mail
prestations_message = Message
prestations_municipality = Commune
prestations_name = Nom
prestations_no_dossier = Aucun dossier pour l'instant.
prestations_none = Aucune.
prestations_note = Remarque
prestations_number = Numéro d'utilisateur titres-services
prestations_open = Ouvrir
prestations_open_column = Lien
prestations_open_of = la prestation du { $day }
prestations_postcode = Code postal
prestations_provider = Prestataire
prestations_reason = Motif
prestations_reason_required = Motif (obligatoire)
prestations_reference = Référence
prestations_save = Enregistrer
prestations_saved = Enregistré.
prestations_search = Rechercher
prestations_status = Statut
prestations_street = Rue et numéro
prestations_subject = Objet
prestations_theme = Thématique
prestations_user = Utilisateur·rice
prestations_weight = Pondération
prestations_what_you_can_do = Ce que vous pouvez faire
prestations_worker = Travailleur·euse
prestations_contact_email = Adresse e-mail de contact
prestations_contact_phone = Téléphone de contact

## Statuts d'une prestation (seed 001) et leurs couleurs
prestations_status_encoded = Encodée
prestations_status_to_validate = À valider par le·la travailleur·euse
prestations_status_contested_by_worker = Contesté par le·la travailleur·euse
prestations_status_validated_by_worker = Validé par le·la travailleur·euse
prestations_status_validated = Validée
prestations_status_waiting = En attente
prestations_status_confirmed = Confirmée
prestations_status_contested = Contestée
prestations_status_cancelled = Annulée
prestations_status_user_waiting = En attente de validation
prestations_legend_title = Légende des couleurs
prestations_legend_user_waiting = « En attente de validation » : le·la travailleur·euse doit encore la valider ; vous pouvez déjà la confirmer ou la contester.
prestations_user_confirmed_mark = (confirmée par l'utilisateur·rice)

## Activités
prestations_activity_cleaning = Nettoyage (vitres comprises)
prestations_activity_laundry_ironing = Lessive et repassage
prestations_activity_meals = Préparation des repas
prestations_activity_shopping = Courses ménagères
prestations_activity_ironing_centre = Centrale de repassage
prestations_activity_reduced_mobility_transport = Transport de personnes à mobilité réduite

## Qui et quoi
prestations_actor_worker = le·la travailleur·euse
prestations_actor_enterprise = l'entreprise
prestations_actor_user = l'utilisateur·rice
prestations_actor_system = le système
prestations_encoded_by = encodée par { $by }
prestations_encoded_corrected = encodée par { $by }, corrigée par { $corrector }
prestations_action_encode = encodée
prestations_action_send = envoyée à l'utilisateur·rice
prestations_action_correct = corrigée
prestations_action_validate = validée
prestations_action_contest = contestée
prestations_action_confirm = confirmée
prestations_action_cancel = annulée
prestations_action_auto_validate = validée automatiquement
prestations_action_auto_confirm = confirmée automatiquement

## État des e-mails
prestations_mail_sent = envoyé
prestations_mail_no_address = aucune adresse e-mail connue
prestations_mail_failed = non distribué
prestations_mail_queued = en attente d'envoi

## À faire
prestations_home_title = À faire
prestations_home_today = Aujourd'hui : { $today }.
prestations_home_number = Votre numéro d'utilisateur titres-services :
prestations_home_number_use = (communiquez-le à l'entreprise qui travaille pour vous).
prestations_home_awaiting_validation = En attente de validation (vous pouvez déjà confirmer ou contester)
prestations_home_awaiting_validation_help = L'entreprise a encodé ces prestations ; son·sa travailleur·euse les valide dans les 5 jours ouvrables. Votre réponse compte dès que vous la donnez.
prestations_home_to_confirm = À confirmer (prestations effectuées pour vous)
prestations_home_to_confirm_help = Sans confirmation de votre part dans les 60 jours calendrier, une prestation est confirmée automatiquement et ne peut plus être contestée.
prestations_home_to_validate = À valider (encodées ou corrigées par votre entreprise)
prestations_home_to_validate_help = Sans réponse de votre part dans les 5 jours ouvrables, une prestation est validée automatiquement.
prestations_home_drafts = Vos brouillons, pas encore envoyés
prestations_home_enterprise_link = Les notifications et paramètres de l'entreprise

## Listes
prestations_list_title = Prestations
prestations_list_download = Télécharger cette liste :
prestations_list_excel = Excel (.xlsx)
prestations_history_title = Historique
prestations_history_heading = Historique : les 3 derniers mois
prestations_history_intro = Prestations datées des 3 derniers mois (nous sommes le { $today }) ; les prestations annulées ne sont pas reprises. Sous chacune : qui l'a encodée.

## Une prestation
prestations_detail_title = Prestation du { $day }
prestations_detail_who_encoded = Encodée par
prestations_detail_worker_until = Le·la travailleur·euse peut répondre jusqu'au
prestations_detail_worker_until_value = { $day } (ensuite validée automatiquement)
prestations_detail_user_until = L'utilisateur·rice peut répondre jusqu'au
prestations_detail_user_until_value = { $day } (ensuite confirmée automatiquement) ; rappels envoyés : { $sent } sur 2
prestations_detail_user_answer = Réponse de l'utilisateur·rice
prestations_detail_you_confirmed = Vous l'avez confirmée pendant la validation par le·la travailleur·euse : elle sera confirmée dès la fin de cette validation.
prestations_detail_user_confirmed = L'utilisateur·rice l'a confirmée pendant la validation par le·la travailleur·euse : elle sera confirmée dès la fin de cette validation.
prestations_detail_confirmation = Confirmation
prestations_detail_auto_confirmed = Confirmée automatiquement : elle ne peut plus être contestée.
prestations_detail_correct = Corriger
prestations_detail_save_correction = Enregistrer la correction
prestations_detail_contest = Contester
prestations_detail_send = Envoyer à l'utilisateur·rice
prestations_detail_validate = Valider
prestations_detail_confirm = Confirmer
prestations_detail_cancel = Annuler la prestation

## Encodage
prestations_new_title = Encoder une prestation
prestations_new_find_client = Trouver le client : nom ou numéro d'utilisateur titres-services
prestations_new_find_client_help = Un nom est recherché parmi les clients de votre entreprise ; un numéro (10 chiffres, sur la page du client dans ce portail) trouve ce client.
prestations_new_find_worker = Trouver le·la travailleur·euse : nom ou numéro d'utilisateur titres-services
prestations_new_find_worker_help = Laissez vide pour encoder votre propre prestation. Une prestation encodée par l'entreprise est soumise à la validation du·de la travailleur·euse.
prestations_new_user = Utilisateur·rice (client)
prestations_new_no_client = Aucun client trouvé : recherchez par nom ou par le numéro d'utilisateur titres-services du client ci-dessus.
prestations_new_myself = Moi-même
prestations_new_hours = Heures (par quarts d'heure)
prestations_new_save_send = Enregistrer et envoyer à l'utilisateur·rice
prestations_new_save_draft = Enregistrer comme brouillon

## Mes notifications
prestations_me_title = Mes notifications
prestations_me_number = Votre numéro d'utilisateur titres-services :
prestations_me_number_use = Une entreprise ou un·e travailleur·euse vous trouve grâce à ce numéro ou à votre nom.
prestations_me_email = Adresse e-mail pour les notifications et les rappels
prestations_me_email_help = Une fois votre adresse e-mail encodée, votre entreprise ne peut plus la modifier à votre place.
prestations_me_notices = Notifications

## L'entreprise
prestations_office_title = Entreprise
prestations_office_email = Adresse e-mail pour les notifications de l'entreprise
prestations_office_email_help = Une fois par jour, s'il y a du changement, un e-mail reprend les prestations que vos travailleurs·euses doivent encore valider et les prestations contestées.
prestations_office_your_clients = Vos clients
prestations_office_your_workers_emails = Vos travailleurs·euses et leur adresse e-mail
prestations_office_to_validate = Vos travailleurs·euses doivent encore valider
prestations_office_contested = Contestées, à corriger ou à annuler
prestations_office_mails = E-mails adressés à l'entreprise
prestations_people_workers = Travailleurs·euses
prestations_people_clients = Clients
prestations_people_your_workers = Vos travailleurs·euses
prestations_people_your_clients = Vos clients
prestations_people_search = Nom ou numéro d'utilisateur titres-services
prestations_people_email = Adresse e-mail pour les notifications
prestations_people_email_self_set = Encodée par le·la travailleur·euse : elle ne peut plus être modifiée ici.
prestations_people_email_of = Adresse e-mail de { $name }
prestations_people_add_worker = Ajouter un·e travailleur·euse
prestations_people_add_client = Ajouter un client

## Chèques-entreprises : dossiers
prestations_dossier_status_01 = En cours d'introduction
prestations_dossier_status_02 = Introduit
prestations_dossier_status_03 = En cours de traitement
prestations_dossier_status_04 = Accepté
prestations_dossier_status_05 = Refusé
prestations_dossier_status_06 = Annulé
prestations_dossier_status_07 = Clôturé
prestations_daction_create = introduction
prestations_daction_edit = modification
prestations_daction_delete = suppression
prestations_daction_submit = soumission à l'Administration
prestations_daction_take = prise en traitement
prestations_daction_accept = acceptation
prestations_daction_refuse = refus
prestations_daction_cancel = annulation
prestations_daction_close = prestation déclarée réalisée
prestations_daction_duplicate = duplication
prestations_daction_regularisation_requested = demande de régularisation
prestations_daction_regularisation_granted = régularisation accordée
prestations_daction_regularisation_refused = régularisation refusée
prestations_dossiers_title = Dossiers chèques-entreprises
prestations_dossiers_new = Introduire un nouveau dossier
prestations_dossiers_own = Votre organisation
prestations_dossiers_to_decide = Régularisations à décider
prestations_dossiers_statuses = Statuts :
prestations_dossiers = Dossiers
prestations_dossier_title = Dossier { $reference }
prestations_dossier_start = Début prévu
prestations_dossier_submit_by = À soumettre au plus tard le
prestations_dossier_submit_late = (dépassé : demandez ci-dessous une régularisation si un dysfonctionnement vous en a empêché)
prestations_dossier_subcontractor = Sous-traitant
prestations_dossier_not_known = pas encore reconnu dans la plateforme
prestations_dossier_copied_from = Copié de
prestations_dossier_original = le dossier d'origine
prestations_dossier_competences = Compétences
prestations_dossier_competence = Compétence
prestations_dossier_how_used = Description de l'utilisation de la compétence dans la prestation
prestations_dossier_refuse = Refuser
prestations_dossier_cancel = Annuler
prestations_dossier_refuse_it = Refuser le dossier
prestations_dossier_cancel_it = Annuler le dossier
prestations_dossier_delete = Supprimer
prestations_dossier_submit = Soumettre à l'Administration
prestations_dossier_take = Prendre en traitement
prestations_dossier_accept = Accepter
prestations_dossier_close = Déclarer la prestation réalisée
prestations_dossier_duplicate = Dupliquer dans un nouveau dossier
prestations_regularisation = Régularisation
prestations_regularisation_intro = Si un dysfonctionnement de la plateforme vous a empêché de soumettre dans les délais, demandez une dérogation au délai en apportant la preuve de vos démarches (capture d'écran, notification reçue).
prestations_regularisation_of = Demande de { $name }
prestations_regularisation_pending = En attente de décision
prestations_regularisation_granted = Accordée : peut être soumis jusqu'au { $day }
prestations_regularisation_refused = Refusée
prestations_regularisation_asked_by = demandée par { $name } :
prestations_regularisation_proof = preuve :
prestations_regularisation_decided_by = décidée par { $name }
prestations_regularisation_decide = Décider
prestations_regularisation_decision = Décision
prestations_regularisation_grant = Accorder un nouveau délai
prestations_regularisation_refuse = Refuser
prestations_regularisation_until = Nouveau délai de soumission (pour accorder)
prestations_regularisation_note = Motif (obligatoire pour refuser)
prestations_regularisation_record = Enregistrer la décision
prestations_regularisation_ask = Demander une régularisation
prestations_regularisation_what = Ce que le dysfonctionnement a empêché (obligatoire)
prestations_regularisation_proof_label = Preuve : capture d'écran PNG ou JPEG ou document PDF, 5 Mo au maximum (obligatoire)
prestations_regularisation_ask_it = Demander la régularisation
prestations_dossier_form_introduce = Introduire un dossier
prestations_dossier_form_change = Modifier le dossier
prestations_dossier_form_energy = (chèque énergie)
prestations_dossier_form_cheque = Chèque :
prestations_dossier_form_choose_another = en choisir un autre
prestations_dossier_form_beneficiary_number = Numéro d'entreprise du bénéficiaire
prestations_dossier_form_beneficiaries_help = Un nouveau bénéficiaire reçoit une fiche ; vos bénéficiaires sont repris sur
prestations_dossier_form_beneficiaries_link = leurs fiches
prestations_dossier_form_beneficiary_name = Nom du bénéficiaire
prestations_dossier_form_start = Début prévu de la prestation
prestations_dossier_form_start_help = La demande est soumise au plus tard à cette date.
prestations_dossier_form_subcontractor = Sous-traitant (facultatif)
prestations_dossier_form_known = Reconnu dans la plateforme
prestations_dossier_form_known_none = Aucun, ou un sous-traitant absent de cette liste
prestations_dossier_form_unknown_number = Ou pas encore reconnu dans la plateforme : son numéro d'entreprise
prestations_dossier_form_unknown_name = et son nom
prestations_dossier_form_competences = Compétences (pondérations en %, totalisant 100 ; laissez 0 pour une compétence non mobilisée)
prestations_dossier_form_weight = { $competence } : pondération
prestations_dossier_form_how_used = Description de l'utilisation de la compétence « { $competence } » dans la prestation
prestations_dossier_form_single = Pour ce chèque, la compétence est le chèque lui-même, pondéré à 100 %.
prestations_dossier_form_description = Description de l'utilisation de la compétence dans la prestation (obligatoire)
prestations_dossier_form_save = Enregistrer (statut 01, en cours d'introduction)

## Bénéficiaires et organisations
prestations_beneficiaries_title = Bénéficiaires
prestations_beneficiaries_own_record = La fiche de votre organisation
prestations_beneficiaries_none = Aucun bénéficiaire pour l'instant.
prestations_beneficiaries_create = Créer un bénéficiaire
prestations_org_yours = (votre organisation)
prestations_org_dossiers = Dossiers de ce bénéficiaire
prestations_org_introduce = Introduire un dossier pour ce bénéficiaire
prestations_org_modify_own = Modifier les données de votre organisation
prestations_org_modify_beneficiary = Modifier les données du bénéficiaire
prestations_cheques_title = Matrice des compétences
prestations_cheques_intro = Pour chaque chèque, la compétence mobilisée et sa pondération. Hors chèques énergie, la compétence correspond à l'intitulé du chèque, pondérée à 100 %.
prestations_cheques_competence = Compétence mobilisée
prestations_cheques_shared = répartie dans le dossier

## E-mails (dans la langue du destinataire)
prestations_mail_validate_subject = Une prestation attend votre validation
prestations_mail_validate_body =
    { $enterprise } a encodé ou corrigé une prestation du { $date } ({ $hours } h, { $activity }) pour { $user }.
    Validez-la ou contestez-la au plus tard le { $due } ; sans réponse, elle est validée automatiquement.
prestations_mail_confirm_subject = Veuillez confirmer une prestation
prestations_mail_confirm_body =
    { $worker } a effectué pour vous { $hours } h de { $activity } le { $date } ({ $enterprise }).
    Confirmez-la ou contestez-la au plus tard le { $due } ; passé ce jour, elle est confirmée automatiquement et ne peut plus être contestée.
prestations_mail_reminder_subject = Rappel { $number } : veuillez confirmer une prestation
prestations_mail_reminder_intro = Rappel { $number } sur 2 : une prestation attend toujours votre confirmation.
prestations_mail_auto_confirmed_subject = Une prestation a été confirmée automatiquement
prestations_mail_auto_confirmed_body = La prestation du { $date } effectuée par { $worker } n'a été ni confirmée ni contestée au plus tard le { $due } : elle est désormais confirmée et ne peut plus être contestée.
prestations_mail_digest_subject = Prestations à suivre : { $to_validate } à valider par vos travailleurs·euses, { $contested } contestée(s)
prestations_mail_digest_intro = { $name } : prestations à suivre.
prestations_mail_digest_to_validate = Vos travailleurs·euses doivent encore valider :
prestations_mail_digest_contested = Contestées, à corriger ou à annuler :
prestations_mail_digest_none = (aucune)
prestations_mail_digest_line = - { $date } : { $worker } pour { $user }, { $hours } h de { $activity } ({ $status })
prestations_mail_digest_line_due = - { $date } : { $worker } pour { $user }, { $hours } h de { $activity } ({ $status }, à valider au plus tard le { $due })

## Refus écrits par les pages
prestations_error_not_mail_address = Ceci n'est pas une adresse e-mail.

## Pourquoi une action sur une prestation est refusée
prestations_refusal = Impossible : { $reason }.
prestations_refusal_send_owner = seul·e le·la travailleur·euse envoie son propre encodage
prestations_refusal_validate_owner = seul·e le·la travailleur·euse valide ce que l'entreprise a encodé
prestations_refusal_confirm_owner = seul·e l'utilisateur·rice confirme une prestation
prestations_refusal_contest_owner = seul·e le·la travailleur·euse ou l'utilisateur·rice peut contester
prestations_refusal_correct_owner = seul·e le·la travailleur·euse ou l'entreprise peut le faire
prestations_refusal_scheduler_owner = seul le traitement automatique des délais le fait
prestations_refusal_cancelled = elle est annulée
prestations_refusal_auto_confirmed = elle a été confirmée automatiquement après 60 jours et ne peut plus être contestée
prestations_refusal_you_confirmed = vous l'avez confirmée : elle ne peut plus être contestée
prestations_refusal_confirmed = elle est confirmée et ne peut plus changer
prestations_refusal_already_contested = elle est déjà contestée
prestations_refusal_already_confirmed = vous l'avez déjà confirmée ; elle attend maintenant la validation du·de la travailleur·euse
prestations_refusal_worker_contested = le·la travailleur·euse l'a contestée ; l'entreprise la corrige d'abord
prestations_refusal_not_waiting_user = elle n'attend pas votre confirmation
prestations_refusal_not_to_validate = seule une prestation encodée ou corrigée par l'entreprise attend la validation du·de la travailleur·euse
prestations_refusal_not_encoded = seule une prestation encore en cours d'encodage peut être envoyée
prestations_refusal_worker_own_only = un·e travailleur·euse ne corrige ou ne retire que son propre encodage avant sa validation ; adressez-vous à l'entreprise
prestations_refusal_not_waiting_worker = elle n'attend pas le·la travailleur·euse
prestations_refusal_not_waiting_confirmation = elle n'attend pas la confirmation de l'utilisateur·rice
prestations_refusal_not_now = cette action n'est pas possible pour l'instant

## Pourquoi une action sur un dossier est refusée
prestations_dossier_refusal_edit = seul un dossier en cours d'introduction (01) peut être modifié ; dupliquez-le plutôt
prestations_dossier_refusal_delete = seul un dossier en cours d'introduction (01) peut être supprimé
prestations_dossier_refusal_submit = seul un dossier en cours d'introduction (01) peut être soumis
prestations_dossier_refusal_take = seul un dossier introduit (02) peut être pris en traitement
prestations_dossier_refusal_decide = seul un dossier en cours de traitement (03) peut faire l'objet d'une décision
prestations_dossier_refusal_cancel = seul un dossier en cours de traitement (03) peut être annulé
prestations_dossier_refusal_close = seul un dossier accepté (04) peut être clôturé
prestations_dossier_refusal_duplicate = tout dossier peut être dupliqué

## Exports (en-têtes de colonnes)
prestations_export_date = Date
prestations_export_enterprise = Entreprise
prestations_export_enterprise_number = Numéro d'entreprise
prestations_export_worker = Travailleur·euse
prestations_export_worker_number = Numéro du·de la travailleur·euse
prestations_export_client = Client
prestations_export_client_number = Numéro du client
prestations_export_activity = Activité
prestations_export_hours = Heures
prestations_export_status = Statut
prestations_export_status_code = Code du statut
prestations_export_encoded = Encodage
prestations_export_worker_until = Réponse du·de la travailleur·euse jusqu'au
prestations_export_client_until = Réponse du client jusqu'au
prestations_export_client_confirmed = Confirmée par le client pendant la validation par le·la travailleur·euse
prestations_export_yes = oui

## Refusals (services and forms): the English text is also the JSON API's
prestations_refusal_future = une prestation s'encode une fois effectuée : la date est dans le futur
prestations_refusal_act_for_enterprise = une prestation s'encode pour une entreprise : agissez pour votre entreprise
prestations_refusal_activity = activité inconnue
prestations_refusal_same_person = le travailleur et l'utilisateur doivent être des personnes différentes
prestations_refusal_scheduler_only = seul le planificateur des échéances fait cela
prestations_refusal_reason = un motif est requis pour contester
prestations_refusal_correction_empty = une correction doit changer la date, les heures ou l'activité
prestations_refusal_office_act = agissez pour votre entreprise pour voir son bureau
prestations_refusal_email = l'adresse e-mail n'est pas valable
prestations_refusal_not_your_worker = cette personne n'est pas l'un de vos travailleurs : ajoutez-la d'abord
prestations_refusal_email_self_set = le travailleur a choisi lui-même son adresse e-mail : l'entreprise ne peut plus la changer
prestations_refusal_own_subcontractor = subcontractor : un prestataire n'est pas son propre sous-traitant
prestations_refusal_subcontractor_name = subcontractor : la plateforme ne connaît pas encore cette entreprise : donnez son nom
prestations_refusal_choose_provider = choisissez d'abord votre structure (le prestataire)
prestations_refusal_dossier_for_itself = un prestataire ne peut pas introduire un dossier pour lui-même
prestations_refusal_dossier_provider_only = seul le prestataire qui a introduit le dossier peut faire cela
prestations_refusal_use_edit = utilisez la demande de modification, de suppression ou de duplication
prestations_refusal_regularisation_provider = seul le prestataire qui a introduit le dossier en demande la régularisation
prestations_refusal_regularisation_01 = seul un dossier en cours d'introduction (01) est régularisé : son délai d'introduction
prestations_refusal_regularisation_reason = reason : dites ce que le dysfonctionnement a empêché
prestations_refusal_proof_missing = proof : joignez une preuve des tentatives (une capture d'écran, une notification reçue)
prestations_refusal_proof_type = proof : une image PNG ou JPEG ou un document PDF
prestations_refusal_regularisation_pending = une régularisation de ce dossier attend déjà une décision
prestations_refusal_regularisation_own = le prestataire ne décide pas de sa propre régularisation
prestations_refusal_until_required = until : le nouveau délai d'introduction est requis
prestations_refusal_until_date = until : une date au format AAAA-MM-JJ est attendue
prestations_refusal_until_past = until : le nouveau délai ne peut pas être passé
prestations_refusal_note = note : un refus dit pourquoi
prestations_refusal_decision = la décision doit être « accorder » ou « refuser »
prestations_refusal_not_pending = cette demande n'attend pas de décision
prestations_refusal_org_name = name : le nom de l'organisation est requis
prestations_refusal_org_email = email : ce n'est pas une adresse e-mail
prestations_refusal_own_beneficiary = enterprise_number : un prestataire n'est pas son propre bénéficiaire
prestations_refusal_act_for_provider = agissez d'abord pour votre organisation (le prestataire)
prestations_refusal_record_exists = ce bénéficiaire a déjà une fiche : modifiez-la plutôt
prestations_refusal_office_right = le bureau de l'entreprise exige le droit « { $right } »
prestations_refusal_nobody_number = personne n'a le numéro d'utilisateur { $number }
prestations_refusal_no_prestation = cette prestation n'existe pas
prestations_refusal_stale = la prestation a changé entre-temps ; rechargez-la et réessayez
prestations_refusal_other_worker_right = encoder pour un autre travailleur exige le droit « { $right } »
prestations_refusal_no_worker_number = aucun travailleur n'a le numéro d'utilisateur { $number }
prestations_refusal_no_client_number = aucun client n'a le numéro d'utilisateur { $number } : le client le lit sur sa page de ce portail
prestations_refusal_hours_positive = le nombre d'heures doit être positif
prestations_refusal_hours_quarters = les heures se comptent par quarts d'heure (par exemple 2,25, 2,5, 2,75)
prestations_refusal_hours_most = une prestation dure au plus 12 heures
prestations_refusal_date = { $field } : une date au format AAAA-MM-JJ est attendue
prestations_refusal_no_dossier = ce dossier n'existe pas
prestations_refusal_dossier_stale = le dossier a changé entre-temps ; rechargez-le et réessayez
prestations_refusal_start_past = start_date : la demande s'introduit avant le début de la prestation ; le { $start } est passé (un dossier empêché par un dysfonctionnement demande une régularisation)
prestations_refusal_administration_only = seule l'administration (droit « { $right } ») peut faire cela sur un dossier
prestations_refusal_deadline = la demande devait être introduite au plus tard le { $by }, avant le début de la prestation ; si un dysfonctionnement de la plateforme l'a empêché, demandez une régularisation avec une preuve
prestations_refusal_dossier_reason = un motif est requis pour cette décision
prestations_refusal_reason_long = reason : au plus { $max } caractères
prestations_refusal_proof_size = proof : au plus { $max } Mio
prestations_refusal_operator_decides = seul un opérateur (droit « { $right } ») décide d'une régularisation
prestations_refusal_form_unreadable = le formulaire n'a pas pu être lu ; envoyez-le à nouveau
prestations_refusal_choose_client = choisissez le client dans la liste
prestations_refusal_hours_number = le nombre d'heures doit être un nombre, par exemple 3 ou 2,5
prestations_refusal_description = une description de l'usage de la compétence est obligatoire
prestations_refusal_description_of = une description de l'usage de « { $label } » est obligatoire
prestations_refusal_description_long = une description compte au plus { $max } caractères
prestations_refusal_competence_itself = hors chèques énergie, la compétence est le chèque lui-même, pondéré à 100 %
prestations_refusal_energy_competences = un chèque énergie répartit son travail entre ses compétences : donnez chacune avec une pondération et une description
prestations_refusal_foreign_competence = { $code } n'est pas une compétence de ce chèque
prestations_refusal_competence_twice = { $code } est donnée deux fois
prestations_refusal_weight = chaque pondération est comprise entre 1 et 100
prestations_refusal_weights_total = les pondérations totalisent { $total } %, et non 100 %
prestations_refusal_beneficiary_name = le nom du bénéficiaire est requis
prestations_refusal_cheque = chèque inconnu
prestations_refusal_start_required = start_date : le début prévu de la prestation est requis
prestations_refusal_subcontractor_beneficiary = le sous-traitant ne peut pas être le bénéficiaire
prestations_refusal_enterprise_length = { $field } : un numéro d'entreprise compte 10 chiffres
prestations_refusal_enterprise_checksum = { $field } : les chiffres de contrôle du numéro d'entreprise ne correspondent pas
prestations_refusal_field_number_length = { $field } : un numéro d'utilisateur compte 10 chiffres
prestations_refusal_field_number_checksum = { $field } : les chiffres de contrôle du numéro d'utilisateur ne correspondent pas : vérifiez-le
prestations_refusal_number_length = un numéro d'utilisateur compte 10 chiffres
prestations_refusal_number_checksum = les chiffres de contrôle du numéro d'utilisateur ne correspondent pas : vérifiez-le
