"""Who may run, audit and read the archive, for which school.

The city operator acts on every school. A school's administrator and director run and audit
their own school's archive; they and the deputy read its packages. Nobody else touches the
archive (403); another school's archive answers 404, never revealing what exists there.
"""

from __future__ import annotations

from contracts.identity import Role
from kit.auth import CurrentUser
from kit.errors import Forbidden, NotFound

RUNNERS = frozenset({Role.school_admin, Role.director})
READERS = frozenset({Role.school_admin, Role.director, Role.deputy})


def _scope(
    user: CurrentUser, school_id: str | None, roles: frozenset[Role], what: str
) -> str | None:
    if user.is_operator:
        return school_id
    if not user.has_any(*roles) or user.school_id is None:
        raise Forbidden(f"your role may not {what}", code="archive_forbidden")
    if school_id is not None and school_id != user.school_id:
        raise NotFound("no such school", code="school_not_found")
    return user.school_id


def run_scope(user: CurrentUser, school_id: str) -> str:
    """The school a run is for: the operator's choice, or the runner's own school."""
    scope = _scope(user, school_id, RUNNERS, "run the archive")
    assert scope is not None
    return scope


def audit_scope(user: CurrentUser, school_id: str | None) -> str | None:
    """The school an audit covers; None (every school) only for the operator."""
    return _scope(user, school_id, RUNNERS, "audit the archive")


def read_scope(user: CurrentUser, school_id: str | None) -> str | None:
    """The school whose packages the user lists; None (every school) only for the operator."""
    return _scope(user, school_id, READERS, "read the archive")
