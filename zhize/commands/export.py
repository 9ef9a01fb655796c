"""``zhize export rdf OUT PATH...``: the graph of some documents as Linked Data.

The export is built from the files named by the same pipeline as every
store load (``zhize.pipeline``), so the RDF and the stores describe the same
graph with the same node ids.
"""
from __future__ import annotations

import sys

import typer

from zhize.commands.running import (
    PATHS_HELP, TIME_LIMIT, WORKERS, inputs_or_exit, make_pipeline, print_problems, run_or_exit,
)

export_app = typer.Typer(help="Write the graph in other formats.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("rdf")
def rdf(
    out: str = typer.Argument(..., help="output file; - for stdout"),
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    fmt: str = typer.Option("ttl", "--format", "-f", help="ttl | nt | jsonld"),
    vocab: bool = typer.Option(True, "--vocab/--no-vocab", help="include the zhize vocabulary terms"),
    workers: int = WORKERS, time_limit: float = TIME_LIMIT,
) -> None:
    """Extract PATHS and write their graph as RDF (W3C org + PROV + dcterms)."""
    from zhize.graph.rdf import FORMATS, write

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use ttl, nt or jsonld", param_hint="--format")
    from zhize.errors import check_output, exit_code

    inputs = inputs_or_exit(paths)
    check_output(out, inputs.files, "OUT")
    report = run_or_exit(make_pipeline(workers, time_limit=time_limit, build=True), inputs)
    print_problems(report)
    batch = report.batch
    triples = write(batch, out, fmt, include_vocab=vocab)
    print(f"{len(report.files)} file(s), {len(batch.nodes)} nodes, {len(batch.rels)} relationships, "
          f"{triples} triples -> {out}", file=sys.stderr)
    failed = len(report.failed) + len(report.build_failures)
    code = exit_code(len(report.read) - len(report.build_failures), failed)
    if code:
        raise typer.Exit(code=code)
