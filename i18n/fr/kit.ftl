# Ce que partagent les applications métier (titres-services ALE, prestations) : droits,
# structure active, formulaires.

kit_needs_right = Cette action requiert le droit « { $right } » pour cette application dans votre structure active.
kit_choose_structure = Choisissez d'abord une structure active.
kit_cross_site_form = Les formulaires provenant d'autres sites sont refusés.
kit_form_expired = Le formulaire a expiré ; rechargez la page et réessayez.
kit_unknown_action = Cette action n'existe pas.

## Pages d'erreur
kit_error_invalid = La demande ne peut pas être traitée
kit_error_forbidden = Accès refusé
kit_error_not_found = Introuvable
kit_error_conflict = Impossible pour l'instant
kit_error_unavailable = Temporairement indisponible
kit_error_internal = Une erreur s'est produite
kit_error_internal_detail = L'erreur a été enregistrée ; réessayez plus tard.
kit_error_back = Revenez à la page précédente pour corriger.
kit_acting_as_self = Cette action demande une organisation : vous agissez en votre nom propre. Choisissez d'abord une organisation dans l'en-tête.

## Refusals the kit writes
kit_enterprise_number_length = enterprise_number : un numéro d'entreprise compte 10 chiffres
kit_enterprise_number_checksum = enterprise_number : les chiffres de contrôle du numéro d'entreprise ne correspondent pas
