"""Notify's rules without infrastructure: who writes to whom, wording, digest boundaries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from contracts.identity import Role
from services.notify import policy
from services.notify.adapters.webhook_sender import signature
from services.notify.service import digests, notices
from services.notify.service.notices import MarkFacts
from services.notify.settings import NotifySettings

MOSCOW = ZoneInfo("Europe/Moscow")
STAFF_WRITERS = {"school_admin", "director", "deputy", "teacher"}


@pytest.mark.parametrize("kind", ["staff", "student", "parent"])
@pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.operator])
def test_who_may_write_to_whom_R_NTF_1(role: str, kind: str) -> None:
    allowed = policy.may_write_to({role}, kind)
    assert allowed == (role in STAFF_WRITERS or kind == "staff")


def test_a_notice_without_names_still_says_the_mark_and_the_day_R_MRK_9() -> None:
    facts = MarkFacts(student=None, subject=None, date=dt.date(2026, 9, 1), work_type="lab")
    notice = notices.mark_recorded(5, facts, None)
    assert notice.title == "Новая отметка"
    assert notice.text == "отметка «5» за 01.09.2026 (лабораторная работа)."


def test_a_schools_own_work_type_keeps_its_code() -> None:
    facts = MarkFacts("Иванов Пётр", "Химия", dt.date(2026, 9, 1), work_type="olympiad")
    assert notices.mark_recorded(5, facts, None).text.endswith("(olympiad).")


@pytest.mark.parametrize(
    ("now", "kind", "boundary"),
    [
        # before today's hour the daily boundary is yesterday's
        (
            dt.datetime(2026, 11, 27, 17, 59, tzinfo=MOSCOW),
            "daily",
            dt.datetime(2026, 11, 26, 18, 0),
        ),
        (
            dt.datetime(2026, 11, 27, 18, 0, tzinfo=MOSCOW),
            "daily",
            dt.datetime(2026, 11, 27, 18, 0),
        ),
        # 27.11.2026 is a Friday: the weekly boundary is the Sunday before
        (
            dt.datetime(2026, 11, 27, 12, 0, tzinfo=MOSCOW),
            "weekly",
            dt.datetime(2026, 11, 22, 18, 0),
        ),
        (
            dt.datetime(2026, 11, 29, 17, 0, tzinfo=MOSCOW),
            "weekly",
            dt.datetime(2026, 11, 22, 18, 0),
        ),
        (
            dt.datetime(2026, 11, 29, 18, 30, tzinfo=MOSCOW),
            "weekly",
            dt.datetime(2026, 11, 29, 18, 0),
        ),
        # a UTC instant is read in the school's time zone (15:30 UTC = 18:30 in Moscow)
        (
            dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.UTC),
            "daily",
            dt.datetime(2026, 11, 27, 18, 0),
        ),
    ],
)
def test_digest_boundaries_R_REC_2(now: dt.datetime, kind: str, boundary: dt.datetime) -> None:
    got = digests.last_boundary(now, kind, NotifySettings(), "Europe/Moscow")
    assert got == boundary.replace(tzinfo=MOSCOW)


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body() -> None:
    # computed independently: printf '1700000000.{"a":1}' | openssl sha256 -hmac s
    expected = "ab7bd212df57f3ef4ea3c17d4a1a71d8981ef595d4cd699b62517c68d89192a2"
    assert signature("s", 1700000000, '{"a":1}') == f"t=1700000000,v1={expected}"
