from services.journal.cli import cli

cli()
