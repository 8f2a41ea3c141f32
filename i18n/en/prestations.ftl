# Service-voucher prestations (enterprises, workers, users) and business-cheque dossiers.

prestations_app_title = Prestations
prestations_nav_todo = To do
prestations_nav_prestations = Prestations
prestations_nav_encode = Encode
prestations_nav_history = History
prestations_nav_enterprise = Enterprise
prestations_nav_dossiers = Business dossiers
prestations_nav_notices = My notices

## Shared words
prestations_action = Action
prestations_activity = Activity
prestations_add = Add
prestations_all = All
prestations_beneficiary = Beneficiary
prestations_by = By
prestations_cheque = Cheque
prestations_continue = Continue
prestations_create = Create
prestations_date = Date
prestations_encoded = Encoded
prestations_enterprise = Enterprise
prestations_enterprise_number = Enterprise number:
prestations_enterprise_number_column = Enterprise number
prestations_filter = Filter
prestations_history = History
prestations_hours = Hours
prestations_mail = Mail
prestations_message = Message
prestations_municipality = Municipality
prestations_name = Name
prestations_no_dossier = No dossier yet.
prestations_none = None.
prestations_note = Note
prestations_number = Voucher-user number
prestations_open = Open
prestations_open_column = Link
prestations_open_of = the prestation of { $day }
prestations_postcode = Postcode
prestations_provider = Provider
prestations_reason = Reason
prestations_reason_required = Reason (required)
prestations_reference = Reference
prestations_save = Save
prestations_saved = Saved.
prestations_search = Search
prestations_status = Status
prestations_street = Street and number
prestations_subject = Subject
prestations_theme = Theme
prestations_user = User
prestations_weight = Weight
prestations_what_you_can_do = What you can do
prestations_worker = Worker
prestations_contact_email = Contact email
prestations_contact_phone = Contact phone

## Statuses of a prestation (seed 001) and their colours
prestations_status_encoded = Encoded
prestations_status_to_validate = To be validated by the worker
prestations_status_contested_by_worker = Contested by the worker
prestations_status_validated_by_worker = Validated by the worker
prestations_status_validated = Validated
prestations_status_waiting = Waiting for the user's confirmation
prestations_status_confirmed = Confirmed
prestations_status_contested = Contested
prestations_status_cancelled = Cancelled
prestations_status_user_waiting = Waiting for validation
prestations_legend_title = Colour legend
prestations_legend_user_waiting = "Waiting for validation": the worker still validates it; you may confirm or contest it already.
prestations_user_confirmed_mark = (user confirmed)

## Activities
prestations_activity_cleaning = Cleaning (windows included)
prestations_activity_laundry_ironing = Washing and ironing
prestations_activity_meals = Preparing meals
prestations_activity_shopping = Household shopping
prestations_activity_ironing_centre = Ironing centre
prestations_activity_reduced_mobility_transport = Transport of persons with reduced mobility

## Who and what
prestations_actor_worker = the worker
prestations_actor_enterprise = the enterprise
prestations_actor_user = the user
prestations_actor_system = the system
prestations_encoded_by = encoded by { $by }
prestations_encoded_corrected = encoded by { $by }, corrected by { $corrector }
prestations_action_encode = encoded
prestations_action_send = sent to the user
prestations_action_correct = corrected
prestations_action_validate = validated
prestations_action_contest = contested
prestations_action_confirm = confirmed
prestations_action_cancel = cancelled
prestations_action_auto_validate = validated automatically
prestations_action_auto_confirm = confirmed automatically

## Mail states
prestations_mail_sent = sent
prestations_mail_no_address = no email known
prestations_mail_failed = not delivered
prestations_mail_queued = queued

