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

## Requests to decide (managers)
req_title = Requests to decide
req_intro = Attachment and access requests for { $organisation } ({ $number }).
req_attachments = Attachment requests
req_attachment_from = { $name }, asked on { $date }
req_comment = Comment:
req_asked_for = Asks to be attached to:
req_attach_to = Attach to
req_whole = The whole organisation
req_these_services = These services:
req_rights_to_give = Rights to give at once (optional)
req_valid_until = Valid until (included)
req_note = Note to the requester (optional)
req_approve = Approve the request of { $name }
req_reason = Reason (required to reject or refuse)
req_reject = Reject the request of { $name }
req_attachments_none = No attachment request is waiting.
req_access = Access requests
req_access_from = { $name } asks for "{ $right }" (on { $date })
req_access_scope = Attached to:
req_grant = Grant "{ $right }" to { $name }
req_refuse = Refuse the request of { $name }
req_access_none = No access request is waiting.
req_members = People attached
req_members_caption = People attached to { $organisation }
req_col_person = Person
req_col_scope = Where
req_col_since = Since
req_col_action = Action
req_detach = Detach { $name }
req_done_approved = The request was approved; the person was told by email.
req_done_rejected = The request was rejected; the person was told by email.
req_done_granted = The right was granted; the person was told by email.
req_done_refused = The request was refused; the person was told by email.
req_done_detached = The person was detached; their rights in the organisation ended.
req_mail_approved_subject = Your attachment to { $organisation } was approved
req_mail_approved_body = Hello { $name },

    Your request to be attached to { $organisation } was approved. You can now choose this organisation after logging in.
req_mail_rejected_subject = Your attachment to { $organisation } was rejected
req_mail_rejected_body = Hello { $name },

    Your request to be attached to { $organisation } was rejected, for this reason:

    { $reason }
req_mail_no_end = until revoked
req_mail_granted_subject = You were granted "{ $right }"
req_mail_granted_body = Hello { $name },

    Your access request was granted: you now hold "{ $right }" for { $organisation }, valid until { $until }.
req_mail_refused_subject = Your request for "{ $right }" was refused
req_mail_refused_body = Hello { $name },

    Your request for "{ $right }" in { $organisation } was refused, for this reason:

    { $reason }

## My habilitations
hab_title = My habilitations
hab_intro = What you may do, where, and until when.
hab_caption = Your habilitations in force
hab_col_organisation = Organisation
hab_col_services = Services
hab_col_application = Application
hab_col_level = Access level
hab_col_until = Valid until
hab_col_right = Right
hab_col_asked = Asked on
hab_col_status = Status
hab_whole = The whole organisation
hab_no_end = Until revoked
hab_ends_in = Ends in { $days } days
hab_ends_today = Ends today or tomorrow
hab_none = You hold no habilitation in force.
hab_access = My access requests
hab_access_caption = Your access requests and their answers
hab_access_none = You have made no access request.
hab_access_pending = Waiting for an access manager
hab_access_granted = Granted
hab_access_refused = Refused
hab_done_access_requested = Your request was sent to the access managers who can grant it.

## Access refused: ask for it
acc_title = Access refused
acc_needed = To open this page you need "{ $right }" in { $application } for { $organisation }, and you do not hold it.
acc_granters = These access managers can grant it to you:
acc_granters_none = No access manager of this organisation can grant it yet.
acc_ask = Request access
acc_comment = Comment (optional)
acc_comment_help = Say why you need it; the access managers will read it.
acc_submit = Request "{ $right }"
acc_error_no_organisation = Choose the organisation you act for first.
acc_error_pending = You already asked for this right; your request is waiting for an answer.
acc_mail_subject = { $requester } asks for "{ $right }"
acc_mail_body = Hello { $name },

    { $requester } asks for "{ $right }" in { $organisation }. You can grant or refuse it here:

    { $link }
mine_mail_subject = { $requester } asks to be attached
mine_mail_body = Hello { $name },

    { $requester } asks to be attached to { $organisation }, saying:

    { $comment }

    You can approve or reject the request here:

    { $link }
