"""The platform's bounds on what a client may send, as annotated types for every API.

Each type carries its bounds into the OpenAPI document (`minimum`/`maximum`, `maxLength`,
`pattern`), so a client, a generated client and schemathesis see them, and the edge answers
422 problem+json (`validation_error`) before any code of the service runs: no value a client
can send reaches arithmetic that overflows (a date plus a few days past 9999-12-31, an offset
past PostgreSQL's bigint, a month after 9999-12).

Dates: the platform keeps school years within 2000–2099 (`services/journal/rules/
school_year.py`), so every date a request names (a day, a range's ends, a document's date)
lies there too; a person's birth date may be earlier (`BirthDate`). Moments (`PlatformMoment`)
lie in the same years, in UTC, whatever offset they are written with.

Use them as a parameter's or a field's type: `offset: Offset = 0`, `on: PlatformDate | None =
None`, `limit: Limit = 100` (or `limit: LimitUpTo(1000) = 200` where a route allows more).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, Field, WithJsonSchema

EARLIEST = dt.date(2000, 1, 1)
"""The first day the platform knows (school years lie in 2000–2099)."""
LATEST = dt.date(2099, 12, 31)
"""The last day the platform knows."""
EARLIEST_BIRTH = dt.date(1900, 1, 1)
"""The earliest birth date of a person (staff may be born long before 2000)."""
EARLIEST_MOMENT = dt.datetime.combine(EARLIEST, dt.time(), dt.UTC)
LATEST_MOMENT = dt.datetime.combine(LATEST, dt.time.max, dt.UTC)

MAX_OFFSET = 1_000_000
"""The deepest page a list is read from by offset (beyond that: filter, or use a cursor)."""
MAX_LIMIT = 500
"""The default largest page."""

_DATE_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_BIRTH_PATTERN = r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_MONTH_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])$"


def _range_text(first: dt.date, last: dt.date) -> str:
    return f"between {first.isoformat()} and {last.isoformat()}"


Offset = Annotated[
    int,
    Interval(ge=0, le=MAX_OFFSET),
    Field(description=f"items to skip (0–{MAX_OFFSET})"),
]
"""How many items of a list to skip."""


def LimitUpTo(most: int) -> Any:
    """A page size of 1 to `most` items."""
    return Annotated[int, Interval(ge=1, le=most), Field(description=f"items per page (1–{most})")]


Limit = Annotated[int, Interval(ge=1, le=MAX_LIMIT), Field(description="items per page (1–500)")]
"""A page size of 1 to 500 items."""

PlatformDate = Annotated[
    dt.date,
    Interval(ge=EARLIEST, le=LATEST),
    Field(
        description=f"a day {_range_text(EARLIEST, LATEST)}",
        json_schema_extra={"pattern": _DATE_PATTERN},
    ),
]
"""A day the platform can hold: 2000-01-01…2099-12-31 (422 outside)."""

BirthDate = Annotated[
    dt.date,
    Interval(ge=EARLIEST_BIRTH, le=LATEST),
    Field(
        description=f"a birth date {_range_text(EARLIEST_BIRTH, LATEST)}",
        json_schema_extra={"pattern": _BIRTH_PATTERN},
    ),
]
"""A person's birth date: 1900-01-01…2099-12-31."""


def _in_platform_years(value: dt.datetime) -> dt.datetime:
    try:
        in_utc = value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("the moment is outside the years 2000–2099") from None
    if not EARLIEST_MOMENT <= in_utc <= LATEST_MOMENT:
        raise ValueError("the moment is outside the years 2000–2099")
    return value


PlatformMoment = Annotated[
    AwareDatetime,
    AfterValidator(_in_platform_years),
    Field(
        description="a moment with its offset, within the years 2000–2099 (UTC)",
        json_schema_extra={"pattern": r"^20\d\d-"},
    ),
]
"""A moment with its UTC offset, within 2000–2099 in UTC (422 outside, even by an offset)."""

Month = Annotated[
    str,
    Field(
        pattern=_MONTH_PATTERN,
        min_length=7,
        max_length=7,
        description="a month YYYY-MM within 2000–2099",
        examples=["2026-11"],
    ),
]
"""A calendar month, YYYY-MM, within 2000–2099."""


def _local(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("a time of the school's day has no UTC offset")
    return value


LocalTime = Annotated[
    dt.time,
    AfterValidator(_local),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "description": "a time of the school's day, HH:MM[:SS], in the school's zone",
            "examples": ["08:30", "16:00:00"],
        }
    ),
]
"""A time of day in the school's own zone (a bell, a cut-off): no offset. JSON Schema's
`format: time` means RFC 3339's time *with* an offset, which these are not; and an offset
would make it incomparable with the naive times it is compared with."""

Id = Annotated[str, Field(min_length=1, max_length=36)]
"""An identifier of something the platform stores (its ids are at most 36 characters)."""
