# Prestations
