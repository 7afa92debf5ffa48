"""Both kinds of store keep bytes exactly; the S3 ones are the two real SeaweedFS stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.db import new_id
from kit.storage import FolderStore, ObjectMissing, ObjectStore, S3Store
from kit.testing.infra import S3Endpoint


async def _roundtrip(store: ObjectStore) -> None:
    key = f"probe/{new_id()}/сводная ведомость.txt"
    data = "Школа №154, 5А".encode()
    await store.put(key, data, "text/plain; charset=utf-8")
    assert await store.get(key) == data
    listed = await store.list(key.rsplit("/", 1)[0])
    assert [(o.key, o.size) for o in listed] == [(key, len(data))]
    await store.delete(key)
    with pytest.raises(ObjectMissing):
        await store.get(key)


async def test_folder_store_roundtrip(tmp_path: Path) -> None:
    await _roundtrip(FolderStore("local", tmp_path))


async def test_folder_store_refuses_keys_escaping_its_root(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        await FolderStore("local", tmp_path).put("../outside", b"x")


async def test_both_s3_stores_roundtrip(s3_endpoints: tuple[S3Endpoint, S3Endpoint]) -> None:
    for endpoint in s3_endpoints:
        store = S3Store(
            endpoint.name,
            endpoint.endpoint,
            endpoint.access_key,
            endpoint.secret_key,
            "ej-kit-tests",
        )
        await store.ping()
        await _roundtrip(store)
