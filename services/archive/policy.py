"""Who may run, audit and read the archive, for which school.

The city operator acts on every school: runs, audits, lists packages and reads their manifests
(sizes, hashes, where each copy lives), but never a package's content, which is the school's
journal with its people (the README's promise: the operator reads no people or journals). A
school's administrator and director run and audit their own school's archive; they and the
deputy read its packages. Nobody else touches the
archive (403); another school's archive answers 404, never revealing what exists there.
"""

from __future__ import annotations

from contracts.identity import Role
from kit.errors import Forbidden, NotFound
from kit.usecase import Actor

RUNNERS = frozenset({Role.school_admin, Role.director})
READERS = frozenset({Role.school_admin, Role.director, Role.deputy})


def _scope(actor: Actor, school_id: str | None, roles: frozenset[Role], what: str) -> str | None:
    if actor.is_operator:
        return school_id
    if not actor.has_any(*roles) or actor.school_id is None:
        raise Forbidden(f"your role may not {what}", code="archive_forbidden")
    if school_id is not None and school_id != actor.school_id:
        raise NotFound("no such school", code="school_not_found")
    return actor.school_id


def run_scope(actor: Actor, school_id: str) -> str:
    """The school a run is for: the operator's choice, or the runner's own school."""
    scope = _scope(actor, school_id, RUNNERS, "run the archive")
    assert scope is not None
    return scope


def audit_scope(actor: Actor, school_id: str | None) -> str | None:
    """The school an audit covers; None (every school) only for the operator."""
    return _scope(actor, school_id, RUNNERS, "audit the archive")


def read_scope(actor: Actor, school_id: str | None) -> str | None:
    """The school whose packages the actor lists; None (every school) only for the operator."""
    return _scope(actor, school_id, READERS, "read the archive")


def content_scope(actor: Actor) -> str | None:
    """Whose package content the actor may read: a reader's own school. The operator keeps
    the archive whole without reading what it holds (403 `operator_reads_no_records`)."""
    if actor.is_operator:
        raise Forbidden(
            "the city operator checks the archive's integrity but does not read its records",
            code="operator_reads_no_records",
        )
    return _scope(actor, None, READERS, "read the archive")
