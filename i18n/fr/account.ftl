# « Mon compte » (/account/) : les pages de la personne.

account_title = Mon compte
account_intro = Votre compte et sa sécurité.
account_security = Sécurité : seconds facteurs, clés de sécurité, appareils de confiance, mot de passe, adresse de connexion, langue
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
