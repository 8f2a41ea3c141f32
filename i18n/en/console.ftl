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

## Every structure page
console_nav_label = Organisation administration
console_nav_organisation = Organisation
console_nav_managers = Access managers
console_nav_people = People and habilitations
console_back_home = Back to my organisations
console_refused = This change was refused.
console_forbidden_title = Access refused
console_forbidden_text = Only the legal representatives and the access managers of an organisation may see its administration.
console_col_name = Name
console_col_actions = Actions
console_done_renamed = The common name was changed.
console_done_service_created = The service was created.
console_done_service_renamed = The service was renamed.
console_done_service_closed = The service was closed.
console_done_main_designated = The main access manager was designated.
console_done_main_removed = The main access manager was removed.
console_done_local_designated = The local access manager was designated.
console_done_local_removed = The local access manager was removed.
console_done_granted = The habilitation was granted.
console_done_level_changed = The access level was changed.
console_done_renewed = The habilitation was renewed.
console_done_revoked = The habilitation was revoked.

## The organisation page
console_structure_title = Organisation
console_structure_identity = Identification
console_legal_name = Legal name
console_common_name = Common name
console_common_name_new = New common name
console_common_name_save = Change the common name
console_reps_title = Legal representatives
console_reps_intro = From the company register; they cannot be changed here.
console_reps_not_logged_in = Not yet logged in
console_reps_none = The register names no legal representative.
console_col_function = Function
console_col_since = Since
console_services_title = Services
console_services_none = No service yet: people are attached to the whole organisation.
console_col_code = Code
console_col_label = Label
console_service_label_new = New label for { $code }
console_service_rename = Rename
console_service_close = Close { $code }
console_service_close_rule = A service can be closed only once nobody holds a valid habilitation there and it has no local access manager.
console_service_new = New service
console_service_code_hint = Letters, digits, "-", "_" and "."; unique in the organisation.
console_service_create = Create the service

## The managers page
console_managers_title = Access managers
console_managers_heading = Access managers of { $name }
console_mains_title = Main access managers
console_mains_last_rule = An organisation always keeps at least one main access manager: the last one can neither leave nor be removed until a successor is designated.
console_mains_none = No main access manager yet.
console_mains_designate = Designate a main access manager
console_col_status = Status
console_col_service = Service
console_pending = Pending until their first login
console_active = Active
console_withdraw = Withdraw the designation of { $name }
console_remove = Remove { $name }
console_resign = Leave this role
console_nrn_label = National register number
console_nrn_hint = 11 digits, e.g. 85.07.30-033.28. The person becomes manager at their first login.
console_nrn_invalid = This is not a valid national register number: check the 11 digits.
console_designate = Designate
console_unknown_person = This person is not known here.
console_locals_title = Local access managers per service
console_locals_col = Local access managers
console_locals_none = None
console_locals_designate = Designate a local access manager
console_local_one_of = Choose a person already attached, or type a national register number (one of the two).
console_local_person = Person attached to the organisation
console_local_person_none = (none: use the national register number)
console_local_nrn = Or national register number
