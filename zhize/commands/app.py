"""``zhize app``: the explorer, from an install as from a checkout.

Streamlit runs the installed ``zhize.explorer.run`` script on 127.0.0.1 (only
this machine can reach it unless ``--address`` says otherwise) with usage
statistics off and the toolbar without the Deploy button, whatever folder it
is started in; the store is the one ``--db`` / ``--neo4j`` name, as for the
queries, else the usual default (``ZHIZE_DB``, ``NEO4J_URI``, ``.zhize/graph.sqlite``).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from zhize.commands.store import check_store_options
from zhize.errors import UserError

def register(app: typer.Typer) -> None:
    app.command("app")(run_app)


def streamlit_command(port: int, address: str, headless: bool) -> list[str]:
    """What .streamlit/config.toml of a checkout says too: this machine only, no telemetry, no Deploy."""
    from zhize import explorer

    script = Path(explorer.__file__).with_name("run.py")
    return [sys.executable, "-m", "streamlit", "run", str(script),
            "--server.address", address, "--server.port", str(port),
            "--server.headless", "true" if headless else "false",
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]


def run_app(
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file (default .zhize/graph.sqlite, or $ZHIZE_DB)"),
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help="Neo4j bolt:// URI (or set $NEO4J_URI)"),
    port: int = typer.Option(8501, "--port", min=1, max=65535, help="the port to listen on"),
    address: str = typer.Option("127.0.0.1", "--address", help="the address to listen on (0.0.0.0: every "
                                                                 "interface, so other machines can reach it)"),
    headless: bool = typer.Option(False, "--headless", help="do not open a browser"),
) -> None:
    """Open the explorer (Streamlit) over the graph store: who owns what, with the evidence."""
    check_store_options(db, neo4j)
    env = dict(os.environ)
    if db:
        env["ZHIZE_DB"] = str(Path(db).resolve())
        env.pop("NEO4J_URI", None)
    if neo4j:
        env["NEO4J_URI"] = neo4j
    try:
        child = subprocess.Popen(streamlit_command(port, address, headless), env=env)
    except OSError as exc:
        raise UserError(f"cannot start Streamlit ({exc}); is zhize installed with its dependencies?") from exc
    # stopping zhize app (a service manager's SIGTERM, a test's terminate) stops the server it started
    previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
    if code not in (0, -2, -15, 130):
        raise typer.Exit(code)
