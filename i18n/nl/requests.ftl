# Koppelings- en toegangsaanvragen, "Mijn organisaties" en "Mijn machtigingen".


## Mijn organisaties
mine_title = Mijn organisaties
mine_link = Mijn organisaties
mine_link_habilitations = Mijn machtigingen: wat ik waar mag doen, en tot wanneer
mine_attachments = Organisaties waaraan ik gekoppeld ben
mine_attachments_caption = Uw koppelingen
mine_attachments_none = U bent nog aan geen enkele organisatie gekoppeld.
mine_col_organisation = Organisatie
mine_col_number = Ondernemingsnummer
mine_col_services = Diensten
mine_col_since = Sinds
mine_col_action = Actie
mine_col_asked = Gevraagd op
mine_col_comment = Uw opmerking
mine_col_status = Status
mine_whole = De hele organisatie
mine_detach = Mij ontkoppelen van { $name }
mine_requests = Mijn koppelingsaanvragen
mine_requests_caption = Uw koppelingsaanvragen en de antwoorden erop
mine_requests_none = U hebt geen koppelingsaanvraag ingediend.
mine_status_pending = Wacht op een toegangsbeheerder
mine_status_approved = Goedgekeurd
mine_status_rejected = Geweigerd
mine_ask = Een koppeling aanvragen
mine_ask_intro = Geef het ondernemingsnummer van de organisatie waarvoor u werkt en motiveer uw aanvraag. De toegangsbeheerders ervan keuren ze goed of weigeren ze; u krijgt in beide gevallen een e-mail.
mine_ask_number = Ondernemingsnummer (verplicht)
mine_ask_number_help = Bijvoorbeeld 0123.456.749 (België) of een SIREN- of SIRET-nummer (Frankrijk).
mine_ask_services = Diensten (optioneel)
mine_ask_services_help = De codes van de diensten waarin u werkt, gescheiden door komma's. Laat leeg voor de hele organisatie.
mine_ask_comment = Opmerking (verplicht)
mine_ask_submit = Mijn aanvraag versturen
mine_ask_errors = Uw aanvraag is niet verstuurd:
mine_error_number = Dit is geen geldig ondernemingsnummer: controleer de cijfers.
mine_error_comment = Motiveer uw koppelingsaanvraag.
mine_error_services = Een van deze codes is geen dienst van deze organisatie.
mine_error_conflict = U bent er al aan gekoppeld, of een aanvraag van u wacht er al op een antwoord.
mine_done_asked = Uw aanvraag is naar de toegangsbeheerders van de organisatie verstuurd.
mine_done_asked_new = Deze organisatie stond nog niet op het platform: ze is toegevoegd, en de beheerder van het platform controleert ze voordat uw aanvraag beantwoord kan worden.
mine_done_detached = U bent niet langer aan die organisatie gekoppeld.
mine_pending_caption = Organisaties toegevoegd door een koppelingsaanvraag, in afwachting van het register
mine_pending_since = Toegevoegd op

## Te behandelen aanvragen (beheerders)
req_title = Te behandelen aanvragen
req_intro = Koppelings- en toegangsaanvragen voor { $organisation } ({ $number }).
req_attachments = Koppelingsaanvragen
req_attachment_from = { $name }, aangevraagd op { $date }
req_comment = Opmerking:
req_asked_for = Vraagt een koppeling aan:
req_attach_to = Koppelen aan
req_whole = De hele organisatie
req_these_services = Deze diensten:
req_rights_to_give = Meteen toe te kennen machtigingen (optioneel)
req_valid_until = Geldig tot en met
req_note = Bericht voor de aanvrager (optioneel)
req_approve = De aanvraag van { $name } goedkeuren
req_reason = Reden (verplicht om te weigeren)
req_reject = De aanvraag van { $name } weigeren
req_attachments_none = Er wacht geen koppelingsaanvraag.
req_access = Toegangsaanvragen
req_access_from = { $name } vraagt "{ $right }" aan (op { $date })
req_access_scope = Gekoppeld aan:
req_grant = "{ $right }" toekennen aan { $name }
req_refuse = De aanvraag van { $name } weigeren
req_access_none = Er wacht geen toegangsaanvraag.
req_members = Gekoppelde personen
req_members_caption = Personen gekoppeld aan { $organisation }
req_col_person = Persoon
req_col_scope = Waar
req_col_since = Sinds
req_col_action = Actie
req_detach = { $name } ontkoppelen
req_done_approved = De aanvraag is goedgekeurd; de persoon is per e-mail verwittigd.
req_done_rejected = De aanvraag is geweigerd; de persoon is per e-mail verwittigd.
req_done_granted = De machtiging is toegekend; de persoon is per e-mail verwittigd.
req_done_refused = De aanvraag is geweigerd; de persoon is per e-mail verwittigd.
req_done_detached = De persoon is ontkoppeld; de machtigingen in de organisatie zijn beëindigd.
req_mail_approved_subject = Uw koppeling aan { $organisation } is goedgekeurd
req_mail_approved_body = Beste { $name },

    Uw aanvraag om aan { $organisation } gekoppeld te worden, is goedgekeurd. U kunt deze organisatie voortaan kiezen nadat u zich hebt aangemeld.