## To do
prestations_home_title = To do
prestations_home_today = Today: { $today }.
prestations_home_number = Your voucher-user number:
prestations_home_number_use = (give it to the enterprise that works for you).
prestations_home_awaiting_validation = Waiting for validation (you may confirm or contest already)
prestations_home_awaiting_validation_help = The enterprise encoded these; its worker validates them within 5 business days. Your answer counts as soon as you give it.
prestations_home_to_confirm = To confirm (prestations performed for you)
prestations_home_to_confirm_help = Without your confirmation within 60 days, a prestation is confirmed automatically and can no longer be contested.
prestations_home_to_validate = To validate (encoded or corrected by your enterprise)
prestations_home_to_validate_help = Without your answer within 5 business days, a prestation is validated automatically.
prestations_home_drafts = Your drafts, not yet sent
prestations_home_enterprise_link = The enterprise's notices and settings

## Lists
prestations_list_title = Prestations
prestations_list_download = Download this list:
prestations_list_excel = Excel (.xlsx)
prestations_history_title = History
prestations_history_heading = History: the last 3 months
prestations_history_intro = Prestations dated within the last 3 months (today is { $today }); cancelled prestations are not listed. Under each: who encoded it.

## One prestation
prestations_detail_title = Prestation of { $day }
prestations_detail_who_encoded = Who encoded it
prestations_detail_worker_until = Worker may answer until
prestations_detail_worker_until_value = { $day } (then validated automatically)
prestations_detail_user_until = User may answer until
prestations_detail_user_until_value = { $day } (then confirmed automatically); reminders sent: { $sent } of 2
prestations_detail_user_answer = User's answer
prestations_detail_you_confirmed = You confirmed it while the worker validates it: it is confirmed as soon as the worker's validation ends.
prestations_detail_user_confirmed = The user confirmed it while the worker validates it: it is confirmed as soon as the worker's validation ends.
prestations_detail_confirmation = Confirmation
prestations_detail_auto_confirmed = Confirmed automatically: it can no longer be contested.
prestations_detail_correct = Correct
prestations_detail_save_correction = Save the correction
prestations_detail_contest = Contest
prestations_detail_send = Send to the user
prestations_detail_validate = Validate
prestations_detail_confirm = Confirm
prestations_detail_cancel = Cancel the prestation

## Encoding
prestations_new_title = Encode a prestation
prestations_new_find_client = Find the client: name or voucher-user number
prestations_new_find_client_help = A name is searched among your enterprise's clients; a number (10 digits, on the client's page of this portal) finds that client.
prestations_new_find_worker = Find the worker: name or voucher-user number
prestations_new_find_worker_help = Leave empty to encode your own prestation. A prestation the enterprise encodes goes to the worker for validation.
prestations_new_user = User (client)
prestations_new_no_client = No client found: search by name or by the client's voucher-user number above.
prestations_new_myself = Myself
prestations_new_hours = Hours (quarters of an hour)
prestations_new_save_send = Save and send to the user
prestations_new_save_draft = Save as draft

## My notices
prestations_me_title = My notices
prestations_me_number = Your voucher-user number:
prestations_me_number_use = An enterprise or a worker finds you by this number or by your name.
prestations_me_email = Email for notices and reminders
prestations_me_email_help = Once you set your email, your enterprise can no longer change it for you.
prestations_me_notices = Notices

## The enterprise
prestations_office_title = Enterprise
prestations_office_email = Email for the enterprise's notices
prestations_office_email_help = Once a day, when something changed, a mail lists the prestations your workers must still validate and the contested ones.
prestations_office_your_clients = Your clients
prestations_office_your_workers_emails = Your workers and their emails
prestations_office_to_validate = Your workers must still validate
prestations_office_contested = Contested, to correct or cancel
prestations_office_mails = Mails to the enterprise
prestations_people_workers = Workers
prestations_people_clients = Clients
prestations_people_your_workers = Your workers
prestations_people_your_clients = Your clients
prestations_people_search = Name or voucher-user number
prestations_people_email = Email for notices
prestations_people_email_self_set = Set by the worker: it can no longer be changed here.
prestations_people_email_of = Email of { $name }
prestations_people_add_worker = Add a worker
prestations_people_add_client = Add a client

