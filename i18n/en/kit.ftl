# What every backend (vouchers, prestations) shares: rights, active structure, forms.

kit_needs_right = This needs the right "{ $right }" for this application in your active structure.
kit_choose_structure = Choose an active structure first.
kit_cross_site_form = Forms from other sites are refused.
kit_form_expired = The form has expired; reload the page and try again.
kit_unknown_action = This action does not exist.
