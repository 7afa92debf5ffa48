"""Test data for identity's tests: written through the service's own tables, not by magic."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import ClassOpened, EnrolmentChanged
from kit.db import new_id
from kit.testing.events import build, envelope
from kit.usecase import Actor, UseCase
from services.identity.models import Account, Guardianship, Person, School
from services.identity.rules.person_fields import PersonDraft, natural_key
from services.identity.service import classes
from services.identity.service.collaborators import Identity

PASSWORD = "correct-horse-battery"
SURNAMES = ("Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев")
FIRST_NAMES = ("Анна", "Мария", "Иван", "Пётр", "Олег", "Дарья", "Ёлка")
LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def surname() -> str:
    """A surname nobody else in the test run has (so people never collide by accident)."""
    return random.choice(SURNAMES) + "".join(random.choices(LETTERS, k=6))


@dataclass
class Member:
    person: Person | None
    account: Account
    headers: dict[str, str]

    @property
    def person_id(self) -> str:
        assert self.person is not None
        return self.person.id


class Harness:
    """The identity app under test, its HTTP client and shortcuts to make its data."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app, self.client = app, client
        self.collaborators: Identity = app.state.identity
        self.runtime = app.state.runtime
        self.db = self.runtime.db
        self._hash = ""

    def now(self) -> dt.datetime:
        """The service's instant: its runtime's clock (tests may replace it)."""
        return self.runtime.clock.now()  # type: ignore[no-any-return]

    def use_case(self, session: AsyncSession, school_id: str | None = None) -> UseCase:
        """The context a consumer or a worker gives a use case: the platform acting."""
        return UseCase(session, self.runtime.outbox, Actor.system(school_id), self.runtime.clock)

    async def prepare(self) -> None:
        self._hash = await self.collaborators.passwords.hash(PASSWORD)

    async def school(self, name: str | None = None, timezone: str = "Europe/Moscow") -> School:
        school = School(
            name=name or f"Школа №{random.randint(1, 10**9)}",
            timezone=timezone,
            created_at=self.now(),
        )
        async with self.db.unit_of_work() as session:
            session.add(school)
        return school

    async def person(
        self, school_id: str, kind: str, *, roles: tuple[str, ...] = (), **fields: Any
    ) -> Person:
        draft = PersonDraft(
            kind=kind,
            last_name=fields.pop("last_name", surname()),
            first_name=fields.pop("first_name", random.choice(FIRST_NAMES)),
            middle_name=fields.pop("middle_name", None),
            birth_date=fields.pop(
                "birth_date", dt.date(2014, 5, 17) if kind == "student" else None
            ),
            sex=fields.pop("sex", "female" if kind == "student" else None),
            email=fields.pop(
                "email", f"{new_id()[-10:]}@example.org" if kind == "parent" else None
            ),
            roles=roles or ((kind,) if kind != "staff" else ("teacher",)),
        )
        now = self.now()
        person = Person(
            school_id=school_id,
            kind=kind,
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
        )
        async with self.db.unit_of_work() as session:
            session.add(person)
        return person

    async def account(
        self, person: Person | None, *, login: str | None = None, pcr: bool = False
    ) -> Account:
        now = self.now()
        account = Account(
            id=new_id(),
            school_id=person.school_id if person else None,
            person_id=person.id if person else None,
            login=login or f"u{new_id()[-12:]}",
            password_hash=self._hash,
            operator=person is None,
            status="active",
            password_change_required=pcr,
            credentials_issued_at=now,
            created_at=now,
        )
        async with self.db.unit_of_work() as session:
            session.add(account)
        return account

    async def headers(
        self, account: Account, person: Person | None, **claims: Any
    ) -> dict[str, str]:
        token, _ = await self.collaborators.keyring.sign(
            account_id=account.id,
            person_id=account.person_id,
            school_id=account.school_id,
            roles=claims.pop("roles", list(person.roles) if person else ["operator"]),
            login=account.login,
            password_change_required=account.password_change_required,
            **claims,
        )
        return {"Authorization": f"Bearer {token}"}

    async def member(self, school_id: str, kind: str, *roles: str, **fields: Any) -> Member:
        person = await self.person(school_id, kind, roles=tuple(roles), **fields)
        account = await self.account(person)
        return Member(person, account, await self.headers(account, person))

    async def operator(self) -> Member:
        account = await self.account(None)
        return Member(None, account, await self.headers(account, None))

    async def refresh_headers(self, member: Member) -> Member:
        member.headers = await self.headers(member.account, member.person)
        return member

    async def lead_class(
        self, school_id: str, teacher: Person | None, students: list[Person]
    ) -> str:
        """The journal's events, applied as identity's consumer applies them."""
        opened = build(ClassOpened, class_teacher_id=teacher.id if teacher else None)
        async with self.db.unit_of_work() as session:
            await classes.class_opened(
                self.use_case(session, school_id), opened, envelope(opened, school_id=school_id)
            )
            for student in students:
                enrolled = build(
                    EnrolmentChanged,
                    student_id=student.id,
                    class_id=opened.class_id,
                    change="enrolled",
                )
                await classes.enrolment_changed(
                    self.use_case(session, school_id),
                    enrolled,
                    envelope(enrolled, school_id=school_id),
                )
        return opened.class_id

    async def link(self, parent: Person, student: Person) -> None:
        async with self.db.unit_of_work() as session:
            session.add(
                Guardianship(
                    school_id=student.school_id,
                    parent_id=parent.id,
                    student_id=student.id,
                    created_at=self.now(),
                )
            )

    async def login(
        self, login: str, password: str, client: httpx.AsyncClient | None = None
    ) -> httpx.Response:
        return await (client or self.client).post(
            "/identity/v1/token", data={"username": login, "password": password}
        )


async def published(harness: Harness, event_type: str) -> list[dict[str, Any]]:
    """The envelopes identity wrote to its outbox for this type (what the relay publishes)."""
    from sqlalchemy import select

    from services.identity.models import outbox

    async with harness.db.read_only() as session:
        rows = await session.execute(
            select(outbox.c.envelope, outbox.c.sent_at)
            .where(outbox.c.event_type == event_type)
            .order_by(outbox.c.id)
        )
        return [{**json.loads(r.envelope), "sent": r.sent_at is not None} for r in rows.all()]
