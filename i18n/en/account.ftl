# "My account" (/account/): the person's own pages.

account_title = My account
account_intro = Your account and its security.
account_security = Security: second factors, security keys, trusted devices, password, login email, language
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
