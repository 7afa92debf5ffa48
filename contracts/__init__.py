"""The published language: event models per producing service.

Consumers import event models from here, never from the producing service. The AsyncAPI
document is generated from these models (`ej asyncapi`, served at `/notify/asyncapi.json`).
"""

from contracts import archive, identity, journal, notify, reports
from kit.events import Event, registry

__all__ = ["archive", "identity", "journal", "notify", "published_events", "reports"]


def published_events() -> list[type[Event]]:
    """Every event of the published language, by type: the AsyncAPI document's messages and
    the only messages on `edu.events` (a service's internal messages, such as the report
    workers' items, are defined in the service and travel on its private exchange)."""
    return sorted(
        (m for m in registry().values() if m.__module__.startswith(f"{__name__}.")),
        key=lambda m: m.ce_type(),
    )
