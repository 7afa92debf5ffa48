"""Credentials (R-SEC-2): a login and a one-time password, handed over under signature.

Staff get theirs from the school's administrator, students and parents from their class
teacher (or the administrator). The password is returned once, must be changed at first
login, and waits encrypted only until then, so the credential slip can print it. Issuing
again is a reset: the old password and every session of the account die, and an account
closed by a compromise (R-SEC-4) opens again only this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import IntegrityError

from kit.db import new_id
from kit.errors import Conflict, NotFound
from kit.usecase import UseCase
from services.identity import policy
from services.identity.adapters.slip import SlipData
from services.identity.models import Account, Person
from services.identity.policy import Action, authorize
from services.identity.repository import accounts as account_rows
from services.identity.repository import people as people_rows
from services.identity.repository import schools as school_rows
from services.identity.rules.passwords import one_time_password
from services.identity.service import audit, classes, logins, relations, sessions
from services.identity.service.audit import LogAction
from services.identity.service.collaborators import Identity

GENERATION_ATTEMPTS = 5


@dataclass(frozen=True)
class Issued:
    person: Person
    account: Account
    password: str


async def issue(
    uc: UseCase,
    identity: Identity,
    person_id: str,
    chosen_login: str | None = None,
) -> Issued:
    person = await relations.person_for(uc, person_id)
    target = await relations.to_person(uc, person)
    authorize(uc.actor, policy.credentials_action(person.kind, person.roles), target)
    chosen = logins.normalize_chosen(chosen_login) if chosen_login else None
    account = await account_rows.of_person(uc.session, person.school_id, person.id)
    for attempt in range(GENERATION_ATTEMPTS):
        login = await _login_for(uc, person, account, chosen)
        try:
            async with uc.session.begin_nested():
                issued = await _save(uc, identity, person, account, login)
            break
        except IntegrityError as exc:  # a concurrent issue took the login first
            if chosen is not None or attempt + 1 == GENERATION_ATTEMPTS:
                raise Conflict(f"the login {login!r} is taken", code="login_taken") from exc
    audit.record(
        uc,
        LogAction.credentials_issued,
        school_id=person.school_id,
        actor=uc.actor,
        subject_person_id=person.id,
        subject_account_id=issued.account.id,
        login=issued.account.login,
    )
    return issued


async def _login_for(
    uc: UseCase, person: Person, account: Account | None, chosen: str | None
) -> str:
    if chosen is not None:
        holder = await account_rows.by_login(uc.session, chosen)
        if holder is not None and (account is None or holder.id != account.id):
            raise Conflict(f"the login {chosen!r} is taken", code="login_taken")
        return chosen
    if account is not None:
        return account.login
    base = logins.login_base(person.last_name, person.first_name, person.middle_name)
    taken = await account_rows.logins_starting_with(uc.session, base)
    return logins.first_free(base, taken.__contains__)


async def _save(
    uc: UseCase,
    identity: Identity,
    person: Person,
    account: Account | None,
    login: str,
) -> Issued:
    password = one_time_password(login)
    password_hash = await identity.passwords.hash(password)
    now = uc.now
    if account is None:
        account = Account(
            id=new_id(),
            school_id=person.school_id,
            person_id=person.id,
            created_at=now,
            operator=False,
        )
        account_rows.add(uc.session, account)
    else:
        await sessions.end_every_session(uc, identity, account)
    account.login = login
    account.password_hash = password_hash
    account.password_change_required = True
    account.status = "active"
    account.pending_password = identity.box.seal(password.encode(), purpose=account.id)
    account.credentials_issued_at = now
    account.credentials_issued_by = uc.actor.account_id
    await uc.session.flush()
    return Issued(person, account, password)


def pending_password(identity: Identity, account: Account) -> str | None:
    """The one-time password while its owner has not yet replaced it (for the slip)."""
    if not account.password_change_required or not account.pending_password:
        return None
    return identity.box.open(account.pending_password, purpose=account.id).decode()


async def slip_for(uc: UseCase, identity: Identity, person_id: str) -> SlipData:
    """The slip's content; printing it is logged like a read of personal data (R-SEC-1)."""
    person = await relations.person_for(uc, person_id)
    target = await relations.to_person(uc, person)
    authorize(uc.actor, policy.credentials_action(person.kind, person.roles), target)
    account = await account_rows.of_person(uc.session, person.school_id, person.id)
    school = await school_rows.get(uc.session, person.school_id)
    if account is None or school is None:
        raise NotFound("no credentials were issued to this person", code="no_credentials")
    audit.record(
        uc,
        LogAction.credential_slip_printed,
        school_id=person.school_id,
        actor=uc.actor,
        subject_person_id=person.id,
        subject_account_id=account.id,
    )
    return SlipData(
        school_name=school.name,
        timezone=school.timezone,
        full_name=full_name(person),
        kind=person.kind,
        roles=list(person.roles),
        login=account.login,
        password=pending_password(identity, account),
        issued_at=account.credentials_issued_at,
        issued_by=await _issuer_name(uc, account),
        address=identity.public_url,
    )


def full_name(person: Person) -> str:
    return " ".join(n for n in (person.last_name, person.first_name, person.middle_name) if n)


async def _issuer_name(uc: UseCase, account: Account) -> str:
    issuer = (
        await account_rows.get(uc.session, account.credentials_issued_by)
        if account.credentials_issued_by
        else None
    )
    if issuer is None:
        return "—"
    if issuer.person_id and issuer.school_id:
        person = await people_rows.get(uc.session, issuer.school_id, issuer.person_id)
        if person is not None:
            return full_name(person)
    return issuer.login


Household = Literal["students", "parents", "both"]


@dataclass(frozen=True)
class ClassIssue:
    issued: list[Issued]
    skipped: int


async def _household(
    uc: UseCase, class_id: str, who: Household
) -> tuple[classes.Roster, list[Person]]:
    """The class's students and/or their parents, as the class teacher hands them slips."""
    roster = await classes.roster(uc, class_id, Action.issue_family_credentials)
    people: list[Person] = list(roster.students) if who != "parents" else []
    if who != "students":
        parents = (p for s in roster.students for p in roster.parents_of(s.id))
        people.extend({p.id: p for p in parents}.values())  # a parent of two children once
    return roster, people


async def issue_for_class(
    uc: UseCase,
    identity: Identity,
    class_id: str,
    who: Household,
    only_new: bool,
) -> ClassIssue:
    """R-SEC-2 for a whole class at once: credentials for its students and/or their parents
    (by default only those who have none yet), all in the request's one transaction."""
    roster, people = await _household(uc, class_id, who)
    issued, skipped = [], 0
    for person in people:
        account = roster.accounts.get(person.id)
        if only_new and account is not None and account.credentials_issued_at is not None:
            skipped += 1
            continue
        issued.append(await issue(uc, identity, person.id))
    return ClassIssue(issued, skipped)


async def slips_for_class(
    uc: UseCase, identity: Identity, class_id: str, who: Household
) -> list[SlipData]:
    """Every slip of the class's students and/or parents who have credentials, in roster order."""
    roster, people = await _household(uc, class_id, who)
    return [
        await slip_for(uc, identity, person.id) for person in people if person.id in roster.accounts
    ]
