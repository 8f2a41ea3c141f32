# The gateway's pages and mails (second factor, local accounts, the person's account).

verify_title = Bevestig dat u het bent
email_intro = Dit toestel is nieuw voor uw account. We hebben een code naar uw e-mailadres { $email } gestuurd. Vul die hieronder in.
totp_intro = Dit toestel is nieuw voor uw account. Vul de code in die uw authenticatie-app toont.
code_label = Code
submit = Doorgaan
resend = Stuur een nieuwe code
other_way = Op een andere manier aanmelden: een code per e-mail ontvangen
too_many_failures = Er werden te veel foute codes ingevoerd voor deze account. Voor uw bescherming wordt voorlopig geen code aanvaard: probeer het morgen opnieuw.
wrong_code = Deze code is niet juist. Resterende pogingen: { $left }.
dead = Deze verificatie is afgelopen (te veel pogingen of te laat). Meld u opnieuw aan.
login_again = Opnieuw aanmelden
resend_wait = Er werd onlangs een code verstuurd. Wacht even voor u een nieuwe vraagt.
resent = Er is een nieuwe code onderweg.
no_email = Er is geen e-mailadres gekend voor uw account: dit nieuwe toestel kan niet worden bevestigd. Neem contact op met de helpdesk.
code_subject = Uw verificatiecode
code_body =
    Beste { $name },

    Uw verificatiecode is: { $code }

    De code is { $minutes } minuten geldig en kan één keer worden gebruikt. Als u niet probeerde aan te melden, mag u deze e-mail negeren; niemand kan zonder deze code met uw account aanmelden.
device_subject = Er werd met een nieuw toestel aangemeld
device_body =
    Beste { $name },

    Er werd op { $when } (UTC) een nieuw toestel bevestigd voor uw account:
    { $agent }

    Was u dit niet, verwijder dit toestel dan uit uw vertrouwde toestellen en neem contact op met de helpdesk.
factors_title = Beveiliging van mijn account
devices_heading = Vertrouwde toestellen
no_devices = Geen vertrouwde toestellen.
this_device = dit toestel
first_seen = eerst gebruikt
last_seen = laatst gebruikt
revoke = Verwijderen
totp_heading = Authenticatie-app
totp_none = Er is geen authenticatie-app ingesteld.
totp_active = Ingesteld: { $name }. Verwijder ze eerst om ze te wijzigen.
totp_name = Naam van de app of telefoon
totp_start = Een authenticatie-app instellen
totp_scan = Scan deze QR-code met FreeOTP, Google Authenticator of Microsoft Authenticator, of voer de sleutel met de hand in. Vul daarna de code in die de app toont.
totp_key = Sleutel
totp_confirm = Bevestigen
totp_done = Uw authenticatie-app is ingesteld.
totp_exists = Er is al een authenticatie-app ingesteld. Verwijder die eerst.
totp_removed = De authenticatie-app werd verwijderd.
totp_bad_name = Geef een naam van 1 tot 64 tekens.
totp_wrong = Deze code is niet juist. Controleer de tijd van uw telefoon en probeer de volgende code.
language_heading = Taal van pagina's en e-mails
language_save = Opslaan
language_saved = Uw taal is opgeslagen.
local_title = Aanmelden met e-mail en wachtwoord
email_label = E-mailadres
password_label = Wachtwoord
login_submit = Aanmelden
login_failed = E-mailadres of wachtwoord niet juist, of de account is tijdelijk geblokkeerd na te veel pogingen.
forgot_link = Wachtwoord vergeten?
forgot_title = Uw wachtwoord opnieuw instellen
forgot_intro = Vul het e-mailadres van uw account in. Als het gekend is, sturen we een link om een nieuw wachtwoord te kiezen.
forgot_sent = Als dit adres bij een account hoort, is er een link onderweg. Die is { $minutes } minuten geldig.
send_link = Stuur de link
reset_title = Kies een nieuw wachtwoord
new_password = Nieuw wachtwoord
password_rules = Minstens { $min } tekens, met een cijfer, een kleine letter, een hoofdletter en een speciaal teken.
reset_done = Uw wachtwoord is gewijzigd. U kunt aanmelden.
link_dead = Deze link is niet meer geldig. Vraag een nieuwe aan.
reset_subject = Uw wachtwoord opnieuw instellen
reset_body =
    Beste { $name },

    Open deze link binnen { $minutes } minuten om een nieuw wachtwoord te kiezen:
    { $link }

    Hebt u dit niet gevraagd, negeer deze e-mail dan: uw wachtwoord blijft ongewijzigd.
pw_short = Het wachtwoord moet minstens { $min } tekens tellen.
pw_digit = Het wachtwoord moet een cijfer bevatten.
pw_lower = Het wachtwoord moet een kleine letter bevatten.
pw_upper = Het wachtwoord moet een hoofdletter bevatten.
pw_special = Het wachtwoord moet een teken bevatten dat geen letter of cijfer is.
pw_long = Het wachtwoord is te lang.
password_heading = Wachtwoord
current_password = Huidig wachtwoord
change_password = Het wachtwoord wijzigen
password_changed = Uw wachtwoord is gewijzigd.
current_wrong = Het huidige wachtwoord is niet juist.
email_heading = E-mailadres om aan te melden
email_current = U meldt aan met { $email }.
new_email = Nieuw e-mailadres
change_email = Stuur een bevestigingslink
email_link_sent = Er werd een bevestigingslink naar het nieuwe adres gestuurd. Tot u die opent, blijft u aanmelden met { $email }.
email_subject = Bevestig uw nieuwe e-mailadres
email_body =
    Beste { $name },

    Open deze link binnen { $minutes } minuten om met dit adres aan te melden:
    { $link }

    Hebt u dit niet gevraagd, negeer deze e-mail dan.
