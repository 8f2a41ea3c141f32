# Chèques ALE (agence locale pour l'emploi) : les pages des agents et des utilisateurs.

vouchers_app_title = Chèques ALE
vouchers_nav_home = Accueil
vouchers_nav_users = Utilisateurs
vouchers_nav_register_user = Inscrire un utilisateur
vouchers_nav_providers = Prestataires
vouchers_nav_prestations = Prestations
vouchers_nav_invoices = Factures
vouchers_nav_wallet = Mon portefeuille

## Mots communs
vouchers_activity = Activité
vouchers_address = Adresse
vouchers_all = Tous
vouchers_ascending = croissant
vouchers_descending = décroissant
vouchers_authorization = Autorisation
vouchers_authorizations = Autorisations
vouchers_authorization_creation = Inscription
vouchers_authorization_renewal = Renouvellement
vouchers_available = disponible
vouchers_spent = utilisé
vouchers_centre = CPAS
vouchers_common_name = Nom commun
vouchers_contact = Coordonnées
vouchers_cpas = Centre public d'action sociale (CPAS)
vouchers_date = Date
vouchers_effective_from = Date d'entrée en vigueur
vouchers_email = Adresse e-mail
vouchers_email_none = aucune
vouchers_enterprise_number = Numéro d'entreprise
vouchers_first_name = Prénom
vouchers_last_name = Nom
vouchers_from = Du
vouchers_history = Historique
vouchers_holder = Titulaire
vouchers_hours = Heures
vouchers_kind = Type de personne
vouchers_kind_natural = Personne physique
vouchers_kind_legal = Personne morale
vouchers_language = Langue
vouchers_language_fr = Français
vouchers_language_nl = Néerlandais
vouchers_language_de = Allemand
vouchers_language_en = Anglais
vouchers_legal_name = Dénomination
vouchers_municipality = Commune
vouchers_name = Nom
vouchers_no = non
vouchers_yes = oui
vouchers_no_email_known = aucune adresse e-mail connue
vouchers_none = Aucun.
vouchers_note = Remarque
vouchers_order = Ordre
vouchers_phone = Téléphone
vouchers_postcode = Code postal
vouchers_prestations = Prestations
vouchers_provider = Prestataire
vouchers_record = Enregistrer
vouchers_record_prestation = Enregistrer une prestation
vouchers_recorded_by = Enregistré par
vouchers_register = Inscrire
vouchers_register_user = Inscrire un utilisateur
vouchers_registration = Inscription
vouchers_renew = Renouveler
vouchers_save = Enregistrer
vouchers_show = Afficher
vouchers_since = Depuis le
vouchers_sort_by = Trier par
vouchers_state = État
vouchers_status = Statut
vouchers_street = Rue et numéro
vouchers_type = Type
vouchers_user = Utilisateur
vouchers_valid_until = Fin de validité
vouchers_voucher = Chèque
vouchers_vouchers = Chèques

## Statut d'une prestation
vouchers_status_unpaid = Impayée
vouchers_status_paid = Payée
vouchers_status_contested = Contestée
vouchers_status_cancelled = Annulée

## Types de prestataire
vouchers_type_unemployed = Chômeur complet indemnisé
vouchers_type_integration_income = Revenu d'intégration sociale (CPAS)
vouchers_type_social_aid = Aide sociale équivalente (CPAS)
vouchers_type_not_eligible = Non éligible

## Activités
vouchers_activity_gardening = Petits travaux de jardinage
vouchers_activity_small_repairs = Petits travaux de réparation
vouchers_activity_childcare = Garde d'enfants
vouchers_activity_elderly_accompaniment = Accompagnement de personnes âgées ou malades
vouchers_activity_administrative_help = Aide administrative
vouchers_activity_school_supervision = Surveillance scolaire
vouchers_activity_event_help = Aide lors d'événements locaux
vouchers_activity_agriculture = Travaux agricoles saisonniers

## Accueil
vouchers_home_title = Accueil
vouchers_home_contested = Prestations contestées :
vouchers_home_unpaid = Prestations impayées :
vouchers_home_expiring = Autorisations prenant fin dans les 30 jours

