# Prestaties dienstencheques (erkende ondernemingen, werknemers, gebruikers) en dossiers
# bedrijfscheques.

prestations_app_title = Prestaties dienstencheques
prestations_nav_todo = Te doen
prestations_nav_prestations = Prestaties
prestations_nav_encode = Invoeren
prestations_nav_history = Geschiedenis
prestations_nav_enterprise = Onderneming
prestations_nav_dossiers = Bedrijfscheques
prestations_nav_notices = Mijn meldingen

## Gemeenschappelijke woorden
prestations_action = Handeling
prestations_activity = Activiteit
prestations_add = Toevoegen
prestations_all = Alle
prestations_beneficiary = Begunstigde
prestations_by = Door
prestations_cheque = Cheque
prestations_continue = Verder
prestations_create = Aanmaken
prestations_date = Datum
prestations_encoded = Ingevoerd
prestations_enterprise = Onderneming
prestations_enterprise_number = Ondernemingsnummer:
prestations_enterprise_number_column = Ondernemingsnummer
prestations_filter = Filteren
prestations_history = Geschiedenis
prestations_hours = Uren
prestations_mail = E-mail
prestations_message = Bericht
prestations_municipality = Gemeente
prestations_name = Naam
prestations_no_dossier = Nog geen dossier.
prestations_none = Geen.
prestations_note = Opmerking
prestations_number = Gebruikersnummer dienstencheques
prestations_open = Openen
prestations_open_column = Link
prestations_open_of = de prestatie van { $day }
prestations_postcode = Postcode
prestations_provider = Dienstverlener
prestations_reason = Reden
prestations_reason_required = Reden (verplicht)
prestations_reference = Referentie
prestations_save = Opslaan
prestations_saved = Opgeslagen.
prestations_search = Zoeken
prestations_status = Status
prestations_street = Straat en nummer
prestations_subject = Onderwerp
prestations_theme = Thema
prestations_user = Gebruiker
prestations_weight = Weging
prestations_what_you_can_do = Wat u kunt doen
prestations_worker = Werknemer
prestations_contact_email = E-mailadres voor contact
prestations_contact_phone = Telefoon voor contact

## Statussen van een prestatie en hun kleuren
prestations_status_encoded = Ingevoerd
prestations_status_to_validate = Te valideren door de werknemer
prestations_status_contested_by_worker = Betwist door de werknemer
prestations_status_validated_by_worker = Gevalideerd door de werknemer
prestations_status_validated = Gevalideerd
prestations_status_waiting = In afwachting
prestations_status_confirmed = Bevestigd
prestations_status_contested = Betwist
prestations_status_cancelled = Geannuleerd
prestations_status_user_waiting = In afwachting van validatie
prestations_legend_title = Kleurenlegende
prestations_legend_user_waiting = "In afwachting van validatie": de werknemer moet de prestatie nog valideren; u kunt ze nu al bevestigen of betwisten.
prestations_user_confirmed_mark = (bevestigd door de gebruiker)

## Activiteiten
prestations_activity_cleaning = Schoonmaak (ramen inbegrepen)
prestations_activity_laundry_ironing = Wassen en strijken
prestations_activity_meals = Bereiden van maaltijden
prestations_activity_shopping = Boodschappen
prestations_activity_ironing_centre = Strijkatelier
prestations_activity_reduced_mobility_transport = Vervoer van minder mobiele personen

## Wie en wat
prestations_actor_worker = de werknemer
prestations_actor_enterprise = de onderneming
prestations_actor_user = de gebruiker
prestations_actor_system = het systeem
prestations_encoded_by = ingevoerd door { $by }
prestations_encoded_corrected = ingevoerd door { $by }, verbeterd door { $corrector }
prestations_action_encode = ingevoerd
prestations_action_send = naar de gebruiker verstuurd
prestations_action_correct = verbeterd
prestations_action_validate = gevalideerd
prestations_action_contest = betwist
prestations_action_confirm = bevestigd
prestations_action_cancel = geannuleerd
prestations_action_auto_validate = automatisch gevalideerd
prestations_action_auto_confirm = automatisch bevestigd

## Toestand van de e-mails
prestations_mail_sent = verstuurd
prestations_mail_no_address = geen e-mailadres bekend
prestations_mail_failed = niet afgeleverd
prestations_mail_queued = wacht op verzending

