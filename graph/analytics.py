"""The co-responsibility network and the lead/support balance, with networkx.

Input is what any ``GraphStore`` answers (``co_responsibility`` edges,
``unit_tasks``), so the numbers are the same whichever backend is configured.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

import networkx as nx

from zhize.graph.model import CoEdge, InstitutionInfo, NetworkFilter, UnitTask

ROLES = ("lead", "responsible", "support")

# Exact betweenness is O(V·E); past this many nodes we sample this many sources
# (fixed seed, so a link shows the same numbers every time) to stay interactive.
BETWEENNESS_EXACT_MAX = 400
BETWEENNESS_SAMPLES = 50     # 100 cost 0.23 s on a 100k-fact store, 50 cost 0.15 s (bench/bench_app.py)


def co_graph(edges: Iterable[CoEdge], names: Mapping[str, str] = {}) -> nx.Graph:
    """Units as nodes, an edge where they share tasks (weight = shared tasks).

    Every attribute is a scalar, so the graph writes to GraphML and GEXF as it
    is.  The lead→support counts of both directions stay on the edge as the
    ``CoEdge`` has them: ``a`` (the unit that leads the other more often),
    ``lead_to_support`` (tasks where ``a`` leads and the other supports) and
    ``support_to_lead``; ``leads(d, unit)`` reads them for either end, so the
    same graph answers both the undirected and the lead→support view.  A
    store that reports a pair twice (once each way) is folded into one edge.
    """
    g = nx.Graph()
    for e in edges:
        if e.a == e.b:
            continue
        for n in (e.a, e.b):
            if n not in g:
                g.add_node(n, name=names.get(n, n))
        if g.has_edge(e.a, e.b):
            d = g[e.a][e.b]
            by_unit = {e.a: max(leads(d, e.a), e.lead_to_support), e.b: max(leads(d, e.b), e.support_to_lead)}
            d.update(weight=max(d["weight"], e.weight), lead_to_support=by_unit[d["a"]],
                     support_to_lead=by_unit[e.b if d["a"] == e.a else e.a])
        else:
            g.add_edge(e.a, e.b, weight=e.weight, a=e.a, lead_to_support=e.lead_to_support,
                       support_to_lead=e.support_to_lead)
    for _, _, d in g.edges(data=True):
        d["distance"] = 1.0 / d["weight"] if d["weight"] else 1.0
    return g


def leads(d: Mapping, unit: str) -> int:
    """On a ``co_graph`` edge's data: the shared tasks where ``unit`` leads and the other supports."""
    return d["lead_to_support"] if d["a"] == unit else d["support_to_lead"]


def lead_graph(g: nx.Graph) -> nx.DiGraph:
    """Lead → support edges only, weighted by the tasks where one leads and the other supports."""
    dg = nx.DiGraph()
    dg.add_nodes_from(g.nodes(data=True))
    for x, y, d in g.edges(data=True):
        for src, dst in ((x, y), (y, x)):
            n = leads(d, src)
            if n:
                dg.add_edge(src, dst, weight=n)
    return dg


def top_nodes(g: nx.Graph, n: int) -> list[str]:
    """The ``n`` units with the most shared tasks: what the drawing shows when the network is big."""
    strength = dict(g.degree(weight="weight"))
    return sorted(g.nodes, key=lambda u: (-strength[u], g.nodes[u].get("name", u), u))[:n]


def subgraph(g: nx.Graph, nodes: Iterable[str], min_weight: int = 1) -> nx.Graph:
    """The drawn part: chosen nodes, edges at least ``min_weight``; isolated nodes kept."""
    sg = g.subgraph(list(nodes)).copy()
    sg.remove_edges_from([(a, b) for a, b, d in sg.edges(data=True) if d["weight"] < min_weight])
    return sg


def isolated(g: nx.Graph) -> list:
    """Units without any edge (left when a filter drops all of theirs)."""
    return list(nx.isolates(g))


def drawn(g: nx.Graph, nodes: Iterable[str], min_weight: int = 1, directed: bool = False) -> nx.Graph:
    """What the picture shows: the chosen units with their edges of at least ``min_weight`` shared tasks
    (with ``directed``, the lead→support edges among them), without the units left with no edge."""
    sg = subgraph(g, nodes, min_weight)
    out = lead_graph(sg) if directed else sg
    out.remove_nodes_from(isolated(out))
    return out


