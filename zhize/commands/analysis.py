"""``zhize insights`` and ``zhize query ranking``: where ownership is unclear, and which units matter most.

Both read the store's tables (``zhize.graph.frames``) through the same
``Selection`` as ``zhize export`` and ``store.to_networkx()``, so the CLI, the
notebooks and the explorer count alike.  The filter options are defined here
once and shared with ``zhize export``.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from zhize.commands.query import _FORMAT as FORMAT, _OUTPUT as OUTPUT, Answer, Format, emit, query_app
from zhize.commands.store import DB_HELP, NEO4J_HELP, Role, open_from_options
from zhize.errors import UserError
from zhize.graph.frames import UNIT_KINDS_NOT_ONE_BODY, Selection, parse_years

LEAVE_OUT_HELP = ("kinds of unit to leave out (repeatable): generic (有关部门), collective (各州、市人民政府); "
                  "none keeps every unit")
JURISDICTION = typer.Option(None, "--jurisdiction", help="only units (and groups) of this place (红河州)")
YEARS = typer.Option(None, "--years", help="only documents of these years: 2021, 2016-2022 or 2016,2018")
DOC = typer.Option(None, "--doc", help="only this document number")
ROLES = typer.Option(None, "--role", help="roles that count (repeatable; default all)")
DB = typer.Option(None, "--db", help=DB_HELP)
NEO4J = typer.Option(None, "--neo4j", help=NEO4J_HELP)
AS_JSON = typer.Option(False, "--json", help="print the answer as JSON")


def selection_from(jurisdiction: Optional[str], years: Optional[str], doc: Optional[str],
                   roles: Optional[list[Role]], leave_out: Optional[list[str]],
                   default_leave_out: tuple[str, ...]) -> Selection:
    """The options' ``Selection``; a usage error naming the option when a value makes no sense."""
    try:
        parsed = parse_years(years)
    except ValueError as exc:
        raise UserError(f"--years {exc}") from None
    kinds = tuple(default_leave_out if leave_out is None else [k for k in leave_out if k != "none"])
    unknown = [k for k in kinds if k not in UNIT_KINDS_NOT_ONE_BODY]
    if unknown:
        raise UserError(f"--leave-out {', '.join(unknown)}: use {', '.join(UNIT_KINDS_NOT_ONE_BODY)} or none")
    return Selection.of(jurisdiction, parsed, doc, tuple(r.value for r in roles) if roles else
                        ("lead", "responsible", "support"), kinds)


def register(app: typer.Typer) -> None:
    app.command("insights")(insights)
    query_app.command("ranking")(ranking)


SUBJECT_MAX = 60             # characters of a task's text in the insights table (--json has it whole)


def _out() -> Console:
    return Console(soft_wrap=True)


def _table(*headers: str, title: Optional[str] = None) -> Table:
    t = Table(title=title)
    for h in headers:
        t.add_column(h, overflow="fold")
    return t


# --- insights -------------------------------------------------------------------------

