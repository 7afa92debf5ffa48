"""The archive's pure rules, tested without infrastructure."""
