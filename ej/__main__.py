from ej.cli import app

app()