## Te doen
prestations_home_title = Te doen
prestations_home_today = Vandaag: { $today }.
prestations_home_number = Uw gebruikersnummer dienstencheques:
prestations_home_number_use = (geef het aan de onderneming die voor u werkt).
prestations_home_awaiting_validation = In afwachting van validatie (u kunt nu al bevestigen of betwisten)
prestations_home_awaiting_validation_help = De onderneming heeft deze prestaties ingevoerd; haar werknemer valideert ze binnen 5 werkdagen. Uw antwoord telt zodra u het geeft.
prestations_home_to_confirm = Te bevestigen (prestaties die voor u werden uitgevoerd)
prestations_home_to_confirm_help = Zonder uw bevestiging binnen 60 kalenderdagen wordt een prestatie automatisch bevestigd en kan ze niet meer worden betwist.
prestations_home_to_validate = Te valideren (ingevoerd of verbeterd door uw onderneming)
prestations_home_to_validate_help = Zonder uw antwoord binnen 5 werkdagen wordt een prestatie automatisch gevalideerd.
prestations_home_drafts = Uw ontwerpen, nog niet verstuurd
prestations_home_enterprise_link = De meldingen en instellingen van de onderneming

## Lijsten
prestations_list_title = Prestaties
prestations_list_download = Deze lijst downloaden:
prestations_list_excel = Excel (.xlsx)
prestations_history_title = Geschiedenis
prestations_history_heading = Geschiedenis: de laatste 3 maanden
prestations_history_intro = Prestaties van de laatste 3 maanden (vandaag is het { $today }); geannuleerde prestaties worden niet getoond. Onder elke prestatie: wie ze heeft ingevoerd.

## Eén prestatie
prestations_detail_title = Prestatie van { $day }
prestations_detail_who_encoded = Ingevoerd door
prestations_detail_worker_until = De werknemer kan antwoorden tot
prestations_detail_worker_until_value = { $day } (daarna automatisch gevalideerd)
prestations_detail_user_until = De gebruiker kan antwoorden tot
prestations_detail_user_until_value = { $day } (daarna automatisch bevestigd); herinneringen verstuurd: { $sent } van 2
prestations_detail_user_answer = Antwoord van de gebruiker
prestations_detail_you_confirmed = U hebt ze bevestigd terwijl de werknemer ze valideert: ze is bevestigd zodra de validatie door de werknemer afloopt.
prestations_detail_user_confirmed = De gebruiker heeft ze bevestigd terwijl de werknemer ze valideert: ze is bevestigd zodra de validatie door de werknemer afloopt.
prestations_detail_confirmation = Bevestiging
prestations_detail_auto_confirmed = Automatisch bevestigd: ze kan niet meer worden betwist.
prestations_detail_correct = Verbeteren
prestations_detail_save_correction = De verbetering opslaan
prestations_detail_contest = Betwisten
prestations_detail_send = Naar de gebruiker versturen
prestations_detail_validate = Valideren
prestations_detail_confirm = Bevestigen
prestations_detail_cancel = De prestatie annuleren

## Invoeren
prestations_new_title = Een prestatie invoeren
prestations_new_find_client = De klant zoeken: naam of gebruikersnummer dienstencheques
prestations_new_find_client_help = Een naam wordt gezocht onder de klanten van uw onderneming; een nummer (10 cijfers, op de pagina van de klant in dit portaal) vindt die klant.
prestations_new_find_worker = De werknemer zoeken: naam of gebruikersnummer dienstencheques
prestations_new_find_worker_help = Laat leeg om uw eigen prestatie in te voeren. Een prestatie die de onderneming invoert, gaat ter validatie naar de werknemer.
prestations_new_user = Gebruiker (klant)
prestations_new_no_client = Geen klant gevonden: zoek hierboven op naam of op het gebruikersnummer dienstencheques van de klant.
prestations_new_myself = Mezelf
prestations_new_hours = Uren (per kwartier)
prestations_new_save_send = Opslaan en naar de gebruiker versturen
prestations_new_save_draft = Als ontwerp opslaan

## Mijn meldingen
prestations_me_title = Mijn meldingen
prestations_me_number = Uw gebruikersnummer dienstencheques:
prestations_me_number_use = Een onderneming of een werknemer vindt u met dit nummer of met uw naam.
prestations_me_email = E-mailadres voor meldingen en herinneringen
prestations_me_email_help = Zodra u uw e-mailadres hebt ingevuld, kan uw onderneming het niet meer voor u wijzigen.
prestations_me_notices = Meldingen

