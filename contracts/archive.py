"""Events the archive publishes."""

from __future__ import annotations

from kit.events import Event


class PackageStored(Event):
    event_type = "archive.package.stored"
    aggregate = "package_id"
    summary = "R-ARC-2: a package was written to both stores and verified by reading back."

    package_id: str
    school_id: str
    year_id: str
    kind: str
    sha256: str
    size: int
    stores: list[str]


class FixityFailed(Event):
    event_type = "archive.fixity.failed"
    aggregate = "package_id"
    summary = (
        "R-ARC-1: a copy of a package no longer matches its SHA-256 (or is missing); "
        "`lost` when no intact copy is left on any store."
    )

    package_id: str
    store: str
    expected_sha256: str
    actual_sha256: str | None
    lost: bool = False
    """True when no intact copy of the package is left on any store."""


class FixityRepaired(Event):
    event_type = "archive.fixity.repaired"
    aggregate = "package_id"
    summary = "A bad copy was rewritten from the good one and verified."

    package_id: str
    store: str
    sha256: str
