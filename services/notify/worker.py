"""Notify's background tasks (kit `Runtime.background`): the e-mail sender and the webhook
dispatcher. Each is a `Pump`: it runs passes while there is work, then waits for a wake-up
(a commit that queued something) or its tick. Every pass asks the database what is due, so
restarts and several replicas change nothing (rows are leased with SKIP LOCKED).

A pass is an edge: each of its steps is a use case in its own unit of work
(`Runtime.use_case`), as the platform acting for every school, at the runtime clock's instant
then.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from kit.logging import get_logger
from kit.runtime import Runtime
from kit.usecase import Actor
from services.notify.adapters.mailer import Mailer
from services.notify.adapters.webhook_sender import WebhookSender
from services.notify.service import digests, mail_queue, webhook_queue
from services.notify.settings import NotifySettings

log = get_logger(__name__)

EVERY_SCHOOL = Actor.system(None)
"""Who a pass's steps act as: the platform, for every school."""


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
        self.runtime, self.settings = runtime, settings
        self.mailer = Mailer(settings)
        self._told_unconfigured = False

    async def __call__(self) -> bool:
        async with self.runtime.use_case(EVERY_SCHOOL) as uc:
            await digests.compose_due(uc, self.settings)
        if not self.mailer.configured:
            if not self._told_unconfigured:
                log.warning("smtp_not_configured", detail="e-mails stay pending (EJ_SMTP_HOST)")
                self._told_unconfigured = True
            return False
        async with self.runtime.use_case(EVERY_SCHOOL) as uc:
            batch = await mail_queue.claim(uc, self.settings)
            claimed_at = uc.now
        if not batch:
            return False
        outcomes = await self.mailer.send(batch, claimed_at)
        async with self.runtime.use_case(EVERY_SCHOOL) as uc:
            await mail_queue.settle(uc, batch, outcomes, self.settings)
        return len(batch) >= self.settings.mail_batch and all(o.ok for o in outcomes)


class WebhookPass:
    """POST the due head of every webhook, all at once; settle each attempt."""

    def __init__(self, runtime: Runtime, settings: NotifySettings) -> None:
        self.runtime, self.settings = runtime, settings
        self.sender = WebhookSender(settings.webhook_timeout_seconds)

    async def __call__(self) -> bool:
        async with self.runtime.use_case(EVERY_SCHOOL) as uc:
            heads = await webhook_queue.claim(uc, self.settings)
            stamp = int(uc.now.timestamp())
        if not heads:
            return False
        attempts = await asyncio.gather(*(self.sender.post(h, stamp) for h in heads))
        async with self.runtime.use_case(EVERY_SCHOOL) as uc:
            await webhook_queue.settle(uc, heads, attempts, self.settings)
        return any(a.ok for a in attempts)  # the next event of those webhooks is due now

    async def close(self) -> None:
        await self.sender.close()
