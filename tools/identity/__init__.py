"""Identity: passwords, access and refresh tokens, API keys, and resolving a bearer credential
into a Principal for one of the caller's own tenants. Every adapter authenticates through here."""
