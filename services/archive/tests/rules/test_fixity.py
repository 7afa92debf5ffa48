"""What an audit concludes from re-reading a package's copies (R-ARC-1, R-ARC-2), and what it
announces: no infrastructure."""

from __future__ import annotations

from contracts.archive import FixityFailed, FixityRepaired
from services.archive.rules.fixity import (
    AuditCounts,
    CopyCheck,
    CopyState,
    Verdict,
    fixity_events,
    good_copy,
    judge,
)

SHA = "a" * 64


def ok(store: str) -> CopyCheck:
    return CopyCheck(store, CopyState.ok, SHA, b"package")


def corrupt(store: str) -> CopyCheck:
    return CopyCheck(store, CopyState.corrupt, "b" * 64)


def missing(store: str) -> CopyCheck:
    return CopyCheck(store, CopyState.missing, None)


def unreachable(store: str) -> CopyCheck:
    return CopyCheck(store, CopyState.unreachable, None, error="ConnectionRefused")


def test_every_copy_intact_is_ok_R_ARC_1() -> None:
    assert judge([ok("a"), ok("b")], set()) is Verdict.ok


def test_a_bad_copy_rewritten_from_the_good_one_is_repaired_R_ARC_1() -> None:
    assert judge([corrupt("a"), ok("b")], {"a"}) is Verdict.repaired
    assert judge([ok("a"), missing("b")], {"b"}) is Verdict.repaired


def test_a_repair_that_failed_leaves_the_package_unverified() -> None:
    assert judge([corrupt("a"), ok("b")], set()) is Verdict.unverified


def test_no_intact_copy_left_is_lost_R_ARC_1() -> None:
    assert judge([missing("a"), corrupt("b")], set()) is Verdict.lost


def test_a_store_that_does_not_answer_never_makes_a_package_lost_R_ARC_2() -> None:
    assert judge([missing("a"), unreachable("b")], set()) is Verdict.unverified


def test_repairs_come_from_an_intact_copy_only() -> None:
    assert good_copy([corrupt("a"), ok("b")]) == b"package"
    assert good_copy([corrupt("a"), missing("b")]) is None


def test_a_repair_announces_the_failure_then_the_repair_R_ARC_1() -> None:
    events = fixity_events("p1", SHA, [corrupt("a"), ok("b")], {"a"}, Verdict.repaired)
    assert events == [
        FixityFailed(
            package_id="p1", store="a", expected_sha256=SHA, actual_sha256="b" * 64, lost=False
        ),
        FixityRepaired(package_id="p1", store="a", sha256=SHA),
    ]


def test_a_lost_package_announces_each_bad_copy_as_lost_R_ARC_1() -> None:
    events = fixity_events("p1", SHA, [missing("a"), corrupt("b")], set(), Verdict.lost)
    assert [(e.store, e.lost) for e in events if isinstance(e, FixityFailed)] == [
        ("a", True),
        ("b", True),
    ]
    assert not [e for e in events if isinstance(e, FixityRepaired)]


def test_an_unreachable_copy_is_announced_as_nothing() -> None:
    assert fixity_events("p1", SHA, [ok("a"), unreachable("b")], set(), Verdict.unverified) == []


def test_an_audit_counts_each_verdict() -> None:
    counts = AuditCounts()
    for verdict in (Verdict.ok, Verdict.ok, Verdict.lost, Verdict.repaired):
        counts.add(verdict)
    assert (counts.checked, counts.ok, counts.repaired, counts.lost, counts.unverified) == (
        4,
        2,
        1,
        1,
        0,
    )
