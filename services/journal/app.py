"""Wiring of the journal service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.app import create_service_app
from kit.clock import Clock
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
    holder: dict[str, FastAPI] = {}
    handlers.register(consumer, runtime.outbox, lambda: holder["app"].state.clock)
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
    app.state.clock = Clock()
    holder["app"] = app
    return app
