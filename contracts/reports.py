"""Events the reports service publishes."""

from __future__ import annotations

from kit.events import Event


class ReportReady(Event):
    event_type = "reports.report.ready"
    aggregate = "job_id"
    summary = "A report job finished; its result can be downloaded."

    job_id: str
    kind: str
    school_id: str | None
    period_id: str
    format: str
    result_url: str