def insights(
    kind: Optional[list[str]] = typer.Option(None, "--kind", help="only these finding kinds (repeatable): "
                                             "no_lead, several_leads, lead_differs, only_supports, abolished_unit"),
    limit: int = typer.Option(10, "--limit", "-n", help="findings shown per kind (the counts are of all; "
                                                        "--json lists all)"),
    min_units: int = typer.Option(2, "--min-units", min=2, help="no_lead: responsible units at least"),
    min_tasks: int = typer.Option(2, "--min-tasks", min=1, help="only_supports: supported tasks at least"),
    similarity: float = typer.Option(0.8, "--similarity", min=0.1, max=1.0,
                                     help="lead_differs: character n-gram similarity at which two tasks are one"),
    jurisdiction: Optional[str] = JURISDICTION, years: Optional[str] = YEARS, doc: Optional[str] = DOC,
    leave_out: Optional[list[str]] = typer.Option(None, "--leave-out", help=LEAVE_OUT_HELP
                                                  + " (default: generic and collective)"),
    db: Optional[str] = DB, neo4j: Optional[str] = NEO4J, as_json: bool = AS_JSON,
) -> None:
    """Where ownership is unclear: tasks without a lead or with several, the same task led by different
    units, units that only support, tasks left with a body a reform abolished; each with its evidence."""
    from zhize.graph import insights as ins

    kinds = kind or list(ins.KINDS)
    unknown = [k for k in kinds if k not in ins.KINDS]
    if unknown:
        raise UserError(f"--kind {', '.join(unknown)}: use {', '.join(ins.KINDS)}")
    sel = selection_from(jurisdiction, years, doc, None, leave_out, UNIT_KINDS_NOT_ONE_BODY)
    store = open_from_options(db, neo4j, read_only=True)
    try:
        findings = store.insights(kinds, sel, options={"no_lead": {"min_units": min_units},
                                                       "only_supports": {"min_tasks": min_tasks},
                                                       "lead_differs": {"similarity": similarity}})
    finally:
        store.close()
    counts = ins.counts(findings)
    if as_json:
        print(json.dumps({"selection": sel.describe(), "counts": {k: counts[k] for k in kinds},
                          "findings": [asdict(f) for f in findings]}, ensure_ascii=False, indent=1))
        return
    out = _out()
    out.print(f"where ownership is unclear ({sel.describe()})", markup=False, highlight=False)
    for k in kinds:
        of_kind = [f for f in findings if f.kind == k]
        t = _table("about", "what is unclear", "evidence",
                   title=f"{ins.KIND_EN[k]} ({ins.KIND_ZH[k]}): {counts[k]}")
        for f in of_kind[:limit]:
            lines = ins.evidence_lines(f)
            t.add_row(f.subject if len(f.subject) <= SUBJECT_MAX else f.subject[:SUBJECT_MAX] + "…", f.detail,
                      "\n".join(lines[:3]) + (f"\n… {len(lines) - 3} more" if len(lines) > 3 else ""))
        out.print(t)
        if len(of_kind) > limit:
            out.print(f"… {len(of_kind) - limit} more (--limit, or --json for all)", highlight=False)


# --- query ranking ----------------------------------------------------------------------

def ranking(
    by: str = typer.Option("tasks", "--by", help="order by: lead, responsible, support, tasks, partners or "
                                                 "betweenness"),
    limit: int = typer.Option(20, "--limit", "-n"),
    jurisdiction: Optional[str] = JURISDICTION, years: Optional[str] = YEARS, doc: Optional[str] = DOC,
    role: Optional[list[Role]] = ROLES,
    leave_out: Optional[list[str]] = typer.Option(None, "--leave-out", help=LEAVE_OUT_HELP + " (default: generic)"),
    db: Optional[str] = DB, neo4j: Optional[str] = NEO4J, fmt: Format = FORMAT, as_json: bool = AS_JSON,
    output: Optional[str] = OUTPUT,
) -> None:
    """Units ranked by the tasks they lead, are responsible for, support, and by their place in the
    co-responsibility network (partners, betweenness)."""
    from zhize.graph.frames import DEFAULT_LEAVE_OUT
    from zhize.graph.networks import RANK_BY

    if by not in RANK_BY:
        raise UserError(f"--by {by}: use one of {', '.join(RANK_BY)}")
    sel = selection_from(jurisdiction, years, doc, role, leave_out, DEFAULT_LEAVE_OUT)
    store = open_from_options(db, neo4j, read_only=True)
    try:
        ranked = store.ranking(sel, by)
    finally:
        store.close()
    ranked = [r for r in ranked if by not in ("lead", "responsible", "support") or r[by] > 0][:limit]
    rows = [{"单位": r["name"], "类别": r["kind"] or "", "牵头": r["lead"], "负责": r["responsible"],
             "配合": r["support"], "任务数": r["tasks"], "协同单位数": r["partners"],
             "中介中心度": round(r["betweenness"], 4)} for r in ranked]

    def show(out: Console) -> None:
        t = _table("unit", "kind", "lead", "responsible", "support", "tasks", "partners", "betweenness",
                   title=f"{len(ranked)} unit(s) by {by} ({sel.describe()})")
        for r in ranked:
            t.add_row(r["name"], r["kind"] or "", *(str(r[k]) for k in ("lead", "responsible", "support", "tasks",
                                                                        "partners")), f"{r['betweenness']:.4f}")
        out.print(t)
    emit(Answer(ranked, rows, show, f"排名-{by}"), fmt, as_json, output)
