# PWA-cheques (plaatselijk werkgelegenheidsagentschap): de pagina's van de medewerkers en
# de gebruikers.

vouchers_app_title = PWA-cheques
vouchers_nav_home = Startpagina
vouchers_nav_users = Gebruikers
vouchers_nav_register_user = Een gebruiker inschrijven
vouchers_nav_providers = PWA-werknemers
vouchers_nav_prestations = Prestaties
vouchers_nav_invoices = Facturen
vouchers_nav_wallet = Mijn portefeuille

## Gemeenschappelijke woorden
vouchers_activity = Activiteit
vouchers_address = Adres
vouchers_all = Alle
vouchers_ascending = oplopend
vouchers_descending = aflopend
vouchers_authorization = Toelating
vouchers_authorizations = Toelatingen
vouchers_authorization_creation = Inschrijving
vouchers_authorization_renewal = Hernieuwing
vouchers_available = beschikbaar
vouchers_spent = gebruikt
vouchers_centre = OCMW
vouchers_common_name = Gebruikelijke naam
vouchers_contact = Contactgegevens
vouchers_cpas = Openbaar centrum voor maatschappelijk welzijn (OCMW)
vouchers_date = Datum
vouchers_effective_from = Datum van inwerkingtreding
vouchers_email = E-mailadres
vouchers_email_none = geen
vouchers_enterprise_number = Ondernemingsnummer
vouchers_first_name = Voornaam
vouchers_last_name = Naam
vouchers_from = Vanaf
vouchers_history = Geschiedenis
vouchers_holder = Houder
vouchers_hours = Uren
vouchers_kind = Soort persoon
vouchers_kind_natural = Natuurlijke persoon
vouchers_kind_legal = Rechtspersoon
vouchers_language = Taal
vouchers_language_fr = Frans
vouchers_language_nl = Nederlands
vouchers_language_de = Duits
vouchers_language_en = Engels
vouchers_legal_name = Benaming
vouchers_municipality = Gemeente
vouchers_name = Naam
vouchers_no = nee
vouchers_yes = ja
vouchers_no_email_known = geen e-mailadres bekend
vouchers_none = Geen.
vouchers_note = Opmerking
vouchers_order = Volgorde
vouchers_phone = Telefoon
vouchers_postcode = Postcode
vouchers_prestations = Prestaties
vouchers_provider = PWA-werknemer
vouchers_record = Registreren
vouchers_record_prestation = Een prestatie registreren
vouchers_recorded_by = Geregistreerd door
vouchers_register = Inschrijven
vouchers_register_user = Een gebruiker inschrijven
vouchers_registration = Inschrijving
vouchers_renew = Hernieuwen
vouchers_save = Opslaan
vouchers_show = Tonen
vouchers_since = Sinds
vouchers_sort_by = Sorteren op
vouchers_state = Toestand
vouchers_status = Status
vouchers_street = Straat en nummer
vouchers_type = Type
vouchers_user = Gebruiker
vouchers_valid_until = Einde geldigheid
vouchers_voucher = Cheque
vouchers_vouchers = Cheques

## Status van een prestatie
vouchers_status_unpaid = Onbetaald
vouchers_status_paid = Betaald
vouchers_status_contested = Betwist
vouchers_status_cancelled = Geannuleerd

## Soorten PWA-werknemers
vouchers_type_unemployed = Volledig uitkeringsgerechtigde werkloze
vouchers_type_integration_income = Leefloon (OCMW)
vouchers_type_social_aid = Gelijkwaardige financiële maatschappelijke hulp (OCMW)
vouchers_type_not_eligible = Niet in aanmerking

## Activiteiten
vouchers_activity_gardening = Kleine tuinwerken
vouchers_activity_small_repairs = Kleine herstellingen
vouchers_activity_childcare = Kinderopvang
vouchers_activity_elderly_accompaniment = Begeleiding van ouderen of zieken
vouchers_activity_administrative_help = Administratieve hulp
vouchers_activity_school_supervision = Toezicht op school
vouchers_activity_event_help = Hulp bij lokale evenementen
vouchers_activity_agriculture = Seizoensgebonden landbouwwerk

