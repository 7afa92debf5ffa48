"""The platform kit: mechanisms every service uses, no domain logic."""
