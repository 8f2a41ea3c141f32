# Attachment requests, access requests, "My organisations" and "My habilitations".


## My organisations
mine_title = My organisations
mine_link = My organisations
mine_link_habilitations = My habilitations: what I may do where, until when
mine_attachments = Organisations I am attached to
mine_attachments_caption = Your attachments
mine_attachments_none = You are attached to no organisation yet.
mine_col_organisation = Organisation
mine_col_number = Enterprise number
mine_col_services = Services
mine_col_since = Since
mine_col_action = Action
mine_col_asked = Asked on
mine_col_comment = Your comment
mine_col_status = Status
mine_whole = The whole organisation
mine_detach = Detach me from { $name }
mine_requests = My attachment requests
mine_requests_caption = Your attachment requests and their answers
mine_requests_none = You have made no attachment request.
mine_status_pending = Waiting for an access manager
mine_status_approved = Approved
mine_status_rejected = Rejected
mine_ask = Ask to be attached
mine_ask_intro = Give the enterprise number of the organisation you work for and say why. Its access managers will approve or reject your request; you will receive an email either way.
mine_ask_number = Enterprise number (required)
mine_ask_number_help = For example 0123.456.749 (Belgium) or a SIREN or SIRET number (France).
mine_ask_services = Services (optional)
mine_ask_services_help = The codes of the services you work in, separated by commas. Leave empty for the whole organisation.
mine_ask_comment = Comment (required)
mine_ask_submit = Send my request
mine_ask_errors = Your request was not sent:
mine_error_number = This is not a valid enterprise number: check its digits.
mine_error_comment = Please say why you ask to be attached.
mine_error_services = One of these service codes is not a service of this organisation.
mine_error_conflict = You are already attached there, or a request of yours is already waiting for an answer.
mine_done_asked = Your request was sent to the organisation's access managers.
mine_done_asked_new = This organisation was not on the platform yet: it was added, and the platform operator will check it before your request can be answered.
mine_done_detached = You are no longer attached to that organisation.
mine_pending_caption = Organisations added by an attachment request, waiting for the register
mine_pending_since = Added on
