# The portal shell: the header every page carries, the language switch, the idle warning.
shell_skip = Skip to the content
shell_brand = Public services portal
shell_logged_in_as = Logged in as
shell_acting_for = Acting for
shell_switch = Switch
shell_myself = Myself
shell_no_structure = No organisation
shell_applications = Applications
shell_administration = Administration
shell_my_account = My account
shell_language = Language
shell_log_out = Log out
shell_log_in = Log in
shell_idle_title = Your session is about to end
shell_idle_text = Without activity, your session ends in { $minutes } minutes.
shell_idle_stay = Stay logged in
shell_idle_ended = Your session has ended. Log in again to continue.
