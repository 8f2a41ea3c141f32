# De portaalschil: de kop van elke pagina, de taalkeuze, de waarschuwing bij inactiviteit.
shell_skip = Naar de inhoud
shell_brand = Portaal van de openbare diensten
shell_logged_in_as = Aangemeld als
shell_acting_for = Handelen voor
shell_switch = Wijzigen
shell_myself = Mezelf
shell_no_structure = Geen organisatie
shell_applications = Toepassingen
shell_administration = Beheer
shell_my_account = Mijn account
shell_language = Taal
shell_log_out = Afmelden
shell_log_in = Aanmelden
shell_idle_title = Uw sessie loopt bijna af
shell_idle_text = Zonder activiteit eindigt uw sessie binnen { $minutes } minuten.
shell_idle_stay = Aangemeld blijven
shell_idle_ended = Uw sessie is beëindigd. Meld u opnieuw aan om verder te gaan.