## Startpagina
vouchers_home_title = Startpagina
vouchers_home_contested = Betwiste prestaties:
vouchers_home_unpaid = Onbetaalde prestaties:
vouchers_home_expiring = Toelatingen die binnen 30 dagen aflopen

## Facturen
vouchers_invoice_title = Factuur { $number }
vouchers_invoice_date = Datum:
vouchers_invoice_caption = Gefactureerde cheques
vouchers_invoice_item = Artikel
vouchers_invoice_quantity = Aantal
vouchers_invoice_unit_price = Eenheidsprijs (EUR)
vouchers_invoice_total = Totaal (EUR)
vouchers_invoice_vouchers = PWA-cheques
vouchers_invoice_vat = Btw: niet van toepassing.
vouchers_invoices_title = Facturen
vouchers_invoices_number = Nummer
vouchers_invoices_to = Bestemmeling
vouchers_invoices_mailed = Per e-mail verstuurd

## De portefeuille van de gebruiker
vouchers_wallet_title = Mijn portefeuille
vouchers_wallet_at = { $agency }: { $balance } cheques
vouchers_wallet_registered_as = Ingeschreven als { $name }.
vouchers_wallet_none = Er is nog geen portefeuille aan u gekoppeld.
vouchers_wallet_link_title = Een portefeuille koppelen
vouchers_wallet_code = De code die uw plaatselijk werkgelegenheidsagentschap u gaf
vouchers_wallet_link = Koppelen
vouchers_wallet_linked = Gekoppeld: uw portefeuille bij { $agency }.

## PWA-werknemers
vouchers_providers_title = PWA-werknemers
vouchers_providers_name_or_email = Naam of e-mailadres
vouchers_providers_eligible = In aanmerking (elk type dat uren toelaat)
vouchers_providers_no_type = Nog geen type van kracht
vouchers_providers_on = Type en OCMW op
vouchers_providers_type_since = Type van kracht sinds
vouchers_providers_not_yet_effective = nog niet van kracht
vouchers_providers_no_match = Geen enkele PWA-werknemer voldoet.
vouchers_providers_register_title = Een PWA-werknemer inschrijven
vouchers_providers_cpas_required = Openbaar centrum voor maatschappelijk welzijn (verplicht voor de OCMW-types)
vouchers_provider_type_on = Type op
vouchers_provider_on = Op { $day }:
vouchers_provider_no_type_yet = nog geen type
vouchers_provider_centre = OCMW:
vouchers_provider_since = sinds { $day }
vouchers_provider_change_title = Het type of het OCMW wijzigen
vouchers_provider_change = De wijziging registreren

## Gebruikers
vouchers_users_title = Gebruikers
vouchers_users_search = Naam, gebruikelijke naam of ondernemingsnummer
vouchers_users_natural = Natuurlijke personen
vouchers_users_legal = Rechtspersonen
vouchers_users_valid_today = Vandaag geldig
vouchers_users_expiring = Aflopend vóór de datum hieronder
vouchers_users_expired = Verlopen
vouchers_users_before = Aflopend vóór (standaard: binnen 30 dagen)
vouchers_users_end_of_authorization = Einde van de toelating
vouchers_users_download = Deze lijst downloaden (.xlsx)
vouchers_users_authorization_until = Toelating tot
vouchers_users_no_match = Geen enkele gebruiker voldoet.
vouchers_user_authorized_today = Vandaag toegelaten
vouchers_user_online_access = Online toegang
vouchers_user_link_code = Geef deze code aan { $name }:
vouchers_user_link_code_use = (geldig tot { $until }, eenmalig). Aangemeld in eigen naam voert de gebruiker de code in op zijn pagina om zijn portefeuille en prestaties te raadplegen.
vouchers_user_give_code = Een code geven om de portefeuille online te raadplegen
vouchers_user_wallet = Portefeuille: { $balance } cheques
vouchers_user_buy_label = Cheques kopen (EUR { $price } per stuk)
vouchers_user_buy = Kopen
vouchers_user_renew_from = Vanaf (standaard: de dag na het huidige einde, of vandaag)
vouchers_user_invoice_of = Factuur { $number } van { $day }
vouchers_user_invoice_not_mailed = (niet verstuurd: geen e-mailadres bekend)
vouchers_open_invoice = Factuur { $number } openen
vouchers_user_form_lookup = Opzoeken wat al gekend is
vouchers_user_form_lookup_number = Ondernemingsnummer (rechtspersoon)
vouchers_user_form_prefill = Het formulier vooraf invullen
vouchers_user_form_already = Deze persoon is al gebruiker bij dit agentschap:
vouchers_user_form_already_link = open de fiche om de toelating te hernieuwen
vouchers_user_form_sources = Vooraf ingevuld op basis van: { $sources }.
vouchers_user_form_common_name = Gebruikelijke naam (getoond op de cheques en in de lijsten)
vouchers_user_form_email = E-mailadres (de facturen worden ernaar verstuurd)

