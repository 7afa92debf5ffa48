"""Report jobs over HTTP: ask for one, watch its progress, download its ZIP."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from kit.app import RuntimeDep, UseCaseDep
from kit.errors import Conflict, Unavailable, problem_responses
from kit.params import Id
from kit.storage import ObjectStore
from services.reports.api.deps import LimitsDep, SettingsDep
from services.reports.models import ReportJob
from services.reports.schemas.jobs import JobCreated, JobOut, JobRequest
from services.reports.service import bundle
from services.reports.service import jobs as job_service

router = APIRouter(prefix="/reports/v1", tags=["report jobs"])


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
    "or the whole city, made by report workers: 202 for a new job; the same job asked again "
    "while it runs is the running one (200); one running job per account and kind (429 "
    "`job_running`) and a limited number of new jobs per account (429 `too_many_jobs`)",
    responses={
        200: {"description": "the same job, asked for before, is still queued or running"},
        **problem_responses(401, 403, 404, 422, 429, 503),
    },
)
async def create_job(
    body: JobRequest,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    uc: UseCaseDep,
    allowed: LimitsDep,
) -> JobCreated:
    store_of(request)
    queue = request.app.state.work_queue
    job, new = await job_service.create_job(uc, body, queue, runtime.redis, allowed)
    if not new:
        response.status_code = 200
    return JobCreated(job_id=job.job_id, status=job.status)


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status and progress; when done, where to download its ZIP",
    responses=problem_responses(401, 404, 422),
)
async def read_job(
    job_id: Id, runtime: RuntimeDep, uc: UseCaseDep, settings: SettingsDep
) -> JobOut:
    job, done_share = await job_service.job_progress(uc, job_id, runtime.redis)
    return job_out(job, done_share, settings.public_url)


@router.get(
    "/jobs/{job_id}/result",
    summary="The finished job's files in one ZIP",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 404, 409, 422, 503),
    },
)
async def job_result(job_id: Id, request: Request, uc: UseCaseDep) -> StreamingResponse:
    job = await job_service.readable_job(uc, job_id)
    if job.status != "done":
        raise Conflict(f"the job is {job.status}, not done", code="job_not_done")
    files = await bundle.entries(uc, job_id)
    return StreamingResponse(
        bundle.zip_stream(store_of(request), files),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="report-{job_id}.zip"'},
    )


def job_out(job: ReportJob, done_share: float, public_url: str | None) -> JobOut:
    done = job.status == "done"
    return JobOut(
        job_id=job.job_id,
        status=job.status,
        progress=done_share,
        result_url=job_service.result_url(public_url, job.job_id) if done else None,
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
