"""Where report files live: S3 in the distributed mode, a local folder when embedded."""

from __future__ import annotations

from kit.settings import Mode
from kit.storage import FolderStore, ObjectStore, S3Store
from services.reports.settings import ReportsSettings


def report_store(settings: ReportsSettings) -> ObjectStore | None:
    """None when the distributed mode has no S3 endpoint configured (jobs answer 503)."""
    if settings.mode is Mode.embedded:
        return FolderStore("reports", settings.data_dir / "reports")
    if not settings.reports_s3_endpoint:
        return None
    return S3Store(
        "reports",
        settings.reports_s3_endpoint,
        settings.reports_s3_access_key,
        settings.reports_s3_secret_key,
        settings.reports_s3_bucket,
    )
