"""One source of test events: any published event, built through its own model.

    mark = build(MarkRecorded, student_id=student, value=4)
    wrapped = envelope(mark, school_id=school, sequence=7)

A test names only the fields its case is about; every other required field gets a valid
value derived from the field's type (ids from `new_id()`, a school day for dates, the first
allowed value of a `Literal` or enum, `None` where the field may be null). The result is
validated by the event's model, and a field the model does not have is refused, so a test can
neither send what the producer never sends nor miss what it always sends.

The kit knows no event models: the caller passes the class (from `contracts/`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import types
import typing
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from kit.db import new_id
from kit.events import Envelope, Event

E = TypeVar("E", bound=Event)
M = TypeVar("M", bound=BaseModel)

SCHOOL_DAY = dt.date(2026, 11, 27)
"""The date every unnamed date field gets: a Friday of the second quarter of 2026/2027."""
SCHOOL_MOMENT = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)
"""The moment every unnamed date-time field gets: 10:00 in Moscow on `SCHOOL_DAY`."""
TIMEZONE = "Europe/Moscow"


def build(model: type[M], /, **fields: Any) -> M:
    """`model` with `fields` as given and every other required field filled with a valid value.

    Raises `TypeError` for a field the model does not declare and pydantic's
    `ValidationError` for a value the model refuses.
    """
    unknown = sorted(set(fields) - set(model.model_fields))
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(unknown)}")
    values = {
        name: _value_for(name, info.annotation)
        for name, info in model.model_fields.items()
        if name not in fields and info.is_required()
    }
    return model.model_validate({**values, **fields})


def envelope(
    event: Event,
    *,
    school_id: str | None,
    sequence: int | None = None,
    time: dt.datetime | None = None,
    actor_id: str | None = None,
) -> Envelope:
    """`event` in its CloudEvents envelope, as a producer's outbox would publish it."""
    wrapped = Envelope.wrap(event, school_id=school_id, actor_id=actor_id)
    update: dict[str, Any] = {"sequence": sequence}
    if time is not None:
        update["time"] = time
    return wrapped.model_copy(update=update)


def _value_for(name: str, annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin in (typing.Union, types.UnionType):
        if type(None) in args:
            return None
        return _value_for(name, args[0])
    if origin in (list, set, frozenset, tuple):
        return origin()
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        return _value_of_type(name, annotation)
    raise TypeError(f"no test value for field {name!r} of type {annotation!r}")


def _value_of_type(name: str, kind: type) -> Any:
    if issubclass(kind, enum.Enum):
        return next(iter(kind))
    if issubclass(kind, BaseModel):
        return build(kind)
    if issubclass(kind, bool):
        return False
    if issubclass(kind, int):
        return 1
    if issubclass(kind, float):
        return 1.0
    if issubclass(kind, dt.datetime):
        return SCHOOL_MOMENT
    if issubclass(kind, dt.date):
        return SCHOOL_DAY
    if issubclass(kind, str):
        return _text_for(name)
    raise TypeError(f"no test value for field {name!r} of type {kind.__name__}")


def _text_for(name: str) -> str:
    if name == "id" or name.endswith(("_id", "_by")):
        return new_id()
    if name == "timezone":
        return TIMEZONE
    if name.endswith("sha256"):
        return hashlib.sha256(name.encode()).hexdigest()
    return f"{name.replace('_', ' ')} {new_id()[-6:]}"