## Business cheques: dossiers
prestations_dossier_status_01 = Being introduced
prestations_dossier_status_02 = Introduced
prestations_dossier_status_03 = Being processed
prestations_dossier_status_04 = Accepted
prestations_dossier_status_05 = Refused
prestations_dossier_status_06 = Cancelled
prestations_dossier_status_07 = Closed
prestations_daction_create = introduced
prestations_daction_edit = changed
prestations_daction_delete = deleted
prestations_daction_submit = submitted to the administration
prestations_daction_take = taken into processing
prestations_daction_accept = accepted
prestations_daction_refuse = refused
prestations_daction_cancel = cancelled
prestations_daction_close = prestation reported completed
prestations_daction_duplicate = duplicated
prestations_daction_regularisation_requested = regularisation asked
prestations_daction_regularisation_granted = regularisation granted
prestations_daction_regularisation_refused = regularisation refused
prestations_dossiers_title = Business dossiers
prestations_dossiers_new = Introduce a new dossier
prestations_dossiers_own = Your organisation
prestations_dossiers_to_decide = Regularisations to decide
prestations_dossiers_statuses = Statuses:
prestations_dossiers = Dossiers
prestations_dossier_title = Dossier { $reference }
prestations_dossier_start = Planned start
prestations_dossier_submit_by = Submit by
prestations_dossier_submit_late = (passed: ask for a regularisation below if a malfunction prevented it)
prestations_dossier_subcontractor = Subcontractor
prestations_dossier_not_known = not yet known to the platform
prestations_dossier_copied_from = Copied from
prestations_dossier_original = the original dossier
prestations_dossier_competences = Competences
prestations_dossier_competence = Competence
prestations_dossier_how_used = How it is used
prestations_dossier_refuse = Refuse
prestations_dossier_cancel = Cancel
prestations_dossier_refuse_it = Refuse the dossier
prestations_dossier_cancel_it = Cancel the dossier
prestations_dossier_delete = Delete
prestations_dossier_submit = Submit to the administration
prestations_dossier_take = Take into processing
prestations_dossier_accept = Accept
prestations_dossier_close = Report the prestation completed
prestations_dossier_duplicate = Duplicate into a new dossier
prestations_regularisation = Regularisation
prestations_regularisation_intro = If a malfunction of the platform kept you from submitting in time, ask for a derogation of the deadline with a proof of your attempts (a screenshot, a notification received).
prestations_regularisation_of = Request of { $name }
prestations_regularisation_pending = Waiting for a decision
prestations_regularisation_granted = Granted: may be submitted until { $day }
prestations_regularisation_refused = Refused
prestations_regularisation_asked_by = asked by { $name }:
prestations_regularisation_proof = proof:
prestations_regularisation_decided_by = decided by { $name }
prestations_regularisation_decide = Decide
prestations_regularisation_decision = Decision
prestations_regularisation_grant = Grant a new deadline
prestations_regularisation_refuse = Refuse
prestations_regularisation_until = New submission deadline (to grant)
prestations_regularisation_note = Reason (required to refuse)
prestations_regularisation_record = Record the decision
prestations_regularisation_ask = Ask for a regularisation
prestations_regularisation_what = What the malfunction prevented (required)
prestations_regularisation_proof_label = Proof: a PNG or JPEG screenshot or a PDF, at most 5 MB (required)
prestations_regularisation_ask_it = Ask for the regularisation
prestations_dossier_form_introduce = Introduce a dossier
prestations_dossier_form_change = Change the dossier
prestations_dossier_form_energy = (energy cheque)
prestations_dossier_form_cheque = Cheque:
prestations_dossier_form_choose_another = choose another
prestations_dossier_form_beneficiary_number = Beneficiary's enterprise number
prestations_dossier_form_beneficiaries_help = A new beneficiary gets a record; your beneficiaries are listed on
prestations_dossier_form_beneficiaries_link = their records
prestations_dossier_form_beneficiary_name = Beneficiary's name
prestations_dossier_form_start = Planned start of the prestation
prestations_dossier_form_start_help = The request is submitted by this date at the latest.
prestations_dossier_form_subcontractor = Subcontractor (optional)
prestations_dossier_form_known = Known to the platform
prestations_dossier_form_known_none = None, or one not in this list
prestations_dossier_form_unknown_number = Or not yet known to the platform: its enterprise number
prestations_dossier_form_unknown_name = and its name
prestations_dossier_form_competences = Competences (weights in %, adding up to 100; leave 0 for a competence not used)
prestations_dossier_form_weight = { $competence }: weight
prestations_dossier_form_how_used = How "{ $competence }" is used
prestations_dossier_form_single = For this cheque the competence is the cheque itself, weighted 100%.
prestations_dossier_form_description = How the competence is used (mandatory)
prestations_dossier_form_save = Save (status 01, being introduced)

