"""Report files: the distributed mode refuses default S3 keys on another machine."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.reports.settings import ReportsSettings


def test_minio_default_keys_on_another_host_are_refused_naming_the_variables() -> None:
    with pytest.raises(ValidationError) as refused:
        ReportsSettings(
            mode="distributed",  # type: ignore[arg-type]
            reports_s3_endpoint="https://s3.city.example",
            reports_s3_access_key="minioadmin",
            reports_s3_secret_key="minioadmin",
        )
    assert "EJ_REPORTS_S3_ACCESS_KEY" in str(refused.value)
    assert "EJ_REPORTS_S3_SECRET_KEY" in str(refused.value)


def test_the_local_store_keys_on_loopback_are_allowed() -> None:
    settings = ReportsSettings(
        mode="distributed",  # type: ignore[arg-type]
        reports_s3_endpoint="http://127.0.0.1:18334",
        reports_s3_access_key="ej-store-a",
        reports_s3_secret_key="ej-store-a-secret",
    )
    assert settings.reports_s3_access_key == "ej-store-a"