## De onderneming
prestations_office_title = Onderneming
prestations_office_email = E-mailadres voor de meldingen van de onderneming
prestations_office_email_help = Eén keer per dag, als er iets veranderd is, somt een e-mail de prestaties op die uw werknemers nog moeten valideren en de betwiste prestaties.
prestations_office_your_clients = Uw klanten
prestations_office_your_workers_emails = Uw werknemers en hun e-mailadres
prestations_office_to_validate = Uw werknemers moeten nog valideren
prestations_office_contested = Betwist, te verbeteren of te annuleren
prestations_office_mails = E-mails aan de onderneming
prestations_people_workers = Werknemers
prestations_people_clients = Klanten
prestations_people_your_workers = Uw werknemers
prestations_people_your_clients = Uw klanten
prestations_people_search = Naam of gebruikersnummer dienstencheques
prestations_people_email = E-mailadres voor meldingen
prestations_people_email_self_set = Ingevuld door de werknemer: het kan hier niet meer worden gewijzigd.
prestations_people_email_of = E-mailadres van { $name }
prestations_people_add_worker = Een werknemer toevoegen
prestations_people_add_client = Een klant toevoegen

## Bedrijfscheques: dossiers
prestations_dossier_status_01 = In aanvraag
prestations_dossier_status_02 = Ingediend
prestations_dossier_status_03 = In behandeling
prestations_dossier_status_04 = Aanvaard
prestations_dossier_status_05 = Geweigerd
prestations_dossier_status_06 = Geannuleerd
prestations_dossier_status_07 = Afgesloten
prestations_daction_create = aangemaakt
prestations_daction_edit = gewijzigd
prestations_daction_delete = verwijderd
prestations_daction_submit = ingediend bij de administratie
prestations_daction_take = in behandeling genomen
prestations_daction_accept = aanvaard
prestations_daction_refuse = geweigerd
prestations_daction_cancel = geannuleerd
prestations_daction_close = prestatie gemeld als uitgevoerd
prestations_daction_duplicate = gedupliceerd
prestations_daction_regularisation_requested = regularisatie aangevraagd
prestations_daction_regularisation_granted = regularisatie toegekend
prestations_daction_regularisation_refused = regularisatie geweigerd
prestations_dossiers_title = Dossiers bedrijfscheques
prestations_dossiers_new = Een nieuw dossier indienen
prestations_dossiers_own = Uw organisatie
prestations_dossiers_to_decide = Te beslissen regularisaties
prestations_dossiers_statuses = Statussen:
prestations_dossiers = Dossiers
prestations_dossier_title = Dossier { $reference }
prestations_dossier_start = Geplande start
prestations_dossier_submit_by = In te dienen uiterlijk op
prestations_dossier_submit_late = (verstreken: vraag hieronder een regularisatie aan als een storing u dat belette)
prestations_dossier_subcontractor = Onderaannemer
prestations_dossier_not_known = nog niet gekend op het platform
prestations_dossier_copied_from = Gekopieerd van
prestations_dossier_original = het oorspronkelijke dossier
prestations_dossier_competences = Competenties
prestations_dossier_competence = Competentie
prestations_dossier_how_used = Hoe ze in de prestatie wordt ingezet
prestations_dossier_refuse = Weigeren
prestations_dossier_cancel = Annuleren
prestations_dossier_refuse_it = Het dossier weigeren
prestations_dossier_cancel_it = Het dossier annuleren
prestations_dossier_delete = Verwijderen
prestations_dossier_submit = Indienen bij de administratie
prestations_dossier_take = In behandeling nemen
prestations_dossier_accept = Aanvaarden
prestations_dossier_close = De prestatie melden als uitgevoerd
prestations_dossier_duplicate = Dupliceren in een nieuw dossier
prestations_regularisation = Regularisatie
prestations_regularisation_intro = Als een storing van het platform u belette tijdig in te dienen, vraag dan een afwijking van de termijn aan met een bewijs van uw pogingen (een schermafdruk, een ontvangen melding).
prestations_regularisation_of = Aanvraag van { $name }
prestations_regularisation_pending = In afwachting van een beslissing
prestations_regularisation_granted = Toegekend: kan worden ingediend tot { $day }
prestations_regularisation_refused = Geweigerd
prestations_regularisation_asked_by = aangevraagd door { $name }:
prestations_regularisation_proof = bewijs:
prestations_regularisation_decided_by = beslist door { $name }
prestations_regularisation_decide = Beslissen
prestations_regularisation_decision = Beslissing
prestations_regularisation_grant = Een nieuwe termijn toekennen
prestations_regularisation_refuse = Weigeren
prestations_regularisation_until = Nieuwe indieningstermijn (om toe te kennen)
prestations_regularisation_note = Reden (verplicht om te weigeren)
prestations_regularisation_record = De beslissing registreren
prestations_regularisation_ask = Een regularisatie aanvragen
prestations_regularisation_what = Wat de storing belette (verplicht)
prestations_regularisation_proof_label = Bewijs: een schermafdruk in PNG of JPEG of een PDF-document, hoogstens 5 MB (verplicht)
prestations_regularisation_ask_it = De regularisatie aanvragen
prestations_dossier_form_introduce = Een dossier indienen
prestations_dossier_form_change = Het dossier wijzigen
prestations_dossier_form_energy = (energiecheque)
prestations_dossier_form_cheque = Cheque:
prestations_dossier_form_choose_another = een andere kiezen
prestations_dossier_form_beneficiary_number = Ondernemingsnummer van de begunstigde
prestations_dossier_form_beneficiaries_help = Een nieuwe begunstigde krijgt een fiche; uw begunstigden staan op
prestations_dossier_form_beneficiaries_link = hun fiches
prestations_dossier_form_beneficiary_name = Naam van de begunstigde
prestations_dossier_form_start = Geplande start van de prestatie
prestations_dossier_form_start_help = De aanvraag wordt uiterlijk op deze datum ingediend.
prestations_dossier_form_subcontractor = Onderaannemer (optioneel)
prestations_dossier_form_known = Gekend op het platform
prestations_dossier_form_known_none = Geen, of een onderaannemer die niet in deze lijst staat
prestations_dossier_form_unknown_number = Of nog niet gekend op het platform: zijn ondernemingsnummer
prestations_dossier_form_unknown_name = en zijn naam
prestations_dossier_form_competences = Competenties (weging in %, samen 100; laat 0 voor een competentie die niet wordt ingezet)
prestations_dossier_form_weight = { $competence }: weging
prestations_dossier_form_how_used = Hoe "{ $competence }" in de prestatie wordt ingezet
prestations_dossier_form_single = Voor deze cheque is de competentie de cheque zelf, met een weging van 100%.
prestations_dossier_form_description = Hoe de competentie in de prestatie wordt ingezet (verplicht)
prestations_dossier_form_save = Opslaan (status 01, in aanvraag)