## Beneficiaries and organisations
prestations_beneficiaries_title = Beneficiaries
prestations_beneficiaries_own_record = Your organisation's record
prestations_beneficiaries_none = No beneficiary yet.
prestations_beneficiaries_create = Create a beneficiary
prestations_org_yours = (your organisation)
prestations_org_dossiers = Dossiers of this beneficiary
prestations_org_introduce = Introduce a dossier for this beneficiary
prestations_org_modify_own = Modify your organisation's data
prestations_org_modify_beneficiary = Modify the beneficiary's data
prestations_cheques_title = Competence matrix
prestations_cheques_intro = For each cheque, the competence mobilised and its weight. Outside energy cheques the competence is the cheque itself, weighted 100%.
prestations_cheques_competence = Competence mobilised
prestations_cheques_shared = shared by the dossier

## Mails (in the recipient's language)
prestations_mail_validate_subject = A prestation is waiting for your validation
prestations_mail_validate_body =
    { $enterprise } encoded or corrected a prestation of { $date } ({ $hours } h, { $activity }) for { $user }.
    Validate or contest it by { $due }; without an answer it is validated automatically.
prestations_mail_confirm_subject = Please confirm a prestation
prestations_mail_confirm_body =
    { $worker } performed { $hours } h of { $activity } for you on { $date } ({ $enterprise }).
    Confirm or contest it by { $due }; after that day it is confirmed automatically and can no longer be contested.
prestations_mail_reminder_subject = Reminder { $number }: please confirm a prestation
prestations_mail_reminder_intro = Reminder { $number } of 2: a prestation still waits for your confirmation.
prestations_mail_auto_confirmed_subject = A prestation was confirmed automatically
prestations_mail_auto_confirmed_body = The prestation of { $date } by { $worker } was not confirmed or contested by { $due }: it is now confirmed and can no longer be contested.
prestations_mail_digest_subject = Prestations to follow: { $to_validate } to validate by your workers, { $contested } contested
prestations_mail_digest_intro = { $name }: prestations to follow.
prestations_mail_digest_to_validate = Your workers must still validate:
prestations_mail_digest_contested = Contested, to correct or cancel:
prestations_mail_digest_none = (none)
prestations_mail_digest_line = - { $date }: { $worker } for { $user }, { $hours } h of { $activity } ({ $status })
prestations_mail_digest_line_due = - { $date }: { $worker } for { $user }, { $hours } h of { $activity } ({ $status }, to validate by { $due })

## Refusals written by the pages
prestations_error_not_mail_address = This is not a mail address.

## Why an action on a prestation is refused
prestations_refusal = Not possible: { $reason }.
prestations_refusal_send_owner = only the worker sends their own encoding
prestations_refusal_validate_owner = only the worker validates what the enterprise encoded
prestations_refusal_confirm_owner = only the user confirms a prestation
prestations_refusal_contest_owner = only the worker or the user can contest
prestations_refusal_correct_owner = only the worker or the enterprise can do this
prestations_refusal_scheduler_owner = only the deadline scheduler does this
prestations_refusal_cancelled = it is cancelled
prestations_refusal_auto_confirmed = it was confirmed automatically after 60 days and can no longer be contested
prestations_refusal_you_confirmed = you confirmed it: it can no longer be contested
prestations_refusal_confirmed = it is confirmed and can no longer change
prestations_refusal_already_contested = it is already contested
prestations_refusal_already_confirmed = you already confirmed it; it now waits for the worker's validation
prestations_refusal_worker_contested = the worker contested it; the enterprise corrects it first
prestations_refusal_not_waiting_user = it is not waiting for your confirmation
prestations_refusal_not_to_validate = only a prestation encoded or corrected by the enterprise waits for the worker's validation
prestations_refusal_not_encoded = only a prestation still being encoded can be sent
prestations_refusal_worker_own_only = a worker corrects or withdraws only their own encoding before it is validated; ask the enterprise
prestations_refusal_not_waiting_worker = it is not waiting for the worker
prestations_refusal_not_waiting_confirmation = it is not waiting for the user's confirmation
prestations_refusal_not_now = this action is not possible now

