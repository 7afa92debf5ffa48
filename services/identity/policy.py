"""Who may do what in identity (R-SEC-2, R-SEC-3, R-SEC-5): one table, one check.

A grant is a role (`contracts.identity.Role`) or a relation of the asker to the object:
`self` (their own person or account), `guardian` (a parent of the student), `class_teacher`
(the class teacher of the student, of a child of the parent, of the class; for adding a
student or parent: of some class of the school), as the service looked it up.

The order of the check never reveals another school: an object of another school is 404
whatever the asker's roles; a known object the asker may not touch is 403. The city operator
belongs to no school: it may do what the table grants `operator`, in any school, and nothing
else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from contracts.identity import Role
from kit.errors import Forbidden, NotFound
from kit.usecase import Actor


class Relation(StrEnum):
    self_ = "self"
    guardian = "guardian"
    class_teacher = "class_teacher"


class Action(StrEnum):
    register_school = "school.register"
    list_schools = "school.list"
    read_school = "school.read"
    update_school = "school.update"
    create_school_admin = "person.create_school_admin"
    create_staff = "person.create_staff"
    create_family = "person.create_family"
    import_people = "person.import"
    list_people = "person.list"
    read_person = "person.read"
    update_staff = "person.update_staff"
    update_family = "person.update_family"
    change_roles = "person.change_roles"
    link_guardian = "guardian.link"
    read_roster = "class.read_roster"
    issue_admin_credentials = "credentials.issue_school_admin"
    issue_staff_credentials = "credentials.issue_staff"
    issue_family_credentials = "credentials.issue_family"
    report_compromise = "account.report_compromise"
    record_consent = "consent.record"
    read_consent = "consent.read"
    list_missing_consents = "consent.list_missing"
    read_access_log = "access_log.read"
    read_activity = "activity.read"


R, L = Role, Relation
SCHOOL_MEMBERS = frozenset(r for r in Role if r is not Role.operator)
LEADERS = frozenset({R.school_admin, R.director, R.deputy})

RULES: dict[Action, frozenset[str]] = {
    Action.register_school: frozenset({R.operator}),
    Action.list_schools: frozenset({R.operator}),
    Action.read_school: frozenset({R.operator, *SCHOOL_MEMBERS}),
    # a school's name and time zone: the city operator, or the school's own administrator
    Action.update_school: frozenset({R.operator, R.school_admin}),
    # R-SEC-5: the city operator starts a school with its administrator; the rest is the
    # school's own: staff by its administrator, students and parents also by the secretary
    # and by class teachers (R-YR-3).
    Action.create_school_admin: frozenset({R.operator, R.school_admin}),
    Action.create_staff: frozenset({R.school_admin}),
    Action.create_family: frozenset({R.school_admin, R.secretary, L.class_teacher}),
    Action.import_people: frozenset({R.school_admin, R.secretary}),
    Action.list_people: frozenset({*LEADERS, R.secretary}),
    Action.read_person: frozenset({*LEADERS, R.secretary, L.class_teacher, L.self_, L.guardian}),
    Action.update_staff: frozenset({R.school_admin}),
    Action.update_family: frozenset({R.school_admin, R.secretary, L.class_teacher}),
    Action.change_roles: frozenset({R.school_admin}),
    Action.link_guardian: frozenset({R.school_admin, R.secretary, L.class_teacher}),
    Action.read_roster: frozenset({*LEADERS, R.secretary, L.class_teacher}),
    # R-SEC-2: staff get credentials from the administrator, students and parents from the
    # class teacher (or the administrator); the operator re-issues a school administrator's.
    Action.issue_admin_credentials: frozenset({R.operator, R.school_admin}),
    Action.issue_staff_credentials: frozenset({R.school_admin}),
    Action.issue_family_credentials: frozenset({R.school_admin, L.class_teacher}),
    # R-SEC-4: the owner reports, or the school head and support receive the report.
    Action.report_compromise: frozenset({R.operator, R.school_admin, R.director, L.self_}),
    # R-SEC-3: the administrator records consent.
    Action.record_consent: frozenset({R.school_admin}),
    Action.read_consent: frozenset({R.school_admin, R.director, L.self_}),
    Action.list_missing_consents: frozenset({R.school_admin, R.director}),
    # R-SEC-1, R-SEC-5: the administrator and the director monitor who uses the system; the
    # deputy makes the monthly activity report (R-RPT-3).
    Action.read_access_log: frozenset({R.school_admin, R.director}),
    Action.read_activity: frozenset({R.school_admin, R.director, R.deputy}),
}


@dataclass(frozen=True)
class Target:
    """The object of a request: its school, what it is called, how the asker relates to it."""

    school_id: str
    what: str = "school"
    relations: frozenset[Relation] = field(default_factory=frozenset)


def allows(actor: Actor, action: Action, relations: Iterable[Relation] = ()) -> bool:
    """The table's answer, tenancy aside."""
    granted = RULES[action]
    if actor.is_operator:
        return Role.operator in granted
    return bool(granted.intersection(actor.roles) or granted.intersection(relations))


def authorize(actor: Actor, action: Action, target: Target) -> None:
    """404 for another school's object, 403 for an object the asker may not touch."""
    if not actor.is_operator and actor.school_id != target.school_id:
        raise NotFound(f"{target.what} not found")
    if not allows(actor, action, target.relations):
        raise Forbidden(f"your role may not do this ({action.value})", code="forbidden")


def authorize_city(actor: Actor, action: Action) -> None:
    """An action on the city as a whole (no school's object involved): 403 or nothing."""
    if not allows(actor, action):
        raise Forbidden(f"your role may not do this ({action.value})", code="forbidden")


def require_school_member(actor: Actor) -> str:
    """The asker's school, for requests that only make sense inside one."""
    if actor.school_id is None:
        raise Forbidden(
            "this request is about a school: use a school's account", code="school_required"
        )
    return actor.school_id


def create_action(kind: str, roles: Iterable[str]) -> Action:
    if kind == "staff":
        return Action.create_school_admin if Role.school_admin in roles else Action.create_staff
    return Action.create_family


def credentials_action(kind: str, roles: Iterable[str]) -> Action:
    if kind == "staff":
        return (
            Action.issue_admin_credentials
            if Role.school_admin in roles
            else Action.issue_staff_credentials
        )
    return Action.issue_family_credentials


def update_action(kind: str) -> Action:
    return Action.update_staff if kind == "staff" else Action.update_family
