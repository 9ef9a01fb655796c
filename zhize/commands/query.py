"""``zhize query …``: ask the graph store, and take the answer away as a table, JSON, CSV or Excel.

Every query takes ``--format table|json|csv|xlsx`` (``--json`` is ``--format
json``); CSV and Excel are the columns ``zhize.tables`` writes, the same files
the explorer downloads, to ``--output FILE`` or stdout.  A query naming a
unit, person, group or document by part of its name answers when one thing
matches (or one matches exactly); when several do, it lists them, numbered,
and asks for ``--pick N`` or a more precise name: never a silent first pick.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zhize import tables
from zhize.commands.store import Role, open_from_options
from zhize.errors import UserError, fail
from zhize.graph.model import GraphStore, NetworkFilter, TaskOwners

query_app = typer.Typer(help="Ask the graph store: who owns a task, what a unit does, who sits where.",
                        no_args_is_help=True)

T = TypeVar("T")
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合"}


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


_DB = typer.Option(None, "--db", help="SQLite file (default .zhize/graph.sqlite, or $ZHIZE_DB)")
_NEO = typer.Option(None, "--neo4j", help="Neo4j bolt:// URI instead of the SQLite file (or set $NEO4J_URI)")
_FORMAT = typer.Option(Format.table, "--format", "-f", help="table (default), json, csv or xlsx")
_AS_JSON = typer.Option(False, "--json", help="the same as --format json")
_OUTPUT = typer.Option(None, "--output", "-o", help="write csv/xlsx/json to this file instead of stdout")
_PICK = typer.Option(None, "--pick", min=1, help="when several match, take the N-th of the list")


class Answer:
    """One query's answer in every format: ``data`` for JSON, ``rows`` for CSV/XLSX, ``show`` for the table."""

    def __init__(self, data: Any, rows: list[dict], show: Callable[[Console], None], sheet: str) -> None:
        self.data, self.rows, self.show, self.sheet = data, rows, show, sheet


