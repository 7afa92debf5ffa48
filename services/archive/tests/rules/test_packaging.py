"""The package format on its own (nothing running): deterministic, self-describing, checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.journal import MarkRecorded
from kit.testing.events import build
from services.archive.rules.packaging import (
    FORMAT,
    LedgerRecord,
    YearInfo,
    build_package,
    read_package,
)

YEAR = YearInfo("y1", "s1", "2026/2027", dt.date(2026, 9, 1), dt.date(2027, 5, 31))
BASE = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)
MARK = build(MarkRecorded, value=5, work_type="answer", comment="молодец")


def record(n: int, mark: MarkRecorded = MARK) -> LedgerRecord:
    return LedgerRecord(
        event_id=f"e{n:04d}",
        event_type="journal.mark.recorded.v1",
        occurred_at=BASE + dt.timedelta(seconds=n // 2),  # pairs share an instant
        subject=f"m{n}",
        actor_id="t1",
        data=mark.model_dump_json(),
    )


@settings(max_examples=40, deadline=None)
@given(st.permutations([record(n) for n in range(12)]))
def test_the_same_ledger_in_any_order_gives_the_same_bytes_R_ARC_1(
    records: list[LedgerRecord],
) -> None:
    expected = build_package(YEAR, "weekly", [record(n) for n in range(12)])
    built = build_package(YEAR, "weekly", records)
    assert built.content == expected.content
    assert built.sha256 == hashlib.sha256(built.content).hexdigest() == expected.sha256


def test_a_changed_entry_changes_the_hash_R_ARC_1() -> None:
    original = build_package(YEAR, "weekly", [record(1), record(2)])
    altered = build_package(
        YEAR,
        "weekly",
        [record(1), record(2, build(MarkRecorded, **MARK.model_dump() | {"value": 4}))],
    )
    assert original.sha256 != altered.sha256


def test_package_reads_back_with_its_manifest_and_ordered_ledger_R_ARC_6() -> None:
    built = build_package(YEAR, "year_end", [record(3), record(1), record(2)])

    manifest, ledger = read_package(built.content)

    assert manifest["format"] == FORMAT and manifest["kind"] == "year_end"
    assert manifest["year"] == {
        "id": "y1",
        "name": "2026/2027",
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-31",
        "closed_on": None,
    }
    assert [e["id"] for e in ledger] == ["e0001", "e0002", "e0003"]
    assert ledger[0]["data"]["comment"] == "молодец"
    assert ledger[0]["time"] == "2026-11-27T08:30:00Z"
    with zipfile.ZipFile(BytesIO(built.content)) as archive:
        names = archive.namelist()
        ledger_bytes = archive.read("ledger.jsonl")
    assert names == ["manifest.json", "ledger.jsonl"]
    assert manifest["files"] == [
        {
            "name": "ledger.jsonl",
            "size": len(ledger_bytes),
            "sha256": hashlib.sha256(ledger_bytes).hexdigest(),
        }
    ]
    assert [f.name for f in built.files] == names
    assert built.entries == 3 == manifest["entries"]


def test_an_empty_ledger_still_makes_a_valid_package() -> None:
    manifest, ledger = read_package(build_package(YEAR, "weekly", []).content)
    assert manifest["entries"] == 0 and ledger == []
    assert manifest["first_event_at"] is None
