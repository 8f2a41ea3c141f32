# Vouchers (local employment agency): the agents' and the users' pages.

vouchers_app_title = Vouchers
vouchers_nav_home = Home
vouchers_nav_users = Users
vouchers_nav_register_user = Register a user
vouchers_nav_providers = Providers
vouchers_nav_prestations = Prestations
vouchers_nav_invoices = Invoices
vouchers_nav_wallet = My wallet

## Shared words
vouchers_activity = Activity
vouchers_address = Address
vouchers_all = All
vouchers_ascending = ascending
vouchers_descending = descending
vouchers_authorization = Authorization
vouchers_authorizations = Authorizations
vouchers_authorization_creation = Registration
vouchers_authorization_renewal = Renewal
vouchers_available = available
vouchers_spent = spent
vouchers_centre = Centre
vouchers_common_name = Common name
vouchers_contact = Contact
vouchers_cpas = Public social-welfare centre (CPAS)
vouchers_date = Date
vouchers_effective_from = Effective from
vouchers_email = Email
vouchers_email_none = none
vouchers_enterprise_number = Enterprise number
vouchers_first_name = First name
vouchers_last_name = Last name
vouchers_from = From
vouchers_history = History
vouchers_holder = Holder
vouchers_hours = Hours
vouchers_kind = Kind
vouchers_kind_natural = Natural person
vouchers_kind_legal = Legal person
vouchers_language = Language
vouchers_language_fr = French
vouchers_language_nl = Dutch
vouchers_language_de = German
vouchers_language_en = English
vouchers_legal_name = Legal name
vouchers_municipality = Municipality
vouchers_name = Name
vouchers_no = no
vouchers_yes = yes
vouchers_no_email_known = no email known
vouchers_none = None.
vouchers_note = Note
vouchers_order = Order
vouchers_phone = Phone
vouchers_postcode = Postcode
vouchers_prestations = Prestations
vouchers_provider = Provider
vouchers_record = Record
vouchers_record_prestation = Record a prestation
vouchers_recorded_by = Recorded by
vouchers_register = Register
vouchers_register_user = Register a user
vouchers_registration = Registration
vouchers_renew = Renew
vouchers_save = Save
vouchers_show = Show
vouchers_since = Since
vouchers_sort_by = Sort by
vouchers_state = State
vouchers_status = Status
vouchers_street = Street and number
vouchers_type = Type
vouchers_user = User
vouchers_valid_until = End of validity
vouchers_voucher = Voucher
vouchers_vouchers = Vouchers

## Status of a prestation
vouchers_status_unpaid = Unpaid
vouchers_status_paid = Paid
vouchers_status_contested = Contested
vouchers_status_cancelled = Cancelled

## Provider types
vouchers_type_unemployed = Fully unemployed, receiving benefits
vouchers_type_integration_income = Social integration income (CPAS)
vouchers_type_social_aid = Equivalent social aid (CPAS)
vouchers_type_not_eligible = Not eligible

## Activities
vouchers_activity_gardening = Small gardening work
vouchers_activity_small_repairs = Small repairs
vouchers_activity_childcare = Childcare
vouchers_activity_elderly_accompaniment = Accompanying elderly or sick persons
vouchers_activity_administrative_help = Administrative help
vouchers_activity_school_supervision = School supervision
vouchers_activity_event_help = Help at local events
vouchers_activity_agriculture = Seasonal agricultural work

## Home
vouchers_home_title = Home
vouchers_home_contested = Contested prestations:
vouchers_home_unpaid = Unpaid prestations:
vouchers_home_expiring = Authorizations ending within 30 days

## Invoices
vouchers_invoice_title = Invoice { $number }
vouchers_invoice_date = Date:
vouchers_invoice_caption = Invoiced vouchers
vouchers_invoice_item = Item
vouchers_invoice_quantity = Quantity
vouchers_invoice_unit_price = Unit price (EUR)
vouchers_invoice_total = Total (EUR)
vouchers_invoice_vouchers = Vouchers
vouchers_invoice_vat = VAT: not applicable.
vouchers_invoices_title = Invoices
vouchers_invoices_number = Number
vouchers_invoices_to = To
vouchers_invoices_mailed = Mailed

