"""The embedded mode's demo school «Школа №154», seeded once through the public HTTP API.

Only the city operator is created directly (there is no HTTP way to create the first
operator); everything else goes through the same endpoints a school uses: people and their
logins, the year, classes, timetable, lessons, and a few weeks of topics, homework, marks and
attendance. Each lesson that has ended by now is filled in at its last bell, on its own day
(`kit.clock.travelling_to`, seen only by the seeding task's own requests): before the school's
cut-off for marks (R-MRK-2) and its limit for homework (R-HW-1), so the journal judges them on
time; R-MRK-3 is honoured, not bypassed. Lessons still ahead stay empty.

A few entries are late on purpose, so the deputy's monitoring has something to show
(`LATE_MARKS`, `LATE_HOMEWORK`); the lessons they landed on are written to the data folder's
`demo-seeded.json` beside the school's id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kit.clock import Clock, travelling_to
from kit.logging import get_logger

log = get_logger("ej.demo")

SCHOOL = "Школа №154"
TIMEZONE = "Europe/Moscow"
SUBJECTS = ("Математика", "Русский язык", "Литература", "История")
STAFF = (
    # login, last, first, middle, roles
    ("admin", "Администраторова", "Анна", "Сергеевна", ["school_admin"]),
    ("director", "Директоров", "Пётр", "Иванович", ["director"]),
    ("deputy", "Завучева", "Мария", "Петровна", ["deputy"]),
    ("teacher1", "Математикова", "Ольга", "Николаевна", ["teacher"]),
    ("teacher2", "Русакова", "Елена", "Викторовна", ["teacher"]),
    ("classteacher1", "Классова", "Ирина", "Андреевна", ["teacher"]),
)
# who teaches what (by login); the same in both classes
TEACHES = {
    "Математика": "teacher1",
    "Русский язык": "teacher2",
    "Литература": "teacher2",
    "История": "classteacher1",
}
# weekday → lesson numbers' subjects
WEEK = {
    1: ("Математика", "Русский язык", "История"),
    2: ("Русский язык", "Математика", "Литература"),
    3: ("Математика", "История", "Русский язык"),
    4: ("Литература", "Математика", "Русский язык"),
    5: ("Математика", "Русский язык", "История"),
}
BELLS = [("08:30", "09:15"), ("09:25", "10:10"), ("10:25", "11:10"), ("11:25", "12:10")]
CLASSES = {
    "5А": (
        "classteacher1",
        [
            ("Иванов", "Иван", "Петрович"),
            ("Алексеева", "Анна", "Игоревна"),
            ("Борисов", "Борис", "Олегович"),
            ("Васильева", "Вера", "Андреевна"),
            ("Григорьев", "Глеб", "Сергеевич"),
            ("Дмитриева", "Дарья", "Павловна"),
            ("Егоров", "Егор", "Ильич"),
            ("Жукова", "Жанна", "Романовна"),
            ("Зайцев", "Захар", "Денисович"),
            ("Ильина", "Ирина", "Максимовна"),
        ],
    ),
    "6Б": (
        "teacher2",
        [
            ("Козлов", "Кирилл", "Артёмович"),
            ("Лебедева", "Лидия", "Олеговна"),
            ("Морозов", "Максим", "Юрьевич"),
            ("Новикова", "Нина", "Евгеньевна"),
            ("Орлов", "Олег", "Викторович"),
            ("Павлова", "Полина", "Алексеевна"),
            ("Романов", "Роман", "Сергеевич"),
            ("Соколова", "София", "Ивановна"),
        ],
    ),
}
TOPICS = {
    "Математика": [
        "Натуральные числа",
        "Сложение и вычитание",
        "Умножение и деление",
        "Обыкновенные дроби",
        "Сравнение дробей",
        "Десятичные дроби",
    ],
    "Русский язык": [
        "Орфограмма",
        "Имя существительное",
        "Падежи",
        "Склонение",
        "Имя прилагательное",
        "Глагол",
    ],
    "Литература": [
        "Устное народное творчество",
        "Сказки",
        "Басни Крылова",
        "А. С. Пушкин",
        "М. Ю. Лермонтов",
        "Н. В. Гоголь",
    ],
    "История": [
        "Древний Египет",
        "Древняя Греция",
        "Древний Рим",
        "Первобытный мир",
        "Месопотамия",
        "Древняя Индия",
    ],
}
HOMEWORK = ["§{n}, упр. {e}", "§{n}, вопросы 1–4", "№ {e}, {f}", "Выучить правило, §{n}"]
# The only late entries of the demo, (class, subject) → which of its lessons (0 = the first
# filled). Marks: entered the next day at 14:00, after the day's cut-off (R-MRK-2) and inside
# the 7 days (R-MRK-3). Homework: set at 19:00 on the lesson's day, past the limit (R-HW-1).
# An entry whose late moment is still ahead of now is entered on time instead.
LATE_MARKS = {("5А", "Математика"): 1, ("6Б", "История"): 2, ("6Б", "Русский язык"): 4}
LATE_HOMEWORK = {("5А", "Русский язык"): 2, ("6Б", "Литература"): 1}
LATE_MARKS_AT = (dt.timedelta(days=1), dt.time(14, 0))
LATE_HOMEWORK_AT = (dt.timedelta(days=0), dt.time(19, 0))


class DemoFailed(RuntimeError):
    pass


@dataclass
class Api:
    client: httpx.AsyncClient

    async def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200, 201),
        **kwargs: Any,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = await self.client.request(method, path, json=body, headers=headers, **kwargs)
        if answer.status_code not in expect:
            raise DemoFailed(f"{method} {path} → {answer.status_code}: {answer.text[:500]}")
        return answer.json() if answer.content else None

    async def token(self, login: str, password: str) -> dict[str, Any]:
        answer = await self.client.post(
            "/identity/v1/token", data={"username": login, "password": password}
        )
        if answer.status_code != 200:
            raise DemoFailed(f"login {login} → {answer.status_code}: {answer.text[:300]}")
        return answer.json()  # type: ignore[no-any-return]

    async def eventually(self, method: str, path: str, token: str, body: Any) -> Any:
        """Retry while the journal has not yet heard of the school or the people identity
        announced (409 `school_not_known`, 422 `unknown_person`)."""
        for _ in range(100):
            answer = await self.client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            if answer.status_code in (200, 201):
                return answer.json()
            if (answer.status_code, _code(answer)) not in NOT_ARRIVED_YET:
                raise DemoFailed(f"{method} {path} → {answer.status_code}: {answer.text[:500]}")
            await asyncio.sleep(0.1)
        raise DemoFailed(f"{method} {path}: the journal never heard of the school or the people")


NOT_ARRIVED_YET = {(409, "school_not_known"), (422, "unknown_person")}
"""The journal's answers while identity's events are on their way: worth a retry."""


def _code(answer: httpx.Response) -> str | None:
    try:
        return str(answer.json().get("code"))
    except (ValueError, AttributeError):
        return None


@dataclass
class Demo:
    api: Api
    password: str
    now: dt.datetime
    rng: random.Random = field(default_factory=lambda: random.Random(154))
    tokens: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # login → person id
    late_marks: list[str] = field(default_factory=list)  # lesson ids
    late_homework: list[str] = field(default_factory=list)  # lesson ids

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(ZoneInfo(TIMEZONE)).date()

    async def seed(self) -> dict[str, Any]:
        operator = (await self.api.token("operator", self.password))["access_token"]
        school = await self.api.call(
            "POST", "/identity/v1/schools", operator, {"name": SCHOOL, "timezone": TIMEZONE}
        )
        school_id = school["id"]
        await self._staff(operator, school_id)
        admin = self.tokens["admin"]
        students = await self._students(admin, school_id)
        await self._parent(admin, school_id, students["5А"][0])
        year = await self._year(admin, school_id)
        await self._classes(admin, school_id, year, students)
        return {
            "school_id": school_id,
            "year_id": year["id"],
            "late_marks": self.late_marks,
            "late_homework": self.late_homework,
        }

    async def _person(
        self, token: str, school_id: str, kind: str, names: tuple[str, ...], roles: list[str]
    ) -> str:
        last, first, middle = names
        body = {
            "kind": kind,
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "roles": roles,
        }
        return str(
            (await self.api.call("POST", f"/identity/v1/schools/{school_id}/people", token, body))[
                "id"
            ]
        )

    async def _login(self, token: str, person_id: str, login: str) -> None:
        """Issue credentials with the demo login, then change the one-time password."""
        slip = await self.api.call(
            "POST", f"/identity/v1/people/{person_id}/credentials", token, {"login": login}
        )
        once = (await self.api.token(slip["login"], slip["password"]))["access_token"]
        changed = await self.api.call(
            "POST",
            "/identity/v1/me/password",
            once,
            {"old_password": slip["password"], "new_password": self.password},
        )
        self.tokens[login] = (
            changed.get("access_token")
            or (await self.api.token(login, self.password))["access_token"]
        )
        self.people[login] = person_id

    async def _staff(self, operator: str, school_id: str) -> None:
        for login, last, first, middle, roles in STAFF:
            issuer = operator if login == "admin" else self.tokens["admin"]
            person_id = await self._person(issuer, school_id, "staff", (last, first, middle), roles)
            await self._login(issuer, person_id, login)

    async def _students(self, admin: str, school_id: str) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for class_name, (_, names) in CLASSES.items():
            result[class_name] = [
                await self._person(admin, school_id, "student", n, ["student"]) for n in names
            ]
        await self._login(admin, result["5А"][0], "student1")
        return result

    async def _parent(self, admin: str, school_id: str, child: str) -> None:
        parent = await self._person(
            admin, school_id, "parent", ("Иванова", "Наталья", "Сергеевна"), ["parent"]
        )
        await self.api.call(
            "POST", "/identity/v1/guardianships", admin, {"parent_id": parent, "student_id": child}
        )
        await self._login(admin, parent, "parent1")

    def _year_bounds(self) -> tuple[int, dt.date, dt.date]:
        first = self.today.year if self.today.month >= 9 else self.today.year - 1
        return first, dt.date(first, 9, 1), dt.date(first + 1, 5, 31)

    async def _year(self, admin: str, school_id: str) -> dict[str, Any]:
        first, starts, ends = self._year_bounds()
        year = await self.api.call(
            "POST",
            f"/journal/v1/schools/{school_id}/years",
            admin,
            {
                "name": f"{first}/{first + 1}",
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
            },
        )
        quarters = [
            (dt.date(first, 9, 1), dt.date(first, 10, 26)),
            (dt.date(first, 11, 5), dt.date(first, 12, 28)),
            (dt.date(first + 1, 1, 12), dt.date(first + 1, 3, 21)),
            (dt.date(first + 1, 3, 31), dt.date(first + 1, 5, 31)),
        ]
        for number, (q_start, q_end) in enumerate(quarters, 1):
            await self.api.call(
                "POST",
                f"/journal/v1/years/{year['id']}/periods",
                admin,
                {
                    "kind": "quarter",
                    "number": number,
                    "starts_on": q_start.isoformat(),
                    "ends_on": q_end.isoformat(),
                },
            )
        await self.api.call(
            "POST",
            f"/journal/v1/years/{year['id']}/periods",
            admin,
            {
                "kind": "year",
                "number": 1,
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
            },
        )
        breaks = [
            (
                "Осенние каникулы",
                quarters[0][1] + dt.timedelta(1),
                quarters[1][0] - dt.timedelta(1),
            ),
            ("Зимние каникулы", quarters[1][1] + dt.timedelta(1), quarters[2][0] - dt.timedelta(1)),
            (
                "Весенние каникулы",
                quarters[2][1] + dt.timedelta(1),
                quarters[3][0] - dt.timedelta(1),
            ),
        ]
        for name, b_start, b_end in breaks:
            await self.api.call(
                "POST",
                f"/journal/v1/years/{year['id']}/holidays",
                admin,
                {"name": name, "starts_on": b_start.isoformat(), "ends_on": b_end.isoformat()},
            )
        return year  # type: ignore[no-any-return]

    async def _classes(
        self,
        admin: str,
        school_id: str,
        year: dict[str, Any],
        students: dict[str, list[str]],
    ) -> None:
        subjects = {}
        for name in SUBJECTS:
            subjects[name] = (
                await self.api.call(
                    "POST", f"/journal/v1/schools/{school_id}/subjects", admin, {"name": name}
                )
            )["id"]
        await self.api.call(
            "PUT",
            f"/journal/v1/schools/{school_id}/bells",
            admin,
            {
                "bells": [
                    {"number": i + 1, "starts_at": s, "ends_at": e}
                    for i, (s, e) in enumerate(BELLS)
                ]
            },
        )
        _, starts, ends = self._year_bounds()
        anchor = min(self.today, ends)
        first_day = max(starts, anchor - dt.timedelta(days=24))
        for class_name, (class_teacher, _) in CLASSES.items():
            school_class = await self.api.eventually(
                "POST",
                f"/journal/v1/years/{year['id']}/classes",
                admin,
                {
                    "name": class_name,
                    "grade": int(class_name[:-1]),
                    "class_teacher_id": self.people[class_teacher],
                },
            )
            for student in students[class_name]:
                await self.api.eventually(
                    "POST",
                    f"/journal/v1/classes/{school_class['id']}/students",
                    admin,
                    {"student_id": student, "from": starts.isoformat()},
                )
            for subject, login in TEACHES.items():
                await self.api.call(
                    "POST",
                    f"/journal/v1/classes/{school_class['id']}/assignments",
                    admin,
                    {"subject_id": subjects[subject], "teacher_id": self.people[login]},
                )
            entries = [
                {
                    "weekday": day,
                    "number": n + 1,
                    "subject_id": subjects[s],
                    "teacher_id": self.people[TEACHES[s]],
                }
                for day, names in WEEK.items()
                for n, s in enumerate(names)
            ]
            await self.api.call(
                "PUT",
                f"/journal/v1/classes/{school_class['id']}/timetable",
                admin,
                {"entries": entries},
            )
            await self.api.call(
                "POST",
                f"/journal/v1/classes/{school_class['id']}/timetable/generate",
                admin,
                {
                    "from": first_day.isoformat(),
                    "to": min(ends, anchor + dt.timedelta(days=14)).isoformat(),
                },
            )
            await self._fill(school_class["id"], class_name, students[class_name], subjects)

    def _lesson_end(self, lesson: dict[str, Any]) -> dt.datetime:
        ends = dt.time.fromisoformat(BELLS[lesson["number"] - 1][1])
        return dt.datetime.combine(dt.date.fromisoformat(lesson["date"]), ends, ZoneInfo(TIMEZONE))

    def _late(
        self, lesson: dict[str, Any], shift: tuple[dt.timedelta, dt.time], chosen: list[str]
    ) -> dt.datetime:
        """The late moment of a chosen entry, noted in `chosen`; its lesson's end when that
        moment is still ahead (the demo never writes from the future)."""
        day = dt.date.fromisoformat(lesson["date"]) + shift[0]
        at = dt.datetime.combine(day, shift[1], ZoneInfo(TIMEZONE))
        if at > self.now:
            return self._lesson_end(lesson)
        chosen.append(lesson["id"])
        return at

    async def _fill(
        self, class_id: str, class_name: str, students: list[str], subjects: dict[str, str]
    ) -> None:
        """Topics, homework, marks and attendance of every lesson over by now, at its end."""
        for subject, subject_id in subjects.items():
            teacher = self.tokens[TEACHES[subject]]
            grid = await self.api.call(
                "GET",
                f"/journal/v1/classes/{class_id}/journal",
                teacher,
                params={"subject_id": subject_id},
            )
            over = [lesson for lesson in grid["lessons"] if self._lesson_end(lesson) <= self.now]
            for index, lesson in enumerate(over):
                ends = self._lesson_end(lesson)
                marks_at = homework_at = ends
                if LATE_MARKS.get((class_name, subject)) == index:
                    marks_at = self._late(lesson, LATE_MARKS_AT, self.late_marks)
                if LATE_HOMEWORK.get((class_name, subject)) == index:
                    homework_at = self._late(lesson, LATE_HOMEWORK_AT, self.late_homework)
                await self._lesson(
                    teacher, lesson["id"], subject, index, students, ends, marks_at, homework_at
                )

    async def _lesson(
        self,
        teacher: str,
        lesson_id: str,
        subject: str,
        index: int,
        students: list[str],
        ends: dt.datetime,
        marks_at: dt.datetime,
        homework_at: dt.datetime,
    ) -> None:
        """One lesson as its teacher enters it: topic and attendance at the last bell (`ends`),
        homework and marks then too unless the seed chose a later moment for them. Only the
        seeding task's own requests see these times."""
        n = 10 + index
        homework = self.rng.choice(HOMEWORK).format(n=n, e=100 + 3 * index, f=101 + 3 * index)
        record = {"topic": TOPICS[subject][index % len(TOPICS[subject])]}
        with travelling_to(ends):
            if homework_at == ends:
                record["homework"] = homework
            await self.api.call("PATCH", f"/journal/v1/lessons/{lesson_id}", teacher, record)
            absent = await self._attendance(teacher, lesson_id, students)
        if homework_at != ends:
            with travelling_to(homework_at):
                await self.api.call(
                    "PATCH", f"/journal/v1/lessons/{lesson_id}", teacher, {"homework": homework}
                )
        with travelling_to(marks_at):
            await self._marks(teacher, lesson_id, index, [s for s in students if s not in absent])

    async def _attendance(self, teacher: str, lesson_id: str, students: list[str]) -> list[str]:
        """Attendance of the whole class; the absent students."""
        absent = self.rng.sample(students, k=self.rng.choice((0, 1, 1, 2)))
        await self.api.call(
            "PUT",
            f"/journal/v1/lessons/{lesson_id}/attendance",
            teacher,
            {
                "entries": [
                    {"student_id": s, "status": "absent" if s in absent else "present"}
                    for s in students
                ]
            },
        )
        return absent

    async def _marks(self, teacher: str, lesson_id: str, index: int, present: list[str]) -> None:
        graded = self.rng.sample(present, k=min(len(present), self.rng.randint(2, 5)))
        work_type = "control" if index % 6 == 5 else self.rng.choice(("answer", "homework", "test"))
        marks = [
            {
                "student_id": s,
                "value": self.rng.choices((5, 4, 3, 2), (4, 5, 3, 1))[0],
                "work_type": work_type,
            }
            for s in graded
        ]
        if marks:
            await self.api.call(
                "POST", f"/journal/v1/lessons/{lesson_id}/marks", teacher, {"marks": marks}
            )