## Factures
vouchers_invoice_title = Facture { $number }
vouchers_invoice_date = Date :
vouchers_invoice_caption = Chèques facturés
vouchers_invoice_item = Article
vouchers_invoice_quantity = Quantité
vouchers_invoice_unit_price = Prix unitaire (EUR)
vouchers_invoice_total = Total (EUR)
vouchers_invoice_vouchers = Chèques ALE
vouchers_invoice_vat = TVA : non applicable.
vouchers_invoices_title = Factures
vouchers_invoices_number = Numéro
vouchers_invoices_to = Destinataire
vouchers_invoices_mailed = Envoyée par e-mail

## Le portefeuille de l'utilisateur
vouchers_wallet_title = Mon portefeuille
vouchers_wallet_at = { $agency } : { $balance } chèques
vouchers_wallet_registered_as = Inscrit sous le nom { $name }.
vouchers_wallet_none = Aucun portefeuille n'est encore lié à votre nom.
vouchers_wallet_link_title = Lier un portefeuille
vouchers_wallet_code = Le code que votre agence locale pour l'emploi vous a remis
vouchers_wallet_link = Lier
vouchers_wallet_linked = Lien établi : votre portefeuille auprès de { $agency }.

## Prestataires
vouchers_providers_title = Prestataires
vouchers_providers_name_or_email = Nom ou adresse e-mail
vouchers_providers_eligible = Éligibles (tout type permettant des heures)
vouchers_providers_no_type = Aucun type encore en vigueur
vouchers_providers_on = Type et CPAS à la date du
vouchers_providers_type_since = Type en vigueur depuis
vouchers_providers_not_yet_effective = pas encore en vigueur
vouchers_providers_no_match = Aucun prestataire ne correspond.
vouchers_providers_register_title = Inscrire un prestataire
vouchers_providers_cpas_required = Centre public d'action sociale (obligatoire pour les types CPAS)
vouchers_provider_type_on = Type à la date du
vouchers_provider_on = Au { $day } :
vouchers_provider_no_type_yet = pas encore de type
vouchers_provider_centre = CPAS :
vouchers_provider_since = depuis le { $day }
vouchers_provider_change_title = Changer le type ou le CPAS
vouchers_provider_change = Enregistrer le changement

