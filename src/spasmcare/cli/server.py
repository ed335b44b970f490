"""`spasmcare serve` and `spasmcare db`: run the web app and manage its database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

db = typer.Typer(help="The database: migrate it and see its state.", no_args_is_help=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every one)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes."),
    reload: bool = typer.Option(False, help="Restart when the code changes (development)."),
) -> None:
    """Serve the web app and the REST API (settings: SPASMCARE_* environment variables)."""
    import uvicorn

    from spasmcare.settings import get_settings
    from spasmcare.storage.database import engine_for
    from spasmcare.storage.migrate import upgrade
    from spasmcare.web.connections import NoDelayHttpProtocol
    from spasmcare.web.logs import log_config

    settings = get_settings()
    if settings.migrate_on_start:
        # Once here rather than in each worker, so workers never race to migrate.
        upgrade(engine_for(settings.resolved_database_url()))
    typer.echo(f"SpasmCare is running at http://{host}:{port}/ (API docs: /api/v1/docs)")
    typer.echo(f"Database: {_safe_url(settings.resolved_database_url())}. Stop with Ctrl-C.")
    uvicorn.run(
        "spasmcare.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        loop="spasmcare.web.connections:FairAcceptLoop",  # why: see that module
        http=NoDelayHttpProtocol,
        proxy_headers=True,
        log_config=log_config(),
        env_file=None,
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db.command("upgrade")
def upgrade_command(
    revision: str = typer.Argument("head", help="Migrate to this revision."),
) -> None:
    """Create or migrate the database to the latest schema."""
    from spasmcare.settings import get_settings
    from spasmcare.storage.database import engine_for
    from spasmcare.storage.migrate import current_revision, upgrade

    url = get_settings().resolved_database_url()
    engine = engine_for(url)
    upgrade(engine, revision)
    typer.echo(f"{_safe_url(url)} is at revision {current_revision(engine)}")


@db.command("status")
def status_command() -> None:
    """Show the database in use and whether it needs migrating."""
    from spasmcare.settings import get_settings
    from spasmcare.storage.database import engine_for
    from spasmcare.storage.migrate import current_revision, head_revision

    url = get_settings().resolved_database_url()
    current, head = current_revision(engine_for(url)), head_revision()
    state = "up to date" if current == head else "needs `spasmcare db upgrade`"
    typer.echo(f"{_safe_url(url)}: revision {current or 'none'} (latest {head}): {state}")


def backup_command(
    target: Annotated[Path, typer.Argument(help="The backup file to create.")],
) -> None:
    """Copy the SQLite database to a file, safely while SpasmCare is running."""
    from spasmcare.settings import get_settings
    from spasmcare.storage.backup import backup

    size = backup(get_settings().resolved_database_url(), target)
    typer.echo(f"Backed up to {target} ({size:,} bytes).")


def restore_command(
    source: Annotated[Path, typer.Argument(help="A backup made by `spasmcare backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the current data without asking.")
    ] = False,
) -> None:
    """Replace the SQLite database with a backup (everything since the backup is lost)."""
    from spasmcare.settings import get_settings
    from spasmcare.storage.backup import restore
    from spasmcare.storage.database import engine_for
    from spasmcare.storage.migrate import upgrade

    url = get_settings().resolved_database_url()
    if not yes and not typer.confirm(f"Replace the data in {_safe_url(url)} with {source}?"):
        raise typer.Exit(1)
    restore(url, source)
    upgrade(engine_for(url))  # a backup from an older version is brought up to date
    typer.echo(f"Restored from {source}.")
