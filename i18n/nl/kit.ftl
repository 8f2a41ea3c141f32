# Wat de vakapplicaties (PWA-cheques, prestaties) delen: rechten, actieve structuur,
# formulieren.

kit_needs_right = Hiervoor is het recht "{ $right }" voor deze toepassing in uw actieve structuur vereist.
kit_choose_structure = Kies eerst een actieve structuur.
kit_cross_site_form = Formulieren van andere sites worden geweigerd.
kit_form_expired = Het formulier is verlopen; laad de pagina opnieuw en probeer het nog eens.
kit_unknown_action = Deze handeling bestaat niet.
