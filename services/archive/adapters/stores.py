"""The archive's two stores (R-ARC-2: at least two media), built from the settings.

In the distributed mode both are S3 stores, and the service refuses to start without them or
with both pointing at the same place. In the embedded mode they are two local folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kit.settings import Mode
from kit.storage import FolderStore, ObjectStore, S3Store
from services.archive.settings import ArchiveSettings

STORE_NAMES = ("a", "b")


class StoresNotConfigured(RuntimeError):
    """The distributed mode was started without two independent stores."""


@dataclass(frozen=True)
class Stores:
    """The two stores every package is written to, by name (`a`, `b`)."""

    a: ObjectStore
    b: ObjectStore

    def __iter__(self) -> Iterator[ObjectStore]:
        return iter((self.a, self.b))

    def named(self, name: str) -> ObjectStore:
        for store in self:
            if store.name == name:
                return store
        raise KeyError(name)


def build_stores(settings: ArchiveSettings) -> Stores:
    if settings.mode is Mode.embedded and not settings.archive_store_a_endpoint:
        return Stores(
            a=FolderStore("a", settings.data_dir / "archive-a"),
            b=FolderStore("b", settings.data_dir / "archive-b"),
        )
    a, b = (_s3_store(settings, name) for name in STORE_NAMES)
    if (a.endpoint.rstrip("/"), a.bucket) == (b.endpoint.rstrip("/"), b.bucket):
        raise StoresNotConfigured(
            "R-ARC-2: the two archive stores must be independent, but A and B name the same "
            f"endpoint and bucket ({a.endpoint}/{a.bucket})"
        )
    return Stores(a=a, b=b)


def _s3_store(settings: ArchiveSettings, name: str) -> S3Store:
    values = {
        part: getattr(settings, f"archive_store_{name}_{part}")
        for part in ("endpoint", "access_key", "secret_key", "bucket")
    }
    missing = [f"EJ_ARCHIVE_STORE_{name.upper()}_{k.upper()}" for k, v in values.items() if not v]
    if missing:
        raise StoresNotConfigured(
            "R-ARC-2: the archive keeps every package on two S3 stores; set " + ", ".join(missing)
        )
    return S3Store(
        name,
        values["endpoint"],
        values["access_key"],
        values["secret_key"],
        values["bucket"],
        connect_timeout=settings.archive_store_connect_timeout,
        read_timeout=settings.archive_store_read_timeout,
        retries=settings.archive_store_retries,
    )
