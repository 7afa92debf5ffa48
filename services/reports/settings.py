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

    # limits on expensive work (429 with Retry-After past them; 0 turns one off)
    reports_renders_per_user_minute: int = Field(
        30, ge=0, description="EJ_REPORTS_RENDERS_PER_USER_MINUTE: PDF/XLSX sheets on demand"
    )
    reports_renders_per_school_minute: int = Field(
        300, ge=0, description="EJ_REPORTS_RENDERS_PER_SCHOOL_MINUTE: PDF/XLSX sheets on demand"
    )
    reports_jobs_per_user_hour: int = Field(
        20, ge=0, description="EJ_REPORTS_JOBS_PER_USER_HOUR: new report jobs of one account"
    )
    reports_job_running_retry_after_s: int = Field(
        30,
        ge=1,
        description="EJ_REPORTS_JOB_RUNNING_RETRY_AFTER_S: Retry-After of a second job of a "
        "kind asked for while the account's first one runs",
    )

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
