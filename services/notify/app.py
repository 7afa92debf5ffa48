"""Wiring of the notify service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.app import create_service_app
from kit.consumer import EventConsumer
from kit.runtime import Runtime, Shared
from services.notify import handlers
from services.notify.api import router
from services.notify.models import inbox, outbox
from services.notify.settings import NotifySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: NotifySettings | None = None, shared: Shared | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    runtime = Runtime.create("notify", settings, outbox, MIGRATIONS, shared)
    consumer = EventConsumer("notify", runtime.db, inbox)
    handlers.register(consumer)
    runtime.attach_consumer(consumer)
    return create_service_app(
        runtime,
        title="Notify",
        description="Parents' notifications, internal mail and integrators' webhooks.",
        routers=[router],
    )