req_mail_rejected_subject = Uw koppeling aan { $organisation } is geweigerd
req_mail_rejected_body = Beste { $name },

    Uw aanvraag om aan { $organisation } gekoppeld te worden, is geweigerd, om deze reden:

    { $reason }
req_mail_no_end = tot intrekking
req_mail_granted_subject = U kreeg de machtiging "{ $right }"
req_mail_granted_body = Beste { $name },

    Uw toegangsaanvraag is toegekend: u hebt voortaan "{ $right }" voor { $organisation }, geldig tot { $until }.
req_mail_refused_subject = Uw aanvraag voor "{ $right }" is geweigerd
req_mail_refused_body = Beste { $name },

    Uw aanvraag voor "{ $right }" bij { $organisation } is geweigerd, om deze reden:

    { $reason }

## Mijn machtigingen
hab_title = Mijn machtigingen
hab_intro = Wat u mag doen, waar, en tot wanneer.
hab_caption = Uw geldige machtigingen
hab_col_organisation = Organisatie
hab_col_services = Diensten
hab_col_application = Toepassing
hab_col_level = Toegangsniveau
hab_col_until = Geldig tot
hab_col_right = Machtiging
hab_col_asked = Aangevraagd op
hab_col_status = Status
hab_whole = De hele organisatie
hab_no_end = Tot intrekking
hab_ends_in = Loopt af over { $days } dagen
hab_ends_today = Loopt vandaag of morgen af
hab_none = U hebt geen geldige machtiging.
hab_access = Mijn toegangsaanvragen
hab_access_caption = Uw toegangsaanvragen en de antwoorden erop
hab_access_none = U hebt geen toegangsaanvraag ingediend.
hab_access_pending = Wacht op een toegangsbeheerder
hab_access_granted = Toegekend
hab_access_refused = Geweigerd
hab_done_access_requested = Uw aanvraag is verstuurd naar de toegangsbeheerders die ze kunnen toekennen.

## Toegang geweigerd: toegang aanvragen
acc_title = Toegang geweigerd
acc_needed = Om deze pagina te openen hebt u "{ $right }" nodig in { $application } voor { $organisation }, en die machtiging hebt u niet.
acc_granters = Deze toegangsbeheerders kunnen ze u toekennen:
acc_granters_none = Nog geen enkele toegangsbeheerder van deze organisatie kan ze toekennen.
acc_ask = Toegang aanvragen
acc_comment = Opmerking (optioneel)
acc_comment_help = Leg uit waarom u ze nodig hebt; de toegangsbeheerders lezen het.
acc_submit = "{ $right }" aanvragen
acc_error_no_organisation = Kies eerst de organisatie waarvoor u optreedt.
acc_error_pending = U hebt deze machtiging al aangevraagd; uw aanvraag wacht op een antwoord.
acc_mail_subject = { $requester } vraagt "{ $right }" aan
acc_mail_body = Beste { $name },

    { $requester } vraagt de machtiging "{ $right }" aan voor { $organisation }. U kunt ze hier toekennen of weigeren:

    { $link }
mine_mail_subject = { $requester } vraagt een koppeling aan
mine_mail_body = Beste { $name },

    { $requester } vraagt om aan { $organisation } gekoppeld te worden, met deze opmerking:

    { $comment }

    U kunt de aanvraag hier goedkeuren of weigeren:

    { $link }
