"""Wiring of the reports service."""

from __future__ import annotations

from fastapi import FastAPI

from kit.app import create_service_app
from kit.consumer import BatchConsumer
from kit.runtime import Runtime, Shared
from kit.settings import Mode
from services.reports import handlers
from services.reports.adapters.report_store import report_store
from services.reports.adapters.work_queue import WorkQueue
from services.reports.api import routers
from services.reports.models import inbox, outbox
from services.reports.service.limits import ReportLimits
from services.reports.settings import MIGRATIONS, ReportsSettings
from services.reports.worker import ReportWorker

__all__ = ["MIGRATIONS", "build"]


def build(settings: ReportsSettings | None = None, shared: Shared | None = None) -> FastAPI:
    settings = settings or ReportsSettings()
    runtime = Runtime.create("reports", settings, outbox, MIGRATIONS, shared)
    consumer = BatchConsumer("reports", runtime.db, inbox)
    handlers.register(consumer, runtime)
    runtime.attach_consumer(consumer)
    store = report_store(settings)
    if settings.mode is Mode.embedded and store is not None:
        # no broker, no worker processes: the service's own process works its queue
        worker = ReportWorker(runtime, store, worker_id="embedded")
        work_queue = WorkQueue(runtime.bus, worker.handle)
    else:
        work_queue = WorkQueue(runtime.bus)
        runtime.checks["work_queue"] = work_queue.check
    if store is not None:
        runtime.checks["report_store"] = store.ping
    app = create_service_app(
        runtime,
        title="Reports",
        description="Summary sheets, performance and monitoring from the reports service's "
        "own read model, and report jobs that run on scalable workers.",
        routers=routers,
    )
    app.state.report_store = store
    app.state.work_queue = work_queue
    app.state.limits = ReportLimits.of(settings, runtime.redis)
    return app
