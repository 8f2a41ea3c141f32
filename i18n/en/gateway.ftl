# The gateway's pages and mails (second factor, local accounts, the person's account).

verify_title = Confirm it is you
email_intro = This device is new for your account. We sent a code to your email address { $email }. Enter it below.
totp_intro = This device is new for your account. Enter the code shown by your authenticator app.
code_label = Code
submit = Continue
resend = Send a new code
other_way = Sign in another way: receive a code by email
too_many_failures = Too many wrong codes were entered for this account. For your protection, no code is accepted for now: please try again tomorrow.
wrong_code = This code is not correct. Tries left: { $left }.
dead = This verification has ended (too many tries or too late). Please log in again.
login_again = Log in again
resend_wait = A code was sent recently. Please wait a little before asking for another.
resent = A new code is on its way.
no_email = No email address is known for your account, so this new device cannot be confirmed. Please contact the help desk.
code_subject = Your verification code
code_body =
    Hello { $name },

    Your verification code is: { $code }

    It is valid for { $minutes } minutes and can be used once. If you did not try to log in, you can ignore this mail; nobody can log in with your account without this code.
device_subject = A new device was used to log in
device_body =
    Hello { $name },

    A new device was confirmed for your account on { $when } (UTC):
    { $agent }

    If this was not you, remove this device from your trusted devices and contact the help desk.
factors_title = Security of my account
devices_heading = Trusted devices
no_devices = No trusted device.
this_device = this device
first_seen = first used
last_seen = last used
revoke = Remove
totp_heading = Authenticator app
totp_none = No authenticator app is set up.
totp_active = Set up: { $name }. To change it, remove it first.
totp_name = Name of the app or phone
totp_start = Set up an authenticator app
totp_scan = Scan this QR code with FreeOTP, Google Authenticator or Microsoft Authenticator, or enter the key by hand. Then enter the code the app shows.
totp_key = Key
totp_confirm = Confirm
totp_done = Your authenticator app is set up.
totp_exists = An authenticator app is already set up. Remove it first.
totp_removed = The authenticator app was removed.
totp_bad_name = Give a name of 1 to 64 characters.
totp_wrong = This code is not correct. Check the time of your phone and try the next code.
language_heading = Language of pages and mails
language_save = Save
language_saved = Your language is saved.
local_title = Log in with email and password
email_label = Email address
password_label = Password
login_submit = Log in
login_failed = Email address or password not correct, or the account is temporarily locked after too many tries.
forgot_link = Forgot your password?
forgot_title = Reset your password
forgot_intro = Enter the email address of your account. If it is known, we send a link to choose a new password.
forgot_sent = If this address belongs to an account, a link is on its way. It is valid for { $minutes } minutes.
send_link = Send the link
reset_title = Choose a new password
new_password = New password
password_rules = At least { $min } characters, with a digit, a lower-case letter, an upper-case letter and a special character.
reset_done = Your password is changed. You can log in.
link_dead = This link is not valid any more. Ask for a new one.
reset_subject = Reset your password
reset_body =
    Hello { $name },

    To choose a new password, open this link within { $minutes } minutes:
    { $link }

    If you did not ask for it, ignore this mail: your password stays as it is.
pw_short = The password needs at least { $min } characters.
pw_digit = The password needs a digit.
pw_lower = The password needs a lower-case letter.
pw_upper = The password needs an upper-case letter.
pw_special = The password needs a character that is neither a letter nor a digit.
pw_long = The password is too long.
password_heading = Password
current_password = Current password
change_password = Change the password
password_changed = Your password is changed.
current_wrong = The current password is not correct.
email_heading = Login email address
email_current = Your login is { $email }.
new_email = New email address
change_email = Send a confirmation link
email_link_sent = A confirmation link was sent to the new address. Until you open it, your login stays { $email }.
email_subject = Confirm your new email address
email_body =
    Hello { $name },

    To make this address your login, open this link within { $minutes } minutes:
    { $link }

    If you did not ask for it, ignore this mail.
email_confirm_title = Confirm your new email address
email_confirm_button = Make { $email } my login
email_confirmed = Your login email address is changed.
email_taken = This address cannot be used.
bad_email = This is not an email address.
device_revoked = The device was removed; its sessions are ended.
key_heading = Security keys
key_none = You have no security key.
key_name = Name of the key
key_add = Add a security key
key_added_on = Added
key_last_used = Last used
key_never = never
key_added = The security key was added.
key_removed = The security key was removed.
key_bad_name = Give the key a name of at most 64 characters.
key_too_many = You have reached the maximum number of keys. Remove one first.
key_expired = This attempt has expired. Please try again.
key_refused = This security key could not be added.
key_exists = This security key is already registered.
key_intro = Use one of your security keys to confirm it is you.
key_use = Use my security key
key_login_refused = The security key was not accepted. Please try again.
key_needs_js = Security keys need JavaScript in this page.
step_up_no_email = This page needs the factor it asked for; an emailed code is not enough.
step_up_missing = This page needs a second factor you have not set up yet. Add it on your security page, then try again.
acr_title = Log in with a stronger means
acr_intro = This page needs a login of level { $need }; yours is { $have }. Log in again with one of these:
acr_none = No way to log in reaches this level.

# Home, login, logout, error pages and the account index.
home_title = Home
home_welcome = Welcome, { $name }
home_idle = Your session ends after { $minutes } minutes without activity.
home_applications = Your applications
home_no_applications = You may use no application for this organisation yet.
login_title = Log in
login_intro = Choose how you want to identify yourself.
logged_out_title = You are logged out
logged_out_text = Your session has ended.
logged_out_again = Log in again
error_back = Back to the home page
continue_title = Continuing…
continue_link = Continue
email_change_pending = A change of your login email to { $email } is already pending. Confirm it with the link mailed to that address, or ask again once it has expired, in { $hours } h { $minutes } min.
error_status_400 = Bad request
error_status_401 = Login needed
error_status_403 = Access refused
error_status_404 = Not found
error_status_405 = Action not available
error_status_502 = Service unavailable
error_status_503 = Temporarily unavailable
error_status_504 = Service too slow
error_status_other = Error
error_bad_path = This address is not valid.
error_not_found = There is nothing at this address.
error_denied_route = This address is not available.
error_method = This action is not available here.
error_choose_myself = Choose "Myself" in the header to act as yourself here.
error_choose_organisation = Choose the organisation you act for in the header first.
error_no_right = You do not hold the right needed for this action in this organisation.
error_timeout = The service did not answer in time. Please try again.
error_upstream = The service is unavailable. Please try again later.
error_unavailable = The service is temporarily unavailable. Please try again in a moment.
error_form_expired = This form has expired. Please reload the page and try again.
error_cross_site = This form must be sent from this site.
error_internal = Something went wrong on our side. Please try again.
invite_subject = Your account on the portal
invite_body =
    Hello { $name },

    An account with a password is waiting for you on the portal. To choose your password and create it, open this link within { $hours } hours:
    { $link }

    Then log in with this email address and your password. If you did not expect this mail, ignore it: nothing is created.
invite_title = Create your account
invite_intro = { $name }, choose the password of your account. Your login will be { $email }.
invite_submit = Create my account
invite_created = Your account is created. You can log in with your email address and your password.
invite_dead = This invitation is not valid any more: it was already used or it expired. Ask the platform operator for a new one.
invite_taken = This email address already has an account: log in with it, or reset its password.
