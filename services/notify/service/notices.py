"""What notify tells people, worded in Russian (R-MRK-9: records are kept in Russian).

Every notice has a title (the e-mail's subject and the feed's heading) and a text (one
paragraph). The wording is here and only here, so every channel says the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from contracts.grading import period_mark_label

WORK_TYPES = {
    "answer": "ответ на уроке",
    "homework": "домашняя работа",
    "independent": "самостоятельная работа",
    "dictation": "диктант",
    "test": "проверочная работа",
    "lab": "лабораторная работа",
    "essay": "сочинение",
    "control": "контрольная работа",
}
PERIOD_KINDS = {"quarter": "четверть", "trimester": "триместр", "half": "полугодие", "year": "год"}

FOOTER = (
    "Письмо отправлено электронным журналом школы автоматически, отвечать на него не нужно. "
    "Изменить или отменить рассылку можно в личном кабинете (раздел «Подписки»)."
)


@dataclass(frozen=True)
class Notice:
    """Извещение: what one event tells a parent (or a recipient of internal mail)."""

    title: str
    text: str


@dataclass(frozen=True)
class MarkFacts:
    """What a notice about a mark names: whose, in which subject, on which day."""

    student: str | None
    subject: str | None
    date: dt.date | None
    work_type: str | None = None


def russian_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def work_type_name(code: str) -> str:
    """The default work types in words; a school's own type keeps its code."""
    return WORK_TYPES.get(code, code)


def period_value(value: str | int) -> str:
    """A period mark as people read it («ОСВ», «н/а», «5»…), worded by `contracts.grading`."""
    return period_mark_label(value)


def period_name(kind: str | None, number: int | None) -> str | None:
    if kind is None:
        return None
    word = PERIOD_KINDS.get(kind, kind)
    return word if kind == "year" or number is None else f"{number} {word}"


def _about(facts: MarkFacts) -> str | None:
    """«по предмету «Математика» за 27.11.2026», as much of it as is known."""
    return _words(
        f"по предмету «{facts.subject}»" if facts.subject else None,
        f"за {russian_date(facts.date)}" if facts.date else None,
    )


def _words(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _whose(facts: MarkFacts) -> str:
    return f"{facts.student}: " if facts.student else ""


def _title(what: str, facts: MarkFacts) -> str:
    tail = ", ".join(p for p in (facts.student, facts.subject) if p)
    return f"{what}: {tail}" if tail else what


def mark_recorded(value: int, facts: MarkFacts, comment: str | None) -> Notice:
    work = f"({work_type_name(facts.work_type)})" if facts.work_type else None
    text = _words(f"{_whose(facts)}отметка «{value}»", _about(facts), work) + "."
    if comment:
        text += f" Комментарий учителя: {comment}"
    return Notice(_title("Новая отметка", facts), text)


def mark_corrected(old: int, new: int, reason: str, facts: MarkFacts) -> Notice:
    text = _words(
        f"{_whose(facts)}отметка",
        _about(facts),
        f"исправлена: «{old}» → «{new}». Причина: {reason}",
    )
    return Notice(_title("Отметка исправлена", facts), text)


def mark_cancelled(value: int | None, reason: str, facts: MarkFacts) -> Notice:
    text = _words(
        f"{_whose(facts)}отметка",
        f"«{value}»" if value is not None else None,
        _about(facts),
        f"отменена. Причина: {reason}",
    )
    return Notice(_title("Отметка отменена", facts), text)


def period_mark(
    value: str, old_value: str | None, period: str | None, facts: MarkFacts, *, corrected: bool
) -> Notice:
    if old_value is not None:
        change = f"изменена: «{period_value(old_value)}» → «{period_value(value)}»."
    else:
        change = f"выставлена: «{period_value(value)}»."
    text = _words(
        f"{_whose(facts)}итоговая отметка",
        f"за {period}" if period else None,
        f"по предмету «{facts.subject}»" if facts.subject else None,
        change,
    )
    if corrected:
        text += " Исправление внесено заместителем директора по объяснительной учителя."
    return Notice(_title("Итоговая отметка", facts), text)


def new_message(sender: str | None, subject: str, body: str) -> Notice:
    who = f" от {sender}" if sender else ""
    return Notice(
        f"Новое сообщение{who}: {subject}", f"Сообщение{who}, тема «{subject}»:\n\n{body}"
    )


def email_body(notice: Notice) -> str:
    return f"Здравствуйте!\n\n{notice.text}\n\n--\n{FOOTER}\n"


def digest(kind: str, day: dt.date, items: Sequence[str]) -> Notice:
    """One e-mail for a day's or a week's notices, oldest first."""
    if kind == "weekly":
        title = f"Электронный дневник: сводка за неделю по {russian_date(day)}"
    else:
        title = f"Электронный дневник: сводка за {russian_date(day)}"
    lines = "\n\n".join(f"• {text}" for text in items)
    return Notice(title, f"Новое в дневнике ({len(items)}):\n\n{lines}")


def full_name(last_name: str, first_name: str, middle_name: str | None = None) -> str:
    return " ".join(p for p in (last_name, first_name, middle_name) if p)
