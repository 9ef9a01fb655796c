"""``zhize ingest``, ``zhize remove``, ``zhize info`` and ``zhize query …``: load the graph store and ask it.

Ingest runs the pipeline (``zhize.pipeline``) into the store for the files
whose content the store does not hold yet: a source is identified by the
SHA-256 of its bytes, so an unchanged file is skipped, and a changed file
(same path, new content) has its old facts replaced in the same transaction
that loads the new ones (``StoreWriter``).  A file that cannot be read or
extracted is reported with its reason and the others still load; nothing is
written until the new batch is built, and then in one transaction
(``GraphStore.replace_sources``), so an interrupted ingest leaves the store as
it was.  Every query prints a
table, or with ``--json`` the same answer as JSON on stdout.  Exit codes:
``zhize.errors``.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from zhize.commands.running import (
    PARTITION_FORMAT, PARTITIONS, PATHS_HELP, SCHEDULER, TIME_LIMIT, WORKERS, inputs_or_exit, make_pipeline,
    print_problems, progress_bar, run_or_exit,
)
from zhize.errors import UNUSABLE, UserError, exit_code, fail, say
from zhize.graph.model import GraphStore, NetworkFilter, SourceInfo

query_app = typer.Typer(help="Ask the graph store: who owns a task, what a unit does, who sits where.",
                        no_args_is_help=True)

DB_HELP = "SQLite file (default .zhize/graph.sqlite, or $ZHIZE_DB)"
NEO4J_HELP = "Neo4j bolt:// URI instead of the SQLite file (or set $NEO4J_URI)"
ROLES = ("lead", "responsible", "support")


class Role(str, Enum):
    """A unit's role on a task, as the options take it (anything else is a usage error)."""

    lead = "lead"
    responsible = "responsible"
    support = "support"


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("remove")(remove)
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


def check_store_options(db: Optional[str], neo4j: Optional[str]) -> None:
    """Options naming a store must name one, and be what they say (a file path, a Neo4j URI)."""
    from zhize.graph.stores import is_neo4j_uri, looks_like_server

    if db is not None and neo4j is not None:
        raise UserError("--db and --neo4j name two stores; give one of them")
    if neo4j is not None and not is_neo4j_uri(neo4j):
        hint = f"; did you mean --neo4j bolt://{neo4j}" if looks_like_server(neo4j) else ""
        raise UserError(f"--neo4j {neo4j}: not a Neo4j URI{hint}? Give bolt://HOST:PORT or neo4j://HOST:PORT")
    if db is not None and (is_neo4j_uri(db) or looks_like_server(db)):
        raise UserError(f"--db {db}: --db takes an SQLite file path; for a Neo4j server use --neo4j bolt://…")
    env = os.environ.get("NEO4J_URI")
    if db is None and neo4j is None and env and not is_neo4j_uri(env):
        hint = f"; did you mean NEO4J_URI=bolt://{env}" if looks_like_server(env) else ""
        raise UserError(f"NEO4J_URI={env}: not a Neo4j URI{hint}? Give bolt://HOST:PORT, or unset it to use "
                        f"the SQLite file")


def open_from_options(db: Optional[str], neo4j: Optional[str], read_only: bool) -> GraphStore:
    """The store the options name; exits with a message when it cannot be opened."""
    from zhize.graph.model import StoreMissing
    from zhize.graph.stores import open_store, redact

    check_store_options(db, neo4j)
    try:
        return open_store(neo4j or db, read_only=read_only)
    except StoreMissing as exc:
        fail(str(exc))
    except ImportError as exc:
        fail(f"the Neo4j store is not available: {exc}")
    except ConnectionError as exc:           # Neo4jUnavailable: nothing answers, or refused the login
        where = redact(neo4j or db or os.environ.get("NEO4J_URI") or "the Neo4j URI")
        from zhize.graph.stores import split_credentials
        where = split_credentials(where)[0]
        why = type(exc.__cause__).__name__ if exc.__cause__ is not None else type(exc).__name__
        fail(f"cannot use Neo4j at {where} ({why}). Start the project's server with `zhize neo4j start`, or set "
             f"NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD) to a running Neo4j 5 server.")


# --- ingest ---------------------------------------------------------------------------

