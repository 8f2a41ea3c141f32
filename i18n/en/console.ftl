# The delegated-administration console (/admin/): organisations, managers, people and
# their habilitations, attachment requests, audit.

console_title = Administration
console_intro = The organisations you represent or manage.
console_none = You represent or manage no organisation. To be attached to one, ask from "My organisations".
console_role_representative = Legal representative
console_role_manager = Access manager
console_operator = Platform operator
console_operator_intro = You are a platform operator: you may import the register and search every organisation.
console_col_organisation = Organisation
console_col_number = Enterprise number
console_col_role = Your role
