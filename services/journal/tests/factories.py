"""Test data: a school (in Moscow's zone) with its people, a year with four quarters, a class
5А with five students, two subjects and their teachers. The school and its people arrive as
identity's events, applied by the journal's own consumer (the same code path as from RabbitMQ,
without waiting for it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from contracts.identity import GuardianLinked, PersonRegistered, SchoolRegistered
from kit.db import new_id
from kit.events import Event
from kit.testing.events import build, envelope
from kit.testing.tokens import TestTokens

YEAR = ("2026/2027", dt.date(2026, 9, 1), dt.date(2027, 5, 31))
QUARTERS = [
    (dt.date(2026, 9, 1), dt.date(2026, 10, 26)),
    (dt.date(2026, 11, 5), dt.date(2026, 12, 28)),
    (dt.date(2027, 1, 9), dt.date(2027, 3, 21)),
    (dt.date(2027, 3, 30), dt.date(2027, 5, 31)),
]
STAFF = {
    "admin": ["school_admin"],
    "director": ["director"],
    "deputy": ["deputy"],
    "scheduler": ["scheduler"],
    "secretary": ["secretary"],
    "teacher1": ["teacher"],
    "teacher2": ["teacher"],
    "classteacher": ["teacher"],
    "outsider": ["teacher"],
}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@dataclass
class World:
    client: Any
    tokens: TestTokens
    school_id: str
    ids: dict[str, str] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    students: list[str] = field(default_factory=list)

    @property
    def app(self) -> Any:
        return self.client.app

    @property
    def clock(self) -> Any:
        return self.app.state.runtime.clock

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def at(self, when: dt.datetime) -> None:
        self.clock.set(when)

    def on(self, day: dt.date, hour: int = 12) -> None:
        """Moscow wall-clock time on a school day."""
        self.clock.set(dt.datetime.combine(day, dt.time(hour - 3), dt.UTC))

    def h(self, who: str) -> dict[str, str]:
        """Headers of a person of this school by their label (a real signed token)."""
        return self.tokens.headers(
            roles=self.roles[who],
            school_id=None if who == "operator" else self.school_id,
            person_id=self.ids.get(who),
            account_id=self.accounts.setdefault(who, new_id()),
        )

    async def apply(self, *events: Event, sequence: int | None = None) -> None:
        """Identity's events through the journal's own consumer (`sequence`: the producer's,
        for events whose newer version wins)."""
        envelopes = [envelope(e, school_id=self.school_id, sequence=sequence) for e in events]
        outcomes = await self.runtime.consumer.handle_batch(envelopes)
        assert all(o is None for o in outcomes), outcomes

    async def person(self, label: str, kind: str, roles: list[str], last_name: str) -> str:
        registered = build(
            PersonRegistered,
            school_id=self.school_id,
            kind=kind,
            last_name=last_name,
            first_name="Имя",
            roles=roles,
        )
        await self.apply(registered)
        self.ids[label], self.roles[label] = registered.person_id, roles
        return registered.person_id

    @classmethod
    async def create(cls, client: Any, tokens: TestTokens) -> World:
        world = cls(client, tokens, new_id())
        world.roles["operator"] = ["operator"]
        await world.apply(
            build(
                SchoolRegistered,
                school_id=world.school_id,
                name=f"Школа {world.school_id[-6:]}",
                timezone="Europe/Moscow",
            )
        )
        for label, roles in STAFF.items():
            await world.person(label, "staff", roles, label.capitalize())
        for n in range(1, 6):
            world.students.append(
                await world.person(f"student{n}", "student", ["student"], f"Ученик{n}")
            )
        await world.person("parent1", "parent", ["parent"], "Родитель")
        await world.apply(
            build(GuardianLinked, parent_id=world.ids["parent1"], student_id=world.students[0])
        )
        await world.open_year()
        return world

    async def post(self, who: str, path: str, body: Any, status: int = 201, **kw: Any) -> Any:
        return ok(await self.client.post(path, json=body, headers=self.h(who), **kw), status)

    async def open_year(self) -> None:
        name, starts, ends = YEAR
        school = f"/journal/v1/schools/{self.school_id}"
        year = await self.post(
            "admin",
            f"{school}/years",
            {"name": name, "starts_on": str(starts), "ends_on": str(ends)},
        )
        self.ids["year"] = year["id"]
        for number, (a, b) in enumerate(QUARTERS, start=1):
            period = await self.post(
                "admin",
                f"/journal/v1/years/{year['id']}/periods",
                {"kind": "quarter", "number": number, "starts_on": str(a), "ends_on": str(b)},
            )
            self.ids[f"q{number}"] = period["id"]
        for label, name in (("math", "Математика"), ("russian", "Русский язык")):
            self.ids[label] = (await self.post("admin", f"{school}/subjects", {"name": name}))["id"]
        school_class = await self.post(
            "admin",
            f"/journal/v1/years/{year['id']}/classes",
            {"name": "5А", "grade": 5, "class_teacher_id": self.ids["classteacher"]},
        )
        self.ids["class"] = school_class["id"]
        for student in self.students:
            await self.post(
                "admin",
                f"/journal/v1/classes/{school_class['id']}/students",
                {"student_id": student},
            )
        for teacher, subject in (("teacher1", "math"), ("teacher2", "russian")):
            await self.post(
                "admin",
                f"/journal/v1/classes/{school_class['id']}/assignments",
                {"subject_id": self.ids[subject], "teacher_id": self.ids[teacher]},
            )

    async def lesson(
        self,
        day: dt.date,
        subject: str = "math",
        number: int = 1,
        teacher: str = "teacher1",
        **extra: Any,
    ) -> str:
        body = {
            "class_id": self.ids["class"],
            "subject_id": self.ids[subject],
            "teacher_id": self.ids[teacher],
            "date": str(day),
            "number": number,
            **extra,
        }
        return str((await self.post("admin", "/journal/v1/lessons", body))["id"])

    async def subgroup(self, subject: str, students: list[str], teacher: str) -> str:
        """Subgroup 1 of the class for a subject (R-REC-6), made by the deputy, with these
        students and assigned to this teacher by the admin; its id."""
        group = await self.post(
            "deputy",
            f"/journal/v1/classes/{self.ids['class']}/groups",
            {"subject_id": self.ids[subject], "name": "1 подгруппа", "student_ids": students},
        )
        await self.post(
            "admin",
            f"/journal/v1/classes/{self.ids['class']}/assignments",
            {
                "subject_id": self.ids[subject],
                "teacher_id": self.ids[teacher],
                "group_id": group["id"],
            },
        )
        return str(group["id"])

    async def marks(
        self, who: str, lesson_id: str, marks: list[dict[str, Any]], status: int = 201, **kw: Any
    ) -> Any:
        return await self.post(
            who, f"/journal/v1/lessons/{lesson_id}/marks", {"marks": marks}, status, **kw
        )

    async def grid(self, who: str = "deputy", **params: Any) -> Any:
        return ok(
            await self.client.get(
                f"/journal/v1/classes/{self.ids['class']}/journal",
                params=params,
                headers=self.h(who),
            )
        )

    async def outbox_types(self, aggregate_id: str | None = None) -> list[str]:
        """Event types in this school's outbox, in order (the transactional outbox rows)."""
        from sqlalchemy import select

        from services.journal.models import outbox

        query = select(outbox.c.event_type).where(outbox.c.school_id == self.school_id)
        if aggregate_id is not None:
            query = query.where(outbox.c.aggregate_id == aggregate_id)
        async with self.runtime.db.read_only() as session:
            rows = await session.execute(query.order_by(outbox.c.id))
            return [r[0].rsplit(".v", 1)[0] for r in rows]
