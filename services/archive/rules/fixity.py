"""Fixity verdicts (R-ARC-1, R-ARC-2): what re-reading the copies of a package tells.

A copy is `ok` when it re-hashes to the recorded SHA-256, `corrupt` when it reads back other
bytes, `missing` when the store has no such object, `unreachable` when the store does not
answer. A store that does not answer never makes a package lost: the copy there may be fine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from contracts.archive import FixityFailed, FixityRepaired


class CopyState(StrEnum):
    ok = "ok"
    corrupt = "corrupt"
    missing = "missing"
    unreachable = "unreachable"


BAD_STATES = (CopyState.corrupt, CopyState.missing)
"""States a copy is repaired from: the store answered, the bytes are wrong or gone."""


@dataclass(frozen=True)
class CopyCheck:
    """What reading one copy found; `content` is kept only when the copy is intact."""

    store: str
    state: CopyState
    sha256: str | None
    content: bytes | None = None
    error: str | None = None

    @property
    def intact(self) -> bool:
        return self.state is CopyState.ok


class Verdict(StrEnum):
    ok = "ok"  # every copy re-hashed to the recorded SHA-256
    repaired = "repaired"  # a bad or missing copy was rewritten from a good one and verified
    lost = "lost"  # no intact copy is left
    unverified = "unverified"  # a store did not answer (or a repair failed): try again later


@dataclass
class AuditCounts:
    """An audit's tally: packages checked and what each one's verdict was."""

    checked: int = 0
    ok: int = 0
    repaired: int = 0
    lost: int = 0
    unverified: int = 0

    def add(self, verdict: Verdict) -> None:
        self.checked += 1
        setattr(self, verdict.value, getattr(self, verdict.value) + 1)


def judge(checks: Sequence[CopyCheck], repaired: set[str]) -> Verdict:
    """What one package's audit concludes from its copies' checks and the repairs made."""
    if all(c.intact for c in checks):
        return Verdict.ok
    if any(c.state is CopyState.unreachable for c in checks):
        return Verdict.unverified
    if not any(c.intact for c in checks):
        return Verdict.lost
    bad = {c.store for c in checks if not c.intact}
    return Verdict.repaired if bad <= repaired else Verdict.unverified


def good_copy(checks: Sequence[CopyCheck]) -> bytes | None:
    """The bytes of an intact copy, the source of every repair (None: nothing to repair from)."""
    return next((c.content for c in checks if c.intact and c.content is not None), None)


def fixity_events(
    package_id: str,
    expected_sha256: str,
    checks: Sequence[CopyCheck],
    repaired: set[str],
    verdict: Verdict,
) -> list[FixityFailed | FixityRepaired]:
    """`archive.fixity.failed` for each bad copy (lost when none is left), then
    `archive.fixity.repaired` for each copy rewritten and verified."""
    events: list[FixityFailed | FixityRepaired] = [
        FixityFailed(
            package_id=package_id,
            store=check.store,
            expected_sha256=expected_sha256,
            actual_sha256=check.sha256,
            lost=verdict is Verdict.lost,
        )
        for check in checks
        if check.state in BAD_STATES
    ]
    events.extend(
        FixityRepaired(package_id=package_id, store=store, sha256=expected_sha256)
        for store in sorted(repaired)
    )
    return events
