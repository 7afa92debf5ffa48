"""People of a school: added, read (the read is logged, R-SEC-1), corrected, given roles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from contracts.identity import PersonRegistered, PersonUpdated, Role
from kit.errors import Conflict
from kit.usecase import UseCase
from services.identity import policy
from services.identity.models import Account, Person
from services.identity.policy import Action, authorize
from services.identity.repository import accounts as account_rows
from services.identity.repository import guardianships as guardian_rows
from services.identity.repository import people as people_rows
from services.identity.rules.person_fields import (
    PersonDraft,
    cleaned_or_raise,
    natural_key,
)
from services.identity.service import audit, deny_list, relations, schools
from services.identity.service.audit import LogAction
from services.identity.service.collaborators import Identity


def registered_event(person: Person) -> PersonRegistered:
    return PersonRegistered(
        person_id=person.id,
        school_id=person.school_id,
        kind=person.kind,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        roles=list(person.roles),
    )


def new_person(draft: PersonDraft, school_id: str, now: dt.datetime, by: str | None) -> Person:
    return Person(
        school_id=school_id,
        kind=draft.kind,
        last_name=draft.last_name,
        first_name=draft.first_name,
        middle_name=draft.middle_name,
        birth_date=draft.birth_date,
        sex=draft.sex,
        email=draft.email,
        roles=list(draft.roles),
        natural_key=natural_key(draft),
        created_at=now,
        updated_at=now,
        created_by=by,
    )


async def create(uc: UseCase, school_id: str, draft: PersonDraft) -> Person:
    school = await schools.school_for(uc, school_id)
    action = policy.create_action(draft.kind, draft.roles)
    authorize(uc.actor, action, await relations.to_school(uc, school.id))
    cleaned = cleaned_or_raise(draft, uc.today(school.timezone))
    key = natural_key(cleaned)
    existing = (await people_rows.by_natural_keys(uc.session, school.id, [key])).get(key)
    if existing is not None:
        raise Conflict(
            "this person is already registered in the school",
            code="duplicate_person",
            existing_id=existing.id,
        )
    person = new_person(cleaned, school.id, uc.now, uc.actor.account_id)
    people_rows.add_all(uc.session, [person])
    await flush_or_conflict(uc)
    await uc.publish(school.id, [registered_event(person)])
    return person


async def flush_or_conflict(uc: UseCase) -> None:
    """A concurrent request saved the same person first: a conflict, not a 500."""
    try:
        await uc.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "this person is already registered in the school", code="duplicate_person"
        ) from exc


@dataclass(frozen=True)
class PersonView:
    person: Person
    account: Account | None
    guardian_ids: list[str]
    child_ids: list[str]


async def read(uc: UseCase, person_id: str) -> PersonView:
    """R-SEC-1: a member of staff reading someone's personal data leaves a trace."""
    person = await relations.person_for(uc, person_id)
    target = await relations.to_person(uc, person)
    authorize(uc.actor, Action.read_person, target)
    if relations.is_staff(uc.actor) and person.id != uc.actor.person_id:
        audit.record(
            uc,
            LogAction.personal_data_read,
            school_id=person.school_id,
            actor=uc.actor,
            subject_person_id=person.id,
        )
    return await view_of(uc, person)


async def view_of(uc: UseCase, person: Person) -> PersonView:
    account = await account_rows.of_person(uc.session, person.school_id, person.id)
    guardians = await guardian_rows.guardians_of(uc.session, person.school_id, [person.id])
    children = await guardian_rows.children_of(uc.session, person.school_id, person.id)
    return PersonView(person, account, sorted(g.parent_id for g in guardians), sorted(children))


async def search(
    uc: UseCase,
    school_id: str,
    *,
    kind: str | None,
    text: str | None,
    limit: int,
    offset: int,
    incomplete: bool = False,
) -> tuple[list[Person], dict[str, Account]]:
    """Find people; `incomplete` lists the records R-YR-3 fields are still missing from."""
    school = await schools.school_for(uc, school_id)
    authorize(uc.actor, Action.list_people, policy.Target(school.id))
    found = await people_rows.search(
        uc.session,
        school.id,
        kind=kind,
        text=text,
        limit=limit,
        offset=offset,
        incomplete=incomplete,
    )
    return found, await account_rows.of_people(uc.session, school.id, [p.id for p in found])


DATA_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "sex", "email")


async def update(
    uc: UseCase, identity: Identity, person_id: str, changes: dict[str, Any]
) -> PersonView:
    """Correct a person's data (R-YR-3: checked every period) and, for staff, their roles."""
    person = await relations.person_for(uc, person_id)
    target = await relations.to_person(uc, person)
    roles_changed = "roles" in changes and sorted(set(changes["roles"] or ())) != sorted(
        person.roles
    )
    if set(changes) & set(DATA_FIELDS) or not roles_changed:
        authorize(uc.actor, policy.update_action(person.kind), target)
    if roles_changed:
        authorize(uc.actor, Action.change_roles, target)
    draft = _merged_draft(person, changes)
    timezone = await audit.school_timezone(uc, person.school_id)
    cleaned = cleaned_or_raise(draft, uc.today(timezone))
    if roles_changed:
        await _keep_a_school_admin(uc, person, cleaned.roles)
    _apply(person, cleaned, uc.now)
    await flush_or_conflict(uc)
    if roles_changed:
        audit.record(
            uc,
            LogAction.roles_changed,
            school_id=person.school_id,
            actor=uc.actor,
            subject_person_id=person.id,
            detail=" ".join(cleaned.roles),
        )
        await _reissue_tokens_with_new_roles(uc, identity, person)
    await uc.publish(person.school_id, [PersonUpdated(**registered_event(person).model_dump())])
    return await view_of(uc, person)


async def _reissue_tokens_with_new_roles(uc: UseCase, identity: Identity, person: Person) -> None:
    """R-SEC-5: a role taken away stops working now, not when the access token expires.

    The account's access tokens are refused from this instant; its refresh tokens still
    work, so a client simply refreshes and gets a token with the new roles.
    """
    account = await account_rows.of_person(uc.session, person.school_id, person.id)
    if account is not None:
        await deny_list.deny_account(
            uc, identity, account.id, time.time(), int(identity.access_ttl.total_seconds()) + 300
        )


def _merged_draft(person: Person, changes: dict[str, Any]) -> PersonDraft:
    current = PersonDraft(
        kind=person.kind,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        birth_date=person.birth_date,
        sex=person.sex,
        email=person.email,
        roles=tuple(person.roles),
    )
    known = {k: v for k, v in changes.items() if k in (*DATA_FIELDS, "roles")}
    if "roles" in known:
        known["roles"] = tuple(known["roles"] or ())
    return dataclasses.replace(current, **known)


def _apply(person: Person, draft: PersonDraft, now: dt.datetime) -> None:
    for field in DATA_FIELDS:
        setattr(person, field, getattr(draft, field))
    person.roles = list(draft.roles)
    person.natural_key = natural_key(draft)
    person.updated_at = now


async def _keep_a_school_admin(uc: UseCase, person: Person, new_roles: Sequence[str]) -> None:
    """A school never loses its last administrator: nobody could give the role back."""
    if Role.school_admin not in person.roles or Role.school_admin in new_roles:
        return
    admins = [
        p
        for p in await people_rows.staff(uc.session, person.school_id)
        if Role.school_admin in p.roles
    ]
    if len(admins) <= 1:
        raise Conflict(
            "this is the school's last administrator: give the role to someone else first",
            code="last_school_admin",
        )
