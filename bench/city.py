"""The city the benchmarks run on: the journal's database (and identity's accounts) loaded by COPY.

At `--scale 1.0` a quarter of a 200-school city: 50 schools of 30 classes × 25 students, 12
subjects, a quarter of lessons from a weekly timetable (6 a day, Monday to Friday), every student
marked once at every lesson already held (≈ 20 marks per student per subject over the quarter),
an absence or so per lesson, a history link per mark (hash-chained as the journal chains them,
with each school's `history_head` at the chain's end, so the journal extends it), one stored
`Idempotency-Key` answer per lesson's marks request, the outbox rows of the last 7 days' marks
(published: the relay keeps them that long), periods, years, teaching assignments,
enrolments, guardianships (one parent per student, a second for every third), bells and the
timetable. `--scale` shrinks the number of classes linearly (and of schools, at least one).

The bench's quarter is placed around the real date in the schools' zone (the journal decides
"today" by the wall clock): it starts 4 weeks before today and ends 26 days after. Lessons before
today carry topic, homework, marks and attendance; today's lessons and later ones carry nothing,
so a write case can post today's marks inside the entry window. One class of school 0 has 35
students and is marked at every lesson of the quarter but today's: the grid a teacher reads.

    city = await load_journal(journal_url, scale)      # COPY, then ANALYZE; prints rows/s
    await load_identity(identity_url, city)            # the same people as accounts
    city.teachers[0].login, city.password              # every account logs in with it
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from bench.identity_seed import BENCH_PASSWORD, password_hash
from contracts.journal import MarkRecorded
from kit.db import new_id
from kit.events import Envelope
from services.journal.rules.work_types import DEFAULT_WORK_TYPES
from services.journal.service.history import link_hash

ZONE = "Europe/Moscow"
SCHOOLS = 50
"""A quarter of a 200-school city at scale 1.0."""
CLASSES_PER_SCHOOL = 30
STUDENTS_PER_CLASS = 25
GRID_STUDENTS = 35
LESSONS_PER_DAY = 6
SUBJECT_NAMES = (
    "Русский язык",
    "Литература",
    "Математика",
    "История",
    "Обществознание",
    "Английский язык",
    "География",
    "Биология",
    "Физика",
    "Информатика",
    "Физическая культура",
    "Музыка",
)
WEEKLY = (3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2)
"""Lessons a week per subject: 30 = 5 days × 6 lessons."""
CLASSES_PER_TEACHER = {3: 7, 2: 10}
"""About 20 lessons a week per teacher."""
DEPUTIES_PER_SCHOOL = 2
OUTBOX_RETENTION = dt.timedelta(days=7)
"""kit.outbox's relay deletes published rows after 7 days: the outbox holds the last week's."""
WORK_TYPES = ("answer", "homework", "test", "answer", "independent", "answer", "control")
LAST = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов")
FIRST = ("Анна", "Мария", "Иван", "Пётр", "Ольга", "Дмитрий", "Елена", "Сергей")


@dataclass(frozen=True)
class TodayLesson:
    """A lesson of the bench's day: no marks yet (the write case posts them)."""

    lesson_id: str
    school_id: str
    class_id: str
    subject_id: str
    number: int
    teacher_id: str
    teacher_account_id: str
    teacher_login: str
    students: tuple[str, ...]


@dataclass
class Teacher:
    person_id: str
    account_id: str
    login: str
    school_id: str
    subject_id: str
    classes: list[str] = field(default_factory=list)
    today: list[TodayLesson] = field(default_factory=list)


@dataclass(frozen=True)
class Parent:
    person_id: str
    account_id: str
    login: str
    school_id: str
    child_id: str


@dataclass(frozen=True)
class Student:
    person_id: str
    account_id: str
    login: str
    school_id: str
    class_id: str


@dataclass(frozen=True)
class Deputy:
    person_id: str
    account_id: str
    login: str
    school_id: str


@dataclass(frozen=True)
class Grid:
    """A class of 35 over the quarter, marked at every lesson but today's, and its teacher."""

    school_id: str
    class_id: str
    subject_id: str
    period_id: str
    teacher: Teacher
    students: tuple[str, ...]


@dataclass(frozen=True)
class _Person:
    """What identity needs to know of a person to give them an account."""

    id: str
    school_id: str
    kind: str
    roles: tuple[str, ...]
    last_name: str
    first_name: str
    account_id: str
    login: str


