"""Limits on runs (issue 16): one run per school at a time, and runs asked for over HTTP
counted per school; each refusal 429 problem+json with `Retry-After` and its code."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from kit.testing.tokens import TestTokens
from services.archive.adapters import fixity
from services.archive.tests.conftest import ArchiveUnderTest, Start
from services.archive.tests.factories import ClassJournal


async def run(archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal) -> Any:
    return await archive.client.post(
        "/archive/v1/runs",
        json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"},
        headers=tokens.headers(roles=["school_admin"], school_id=journal.school_id),
    )


def assert_limited(response: httpx.Response, code: str, most: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert 1 <= int(response.headers["Retry-After"]) <= most


async def test_a_second_run_of_a_school_while_one_runs_is_429_and_others_are_not_held(
    start_archive: Start, tokens: TestTokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = await start_archive(archive_run_lock_seconds=600)
    busy, other = ClassJournal(), ClassJournal()
    for journal in (busy, other):
        await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    writing, go_on = asyncio.Event(), asyncio.Event()
    write_everywhere = fixity.write_everywhere

    async def held_write(*args: Any, **kwargs: Any) -> Any:
        if not writing.is_set():  # the first run waits with its package on the way
            writing.set()
            await go_on.wait()
        return await write_everywhere(*args, **kwargs)

    monkeypatch.setattr(fixity, "write_everywhere", held_write)
    first = asyncio.create_task(run(archive, tokens, busy))
    await asyncio.wait_for(writing.wait(), 30)

    second = await run(archive, tokens, busy)
    assert_limited(second, "archive_run_running", 600)
    elsewhere = await run(archive, tokens, other)  # another school runs meanwhile
    assert elsewhere.status_code == 201, elsewhere.text

    go_on.set()
    assert (await first).status_code == 201
    after = await run(archive, tokens, busy)  # the school is free once its run is over
    assert after.status_code == 201, after.text


async def test_runs_asked_for_past_the_schools_hourly_limit_are_429(
    start_archive: Start, tokens: TestTokens
) -> None:
    archive = await start_archive(archive_runs_per_school_hour=2)
    journal, other = ClassJournal(), ClassJournal()
    for j in (journal, other):
        await archive.publish_and_wait(j.envelopes(), j.school_id)
    for _ in range(2):
        response = await run(archive, tokens, journal)
        assert response.status_code == 201, response.text
    refused = await run(archive, tokens, journal)
    assert_limited(refused, "too_many_archive_runs", 3600)
    assert (await run(archive, tokens, other)).status_code == 201