## Begunstigden en organisaties
prestations_beneficiaries_title = Begunstigden
prestations_beneficiaries_own_record = De fiche van uw organisatie
prestations_beneficiaries_none = Nog geen begunstigde.
prestations_beneficiaries_create = Een begunstigde aanmaken
prestations_org_yours = (uw organisatie)
prestations_org_dossiers = Dossiers van deze begunstigde
prestations_org_introduce = Een dossier indienen voor deze begunstigde
prestations_org_modify_own = De gegevens van uw organisatie wijzigen
prestations_org_modify_beneficiary = De gegevens van de begunstigde wijzigen
prestations_cheques_title = Competentiematrix
prestations_cheques_intro = Voor elke cheque de ingezette competentie en haar weging. Buiten de energiecheques is de competentie de cheque zelf, met een weging van 100%.
prestations_cheques_competence = Ingezette competentie
prestations_cheques_shared = verdeeld in het dossier

## E-mails (in de taal van de bestemmeling)
prestations_mail_validate_subject = Een prestatie wacht op uw validatie
prestations_mail_validate_body =
    { $enterprise } heeft een prestatie van { $date } ({ $hours } u, { $activity }) voor { $user } ingevoerd of verbeterd.
    Valideer of betwist ze uiterlijk op { $due }; zonder antwoord wordt ze automatisch gevalideerd.
