"""`python -m services.reports [serve|migrate|dlq …|worker|work-dlq …|rebuild --school ID]`."""

from __future__ import annotations

from kit.service_main import service_cli
from services.reports.app import MIGRATIONS, build
from services.reports.cli import add_commands
from services.reports.settings import ReportsSettings

cli = service_cli("reports", build, MIGRATIONS, ReportsSettings)
add_commands(cli)

if __name__ == "__main__":
    cli()
