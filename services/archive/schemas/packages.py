"""Packages as the archive's HTTP API shows them: listed, and each with its manifest."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, Field

from services.archive.models import PackageView


class PackageFileOut(BaseModel):
    name: str
    size: int
    sha256: str


class CopyOut(BaseModel):
    store: str = Field(description="which of the two stores (a, b)")
    location: str = Field(description="where the copy lives: store, endpoint, bucket, key")
    state: Literal["ok", "corrupt", "missing", "unreachable"]
    sha256: str | None = Field(description="the SHA-256 the copy had when last read")
    checked_at: dt.datetime
    last_verified: dt.datetime | None = Field(description="when it last re-hashed right")


class PackageOut(BaseModel):
    id: str
    school_id: str
    year_id: str
    kind: Literal["weekly", "year_end"]
    status: Literal["stored", "failed", "lost"]
    sha256: str = Field(description="SHA-256 of the whole package (the ZIP file)")
    size: int
    entries: int = Field(description="journal events in the package's ledger")
    created_at: dt.datetime
    stored_at: dt.datetime | None
    last_verified: dt.datetime | None = Field(
        description="the latest instant at which every copy re-hashed right"
    )

    @classmethod
    def of(cls, view: PackageView) -> PackageOut:
        return cls(**_package_fields(view))


class PackageManifest(PackageOut):
    """A package with its files, where each copy lives and when each last verified."""

    media_type: str = "application/zip"
    trigger: str = Field(description="request, schedule or command")
    failure: str | None = Field(description="why a failed run failed (which store)")
    audited_at: dt.datetime | None
    files: list[PackageFileOut]
    copies: list[CopyOut]

    @classmethod
    def of(cls, view: PackageView) -> PackageManifest:
        p = view.package
        return cls(
            **_package_fields(view),
            trigger=p.trigger,
            failure=p.failure,
            audited_at=p.audited_at,
            files=[PackageFileOut(**f) for f in json.loads(p.files)],
            copies=[
                CopyOut(
                    store=c.store,
                    location=c.location,
                    state=c.state,
                    sha256=c.sha256,
                    checked_at=c.checked_at,
                    last_verified=c.verified_at,
                )
                for c in view.copies
            ],
        )


def _package_fields(view: PackageView) -> dict[str, object]:
    p = view.package
    verified = [c.verified_at for c in view.copies]
    all_verified = bool(verified) and all(v is not None for v in verified)
    return {
        "id": p.id,
        "school_id": p.school_id,
        "year_id": p.year_id,
        "kind": p.kind,
        "status": p.status,
        "sha256": p.sha256,
        "size": p.size,
        "entries": p.entries,
        "created_at": p.created_at,
        "stored_at": p.stored_at,
        "last_verified": min(v for v in verified if v is not None) if all_verified else None,
    }


class PackageList(BaseModel):
    packages: list[PackageOut]
