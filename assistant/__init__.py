"""The citizen-facing answering flow above the domains: which domain answers a question,
what the conversation already established, and the services each process builds once."""
