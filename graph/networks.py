"""The store's facts as networkx graphs, every attribute a scalar (GraphML, GEXF and Gephi read them).

Three kinds, each from the selected ``Tables``:

* ``co_responsibility``: units, linked where they hold a role on the same task
  (``weight`` = shared tasks, the lead→support counts of both directions as
  ``analytics.co_graph`` keeps them).  The edges are exactly the store's
  ``co_responsibility`` answer for the same filter (``semantics.co_edges``).
  Every selected unit with a task is a node, also one that shares none.
* ``lead_support``: directed, lead unit → support unit, ``weight`` = tasks
  where one leads and the other supports.
* ``person_group``: bipartite, people (or the post filling a seat where no
  name is printed) and groups, an edge per seat (``role`` the highest, e.g.
  head before member; ``seats`` how many documents list it).

Units carry ``name``, ``label`` (the name, which Gephi shows), ``kind``,
``jurisdiction``, ``level``, ``mentions`` and distinct tasks per role
(``lead``, ``responsible``, ``support``, ``tasks``); missing values are ``""``.
"""
from __future__ import annotations

from typing import Any, Mapping

import networkx as nx
import pandas as pd

from zhize.graph import analytics
from zhize.graph.frames import Tables
from zhize.graph.semantics import MEMBER_ROLES, co_edges, rank

KINDS = ("co_responsibility", "lead_support", "person_group")


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold: numpy and pandas scalars as Python ones, missing as ''."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "item"):
        return value.item()
    return value


def _unit_attrs(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("name", "kind", "jurisdiction", "level", "mentions", "lead", "responsible", "support", "tasks")
    attrs = {k: _scalar(row[k]) for k in keys}
    attrs["label"] = attrs["name"]
    return attrs


def co_responsibility(tables: Tables) -> nx.Graph:
    d = tables.duties
    edges = co_edges(zip(d["task_id"], d["unit_id"], d["role"]))
    g = analytics.co_graph(edges, tables.names())
    active = tables.units[tables.units["tasks"] > 0]
    for row in active.to_dict("records"):
        g.add_node(row["unit_id"], **_unit_attrs(row))
    return g


def lead_support(tables: Tables) -> nx.DiGraph:
    return analytics.lead_graph(co_responsibility(tables))


def person_group(tables: Tables) -> nx.Graph:
    m = tables.memberships
    seats = m[m["member_type"].isin(("Person", "Post"))]
    g = nx.Graph()
    for row in seats.to_dict("records"):
        person, group = row["member_id"], row["group_id"]
        if person not in g:
            g.add_node(person, name=row["member"], label=row["member"], type=row["member_type"], bipartite=0)
        if group not in g:
            g.add_node(group, name=row["group"], label=row["group"], type="Group", bipartite=1,
                       jurisdiction=_scalar(row["jurisdiction"]))
        if g.has_edge(person, group):
            e = g[person][group]
            e["seats"] += 1
            if rank(row["role"], MEMBER_ROLES) < rank(e["role"], MEMBER_ROLES):
                e.update(role=row["role"], role_text=_scalar(row["role_text"]), position=_scalar(row["position"]))
        else:
            g.add_edge(person, group, role=row["role"], role_text=_scalar(row["role_text"]),
                       position=_scalar(row["position"]), doc=_scalar(row["doc"]), seats=1, weight=1)
    for n, data in g.nodes(data=True):
        data["groups" if data["bipartite"] == 0 else "members"] = g.degree(n)
    return g


_BUILD = {"co_responsibility": co_responsibility, "lead_support": lead_support, "person_group": person_group}


def network(tables: Tables, kind: str = "co_responsibility") -> nx.Graph:
    """The graph of ``kind`` (``KINDS``) over these tables; names the kinds when ``kind`` is none of them."""
    try:
        build = _BUILD[kind]
    except KeyError:
        raise ValueError(f"unknown network kind {kind!r}; use one of {', '.join(KINDS)}") from None
    g = build(tables)
    g.graph.update(kind=kind, selection=tables.selection.describe())
    return g


def non_scalar_attributes(g: nx.Graph) -> list[str]:
    """Where an attribute is not a str, int, float or bool (what GraphML and GEXF refuse): empty when fine."""
    ok = (str, int, float, bool)
    bad = [f"graph {k}" for k, v in g.graph.items() if not isinstance(v, ok)]
    bad += [f"node {n} {k}" for n, d in g.nodes(data=True) for k, v in d.items() if not isinstance(v, ok)]
    bad += [f"edge {a}-{b} {k}" for a, b, d in g.edges(data=True) for k, v in d.items() if not isinstance(v, ok)]
    return bad


RANK_BY = ("lead", "responsible", "support", "tasks", "partners", "betweenness")


def unit_ranking(tables: Tables, by: str = "tasks") -> list[dict[str, Any]]:
    """Every selected unit with a task: its distinct tasks per role and its place in the co-responsibility
    network (``partners`` = degree, ``shared_tasks`` = strength, ``betweenness`` as the explorer computes it),
    ordered by ``by`` (most first), then name and id."""
    if by not in RANK_BY:
        raise ValueError(f"unknown order {by!r}; use one of {', '.join(RANK_BY)}")
    g = co_responsibility(tables)
    central = {r.unit_id: r for r in analytics.centrality_table(g)}
    rows = []
    for unit, d in g.nodes(data=True):
        c = central.get(unit)
        rows.append({"unit_id": unit, "name": d["name"], "kind": d["kind"], "jurisdiction": d["jurisdiction"],
                     "lead": d["lead"], "responsible": d["responsible"], "support": d["support"], "tasks": d["tasks"],
                     "partners": c.degree if c else 0, "shared_tasks": c.strength if c else 0,
                     "betweenness": c.betweenness if c else 0.0})
    rows.sort(key=lambda r: (-r[by], r["name"], r["unit_id"]))
    return rows
