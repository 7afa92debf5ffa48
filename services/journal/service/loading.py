"""Loading what a request names, within the asker's school: 404 `<what>_not_found` for an
object that does not exist there (another school's objects never reach the policy)."""

from __future__ import annotations

from typing import TypeVar

from kit.errors import NotFound
from services.journal.models import Lesson, SchoolClass, SchoolYear
from services.journal.repository import lessons, school_rows
from services.journal.service.context import Ctx

M = TypeVar("M")


async def load(ctx: Ctx, model: type[M], obj_id: str, what: str, *, within: str | None = None) -> M:
    """The object, if it exists in the asker's school.

    `within`: the school of the object a write links this one to. Every linked object is
    loaded within its target's school, so one school's rows never point into another's, even
    for an asker whose queries carry no school (the city operator, the system)."""
    obj = await school_rows.get(ctx.session, model, obj_id, within or ctx.scope)
    if obj is None:
        raise NotFound(f"no such {what.replace('_', ' ')}", code=f"{what}_not_found")
    return obj


async def lesson_with_class(ctx: Ctx, lesson_id: str) -> tuple[Lesson, SchoolClass, SchoolYear]:
    """The lesson with its class and year, in one query (a lesson's marks read theirs with
    everything else they are judged by: `repository.mark_entry`)."""
    found = await lessons.lesson_context(ctx.session, lesson_id, ctx.scope)
    if found is None:
        raise NotFound("no such lesson", code="lesson_not_found")
    return found
