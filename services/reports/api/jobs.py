"""Report jobs over HTTP: ask for one, watch its progress, download its ZIP."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from kit.app import RuntimeDep, SessionDep
from kit.auth import CurrentUserDep
from kit.errors import Conflict, Unavailable, problem_responses
from kit.logging import get_logger
from kit.storage import ObjectStore
from services.reports import progress
from services.reports.api.deps import clock_of, settings_of
from services.reports.models import ReportJob
from services.reports.schemas import JobCreated, JobOut, JobRequest
from services.reports.service import bundle
from services.reports.service import jobs as job_service
from services.reports.settings import ReportsSettings
from services.reports.work import WorkQueue
from services.reports.worker import result_url

router = APIRouter(prefix="/reports/v1", tags=["report jobs"])
log = get_logger("services.reports.api.jobs")


def store_of(request: Request) -> ObjectStore:
    store: ObjectStore | None = request.app.state.report_store
    if store is None:
        raise Unavailable(
            "report files have no store: set EJ_REPORTS_S3_ENDPOINT", code="report_store_missing"
        )
    return store


@router.post(
    "/jobs",
    response_model=JobCreated,
    status_code=202,
    summary="Every class's summary sheet (PDF, XLSX) and the performance tables of a school "
    "or the whole city, made by report workers; the same job asked again while it runs is "
    "the running one",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def create_job(
    body: JobRequest,
    request: Request,
    runtime: RuntimeDep,
    user: CurrentUserDep,
    session: SessionDep,
) -> JobCreated:
    store_of(request)
    work_queue: WorkQueue = request.app.state.work_queue
    if not await work_queue.wait():
        raise Unavailable("the report workers' queue is not reachable", code="work_queue_down")
    job, created = await job_service.create_job(
        session, runtime.outbox, user, body, clock_of(request).now()
    )
    if created:
        try:
            await progress.start(runtime.redis, job.job_id, job.total)
        except Exception as exc:  # the job's row holds the same counts
            log.warning("progress_not_started", job=job.job_id, error=repr(exc))
    return JobCreated(job_id=job.job_id, status=job.status)


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status and progress; when done, where to download its ZIP",
    responses=problem_responses(401, 404, 422),
)
async def read_job(
    job_id: str, runtime: RuntimeDep, user: CurrentUserDep, session: SessionDep
) -> JobOut:
    job = await job_service.readable_job(session, user, job_id)
    try:
        counted = await progress.read(runtime.redis, job_id)
    except Exception:
        counted = None
    return job_out(job, job_service.progress_of(job, counted), settings_of(runtime))


@router.get(
    "/jobs/{job_id}/result",
    summary="The finished job's files in one ZIP",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 404, 409, 422, 503),
    },
)
async def job_result(
    job_id: str, request: Request, user: CurrentUserDep, session: SessionDep
) -> StreamingResponse:
    job = await job_service.readable_job(session, user, job_id)
    if job.status != "done":
        raise Conflict(f"the job is {job.status}, not done", code="job_not_done")
    files = await bundle.entries(session, job_id)
    return StreamingResponse(
        bundle.zip_stream(store_of(request), files),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="report-{job_id}.zip"'},
    )


def job_out(job: ReportJob, done_share: float, settings: ReportsSettings) -> JobOut:
    return JobOut(
        job_id=job.job_id,
        status=job.status,
        progress=done_share,
        result_url=result_url(settings, job.job_id) if job.status == "done" else None,
        kind=job.kind,
        school_id=job.school_id,
        period_id=job.period_id,
        format=job.format,
        total=job.total,
        done=job.done,
        created_at=job.created_at,
        finished_at=job.finished_at,
        error=job.error,
    )
