# « Mon compte » (/account/) : les pages de la personne.

account_title = Mon compte
account_intro = Votre compte : vos coordonnées, vos préférences, vos sessions et sa sécurité.
account_security = Sécurité : seconds facteurs, clés de sécurité, appareils de confiance, mot de passe, adresse de connexion, langue
account_profile = Mon profil : nom, adresse e-mail pour les notifications, téléphone, adresse du lieu de travail
account_preferences = Mes préférences : langue, affichage, notifications
account_sessions = Mes sessions : là où je suis connecté
account_deactivate = Désactiver mon compte
account_back = Retour à Mon compte
account_security_link = Page de sécurité

## Profil (/account/profile)
profile_title = Mon profil
profile_intro = Comment les administrations et vos organisations peuvent vous joindre. Ne complétez que ce que vous souhaitez communiquer.
profile_eid_heading = Noms issus de votre eID
profile_eid_note = Ces noms ont été transmis par votre identité électronique lors de la connexion et ne peuvent pas être modifiés ici.
profile_legend = Vos coordonnées
profile_only_changed = Seuls les champs que vous modifiez sont enregistrés. Laissez un champ vide pour le supprimer.
profile_surname = Nom
profile_first_name = Prénom
profile_contact_email = Adresse e-mail pour les notifications
profile_contact_email_hint = L'adresse à laquelle le portail envoie vos notifications, par exemple nom@exemple.be.
profile_phone = Téléphone
profile_phone_hint = Chiffres et espaces, précédés d'un + pour un numéro international (6 à 15 chiffres).
profile_address = Adresse du lieu de travail
profile_save = Enregistrer mon profil
profile_saved = Votre profil est enregistré.
profile_unchanged = Aucune modification : votre profil est inchangé.
profile_errors = Certains champs n'ont pas pu être enregistrés. Rien n'a été modifié :
profile_err_name = Indiquez un nom de 100 caractères au plus, avec au moins une lettre.
profile_err_email = Indiquez une adresse e-mail valide, par exemple nom@exemple.be.
profile_err_phone = Indiquez un numéro de téléphone composé uniquement de chiffres et d'espaces, précédé d'un + si nécessaire, de 6 à 15 chiffres.
profile_err_address = Indiquez une adresse de 300 caractères au plus, sur une ligne.
profile_err_from_eid = Ce nom provient de votre eID et ne peut pas être modifié ici.
profile_login_email_note = L'adresse e-mail de connexion se modifie sur la page de sécurité.

## Préférences (/account/preferences)
prefs_title = Mes préférences
prefs_display_heading = Langue et affichage
prefs_language = Langue des pages et des e-mails
prefs_accessibility = Accessibilité
prefs_accessibility_note = Appliqué sur toutes les pages du portail, applications comprises.
prefs_large_text = Texte plus grand
prefs_reduced_motion = Réduire les mouvements et animations
prefs_high_contrast = Contraste élevé
prefs_display_save = Enregistrer la langue et l'affichage
prefs_display_saved = Vos préférences de langue et d'affichage sont enregistrées.
prefs_notifications_heading = Notifications
prefs_notifications_legend = Recevoir les notifications de ces applications
prefs_no_applications = Vous ne pouvez actuellement utiliser aucune application pour l'organisation pour laquelle vous agissez.
prefs_digest_legend = Résumé hebdomadaire pour les gestionnaires d'accès
prefs_digest_contents = Une fois par semaine, pour chaque organisation que vous gérez : les personnes arrivées, celles parties et les habilitations qui prennent fin dans les 30 jours.
prefs_digest = M'envoyer le résumé hebdomadaire
prefs_notifications_save = Enregistrer les notifications
prefs_notifications_saved = Vos préférences de notification sont enregistrées.

## Sessions (/account/sessions)
sessions_title = Mes sessions
sessions_intro = Là où vous êtes connecté en ce moment. Mettez fin à une session que vous ne reconnaissez pas, puis changez votre mot de passe ou vos facteurs sur la page de sécurité.
sessions_caption = Vos sessions actives, les plus récentes d'abord
sessions_col_device = Navigateur et système
sessions_col_started = Début
sessions_col_last = Dernière activité
sessions_col_address = Réseau (adresse masquée)
sessions_col_action = Action
sessions_this = cette session
sessions_end_this = Mettre fin à cette session (se déconnecter)
sessions_end = Mettre fin à la session { $device } commencée le { $started }
sessions_end_others = Mettre fin à toutes les autres sessions
sessions_ended = La session est terminée.
sessions_others_ended = Toutes vos autres sessions sont terminées.
sessions_not_found = Cette session n'existe pas ou est déjà terminée.
sessions_unknown = Inconnu
sessions_device = { $browser } sous { $system }

## Désactivation (/account/deactivate)
deactivate_title = Désactiver mon compte
deactivate_intro = Vous pouvez fermer votre compte si vous n'avez plus besoin du portail. Alors :
deactivate_sessions = toutes vos sessions prennent fin, sur tous vos appareils ;
deactivate_login = vous ne pouvez plus vous connecter ;
deactivate_reactivate = seul un opérateur de la plateforme peut réactiver votre compte : contactez le service d'assistance de votre administration.
deactivate_legend = Confirmation
deactivate_confirm = Je comprends et je veux désactiver mon compte
deactivate_button = Désactiver mon compte
deactivate_err_confirm = Cochez la case pour confirmer que vous voulez désactiver votre compte.
deactivate_blocked = Vous ne pouvez pas désactiver votre compte : vous êtes le dernier gestionnaire d'accès principal de ces organisations :
deactivate_successor = Désignez d'abord un autre gestionnaire d'accès principal (un successeur), puis revenez.
deactivated_title = Compte désactivé
deactivated_done = Votre compte est désactivé et vous êtes déconnecté partout.
deactivated_login_refused = Votre compte est désactivé : vous ne pouvez pas vous connecter. Contactez le service d'assistance de votre administration pour qu'un opérateur de la plateforme le réactive.

## Résumé hebdomadaire (e-mail)
digest_subject = Votre résumé hebdomadaire de la gestion des accès
digest_greeting = Bonjour { $name },
digest_intro = Voici ce qui a changé ces sept derniers jours dans les organisations que vous gérez.
digest_arrivals = Arrivées (rattachements) :
digest_departures = Départs (fins de rattachement) :
digest_grants_ending = Habilitations qui prennent fin dans les 30 jours :
digest_none = néant
digest_grant_line = { $name } : { $right }, jusqu'au { $date }
digest_pending_person = une personne désignée qui ne s'est pas encore connectée
digest_footer = Vous recevez ce résumé parce que vous l'avez demandé. Pour ne plus le recevoir, décochez-le dans Mon compte > Mes préférences.
