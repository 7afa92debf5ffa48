"""The archive's HTTP API: routers by area, all under `/archive`."""

from services.archive.api import audits, packages, runs, years

routers = [runs.router, packages.router, audits.router, years.router]
