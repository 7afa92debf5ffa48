"""Schools: the tenants the city operator registers (R-SEC-5)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.errors import Conflict, Invalid, NotFound
from kit.usecase import UseCase
from services.identity.models import School
from services.identity.policy import Action, Target, authorize, authorize_city
from services.identity.repository import schools as school_rows


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {name!r}", code="invalid_timezone") from exc
    return name


def clean_name(name: str) -> str:
    """A school's name with its spaces collapsed; a blank one is refused (422 `invalid_name`)."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("a school's name may not be blank", code="invalid_name")
    return cleaned


def _taken(name: str) -> Conflict:
    return Conflict(f"a school named {name!r} is already registered", code="school_exists")


async def _check_name_free(uc: UseCase, name: str, school_id: str | None = None) -> None:
    """A school's name is unique in the city (409 `school_exists`)."""
    found = await school_rows.by_name(uc.session, name)
    if found is not None and found.id != school_id:
        raise _taken(name)


async def _flush(uc: UseCase, name: str) -> None:
    try:
        await uc.session.flush()
    except IntegrityError as exc:  # the same name taken at the same moment by another request
        raise _taken(name) from exc


async def register(uc: UseCase, name: str, timezone: str) -> School:
    authorize_city(uc.actor, Action.register_school)
    name = clean_name(name)
    check_timezone(timezone)
    await _check_name_free(uc, name)
    school = School(name=name, timezone=timezone, created_at=uc.now)
    school_rows.add(uc.session, school)
    await _flush(uc, name)
    await uc.publish(
        school.id,
        [SchoolRegistered(school_id=school.id, name=school.name, timezone=school.timezone)],
    )
    return school


async def school_for(uc: UseCase, school_id: str) -> School:
    """The school named in a path: 404 when unknown or not the asker's own."""
    school = await school_rows.get(uc.session, school_id)
    if school is None or (not uc.actor.is_operator and uc.actor.school_id != school_id):
        raise NotFound("school not found", code="school_not_found")
    return school


async def read(uc: UseCase, school_id: str) -> School:
    school = await school_for(uc, school_id)
    authorize(uc.actor, Action.read_school, Target(school_id=school.id))
    return school


async def update(uc: UseCase, school_id: str, name: str | None, timezone: str | None) -> School:
    """A school's name and/or time zone (the operator, or the school's own administrator);
    every service keeps its copy from `identity.school.updated`."""
    school = await school_for(uc, school_id)
    authorize(uc.actor, Action.update_school, Target(school_id=school.id))
    if timezone is not None:
        check_timezone(timezone)
    if name is not None:
        name = clean_name(name)
        await _check_name_free(uc, name, school.id)
    school.name = name or school.name
    school.timezone = timezone or school.timezone
    await _flush(uc, school.name)
    await uc.publish(
        school.id,
        [SchoolUpdated(school_id=school.id, name=school.name, timezone=school.timezone)],
    )
    return school


async def list_all(uc: UseCase, limit: int, offset: int) -> list[School]:
    authorize_city(uc.actor, Action.list_schools)
    return await school_rows.all_schools(uc.session, limit, offset)