## Prestaties
vouchers_works_contested = Betwist:
vouchers_works_unpaid = Onbetaald:
vouchers_works_all = Alle prestaties
vouchers_works_type_on_date = Type op die datum
vouchers_work_title = Prestatie van { $day }
vouchers_work_wallet = portefeuille: { $balance } cheques
vouchers_work_on_that_date = op die datum:
vouchers_work_no_type = geen type
vouchers_work_hours_vouchers = Uren / cheques
vouchers_work_contested_because = Reden van de betwisting
vouchers_work_resolution = Afhandeling
vouchers_work_pay = { $hours } cheques uit de portefeuille betalen
vouchers_work_cancel = De prestatie annuleren
vouchers_work_contest_legend = De gebruiker betwist
vouchers_work_reason = Reden
vouchers_work_contest = De betwisting registreren
vouchers_work_resolve_legend = De betwisting afhandelen
vouchers_work_outcome = Uitkomst
vouchers_work_uphold = De prestatie blijft behouden (opnieuw onbetaald)
vouchers_work_cancel_it = Annuleren
vouchers_work_corrected_hours = Verbeterde uren (optioneel)
vouchers_work_resolve = De betwisting afsluiten
vouchers_work_form_user = Gebruiker (vandaag toegelaten)
vouchers_work_form_electronic_start = De elektronische prestaties beginnen op { $day }.
vouchers_work_form_hours = Uren (één cheque per uur)

## E-mails
vouchers_mail_invoice_subject = Factuur { $number } van { $agency }
vouchers_mail_invoice_body =
    Factuur { $number } van { $date }
    Van: { $agency }
    Aan: { $holder } ({ $legal }), ondernemingsnummer { $enterprise }
    { $address }
    { $quantity } cheques x EUR { $unit } = EUR { $total }
    Btw: niet van toepassing.

## Waar de waarden van het inschrijvingsformulier vandaan komen
vouchers_prefill_default_period = toelating van { $months } maanden vanaf vandaag (de standaardduur van het agentschap)
vouchers_prefill_usual = taal en gemeente die het vaakst voorkomen bij de gebruikers van { $agency }
vouchers_prefill_already_here = deze rechtspersoon is hier al ingeschreven
vouchers_prefill_earlier = benamingen en adres van de rechtspersoon uit een eerdere inschrijving
vouchers_prefill_same_email = een gebruiker van dit agentschap heeft dit e-mailadres

## De export van de gebruikerslijst (kolomhoofden)
vouchers_export_name = Naam
vouchers_export_kind = Soort persoon
vouchers_export_legal_name = Benaming
vouchers_export_enterprise_number = Ondernemingsnummer
vouchers_export_email = E-mailadres
vouchers_export_street = Straat
vouchers_export_postcode = Postcode
vouchers_export_municipality = Gemeente
vouchers_export_from = Toelating vanaf
vouchers_export_until = Toelating tot
vouchers_export_authorized_today = Vandaag toegelaten
vouchers_export_balance = Cheques in de portefeuille

