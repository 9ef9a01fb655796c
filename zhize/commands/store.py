"""``zhize ingest``, ``zhize info`` and ``zhize query …``: load the graph store and ask it.

Ingest runs the pipeline (``zhize.pipeline``) into the store.  A file that
cannot be read or extracted is reported with its reason and the others still
load; loads only upsert, so nothing already stored is lost.  Every query
prints a table, or with ``--json`` the same answer as JSON on stdout.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from zhize.commands.running import (
    PARTITION_FORMAT, PARTITIONS, PATHS_HELP, SCHEDULER, TIME_LIMIT, WORKERS, inputs_or_exit, make_pipeline,
    print_problems, progress_bar, run_or_exit,
)
from zhize.graph.model import GraphStore, NetworkFilter

query_app = typer.Typer(help="Ask the graph store: who owns a task, what a unit does, who sits where.",
                        no_args_is_help=True)

DB_HELP = "SQLite file (default .zhize/graph.sqlite, or $ZHIZE_DB)"
NEO4J_HELP = "Neo4j bolt:// URI instead of the SQLite file (or set $NEO4J_URI)"


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("info")(info)
    app.add_typer(query_app, name="query")


def _table(*headers: str, title: Optional[str] = None) -> Table:
    """A table that wraps long Chinese text instead of cutting it."""
    t = Table(title=title)
    for h in headers:
        t.add_column(h, overflow="fold")
    return t


def _out() -> Console:
    return Console(soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def open_from_options(db: Optional[str], neo4j: Optional[str], read_only: bool) -> GraphStore:
    """The store the options name; exits with a message when it cannot be opened."""
    from zhize.graph.stores import open_store

    try:
        return open_store(neo4j or db, read_only=read_only)
    except FileNotFoundError as exc:
        _err().print(f"zhize: {exc}")
        raise typer.Exit(code=2)
    except ImportError as exc:
        _err().print(f"zhize: the Neo4j store is not available: {exc}")
        raise typer.Exit(code=2)
    except ConnectionError as exc:           # Neo4jUnavailable: nothing answers, or refused the login
        import os

        where = neo4j or db or os.environ.get("NEO4J_URI") or "the Neo4j URI"
        why = type(exc.__cause__).__name__ if exc.__cause__ is not None else type(exc).__name__
        _err().print(f"zhize: cannot use Neo4j at {where} ({why}). Start the project's server with "
                     f"`zhize neo4j start`, or set NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD) to a running "
                     f"Neo4j 5 server.", markup=False, highlight=False)
        raise typer.Exit(code=2)


# --- ingest ---------------------------------------------------------------------------

def ingest(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help=NEO4J_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fresh: bool = typer.Option(False, "--fresh", help="empty the store before loading (after extraction)"),
    texts: Optional[str] = typer.Option(None, "--texts", metavar="DIR",
                                        help="where the text extracted from PDF/Word files goes (default .zhize/texts)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    workers: int = WORKERS, scheduler: Optional[str] = SCHEDULER, partitions: Optional[str] = PARTITIONS,
    partition_format: str = PARTITION_FORMAT, time_limit: float = TIME_LIMIT,
) -> None:
    """Extract PATHS and load their graph into the store (repeatable: loads upsert)."""
    from zhize.graph.stores import describe
    from zhize.pipeline import StoreWriter, TextWriter

    inputs = inputs_or_exit(paths)
    store = open_from_options(db, neo4j, read_only=False)
    kind, location = describe(store)
    err = _err()
    if texts is None:   # beside the SQLite file; for a server, in the working folder's .zhize/
        texts = str(Path(location).parent / "texts") if kind == "sqlite" else str(Path(".zhize") / "texts")
    try:
        with progress_bar() as tell:
            pipeline = make_pipeline(workers, scheduler, partitions, partition_format, time_limit, progress=tell)
            report = run_or_exit(pipeline, inputs, [StoreWriter(store, fresh=fresh), TextWriter(texts)])
        counts = store.counts()
    finally:
        store.close()
    print_problems(report, err)
    failed = len(report.failed) + len(report.build_failures)
    summary = {
        "store": kind, "location": location, "files": len(report.read) - len(report.build_failures), "failed": failed,
        "facts": dict(sorted(report.facts.items())), "unparsed": report.unparsed,
        "batch": {"nodes": len(report.batch.nodes), "rels": len(report.batch.rels)},
        "stored": {k: v for k, v in sorted(counts.items())},
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        _print_summary(summary)
    if failed:
        raise typer.Exit(code=1)


def _print_summary(s: dict[str, Any]) -> None:
    out = _out()
    out.print(f"[bold]{s['files']}[/] file(s) loaded into {s['store']} at {s['location']}"
              + (f", [red]{s['failed']} failed[/]" if s["failed"] else ""))
    facts = ", ".join(f"{k} {v}" for k, v in s["facts"].items()) or "none"
    out.print(f"facts: {facts}; unparsed candidates: {s['unparsed']}")
    out.print(f"batch: {s['batch']['nodes']} nodes, {s['batch']['rels']} relationships; "
              + ", ".join(f"{k} {v:.2f}s" for k, v in s["seconds"].items()))
    out.print(_counts_table(s["stored"]))


def _counts_table(counts: dict[str, int]) -> Table:
    from zhize.graph.model import NODE_LABELS
    t = _table("in the store", "count")
    for k, v in counts.items():
        if v or k in NODE_LABELS:
            t.add_row(k, str(v))
    return t


# --- info -----------------------------------------------------------------------------

def info(
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help=NEO4J_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="print as JSON"),
) -> None:
    """Which store answers, where it is, and what it holds."""
    from zhize.graph.stores import describe

    store = open_from_options(db, neo4j, read_only=True)
    try:
        kind, location = describe(store)
        counts = store.counts()
        ndocs = len(store.documents())
    finally:
        store.close()
    answer = {"store": kind, "location": location, "documents": ndocs, "counts": dict(sorted(counts.items()))}
    if as_json:
        print(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    _out().print(f"{kind} store at {location}: {ndocs} document(s)")
    _out().print(_counts_table(answer["counts"]))


# --- queries ----------------------------------------------------------------------------

def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _fail(message: str) -> None:
    _err().print(f"zhize: {message}")
    raise typer.Exit(code=1)


def _units(refs) -> str:
    return "、".join(r.mention or r.name for r in refs)


_DB = typer.Option(None, "--db", help=DB_HELP)
_NEO = typer.Option(None, "--neo4j", help=NEO4J_HELP)
_AS_JSON = typer.Option(False, "--json", help="print the answer as JSON")


@query_app.command("owners")
def query_owners(
    words: list[str] = typer.Argument(..., help="words the task must contain (all of them)"),
    limit: int = typer.Option(50, "--limit", "-n"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """Who leads, is responsible for and supports the tasks that mention WORDS."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        answer = store.owners(" ".join(words), limit=limit)
    finally:
        store.close()
    if as_json:
        return _json([asdict(a) for a in answer])
    t = _table("task", "document", "lead", "responsible", "support", title=f"{len(answer)} task(s)")
    for a in answer:
        t.add_row(a.task, f"{a.doc}\n{a.date or ''}", _units(a.lead), _units(a.responsible), _units(a.support))
    _out().print(t)


