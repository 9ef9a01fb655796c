"""``zhize neo4j start|stop|status``: the project's own Neo4j server (see ``zhize.neo4j_server``)."""
from __future__ import annotations

import time

import typer


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Run the project's Neo4j 5.26 server (embedded, bolt://127.0.0.1:7687 or "
                           "$ZHIZE_NEO4J_PORT, no auth).",
                      no_args_is_help=True)
    sub.command("start")(start)
    sub.command("stop")(stop)
    sub.command("status")(status)
    app.add_typer(sub, name="neo4j")


def start(timeout: float = typer.Option(90.0, help="seconds to wait for Bolt to answer")) -> None:
    """Build the launcher if needed, start the server in the background, wait until Bolt answers."""
    from zhize import neo4j_server as srv

    t0 = time.monotonic()
    if srv.needs_build():
        typer.echo("building the Neo4j launcher (first time: downloads ~120 MB of jars) …", err=True)
    try:
        st = srv.start(timeout=timeout)
    except srv.Neo4jServerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"neo4j {st.describe()} ({time.monotonic() - t0:.1f} s)")
    typer.echo(f"use it: NEO4J_URI={st.uri}  (authentication is off)")


def stop() -> None:
    """Stop the server that `zhize neo4j start` started, and wait until it has exited."""
    from zhize import neo4j_server as srv

    try:
        typer.echo("neo4j stopped" if srv.stop() else "neo4j was not running")
    except srv.Neo4jServerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1)


def status() -> None:
    """Running or stopped; exit code 3 unless the server this checkout started answers on the configured port."""
    from zhize import neo4j_server as srv

    st = srv.status()
    typer.echo(f"neo4j {st.describe()}")
    if not st.ours:
        raise typer.Exit(3)