## Refusals (services and forms): the English text is also the JSON API's
vouchers_refusal_choose_agency = kies eerst uw agentschap als actieve structuur
vouchers_refusal_date = { $field }: een datum in de vorm JJJJ-MM-DD wordt verwacht
vouchers_refusal_no_prestation = deze prestatie bestaat niet
vouchers_refusal_no_provider = deze dienstverlener bestaat niet
vouchers_refusal_no_user = deze gebruiker bestaat niet
vouchers_refusal_no_invoice = deze factuur bestaat niet
vouchers_refusal_choose_provider = kies een dienstverlener
vouchers_refusal_choose_user = kies een gebruiker
vouchers_refusal_no_type = de dienstverlener had op { $day } geen type: nog niet ingeschreven
vouchers_refusal_not_eligible = op { $day } was de dienstverlener niet toegelaten (sinds { $since })
vouchers_refusal_monthly_limit = de dienstverlener zou in { $month } { $hours } uur werken; zijn type staat er { $allowed } toe
vouchers_refusal_before_electronic = datum: elektronische prestaties beginnen op { $start }: een prestatie van { $day } kan niet elektronisch worden geregistreerd
vouchers_refusal_future = een prestatie wordt geregistreerd nadat ze is uitgevoerd: de datum ligt in de toekomst
vouchers_refusal_hours = het aantal uren moet tussen 1 en { $max } liggen
vouchers_refusal_activity = onbekende activiteit
vouchers_refusal_not_authorized_on = geen enkele machtiging van deze gebruiker dekt { $day }
vouchers_refusal_status = onbekende status
vouchers_refusal_stale = de prestatie is intussen gewijzigd; laad ze opnieuw
vouchers_refusal_transition = { $action ->
        [contest] alleen een onbetaalde prestatie kan worden betwist
        [resolve] alleen over een betwiste prestatie kan worden beslist
        [cancel] alleen een onbetaalde prestatie kan worden geannuleerd
       *[other] deze actie is niet mogelijk voor deze prestatie in haar huidige toestand
    }
vouchers_refusal_reason = een reden is vereist om te betwisten
vouchers_refusal_outcome = de beslissing moet "behouden" of "annuleren" zijn
vouchers_refusal_kind = het soort moet "natuurlijke persoon" of "rechtspersoon" zijn
vouchers_refusal_dir = de volgorde moet oplopend of aflopend zijn
vouchers_refusal_first_name = de voornaam is vereist
vouchers_refusal_last_name = de naam is vereist
vouchers_refusal_email = het e-mailadres is niet geldig
vouchers_refusal_auth_filter = de machtiging moet geldig, verlopen of bijna verlopen zijn
vouchers_refusal_user_sort = sorteren kan op naam, einde van geldigheid of inschrijvingsdatum
vouchers_refusal_provider_type = onbekend type dienstverlener
vouchers_refusal_needs_cpas = dit type vereist het openbaar centrum voor maatschappelijk welzijn (OCMW)
vouchers_refusal_type_filter = het type moet een type dienstverlener, "toegelaten" of "geen" zijn
vouchers_refusal_provider_sort = sorteren kan op naam, type, ingangsdatum of inschrijvingsdatum
vouchers_refusal_period = het einde van de geldigheid ligt vóór het begin
vouchers_refusal_longest = een machtiging duurt ten hoogste { $months } maanden
vouchers_refusal_legal_name = de benaming is vereist voor een rechtspersoon
vouchers_refusal_enterprise_number = het ondernemingsnummer is vereist voor een rechtspersoon
vouchers_refusal_language = de taal moet fr, nl, de of en zijn
vouchers_refusal_valid_until = het einde van de geldigheid is vereist
vouchers_refusal_registered = deze rechtspersoon is hier al ingeschreven: verleng liever haar machtiging
vouchers_refusal_overlap = de lopende machtiging loopt tot { $end }: een verlenging begint daarna
vouchers_refusal_myself_only = deze pagina is die van een gebruiker die in eigen naam handelt
vouchers_refusal_legal_no_code = een rechtspersoon handelt voor haar organisatie: ze krijgt geen persoonlijke code
vouchers_refusal_code_empty = code: vul de code in die uw agentschap u gaf
vouchers_refusal_code_unknown = code: deze code is onbekend, al gebruikt of verlopen; vraag uw agentschap een nieuwe
vouchers_refusal_quantity = het aantal moet tussen 1 en { $max } liggen
vouchers_refusal_not_authorized_today = geen enkele machtiging van deze gebruiker dekt vandaag: verleng ze eerst
vouchers_refusal_pay_unpaid_only = alleen een onbetaalde prestatie kan worden betaald
vouchers_refusal_balance = de portefeuille bevat { $balance } cheques; er zijn er { $needed } nodig
