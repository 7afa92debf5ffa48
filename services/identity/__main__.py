from services.identity.cli import cli

cli()