## The user's own wallet
vouchers_wallet_title = My wallet
vouchers_wallet_at = { $agency }: { $balance } vouchers
vouchers_wallet_registered_as = Registered as { $name }.
vouchers_wallet_none = No wallet is linked to you yet.
vouchers_wallet_link_title = Link a wallet
vouchers_wallet_code = The code your local employment agency gave you
vouchers_wallet_link = Link
vouchers_wallet_linked = Linked: your wallet at { $agency }.

## Providers
vouchers_providers_title = Providers
vouchers_providers_name_or_email = Name or email
vouchers_providers_eligible = Eligible (any type allowing hours)
vouchers_providers_no_type = No type in effect yet
vouchers_providers_on = Type and centre on
vouchers_providers_type_since = Type in effect since
vouchers_providers_not_yet_effective = not yet effective
vouchers_providers_no_match = No provider matches.
vouchers_providers_register_title = Register a provider
vouchers_providers_cpas_required = Public social-welfare centre (required for CPAS types)
vouchers_provider_type_on = Type on
vouchers_provider_on = On { $day }:
vouchers_provider_no_type_yet = no type yet
vouchers_provider_centre = centre:
vouchers_provider_since = since { $day }
vouchers_provider_change_title = Change the type or the centre
vouchers_provider_change = Record the change

## Users
vouchers_users_title = Users
vouchers_users_search = Name, common name or enterprise number
vouchers_users_natural = Natural persons
vouchers_users_legal = Legal persons
vouchers_users_valid_today = Valid today
vouchers_users_expiring = Ending before the date below
vouchers_users_expired = Ended
vouchers_users_before = Ending before (default: in 30 days)
vouchers_users_end_of_authorization = End of authorization
vouchers_users_download = Download this list (.xlsx)
vouchers_users_authorization_until = Authorization until
vouchers_users_no_match = No user matches.
vouchers_user_authorized_today = Authorized today
vouchers_user_online_access = Online access
vouchers_user_link_code = Give this code to { $name }:
vouchers_user_link_code_use = (valid until { $until }, once). Logged in as themselves, they enter it on their page to see their wallet and prestations.
vouchers_user_give_code = Give a code to see the wallet online
vouchers_user_wallet = Wallet: { $balance } vouchers
vouchers_user_buy_label = Buy vouchers (EUR { $price } each)
vouchers_user_buy = Buy
vouchers_user_renew_from = From (default: the day after the current end, or today)
vouchers_user_invoice_of = Invoice { $number } of { $day }
vouchers_user_invoice_not_mailed = (not mailed: no email known)
vouchers_open_invoice = Open invoice { $number }
vouchers_user_form_lookup = Look up what is already known
vouchers_user_form_lookup_number = Enterprise number (legal person)
vouchers_user_form_prefill = Pre-fill the form
vouchers_user_form_already = This person is already a user of this agency:
vouchers_user_form_already_link = open the user to renew the authorization
vouchers_user_form_sources = Pre-filled from: { $sources }.
vouchers_user_form_common_name = Common name (shown on vouchers and lists)
vouchers_user_form_email = Email (invoices are mailed to it)

## Prestations
vouchers_works_contested = Contested:
vouchers_works_unpaid = Unpaid:
vouchers_works_all = All prestations
vouchers_works_type_on_date = Type on that date
vouchers_work_title = Prestation of { $day }
vouchers_work_wallet = wallet: { $balance } vouchers
vouchers_work_on_that_date = on that date:
vouchers_work_no_type = no type
vouchers_work_hours_vouchers = Hours / vouchers
vouchers_work_contested_because = Contested because
vouchers_work_resolution = Resolution
vouchers_work_pay = Pay { $hours } vouchers from the wallet
vouchers_work_cancel = Cancel the prestation
vouchers_work_contest_legend = The user contests
vouchers_work_reason = Reason
vouchers_work_contest = Record the contest
vouchers_work_resolve_legend = Resolve the contest
vouchers_work_outcome = Outcome
vouchers_work_uphold = The prestation stands (unpaid again)
vouchers_work_cancel_it = Cancel it
vouchers_work_corrected_hours = Corrected hours (optional)
vouchers_work_resolve = Resolve
vouchers_work_form_user = User (authorized today)
vouchers_work_form_electronic_start = Electronic prestations start on { $day }.
vouchers_work_form_hours = Hours (one voucher per hour)

## Mails
vouchers_mail_invoice_subject = Invoice { $number } from { $agency }
vouchers_mail_invoice_body =
    Invoice { $number } of { $date }
    From: { $agency }
    To: { $holder } ({ $legal }), enterprise number { $enterprise }
    { $address }
    { $quantity } vouchers x EUR { $unit } = EUR { $total }
    VAT: not applicable.

