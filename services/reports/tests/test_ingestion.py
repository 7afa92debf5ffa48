"""The read model fed by events: once each, in any order, and fast enough to be real time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.journal import ClassOpened
from kit.events import Envelope
from kit.testing.events import build, envelope
from kit.testing.services import eventually
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

D = dt.date


async def sheet_json(
    reports: Reports, s: SchoolStory, class_id: str, period: str
) -> dict[str, Any]:
    response = await reports.sheet(class_id, period, reports.headers(["deputy"], s.school_id))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_redelivered_events_change_nothing(reports: Reports) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("6Б", 6, teacher)
    student = s.student(c, "Орлова", "Нина")
    math = s.subject("Математика")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 10))
    mark = s.mark(lesson, student, 4)
    s.mark(lesson, student, 5)
    s.correct(mark, 3)
    s.period_mark(c, math, s.quarters[1], student, "4")
    events = s.take()
    await reports.feed(events)
    first = await sheet_json(reports, s, c, s.quarters[1])

    await reports.feed(events)  # the whole history again
    await reports.feed([events[-1], events[-2], events[-2]])  # and duplicates in one batch
    again = await sheet_json(reports, s, c, s.quarters[1])
    cell = again["students"][0]["cells"][math]
    assert (cell["count"], cell["average"], cell["period_mark"]) == (2, 4.0, "4")
    assert {**again, "generated_at": None} == {**first, "generated_at": None}


async def test_facts_that_arrive_before_their_class_subject_and_names_are_kept(
    reports: Reports,
) -> None:
    s = SchoolStory()
    periods = s.take()  # the year and its periods are known
    await reports.feed(periods)
    teacher = s.teacher()
    c = s.open_class("7В", 7, teacher)
    student = s.student(c, "Кузнецов", "Илья")
    math = s.subject("Алгебра")
    definitions = s.take()
    lesson = s.lesson(c, math, teacher, D(2026, 11, 11))
    s.mark(lesson, student, 5)
    await reports.feed(s.take())  # the mark, before its class, subject and student

    early = await sheet_json(reports, s, c, s.quarters[1])
    assert early["class_name"] is None
    assert early["subjects"][0]["name"] is None
    assert early["students"][0]["name"] is None
    assert early["students"][0]["cells"][math]["count"] == 1

    await reports.feed(definitions)
    late = await sheet_json(reports, s, c, s.quarters[1])
    assert late["class_name"] == "7В"
    assert late["subjects"][0]["name"] == "Алгебра"
    assert late["students"][0]["name"] == "Кузнецов Илья"
    assert late["students"][0]["enrolled_at_end"] is True


async def test_an_older_event_of_an_aggregate_never_overwrites_a_newer_one(
    reports: Reports,
) -> None:
    s = SchoolStory()
    await reports.feed(s.take())
    teacher = s.teacher()
    c = s.open_class("8А", 8, teacher)
    student = s.student(c, "Соколова", "Мария")
    math = s.subject("Геометрия")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 12))
    kept = s.mark(lesson, student, 2)
    s.correct(kept, 4)
    gone = s.mark(lesson, student, 3)
    s.cancel(gone)
    s.rename(student, "student", "Соколова-Ильина", "Мария")
    s.period_mark(c, math, s.quarters[1], student, "3")
    pm = s.period_mark(c, math, s.quarters[1], student, "4", corrected=True)
    events = s.take()
    by_type: dict[str, list[Envelope]] = {}
    for e in events:
        by_type.setdefault(e.type, []).append(e)
    # newest first: each aggregate's later events arrive before its earlier ones
    await reports.feed(list(reversed(events)))
    sheet = await sheet_json(reports, s, c, s.quarters[1])
    cell = sheet["students"][0]["cells"][math]
    assert (cell["count"], cell["average"]) == (1, 4.0)  # corrected 2→4; 3 cancelled
    assert cell["period_mark"] == "4" and pm
    assert sheet["students"][0]["name"] == "Соколова-Ильина Мария"

    # a stale copy of the class with an older sequence does not rename it back
    opened = by_type["journal.class.opened.v1"][0]
    renamed = build(ClassOpened, **opened.event().model_dump() | {"name": "8Б"})
    newer = (opened.sequence or 0) + 10_000
    await reports.feed([envelope(renamed, school_id=s.school_id, sequence=newer)])
    await reports.feed([opened.model_copy(update={"id": f"{opened.id[:-4]}cafe"})])
    assert (await sheet_json(reports, s, c, s.quarters[1]))["class_name"] == "8Б"


async def test_a_mark_sent_through_rabbitmq_shows_on_the_sheet_R_RPT_1(reports: Reports) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("9А", 9, teacher)
    student = s.student(c, "Новиков", "Павел")
    math = s.subject("Информатика")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 16))
    await reports.runtime.bus.publish(s.take())
    s.mark(lesson, student, 5)
    await reports.runtime.bus.publish(s.take())

    async def visible() -> bool:
        response = await reports.sheet(c, s.quarters[1], reports.headers(["deputy"], s.school_id))
        if response.status_code != 200:
            return False
        rows = response.json()["students"]
        return bool(rows) and rows[0]["cells"].get(math, {}).get("count") == 1

    await eventually(visible)


async def test_a_redelivered_message_from_rabbitmq_is_applied_once(reports: Reports) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("10А", 10, teacher)
    student = s.student(c, "Фёдоров", "Роман")
    math = s.subject("Физика")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 17))
    s.mark(lesson, student, 3)
    events = s.take()
    await reports.runtime.bus.publish(events)
    await reports.runtime.bus.publish(events[-1:])  # the broker hands the mark over again
    s.mark(lesson, student, 5)
    await reports.runtime.bus.publish(s.take())

    async def both_marks() -> dict[str, Any]:
        sheet = await sheet_json(reports, s, c, s.quarters[1])
        cell = sheet["students"][0]["cells"].get(math) if sheet["students"] else None
        return cell if cell and cell["count"] >= 2 else {}

    cell = await eventually(both_marks)
    assert (cell["count"], cell["average"]) == (2, 4.0)


async def test_two_corrections_of_a_mark_delivered_newest_first_keep_the_newest_R_MRK_5(
    reports: Reports,
) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("11А", 11, teacher)
    student = s.student(c, "Титов", "Олег")
    math = s.subject("Алгебра")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 18))
    mark = s.mark(lesson, student, 2)
    await reports.feed(s.take())
    s.correct(mark, 3)
    s.correct(mark, 5)
    first, second = s.take()
    await reports.feed([second])
    await reports.feed([first])
    cell = (await sheet_json(reports, s, c, s.quarters[1]))["students"][0]["cells"][math]
    assert cell["average"] == 5.0


async def test_a_cancelled_lesson_leaves_the_sheet_even_when_it_overtakes_its_lesson(
    reports: Reports,
) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("9А", 9, teacher)
    student = s.student(c, "Лебедев", "Пётр")
    math, history = s.subject("Математика"), s.subject("История")
    s.mark(s.lesson(c, math, teacher, D(2026, 11, 16)), student, 5)
    kept = s.take()
    dropped = s.lesson(c, history, teacher, D(2026, 11, 17))
    recorded = s.take()
    s.cancel_lesson(dropped, "карантин")
    cancelled = s.take()
    await reports.feed(kept + cancelled)  # the cancellation overtakes its lesson
    await reports.feed(recorded)
    sheet = await sheet_json(reports, s, c, s.quarters[1])
    assert [x["name"] for x in sheet["subjects"]] == ["Математика"]

    await reports.feed([e.model_copy(update={"id": f"{e.id[:-4]}0001"}) for e in recorded])
    again = await sheet_json(reports, s, c, s.quarters[1])  # a stale copy brings nothing back
    assert [x["name"] for x in again["subjects"]] == ["Математика"]

    s.lesson(c, history, teacher, dropped.date, lesson_id=dropped.lesson_id)
    await reports.feed(s.take())  # put back (R-SEC-4): a newer record of the same lesson
    back = await sheet_json(reports, s, c, s.quarters[1])
    assert sorted(x["name"] for x in back["subjects"]) == ["История", "Математика"]
