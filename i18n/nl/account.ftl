# "Mijn account" (/account/): de eigen pagina's van de persoon.

account_title = Mijn account
account_intro = Uw account en de beveiliging ervan.
account_security = Beveiliging: tweede factoren, beveiligingssleutels, vertrouwde toestellen, wachtwoord, aanmeldadres, taal
account_back = Terug naar Mijn account
account_security_link = Beveiligingspagina

## Profiel (/account/profile)
profile_title = Mijn profiel
profile_intro = Hoe besturen en uw organisaties u kunnen bereiken. Vul alleen in wat u wilt delen.
profile_eid_heading = Namen uit uw eID
profile_eid_note = Deze namen werden bij het aanmelden door uw elektronische identiteit doorgegeven en kunnen hier niet worden gewijzigd.
profile_legend = Uw contactgegevens
profile_only_changed = Alleen de velden die u wijzigt, worden opgeslagen. Laat een veld leeg om het te verwijderen.
profile_surname = Naam
profile_first_name = Voornaam
profile_contact_email = E-mailadres voor meldingen
profile_contact_email_hint = Het adres waarnaar het portaal uw meldingen stuurt, bijvoorbeeld naam@voorbeeld.be.
profile_phone = Telefoon
profile_phone_hint = Cijfers en spaties, met een + vooraan voor een internationaal nummer (6 tot 15 cijfers).
profile_address = Adres van de werkplek
profile_save = Mijn profiel opslaan
profile_saved = Uw profiel is opgeslagen.
profile_unchanged = Niets gewijzigd: uw profiel is ongewijzigd.
profile_errors = Sommige velden konden niet worden opgeslagen. Er werd niets gewijzigd:
profile_err_name = Geef een naam van hoogstens 100 tekens, met minstens één letter.
profile_err_email = Geef een geldig e-mailadres, bijvoorbeeld naam@voorbeeld.be.
profile_err_phone = Geef een telefoonnummer met alleen cijfers en spaties, met een + vooraan indien nodig, 6 tot 15 cijfers.
profile_err_address = Geef een adres van hoogstens 300 tekens op één regel.
profile_err_from_eid = Deze naam komt uit uw eID en kan hier niet worden gewijzigd.
profile_login_email_note = Het e-mailadres waarmee u zich aanmeldt, wijzigt u op de beveiligingspagina.
