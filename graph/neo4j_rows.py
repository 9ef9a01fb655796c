"""The Neo4j store's reader: the rows ``zhize.graph.queries`` assembles answers from, selected with
the Cypher of ``zhize.graph.cypher``, in read access mode.

The network's counts (``co_responsibility``, ``role_counts``) are the
exception: they aggregate in Cypher, as shipping 10^5 duty records to Python
costs seconds, and only order and orientation come from ``zhize.graph.semantics``.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Sequence

from neo4j.exceptions import ClientError

from zhize.graph import cypher
from zhize.graph.model import DUTY_REL, NODE_LABELS, STORE_LABEL, CoEdge, NetworkFilter
from zhize.graph.queries import Edge, EdgeKey, Props, TaskRow, rel_row
from zhize.graph.semantics import co_edge, sort_edges



def _props(p: Optional[Props]) -> Props:
    """A node's properties as the batch gave them (``id`` lives on the node, not in its props)."""
    out = dict(p or {})
    out.pop("id", None)
    return out


def _own_label(labels: list[str]) -> str:
    """A node's model label among its labels (the other one is Zhize)."""
    return next((lb for lb in labels if lb in NODE_LABELS), labels[0] if labels else "")


class Neo4jRows:
    """The row questions of ``zhize.graph.queries.Rows``, and the network counts, through ``self._read``."""

    # the writer's connection answers: _read(query, **params) -> records, _pending() -> the write marker
    _read: Callable[..., list[Any]]
    _pending: Callable[[], Optional[Props]]

    def _node(self, ident: str, label: str) -> Optional[Props]:
        found = self._read(cypher.node_of(label), id=ident)
        return _props(found[0]["p"]) if found else None

    def _nodes(self, ids: Iterable[str]) -> dict[str, tuple[str, Props]]:
        return {rec["id"]: (_own_label(rec["l"]), _props(rec["p"]))
                for rec in self._read(cypher.NODES, ids=sorted(set(ids)))}

    def _edges(self, ident: str, types: Sequence[str], outgoing: bool) -> list[Edge]:
        return [(rel_row(rec["s"], rec["t"], rec["e"], rec["r"]), _own_label(rec["l"]), _props(rec["p"]))
                for rec in self._read(cypher.EDGES_OUT if outgoing else cypher.EDGES_IN, id=ident, types=list(types))]

    def _task_edge_keys(self, ident: str, types: Sequence[str]) -> list[EdgeKey]:
        return [(ident, rec["t"], rec["e"], rec["k"] or "", rec["date"], rec["doc"] or "", rec["file"] or "",
                 int(rec["start"] or 0)) for rec in self._read(cypher.TASK_EDGE_KEYS, id=ident, types=list(types))]

    def _tasks_matching(self, groups: Sequence[Sequence[str]]) -> list[str]:
        records = self._matching(cypher.TASKS_MATCHING_INDEXED, cypher.TASKS_MATCHING, groups)
        return [rec["id"] for rec in records]

    def _count_matching(self, group: Sequence[str]) -> int:
        return self._matching(cypher.COUNT_MATCHING_INDEXED, cypher.COUNT_MATCHING, [group])[0]["n"]

    def _matching(self, indexed: str, scan: str, groups: Sequence[Sequence[str]]) -> list[Any]:
        """Through the full-text index when some group is a phrase it finds exactly, else (or when a
        read-only store meets a server without the index) by scanning the tasks."""
        params = {"groups": [list(g) for g in groups], "lucene": cypher.lucene_phrases(groups)}
        if params["lucene"]:
            try:
                return self._read(indexed, **params)
            except ClientError as exc:
                if "index" not in str(exc).lower():
                    raise
        return self._read(scan, **params)

    def _find_stats(self) -> tuple[int, int]:
        rec = self._read(cypher.FIND_STATS)[0]
        return rec["n"], rec["total"]
    def _edges_by_key(self, keys: Sequence[EdgeKey]) -> list[Edge]:
        found = self._read(cypher.EDGES_BY_KEY, keys=[{"s": k[0], "t": k[1], "e": k[2], "k": k[3]} for k in keys])
        return [(rel_row(rec["s"], rec["t"], rec["e"], rec["r"]), _own_label(rec["l"]), _props(rec["p"]))
                for rec in found]

    def _named(self, label: str, text: str, limit: Optional[int] = None) -> list[tuple[str, Props]]:
        found = self._read(cypher.named(label, limited=limit is not None), q=text, limit=limit)
        return [(rec["id"], _props(rec["p"])) for rec in found]


    def _task_rows(self, task_ids: Sequence[str]) -> list[TaskRow]:
        return [(rec["id"], _props(rec["task"]), _props(rec["doc"]),
                 [(rel_row(x["src"], x["type"], rec["id"], x["props"]), _props(x["unit"])) for x in rec["rels"]])
                for rec in self._read(cypher.TASK_ROWS, ids=list(task_ids))]

    def _document_rows(self) -> list[tuple[str, Props, list[Props]]]:
        return [(rec["id"], _props(rec["d"]), rec["printed"]) for rec in self._read(cypher.DOCUMENTS)]

    def _source_rows(self) -> list[tuple[Props, list[str]]]:
        pending = self._pending()
        half_written = set(pending.get("batch") or ()) if pending else set()     # not stored until finished
        return [(_props(rec["s"]), rec["docs"]) for rec in self._read(cypher.SOURCES)
                if rec["s"].get("sha256") not in half_written]

    def _counted(self) -> tuple[dict[str, int], dict[str, int]]:
        return ({rec["k"]: rec["c"] for rec in self._read(cypher.COUNT_LABELS, z=STORE_LABEL)},
                {rec["k"]: rec["c"] for rec in self._read(cypher.COUNT_TYPES)})

    def _everything(self) -> tuple[list[tuple[str, str, Props]], list[Props]]:
        return ([(rec["id"], _own_label(rec["l"]), _props(rec["p"])) for rec in self._read(cypher.ALL_NODES)],
                [rel_row(rec["s"], rec["t"], rec["e"], rec["r"]) for rec in self._read(cypher.ALL_RELS)])

    # --- network -----------------------------------------------------------------------
    def _duty_params(self, flt: NetworkFilter) -> Optional[Props]:
        types = [DUTY_REL[r] for r in flt.roles if r in DUTY_REL]
        if not types:
            return None
        return {"types": types, "jur": flt.jurisdiction, "doc": flt.doc,
                "year": None if flt.year is None else f"{flt.year:04d}"}

    def co_responsibility(self, flt: NetworkFilter = NetworkFilter()) -> list[CoEdge]:
        """Units sharing tasks; generic bodies (有关部门) are left out, ``jurisdiction`` filters the units.

        Pairs are counted in Cypher and come back as one list (hydrating a
        record per duty, or even per pair, cost seconds on 10^5 duties); which
        unit is ``a`` and the order are decided by ``co_edge`` and
        ``sort_edges``, so string order is Python's as in the SQLite store.
        """
        params = self._duty_params(flt)
        if params is None:
            return []
        records = self._read(cypher.CO_RESPONSIBILITY, **params)
        return sort_edges(co_edge(x, y, w, xy, yx) for x, y, w, xy, yx in records[0]["pairs"])

    def role_counts(self, flt: NetworkFilter = NetworkFilter()) -> list[tuple[str, int, int, int]]:
        """(unit_id, lead, responsible, support): distinct tasks per role, the unit's own, by unit id."""
        params = self._duty_params(flt)
        if params is None:
            return []
        records = self._read(cypher.ROLE_COUNTS, **params)
        return sorted((rec["id"], rec["lead"], rec["resp"], rec["supp"]) for rec in records)
