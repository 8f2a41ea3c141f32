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
