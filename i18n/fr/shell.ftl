# L'enveloppe du portail : l'en-tête de chaque page, le choix de la langue, l'avertissement d'inactivité.
shell_skip = Aller au contenu
shell_brand = Portail des services publics
shell_logged_in_as = Connecté en tant que
shell_acting_for = Agir pour
shell_switch = Changer
shell_myself = Moi-même
shell_no_structure = Aucune organisation
shell_applications = Applications
shell_administration = Administration
shell_my_account = Mon compte
shell_language = Langue
shell_log_out = Se déconnecter
shell_log_in = Se connecter
shell_idle_title = Votre session va bientôt se terminer
shell_idle_text = Sans activité, votre session se termine dans { $minutes } minutes.
shell_idle_stay = Rester connecté
shell_idle_ended = Votre session est terminée. Reconnectez-vous pour continuer.