@dataclass
class City:
    today: dt.date
    quarter: tuple[dt.date, dt.date]
    schools: list[str] = field(default_factory=list)
    periods: dict[str, str] = field(default_factory=dict)
    """school id → the bench quarter's period id"""
    subjects: dict[str, list[str]] = field(default_factory=dict)
    teachers: list[Teacher] = field(default_factory=list)
    parents: list[Parent] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    deputies: list[Deputy] = field(default_factory=list)
    grid: Grid | None = None
    diary_student: Student | None = None
    password: str = BENCH_PASSWORD
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    people: list[_Person] = field(default_factory=list)
    guardianships: list[tuple[str, str, str]] = field(default_factory=list)
    """(school, parent, student)"""
    classes: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    """(class, school, year, name, grade)"""
    enrolments: list[tuple[str, str, str]] = field(default_factory=list)
    """(school, class, student)"""

    @property
    def today_lessons(self) -> list[TodayLesson]:
        return [x for t in self.teachers for x in t.today]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def bench_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(ZONE)).date()


def _year_start(today: dt.date) -> dt.date:
    return dt.date(today.year if today.month >= 8 else today.year - 1, 9, 1)


def _bell(number: int) -> tuple[dt.time, dt.time]:
    start = dt.datetime(2000, 1, 1, 8, 0) + dt.timedelta(minutes=55 * (number - 1))
    return start.time(), (start + dt.timedelta(minutes=45)).time()


def _school_days(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """Monday to Friday, and the bench's day whatever it is (so it has lessons to mark)."""
    days, day = [], start
    while day <= end:
        if day.isoweekday() <= 5 or day == today:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _weekly_pattern() -> list[int]:
    """Subject indices for the 30 weekly slots (day-major), no subject twice in a day."""
    pattern = [s for rnd in range(max(WEEKLY)) for s in range(len(WEEKLY)) if WEEKLY[s] > rnd]
    assert len(pattern) == 5 * LESSONS_PER_DAY
    return pattern


def _login(prefix: str, school_no: int, n: int) -> str:
    return f"{prefix}{school_no}.{n}"


class _Rows:
    """Rows of one school per table, as tuples in the column order given once."""

    def __init__(self) -> None:
        self.columns: dict[str, tuple[str, ...]] = {}
        self.rows: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, table: str, **values: Any) -> None:
        if table not in self.columns:
            self.columns[table] = tuple(values)
            self.rows[table] = []
        self.rows[table].append(tuple(values.values()))

    async def copy(self, conn: asyncpg.Connection, counts: dict[str, int]) -> None:
        for table, rows in self.rows.items():
            if rows:
                await conn.copy_records_to_table(table, records=rows, columns=self.columns[table])
                counts[table] = counts.get(table, 0) + len(rows)


def _sizes(scale: float) -> tuple[int, int]:
    """(schools, classes per school) for a scale: classes shrink linearly, schools too."""
    classes = max(2, round(SCHOOLS * CLASSES_PER_SCHOOL * scale))
    schools = max(1, min(SCHOOLS, round(SCHOOLS * scale)))
    return schools, math.ceil(classes / schools)


async def load_journal(url: str, scale: float, *, seed: int = 9) -> City:
    """Load the journal's database at `url` (migrated, empty) by COPY, ANALYZE it, and say
    what was loaded. Prints the rows loaded and rows/s."""
    rng = random.Random(seed)
    today = bench_today()
    year_start = _year_start(today)
    start = max(year_start, today - dt.timedelta(days=28))
    end = today + dt.timedelta(days=26)
    city = City(today=today, quarter=(start, end))
    schools, classes = _sizes(scale)
    started = time.perf_counter()
    conn = await asyncpg.connect(plain_url(url))
    try:
        for school_no in range(schools):
            rows = _school(city, rng, school_no, classes, year_start)
            await rows.copy(conn, city.rows)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    city.seconds = time.perf_counter() - started
    total = city.total_rows
    print(
        f"city: {schools} schools × {classes} classes, {total:,} journal rows "
        f"(marks {city.rows.get('mark', 0):,}, history {city.rows.get('history', 0):,}) "
        f"in {city.seconds:.1f} s: {total / city.seconds:,.0f} rows/s",
        flush=True,
    )
    return city


