"""The idempotency edge encodes a response body once: the bytes it stores and sends are the
bytes FastAPI's JSONResponse would have written for the same answer, and a request's
fingerprint is the digest it always was."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kit.idempotency import _encoded, _fingerprint


class Answer(BaseModel):
    id: str
    given_on: dt.date = Field(alias="givenOn")
    weight: float
    note: str | None = None


NESTED = Answer(id="a2", givenOn=dt.date(2026, 9, 1), weight=2)
ANSWERS: list[Any] = [
    Answer(id="a1", givenOn=dt.date(2026, 10, 1), weight=1.0, note="у доски"),
    {"marks": [{"id": "m1", "value": 5, "weight": 1.5, "comment": "аккуратно", "document": None}]},
    {"at": dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC), "days": (1, 2), "model": NESTED},
]


def test_the_stored_body_is_what_jsonresponse_would_have_sent() -> None:
    for answer in ANSWERS:
        assert _encoded(answer) == JSONResponse(jsonable_encoder(answer)).body


def test_the_fingerprint_is_the_digest_of_the_encoded_request() -> None:
    for request in ANSWERS:
        payload = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
        before = json.dumps(jsonable_encoder(payload), sort_keys=True)
        assert _fingerprint(request) == hashlib.sha256(before.encode()).hexdigest()
