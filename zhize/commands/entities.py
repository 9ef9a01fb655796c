"""``zhize entities [PATH...]``: the institutions and people the documents name.

For reviewing entity resolution: every institution with its full name, kind,
jurisdiction, aliases as printed and mention count; every person with their
posts; and the names that resolved only by rule (not in the registry), which
are what to add to ``extract/data/institutions.yaml``.  Without PATH it lists
the registry itself.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from zhize.extract.entities import Resolution
from zhize.commands.running import PATHS_HELP, inputs_or_exit, run_or_exit

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("entities")(entities)


def resolution_for(paths: list[str]) -> tuple[Resolution, list[str], int]:
    """Extract and resolve ``paths``; also the files that could not be read, and how many were."""
    from zhize.pipeline import Pipeline

    report = run_or_exit(Pipeline(), inputs_or_exit(paths))
    return report.resolution, [f"{f.file}: {f.error}" for f in report.failed], len(report.read)


def registry_resolution() -> Resolution:
    """The registry as a Resolution with no mentions: every body at province level and every reform."""
    from zhize.extract.entities import Institution, SuccessionRecord
    from zhize.extract.resolve import default_resolver

    r = default_resolver()
    res = Resolution()
    province = r.geo.get(r.geo.registry_province)

    def add(x) -> None:
        res.institutions.setdefault(x.id, Institution(id=x.id, name=x.name, kind=x.kind, jurisdiction=x.jurisdiction,
                                                      level=x.level, aliases=set(x.aliases), resolved_by=x.by))

    for stem in r.province_stems():
        add(r.resolve_unit("省" + stem, province))
    for short in r.body_names():
        add(r.resolve_unit(short, province))
    for preds, succ, date, source in r.succession_table():
        for x in (succ, *preds):
            add(x)
        res.successions.extend(SuccessionRecord(p.id, succ.id, date, source) for p in preds)
    return res


def as_json(res: Resolution) -> dict[str, Any]:
    insts = sorted(res.institutions.values(), key=lambda i: (-i.mentions, i.id))
    return {
        "institutions": [{**asdict(i), "aliases": sorted(i.aliases)} for i in insts],
        "persons": [asdict(p) for p in sorted(res.persons.values(), key=lambda p: (-p.mentions, p.id))],
        "successions": [asdict(s) for s in res.successions],
        "rule_only": res.rule_only,
    }


def entities(
    paths: Optional[list[str]] = typer.Argument(None, help=PATHS_HELP + "; none: list the registry"),
    as_json_: bool = typer.Option(False, "--json", help="one JSON object on stdout"),
    rule_only: bool = typer.Option(False, "--rule-only", help="only the names the registry does not know"),
) -> None:
    """List the institutions and people named in PATHS, with aliases and mention counts."""
    if paths:
        res, failed, read = resolution_for(paths)
        for line in failed:
            err.print(f"[red]error[/] {line}", markup=True)
    else:
        res, failed, read = registry_resolution(), [], 0
    if rule_only:
        res = Resolution(institutions={i: res.institutions[i] for i in res.rule_only}, rule_only=res.rule_only)
    if as_json_:
        sys.stdout.write(json.dumps(as_json(res), ensure_ascii=False, indent=1) + "\n")
    else:
        _print(res, tables=not rule_only)
    if failed:
        from zhize.errors import exit_code
        raise typer.Exit(code=exit_code(read, len(failed)))


def _print(res: Resolution, tables: bool = True) -> None:
    if tables:
        _print_tables(res)
    if res.rule_only:
        out.print(f"[bold]{len(res.rule_only)} resolved by rule only[/] (not in the registry):")
        for i in res.rule_only:
            inst = res.institutions[i]
            out.print(f"  {i}  {inst.kind}  ×{inst.mentions}  {'、'.join(sorted(inst.aliases))}", markup=False)
    else:
        out.print("no names resolved by rule only: every institution is in the registry or is generic/collective")


def _print_tables(res: Resolution) -> None:
    t = Table(title=f"{len(res.institutions)} institutions", show_lines=False)
    for col in ("mentions", "id", "name", "kind", "by", "aliases"):
        t.add_column(col, overflow="fold")
    for i in sorted(res.institutions.values(), key=lambda i: (-i.mentions, i.id)):
        t.add_row(str(i.mentions), i.id, i.name, i.kind, i.resolved_by, "、".join(sorted(i.aliases - {i.name})))
    out.print(t)
    if res.successions:
        s = Table(title=f"{len(res.successions)} successions")
        for col in ("predecessor", "successor", "date", "source"):
            s.add_column(col, overflow="fold")
        for r in res.successions:
            s.add_row(r.predecessor, r.successor, r.date or "", r.source or "")
        out.print(s)
    if res.persons:
        p = Table(title=f"{len(res.persons)} people")
        for col in ("mentions", "id", "posts"):
            p.add_column(col, overflow="fold")
        for person in sorted(res.persons.values(), key=lambda p: (-p.mentions, p.id)):
            posts = "；".join(f"{x.position} ({x.date or '?'}, {x.doc})" for x in person.posts)
            p.add_row(str(person.mentions), person.id, posts)
        out.print(p)
