"""The first account of a fresh deployment: the city operator (the CLI and the demo use it)."""

from __future__ import annotations

from kit.db import new_id
from kit.errors import Conflict
from kit.usecase import UseCase
from services.identity.adapters.passwords import Passwords
from services.identity.models import Account
from services.identity.repository import accounts as account_rows
from services.identity.rules.passwords import check_policy
from services.identity.service import logins


async def ensure_operator(
    uc: UseCase, login: str, password: str, passwords: Passwords | None = None
) -> str:
    """Create the city operator's account (a permanent password, no forced change) once.

    Idempotent: when the operator already exists it is returned unchanged. Returns the
    account id. Does not commit (the edge's unit of work does).
    """
    name = logins.normalize_chosen(login)
    existing = await account_rows.by_login(uc.session, name)
    if existing is not None:
        if not existing.operator:
            raise Conflict(f"the login {name!r} belongs to someone else", code="login_taken")
        return existing.id
    check_policy(password, login=name)
    now = uc.now
    account = Account(
        id=new_id(),
        school_id=None,
        person_id=None,
        login=name,
        password_hash=await (passwords or Passwords()).hash(password),
        operator=True,
        status="active",
        password_change_required=False,
        credentials_issued_at=now,
        created_at=now,
    )
    account_rows.add(uc.session, account)
    await uc.session.flush()
    return account.id