def _person(
    city: City, rows: _Rows, school: str, school_no: int, kind: str, roles: Sequence[str], n: int
) -> _Person:
    prefix = {"student": "s", "parent": "p"}.get(kind, "d" if "deputy" in roles else "t")
    person = _Person(
        id=new_id(),
        school_id=school,
        kind=kind,
        roles=tuple(sorted(roles)),
        last_name=LAST[n % len(LAST)],
        first_name=FIRST[(n // len(LAST)) % len(FIRST)],
        account_id=new_id(),
        login=_login(prefix, school_no, n),
    )
    city.people.append(person)
    rows.add(
        "person",
        id=person.id,
        school_id=school,
        kind=kind,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=None,
        roles=",".join(person.roles),
    )
    return person


def _school(
    city: City, rng: random.Random, school_no: int, n_classes: int, year_start: dt.date
) -> _Rows:
    rows = _Rows()
    today, (start, end) = city.today, city.quarter
    school, year = new_id(), new_id()
    city.schools.append(school)
    rows.add(
        "school",
        id=school,
        name=f"Школа № {school_no + 1}",
        timezone=ZONE,
        homework_limit_minutes=120,
        mark_cutoff=dt.time(16, 0),
        sequence=None,
    )
    rows.add(
        "school_year",
        id=year,
        school_id=school,
        name=f"{year_start.year}/{year_start.year + 1}",
        starts_on=year_start,
        ends_on=dt.date(year_start.year + 1, 5, 31),
        closed_on=None,
    )
    number = 1
    if start > year_start + dt.timedelta(days=14):
        rows.add(
            "period",
            id=new_id(),
            school_id=school,
            year_id=year,
            kind="quarter",
            number=1,
            starts_on=year_start,
            ends_on=start - dt.timedelta(days=1),
        )
        number = 2
    period = new_id()
    city.periods[school] = period
    rows.add(
        "period",
        id=period,
        school_id=school,
        year_id=year,
        kind="quarter",
        number=number,
        starts_on=start,
        ends_on=end,
    )
    for n in range(1, LESSONS_PER_DAY + 2):
        begins, ends = _bell(n)
        rows.add("bell", school_id=school, number=n, starts_at=begins, ends_at=ends)
    subjects = [new_id() for _ in SUBJECT_NAMES]
    city.subjects[school] = subjects
    for subject, name in zip(subjects, SUBJECT_NAMES, strict=True):
        rows.add("subject", id=subject, school_id=school, name=name)

    staff_no = 0
    # teachers: subject s of class c is taught by teachers[s][c // CLASSES_PER_TEACHER]
    teachers: list[list[Teacher]] = []
    for s, weekly in enumerate(WEEKLY):
        per = CLASSES_PER_TEACHER[weekly]
        pool = []
        for _ in range(math.ceil(n_classes / per)):
            p = _person(city, rows, school, school_no, "staff", ["teacher"], staff_no)
            staff_no += 1
            teacher = Teacher(p.id, p.account_id, p.login, school, subjects[s])
            pool.append(teacher)
            city.teachers.append(teacher)
        teachers.append(pool)
    for _ in range(DEPUTIES_PER_SCHOOL):
        p = _person(city, rows, school, school_no, "staff", ["deputy", "teacher"], staff_no)
        staff_no += 1
        city.deputies.append(Deputy(p.id, p.account_id, p.login, school))

    days = _school_days(start, end, today)
    published_since = today - OUTBOX_RETENTION
    pattern = _weekly_pattern()
    at_hash = "0" * 64
    seq = 0
    student_no = parent_no = 0
    fp_body_marks: list[dict[str, Any]]
    for c in range(n_classes):
        grid = school_no == 0 and c == 0
        size = GRID_STUDENTS if grid else STUDENTS_PER_CLASS
        class_id = new_id()
        grade = 5 + c % 7
        name = f"{grade}-{c + 1}"
        rows.add(
            "school_class",
            id=class_id,
            school_id=school,
            year_id=year,
            name=name,
            grade=grade,
            class_teacher_id=None,
        )
        city.classes.append((class_id, school, year, name, grade))
        students: list[str] = []
        for _ in range(size):
            p = _person(city, rows, school, school_no, "student", ["student"], student_no)
            student_no += 1
            students.append(p.id)
            student = Student(p.id, p.account_id, p.login, school, class_id)
            city.students.append(student)
            city.enrolments.append((school, class_id, p.id))
            rows.add(
                "enrolment",
                id=new_id(),
                school_id=school,
                class_id=class_id,
                student_id=p.id,
                from_on=year_start,
                until_on=None,
                left_reason=None,
            )
            for _ in range(2 if student_no % 3 == 0 else 1):
                g = _person(city, rows, school, school_no, "parent", ["parent"], parent_no)
                parent_no += 1
                city.parents.append(Parent(g.id, g.account_id, g.login, school, p.id))
                city.guardianships.append((school, g.id, p.id))
                rows.add("guardianship", school_id=school, parent_id=g.id, student_id=p.id)
            if school_no == 0 and c == 1 and city.diary_student is None:
                city.diary_student = student
        taught = []
        for s, weekly in enumerate(WEEKLY):
            teacher = teachers[s][c // CLASSES_PER_TEACHER[weekly]]
            teacher.classes.append(class_id)
            taught.append(teacher)
            rows.add(
                "teaching_assignment",
                id=new_id(),
                school_id=school,
                class_id=class_id,
                subject_id=subjects[s],
                teacher_id=teacher.person_id,
                group_id=None,
            )
        if grid:
            city.grid = Grid(school, class_id, subjects[0], period, taught[0], tuple(students))
        for slot, s in enumerate(pattern):
            rows.add(
                "timetable_entry",
                id=new_id(),
                school_id=school,
                class_id=class_id,
                subject_id=subjects[s],
                group_id=None,
                teacher_id=taught[s].person_id,
                room_id=None,
                weekday=(slot // LESSONS_PER_DAY + c) % 5 + 1,
                number=(slot + c) % LESSONS_PER_DAY + 1,
            )
        for day_no, day in enumerate(days):
            weekday = (day.isoweekday() - 1) % 5  # the bench's day on a weekend runs as Monday
            held = day < today or (grid and day != today)
            for n in range(LESSONS_PER_DAY):
                slot = ((weekday - c) % 5) * LESSONS_PER_DAY + (n - c) % LESSONS_PER_DAY
                s = pattern[slot]
                teacher = taught[s]
                lesson = new_id()
                rows.add(
                    "lesson",
                    id=lesson,
                    school_id=school,
                    class_id=class_id,
                    subject_id=subjects[s],
                    group_id=None,
                    teacher_id=teacher.person_id,
                    substitute_id=None,
                    room_id=None,
                    date=day,
                    number=n + 1,
                    topic=f"Тема {day_no + 1}" if held else None,
                    homework=f"§{day_no + 1}, № {n + 1}" if held else None,
                    homework_set_at=None,
                    homework_late=False,
                )
                if day == today:
                    teacher.today.append(
                        TodayLesson(
                            lesson,
                            school,
                            class_id,
                            subjects[s],
                            n + 1,
                            teacher.person_id,
                            teacher.account_id,
                            teacher.login,
                            tuple(students),
                        )
                    )
                if not held:
                    continue
                ends = dt.datetime.combine(day, _bell(n + 1)[1], ZoneInfo(ZONE))
                created = (ends + dt.timedelta(minutes=rng.randrange(1, 30))).astimezone(dt.UTC)
                fp_body_marks = []
                out_marks = []
                for i, student_id in enumerate(students):
                    work = WORK_TYPES[(i + day_no) % len(WORK_TYPES)]
                    value = rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 5))
                    mark = new_id()
                    weight = float(DEFAULT_WORK_TYPES[work][1])
                    rows.add(
                        "mark",
                        id=mark,
                        school_id=school,
                        lesson_id=lesson,
                        student_id=student_id,
                        class_id=class_id,
                        subject_id=subjects[s],
                        period_id=period,
                        date=day,
                        value=value,
                        work_type=work,
                        weight=weight,
                        comment=None,
                        document=None,
                        teacher_id=teacher.person_id,
                        status="active",
                        created_at=created,
                        entered_late=False,
                    )
                    seq += 1
                    link = {
                        "school_id": school,
                        "seq": seq,
                        "entity": "mark",
                        "entity_id": mark,
                        "action": "recorded",
                        "before": None,
                        "after": json.dumps(
                            {"status": "active", "value": value, "work_type": work},
                            ensure_ascii=False,
                            sort_keys=True,
                        ),
                        "reason": None,
                        "note": None,
                        "account_id": teacher.account_id,
                        "person_id": teacher.person_id,
                        "at": created,
                    }
                    link_value = link_hash(at_hash, link)
                    rows.add(
                        "history",
                        **link,
                        prev_hash=at_hash,
                        hash=link_value,
                        invalid=False,
                        compromise_id=None,
                    )
                    at_hash = link_value
                    if day >= published_since:
                        _published(
                            rows,
                            school,
                            teacher.account_id,
                            MarkRecorded(
                                mark_id=mark,
                                lesson_id=lesson,
                                student_id=student_id,
                                class_id=class_id,
                                subject_id=subjects[s],
                                period_id=period,
                                value=value,
                                work_type=work,
                                weight=weight,
                                date=day,
                                teacher_id=teacher.person_id,
                                comment=None,
                                document=None,
                                entered_late=False,
                                recorded_at=created,
                            ),
                            created,
                        )
                    fp_body_marks.append(
                        {
                            "student_id": student_id,
                            "value": value,
                            "work_type": work,
                            "weight": None,
                            "comment": None,
                            "document": None,
                        }
                    )
                    out_marks.append(
                        {
                            "id": mark,
                            "lesson_id": lesson,
                            "student_id": student_id,
                            "value": value,
                            "work_type": work,
                            "weight": weight,
                            "comment": None,
                            "document": None,
                            "status": "active",
                            "entered_late": False,
                        }
                    )
                absent = students[rng.randrange(len(students))]
                rows.add(
                    "attendance",
                    id=new_id(),
                    school_id=school,
                    lesson_id=lesson,
                    student_id=absent,
                    status="absent",
                    reason=rng.choice((None, "illness", "family")),
                )
                request = {"lesson_id": lesson, "marks": fp_body_marks}
                rows.add(
                    "idempotency_key",
                    actor_id=teacher.account_id,
                    key=secrets.token_hex(16),
                    fingerprint=hashlib.sha256(
                        json.dumps(request, sort_keys=True).encode()
                    ).hexdigest(),
                    status=201,
                    body=json.dumps(
                        {"marks": out_marks}, ensure_ascii=False, separators=(",", ":")
                    ),
                    created_at=created,
                )
    rows.add("history_head", school_id=school, seq=seq, hash=at_hash)
    return rows


def _published(rows: _Rows, school: str, actor: str, event: MarkRecorded, at: dt.datetime) -> None:
    """The outbox row of an event the relay published long ago, as `kit.outbox` stores it."""
    envelope = Envelope.wrap(event, school_id=school, actor_id=actor).model_copy(
        update={"time": at}
    )
    rows.add(
        "outbox",
        event_id=envelope.id,
        event_type=envelope.type,
        school_id=school,
        aggregate_id=envelope.subject,
        envelope=envelope.model_dump_json(),
        created_at=at,
        sent_at=at + dt.timedelta(milliseconds=40),
        attempts=0,
        last_error=None,
        claimed_until=None,
    )


async def load_identity(url: str, city: City) -> None:
    """The city's people as identity knows them, each with an active account whose password is
    `city.password` (one argon2id hash with identity's configured cost: identity_seed's), and
    identity's copies of the classes and enrolments. Not `identity_seed.seed_identity`: the
    accounts keep the ids the journal's history links and idempotency rows already name."""
    started = time.perf_counter()
    hashed = password_hash(city.password)
    now = dt.datetime.now(dt.UTC)
    rows = _Rows()
    for n, school in enumerate(city.schools):
        rows.add("school", id=school, name=f"Школа № {n + 1}", timezone=ZONE, created_at=now)
    for p in city.people:
        rows.add(
            "person",
            id=p.id,
            school_id=p.school_id,
            kind=p.kind,
            last_name=p.last_name,
            first_name=p.first_name,
            middle_name=None,
            birth_date=None,
            sex=None,
            email=None,
            roles=json.dumps(list(p.roles)),
            natural_key=hashlib.sha256(p.id.encode()).hexdigest(),
            created_at=now,
            updated_at=now,
            created_by=None,
        )
        rows.add(
            "account",
            id=p.account_id,
            school_id=p.school_id,
            person_id=p.id,
            login=p.login,
            password_hash=hashed,
            operator=False,
            status="active",
            password_change_required=False,
            pending_password=None,
            credentials_issued_at=now,
            credentials_issued_by=None,
            password_changed_at=now,
            compromised_at=None,
            last_login_at=None,
            created_at=now,
        )
    for school, parent, student in city.guardianships:
        rows.add(
            "guardianship",
            school_id=school,
            parent_id=parent,
            student_id=student,
            created_at=now,
            created_by=None,
        )
    for class_id, school, year, name, grade in city.classes:
        rows.add(
            "school_class",
            id=class_id,
            school_id=school,
            year_id=year,
            name=name,
            grade=grade,
            class_teacher_id=None,
        )
    for school, class_id, student in city.enrolments:
        rows.add(
            "enrolment",
            school_id=school,
            student_id=student,
            class_id=class_id,
            change="enrolled",
            date=_year_start(city.today),
            sequence=None,
        )
    counts: dict[str, int] = {}
    conn = await asyncpg.connect(plain_url(url))
    try:
        await rows.copy(conn, counts)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"identity: {counts.get('account', 0):,} accounts, {total:,} rows in {seconds:.1f} s: "
        f"{total / seconds:,.0f} rows/s",
        flush=True,
    )
