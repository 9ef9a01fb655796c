"""``zhize``: extract facts, build the graph, query it, run the Neo4j server.

Each command group lives in ``zhize/commands/`` and registers itself here, so
the command line is one place to read.
"""
from __future__ import annotations

import typer

app = typer.Typer(
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
# -----------------------------------------------------------------------------------


if __name__ == "__main__":
    app()
