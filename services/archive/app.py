"""Wiring of the archive service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import FastAPI

from kit.app import create_service_app
from kit.consumer import EventConsumer
from kit.runtime import Runtime, Shared
from services.archive import handlers
from services.archive.adapters.stores import build_stores
from services.archive.api import routers
from services.archive.models import inbox, outbox
from services.archive.service.ledger import YEAR_CLOSED_FLAG
from services.archive.service.limits import ArchiveLimits
from services.archive.settings import ArchiveSettings
from services.archive.worker import ArchiveSchedule, ArchiveWork

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ArchiveSettings | None = None, shared: Shared | None = None) -> FastAPI:
    """The archive app; refuses (StoresNotConfigured) a distributed start without two stores."""
    settings = settings or ArchiveSettings()
    stores = build_stores(settings)
    runtime = Runtime.create("archive", settings, outbox, MIGRATIONS, shared)
    consumer = EventConsumer("archive", runtime.db, inbox)
    handlers.register(consumer, runtime)
    runtime.attach_consumer(consumer)
    for store in stores:
        runtime.checks[f"store_{store.name}"] = store.ping
    app = create_service_app(
        runtime,
        title="Archive",
        description="Weekly and year-end packages of the journal on two stores, verified by "
        "SHA-256, audited and repaired (R-ARC-1…R-ARC-3).",
        routers=routers,
    )
    work = ArchiveWork(runtime, stores, ArchiveLimits.of(settings, runtime.redis))
    app.state.archive_work = work
    if settings.archive_interval_seconds > 0:
        schedule = ArchiveSchedule(
            work,
            runtime.redis,
            interval=dt.timedelta(seconds=settings.archive_interval_seconds),
            tick_seconds=settings.archive_tick_seconds,
            year_end_grace=dt.timedelta(days=settings.archive_year_end_grace_days),
            lock_key=f"ej:archive:schedule:{settings.queue_prefix}",
        )
        app.state.schedule = schedule
        runtime.background.append(schedule.run_forever)
        runtime.db.after_commit(
            lambda session: schedule.wake() if session.info.pop(YEAR_CLOSED_FLAG, False) else None
        )
    return app
