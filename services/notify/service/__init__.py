"""Notify's rules, by use case; each takes a session and never commits."""
