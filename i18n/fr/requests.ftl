# Demandes de rattachement et d'accès, « Mes organisations » et « Mes habilitations ».

