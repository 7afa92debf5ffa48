"""Identity: schools (tenants), people, accounts, roles, tokens, consent and compromise."""
