"""A finished job's files as one ZIP, streamed while it is written (no copy in memory or
on disk, however large the city's job): the city's table first, then each school's table,
then the classes' sheets, each school in its own folder."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator

from kit.storage import ObjectStore
from kit.usecase import UseCase
from services.reports.repository import jobs

ORDER = {"finish": 0, "school": 1, "class": 2}


async def entries(uc: UseCase, job_id: str) -> list[tuple[str, str]]:
    """(object key, name in the ZIP) of every file the job's items made."""
    found = [
        (ORDER[task.kind], f["name"], f["key"])
        for task in await jobs.tasks_of(uc.session, job_id)
        for f in json.loads(task.files or "[]")
    ]
    return [(key, name) for _, name, key in sorted(found)]


class _Sink(io.RawIOBase):
    """Collects what zipfile writes until the stream takes it (an unseekable file)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


async def zip_stream(store: ObjectStore, files: list[tuple[str, str]]) -> AsyncIterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for key, name in files:
            archive.writestr(name, await store.get(key))
            yield sink.take()
    yield sink.take()
