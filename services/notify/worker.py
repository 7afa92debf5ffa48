"""Notify's background tasks (kit `Runtime.background`): the e-mail sender and the webhook
dispatcher. Each is a `Pump`: it runs passes while there is work, then waits for a wake-up
(a commit that queued something) or its tick. Every pass asks the database what is due, so
restarts and several replicas change nothing (rows are leased with SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from kit.clock import Clock
from kit.db import Database
from kit.logging import get_logger
from services.notify.mailer import Mailer
from services.notify.service import digests, mail_queue, webhook_queue
from services.notify.settings import NotifySettings
from services.notify.webhook_sender import WebhookSender

log = get_logger(__name__)

ClockOf = Callable[[], Clock]


class Pump:
    def __init__(self, name: str, one_pass: Callable[[], Awaitable[bool]], tick: float) -> None:
        self.name, self.one_pass, self.tick = name, one_pass, tick
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        backoff = self.tick
        while True:
            self._wake.clear()  # before the pass: a commit during it wakes the next one
            try:
                if await self.one_pass():
                    continue
                backoff = self.tick
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a database blip: the next pass tries again
                log.warning("notify_pass_failed", pump=self.name, error=repr(exc))
                backoff = min(backoff * 2, 60.0)
                await asyncio.sleep(backoff)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.tick)


class MailPass:
    """Compose due digests, then send one batch of due e-mails."""

    def __init__(self, db: Database, settings: NotifySettings, clock_of: ClockOf) -> None:
        self.db, self.settings, self.clock_of = db, settings, clock_of
        self.mailer = Mailer(settings)
        self._told_unconfigured = False

    async def __call__(self) -> bool:
        now = self.clock_of().now()
        async with self.db.unit_of_work() as session:
            await digests.compose_due(session, now, self.settings)
        if not self.mailer.configured:
            if not self._told_unconfigured:
                log.warning("smtp_not_configured", detail="e-mails stay pending (EJ_SMTP_HOST)")
                self._told_unconfigured = True
            return False
        async with self.db.unit_of_work() as session:
            batch = await mail_queue.claim(session, now, self.settings)
        if not batch:
            return False
        outcomes = await self.mailer.send(batch, now)
        async with self.db.unit_of_work() as session:
            await mail_queue.settle(session, batch, outcomes, self.clock_of().now(), self.settings)
        return len(batch) >= self.settings.mail_batch and all(o.ok for o in outcomes)


class WebhookPass:
    """POST the due head of every webhook, all at once; settle each attempt."""

    def __init__(self, db: Database, settings: NotifySettings, clock_of: ClockOf) -> None:
        self.db, self.settings, self.clock_of = db, settings, clock_of
        self.sender = WebhookSender(settings.webhook_timeout_seconds)

    async def __call__(self) -> bool:
        now = self.clock_of().now()
        async with self.db.unit_of_work() as session:
            heads = await webhook_queue.claim(session, now, self.settings)
        if not heads:
            return False
        stamp = int(now.timestamp())
        attempts = await asyncio.gather(*(self.sender.post(h, stamp) for h in heads))
        async with self.db.unit_of_work() as session:
            await webhook_queue.settle(
                session, heads, attempts, self.clock_of().now(), self.settings
            )
        return any(a.ok for a in attempts)  # the next event of those webhooks is due now

    async def close(self) -> None:
        await self.sender.close()