def emit(answer: Answer, fmt: Format, as_json: bool, output: Optional[str]) -> None:
    fmt = Format.json if as_json else fmt
    if fmt == Format.table:
        if output:
            raise UserError("--output goes with --format csv, xlsx or json; a table is printed")
        answer.show(Console(soft_wrap=True))
        return
    if fmt == Format.json:
        body = (json.dumps(answer.data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    elif fmt == Format.csv:
        body = tables.to_csv(answer.rows)
    else:
        if not output and sys.stdout.isatty():
            raise UserError("--format xlsx writes a binary file: give --output FILE.xlsx (or redirect stdout)")
        body = tables.to_xlsx(answer.rows, sheet=answer.sheet)
    if output and output != "-":
        target = Path(output)
        if target.is_dir():
            raise UserError(f"{output}: --output names a folder; give a file path")
        target.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()


def choose(found: Sequence[T], text: str, what: str, pick: Optional[int], label: Callable[[T], str],
           exact: Callable[[T], bool]) -> T:
    """The one of ``found`` the user means: the only one, the only exact one, or ``--pick N``."""
    if not found:
        fail(f"no {what} matches {text!r}", code=1)
    if pick is not None:
        if pick > len(found):
            fail(f"--pick {pick}: only {len(found)} {what}(s) match {text!r}", code=2)
        return found[pick - 1]
    exacts = [x for x in found if exact(x)]
    if len(found) == 1 or len(exacts) == 1:
        return exacts[0] if len(exacts) == 1 else found[0]
    err = Console(stderr=True, soft_wrap=True)
    t = Table(title=f"{len(found)} {what}s match {text!r}", title_justify="left")
    t.add_column("--pick", justify="right")
    t.add_column(what, overflow="fold")
    for i, x in enumerate(found, 1):
        t.add_row(str(i), escape(label(x)))
    err.print(t)
    fail(f"{len(found)} {what}s match {text!r}; choose one with --pick N, or give a more precise name", code=2)


def asking(db: Optional[str], neo4j: Optional[str], ask: Callable[[GraphStore], T]) -> T:
    """``ask`` the store the options name (read-only), closing it whatever happens."""
    store = open_from_options(db, neo4j, read_only=True)
    try:
        return ask(store)
    finally:
        store.close()


def _table(*headers: str, title: Optional[str] = None) -> Table:
    """A table that wraps long Chinese text instead of cutting it."""
    t = Table(title=title, title_justify="left", show_lines=True)
    for h in headers:
        t.add_column(h, overflow="fold")
    return t


def marked(text: str, words: Sequence[str]) -> str:
    """Rich markup of ``text`` (escaped) with the found words in bold yellow."""
    from zhize.graph.search import fold

    spans: list[tuple[int, int]] = []
    folded = fold(text)
    if len(folded) == len(text):                    # positions line up: no whitespace or NFKC change
        for w in sorted(words, key=len, reverse=True):
            start = folded.find(w)
            while start >= 0:
                if not any(s < start + len(w) and start < e for s, e in spans):
                    spans.append((start, start + len(w)))
                start = folded.find(w, start + 1)
    out, at = [], 0
    for s, e in sorted(spans):
        out += [escape(text[at:s]), "[bold yellow]", escape(text[s:e]), "[/]"]
        at = e
    return "".join(out) + escape(text[at:])


def show_tasks(tasks: Sequence[TaskOwners], title: str) -> Callable[[Console], None]:
    def show(out: Console) -> None:
        t = _table("#", "task", "lead 牵头", "responsible 负责", "support 配合", "document and quote", title=title)
        for i, a in enumerate(tasks, 1):
            t.add_row(str(i), marked(a.task, a.found), escape(tables.unit_names(a.lead)),
                      escape(tables.unit_names(a.responsible)), escape(tables.unit_names(a.support)),
                      escape(f"{a.doc}  {a.date or ''}\n{tables.plain(a.evidence.quote)}"))
        out.print(t)
    return show


# --- the queries ---------------------------------------------------------------------------

@query_app.command("owners")
def query_owners(
    words: list[str] = typer.Argument(..., help="what the task is about: words in any order, with or without "
                                                "spaces (残疾人就业, 反拐 宣传)"),
    limit: int = typer.Option(200, "--limit", "-n", help="at most this many tasks, best first"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """Who leads, is responsible for and supports the tasks about WORDS (in the task or its document's title;
    synonyms such as 反拐 = 拐卖人口 count), best match first."""
    answer = asking(db, neo4j, lambda store: store.owners(" ".join(words), limit=limit))
    text = " ".join(words)
    emit(Answer([asdict(a) for a in answer], tables.task_rows(answer),
                show_tasks(answer, f"{len(answer)} task(s) about {text}"), f"谁负责-{text}"), fmt, as_json, output)


def _find_document(store: GraphStore, text: str, pick: Optional[int]) -> dict[str, Any]:
    from zhize.graph.search import fold

    docs = store.documents()
    key = fold(text)
    found = [d for d in docs if key in fold(d.get("doc")) or key in fold(d.get("title"))]
    return choose(found, text, "document", pick, lambda d: f"{d['doc']}  {d.get('title') or ''}  {d.get('date') or ''}",
                  lambda d: key in (fold(d.get("doc")), fold(d.get("title"))))


@query_app.command("document")
def query_document(
    name: str = typer.Argument(..., help="the document's number (云政办函〔2017〕17号) or title, or part of it"),
    pick: Optional[int] = _PICK,
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """The document's 分工表: every task in print order, with its lead, responsible and supporting units."""
    def ask(store: GraphStore):
        doc = _find_document(store, name, pick)
        tasks = store.document_tasks(doc["doc"])
        return doc, tasks

    doc, tasks = asking(db, neo4j, ask)
    head = f"{doc['doc']}  {doc.get('title') or ''}  {doc.get('date') or ''}: {len(tasks)} task(s)"
    emit(Answer({"document": doc, "tasks": [asdict(t) for t in tasks]}, tables.task_rows(tasks),
                show_tasks(tasks, head), f"分工表-{doc['doc']}"), fmt, as_json, output)


def _pick_unit(store: GraphStore, name: str, pick: Optional[int]):
    from zhize.graph.semantics import squeeze

    q = squeeze(name)
    return choose(store.find_institutions(name, limit=50), name, "institution", pick,
                  lambda u: f"{u.name}  ({u.id})", lambda u: u.name == q or q in u.aliases)


@query_app.command("unit")
def query_unit(
    name: str = typer.Argument(..., help="institution name or part of it (省公安厅)"),
    role: Optional[Role] = typer.Option(None, "--role", help="only this role"),
    inherited: bool = typer.Option(True, "--inherited/--no-inherited", help="include predecessors' tasks"),
    limit: int = typer.Option(50, "--limit", "-n", min=0, help="show this many tasks, newest first (0: all)"),
    offset: int = typer.Option(0, "--offset", min=0, help="skip this many first"),
    pick: Optional[int] = _PICK,
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """The tasks of one institution (the one NAME names, see --pick), a page at a time."""
    def ask(store: GraphStore):
        unit = _pick_unit(store, name, pick)
        which = {"role": role.value if role else None, "include_inherited": inherited}
        total = store.unit_task_count(unit.id, **which)
        page = store.unit_tasks_page(unit.id, **which, limit=limit or max(total, 1), offset=offset)
        return unit, page, total

    unit, tasks, total = asking(db, neo4j, ask)
    shown = f"{offset + 1}-{offset + len(tasks)} of {total}" if len(tasks) < total else str(total)
    rows = [{"序号": i, "角色": ROLE_ZH[x.role], "任务": x.task, "文件": x.doc, "日期": x.date or "",
             "继承自": x.inherited_from or "", "原文": tables.plain(x.evidence.quote) if x.evidence else "",
             "来源文件": x.evidence.file if x.evidence else ""} for i, x in enumerate(tasks, offset + 1)]

    def show(out: Console) -> None:
        t = _table("role", "task", "document and quote", "inherited from",
                   title=f"{unit.name} ({unit.id}): {shown} task(s)")
        for x in tasks:
            t.add_row(f"{x.role} {ROLE_ZH[x.role]}", escape(x.task),
                      escape(f"{x.doc}  {x.date or ''}\n{tables.plain(x.evidence.quote) if x.evidence else ''}"),
                      escape(x.inherited_from or ""))
        out.print(t)
    emit(Answer({"unit": asdict(unit), "total": total, "offset": offset, "tasks": [asdict(t) for t in tasks]},
                rows, show, f"单位-{unit.name}"),
         fmt, as_json, output)


@query_app.command("groups")
def query_groups(
    unit: str = typer.Argument(..., help="institution name or part of it"),
    pick: Optional[int] = _PICK,
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """The leading groups (领导小组, 联席会议 …) the institution belongs to or hosts the office of."""
    def ask(store: GraphStore):
        inst = _pick_unit(store, unit, pick)
        groups = store.unit_groups(inst.id)
        return inst, groups

    inst, groups = asking(db, neo4j, ask)
    rows = [{"议事协调机构": g.group, "关系": g.relation, "文件": g.doc} for g in groups]

    def show(out: Console) -> None:
        t = _table("group", "relation", "document", title=f"{inst.name}: {len(groups)} group link(s)")
        for g in groups:
            t.add_row(escape(g.group), g.relation, escape(g.doc))
        out.print(t)
    emit(Answer({"unit": asdict(inst), "groups": [asdict(g) for g in groups]}, rows, show, f"机构-{inst.name}"),
         fmt, as_json, output)


@query_app.command("person")
def query_person(
    name: str = typer.Argument(..., help="a person's name, or part of it"),
    pick: Optional[int] = _PICK,
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """A person's posts, group seats and portfolio."""
    def ask(store: GraphStore):
        who = choose(store.find_persons(name, limit=50), name, "person", pick,
                     lambda p: f"{p.name}  {p.jurisdiction or ''}  ({p.id})", lambda p: p.name == name.strip())
        return store.person_profile(who.id)

    profile = asking(db, neo4j, ask)
    rows = ([{"类别": "职务", "内容": p.position, "关系": p.action, "文件": p.doc, "日期": p.date or ""}
             for p in profile.posts]
            + [{"类别": "机构", "内容": g.group, "关系": g.relation, "文件": g.doc, "日期": ""} for g in profile.groups]
            + [{"类别": "分工", "内容": p.object, "关系": p.relation, "文件": p.doc, "日期": ""}
               for p in profile.portfolio])

    def show(out: Console) -> None:
        out.print(f"[bold]{escape(profile.person.name)}[/] ({escape(profile.person.id)})")
        for title, head, items in (
                ("posts", ("post", "action", "document", "date"),
                 [(p.position, p.action, p.doc, p.date or "") for p in profile.posts]),
                ("groups", ("group", "role", "document"), [(g.group, g.relation, g.doc) for g in profile.groups]),
                ("portfolio", ("relation", "object", "document"),
                 [(p.relation, p.object, p.doc) for p in profile.portfolio])):
            t = _table(*head, title=title)
            for item in items:
                t.add_row(*map(escape, item))
            out.print(t)
    emit(Answer(asdict(profile), rows, show, f"人员-{profile.person.name}"), fmt, as_json, output)


@query_app.command("roster")
def query_roster(
    group: str = typer.Argument(..., help="group name or part of it (联席会议)"),
    pick: Optional[int] = _PICK,
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """Who sits in a group, its member units and where its office is."""
    def ask(store: GraphStore):
        g = choose(store.find_groups(group, limit=50), group, "group", pick, lambda g: f"{g.name}  ({g.doc})",
                   lambda g: g.name == group.strip())
        roster = store.group_roster(g.id)
        return g, roster

    g, roster = asking(db, neo4j, ask)
    rows = ([{"类别": "名单", "职务": e.role_text, "姓名": e.person or "", "现任职务": e.position or ""}
             for e in roster.entries]
            + [{"类别": "成员单位", "职务": "", "姓名": u.name, "现任职务": ""} for u in roster.member_units]
            + [{"类别": "办公室所在单位", "职务": "", "姓名": u.name, "现任职务": ""} for u in roster.office_hosts])

    def show(out: Console) -> None:
        t = _table("role", "person", "position", title=f"{roster.group.name} ({roster.group.doc})")
        for e in roster.entries:
            t.add_row(escape(e.role_text), escape(e.person or ""), escape(e.position or ""))
        out.print(t)
        out.print(f"member units ({len(roster.member_units)}): "
                  f"{escape(tables.unit_names(roster.member_units)) or '-'}")
        out.print(f"office at: {escape(tables.unit_names(roster.office_hosts)) or '-'}")
    emit(Answer(asdict(roster), rows, show, f"名单-{roster.group.name}"), fmt, as_json, output)


@query_app.command("network")
def query_network(
    jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", help="only units of this place (红河州)"),
    doc: Optional[str] = typer.Option(None, "--doc", help="only tasks of this document number"),
    year: Optional[int] = typer.Option(None, "--year", help="only tasks of documents signed this year"),
    role: Optional[list[Role]] = typer.Option(None, "--role", help="roles that count (repeatable)"),
    limit: int = typer.Option(50, "--limit", "-n"),
    db: Optional[str] = _DB, neo4j: Optional[str] = _NEO, fmt: Format = _FORMAT, as_json: bool = _AS_JSON,
    output: Optional[str] = _OUTPUT,
) -> None:
    """Units that share tasks (co-responsibility), heaviest pairs first."""
    flt = NetworkFilter(jurisdiction=jurisdiction, doc=doc, year=year,
                        roles=tuple(r.value for r in role) if role else NetworkFilter().roles)
    def ask(store: GraphStore):
        edges = store.co_responsibility(flt)[:limit]
        names = {i.id: i.name for i in store.institutions({e.a for e in edges} | {e.b for e in edges})}
        return edges, names

    edges, names = asking(db, neo4j, ask)
    data = [{**asdict(e), "a_name": names.get(e.a, e.a), "b_name": names.get(e.b, e.b)} for e in edges]
    rows = [{"单位甲": r["a_name"], "单位乙": r["b_name"], "共同任务数": r["weight"],
             "甲牵头乙配合": r["lead_to_support"], "乙牵头甲配合": r["support_to_lead"]} for r in data]

    def show(out: Console) -> None:
        t = _table("unit a", "unit b", "shared tasks", "a leads, b supports", "b leads, a supports",
                   title=f"{len(data)} pair(s)")
        for r in data:
            t.add_row(escape(r["a_name"]), escape(r["b_name"]), str(r["weight"]), str(r["lead_to_support"]),
                      str(r["support_to_lead"]))
        out.print(t)
    emit(Answer(data, rows, show, "协同网络"), fmt, as_json, output)
