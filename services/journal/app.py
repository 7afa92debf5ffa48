"""Wiring of the journal service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.app import create_service_app
from kit.consumer import EventConsumer
from kit.runtime import Runtime, Shared
from services.journal import handlers
from services.journal.api import routers
from services.journal.models import inbox, outbox
from services.journal.settings import JournalSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: JournalSettings | None = None, shared: Shared | None = None) -> FastAPI:
    settings = settings or JournalSettings()
    runtime = Runtime.create("journal", settings, outbox, MIGRATIONS, shared)
    consumer = EventConsumer("journal", runtime.db, inbox)
    handlers.register(consumer, runtime)
    runtime.attach_consumer(consumer)
    app = create_service_app(
        runtime,
        title="Journal",
        description=(
            "The class journal and the diary: school year, classes, timetable, lessons, marks, "
            "attendance, period marks, corrections and their tamper-evident history."
        ),
        routers=routers,
    )
    return app
