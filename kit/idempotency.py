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
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import UTCDateTime, utcnow
from kit.errors import Conflict

MEDIA_TYPE = "application/json"

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
    """The request's digest. FastAPI's encoder is asked only about values plain JSON does not
    know (`default=`): the same text as encoding the whole request with it first, without
    walking a request that is plain JSON already (a lesson's thirty marks)."""
    payload = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=jsonable_encoder).encode()
    ).hexdigest()


def _encoded(result: Any) -> bytes:
    """The response body, encoded once: what is stored for replays is what is sent.

    A pydantic model is serialised by pydantic-core; anything else as the JSON the response
    class would write (compact, UTF-8), with FastAPI's encoder only for values plain JSON
    does not know (dates, models inside a dict…)."""
    if isinstance(result, BaseModel):  # by alias, as FastAPI's encoder writes a model
        return result.model_dump_json(by_alias=True).encode()
    return json.dumps(
        result,
        ensure_ascii=False,
        allow_nan=False,
        separators=(",", ":"),
        default=jsonable_encoder,
    ).encode()


def _json(body: bytes, status_code: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status_code, headers=headers, media_type=MEDIA_TYPE)


async def idempotent(
    session: AsyncSession,
    table: Table,
    key: str | None,
    actor_id: str,
    request: Any,
    run: Callable[[], Awaitable[Any]],
    *,
    status_code: int = 201,
) -> Response:
    """Run `run()` once per (actor, key); later calls with the same key replay its answer.

    `run()` returns the body: a pydantic model, or what `json.dumps` (with FastAPI's encoder
    for the rest) can write. It is encoded once; the same bytes are stored and sent, and a
    replay sends the stored bytes as they are."""
    if key is None:
        return _json(_encoded(await run()), status_code)
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
        return _json(row.body.encode(), row.status, {"Idempotent-Replayed": "true"})
    body = _encoded(await run())
    try:
        await session.execute(
            table.insert().values(
                actor_id=actor_id,
                key=key,
                fingerprint=fingerprint,
                status=status_code,
                body=body.decode(),
                created_at=utcnow(),
            )
        )
    except IntegrityError as exc:  # a concurrent twin with the same key got there first
        raise Conflict(
            "a request with this Idempotency-Key is being processed", code="idempotency_key_in_use"
        ) from exc
    return _json(body, status_code)
