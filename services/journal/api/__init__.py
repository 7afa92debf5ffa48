"""The journal's HTTP API: routers by area, all under `/journal`."""

from services.journal.api import lessons, period_marks, schedule, setup, views

routers = [setup.router, schedule.router, lessons.router, period_marks.router, views.router]
