"""How the asker relates to an object: the facts `policy` needs beyond roles.

Class teachers are known from the journal's events (`handlers`): identity keeps which class
each student is in and who leads each class.
"""

from __future__ import annotations

from contracts.identity import Role
from kit.errors import NotFound
from kit.usecase import Actor, UseCase
from services.identity.models import Account, Person, SchoolClass
from services.identity.policy import Relation, Target
from services.identity.repository import accounts as account_rows
from services.identity.repository import classes as class_rows
from services.identity.repository import guardianships as guardian_rows
from services.identity.repository import people as people_rows

FAMILY_ROLES = frozenset({Role.student, Role.parent})


def is_staff(actor: Actor) -> bool:
    return bool(actor.roles - FAMILY_ROLES - {Role.operator})


async def person_for(uc: UseCase, person_id: str) -> Person:
    """The person named in a path: 404 when unknown or of another school."""
    actor = uc.actor
    person = (
        await people_rows.get_any_school(uc.session, person_id)
        if actor.is_operator
        else await people_rows.get(uc.session, actor.school_id or "", person_id)
    )
    if person is None:
        raise NotFound("person not found", code="person_not_found")
    return person


async def account_for(uc: UseCase, account_id: str) -> Account:
    actor = uc.actor
    account = await account_rows.get(uc.session, account_id)
    if account is None or (not actor.is_operator and account.school_id != actor.school_id):
        raise NotFound("account not found", code="account_not_found")
    return account


async def class_for(uc: UseCase, class_id: str) -> SchoolClass:
    actor = uc.actor
    found = (
        await class_rows.get_class_any_school(uc.session, class_id)
        if actor.is_operator
        else await class_rows.get_class(uc.session, actor.school_id or "", class_id)
    )
    if found is None:
        raise NotFound("class not found", code="class_not_found")
    return found


async def to_person(uc: UseCase, person: Person) -> Target:
    actor = uc.actor
    relations: set[Relation] = set()
    if actor.school_id == person.school_id and actor.person_id:
        if actor.person_id == person.id:
            relations.add(Relation.self_)
        if person.kind == "student":
            if Role.parent in actor.roles and await guardian_rows.is_guardian(
                uc.session, person.school_id, actor.person_id, person.id
            ):
                relations.add(Relation.guardian)
            if is_staff(actor) and await class_rows.leads_class_of(
                uc.session, person.school_id, actor.person_id, [person.id]
            ):
                relations.add(Relation.class_teacher)
        elif person.kind == "parent" and is_staff(actor):
            children = await guardian_rows.children_of(uc.session, person.school_id, person.id)
            if await class_rows.leads_class_of(
                uc.session, person.school_id, actor.person_id, children
            ):
                relations.add(Relation.class_teacher)
    return Target(person.school_id, "person", frozenset(relations))


def to_account(actor: Actor, account: Account) -> Target:
    relations = {Relation.self_} if account.id == actor.account_id else set()
    return Target(account.school_id or "", "account", frozenset(relations))


def to_class(actor: Actor, school_class: SchoolClass) -> Target:
    leads = actor.person_id is not None and school_class.class_teacher_id == actor.person_id
    return Target(
        school_class.school_id, "class", frozenset({Relation.class_teacher} if leads else ())
    )


async def to_school(uc: UseCase, school_id: str) -> Target:
    """A school as the place to add students and parents: class teachers may (R-YR-3)."""
    actor = uc.actor
    leads = (
        actor.school_id == school_id
        and actor.person_id is not None
        and is_staff(actor)
        and await class_rows.leads_any_class(uc.session, school_id, actor.person_id)
    )
    return Target(school_id, "school", frozenset({Relation.class_teacher} if leads else ()))
