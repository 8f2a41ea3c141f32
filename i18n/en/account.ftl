# "My account" (/account/): the person's own pages.

account_title = My account
account_intro = Your account and its security.
account_security = Security: second factors, security keys, trusted devices, password, login email, language
