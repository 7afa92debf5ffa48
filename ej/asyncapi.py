"""The platform's AsyncAPI document: every event of `contracts/`, and nothing else.

`edu.events` carries exactly these; the services' internal messages (the report workers'
items) travel on their private exchanges and are in no published document.
"""

from __future__ import annotations

from typing import Any

from contracts import published_events
from kit.asyncapi import asyncapi_document


def platform_asyncapi() -> dict[str, Any]:
    """What `ej asyncapi` prints (the same document `/notify/asyncapi.json` serves)."""
    return asyncapi_document(published_events())
