"""Test support: real infrastructure for integration tests (see `plugin.py`), and the one
factory of events every service's tests build their data with (`events.py`)."""
