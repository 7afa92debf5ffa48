"""Wiring of the notify service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from kit.app import create_service_app
from kit.consumer import EventConsumer
from kit.runtime import Runtime, Shared
from services.notify import handlers
from services.notify.api import routers
from services.notify.models import inbox, outbox
from services.notify.service.limits import NotifyLimits
from services.notify.service.telling import MAIL_FLAG
from services.notify.service.webhooks import WEBHOOK_FLAG
from services.notify.settings import NotifySettings
from services.notify.worker import MailPass, Pump, WebhookPass

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: NotifySettings | None = None, shared: Shared | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    runtime = Runtime.create("notify", settings, outbox, MIGRATIONS, shared)
    consumer = EventConsumer("notify", runtime.db, inbox)
    handlers.register(consumer, runtime)
    runtime.attach_consumer(consumer)
    app = create_service_app(
        runtime,
        title="Notify",
        description="Parents' notifications (diary feed, e-mail, digests), internal mail and "
        "signed webhooks for integrators (R-REC-1, R-REC-2, R-NTF-1, R-NTF-2).",
        routers=routers,
    )
    app.state.limits = NotifyLimits.of(settings, runtime.redis)
    _add_background(runtime, settings)
    return app


def _add_background(runtime: Runtime, settings: NotifySettings) -> None:
    """The e-mail sender and the webhook dispatcher (started with the service), woken by the
    commits that queue work for them."""
    mail = Pump("mail", MailPass(runtime, settings), settings.mail_tick_seconds)
    webhook_pass = WebhookPass(runtime, settings)
    webhook = Pump("webhooks", webhook_pass, settings.webhook_tick_seconds)

    def wake(session: AsyncSession) -> None:
        if session.info.pop(MAIL_FLAG, False):
            mail.wake()
        if session.info.pop(WEBHOOK_FLAG, False):
            webhook.wake()

    async def dispatch_webhooks() -> None:
        try:
            await webhook.run_forever()
        finally:
            await webhook_pass.close()

    runtime.db.after_commit(wake)
    runtime.background.extend([mail.run_forever, dispatch_webhooks])