prestations_mail_confirm_subject = Gelieve een prestatie te bevestigen
prestations_mail_confirm_body =
    { $worker } heeft op { $date } { $hours } u { $activity } voor u uitgevoerd ({ $enterprise }).
    Bevestig of betwist ze uiterlijk op { $due }; na die dag wordt ze automatisch bevestigd en kan ze niet meer worden betwist.
prestations_mail_reminder_subject = Herinnering { $number }: gelieve een prestatie te bevestigen
prestations_mail_reminder_intro = Herinnering { $number } van 2: een prestatie wacht nog altijd op uw bevestiging.
prestations_mail_auto_confirmed_subject = Een prestatie werd automatisch bevestigd
prestations_mail_auto_confirmed_body = De prestatie van { $date } door { $worker } werd uiterlijk op { $due } niet bevestigd of betwist: ze is nu bevestigd en kan niet meer worden betwist.
prestations_mail_digest_subject = Op te volgen prestaties: { $to_validate } te valideren door uw werknemers, { $contested } betwist
prestations_mail_digest_intro = { $name }: op te volgen prestaties.
prestations_mail_digest_to_validate = Uw werknemers moeten nog valideren:
prestations_mail_digest_contested = Betwist, te verbeteren of te annuleren:
prestations_mail_digest_none = (geen)
prestations_mail_digest_line = - { $date }: { $worker } voor { $user }, { $hours } u { $activity } ({ $status })
prestations_mail_digest_line_due = - { $date }: { $worker } voor { $user }, { $hours } u { $activity } ({ $status }, te valideren uiterlijk op { $due })

## Weigeringen geschreven door de pagina's
prestations_error_not_mail_address = Dit is geen e-mailadres.

## Waarom een handeling op een prestatie wordt geweigerd
prestations_refusal = Niet mogelijk: { $reason }.
prestations_refusal_send_owner = alleen de werknemer verstuurt zijn eigen invoer
prestations_refusal_validate_owner = alleen de werknemer valideert wat de onderneming heeft ingevoerd
prestations_refusal_confirm_owner = alleen de gebruiker bevestigt een prestatie
prestations_refusal_contest_owner = alleen de werknemer of de gebruiker kan betwisten
prestations_refusal_correct_owner = alleen de werknemer of de onderneming kan dit doen
prestations_refusal_scheduler_owner = alleen de automatische opvolging van de termijnen doet dit
prestations_refusal_cancelled = ze is geannuleerd
prestations_refusal_auto_confirmed = ze werd na 60 dagen automatisch bevestigd en kan niet meer worden betwist
prestations_refusal_you_confirmed = u hebt ze bevestigd: ze kan niet meer worden betwist
prestations_refusal_confirmed = ze is bevestigd en kan niet meer veranderen
prestations_refusal_already_contested = ze is al betwist
prestations_refusal_already_confirmed = u hebt ze al bevestigd; ze wacht nu op de validatie door de werknemer
prestations_refusal_worker_contested = de werknemer heeft ze betwist; de onderneming verbetert ze eerst
prestations_refusal_not_waiting_user = ze wacht niet op uw bevestiging
prestations_refusal_not_to_validate = alleen een prestatie die de onderneming heeft ingevoerd of verbeterd, wacht op de validatie door de werknemer
prestations_refusal_not_encoded = alleen een prestatie die nog wordt ingevoerd, kan worden verstuurd
prestations_refusal_worker_own_only = een werknemer verbetert of trekt alleen zijn eigen invoer in vóór de validatie; wend u tot de onderneming
prestations_refusal_not_waiting_worker = ze wacht niet op de werknemer
prestations_refusal_not_waiting_confirmation = ze wacht niet op de bevestiging van de gebruiker
prestations_refusal_not_now = deze handeling is nu niet mogelijk

## Waarom een handeling op een dossier wordt geweigerd
prestations_dossier_refusal_edit = alleen een dossier in aanvraag (01) kan worden gewijzigd; dupliceer het in de plaats
prestations_dossier_refusal_delete = alleen een dossier in aanvraag (01) kan worden verwijderd
prestations_dossier_refusal_submit = alleen een dossier in aanvraag (01) kan worden ingediend
prestations_dossier_refusal_take = alleen een ingediend dossier (02) kan in behandeling worden genomen
prestations_dossier_refusal_decide = alleen over een dossier in behandeling (03) kan worden beslist
prestations_dossier_refusal_cancel = alleen een dossier in behandeling (03) kan worden geannuleerd
prestations_dossier_refusal_close = alleen een aanvaard dossier (04) kan worden afgesloten
prestations_dossier_refusal_duplicate = elk dossier kan worden gedupliceerd

