"""What a store holds as pandas tables: the analyst's view, and what exports and insights read.

The tables are made from a ``GraphBatch`` (a store's whole content, or a
batch built from files), so they are the same whichever store answers.  One
row per fact, not per printing: a duty (task, unit, role) printed in two files
is one row carrying its first printed evidence, as every store query counts it
(``semantics.first_of``).

* ``units``: institutions, with the distinct tasks they lead / are
  responsible for / support (over the selected duties).
* ``tasks``: one row per task with a selected duty, its units by role.
* ``duties``: one row per (task, unit, role), with the evidence.
* ``memberships``: seats in groups (a person, or a post where no name is
  printed) and member / office-host units, with the evidence.
* ``successions``: reforms the store knows (predecessor -> successor).

``Selection`` is the filter every table, network and finding takes: the
units' jurisdiction, the documents' years, one document, the roles, and the
kinds of unit to leave out (generic bodies such as 有关部门 by default, as the
store's network does; ``collective`` for 各州、市人民政府 and the like).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Optional, Union

import pandas as pd

from zhize.graph.model import GraphBatch, Node, Rel
from zhize.graph.semantics import REL_TO_ROLE, ROLES, print_order

#: kinds of unit that name no one body: left out of networks and findings on request
UNIT_KINDS_NOT_ONE_BODY = ("generic", "collective")
DEFAULT_LEAVE_OUT = ("generic",)

YearsArg = Union[None, int, tuple[int, int], Iterable[int]]

UNIT_COLUMNS = ["unit_id", "name", "kind", "jurisdiction", "level", "mentions", "lead", "responsible", "support",
                "tasks"]
DUTY_COLUMNS = ["task_id", "task", "unit_id", "unit", "mention", "kind", "unit_jurisdiction", "role", "doc",
                "doc_id", "title", "date", "year", "file", "start", "end", "evidence"]
TASK_COLUMNS = ["task_id", "task", "doc", "doc_id", "title", "date", "year", "n_lead",
                "n_responsible", "n_support", "lead", "responsible", "support", "file", "start", "end", "evidence"]
MEMBERSHIP_COLUMNS = ["member_id", "member", "member_type", "group_id", "group", "role", "role_text", "position",
                      "doc", "date", "year", "jurisdiction", "file", "start", "end", "evidence"]
SUCCESSION_COLUMNS = ["predecessor", "predecessor_name", "successor", "successor_name", "date", "source"]

UNIT_ROLES = ("member_unit", "office_host")      # memberships of an institution, after MEMBER_ROLES


def _year(date: Any) -> Optional[int]:
    """The year of an ISO date (``2021-10-20``, ``2018``); None for a document without one."""
    text = str(date or "")
    return int(text[:4]) if text[:4].isdigit() else None


def _years(years: YearsArg) -> Optional[frozenset[int]]:
    if years is None:
        return None
    if isinstance(years, int):
        return frozenset({years})
    if isinstance(years, tuple) and len(years) == 2 and all(isinstance(y, int) for y in years) and years[0] <= years[1]:
        return frozenset(range(years[0], years[1] + 1))
    return frozenset(int(y) for y in years)


def parse_years(text: Optional[str]) -> Optional[frozenset[int]]:
    """``2021``, ``2016-2022`` (inclusive) or ``2016,2018`` as the years a ``Selection`` takes."""
    if not text:
        return None
    years: set[int] = set()
    for part in str(text).replace("，", ",").split(","):
        bounds = [b.strip() for b in part.replace("–", "-").split("-")]
        if not all(b.isdigit() and len(b) == 4 for b in bounds) or len(bounds) > 2:
            raise ValueError(f"{text!r}: give a year (2021), a range (2016-2022) or years (2016,2018)")
        first, last = int(bounds[0]), int(bounds[-1])
        if first > last:
            raise ValueError(f"{text!r}: the range {first}-{last} runs backwards")
        years.update(range(first, last + 1))
    return frozenset(years)


@dataclass(frozen=True)
class Selection:
    """Which facts a table, network or finding reads.

    ``jurisdiction``: units (and groups) of that place; ``years``: a year, an
    inclusive ``(first, last)`` range or any set of years, of the document's
    date (undated documents drop out once years are asked for); ``doc``: one
    document number; ``roles``: duty roles that count; ``leave_out``: kinds
    of unit dropped (``UNIT_KINDS_NOT_ONE_BODY``).
    """

    jurisdiction: Optional[str] = None
    years: Optional[frozenset[int]] = None
    doc: Optional[str] = None
    roles: tuple[str, ...] = ROLES
    leave_out: tuple[str, ...] = DEFAULT_LEAVE_OUT

    @classmethod
    def of(cls, jurisdiction: Optional[str] = None, years: YearsArg = None, doc: Optional[str] = None,
           roles: Iterable[str] = ROLES, leave_out: Iterable[str] = DEFAULT_LEAVE_OUT) -> "Selection":
        roles, leave_out = tuple(roles), tuple(leave_out)
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(ROLES)}")
        return cls(jurisdiction or None, _years(years), doc or None, roles, leave_out)

    def describe(self) -> str:
        parts = []
        if self.jurisdiction:
            parts.append(f"units of {self.jurisdiction}")
        if self.years:
            ys = sorted(self.years)
            parts.append(f"years {ys[0]}–{ys[-1]}" if ys == list(range(ys[0], ys[-1] + 1)) else
                         "years " + ", ".join(map(str, ys)))
        if self.doc:
            parts.append(f"document {self.doc}")
        if self.roles != ROLES:
            parts.append("roles " + ", ".join(self.roles))
        if self.leave_out:
            parts.append("without " + " and ".join(self.leave_out) + " units")
        return "; ".join(parts) or "everything"


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in ("year", "start", "end"):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    return df


def _evidence(p: dict[str, Any]) -> dict[str, Any]:
    return {"file": p.get("file"), "start": p.get("start"), "end": p.get("end"), "evidence": p.get("evidence")}


def _first_printed(rels: Iterable[Rel], key) -> list[Rel]:
    """One relationship per ``key``, the first printed (a fact printed in two files is one fact)."""
    out: dict[Any, Rel] = {}
    for r in sorted(rels, key=lambda r: (print_order(r.props), r.start, r.end, r.key)):
        out.setdefault(key(r), r)
    return list(out.values())


@dataclass
class Tables:
    """The store's facts as DataFrames (see the module doc); ``select`` narrows them."""

    units: pd.DataFrame
    tasks: pd.DataFrame
    duties: pd.DataFrame
    memberships: pd.DataFrame
    successions: pd.DataFrame
    selection: Selection = field(default_factory=lambda: Selection(leave_out=()))

    @classmethod
    def of_batch(cls, batch: GraphBatch) -> "Tables":
        """Every fact of ``batch``, nothing left out (``select`` applies a ``Selection``)."""
        nodes: dict[str, Node] = {n.id: n for n in batch.nodes}
        docs = {n.id: n.props for n in batch.nodes if n.label == "Document"}

        def name(ident: str) -> str:
            n = nodes.get(ident)
            return str(n.props.get("name") or n.props.get("text") or ident) if n is not None else ident

        duties = []
        duty_rels = [r for r in batch.rels if r.type in REL_TO_ROLE]
        for r in _first_printed(duty_rels, lambda r: (r.end, r.start, r.type)):
            unit, task = nodes.get(r.start), nodes.get(r.end)
            if unit is None or task is None:
                continue
            tp = task.props
            duties.append({
                "task_id": task.id, "task": tp.get("text"), "unit_id": unit.id, "unit": name(unit.id),
                "mention": r.props.get("mention"), "kind": unit.props.get("kind"),
                "unit_jurisdiction": unit.props.get("jurisdiction"), "role": REL_TO_ROLE[r.type],
                "doc": tp.get("doc"), "doc_id": tp.get("doc_id"), "title": tp.get("title"), "date": tp.get("date"),
                "year": _year(tp.get("date")), **_evidence(r.props),
            })
        memberships = []
        member_rels = [r for r in batch.rels if r.type in ("MEMBER_OF", "MEMBER_UNIT_OF", "OFFICE_AT")]
        for r in _first_printed(member_rels, lambda r: (r.type, r.start, r.end, r.props.get("role"),
                                                        r.props.get("doc"))):
            member_id, group_id = (r.end, r.start) if r.type == "OFFICE_AT" else (r.start, r.end)
            member, group = nodes.get(member_id), nodes.get(group_id)
            if member is None or group is None:
                continue
            p = r.props
            role = p.get("role") if r.type == "MEMBER_OF" else p.get("relation")
            doc_props = docs.get(p.get("doc_id"), {})
            memberships.append({
                "member_id": member_id, "member": name(member_id), "member_type": member.label,
                "group_id": group_id, "group": name(group_id), "role": role,
                "role_text": p.get("role_text"), "position": p.get("position"), "doc": p.get("doc"),
                "date": p.get("date") or doc_props.get("date"), "year": _year(p.get("date") or doc_props.get("date")),
                "jurisdiction": group.props.get("jurisdiction"), **_evidence(p),
            })
        successions = [{"predecessor": r.start, "predecessor_name": name(r.start), "successor": r.end,
                        "successor_name": name(r.end), "date": r.props.get("date"), "source": r.props.get("source")}
                       for r in sorted(batch.rels, key=lambda r: (r.props.get("date") or "", r.start, r.end))
                       if r.type == "SUCCEEDED_BY"]
        units = [{"unit_id": n.id, "name": name(n.id), "kind": n.props.get("kind"),
                  "jurisdiction": n.props.get("jurisdiction"), "level": n.props.get("level"),
                  "mentions": int(n.props.get("mentions") or 0)}
                 for n in sorted(batch.nodes, key=lambda n: n.id) if n.label == "Institution"]
        base = cls(units=_frame(units, UNIT_COLUMNS[:6]), tasks=_frame([], TASK_COLUMNS),
                   duties=_frame(duties, DUTY_COLUMNS), memberships=_frame(memberships, MEMBERSHIP_COLUMNS),
                   successions=_frame(successions, SUCCESSION_COLUMNS))
        return base._counted()

    def _counted(self) -> "Tables":
        """Units' role counts and the task table, from the duties as they now are."""
        d = self.duties
        units = self.units[UNIT_COLUMNS[:6]].copy()
        per_role = (d.drop_duplicates(["task_id", "unit_id", "role"]).groupby(["unit_id", "role"]).size()
                    .unstack(fill_value=0).reindex(columns=list(ROLES), fill_value=0))
        units = units.merge(per_role, how="left", left_on="unit_id", right_index=True)
        units["tasks"] = units["unit_id"].map(d.groupby("unit_id")["task_id"].nunique())
        for c in (*ROLES, "tasks"):
            units[c] = units[c].fillna(0).astype(int)
        return replace(self, units=units[UNIT_COLUMNS], tasks=_tasks_of(d))

    def select(self, selection: Optional[Selection] = None, **filters: Any) -> "Tables":
        """These tables narrowed to ``selection`` (or ``Selection.of(**filters)``)."""
        sel = selection if selection is not None else Selection.of(**filters)
        d, m, u = self.duties, self.memberships, self.units
        leave_out = set(sel.leave_out)
        d = d[d["role"].isin(sel.roles) & ~d["kind"].isin(leave_out)]
        left_out_units = set(u.loc[u["kind"].isin(leave_out), "unit_id"])
        m = m[~m["member_id"].isin(left_out_units)]
        if sel.jurisdiction:
            d = d[d["unit_jurisdiction"] == sel.jurisdiction]
            m = m[m["jurisdiction"] == sel.jurisdiction]
            u = u[u["jurisdiction"] == sel.jurisdiction]
        if sel.years is not None:
            d = d[d["year"].isin(sel.years)]
            m = m[m["year"].isin(sel.years)]
        if sel.doc:
            d = d[d["doc"] == sel.doc]
            m = m[m["doc"] == sel.doc]
        u = u[~u["kind"].isin(leave_out)]
        return replace(self, units=u.reset_index(drop=True), duties=d.reset_index(drop=True),
                       memberships=m.reset_index(drop=True), selection=sel)._counted()

    def names(self) -> dict[str, str]:
        return dict(zip(self.units["unit_id"], self.units["name"]))


def _tasks_of(duties: pd.DataFrame) -> pd.DataFrame:
    """One row per task: its units by role (print order), its first printed evidence."""
    first = duties.drop_duplicates("task_id").set_index("task_id")
    out = first[["task", "doc", "doc_id", "title", "date", "year", "file", "start", "end", "evidence"]].copy()
    for role in ROLES:
        units = duties[duties["role"] == role].drop_duplicates(["task_id", "unit_id"]).groupby("task_id")["unit"]
        out[f"n_{role}"] = units.size().reindex(out.index, fill_value=0).astype(int)
        out[role] = units.agg("、".join).reindex(out.index, fill_value="")
    return out.reset_index()[TASK_COLUMNS]


__all__ = ["Selection", "Tables", "UNIT_KINDS_NOT_ONE_BODY", "DEFAULT_LEAVE_OUT", "UNIT_ROLES"]
