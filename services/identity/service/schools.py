"""Schools: the tenants the city operator registers (R-SEC-5)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError

from contracts.identity import SchoolRegistered
from kit.auth import CurrentUser
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


async def register(uc: UseCase, user: CurrentUser, name: str, timezone: str) -> School:
    authorize_city(user, Action.register_school)
    name = " ".join(name.split())
    check_timezone(timezone)
    if await school_rows.by_name(uc.session, name) is not None:
        raise Conflict(f"a school named {name!r} is already registered", code="school_exists")
    school = School(name=name, timezone=timezone, created_at=uc.now)
    school_rows.add(uc.session, school)
    try:
        await uc.session.flush()
    except IntegrityError as exc:  # registered at the same moment by another request
        raise Conflict(
            f"a school named {name!r} is already registered", code="school_exists"
        ) from exc
    await uc.publish(
        school.id,
        [SchoolRegistered(school_id=school.id, name=school.name, timezone=school.timezone)],
    )
    return school


async def school_for(uc: UseCase, user: CurrentUser, school_id: str) -> School:
    """The school named in a path: 404 when unknown or not the asker's own."""
    school = await school_rows.get(uc.session, school_id)
    if school is None or (not user.is_operator and user.school_id != school_id):
        raise NotFound("school not found", code="school_not_found")
    return school


async def read(uc: UseCase, user: CurrentUser, school_id: str) -> School:
    school = await school_for(uc, user, school_id)
    authorize(user, Action.read_school, Target(school_id=school.id))
    return school


async def list_all(uc: UseCase, user: CurrentUser, limit: int, offset: int) -> list[School]:
    authorize_city(user, Action.list_schools)
    return await school_rows.all_schools(uc.session, limit, offset)