def ingest(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help=NEO4J_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fresh: bool = typer.Option(False, "--fresh", help="replace everything stored by PATHS (one transaction, "
                                                      "only once they are extracted; nothing changes if none loads)"),
    force: bool = typer.Option(False, "--force", help="extract and replace files even when their content is "
                                                      "stored already (after upgrading zhize)"),
    texts: Optional[str] = typer.Option(None, "--texts", metavar="DIR",
                                        help="where the text extracted from PDF/Word files goes (default .zhize/texts)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    workers: int = WORKERS, scheduler: Optional[str] = SCHEDULER, partitions: Optional[str] = PARTITIONS,
    partition_format: str = PARTITION_FORMAT, time_limit: float = TIME_LIMIT,
) -> None:
    """Extract PATHS and load their graph into the store; unchanged files are skipped, changed ones replaced."""
    from zhize.graph.stores import describe
    from zhize.pipeline import Report, StoreWriter, TextWriter, new_or_changed

    check_store_options(db, neo4j)
    inputs = inputs_or_exit(paths)
    store = open_from_options(db, neo4j, read_only=False)
    kind, location = describe(store)
    err = _err()
    if texts is None:   # beside the SQLite file; for a server, in the working folder's .zhize/
        texts = str(Path(location).parent / "texts") if kind == "sqlite" else str(Path(".zhize") / "texts")
    try:
        unfinished = store.incomplete()
        if unfinished:
            say(f"note: {unfinished}; this ingest redoes that write's files")
        todo, unchanged = new_or_changed(inputs, store, force=force or fresh)
        writer = StoreWriter(store, fresh=fresh)
        report = Report(skipped=inputs.skipped)
        if todo.files:
            with progress_bar() as tell:
                pipeline = make_pipeline(workers, scheduler, partitions, partition_format, time_limit, progress=tell)
                report = run_or_exit(pipeline, todo, [writer, TextWriter(texts)])
        counts = store.counts()
    finally:
        store.close()
    print_problems(report, err)
    failed = len(report.failed) + len(report.build_failures)
    loaded = len(report.read) - len(report.build_failures)
    summary = {
        "store": kind, "location": location, "files": loaded if writer.loaded else 0, "unchanged": len(unchanged),
        "replaced": [{"stored": path, "sha256": sha} for path, sha in writer.replaced],
        "failed": failed, "written": writer.loaded,
        "facts": dict(sorted(report.facts.items())), "unparsed": report.unparsed,
        "batch": {"nodes": len(report.batch.nodes), "rels": len(report.batch.rels)} if report.batch else
                 {"nodes": 0, "rels": 0},
        "stored": {k: v for k, v in sorted(counts.items())},
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        _print_summary(summary)
    code = exit_code(loaded + len(unchanged), failed)
    if code == UNUSABLE:
        say("no input could be read" + ("; --fresh did not empty the store" if fresh else "")
            + ": the store was not changed")
    if code:
        raise typer.Exit(code=code)


def _print_summary(s: dict[str, Any]) -> None:
    out = _out()
    out.print(f"[bold]{s['files']}[/] file(s) loaded into {s['store']} at {s['location']}"
              + (f", {s['unchanged']} unchanged (already stored)" if s["unchanged"] else "")
              + (f", [red]{s['failed']} failed[/]" if s["failed"] else ""), highlight=False)
    for r in s["replaced"]:
        out.print(f"replaced the facts {r['stored']} held before (its content changed)", markup=False,
                  highlight=False)
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


# --- remove ---------------------------------------------------------------------------

def find_sources(target: str, stored: list[SourceInfo], documents: list[dict[str, Any]]) -> list[SourceInfo]:
    """The stored sources ``target`` names: a file (by its content, else its path), a stored file name,
    a content hash (or its first 8+ characters), or a document number or title printed in them."""
    from zhize.extract.reading import InputError, read_file

    p = Path(target)
    if p.is_file():
        try:
            sha = read_file(p).sha256
        except InputError:
            sha = ""
        found = [s for s in stored if s.sha256 == sha] or [s for s in stored if s.path == str(p.resolve())]
        if found:
            return found
    found = [s for s in stored if s.path and s.path == str(p.resolve())]
    found = found or [s for s in stored if s.file == target]
    if not found and len(target) >= 8 and all(c in "0123456789abcdef" for c in target.lower()):
        found = [s for s in stored if s.sha256.startswith(target.lower())]
    if not found:
        found = [s for s in stored if target in s.documents]
        if not found and any(target in (d.get("doc"), d.get("title")) for d in documents):
            titled = {d["doc"] for d in documents if d.get("title") == target}
            found = [s for s in stored if titled & set(s.documents)]
    return found


def remove(
    targets: list[str] = typer.Argument(..., help="files (as ingested, or their stored name or path), content "
                                                  "hashes, or document numbers / titles"),
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help=NEO4J_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="say what would be removed, remove nothing"),
    as_json: bool = typer.Option(False, "--json", help="print what was removed as JSON"),
) -> None:
    """Delete the facts of the source files TARGETS name, in one transaction; other files' facts stay.

    A document number names the file(s) printing it: the whole file's facts go (say the file
    to be sure).  A name matching several stored files is refused: give its path or hash."""
    store = open_from_options(db, neo4j, read_only=dry_run)
    try:
        stored = store.sources()
        documents = store.documents()
        chosen: dict[str, SourceInfo] = {}
        missing: list[str] = []
        for t in targets:
            found = find_sources(t, stored, documents)
            if not found:
                missing.append(t)
            elif len(found) > 1 and not Path(t).is_file() and t not in {d.get("doc") for d in documents}:
                listed = "; ".join(f"{s.path or s.file} ({s.sha256[:12]})" for s in found)
                raise UserError(f"{t}: names {len(found)} stored files ({listed}); give the path or the hash of "
                                f"the one to remove")
            else:
                chosen.update((s.sha256, s) for s in found)
        if chosen and not dry_run:
            from zhize.graph.model import GraphBatch
            store.replace_sources(GraphBatch(), sorted(chosen))
        counts = store.counts()
    finally:
        store.close()
    for t in missing:
        say(f"{t}: no stored file, hash or document by that name (`zhize info --sources` lists what is stored)")
    removed = [{"file": s.file, "path": s.path, "sha256": s.sha256, "documents": list(s.documents)}
               for s in sorted(chosen.values(), key=lambda s: (s.file, s.sha256))]
    if as_json:
        print(json.dumps({"removed": removed, "dry_run": dry_run, "not_found": missing,
                          "stored": dict(sorted(counts.items()))}, ensure_ascii=False, indent=1))
    else:
        verb = "would remove" if dry_run else "removed"
        for r in removed:
            _out().print(f"{verb} {r['path'] or r['file']} ({r['sha256'][:12]}): {len(r['documents'])} document(s)"
                         + (f": {'、'.join(r['documents'][:5])}{' …' if len(r['documents']) > 5 else ''}"
                            if r["documents"] else ""), markup=False, highlight=False)
    code = exit_code(len(chosen), len(missing))
    if code:
        raise typer.Exit(code=code)


# --- info -----------------------------------------------------------------------------

def info(
    neo4j: Optional[str] = typer.Option(None, "--neo4j", help=NEO4J_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    sources: bool = typer.Option(False, "--sources", help="also list the source files stored, with their hashes"),
    as_json: bool = typer.Option(False, "--json", help="print as JSON"),
) -> None:
    """Which store answers, where it is, and what it holds."""
    from zhize.graph.stores import describe

    store = open_from_options(db, neo4j, read_only=True)
    try:
        kind, location = describe(store)
        counts = store.counts()
        ndocs = len(store.documents())
        stored = store.sources()
        unfinished = store.incomplete()
    finally:
        store.close()
    answer: dict[str, Any] = {"store": kind, "location": location, "documents": ndocs, "sources": len(stored),
                              "incomplete": unfinished, "counts": dict(sorted(counts.items()))}
    if sources:
        answer["source_files"] = [asdict(s) for s in stored]
    if as_json:
        print(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    _out().print(f"{kind} store at {location}: {ndocs} document(s) from {len(stored)} source file(s)",
                 markup=False, highlight=False)
    if unfinished:
        say(f"warning: {unfinished}")
    _out().print(_counts_table(answer["counts"]))
    if sources:
        t = _table("file", "path", "sha256", "documents")
        for s in stored:
            t.add_row(s.file, s.path, s.sha256[:12], str(len(s.documents)))
        _out().print(t)


# --- queries ----------------------------------------------------------------------------

def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _fail(message: str) -> None:
    """A query that finds nothing: exit 1, as an input that failed."""
    fail(message, code=1)


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
    role: Optional[Role] = typer.Option(None, "--role", help="only this role"),
    inherited: bool = typer.Option(True, "--inherited/--no-inherited", help="include predecessors' tasks"),
    limit: int = typer.Option(50, "--limit", "-n", min=0, help="show this many tasks (newest first)"),
    offset: int = typer.Option(0, "--offset", min=0, help="skip this many first"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """The tasks of the institution best matching NAME, a page at a time (--limit, --offset)."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        unit = _pick_unit(store, name)
        which = {"role": role.value if role else None, "include_inherited": inherited}
        total = store.unit_task_count(unit.id, **which)
        tasks = store.unit_tasks_page(unit.id, **which, limit=limit, offset=offset)
    finally:
        store.close()
    if as_json:
        return _json({"unit": asdict(unit), "total": total, "offset": offset, "tasks": [asdict(t) for t in tasks]})
    shown = f"{offset + 1}-{offset + len(tasks)} of {total}" if len(tasks) < total else f"{total}"
    t = _table("role", "task", "document", "inherited from", title=f"{unit.name} ({unit.id}): {shown} task(s)")
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
    role: Optional[list[Role]] = typer.Option(None, "--role", help="roles that count (repeatable)"),
    limit: int = typer.Option(50, "--limit", "-n"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, as_json: bool = _AS_JSON,
) -> None:
    """Units that share tasks (co-responsibility), heaviest pairs first."""
    flt = NetworkFilter(jurisdiction=jurisdiction, doc=doc, year=year,
                        roles=tuple(r.value for r in role) if role else NetworkFilter().roles)
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