def _pick_unit(store: GraphStore, name: str):
    found = store.find_institutions(name, limit=1)
    if not found:
        _fail(f"no institution matches {name!r}")
    return found[0]


@query_app.command("unit")
def query_unit(
    name: str = typer.Argument(..., help="institution name or part of it (省公安厅)"),
    role: Optional[str] = typer.Option(None, "--role", help="lead | responsible | support"),
    inherited: bool = typer.Option(True, "--inherited/--no-inherited", help="include predecessors' tasks"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """The tasks of the institution best matching NAME."""
    if role is not None and role not in ("lead", "responsible", "support"):
        raise typer.BadParameter("use lead, responsible or support", param_hint="--role")
    store = open_from_options(db, neo4j, read_only=True)
    try:
        unit = _pick_unit(store, name)
        tasks = store.unit_tasks(unit.id, role=role, include_inherited=inherited)
    finally:
        store.close()
    if as_json:
        return _json({"unit": asdict(unit), "tasks": [asdict(t) for t in tasks]})
    t = _table("role", "task", "document", "inherited from", title=f"{unit.name} ({unit.id}): {len(tasks)} task(s)")
    for x in tasks:
        t.add_row(x.role, x.task, f"{x.doc}\n{x.date or ''}", x.inherited_from or "")
    _out().print(t)


@query_app.command("groups")
def query_groups(
    unit: str = typer.Argument(..., help="institution name or part of it"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """The leading groups (领导小组, 联席会议 …) the institution belongs to or hosts the office of."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        inst = _pick_unit(store, unit)
        groups = store.unit_groups(inst.id)
    finally:
        store.close()
    if as_json:
        return _json({"unit": asdict(inst), "groups": [asdict(g) for g in groups]})
    t = _table("group", "relation", "document", title=f"{inst.name}: {len(groups)} group link(s)")
    for g in groups:
        t.add_row(g.group, g.relation, g.doc)
    _out().print(t)


@query_app.command("person")
def query_person(
    name: str = typer.Argument(..., help="a person's name"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """A person's posts, group seats and portfolio."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        found = store.find_persons(name, limit=1)
        if not found:
            _fail(f"no person matches {name!r}")
        profile = store.person_profile(found[0].id)
    finally:
        store.close()
    if as_json:
        return _json(asdict(profile))
    out = _out()
    out.print(f"[bold]{profile.person.name}[/] ({profile.person.id})")
    t = _table("post", "action", "document", "date", title="posts")
    for p in profile.posts:
        t.add_row(p.position, p.action, p.doc, p.date or "")
    out.print(t)
    t = _table("group", "role", "document", title="groups")
    for g in profile.groups:
        t.add_row(g.group, g.relation, g.doc)
    out.print(t)
    t = _table("relation", "object", "document", title="portfolio")
    for p in profile.portfolio:
        t.add_row(p.relation, p.object, p.doc)
    out.print(t)


@query_app.command("roster")
def query_roster(
    group: str = typer.Argument(..., help="group name or part of it (联席会议)"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """Who sits in a group, its member units and where its office is."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        found = store.find_groups(group, limit=1)
        if not found:
            _fail(f"no group matches {group!r}")
        roster = store.group_roster(found[0].id)
    finally:
        store.close()
    if as_json:
        return _json(asdict(roster))
    out = _out()
    t = _table("role", "person", "position", title=f"{roster.group.name} ({roster.group.doc})")
    for e in roster.entries:
        t.add_row(e.role_text, e.person or "", e.position or "")
    out.print(t)
    out.print(f"member units: {_units(roster.member_units) or '-'}")
    out.print(f"office at: {_units(roster.office_hosts) or '-'}")


@query_app.command("network")
def query_network(
    jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", help="only units of this place (红河州)"),
    doc: Optional[str] = typer.Option(None, "--doc", help="only tasks of this document number"),
    year: Optional[int] = typer.Option(None, "--year", help="only tasks of documents signed this year"),
    role: Optional[list[str]] = typer.Option(None, "--role", help="roles that count (repeatable)"),
    limit: int = typer.Option(50, "--limit", "-n"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """Units that share tasks (co-responsibility), heaviest pairs first."""
    flt = NetworkFilter(jurisdiction=jurisdiction, doc=doc, year=year,
                        roles=tuple(role) if role else NetworkFilter().roles)
    store = open_from_options(db, neo4j, read_only=True)
    try:
        edges = store.co_responsibility(flt)[:limit]
        names = {i.id: i.name for i in store.institutions({e.a for e in edges} | {e.b for e in edges})}
    finally:
        store.close()
    rows = [{**asdict(e), "a_name": names.get(e.a, e.a), "b_name": names.get(e.b, e.b)} for e in edges]
    if as_json:
        return _json(rows)
    t = _table("unit a", "unit b", "shared tasks", "a leads, b supports", "b leads, a supports",
               title=f"{len(rows)} pair(s)")
    for r in rows:
        t.add_row(r["a_name"], r["b_name"], str(r["weight"]), str(r["lead_to_support"]), str(r["support_to_lead"]))
    _out().print(t)
