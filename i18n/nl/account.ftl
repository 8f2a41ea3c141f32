# "Mijn account" (/account/): de eigen pagina's van de persoon.

account_title = Mijn account
account_intro = Uw account en de beveiliging ervan.
account_security = Beveiliging: tweede factoren, beveiligingssleutels, vertrouwde toestellen, wachtwoord, aanmeldadres, taal
