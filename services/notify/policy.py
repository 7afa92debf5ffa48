"""Who may do what in notify: one place, tested as a matrix (every endpoint × role × school).

- Deliveries: your own; the school's leaders (admin, director, deputy) anyone's in the school.
- Subscriptions and mailboxes: your own, as a person of a school (not the city operator).
- Internal mail (R-NTF-1, R-NTF-2): teachers, deputies, directors and school admins write to
  anyone of their school; everyone else (students, parents, secretaries, schedulers) only to
  the school's staff.
- Webhooks: the city operator for any school, a school admin for their own school; another
  school's webhooks answer 404, like ones that do not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contracts.identity import Role
from kit.errors import Forbidden, NotFound
from kit.usecase import Actor

SCHOOL_LEADERS = frozenset({Role.school_admin, Role.director, Role.deputy})
WRITE_TO_ANYONE = frozenset({Role.school_admin, Role.director, Role.deputy, Role.teacher})
STAFF_KIND = "staff"


@dataclass(frozen=True)
class Member:
    """A person of a school, as the token says."""

    school_id: str
    person_id: str


def school_member(actor: Actor) -> Member:
    """Subscriptions and mail belong to a person of a school: the operator has neither."""
    if actor.school_id is None:
        raise Forbidden("this belongs to a person of a school", code="school_required")
    if not actor.person_id:
        raise Forbidden("your account is not linked to a person", code="person_required")
    return Member(actor.school_id, actor.person_id)


def deliveries_scope(actor: Actor, recipient_id: str | None) -> tuple[str, str | None]:
    """(school, recipient) the actor may list: their own, or any in their school for leaders."""
    if actor.school_id is None:
        raise Forbidden("deliveries belong to a school", code="school_required")
    if actor.has_any(*SCHOOL_LEADERS):
        return actor.school_id, recipient_id
    if recipient_id not in (None, actor.person_id):
        raise Forbidden("you may read only your own notifications")
    return actor.school_id, actor.person_id or ""


def may_write_to(sender_roles: Iterable[str], recipient_kind: str) -> bool:
    """R-NTF-1: staff write to anyone of their school, the others to staff only."""
    return bool(WRITE_TO_ANYONE.intersection(sender_roles)) or recipient_kind == STAFF_KIND


def directory_kinds(actor: Actor) -> list[str] | None:
    """Whom the recipient directory lists: everyone for staff writers (None), else staff."""
    return None if actor.has_any(*WRITE_TO_ANYONE) else [STAFF_KIND]


def webhook_school(actor: Actor, school_id: str) -> str:
    """The school a new webhook (or a listing) is for, if the actor may act for it."""
    if actor.is_operator:
        return school_id
    if actor.has_any(Role.school_admin) and actor.school_id is not None:
        if school_id != actor.school_id:
            raise NotFound("no such school", code="school_not_found")
        return school_id
    raise Forbidden("webhooks are managed by the operator or the school admin")


def webhook_scope(actor: Actor) -> str | None:
    """Where the actor may look a webhook up: any school (None) for the operator, else own."""
    if actor.is_operator:
        return None
    if actor.has_any(Role.school_admin) and actor.school_id is not None:
        return actor.school_id
    raise Forbidden("webhooks are managed by the operator or the school admin")
