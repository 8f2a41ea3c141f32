# What every backend (vouchers, prestations) shares: rights, active structure, forms.

kit_needs_right = This needs the right "{ $right }" for this application in your active structure.
kit_choose_structure = Choose an active structure first.
kit_cross_site_form = Forms from other sites are refused.
kit_form_expired = The form has expired; reload the page and try again.
kit_unknown_action = This action does not exist.

## Error pages
kit_error_invalid = The request cannot be carried out
kit_error_forbidden = Not allowed
kit_error_not_found = Not found
kit_error_conflict = Not possible now
kit_error_unavailable = Temporarily unavailable
kit_error_internal = Something went wrong
kit_error_internal_detail = The error was recorded; try again later.
kit_error_back = Go back to the previous page to correct it.
kit_acting_as_self = This needs an organisation: you act as yourself. Choose an organisation in the header first.

## Refusals the kit writes
kit_enterprise_number_length = enterprise_number: an enterprise number has 10 digits
kit_enterprise_number_checksum = enterprise_number: the enterprise number's check digits do not match
