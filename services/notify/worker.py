"""Notify's background tasks (kit `Runtime.background`): the e-mail sender and the webhook
dispatcher, reading the time from the runtime's clock at each pass. Each is a `Pump`: it
runs passes while there is work, then waits for a wake-up
(a commit that queued something) or its tick. Every pass asks the database what is due, so
restarts and several replicas change nothing (rows are leased with SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from kit.logging import get_logger
from kit.runtime import Runtime
from services.notify.adapters.mailer import Mailer
from services.notify.adapters.webhook_sender import WebhookSender
from services.notify.service import digests, mail_queue, webhook_queue
from services.notify.settings import NotifySettings

log = get_logger(__name__)


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

    def __init__(self, runtime: Runtime, settings: NotifySettings) -> None:
        self.runtime, self.db, self.settings = runtime, runtime.db, settings
        self.mailer = Mailer(settings)
        self._told_unconfigured = False

    async def __call__(self) -> bool:
        now = self.runtime.clock.now()
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
            await mail_queue.settle(
                session, batch, outcomes, self.runtime.clock.now(), self.settings
            )
        return len(batch) >= self.settings.mail_batch and all(o.ok for o in outcomes)


class WebhookPass:
    """POST the due head of every webhook, all at once; settle each attempt."""

    def __init__(self, runtime: Runtime, settings: NotifySettings) -> None:
        self.runtime, self.db, self.settings = runtime, runtime.db, settings
        self.sender = WebhookSender(settings.webhook_timeout_seconds)

    async def __call__(self) -> bool:
        now = self.runtime.clock.now()
        async with self.db.unit_of_work() as session:
            heads = await webhook_queue.claim(session, now, self.settings)
        if not heads:
            return False
        stamp = int(now.timestamp())
        attempts = await asyncio.gather(*(self.sender.post(h, stamp) for h in heads))
        async with self.db.unit_of_work() as session:
            await webhook_queue.settle(
                session, heads, attempts, self.runtime.clock.now(), self.settings
            )
        return any(a.ok for a in attempts)  # the next event of those webhooks is due now

    async def close(self) -> None:
        await self.sender.close()