## Utilisateurs
vouchers_users_title = Utilisateurs
vouchers_users_search = Nom, nom commun ou numéro d'entreprise
vouchers_users_natural = Personnes physiques
vouchers_users_legal = Personnes morales
vouchers_users_valid_today = Valide aujourd'hui
vouchers_users_expiring = Prenant fin avant la date ci-dessous
vouchers_users_expired = Échue
vouchers_users_before = Prenant fin avant le (par défaut : dans 30 jours)
vouchers_users_end_of_authorization = Fin de l'autorisation
vouchers_users_download = Télécharger cette liste (.xlsx)
vouchers_users_authorization_until = Autorisation jusqu'au
vouchers_users_no_match = Aucun utilisateur ne correspond.
vouchers_user_authorized_today = Autorisé aujourd'hui
vouchers_user_online_access = Accès en ligne
vouchers_user_link_code = Remettez ce code à { $name } :
vouchers_user_link_code_use = (valable jusqu'au { $until }, une seule fois). Connecté en son nom propre, l'utilisateur l'introduit sur sa page pour consulter son portefeuille et ses prestations.
vouchers_user_give_code = Remettre un code pour consulter le portefeuille en ligne
vouchers_user_wallet = Portefeuille : { $balance } chèques
vouchers_user_buy_label = Acheter des chèques (EUR { $price } pièce)
vouchers_user_buy = Acheter
vouchers_user_renew_from = Du (par défaut : le lendemain de la fin actuelle, ou aujourd'hui)
vouchers_user_invoice_of = Facture { $number } du { $day }
vouchers_user_invoice_not_mailed = (non envoyée : aucune adresse e-mail connue)
vouchers_open_invoice = Ouvrir la facture { $number }
vouchers_user_form_lookup = Rechercher ce qui est déjà connu
vouchers_user_form_lookup_number = Numéro d'entreprise (personne morale)
vouchers_user_form_prefill = Préremplir le formulaire
vouchers_user_form_already = Cette personne est déjà utilisatrice de cette agence :
vouchers_user_form_already_link = ouvrir sa fiche pour renouveler l'autorisation
vouchers_user_form_sources = Prérempli à partir de : { $sources }.
vouchers_user_form_common_name = Nom commun (affiché sur les chèques et les listes)
vouchers_user_form_email = Adresse e-mail (les factures y sont envoyées)

## Prestations
vouchers_works_contested = Contestées :
vouchers_works_unpaid = Impayées :
vouchers_works_all = Toutes les prestations
vouchers_works_type_on_date = Type à cette date
vouchers_work_title = Prestation du { $day }
vouchers_work_wallet = portefeuille : { $balance } chèques
vouchers_work_on_that_date = à cette date :
vouchers_work_no_type = aucun type
vouchers_work_hours_vouchers = Heures / chèques
vouchers_work_contested_because = Motif de la contestation
vouchers_work_resolution = Résolution
vouchers_work_pay = Payer { $hours } chèques depuis le portefeuille
vouchers_work_cancel = Annuler la prestation
vouchers_work_contest_legend = L'utilisateur conteste
vouchers_work_reason = Motif
vouchers_work_contest = Enregistrer la contestation
vouchers_work_resolve_legend = Traiter la contestation
vouchers_work_outcome = Issue
vouchers_work_uphold = La prestation est maintenue (de nouveau impayée)
vouchers_work_cancel_it = L'annuler
vouchers_work_corrected_hours = Heures corrigées (facultatif)
vouchers_work_resolve = Clôturer la contestation
vouchers_work_form_user = Utilisateur (autorisé aujourd'hui)
vouchers_work_form_electronic_start = Les prestations électroniques commencent le { $day }.
vouchers_work_form_hours = Heures (un chèque par heure)

## E-mails
vouchers_mail_invoice_subject = Facture { $number } de { $agency }
vouchers_mail_invoice_body =
    Facture { $number } du { $date }
    De : { $agency }
    À : { $holder } ({ $legal }), numéro d'entreprise { $enterprise }
    { $address }
    { $quantity } chèques x EUR { $unit } = EUR { $total }
    TVA : non applicable.

## D'où viennent les valeurs du formulaire d'inscription
vouchers_prefill_default_period = autorisation de { $months } mois à partir d'aujourd'hui (la durée par défaut de l'agence)
vouchers_prefill_usual = langue et commune les plus fréquentes parmi les utilisateurs de { $agency }
vouchers_prefill_already_here = cette personne morale est déjà inscrite ici
vouchers_prefill_earlier = dénominations et adresse de la personne morale reprises d'une inscription antérieure
vouchers_prefill_same_email = un utilisateur de cette agence a cette adresse e-mail

## L'export de la liste des utilisateurs (en-têtes de colonnes)
vouchers_export_name = Nom
vouchers_export_kind = Type de personne
vouchers_export_legal_name = Dénomination
vouchers_export_enterprise_number = Numéro d'entreprise
vouchers_export_email = Adresse e-mail
vouchers_export_street = Rue
vouchers_export_postcode = Code postal
vouchers_export_municipality = Commune
vouchers_export_from = Autorisation du
vouchers_export_until = Autorisation jusqu'au
vouchers_export_authorized_today = Autorisé aujourd'hui
vouchers_export_balance = Chèques en portefeuille

## Refusals (services and forms): the English text is also the JSON API's
vouchers_refusal_choose_agency = choisissez d'abord votre agence comme structure active
vouchers_refusal_date = { $field } : une date au format AAAA-MM-JJ est attendue
vouchers_refusal_no_prestation = cette prestation n'existe pas
vouchers_refusal_no_provider = ce prestataire n'existe pas
vouchers_refusal_no_user = cet utilisateur n'existe pas
vouchers_refusal_no_invoice = cette facture n'existe pas
vouchers_refusal_choose_provider = choisissez un prestataire
vouchers_refusal_choose_user = choisissez un utilisateur
vouchers_refusal_no_type = le prestataire n'avait pas de type le { $day } : il n'était pas encore inscrit
vouchers_refusal_not_eligible = le { $day }, le prestataire n'était pas admissible (depuis le { $since })
vouchers_refusal_monthly_limit = le prestataire travaillerait { $hours } heures en { $month } ; son type en permet { $allowed }
vouchers_refusal_before_electronic = date : les prestations électroniques commencent le { $start } : une prestation du { $day } ne peut pas être enregistrée électroniquement
vouchers_refusal_future = une prestation s'enregistre une fois effectuée : la date est dans le futur
vouchers_refusal_hours = le nombre d'heures doit être compris entre 1 et { $max }
vouchers_refusal_activity = activité inconnue
vouchers_refusal_not_authorized_on = aucune autorisation de cet utilisateur ne couvre le { $day }
vouchers_refusal_status = statut inconnu
vouchers_refusal_stale = la prestation a changé entre-temps ; rechargez-la
vouchers_refusal_transition = { $action ->
        [contest] seule une prestation impayée peut être contestée
        [resolve] seule une prestation contestée peut être tranchée
        [cancel] seule une prestation impayée peut être annulée
       *[other] cette action n'est pas possible pour cette prestation dans son état actuel
    }
vouchers_refusal_reason = un motif est requis pour contester
vouchers_refusal_outcome = la décision doit être « maintenir » ou « annuler »
vouchers_refusal_kind = le type doit être « personne physique » ou « personne morale »
vouchers_refusal_dir = l'ordre doit être croissant ou décroissant
vouchers_refusal_first_name = le prénom est requis
vouchers_refusal_last_name = le nom est requis
vouchers_refusal_email = l'adresse e-mail n'est pas valable
vouchers_refusal_auth_filter = l'autorisation doit être valable, expirée ou bientôt expirée
vouchers_refusal_user_sort = le tri doit porter sur le nom, la fin de validité ou la date d'inscription
vouchers_refusal_provider_type = type de prestataire inconnu
vouchers_refusal_needs_cpas = ce type exige le centre public d'action sociale (CPAS)
vouchers_refusal_type_filter = le type doit être un type de prestataire, « admissible » ou « aucun »
vouchers_refusal_provider_sort = le tri doit porter sur le nom, le type, la date d'effet ou la date d'inscription
vouchers_refusal_period = la fin de validité précède le début
vouchers_refusal_longest = une autorisation dure au plus { $months } mois
vouchers_refusal_legal_name = la dénomination est requise pour une personne morale
vouchers_refusal_enterprise_number = le numéro d'entreprise est requis pour une personne morale
vouchers_refusal_language = la langue doit être fr, nl, de ou en
vouchers_refusal_valid_until = la fin de validité est requise
vouchers_refusal_registered = cette personne morale est déjà inscrite ici : renouvelez plutôt son autorisation
vouchers_refusal_overlap = l'autorisation en cours court jusqu'au { $end } : un renouvellement commence après
vouchers_refusal_myself_only = cette page est celle d'un utilisateur qui agit en son nom propre
vouchers_refusal_legal_no_code = une personne morale agit pour son organisation : elle ne reçoit pas de code personnel
vouchers_refusal_code_empty = code : saisissez le code que votre agence vous a donné
vouchers_refusal_code_unknown = code : ce code est inconnu, déjà utilisé ou expiré ; demandez-en un nouveau à votre agence
vouchers_refusal_quantity = la quantité doit être comprise entre 1 et { $max }
vouchers_refusal_not_authorized_today = aucune autorisation de cet utilisateur ne couvre aujourd'hui : renouvelez-la d'abord
vouchers_refusal_pay_unpaid_only = seule une prestation impayée peut être payée
vouchers_refusal_balance = le portefeuille contient { $balance } chèques ; il en faut { $needed }
