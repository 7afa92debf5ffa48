"""Consumed events → the reports service's read model, one statement per type per batch.

An edge: the consumer opens the batch's unit of work; each type's step (`service/ingest.py`,
in its order of application) gets the use case's context built here. A batch holds the
events of many schools (each row carries its own), so the platform acts for none in
particular.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kit.consumer import BatchConsumer, BatchHandler, Item
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase
from services.reports.service import ingest


def register(consumer: BatchConsumer, runtime: Runtime) -> None:
    for event_type, step in ingest.STEPS.items():
        consumer.on_batch(event_type)(_in_use_case(step, runtime))


def _in_use_case(step: ingest.Step, runtime: Runtime) -> BatchHandler:
    async def handle(session: AsyncSession, items: list[Item]) -> None:
        await step(UseCase(session, runtime.outbox, Actor.system(None), runtime.clock), items)

    return handle
