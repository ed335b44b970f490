"""The `spasmcare` command line: thin commands over the engine, one module per group.

Heavy libraries (NumPy, Pydantic, YAML) are imported inside commands so that
`spasmcare --help` starts quickly.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from spasmcare import __version__
from spasmcare.cli import ask as ask_command
from spasmcare.cli import assess as assess_command
from spasmcare.cli import diary, evaluate, knowledge, server
from spasmcare.cli import plan as plan_command
from spasmcare.errors import SpasmCareError

app = typer.Typer(
    name="spasmcare",
    help="SpasmCare: how urgently to get care for a back spasm, its likely causes, and what to do.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
app.command("assess")(assess_command.assess)
app.command("plan")(plan_command.plan)
app.command("ask")(ask_command.ask)
app.add_typer(knowledge.app, name="kb")
app.add_typer(evaluate.app, name="eval")
app.command("serve")(server.serve)
app.command("log")(diary.log)
app.command("checkin")(diary.checkin)
app.command("insights")(diary.insights)
app.command("report")(diary.report)
app.add_typer(diary.diary_app, name="diary")
app.add_typer(server.db, name="db")
app.command("backup")(server.backup_command)
app.command("restore")(server.restore_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spasmcare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """SpasmCare supports your decisions; it does not replace a clinician who can examine you."""


def main() -> None:
    """Entry point: the one place that turns SpasmCare errors into messages and exit codes."""
    try:
        app()
    except SpasmCareError as error:
        # soft_wrap: an error is one line per line of message, easy for scripts to read.
        Console(stderr=True, soft_wrap=True).print(
            f"[bold red]Error:[/] {escape(error.message)}", highlight=False, markup=True
        )
        sys.exit(error.exit_code)
