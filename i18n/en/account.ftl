# "My account" (/account/): the person's own pages.

account_title = My account
account_intro = Your account: your details, your preferences, your sessions and its security.
account_security = Security: second factors, security keys, trusted devices, password, login email, language
account_profile = My profile: name, email for notifications, phone, workplace address
account_preferences = My preferences: language, display, notifications
account_sessions = My sessions: where I am logged in
account_deactivate = Deactivate my account
account_back = Back to My account
account_security_link = Security page

## Profile (/account/profile)
profile_title = My profile
profile_intro = How administrations and your organisations may reach you. Fill in only what you want to share.
profile_eid_heading = Names from your eID
profile_eid_note = These names were given by your electronic identity at login and cannot be changed here.
profile_legend = Your contact details
profile_only_changed = Only the fields you change are saved. Leave a field empty to remove it.
profile_surname = Surname
profile_first_name = First name
profile_contact_email = Email for notifications
profile_contact_email_hint = Where the portal sends your notifications, for example name@example.be.
profile_phone = Phone
profile_phone_hint = Digits and spaces, with a leading + for an international number (6 to 15 digits).
profile_address = Workplace address
profile_save = Save my profile
profile_saved = Your profile is saved.
profile_unchanged = Nothing changed: your profile is as it was.
profile_errors = Some fields could not be saved. Nothing was changed:
profile_err_name = Enter a name of at most 100 characters, with at least one letter.
profile_err_email = Enter a valid email address, for example name@example.be.
profile_err_phone = Enter a phone number with digits and spaces only, a + in front if needed, 6 to 15 digits.
profile_err_address = Enter an address of at most 300 characters on one line.
profile_err_from_eid = This name comes from your eID and cannot be changed here.
profile_login_email_note = The email address you log in with is changed on the security page.

## Preferences (/account/preferences)
prefs_title = My preferences
prefs_display_heading = Language and display
prefs_language = Language of pages and mails
prefs_accessibility = Accessibility
prefs_accessibility_note = Applied on every page of the portal, the applications included.
prefs_large_text = Larger text
prefs_reduced_motion = Reduce motion and animations
prefs_high_contrast = High contrast
prefs_display_save = Save language and display
prefs_display_saved = Your language and display preferences are saved.
prefs_notifications_heading = Notifications
prefs_notifications_legend = Receive notifications from these applications
prefs_no_applications = You cannot use any application for the organisation you act for at the moment.
prefs_digest_legend = Weekly digest for access managers
prefs_digest_contents = Once a week, for each organisation you manage: the people who arrived, those who left, and the authorisations ending within 30 days.
prefs_digest = Send me the weekly digest
prefs_notifications_save = Save notifications
prefs_notifications_saved = Your notification preferences are saved.

## Sessions (/account/sessions)
sessions_title = My sessions
sessions_intro = Where you are logged in now. End a session you do not recognise, then change your password or factors on the security page.
sessions_caption = Your active sessions, newest first
sessions_col_device = Browser and system
sessions_col_started = Started
sessions_col_last = Last activity
sessions_col_address = Network (address masked)
sessions_col_action = Action
sessions_this = this session
sessions_end_this = End this session (log out)
sessions_end = End the session { $device } started { $started }
sessions_end_others = End all other sessions
sessions_ended = The session is ended.
sessions_others_ended = All your other sessions are ended.
sessions_not_found = This session does not exist or has already ended.
sessions_unknown = Unknown
sessions_device = { $browser } on { $system }

## Deactivation (/account/deactivate)
deactivate_title = Deactivate my account
deactivate_intro = You can close your account if you no longer need the portal. Then:
deactivate_sessions = every session of yours ends, on every device;
deactivate_login = you can no longer log in;
deactivate_reactivate = only a platform operator can reactivate your account: contact the helpdesk of your administration.
deactivate_legend = Confirmation
deactivate_confirm = I understand and want to deactivate my account
deactivate_button = Deactivate my account
deactivate_err_confirm = Tick the box to confirm that you want to deactivate your account.
deactivate_blocked = You cannot deactivate your account: you are the last main access manager of these organisations:
deactivate_successor = First designate another main access manager there (a successor), then come back.
deactivated_title = Account deactivated
deactivated_done = Your account is deactivated and you are logged out everywhere.
deactivated_login_refused = Your account is deactivated: you cannot log in. Contact the helpdesk of your administration to have a platform operator reactivate it.

## Weekly digest (mail)
digest_subject = Your weekly digest of access management
digest_greeting = Hello { $name },
digest_intro = Here is what changed in the last seven days in the organisations you manage.
digest_arrivals = Arrivals (people attached):
digest_departures = Departures (people detached):
digest_grants_ending = Authorisations ending within 30 days:
digest_none = none
digest_grant_line = { $name }: { $right }, until { $date }
digest_pending_person = a person designated who has not logged in yet
digest_footer = You receive this digest because you asked for it. To stop it, untick it under My account > My preferences.
