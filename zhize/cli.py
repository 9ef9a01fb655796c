"""``zhize``: extract facts, build the graph, query it, run the Neo4j server.

Each command group lives in ``zhize/commands/`` and registers itself here, so
the command line is one place to read.  Errors a user can cause come out here
as one line and an exit code (``zhize.errors``), whichever command raised them.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from zhize.errors import UNUSABLE, UserError, say


class _Commands(TyperGroup):
    """The root command group: turns the errors users cause into ``zhize: …`` and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        from zhize.graph.model import StoreError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            say(str(exc))
            raise typer.Exit(code=exc.code) from None
        except StoreError as exc:
            say(str(exc))
            raise typer.Exit(code=UNUSABLE) from None
        except sqlite3.DatabaseError as exc:        # raised by a query, after the store opened
            say(f"the SQLite store could not be read ({exc}); if it is damaged, restore a copy or build a new "
                f"one with `zhize ingest --fresh --db NEW.sqlite`")
            raise typer.Exit(code=UNUSABLE) from None


app = typer.Typer(
    cls=_Commands,
    help="zhize (职责): who leads and who supports each task in Chinese government documents.",
    no_args_is_help=True,
    add_completion=False,
)

# --- command registration: one line per command module ----------------------------
from zhize.commands import extract as _extract  # noqa: E402

_extract.register(app)
from zhize.commands import neo4j as _neo4j  # noqa: E402
_neo4j.register(app)
from zhize.commands import export as _export  # noqa: E402
_export.register(app)
from zhize.commands import store as _store  # noqa: E402
_store.register(app)
from zhize.commands import entities as _entities  # noqa: E402
_entities.register(app)
from zhize.commands import app as _app  # noqa: E402
_app.register(app)
from zhize.commands import analysis as _analysis  # noqa: E402
_analysis.register(app)
# -----------------------------------------------------------------------------------


def main() -> None:
    """The ``zhize`` program: a bug is one line saying so, not a traceback (``ZHIZE_DEBUG=1`` shows it)."""
    try:
        app()
    except KeyboardInterrupt:
        say("interrupted; nothing half-written was kept (every store write is one transaction)")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("ZHIZE_DEBUG"):
            raise
        say(f"unexpected error ({type(exc).__name__}: {exc}). This is a bug in zhize; run again with "
            f"ZHIZE_DEBUG=1 to see where, and report it")
        sys.exit(UNUSABLE)


if __name__ == "__main__":
    main()
