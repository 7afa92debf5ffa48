"""Loading what a request names, within the asker's school, and checks several use cases share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from kit.errors import Conflict, Invalid, NotFound
from services.journal import policy
from services.journal.models import Lesson, Person, School, SchoolClass, SchoolYear
from services.journal.repository import core as repo
from services.journal.rules import school_year
from services.journal.rules.refusal import Refusal
from services.journal.service.context import Ctx

M = TypeVar("M")

DEFAULT_TIMEZONE = "Europe/Moscow"
DEFAULT_HOMEWORK_LIMIT = 120
DEFAULT_MARK_CUTOFF = dt.time(16, 0)


async def load(ctx: Ctx, model: type[M], obj_id: str, what: str) -> M:
    """The object, if it exists in the asker's school; 404 `<what>_not_found` otherwise."""
    obj = await repo.get_scoped(ctx.session, model, obj_id, ctx.scope)
    if obj is None:
        raise NotFound(f"no such {what.replace('_', ' ')}", code=f"{what}_not_found")
    return obj


async def school_settings(ctx: Ctx, school_id: str) -> School:
    found = await repo.school(ctx.session, school_id)
    return found or School(
        id=school_id,
        name="",
        timezone=DEFAULT_TIMEZONE,
        homework_limit_minutes=DEFAULT_HOMEWORK_LIMIT,
        mark_cutoff=DEFAULT_MARK_CUTOFF,
    )


async def school_today(ctx: Ctx, school_id: str) -> dt.date:
    return ctx.today((await school_settings(ctx, school_id)).timezone)


async def known_people(
    ctx: Ctx, school_id: str, ids: Iterable[str], kind: str
) -> dict[str, Person]:
    """People the journal heard of from identity, of the expected kind, in this school."""
    wanted = {i for i in ids if i}
    found = await repo.people(ctx.session, school_id, wanted)
    missing = sorted(wanted - set(found))
    if missing:
        raise Invalid(
            f"the journal does not know {kind} {', '.join(missing)} (not registered in identity "
            "for this school yet)",
            code="unknown_person",
            person_ids=missing,
        )
    wrong = sorted(p.id for p in found.values() if p.kind != kind)
    if wrong:
        raise Invalid(f"{', '.join(wrong)} is not a {kind}", code="wrong_person_kind")
    return found


def enforce(*refusals: Refusal | None) -> None:
    """Raise the first refusal of a pure rule (`services.journal.rules`) as the domain
    exception of its kind, with its code: 409 for a conflict, 422 for an invalid request."""
    for refusal in refusals:
        if refusal is None:
            continue
        error = Conflict if refusal.kind == "conflict" else Invalid
        raise error(refusal.detail, code=refusal.code, **refusal.extra)


def open_year(year: SchoolYear) -> None:
    """R-YR-2: a closed year's records are kept as they are."""
    enforce(school_year.closed_refusal(year))


def inside_year(year: SchoolYear, *days: dt.date) -> None:
    """R-YR-1: the days fall inside the year."""
    enforce(school_year.outside_refusal(year, *days))


async def teaching(ctx: Ctx, cls: SchoolClass) -> policy.Teaching:
    """What the asker teaches in this class (for the policy)."""
    person = ctx.actor.person_id
    if person is None:
        return policy.Teaching(frozenset())
    rows = await repo.assignments(ctx.session, cls.school_id, class_id=cls.id, teacher_id=person)
    return policy.Teaching(
        frozenset((a.subject_id, a.group_id) for a in rows),
        is_class_teacher=cls.class_teacher_id == person,
    )


async def lesson_with_class(ctx: Ctx, lesson_id: str) -> tuple[Lesson, SchoolClass, SchoolYear]:
    found = await repo.lesson_context(ctx.session, lesson_id, ctx.scope)
    if found is None:
        raise NotFound("no such lesson", code="lesson_not_found")
    return found


def full_name(person: Person | None) -> str:
    if person is None:
        return ""
    return " ".join(p for p in (person.last_name, person.first_name, person.middle_name) if p)
