"""The reports service's own `EJ_…` variables (the shared ones are in `kit.settings`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from kit.settings import Mode, ServiceSettings, default_s3_keys, refuse

MIGRATIONS = Path(__file__).parent / "migrations"


class ReportsSettings(ServiceSettings):
    """Report files go to S3 in the distributed mode and to `data_dir/reports` when embedded."""

    # a report's read model is fed in large batches: one statement per event type per batch
    consumer_prefetch: int = 256

    reports_s3_endpoint: str | None = Field(None, description="EJ_REPORTS_S3_ENDPOINT")
    reports_s3_access_key: str = Field("", description="EJ_REPORTS_S3_ACCESS_KEY")
    reports_s3_secret_key: str = Field("", description="EJ_REPORTS_S3_SECRET_KEY")
    reports_s3_bucket: str = Field("ej-reports", description="EJ_REPORTS_S3_BUCKET")

    # rebuild: where the journal's export lives and the token the command presents
    journal_url: str = Field("http://127.0.0.1:8000", description="EJ_JOURNAL_URL")
    reports_service_token: str | None = Field(None, description="EJ_REPORTS_SERVICE_TOKEN")

    # report workers: how many class tasks one worker process holds at a time
    worker_prefetch: int = 1
    # fault tests and demos only: each class task waits this long before it starts
    worker_task_delay_ms: int = 0

    # R-RPT-5: unexcused absences in a period that put a student in the risk group
    risk_unexcused_absences: int = 8
    # R-RPT-4: preliminary reports are due this many days before a period ends
    preliminary_days_before_end: int = 14

    @model_validator(mode="after")
    def _distributed_refuses_default_s3_keys(self) -> ReportsSettings:
        if self.mode is Mode.distributed:
            refuse(
                [
                    default_s3_keys(
                        "EJ_REPORTS_S3_",
                        self.reports_s3_endpoint,
                        self.reports_s3_access_key,
                        self.reports_s3_secret_key,
                    )
                ]
            )
        return self
