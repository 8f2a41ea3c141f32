# "Mijn account" (/account/): de eigen pagina's van de persoon.

account_title = Mijn account
account_intro = Uw account: uw gegevens, uw voorkeuren, uw sessies en de beveiliging ervan.
account_security = Beveiliging: tweede factoren, beveiligingssleutels, vertrouwde toestellen, wachtwoord, aanmeldadres, taal
account_profile = Mijn profiel: naam, e-mailadres voor meldingen, telefoon, adres van de werkplek
account_preferences = Mijn voorkeuren: taal, weergave, meldingen
account_sessions = Mijn sessies: waar ik aangemeld ben
account_deactivate = Mijn account deactiveren
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

## Voorkeuren (/account/preferences)
prefs_title = Mijn voorkeuren
prefs_display_heading = Taal en weergave
prefs_language = Taal van pagina's en e-mails
prefs_accessibility = Toegankelijkheid
prefs_accessibility_note = Toegepast op elke pagina van het portaal, de toepassingen inbegrepen.
prefs_large_text = Grotere tekst
prefs_reduced_motion = Bewegingen en animaties beperken
prefs_high_contrast = Hoog contrast
prefs_display_save = Taal en weergave opslaan
prefs_display_saved = Uw voorkeuren voor taal en weergave zijn opgeslagen.
prefs_notifications_heading = Meldingen
prefs_notifications_legend = Meldingen ontvangen van deze toepassingen
prefs_no_applications = U kunt momenteel geen enkele toepassing gebruiken voor de organisatie waarvoor u optreedt.
prefs_digest_legend = Wekelijks overzicht voor toegangsbeheerders
prefs_digest_contents = Eén keer per week, voor elke organisatie die u beheert: de personen die aankwamen, de personen die vertrokken en de machtigingen die binnen 30 dagen aflopen.
prefs_digest = Stuur mij het wekelijkse overzicht
prefs_notifications_save = Meldingen opslaan
prefs_notifications_saved = Uw meldingsvoorkeuren zijn opgeslagen.

## Sessies (/account/sessions)
sessions_title = Mijn sessies
sessions_intro = Waar u nu aangemeld bent. Beëindig een sessie die u niet herkent en wijzig daarna uw wachtwoord of factoren op de beveiligingspagina.
sessions_caption = Uw actieve sessies, de recentste eerst
sessions_col_device = Browser en systeem
sessions_col_started = Begonnen
sessions_col_last = Laatste activiteit
sessions_col_address = Netwerk (adres afgeschermd)
sessions_col_action = Actie
sessions_this = deze sessie
sessions_end_this = Deze sessie beëindigen (afmelden)
sessions_end = De sessie { $device } begonnen op { $started } beëindigen
sessions_end_others = Alle andere sessies beëindigen
sessions_ended = De sessie is beëindigd.
sessions_others_ended = Al uw andere sessies zijn beëindigd.
sessions_not_found = Deze sessie bestaat niet of is al beëindigd.
sessions_unknown = Onbekend
sessions_device = { $browser } op { $system }

## Deactivering (/account/deactivate)
deactivate_title = Mijn account deactiveren
deactivate_intro = U kunt uw account sluiten als u het portaal niet meer nodig hebt. Dan:
deactivate_sessions = eindigen al uw sessies, op al uw toestellen;
deactivate_login = kunt u zich niet meer aanmelden;
deactivate_reactivate = kan alleen een operator van het platform uw account opnieuw activeren: neem contact op met de helpdesk van uw bestuur.
deactivate_legend = Bevestiging
deactivate_confirm = Ik begrijp het en wil mijn account deactiveren
deactivate_button = Mijn account deactiveren
deactivate_err_confirm = Vink het vakje aan om te bevestigen dat u uw account wilt deactiveren.
deactivate_blocked = U kunt uw account niet deactiveren: u bent de laatste hoofdtoegangsbeheerder van deze organisaties:
deactivate_successor = Wijs daar eerst een andere hoofdtoegangsbeheerder aan (een opvolger) en kom daarna terug.
deactivated_title = Account gedeactiveerd
deactivated_done = Uw account is gedeactiveerd en u bent overal afgemeld.
deactivated_login_refused = Uw account is gedeactiveerd: u kunt zich niet aanmelden. Neem contact op met de helpdesk van uw bestuur om het door een operator van het platform opnieuw te laten activeren.

## Wekelijks overzicht (e-mail)
digest_subject = Uw wekelijks overzicht van het toegangsbeheer
digest_greeting = Beste { $name },
digest_intro = Dit is wat de voorbije zeven dagen veranderde in de organisaties die u beheert.
digest_arrivals = Aankomsten (koppelingen):
digest_departures = Vertrekken (beëindigde koppelingen):
digest_grants_ending = Machtigingen die binnen 30 dagen aflopen:
digest_none = geen
digest_grant_line = { $name }: { $right }, tot { $date }
digest_pending_person = een aangewezen persoon die zich nog niet heeft aangemeld
digest_footer = U ontvangt dit overzicht omdat u erom vroeg. Wilt u het niet meer ontvangen, vink het dan uit onder Mijn account > Mijn voorkeuren.
