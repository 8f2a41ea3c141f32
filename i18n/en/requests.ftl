# Attachment requests, access requests, "My organisations" and "My habilitations".

