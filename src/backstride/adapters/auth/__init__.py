"""Authentication adapters: the password hasher (argon2)."""
