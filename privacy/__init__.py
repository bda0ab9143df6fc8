"""Citizens' personal data (Law 91/2025/QH15 on personal data protection): the notice at the
start of a conversation, deletion on request, export on a written request, and retention."""
