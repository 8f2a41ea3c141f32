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
