"""The published language: event models per producing service.

Consumers import event models from here, never from the producing service. The AsyncAPI
document is generated from these models (`ej asyncapi`, served at `/notify/asyncapi.json`).
"""

from contracts import archive, identity, journal, notify, reports

__all__ = ["archive", "identity", "journal", "notify", "reports"]
