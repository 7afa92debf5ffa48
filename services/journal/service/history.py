"""History and tamper evidence: every change is an append-only link of a per-school chain.

A link's hash covers its content (what, who, when, before, after, reason, note) and the
previous link's hash, so editing or deleting any stored link breaks every later one; the
verify command walks the chain and names the first link whose hash does not match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kit.db import run_last
from services.journal.models import History
from services.journal.repository import history as repo
from services.journal.service.context import Ctx

HASHED = (
    "school_id",
    "seq",
    "entity",
    "entity_id",
    "action",
    "before",
    "after",
    "reason",
    "note",
    "account_id",
    "person_id",
    "at",
)


@dataclass
class Change:
    """One change about to be appended to the history."""

    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None = None
    note: dict[str, Any] | None = None


@dataclass
class ChainReport:
    school_id: str
    checked: int = 0
    ok: bool = True
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str | None = None
    head_seq: int = 0
    details: list[str] = field(default_factory=list)


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _instant(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def link_hash(prev_hash: str, row: dict[str, Any]) -> str:
    content = {k: row[k] for k in HASHED}
    content["at"] = _instant(row["at"])
    payload = prev_hash + json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


async def record(ctx: Ctx, school_id: str, changes: list[Change]) -> None:
    """Append the changes as links, in one statement, under the school's chain lock.

    Called last in a use case so the lock is held only for the commit that follows."""
    await _append(ctx, school_id, _contents(ctx, school_id, changes))


async def record_last(ctx: Ctx, school_id: str, changes: list[Change]) -> None:
    """The same, with the chain's lock taken as the very last step of the unit of work, right
    before its commit (`kit.db.run_last`): what the use case and its edge still do after this
    call (the response, the idempotency row) is done before the lock, not under it. The links'
    content is fixed now; only their place in the chain waits for the lock."""
    contents = _contents(ctx, school_id, changes)
    if not contents:
        return

    async def append() -> None:
        await _append(ctx, school_id, contents)

    if not run_last(ctx.session, append):
        await append()


def _contents(ctx: Ctx, school_id: str, changes: list[Change]) -> list[dict[str, Any]]:
    """The links' content, all but their place in the chain (seq and the hashes)."""
    # A timestamp rounded to microseconds reads back from either database unchanged.
    at = ctx.now.astimezone(dt.UTC)
    return [
        {
            "school_id": school_id,
            "seq": 0,
            "entity": change.entity,
            "entity_id": change.entity_id,
            "action": change.action,
            "before": _dump(change.before),
            "after": _dump(change.after),
            "reason": change.reason,
            "note": _dump(change.note),
            "account_id": ctx.actor.account_id,
            "person_id": ctx.actor.person_id,
            "at": at,
            "prev_hash": "",
            "invalid": False,
        }
        for change in changes
    ]


async def _append(ctx: Ctx, school_id: str, rows: list[dict[str, Any]]) -> None:
    """Chain the rows onto the school's head (locked until commit) and store them."""
    if not rows:
        return
    seq, prev = await repo.lock_head(ctx.session, school_id)
    for row in rows:
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev
        row["hash"] = prev = link_hash(prev, row)
    await repo.append(ctx.session, school_id, rows, seq, prev)


def _row_dict(link: History) -> dict[str, Any]:
    return {k: getattr(link, k) for k in HASHED}


async def verify(ctx: Ctx, school_id: str, page: int = 5000) -> ChainReport:
    """Walk the school's chain from the start; stop at the first broken link."""
    session = ctx.session
    report = ChainReport(school_id=school_id)
    prev, expected_seq = repo.GENESIS, 1
    while True:
        links = await repo.chain(session, school_id, expected_seq - 1, page)
        for link in links:
            problem = None
            if link.seq != expected_seq:
                problem = f"link {expected_seq} is missing (next is {link.seq})"
            elif link.prev_hash != prev:
                problem = "its prev_hash does not match the previous link's hash"
            elif link_hash(prev, _row_dict(link)) != link.hash:
                problem = "its content does not match its hash (edited after it was written)"
            if problem:
                report.ok, report.broken_seq, report.broken_id = False, expected_seq, link.id
                report.problem = problem
                return report
            report.checked += 1
            prev, expected_seq = link.hash, expected_seq + 1
        if len(links) < page:
            break
    head = await repo.head(session, school_id)
    report.head_seq = head.seq if head else 0
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        report.ok, report.broken_seq = False, expected_seq
        report.problem = f"the chain ends at link {expected_seq - 1} but its head says {head.seq}"
    return report


def loads(value: str | None) -> dict[str, Any] | None:
    return None if value is None else json.loads(value)  # type: ignore[no-any-return]
