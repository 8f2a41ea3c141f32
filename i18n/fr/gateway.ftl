# The gateway's pages and mails (second factor, local accounts, the person's account).

verify_title = Confirmez votre identité
email_intro = Cet appareil est nouveau pour votre compte. Nous avons envoyé un code à votre adresse e-mail { $email }. Saisissez-le ci-dessous.
totp_intro = Cet appareil est nouveau pour votre compte. Saisissez le code affiché par votre application d'authentification.
code_label = Code
submit = Continuer
resend = Envoyer un nouveau code
other_way = Se connecter autrement : recevoir un code par e-mail
too_many_failures = Trop de codes erronés ont été saisis pour ce compte. Pour votre protection, aucun code n'est accepté pour l'instant : veuillez réessayer demain.
wrong_code = Ce code n'est pas correct. Essais restants : { $left }.
dead = Cette vérification est terminée (trop d'essais ou trop tard). Veuillez vous reconnecter.
login_again = Se reconnecter
resend_wait = Un code a été envoyé récemment. Veuillez patienter avant d'en demander un autre.
resent = Un nouveau code est en route.
no_email = Aucune adresse e-mail n'est connue pour votre compte : ce nouvel appareil ne peut pas être confirmé. Veuillez contacter le service d'aide.
code_subject = Votre code de vérification
code_body =
    Bonjour { $name },

    Votre code de vérification est : { $code }

    Il est valable { $minutes } minutes et ne peut servir qu'une fois. Si vous n'avez pas essayé de vous connecter, ignorez ce message ; personne ne peut se connecter à votre compte sans ce code.
device_subject = Un nouvel appareil a servi à vous connecter
device_body =
    Bonjour { $name },

    Un nouvel appareil a été confirmé pour votre compte le { $when } (UTC) :
    { $agent }

    Si ce n'était pas vous, retirez cet appareil de vos appareils de confiance et contactez le service d'aide.
factors_title = Sécurité de mon compte
devices_heading = Appareils de confiance
no_devices = Aucun appareil de confiance.
this_device = cet appareil
first_seen = première utilisation
last_seen = dernière utilisation
revoke = Retirer
totp_heading = Application d'authentification
totp_none = Aucune application d'authentification n'est configurée.
totp_active = Configurée : { $name }. Pour la changer, retirez-la d'abord.
totp_name = Nom de l'application ou du téléphone
totp_start = Configurer une application d'authentification
totp_scan = Scannez ce code QR avec FreeOTP, Google Authenticator ou Microsoft Authenticator, ou saisissez la clé à la main. Saisissez ensuite le code affiché par l'application.
totp_key = Clé
totp_confirm = Confirmer
totp_done = Votre application d'authentification est configurée.
totp_exists = Une application d'authentification est déjà configurée. Retirez-la d'abord.
totp_removed = L'application d'authentification a été retirée.
totp_bad_name = Donnez un nom de 1 à 64 caractères.
totp_wrong = Ce code n'est pas correct. Vérifiez l'heure de votre téléphone et essayez le code suivant.
language_heading = Langue des pages et des e-mails
language_save = Enregistrer
language_saved = Votre langue est enregistrée.
local_title = Se connecter avec e-mail et mot de passe
email_label = Adresse e-mail
password_label = Mot de passe
login_submit = Se connecter
login_failed = Adresse e-mail ou mot de passe incorrect, ou compte temporairement bloqué après trop d'essais.
forgot_link = Mot de passe oublié ?
forgot_title = Réinitialiser votre mot de passe
forgot_intro = Saisissez l'adresse e-mail de votre compte. Si elle est connue, nous envoyons un lien pour choisir un nouveau mot de passe.
forgot_sent = Si cette adresse appartient à un compte, un lien est en route. Il est valable { $minutes } minutes.
send_link = Envoyer le lien
reset_title = Choisissez un nouveau mot de passe
new_password = Nouveau mot de passe
password_rules = Au moins { $min } caractères, avec un chiffre, une minuscule, une majuscule et un caractère spécial.
reset_done = Votre mot de passe est changé. Vous pouvez vous connecter.
link_dead = Ce lien n'est plus valable. Demandez-en un nouveau.
reset_subject = Réinitialiser votre mot de passe
reset_body =
    Bonjour { $name },

    Pour choisir un nouveau mot de passe, ouvrez ce lien dans les { $minutes } minutes :
    { $link }

    Si vous ne l'avez pas demandé, ignorez ce message : votre mot de passe reste inchangé.
pw_short = Le mot de passe doit compter au moins { $min } caractères.
pw_digit = Le mot de passe doit contenir un chiffre.
pw_lower = Le mot de passe doit contenir une minuscule.
pw_upper = Le mot de passe doit contenir une majuscule.
pw_special = Le mot de passe doit contenir un caractère qui n'est ni une lettre ni un chiffre.
pw_long = Le mot de passe est trop long.
password_heading = Mot de passe
current_password = Mot de passe actuel
change_password = Changer le mot de passe
password_changed = Votre mot de passe est changé.
current_wrong = Le mot de passe actuel n'est pas correct.
email_heading = Adresse e-mail de connexion
email_current = Votre identifiant est { $email }.
new_email = Nouvelle adresse e-mail
change_email = Envoyer un lien de confirmation
email_link_sent = Un lien de confirmation a été envoyé à la nouvelle adresse. Tant que vous ne l'avez pas ouvert, votre identifiant reste { $email }.
email_subject = Confirmez votre nouvelle adresse e-mail
email_body =
    Bonjour { $name },

    Pour faire de cette adresse votre identifiant, ouvrez ce lien dans les { $minutes } minutes :
    { $link }

    Si vous ne l'avez pas demandé, ignorez ce message.
email_confirm_title = Confirmez votre nouvelle adresse e-mail
email_confirm_button = Faire de { $email } mon identifiant
email_confirmed = Votre adresse e-mail de connexion est changée.
email_taken = Cette adresse ne peut pas être utilisée.
bad_email = Ceci n'est pas une adresse e-mail.
device_revoked = L'appareil a été retiré ; ses sessions sont fermées.
key_heading = Clés de sécurité
key_none = Vous n'avez aucune clé de sécurité.
key_name = Nom de la clé
key_add = Ajouter une clé de sécurité
key_added_on = Ajoutée
key_last_used = Dernière utilisation
key_never = jamais
key_added = La clé de sécurité a été ajoutée.
key_removed = La clé de sécurité a été retirée.
key_bad_name = Donnez à la clé un nom de 64 caractères au plus.
key_too_many = Vous avez atteint le nombre maximal de clés. Retirez-en une d'abord.
key_expired = Cette tentative a expiré. Veuillez réessayer.
key_refused = Cette clé de sécurité n'a pas pu être ajoutée.
key_exists = Cette clé de sécurité est déjà enregistrée.
key_intro = Utilisez une de vos clés de sécurité pour confirmer votre identité.
key_use = Utiliser ma clé de sécurité
key_login_refused = La clé de sécurité n'a pas été acceptée. Veuillez réessayer.
key_needs_js = Les clés de sécurité nécessitent JavaScript sur cette page.
step_up_no_email = Cette page exige le facteur demandé ; un code par e-mail ne suffit pas.
step_up_missing = Cette page exige un second facteur que vous n'avez pas encore configuré. Ajoutez-le sur votre page de sécurité, puis réessayez.
acr_title = Connectez-vous avec un moyen plus fort
acr_intro = Cette page exige une connexion de niveau { $need } ; la vôtre est { $have }. Reconnectez-vous avec l'un de ces moyens :
acr_none = Aucun moyen de connexion n'atteint ce niveau.

# Accueil, connexion, déconnexion, page d'erreur et sommaire du compte.
home_title = Accueil
home_welcome = Bienvenue, { $name }
home_idle = Votre session se termine après { $minutes } minutes sans activité.
home_applications = Vos applications
home_no_applications = Vous ne pouvez encore utiliser aucune application pour cette organisation.
login_title = Se connecter
login_intro = Choisissez comment vous identifier.
logged_out_title = Vous êtes déconnecté
logged_out_text = Votre session est terminée.
logged_out_again = Se reconnecter
error_back = Retour à la page d'accueil
continue_title = Redirection…
continue_link = Continuer
email_change_pending = Une demande de changement de votre adresse de connexion vers { $email } est déjà en cours. Confirmez-la avec le lien envoyé à cette adresse, ou refaites une demande après son expiration, dans { $hours } h { $minutes } min.
error_status_400 = Requête incorrecte
error_status_401 = Connexion requise
error_status_403 = Accès refusé
error_status_404 = Page introuvable
error_status_405 = Action non disponible
error_status_502 = Service indisponible
error_status_503 = Temporairement indisponible
error_status_504 = Service trop lent
error_status_other = Erreur
error_bad_path = Cette adresse n'est pas valide.
error_not_found = Il n'y a rien à cette adresse.
error_denied_route = Cette adresse n'est pas disponible.
error_method = Cette action n'est pas disponible ici.
error_choose_myself = Choisissez « Moi-même » dans l'en-tête pour agir ici en votre nom propre.
error_choose_organisation = Choisissez d'abord dans l'en-tête l'organisation pour laquelle vous agissez.
error_no_right = Vous ne disposez pas de l'habilitation nécessaire pour cette action dans cette organisation.
error_timeout = Le service n'a pas répondu à temps. Veuillez réessayer.
error_upstream = Le service est indisponible. Veuillez réessayer plus tard.
error_unavailable = Le service est momentanément indisponible. Veuillez réessayer dans un instant.
error_form_expired = Ce formulaire a expiré. Rechargez la page et réessayez.
error_cross_site = Ce formulaire doit être envoyé depuis ce site.
error_internal = Une erreur s'est produite de notre côté. Veuillez réessayer.
invite_subject = Votre compte sur le portail
invite_body =
    Bonjour { $name },

    Un compte avec mot de passe vous attend sur le portail. Pour choisir votre mot de passe et le créer, ouvrez ce lien dans les { $hours } heures :
    { $link }

    Connectez-vous ensuite avec cette adresse électronique et votre mot de passe. Si vous n'attendiez pas ce message, ignorez-le : rien n'est créé.
invite_title = Créer votre compte
invite_intro = { $name }, choisissez le mot de passe de votre compte. Votre identifiant sera { $email }.
invite_submit = Créer mon compte
invite_created = Votre compte est créé. Vous pouvez vous connecter avec votre adresse électronique et votre mot de passe.
invite_dead = Cette invitation n'est plus valable : elle a déjà été utilisée ou elle a expiré. Demandez-en une nouvelle à l'opérateur de la plateforme.
invite_taken = Cette adresse électronique a déjà un compte : connectez-vous avec elle, ou réinitialisez son mot de passe.
