"""Reports' pure rules, tested without infrastructure."""
