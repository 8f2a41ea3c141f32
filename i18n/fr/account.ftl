# « Mon compte » (/account/) : les pages de la personne.

account_title = Mon compte
account_intro = Votre compte et sa sécurité.
account_security = Sécurité : seconds facteurs, clés de sécurité, appareils de confiance, mot de passe, adresse de connexion, langue
