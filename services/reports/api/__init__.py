"""The reports service's HTTP API: every path starts with `/reports`."""

from __future__ import annotations

from fastapi import APIRouter

from services.reports.api import class_reports, jobs, monitoring, sheets

routers: list[APIRouter] = [sheets.router, monitoring.router, class_reports.router, jobs.router]
