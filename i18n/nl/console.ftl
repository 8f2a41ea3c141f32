# De console voor gedelegeerd beheer (/admin/): organisaties, beheerders, personen en
# hun machtigingen, koppelingsaanvragen, auditlogboek.

console_title = Beheer
console_intro = De organisaties die u vertegenwoordigt of beheert.
console_none = U vertegenwoordigt of beheert geen enkele organisatie. Vraag een koppeling aan via "Mijn organisaties".
console_role_representative = Wettelijk vertegenwoordiger
console_role_manager = Toegangsbeheerder
console_operator = Platformbeheerder
console_operator_intro = U bent platformbeheerder: u kunt het register importeren en elke organisatie opzoeken.
console_col_organisation = Organisatie
console_col_number = Ondernemingsnummer
console_col_role = Uw rol

## Every structure page
console_nav_label = Beheer van de organisatie
console_nav_organisation = Organisatie
console_nav_managers = Toegangsbeheerders
console_nav_people = Personen en machtigingen
console_back_home = Terug naar mijn organisaties
console_refused = Deze wijziging werd geweigerd.
console_forbidden_title = Toegang geweigerd
console_forbidden_text = Alleen de wettelijke vertegenwoordigers en de toegangsbeheerders van een organisatie mogen het beheer ervan zien.
console_col_name = Naam
console_col_actions = Acties
console_done_renamed = De gebruikelijke naam werd gewijzigd.
console_done_service_created = De dienst werd aangemaakt.
console_done_service_renamed = De dienst werd hernoemd.
console_done_service_closed = De dienst werd gesloten.
console_done_main_designated = De hoofdtoegangsbeheerder werd aangeduid.
console_done_main_removed = De hoofdtoegangsbeheerder werd verwijderd.
console_done_local_designated = De lokale toegangsbeheerder werd aangeduid.
console_done_local_removed = De lokale toegangsbeheerder werd verwijderd.
console_done_granted = De machtiging werd toegekend.
console_done_level_changed = Het toegangsniveau werd gewijzigd.
console_done_renewed = De machtiging werd verlengd.
console_done_revoked = De machtiging werd ingetrokken.

## The organisation page
console_structure_title = Organisatie
console_structure_identity = Identificatie
console_legal_name = Maatschappelijke naam
console_common_name = Gebruikelijke naam
console_common_name_new = Nieuwe gebruikelijke naam
console_common_name_save = De gebruikelijke naam wijzigen
console_reps_title = Wettelijke vertegenwoordigers
console_reps_intro = Uit de Kruispuntbank van Ondernemingen; ze kunnen hier niet gewijzigd worden.
console_reps_not_logged_in = Nog niet aangemeld
console_reps_none = De databank vermeldt geen wettelijke vertegenwoordiger.
console_col_function = Functie
console_col_since = Sinds
console_services_title = Diensten
console_services_none = Nog geen dienst: personen zijn aan de hele organisatie gekoppeld.
console_col_code = Code
console_col_label = Omschrijving
console_service_label_new = Nieuwe omschrijving voor { $code }
console_service_rename = Hernoemen
console_service_close = { $code } sluiten
console_service_close_rule = Een dienst kan pas gesloten worden wanneer niemand er nog een geldige machtiging heeft en hij geen lokale toegangsbeheerder meer heeft.
console_service_new = Nieuwe dienst
console_service_code_hint = Letters, cijfers, "-", "_" en "."; uniek in de organisatie.
console_service_create = De dienst aanmaken

## The managers page
console_managers_title = Toegangsbeheerders
console_managers_heading = Toegangsbeheerders van { $name }
console_mains_title = Hoofdtoegangsbeheerders
console_mains_last_rule = Een organisatie behoudt altijd minstens één hoofdtoegangsbeheerder: de laatste kan niet vertrekken of verwijderd worden zolang er geen opvolger is aangeduid.
console_mains_none = Nog geen hoofdtoegangsbeheerder.
console_mains_designate = Een hoofdtoegangsbeheerder aanduiden
console_col_status = Status
console_col_service = Dienst
console_pending = In afwachting van de eerste aanmelding
console_active = Actief
console_withdraw = De aanduiding van { $name } intrekken
console_remove = { $name } verwijderen
console_resign = Deze rol verlaten
console_nrn_label = Rijksregisternummer
console_nrn_hint = 11 cijfers, bijvoorbeeld 85.07.30-033.28. De persoon wordt beheerder bij de eerste aanmelding.
console_nrn_invalid = Dit is geen geldig rijksregisternummer: controleer de 11 cijfers.
console_designate = Aanduiden
console_unknown_person = Deze persoon is hier niet bekend.
console_locals_title = Lokale toegangsbeheerders per dienst
console_locals_col = Lokale toegangsbeheerders
console_locals_none = Geen
console_locals_designate = Een lokale toegangsbeheerder aanduiden
console_local_one_of = Kies een persoon die al gekoppeld is, of typ een rijksregisternummer (een van beide).
console_local_person = Persoon gekoppeld aan de organisatie
console_local_person_none = (geen: het rijksregisternummer gebruiken)
console_local_nrn = Of rijksregisternummer