## Why an action on a dossier is refused
prestations_dossier_refusal_edit = only a dossier being introduced (01) can be changed; duplicate it instead
prestations_dossier_refusal_delete = only a dossier being introduced (01) can be deleted
prestations_dossier_refusal_submit = only a dossier being introduced (01) can be submitted
prestations_dossier_refusal_take = only an introduced dossier (02) can be taken into processing
prestations_dossier_refusal_decide = only a dossier being processed (03) can be decided
prestations_dossier_refusal_cancel = only a dossier being processed (03) can be cancelled
prestations_dossier_refusal_close = only an accepted dossier (04) can be closed
prestations_dossier_refusal_duplicate = any dossier can be duplicated

## Exports (column headers)
prestations_export_date = Date
prestations_export_enterprise = Enterprise
prestations_export_enterprise_number = Enterprise number
prestations_export_worker = Worker
prestations_export_worker_number = Worker's number
prestations_export_client = Client
prestations_export_client_number = Client's number
prestations_export_activity = Activity
prestations_export_hours = Hours
prestations_export_status = Status
prestations_export_status_code = Status code
prestations_export_encoded = Encoded
prestations_export_worker_until = Worker may answer until
prestations_export_client_until = Client may answer until
prestations_export_client_confirmed = Client confirmed while the worker validates
prestations_export_yes = yes

