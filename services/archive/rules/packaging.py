"""The package format: a deterministic ZIP of `manifest.json` and the year's `ledger.jsonl`.

Deterministic means the same ledger always gives the same bytes (entries sorted by time and
event id, fixed timestamps and permissions inside the ZIP, keys sorted in every JSON object),
so a package's SHA-256 identifies its content and two runs over an unchanged ledger agree.
The manifest makes a package self-describing (R-ARC-6): which school and year, what kind,
how many entries, and each file's size and SHA-256; every ledger line keeps who did what
and when (authenticity, R-ARC-1). The bytes are made in memory: no I/O here (the stores are
`adapters/`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

FORMAT = "ej-archive-package/1"
MANIFEST = "manifest.json"
LEDGER = "ledger.jsonl"
MEDIA_TYPE = "application/zip"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageKind(StrEnum):
    weekly = "weekly"  # the year so far
    year_end = "year_end"  # the whole year, once it is closed or over


class PackageStatus(StrEnum):
    stored = "stored"  # written to both stores, each copy read back and verified
    failed = "failed"  # a store failed during the run: never counted as archived
    lost = "lost"  # an audit found no intact copy left


@dataclass(frozen=True)
class LedgerRecord:
    """One journal event as the ledger keeps it (`data` is the event's JSON text)."""

    event_id: str
    event_type: str
    occurred_at: dt.datetime
    subject: str | None
    actor_id: str | None
    data: str


@dataclass(frozen=True)
class YearInfo:
    year_id: str
    school_id: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class PackageFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BuiltPackage:
    content: bytes
    sha256: str
    entries: int
    files: tuple[PackageFile, ...]

    @property
    def size(self) -> int:
        return len(self.content)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def ledger_lines(records: Iterable[LedgerRecord]) -> bytes:
    """The ledger as JSON lines, in the order the events happened (time, then event id)."""
    ordered = sorted(records, key=lambda r: (r.occurred_at, r.event_id))
    return b"".join(
        _json(
            {
                "id": r.event_id,
                "type": r.event_type,
                "time": _instant(r.occurred_at),
                "subject": r.subject,
                "actor_id": r.actor_id,
                "data": json.loads(r.data),
            }
        )
        + b"\n"
        for r in ordered
    )


def _manifest(year: YearInfo, kind: str, records: list[LedgerRecord], ledger: bytes) -> bytes:
    times = [r.occurred_at for r in records]
    return _json(
        {
            "format": FORMAT,
            "school_id": year.school_id,
            "year": {
                "id": year.year_id,
                "name": year.name,
                "starts_on": year.starts_on.isoformat(),
                "ends_on": year.ends_on.isoformat(),
                "closed_on": year.closed_on.isoformat() if year.closed_on else None,
            },
            "kind": kind,
            "entries": len(records),
            "first_event_at": _instant(min(times)) if times else None,
            "last_event_at": _instant(max(times)) if times else None,
            "files": [{"name": LEDGER, "size": len(ledger), "sha256": sha256_of(ledger)}],
        }
    )


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def build_package(year: YearInfo, kind: str, records: Iterable[LedgerRecord]) -> BuiltPackage:
    """Make the package bytes and compute their SHA-256 (the archive's own, R-ARC-1)."""
    records = list(records)
    ledger = ledger_lines(records)
    manifest = _manifest(year, kind, records, ledger)
    content = _zip([(MANIFEST, manifest), (LEDGER, ledger)])
    files = (
        PackageFile(MANIFEST, len(manifest), sha256_of(manifest)),
        PackageFile(LEDGER, len(ledger), sha256_of(ledger)),
    )
    return BuiltPackage(content, sha256_of(content), len(records), files)


def package_key(school_id: str, year_id: str, kind: PackageKind, package_id: str) -> str:
    """Where a package lives on both stores."""
    return f"{school_id}/{year_id}/{kind.value}/{package_id}.zip"


def files_json(built: BuiltPackage) -> str:
    """The package's files with their sizes and SHA-256, as the package row keeps them."""
    return json.dumps([{"name": f.name, "size": f.size, "sha256": f.sha256} for f in built.files])


def read_package(content: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and the ledger lines of a package (for checks, restores and tests)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        ledger = archive.read(LEDGER).decode()
    return manifest, [json.loads(line) for line in ledger.splitlines() if line]