async def seed_demo_once(platform: Any) -> None:
    """Seed in the background once the platform runs, so it answers at once."""
    marker = platform.settings.data_dir / "demo-seeded.json"
    if marker.exists():
        platform.demo_ready.set()
        return
    platform.background_tasks.add(asyncio.create_task(_seed(platform, marker)))


async def _seed(platform: Any, marker: Any) -> None:
    from kit.usecase import Actor, UseCase
    from services.identity.service.operators import ensure_operator

    password = os.environ.get("EJ_DEMO_PASSWORD", "demo-password")
    try:
        identity = platform.apps["identity"].state.runtime
        async with identity.db.unit_of_work() as session:
            uc = UseCase(session, identity.outbox, Actor.system(None), identity.clock)
            await ensure_operator(uc, "operator", password)
        transport = httpx.ASGITransport(app=platform.asgi())
        async with httpx.AsyncClient(transport=transport, base_url="http://demo", timeout=60) as c:
            summary = await Demo(Api(c), password, Clock().now()).seed()
        written = marker.with_suffix(".tmp")  # whole or absent: tests wait for this file
        written.write_text(json.dumps(summary), encoding="utf-8")
        written.replace(marker)
        log.info("demo_seeded", **summary)
    except Exception as exc:
        log.exception("demo_seed_failed", error=str(exc))
        platform.demo_error = str(exc)
    finally:
        platform.demo_ready.set()
