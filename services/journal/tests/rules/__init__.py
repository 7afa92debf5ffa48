"""The journal's pure rules, tested without infrastructure."""
