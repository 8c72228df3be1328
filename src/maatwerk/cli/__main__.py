from maatwerk.cli.main import app

app(prog_name="maatwerk")
