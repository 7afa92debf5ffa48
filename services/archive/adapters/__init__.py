"""The archive's outside world: its two stores and what reading and writing copies on them
finds."""
