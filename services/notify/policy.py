"""Who may read which deliveries."""

from __future__ import annotations

from contracts.identity import Role
from kit.auth import CurrentUser
from kit.errors import Forbidden

STAFF_READERS = {Role.school_admin, Role.director, Role.deputy}


def deliveries_scope(user: CurrentUser, recipient_id: str | None) -> tuple[str, str | None]:
    """(school, recipient) the user may list: their own, or any in their school for leaders."""
    if user.school_id is None:
        raise Forbidden("deliveries belong to a school", code="school_required")
    if user.has_any(*STAFF_READERS):
        return user.school_id, recipient_id
    if recipient_id not in (None, user.person_id):
        raise Forbidden("you may read only your own notifications")
    return user.school_id, user.person_id or ""
