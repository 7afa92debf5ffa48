"""The tests' one event factory: valid events of every published type, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

import contracts
from contracts.journal import AttendanceMarked, MarkRecorded
from kit.events import Event, registry
from kit.testing.events import SCHOOL_DAY, build, envelope

PUBLISHED = sorted(
    (t, m) for t, m in registry().items() if m.__module__.startswith(contracts.__name__)
)


@pytest.mark.parametrize(("ce_type", "model"), PUBLISHED, ids=[t for t, _ in PUBLISHED])
def test_every_published_event_is_built_valid_and_survives_its_envelope(
    ce_type: str, model: type[Event]
) -> None:
    event = build(model)

    wrapped = envelope(event, school_id="s1", sequence=3)

    assert wrapped.type == ce_type and wrapped.schoolid == "s1" and wrapped.sequence == 3
    assert wrapped.event() == event
    assert set(wrapped.data) == set(model.model_fields)


def test_named_fields_are_kept_and_the_rest_filled_from_their_types() -> None:
    mark = build(MarkRecorded, value=4, work_type="control")

    assert (mark.value, mark.work_type) == (4, "control")
    assert mark.date == SCHOOL_DAY
    assert mark.period_id is None  # a field that may be null is null unless named
    assert mark.mark_id != build(MarkRecorded).mark_id  # ids are new each time
    assert build(AttendanceMarked).status == "present"  # a Literal: its first value


def test_a_field_the_producer_never_sends_is_refused() -> None:
    with pytest.raises(TypeError, match="entered_at"):
        build(MarkRecorded, entered_at=dt.datetime.now(dt.UTC))


def test_a_value_the_model_refuses_is_refused() -> None:
    with pytest.raises(ValidationError):
        build(AttendanceMarked, status="asleep")


def test_the_envelope_carries_the_time_it_is_given() -> None:
    moment = dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.UTC)

    wrapped = envelope(build(MarkRecorded), school_id="s1", time=moment, actor_id="t1")

    assert (wrapped.time, wrapped.actorid, wrapped.sequence) == (moment, "t1", None)