## Where the registration form's values come from
vouchers_prefill_default_period = authorization of { $months } months from today (the agency's default)
vouchers_prefill_usual = language and municipality most common among { $agency }'s users
vouchers_prefill_already_here = this legal person is already registered here
vouchers_prefill_earlier = legal person's names and address from an earlier registration
vouchers_prefill_same_email = a user of this agency has this email

## The user list's export (column headers)
vouchers_export_name = Name
vouchers_export_kind = Kind
vouchers_export_legal_name = Legal name
vouchers_export_enterprise_number = Enterprise number
vouchers_export_email = Email
vouchers_export_street = Street
vouchers_export_postcode = Postcode
vouchers_export_municipality = Municipality
vouchers_export_from = Authorization from
vouchers_export_until = Authorization until
vouchers_export_authorized_today = Authorized today
vouchers_export_balance = Vouchers in wallet

## Refusals (services and forms): the English text is also the JSON API's
vouchers_refusal_choose_agency = choose your agency as active structure first
vouchers_refusal_date = { $field } must be a date as YYYY-MM-DD
vouchers_refusal_no_prestation = no such prestation
vouchers_refusal_no_provider = no such provider
vouchers_refusal_no_user = no such user
vouchers_refusal_no_invoice = no such invoice
vouchers_refusal_choose_provider = choose a provider
vouchers_refusal_choose_user = choose a user
vouchers_refusal_no_type = the provider had no type on { $day }: not registered yet
vouchers_refusal_not_eligible = on { $day } the provider's type was "Not eligible" (since { $since })
vouchers_refusal_monthly_limit = the provider would work { $hours } hours in { $month }; "{ $type }" allows { $allowed }
vouchers_refusal_before_electronic = date: electronic prestations start on { $start }: a prestation of { $day } cannot be recorded electronically
vouchers_refusal_future = a prestation is recorded once performed: the date is in the future
vouchers_refusal_hours = hours must be between 1 and { $max }
vouchers_refusal_activity = unknown activity
vouchers_refusal_not_authorized_on = no authorization of this user covers { $day }
vouchers_refusal_status = unknown status
vouchers_refusal_stale = the prestation changed meanwhile; reload it
vouchers_refusal_transition = cannot { $action } a prestation that is { $status }: only one that is { $allowed }
vouchers_refusal_reason = a reason is required to contest
vouchers_refusal_outcome = outcome must be uphold or cancel
vouchers_refusal_kind = kind must be natural or legal
vouchers_refusal_dir = dir must be asc or desc
vouchers_refusal_first_name = first_name is required
vouchers_refusal_last_name = last_name is required
vouchers_refusal_email = email is not a mail address
vouchers_refusal_auth_filter = auth must be valid, expired or expiring
vouchers_refusal_user_sort = sort must be name, valid_until or created
vouchers_refusal_provider_type = unknown provider_type
vouchers_refusal_needs_cpas = "{ $type }" needs the public social-welfare centre (cpas)
vouchers_refusal_type_filter = type must be a provider type, eligible or none
vouchers_refusal_provider_sort = sort must be name, type, since or registered
vouchers_refusal_period = the end of validity is before the start
vouchers_refusal_longest = an authorization lasts at most { $months } months
vouchers_refusal_legal_name = legal_name is required for a legal person
vouchers_refusal_enterprise_number = enterprise_number is required for a legal person
vouchers_refusal_language = language must be fr, nl, de or en
vouchers_refusal_valid_until = valid_until (end of validity) is required
vouchers_refusal_registered = this legal person is already registered here: renew its authorization instead
vouchers_refusal_overlap = the current authorization runs until { $end }: a renewal starts after it
vouchers_refusal_myself_only = this is the page of a user acting as themselves
vouchers_refusal_legal_no_code = a legal person acts for its organisation: it gets no personal code
vouchers_refusal_code_empty = code: enter the code your agency gave you
vouchers_refusal_code_unknown = code: this code is unknown, used or expired; ask your agency for a new one
vouchers_refusal_quantity = quantity must be between 1 and { $max }
vouchers_refusal_not_authorized_today = no authorization of this user covers today: renew it first
vouchers_refusal_pay_unpaid_only = cannot pay a prestation that is { $status }: only one that is unpaid
vouchers_refusal_balance = the wallet holds { $balance } vouchers; { $needed } are needed