@dataclass(frozen=True)
class Balance:
    """How much of a unit's work it leads, is responsible for, supports."""

    unit_id: str
    name: str
    lead: int
    responsible: int
    support: int

    @property
    def total(self) -> int:
        return self.lead + self.responsible + self.support

    @property
    def lead_share(self) -> float:
        return self.lead / self.total if self.total else 0.0


def filter_tasks(tasks: Iterable[UnitTask], flt: NetworkFilter) -> list[UnitTask]:
    """The network's document/year/role filter applied to one unit's task list."""
    out = []
    for t in tasks:
        if t.role not in flt.roles:
            continue
        if flt.doc and t.doc != flt.doc:
            continue
        if flt.year is not None and not (t.date or "").startswith(str(flt.year)):
            continue
        out.append(t)
    return out


def balance(unit_id: str, name: str, tasks: Iterable[UnitTask]) -> Balance:
    """Counts distinct tasks per role (a task stated twice for a unit counts once)."""
    seen: dict[str, set[str]] = {r: set() for r in ROLES}
    for t in tasks:
        if t.role in seen:
            seen[t.role].add(t.task_id)
    return Balance(unit_id, name, len(seen["lead"]), len(seen["responsible"]), len(seen["support"]))


def balance_table(rows: Iterable[Balance], sort: str = "total") -> list[Balance]:
    """Units ordered for the chart: most work first (or highest lead share with ``sort='lead_share'``)."""
    if sort == "lead_share":
        key = lambda b: (-b.lead_share, -b.total, b.name)  # noqa: E731
    else:
        key = lambda b: (-b.total, -b.lead, b.name)  # noqa: E731
    return sorted(rows, key=key)


def network_lead_share(g: nx.Graph) -> dict[str, Optional[float]]:
    """Of the lead→support pairings a unit takes part in, the share where it leads.

    Read from the edges alone, so it costs no per-unit query and follows the
    network's filters exactly (the centrality table uses it).  Both directions
    of every pair count (``lead_to_support`` and ``support_to_lead``); the
    share of a unit's own tasks it leads is ``Balance.lead_share`` (the 对比 view).
    None for a unit that is never in a lead→support pairing.
    """
    led: dict[str, int] = {n: 0 for n in g}
    supported: dict[str, int] = {n: 0 for n in g}
    for x, y, d in g.edges(data=True):
        for src, dst in ((x, y), (y, x)):
            led[src] += leads(d, src)
            supported[dst] += leads(d, src)
    return {n: (led[n] / (led[n] + supported[n]) if led[n] + supported[n] else None) for n in g}


@dataclass(frozen=True)
class CentralityRow:
    unit_id: str
    name: str
    degree: int                 # partner units
    strength: int               # shared tasks, summed over partners
    betweenness: float          # normalised; strong ties are short paths
    lead_share: Optional[float]


def centrality_table(g: nx.Graph, lead_share: Optional[Mapping[str, Optional[float]]] = None) -> list[CentralityRow]:
    """Degree, betweenness and lead share per unit, most connected first.

    Betweenness uses distance = 1/shared tasks, so a path through close
    partners is shorter; on big networks it samples sources with a fixed seed.
    """
    if g.number_of_nodes() == 0:
        return []
    n = g.number_of_nodes()
    k = None if n <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SAMPLES
    bc = nx.betweenness_centrality(g, k=k, weight="distance", normalized=True, seed=7)
    share = lead_share if lead_share is not None else network_lead_share(g)
    strength = dict(g.degree(weight="weight"))
    rows = [
        CentralityRow(u, g.nodes[u].get("name", u), g.degree(u), int(strength[u]), round(bc[u], 4), share.get(u))
        for u in g
    ]
    rows.sort(key=lambda r: (-r.degree, -r.strength, r.name, r.unit_id))
    return rows


def jurisdictions(infos: Iterable[InstitutionInfo]) -> list[str]:
    return sorted({i.jurisdiction for i in infos if i.jurisdiction})