email_confirm_title = Bevestig uw nieuwe e-mailadres
email_confirm_button = Aanmelden met { $email }
email_confirmed = Uw e-mailadres om aan te melden is gewijzigd.
email_taken = Dit adres kan niet worden gebruikt.
bad_email = Dit is geen e-mailadres.
device_revoked = Het toestel werd verwijderd; de sessies ervan zijn beëindigd.
key_heading = Beveiligingssleutels
key_none = U hebt geen beveiligingssleutel.
key_name = Naam van de sleutel
key_add = Een beveiligingssleutel toevoegen
key_added_on = Toegevoegd
key_last_used = Laatst gebruikt
key_never = nooit
key_added = De beveiligingssleutel werd toegevoegd.
key_removed = De beveiligingssleutel werd verwijderd.
key_bad_name = Geef de sleutel een naam van hoogstens 64 tekens.
key_too_many = U hebt het maximale aantal sleutels bereikt. Verwijder er eerst een.
key_expired = Deze poging is verlopen. Probeer het opnieuw.
key_refused = Deze beveiligingssleutel kon niet worden toegevoegd.
key_exists = Deze beveiligingssleutel is al geregistreerd.
key_intro = Gebruik een van uw beveiligingssleutels om te bevestigen dat u het bent.
key_use = Mijn beveiligingssleutel gebruiken
key_login_refused = De beveiligingssleutel werd niet aanvaard. Probeer het opnieuw.
key_needs_js = Beveiligingssleutels vereisen JavaScript op deze pagina.
step_up_no_email = Deze pagina vereist de gevraagde factor; een code per e-mail volstaat niet.
step_up_missing = Deze pagina vereist een tweede factor die u nog niet hebt ingesteld. Voeg die toe op uw beveiligingspagina en probeer het opnieuw.
acr_title = Meld u aan met een sterker middel
acr_intro = Deze pagina vereist een aanmelding van niveau { $need }; de uwe is { $have }. Meld u opnieuw aan met een van deze middelen:
acr_none = Geen enkel aanmeldmiddel bereikt dit niveau.

# Startpagina, aanmelden, afmelden, foutpagina en het overzicht van de account.
home_title = Startpagina
home_welcome = Welkom, { $name }
home_idle = Uw sessie eindigt na { $minutes } minuten zonder activiteit.
home_applications = Uw toepassingen
home_no_applications = U kunt voor deze organisatie nog geen enkele toepassing gebruiken.
login_title = Aanmelden
login_intro = Kies hoe u zich wilt identificeren.
logged_out_title = U bent afgemeld
logged_out_text = Uw sessie is beëindigd.
logged_out_again = Opnieuw aanmelden
error_back = Terug naar de startpagina
continue_title = Doorsturen…
continue_link = Doorgaan
email_change_pending = Er loopt al een aanvraag om uw aanmeldadres te wijzigen naar { $email }. Bevestig ze met de link die naar dat adres werd gestuurd, of vraag opnieuw na het verstrijken ervan, over { $hours } u { $minutes } min.
error_status_400 = Ongeldige aanvraag
error_status_401 = Aanmelding vereist
error_status_403 = Toegang geweigerd
error_status_404 = Niet gevonden
error_status_405 = Actie niet beschikbaar
error_status_502 = Dienst niet beschikbaar
error_status_503 = Tijdelijk niet beschikbaar
error_status_504 = Dienst te traag
error_status_other = Fout
error_bad_path = Dit adres is niet geldig.
error_not_found = Er is niets op dit adres.
error_denied_route = Dit adres is niet beschikbaar.
error_method = Deze actie is hier niet beschikbaar.
error_choose_myself = Kies "Mezelf" in de koptekst om hier in eigen naam te handelen.
error_choose_organisation = Kies eerst in de koptekst de organisatie waarvoor u handelt.
error_no_right = U hebt niet de machtiging die voor deze actie in deze organisatie nodig is.
error_timeout = De dienst antwoordde niet op tijd. Probeer het opnieuw.
error_upstream = De dienst is niet beschikbaar. Probeer het later opnieuw.
error_unavailable = De dienst is tijdelijk niet beschikbaar. Probeer het zo dadelijk opnieuw.
error_form_expired = Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.
error_cross_site = Dit formulier moet vanaf deze site worden verzonden.
error_internal = Er ging bij ons iets mis. Probeer het opnieuw.
invite_subject = Uw account op het portaal
invite_body =
    Beste { $name },

    Er wacht een account met wachtwoord op u op het portaal. Open deze link binnen { $hours } uur om uw wachtwoord te kiezen en de account aan te maken:
    { $link }

    Meld u daarna aan met dit e-mailadres en uw wachtwoord. Verwachtte u deze e-mail niet, negeer hem dan: er wordt niets aangemaakt.
invite_title = Uw account aanmaken
invite_intro = { $name }, kies het wachtwoord van uw account. Uw login wordt { $email }.
invite_submit = Mijn account aanmaken
invite_created = Uw account is aangemaakt. U kunt zich aanmelden met uw e-mailadres en uw wachtwoord.
invite_dead = Deze uitnodiging is niet meer geldig: ze werd al gebruikt of ze is verlopen. Vraag de platformbeheerder om een nieuwe.
invite_taken = Dit e-mailadres heeft al een account: meld u ermee aan, of stel het wachtwoord opnieuw in.