## Refusals (services and forms): the English text is also the JSON API's
prestations_refusal_future = a prestation is encoded once performed: the date is in the future
prestations_refusal_act_for_enterprise = a prestation is encoded for an enterprise: act for your enterprise
prestations_refusal_activity = unknown activity
prestations_refusal_same_person = the worker and the user must be different people
prestations_refusal_scheduler_only = only the deadline scheduler does this
prestations_refusal_reason = a reason is required to contest
prestations_refusal_correction_empty = a correction must change the date, the hours or the activity
prestations_refusal_office_act = act for your enterprise to see its office
prestations_refusal_email = email is not a mail address
prestations_refusal_not_your_worker = this person is not one of your workers: add them first
prestations_refusal_email_self_set = the worker set their own email: it can no longer be changed by the enterprise
prestations_refusal_own_subcontractor = subcontractor: a provider is not its own subcontractor
prestations_refusal_subcontractor_name = subcontractor: the platform does not know this enterprise yet: give its name
prestations_refusal_choose_provider = choose your structure (the provider) first
prestations_refusal_dossier_for_itself = a provider cannot introduce a dossier for itself
prestations_refusal_dossier_provider_only = only the provider who introduced the dossier can do this
prestations_refusal_use_edit = use the edit, delete or duplicate request
prestations_refusal_regularisation_provider = only the provider who introduced the dossier asks for its regularisation
prestations_refusal_regularisation_01 = only a dossier being introduced (01) is regularised: its submission deadline
prestations_refusal_regularisation_reason = reason: say what the malfunction prevented
prestations_refusal_proof_missing = proof: attach a proof of the attempts (a screenshot, a notification received)
prestations_refusal_proof_type = proof: a PNG or JPEG image or a PDF document
prestations_refusal_regularisation_pending = a regularisation of this dossier already waits for a decision
prestations_refusal_regularisation_own = the provider does not decide its own regularisation
prestations_refusal_until_required = until: the new submission deadline is required
prestations_refusal_until_date = until must be a date as YYYY-MM-DD
prestations_refusal_until_past = until: the new deadline cannot be past
prestations_refusal_note = note: a refusal says why
prestations_refusal_decision = decision must be grant or refuse
prestations_refusal_not_pending = this request is not waiting for a decision
prestations_refusal_org_name = name: the organisation's name is required
prestations_refusal_org_email = email: this is not a mail address
prestations_refusal_own_beneficiary = enterprise_number: a provider is not its own beneficiary
prestations_refusal_act_for_provider = act for your organisation (the provider) first
prestations_refusal_record_exists = this beneficiary already has a record: modify it instead
prestations_refusal_office_right = the enterprise's office needs the right "{ $right }"
prestations_refusal_nobody_number = nobody has the voucher-user number { $number }
prestations_refusal_no_prestation = no such prestation
prestations_refusal_stale = the prestation changed meanwhile; reload it and try again
prestations_refusal_other_worker_right = encoding for another worker needs the right "{ $right }"
prestations_refusal_no_worker_number = no worker has the voucher-user number { $number }
prestations_refusal_no_client_number = no client has the voucher-user number { $number }: the client reads it on their page of this portal
prestations_refusal_hours_positive = hours must be a positive number
prestations_refusal_hours_quarters = hours are counted in quarters of an hour (e.g. 2.25, 2.5, 2.75)
prestations_refusal_hours_most = a prestation lasts at most 12 hours
prestations_refusal_date = { $field } must be a date as YYYY-MM-DD
prestations_refusal_no_dossier = no such dossier
prestations_refusal_dossier_stale = the dossier changed meanwhile; reload it and try again
prestations_refusal_start_past = start_date: the request is introduced before the prestation starts; { $start } is past (a dossier hindered by a malfunction asks for a regularisation)
prestations_refusal_administration_only = only the administration (right "{ $right }") can { $action } a dossier
prestations_refusal_deadline = the request had to be submitted by { $by }, before the prestation starts; if a malfunction of the platform prevented it, ask for a regularisation with proof
prestations_refusal_dossier_reason = a reason is required to { $action }
prestations_refusal_reason_long = reason: at most { $max } characters
prestations_refusal_proof_size = proof: at most { $max } MiB
prestations_refusal_operator_decides = only an operator (right "{ $right }") decides a regularisation
prestations_refusal_form_unreadable = the form could not be read; send it again
prestations_refusal_choose_client = choose the client in the list
prestations_refusal_hours_number = hours must be a number, e.g. 3 or 2.5
prestations_refusal_description = a description of how the competence is used is mandatory
prestations_refusal_description_of = a description of how "{ $label }" is used is mandatory
prestations_refusal_description_long = a description has at most { $max } characters
prestations_refusal_competence_itself = outside energy cheques the competence is the cheque itself, weighted 100%
prestations_refusal_energy_competences = an energy cheque shares its work between its competences: give each with a weight and a description
prestations_refusal_foreign_competence = { $code } is not a competence of this cheque
prestations_refusal_competence_twice = { $code } is given twice
prestations_refusal_weight = each weight is between 1 and 100
prestations_refusal_weights_total = the weights add up to { $total }%, not 100%
prestations_refusal_beneficiary_name = the beneficiary's name is required
prestations_refusal_cheque = unknown cheque
prestations_refusal_start_required = start_date: the planned start of the prestation is required
prestations_refusal_subcontractor_beneficiary = the subcontractor cannot be the beneficiary
prestations_refusal_enterprise_length = { $field }: an enterprise number has 10 digits
prestations_refusal_enterprise_checksum = { $field }: the enterprise number's check digits do not match
prestations_refusal_field_number_length = { $field }: a voucher-user number has 10 digits
prestations_refusal_field_number_checksum = { $field }: the voucher-user number's check digits do not match: check it
prestations_refusal_number_length = a voucher-user number has 10 digits
prestations_refusal_number_checksum = the voucher-user number's check digits do not match: check it