## Exports (kolomhoofden)
prestations_export_date = Datum
prestations_export_enterprise = Onderneming
prestations_export_enterprise_number = Ondernemingsnummer
prestations_export_worker = Werknemer
prestations_export_worker_number = Nummer van de werknemer
prestations_export_client = Klant
prestations_export_client_number = Nummer van de klant
prestations_export_activity = Activiteit
prestations_export_hours = Uren
prestations_export_status = Status
prestations_export_status_code = Statuscode
prestations_export_encoded = Ingevoerd
prestations_export_worker_until = Antwoord van de werknemer tot
prestations_export_client_until = Antwoord van de klant tot
prestations_export_client_confirmed = Bevestigd door de klant tijdens de validatie door de werknemer
prestations_export_yes = ja

## Refusals (services and forms): the English text is also the JSON API's
prestations_refusal_future = een prestatie wordt ingevoerd nadat ze is uitgevoerd: de datum ligt in de toekomst
prestations_refusal_act_for_enterprise = een prestatie wordt ingevoerd voor een onderneming: handel voor uw onderneming
prestations_refusal_activity = onbekende activiteit
prestations_refusal_same_person = de werknemer en de gebruiker moeten verschillende personen zijn
prestations_refusal_scheduler_only = alleen de planner van de termijnen doet dit
prestations_refusal_reason = een reden is vereist om te betwisten
prestations_refusal_correction_empty = een correctie moet de datum, de uren of de activiteit wijzigen
prestations_refusal_office_act = handel voor uw onderneming om haar kantoor te zien
prestations_refusal_email = het e-mailadres is niet geldig
prestations_refusal_not_your_worker = deze persoon is niet een van uw werknemers: voeg hem eerst toe
prestations_refusal_email_self_set = de werknemer koos zelf zijn e-mailadres: de onderneming kan het niet meer wijzigen
prestations_refusal_own_subcontractor = subcontractor: een dienstverlener is niet zijn eigen onderaannemer
prestations_refusal_subcontractor_name = subcontractor: het platform kent deze onderneming nog niet: geef haar naam
prestations_refusal_choose_provider = kies eerst uw structuur (de dienstverlener)
prestations_refusal_dossier_for_itself = een dienstverlener kan geen dossier voor zichzelf indienen
prestations_refusal_dossier_provider_only = alleen de dienstverlener die het dossier indiende kan dit doen
prestations_refusal_use_edit = gebruik de aanvraag tot wijzigen, verwijderen of dupliceren
prestations_refusal_regularisation_provider = alleen de dienstverlener die het dossier indiende vraagt de regularisatie ervan aan
prestations_refusal_regularisation_01 = alleen een dossier in indiening (01) wordt geregulariseerd: de indieningstermijn ervan
prestations_refusal_regularisation_reason = reason: zeg wat de storing verhinderde
prestations_refusal_proof_missing = proof: voeg een bewijs van de pogingen toe (een schermafdruk, een ontvangen melding)
prestations_refusal_proof_type = proof: een PNG- of JPEG-afbeelding of een PDF-document
prestations_refusal_regularisation_pending = een regularisatie van dit dossier wacht al op een beslissing
prestations_refusal_regularisation_own = de dienstverlener beslist niet over zijn eigen regularisatie
prestations_refusal_until_required = until: de nieuwe indieningstermijn is vereist
prestations_refusal_until_date = until: een datum in de vorm JJJJ-MM-DD wordt verwacht
prestations_refusal_until_past = until: de nieuwe termijn mag niet verstreken zijn
prestations_refusal_note = note: een weigering zegt waarom
prestations_refusal_decision = de beslissing moet "toekennen" of "weigeren" zijn
prestations_refusal_not_pending = deze aanvraag wacht niet op een beslissing
prestations_refusal_org_name = name: de naam van de organisatie is vereist
prestations_refusal_org_email = email: dit is geen e-mailadres
prestations_refusal_own_beneficiary = enterprise_number: een dienstverlener is niet zijn eigen begunstigde
prestations_refusal_act_for_provider = handel eerst voor uw organisatie (de dienstverlener)
prestations_refusal_record_exists = deze begunstigde heeft al een fiche: wijzig die liever
prestations_refusal_office_right = het kantoor van de onderneming vereist het recht "{ $right }"
prestations_refusal_nobody_number = niemand heeft het gebruikersnummer { $number }
prestations_refusal_no_prestation = deze prestatie bestaat niet
prestations_refusal_stale = de prestatie is intussen gewijzigd; laad ze opnieuw en probeer het nog eens
prestations_refusal_other_worker_right = invoeren voor een andere werknemer vereist het recht "{ $right }"
prestations_refusal_no_worker_number = geen enkele werknemer heeft het gebruikersnummer { $number }
prestations_refusal_no_client_number = geen enkele klant heeft het gebruikersnummer { $number }: de klant leest het op zijn pagina van dit portaal
prestations_refusal_hours_positive = het aantal uren moet positief zijn
prestations_refusal_hours_quarters = uren worden per kwartier geteld (bijvoorbeeld 2,25, 2,5, 2,75)
prestations_refusal_hours_most = een prestatie duurt ten hoogste 12 uur
prestations_refusal_date = { $field }: een datum in de vorm JJJJ-MM-DD wordt verwacht
prestations_refusal_no_dossier = dit dossier bestaat niet
prestations_refusal_dossier_stale = het dossier is intussen gewijzigd; laad het opnieuw en probeer het nog eens
prestations_refusal_start_past = start_date: de aanvraag wordt ingediend vóór de prestatie begint; { $start } is voorbij (een dossier dat door een storing werd verhinderd, vraagt een regularisatie aan)
prestations_refusal_administration_only = alleen de administratie (recht "{ $right }") kan dit met een dossier doen
prestations_refusal_deadline = de aanvraag moest uiterlijk op { $by } worden ingediend, vóór de prestatie begint; als een storing van het platform dat verhinderde, vraag dan een regularisatie aan met een bewijs
prestations_refusal_dossier_reason = een reden is vereist voor deze beslissing
prestations_refusal_reason_long = reason: ten hoogste { $max } tekens
prestations_refusal_proof_size = proof: ten hoogste { $max } MiB
prestations_refusal_operator_decides = alleen een operator (recht "{ $right }") beslist over een regularisatie
prestations_refusal_form_unreadable = het formulier kon niet worden gelezen; verstuur het opnieuw
prestations_refusal_choose_client = kies de klant in de lijst
prestations_refusal_hours_number = het aantal uren moet een getal zijn, bijvoorbeeld 3 of 2,5
prestations_refusal_description = een beschrijving van hoe de competentie wordt gebruikt is verplicht
prestations_refusal_description_of = een beschrijving van hoe "{ $label }" wordt gebruikt is verplicht
prestations_refusal_description_long = een beschrijving telt ten hoogste { $max } tekens
prestations_refusal_competence_itself = buiten energiecheques is de competentie de cheque zelf, gewogen aan 100%
prestations_refusal_energy_competences = een energiecheque verdeelt zijn werk over zijn competenties: geef elk met een weging en een beschrijving
prestations_refusal_foreign_competence = { $code } is geen competentie van deze cheque
prestations_refusal_competence_twice = { $code } is twee keer opgegeven
prestations_refusal_weight = elke weging ligt tussen 1 en 100
prestations_refusal_weights_total = de wegingen tellen op tot { $total }%, niet 100%
prestations_refusal_beneficiary_name = de naam van de begunstigde is vereist
prestations_refusal_cheque = onbekende cheque
prestations_refusal_start_required = start_date: het geplande begin van de prestatie is vereist
prestations_refusal_subcontractor_beneficiary = de onderaannemer kan niet de begunstigde zijn
prestations_refusal_enterprise_length = { $field }: een ondernemingsnummer telt 10 cijfers
prestations_refusal_enterprise_checksum = { $field }: de controlecijfers van het ondernemingsnummer kloppen niet
prestations_refusal_field_number_length = { $field }: een gebruikersnummer telt 10 cijfers
prestations_refusal_field_number_checksum = { $field }: de controlecijfers van het gebruikersnummer kloppen niet: controleer het
prestations_refusal_number_length = een gebruikersnummer telt 10 cijfers
prestations_refusal_number_checksum = de controlecijfers van het gebruikersnummer kloppen niet: controleer het
