"""`Idempotency-Key`: a retried POST returns the first answer instead of doing it twice.

The key is stored with the response in the same transaction as the effect, so a request
that failed leaves no key behind and a request that succeeded is never applied twice.

    @router.post(...)
    async def record(..., idempotency_key: IdempotencyKey = None):
        return await idempotent(session, idempotency, idempotency_key, user.account_id,
                                body, lambda: do_it())
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import UTCDateTime, utcnow
from kit.errors import Conflict

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description="Makes a retried POST safe: the same key returns the first answer",
    ),
]


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_key",
        metadata,
        Column("actor_id", String(36), primary_key=True),
        Column("key", String(128), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status", Integer, nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
    )


def _fingerprint(request: Any) -> str:
    payload = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
    return hashlib.sha256(
        json.dumps(jsonable_encoder(payload), sort_keys=True).encode()
    ).hexdigest()


async def idempotent(
    session: AsyncSession,
    table: Table,
    key: str | None,
    actor_id: str,
    request: Any,
    run: Callable[[], Awaitable[Any]],
    *,
    status_code: int = 201,
) -> JSONResponse:
    """Run `run()` once per (actor, key); later calls with the same key replay its answer."""
    if key is None:
        return JSONResponse(jsonable_encoder(await run()), status_code=status_code)
    fingerprint = _fingerprint(request)
    row = (
        await session.execute(
            select(table.c.fingerprint, table.c.status, table.c.body).where(
                table.c.actor_id == actor_id, table.c.key == key
            )
        )
    ).first()
    if row is not None:
        if row.fingerprint != fingerprint:
            raise Conflict(
                "this Idempotency-Key was used for a different request",
                code="idempotency_key_reused",
            )
        return JSONResponse(
            json.loads(row.body), status_code=row.status, headers={"Idempotent-Replayed": "true"}
        )
    body = jsonable_encoder(await run())
    try:
        await session.execute(
            table.insert().values(
                actor_id=actor_id,
                key=key,
                fingerprint=fingerprint,
                status=status_code,
                body=json.dumps(body, ensure_ascii=False),
                created_at=utcnow(),
            )
        )
    except IntegrityError as exc:  # a concurrent twin with the same key got there first
        raise Conflict(
            "a request with this Idempotency-Key is being processed", code="idempotency_key_in_use"
        ) from exc
    return JSONResponse(body, status_code=status_code)
