"""Identity's adapters to the outside world: keys, argon2, the secret box, Redis limits, PDF."""
