# Wat de vakapplicaties (PWA-cheques, prestaties) delen: rechten, actieve structuur,
# formulieren.

kit_needs_right = Hiervoor is het recht "{ $right }" voor deze toepassing in uw actieve structuur vereist.
kit_choose_structure = Kies eerst een actieve structuur.
kit_cross_site_form = Formulieren van andere sites worden geweigerd.
kit_form_expired = Het formulier is verlopen; laad de pagina opnieuw en probeer het nog eens.
kit_unknown_action = Deze handeling bestaat niet.

## Foutpagina's
kit_error_invalid = De aanvraag kan niet worden uitgevoerd
kit_error_forbidden = Geen toegang
kit_error_not_found = Niet gevonden
kit_error_conflict = Nu niet mogelijk
kit_error_unavailable = Tijdelijk niet beschikbaar
kit_error_internal = Er is iets misgegaan
kit_error_internal_detail = De fout is geregistreerd; probeer het later opnieuw.
kit_error_back = Ga terug naar de vorige pagina om het te verbeteren.
kit_acting_as_self = Hiervoor is een organisatie nodig: u handelt in eigen naam. Kies eerst een organisatie in de koptekst.

## Refusals the kit writes
kit_enterprise_number_length = enterprise_number: een ondernemingsnummer telt 10 cijfers
kit_enterprise_number_checksum = enterprise_number: de controlecijfers van het ondernemingsnummer kloppen niet
