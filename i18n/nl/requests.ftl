# Koppelings- en toegangsaanvragen, "Mijn organisaties" en "Mijn machtigingen".

