"""The two stores come from the settings; the distributed mode refuses to run without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.storage import FolderStore, S3Store
from services.archive.adapters.stores import StoresNotConfigured, build_stores
from services.archive.app import build
from services.archive.settings import ArchiveSettings


def store_settings(**extra: str) -> dict[str, str]:
    values = {}
    for name, port in (("a", 18334), ("b", 19334)):
        values |= {
            f"archive_store_{name}_endpoint": f"http://127.0.0.1:{port}",
            f"archive_store_{name}_access_key": f"key-{name}",
            f"archive_store_{name}_secret_key": f"secret-{name}",
        }
    return values | extra


def test_distributed_mode_refuses_to_start_without_both_stores_R_ARC_2() -> None:
    settings = ArchiveSettings(
        mode="distributed",
        database_url="postgresql+asyncpg://nowhere/archive",
        **{
            k: (None if k.startswith("archive_store_b") else v) for k, v in store_settings().items()
        },
    )
    with pytest.raises(StoresNotConfigured) as refused:
        build(settings)
    assert "EJ_ARCHIVE_STORE_B_ENDPOINT" in str(refused.value)
    assert "EJ_ARCHIVE_STORE_A" not in str(refused.value)


def test_two_stores_naming_the_same_place_are_refused_R_ARC_2() -> None:
    settings = ArchiveSettings(
        mode="distributed",
        **store_settings(archive_store_b_endpoint="http://127.0.0.1:18334/"),
    )
    with pytest.raises(StoresNotConfigured, match="independent"):
        build_stores(settings)


def test_distributed_stores_are_two_s3_stores_with_bounded_waits() -> None:
    stores = build_stores(
        ArchiveSettings(mode="distributed", archive_store_connect_timeout=1.5, **store_settings())
    )
    assert all(isinstance(s, S3Store) for s in stores)
    assert [s.describe() for s in stores] == [
        "s3:a:http://127.0.0.1:18334/ej-archive",
        "s3:b:http://127.0.0.1:19334/ej-archive",
    ]
    assert stores.a.client._http.connection_pool_kw["timeout"].connect_timeout == 1.5  # type: ignore[attr-defined]


def test_embedded_stores_are_two_folders_under_the_data_dir(tmp_path: Path) -> None:
    stores = build_stores(
        ArchiveSettings(mode="embedded", data_dir=tmp_path, archive_store_a_endpoint=None)
    )
    assert isinstance(stores.a, FolderStore) and isinstance(stores.b, FolderStore)
    assert (stores.a.root, stores.b.root) == (tmp_path / "archive-a", tmp_path / "archive-b")
