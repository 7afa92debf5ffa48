"""The archive's own settings: its two stores (R-ARC-2) and its weekly schedule (R-ARC-3)."""

from __future__ import annotations

from pydantic import Field, model_validator

from kit.settings import Mode, ServiceSettings, default_s3_keys, refuse

WEEK_SECONDS = 7 * 24 * 3600


class ArchiveSettings(ServiceSettings):
    """`EJ_ARCHIVE_STORE_A_*` and `EJ_ARCHIVE_STORE_B_*` name two independent S3 stores.

    In the distributed mode both are required (no defaults for secrets); in the embedded mode
    the two stores are the folders `archive-a` and `archive-b` under `EJ_DATA_DIR`.
    """

    archive_store_a_endpoint: str | None = None
    archive_store_a_access_key: str | None = None
    archive_store_a_secret_key: str | None = None
    archive_store_a_bucket: str = "ej-archive"
    archive_store_b_endpoint: str | None = None
    archive_store_b_access_key: str | None = None
    archive_store_b_secret_key: str | None = None
    archive_store_b_bucket: str = "ej-archive"

    archive_store_connect_timeout: float = Field(
        5.0, description="seconds to wait for a store to accept a connection"
    )
    archive_store_read_timeout: float = Field(
        60.0, description="seconds to wait for a store's answer once connected"
    )
    archive_store_retries: int = Field(
        2, description="retries of a store request that failed to connect or got a 5xx"
    )

    archive_interval_seconds: int = Field(
        WEEK_SECONDS,
        description="R-ARC-3: how often each open year is archived and every copy audited; "
        "0 turns the schedule off",
    )
    archive_tick_seconds: float = Field(
        3600.0, description="how often the schedule looks for years and audits that are due"
    )
    archive_year_end_grace_days: int = Field(
        3,
        description="days after a year's last day before the schedule makes its year-end "
        "package (period marks may still be set for 2 days: R-MRK-7)",
    )

    # limits on runs (429 with Retry-After past them)
    archive_runs_per_school_hour: int = Field(
        10, ge=0, description="runs asked for over HTTP per school in an hour (0: no limit)"
    )
    archive_run_lock_seconds: int = Field(
        3600,
        ge=1,
        description="the most one run may hold its school (one run per school at a time); "
        "a run that dies frees the school after this long",
    )

    @model_validator(mode="after")
    def _distributed_refuses_default_store_keys(self) -> ArchiveSettings:
        if self.mode is Mode.distributed:
            refuse(
                default_s3_keys(
                    f"EJ_ARCHIVE_STORE_{name.upper()}_",
                    getattr(self, f"archive_store_{name}_endpoint"),
                    getattr(self, f"archive_store_{name}_access_key"),
                    getattr(self, f"archive_store_{name}_secret_key"),
                )
                for name in ("a", "b")
            )
        return self
