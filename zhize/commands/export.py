"""``zhize export rdf OUT PATH...``: the graph of some documents as Linked Data.

The export is built from the files named, through the same stages as every
store load (extract, resolve, build), so the RDF and the stores describe the
same graph with the same node ids.
"""
from __future__ import annotations

import sys

import typer
from zhize.commands.extract import expand_paths

export_app = typer.Typer(help="Write the graph in other formats.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def batch_from_files(paths: list[str]):
    """Files -> facts -> resolution -> ``GraphBatch``, the load path without a store."""
    from zhize.extract.pipeline import extract_files
    from zhize.extract.resolve import resolve
    from zhize.extract.types import DocumentFact
    from zhize.graph.build import build_graph

    results = extract_files(paths)
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"zhize: {r.file}: {r.error}", file=sys.stderr)
    facts = [f for r in results for f in r.facts]
    docs = [f for f in facts if isinstance(f, DocumentFact)]
    resolution = resolve(facts, docs)
    rest = [f for f in facts if not isinstance(f, DocumentFact)]
    return build_graph(rest, docs, resolution), len(failed)


@export_app.command("rdf")
def rdf(
    out: str = typer.Argument(..., help="output file; - for stdout"),
    paths: list[str] = typer.Argument(..., help="text files (or directories of .txt) to extract"),
    fmt: str = typer.Option("ttl", "--format", "-f", help="ttl | nt | jsonld"),
    vocab: bool = typer.Option(True, "--vocab/--no-vocab", help="include the zhize vocabulary terms"),
) -> None:
    """Extract PATHS and write their graph as RDF (W3C org + PROV + dcterms)."""
    from zhize.graph.rdf import FORMATS, write

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use ttl, nt or jsonld", param_hint="--format")
    from zhize.errors import check_output, exit_code

    files = expand_paths(paths)
    if not files:
        raise typer.BadParameter("no input files", param_hint="PATH")
    check_output(out, files, "OUT")
    batch, failed = batch_from_files(files)
    triples = write(batch, out, fmt, include_vocab=vocab)
    print(f"{len(files)} file(s), {len(batch.nodes)} nodes, {len(batch.rels)} relationships, "
          f"{triples} triples -> {out}", file=sys.stderr)
    code = exit_code(len(files) - failed, failed)
    if code:
        raise typer.Exit(code=code)
