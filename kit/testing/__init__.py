"""Test support: real infrastructure for integration tests (see `plugin.py`)."""
