"""``zhize export OUT``: what the store holds, for other tools (RDF, Gephi, spreadsheets).

The export reads the store (``--db`` / ``--neo4j``, else the default store),
whichever backend it is, as one ``GraphBatch`` (``store.batch()``); with
``--from`` it extracts the files named instead, by the same pipeline as every
store load (``zhize.pipeline``), so both give the same graph with the same
node ids.  Formats: ``zhize.graph.exports`` (OUT's suffix names it unless
``--format`` does).  The filters and ``--kind`` shape the network formats; the
RDF is always the whole graph (filter it with SPARQL).
"""
from __future__ import annotations

import sys
from typing import Optional

import typer

from zhize.commands.analysis import DB, DOC, JURISDICTION, LEAVE_OUT_HELP, NEO4J, ROLES, YEARS, selection_from
from zhize.commands.running import TIME_LIMIT, WORKERS, inputs_or_exit, make_pipeline, print_problems, run_or_exit
from zhize.commands.store import Role
from zhize.errors import UserError


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    out: str = typer.Argument(..., help="output file (its suffix names the format: .ttl .nt .jsonld .graphml "
                                        ".gexf .csv .xlsx); - for stdout (RDF only)"),
    paths: Optional[list[str]] = typer.Argument(None, help="with --from: files or folders to extract and export"),
    from_files: bool = typer.Option(False, "--from", help="export the files PATHS (extracted now) instead of "
                                                          "the store"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="ttl | nt | jsonld | graphml | gexf | csv | xlsx"),
    kind: str = typer.Option("co_responsibility", "--kind", help="the network of graphml, gexf, csv and xlsx: "
                                                                "co_responsibility | lead_support | person_group"),
    vocab: bool = typer.Option(True, "--vocab/--no-vocab", help="RDF: include the zhize vocabulary terms"),
    jurisdiction: Optional[str] = JURISDICTION, years: Optional[str] = YEARS, doc: Optional[str] = DOC,
    role: Optional[list[Role]] = ROLES,
    leave_out: Optional[list[str]] = typer.Option(None, "--leave-out", help=LEAVE_OUT_HELP + " (default: generic)"),
    db: Optional[str] = DB, neo4j: Optional[str] = NEO4J,
    workers: int = WORKERS, time_limit: float = TIME_LIMIT,
) -> None:
    """Write what the store holds (or, with --from, what PATHS say) as RDF, GraphML, GEXF, CSV or Excel."""
    from zhize.commands.store import open_from_options
    from zhize.errors import check_output, exit_code
    from zhize.graph import exports
    from zhize.graph.frames import DEFAULT_LEAVE_OUT, Tables
    from zhize.graph.networks import KINDS
    from zhize.graph.stores import describe

    if out == "rdf" and paths:
        raise UserError("`zhize export rdf OUT PATHS` is now `zhize export OUT --from PATHS` (the format comes "
                        "from OUT's suffix); without --from it exports the store")
    try:
        fmt = exports.format_of(out, fmt)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if kind not in KINDS:
        raise UserError(f"--kind {kind}: use one of {', '.join(KINDS)}")
    if paths and not from_files:
        raise UserError(f"{paths[0]}: files to extract are given with --from (`zhize export {out} --from PATHS`); "
                        f"without it the store is exported")
    if from_files and not paths:
        raise UserError("--from: name the files or folders to extract")
    if from_files and (db or neo4j):
        raise UserError("--from exports the files named, not a store: leave out --db / --neo4j")
    if out == "-" and fmt not in exports.RDF_FORMATS:
        raise UserError(f"{fmt} is written to a file; give OUT a path (stdout takes ttl, nt, jsonld)")
    filtered = any(x is not None for x in (jurisdiction, years, doc, role, leave_out))
    if fmt in exports.RDF_FORMATS and filtered:
        raise UserError(f"the {fmt} export is the whole graph; the filters shape graphml, gexf, csv and xlsx "
                        f"(filter the RDF with SPARQL, docs/API.md)")
    sel = selection_from(jurisdiction, years, doc, role, leave_out, DEFAULT_LEAVE_OUT)

    failed = done = 0
    if from_files:
        inputs = inputs_or_exit(paths)
        check_output(out, inputs.files, "OUT")
        report = run_or_exit(make_pipeline(workers, time_limit=time_limit, build=True), inputs)
        print_problems(report)
        batch, where = report.batch, f"{len(report.files)} file(s)"
        failed = len(report.failed) + len(report.build_failures)
        done = len(report.read) - len(report.build_failures)
    else:
        check_output(out, [], "OUT")
        store = open_from_options(db, neo4j, read_only=True)
        try:
            batch = store.batch()
            kind_name, location = describe(store)
            where = f"{kind_name} store at {location}"
        finally:
            store.close()
    tables = None if fmt in exports.RDF_FORMATS else Tables.of_batch(batch).select(sel)
    written = exports.write(batch, tables, out, fmt, kind, include_vocab=vocab)
    if fmt in exports.RDF_FORMATS:
        what = f"{written.nodes} nodes, {written.edges} relationships, {written.triples} triples"
    else:
        what = f"{kind} network ({sel.describe()}): {written.nodes} nodes, {written.edges} edges"
    also = "".join(f" and {p}" for p in written.also)
    print(f"{where}: {what} -> {out}{also}", file=sys.stderr)
    code = exit_code(done, failed)
    if code:
        raise typer.Exit(code=code)
