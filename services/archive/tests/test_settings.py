"""The two stores (R-ARC-2): the distributed mode refuses default keys on another machine."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.archive.settings import ArchiveSettings


def stores(b_access: str, b_secret: str, b_host: str = "s3-b.city.example") -> dict[str, str]:
    return {
        "archive_store_a_endpoint": "https://s3-a.city.example",
        "archive_store_a_access_key": "archive-a",
        "archive_store_a_secret_key": "Qm3v0-long-random-a",
        "archive_store_b_endpoint": f"https://{b_host}",
        "archive_store_b_access_key": b_access,
        "archive_store_b_secret_key": b_secret,
    }


def test_store_b_with_the_local_keys_on_another_host_is_refused_naming_it_R_ARC_2() -> None:
    with pytest.raises(ValidationError) as refused:
        ArchiveSettings(mode="distributed", **stores("ej-store-b", "ej-store-b-secret"))  # type: ignore[arg-type]
    assert "EJ_ARCHIVE_STORE_B_SECRET_KEY" in str(refused.value)
    assert "EJ_ARCHIVE_STORE_A" not in str(refused.value)


def test_stores_with_keys_of_their_own_are_allowed_R_ARC_2() -> None:
    settings = ArchiveSettings(mode="distributed", **stores("archive-b", "Zr7-long-random-b"))  # type: ignore[arg-type]
    assert settings.archive_store_b_access_key == "archive-b"


def test_the_local_keys_on_loopback_are_allowed() -> None:
    settings = ArchiveSettings(
        mode="distributed",  # type: ignore[arg-type]
        **stores("ej-store-b", "ej-store-b-secret", b_host="127.0.0.1:19334"),
    )
    assert settings.archive_store_b_endpoint == "https://127.0.0.1:19334"
