from kit.service_main import service_cli
from services.archive.app import MIGRATIONS, build
from services.archive.cli import add_commands
from services.archive.settings import ArchiveSettings

cli = service_cli("archive", build, MIGRATIONS, ArchiveSettings)
add_commands(cli, ArchiveSettings)
cli()
