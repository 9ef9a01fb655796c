"""The SQLite store's reader: the rows ``zhize.graph.queries`` assembles answers from, selected with SQL.

Why FTS5 with the trigram tokenizer: task text is Chinese with no spaces, so
word tokenizers do not apply; trigrams give indexed substring search over each
task's find text (``zhize.graph.search``) for any word of 3+ characters.  Words
of 1-2 characters (反拐, 审计) are below a trigram and fall back to a scan of the
indexed text; ``zhize.graph.queries`` decides the match itself.  The network queries read
only ids (covering index ``rels(type, end, start)``, ``nodes(label, id)``) and
the task's doc/date through expression indexes, and count in numpy: 0.2 s for
the whole network of 100k facts.  A file made before these indexes still
answers, only slower, until a writer opens it.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Iterable, Optional, Sequence

import numpy as np

from zhize.graph.model import DUTY_REL, CoEdge, NetworkFilter
from zhize.graph.queries import DUTY_TYPES, Edge, EdgeKey, Props, TaskRow, by_key, rel_row
from zhize.graph.search import find_of
from zhize.graph.semantics import REL_TO_ROLE, ROLE_BIT, Duties, co_edges, role_counts as count_roles
from zhize.graph.sqlite_writer import _chunks, _in


class SQLiteRows:
    """The row questions of ``zhize.graph.queries.Rows``, and the network counts, on ``self.conn``."""

    conn: sqlite3.Connection
    _index_names: Optional[set[str]] = None

    def _node(self, ident: str, label: str) -> Optional[Props]:
        row = self.conn.execute("SELECT label, props FROM nodes WHERE id = ?", (ident,)).fetchone()
        return json.loads(row[1]) if row is not None and row[0] == label else None

    def _nodes(self, ids: Iterable[str]) -> dict[str, tuple[str, Props]]:
        out: dict[str, tuple[str, Props]] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            for ident, label, props in self.conn.execute(
                    f"SELECT id, label, props FROM nodes WHERE id IN ({_in(chunk)})", chunk):
                out[ident] = (label, json.loads(props))
        return out

    def _edges(self, ident: str, types: Sequence[str], outgoing: bool) -> list[Edge]:
        here, there = ('start', '"end"') if outgoing else ('"end"', 'start')
        rows = self.conn.execute(
            f'SELECT r.start, r.type, r."end", r.key, r.props, n.label, n.props FROM rels r '
            f'JOIN nodes n ON n.id = r.{there} WHERE r.{here} = ? AND r.type IN ({_in(types)})', (ident, *types))
        return [(rel_row(s, t, e, {**json.loads(p), "key": k}), label, json.loads(other))
                for s, t, e, k, p, label, other in rows]

    def _task_edge_keys(self, ident: str, types: Sequence[str]) -> list[EdgeKey]:
        return [tuple(r) for r in self.conn.execute(
            "SELECT r.start, r.type, r.\"end\", r.key, json_extract(t.props, '$.date'), "
            "       coalesce(json_extract(t.props, '$.doc'), ''), coalesce(json_extract(r.props, '$.file'), ''), "
            "       coalesce(json_extract(r.props, '$.start'), 0) "
            f"FROM rels r JOIN nodes t ON t.id = r.\"end\" WHERE r.start = ? AND r.type IN ({_in(types)})",
            (ident, *types))]

    def _tasks_matching(self, groups: Sequence[Sequence[str]]) -> list[str]:
        if not self._has_find_index():
            return [i for i, find in self._finds() if all(any(a in find for a in g) for g in groups)]
        where, params = _find_filter(groups)
        return [i for (i,) in self.conn.execute(
            f"SELECT n.id FROM task_find f JOIN nodes n ON n.rowid = f.rowid WHERE {where}", params)]

    def _count_matching(self, group: Sequence[str]) -> int:
        if not self._has_find_index():
            return sum(any(a in find for a in group) for _, find in self._finds())
        where, params = _find_filter([group])
        return self.conn.execute(f"SELECT count(*) FROM task_find f WHERE {where}", params).fetchone()[0]

    def _find_stats(self) -> tuple[int, int]:
        if not self._has_find_index():
            finds = [find for _, find in self._finds()]
            return len(finds), sum(map(len, finds))
        n, total = self.conn.execute("SELECT count(*), coalesce(sum(length(find)), 0) FROM task_find").fetchone()
        return n, total

    def _has_find_index(self) -> bool:
        """A file written before task_find (version 2), opened read-only, is searched without it."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'task_find'").fetchone() is not None

    def _finds(self) -> Iterable[tuple[str, str]]:
        for ident, props in self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Task'"):
            yield ident, find_of(json.loads(props))
    def _edges_by_key(self, keys: Sequence[EdgeKey]) -> list[Edge]:
        # one lookup a key on the relationships' unique index (a row-value IN list is scanned instead)
        sql = ('SELECT r.start, r.type, r."end", r.key, r.props, n.label, n.props FROM rels r '
               'JOIN nodes n ON n.id = r."end" WHERE r.start = ? AND r.type = ? AND r."end" = ? AND r.key = ?')
        return [(rel_row(s, t, e, {**json.loads(p), "key": k}), label, json.loads(other))
                for key in keys for s, t, e, k, p, label, other in self.conn.execute(sql, key[:4])]

    def _named(self, label: str, text: str, limit: Optional[int] = None) -> list[tuple[str, Props]]:
        alias = "EXISTS (SELECT 1 FROM json_each(nodes.props, '$.aliases') WHERE {})"
        institution = label == "Institution"
        contains = " OR " + alias.format("instr(json_each.value, ?1) > 0") if institution else ""
        exact = " OR " + alias.format("json_each.value = ?1") if institution else ""
        # the order of semantics.search_key, so only the first `limit` rows are read
        order = (f" ORDER BY CASE WHEN coalesce(json_extract(props, '$.name'), '') = ?1{exact} THEN 0 ELSE 1 END, "
                 "-coalesce(json_extract(props, '$.mentions'), 0), length(coalesce(json_extract(props, '$.name'), '')), "
                 "id LIMIT ?3") if limit is not None else ""
        params = (text, label, limit) if limit is not None else (text, label)
        return [(i, json.loads(p)) for i, p in self.conn.execute(
            f"SELECT id, props FROM nodes WHERE label = ?2 AND (instr(name, ?1) > 0{contains}){order}", params)]

    def _task_rows(self, task_ids: Sequence[str]) -> list[TaskRow]:
        duties: list[Props] = []
        for chunk in _chunks(list(task_ids), 500):
            duties += [rel_row(s, t, e, {**json.loads(p), "key": k}) for s, t, e, k, p in self.conn.execute(
                f'SELECT start, type, "end", key, props FROM rels WHERE "end" IN ({_in(chunk)}) '
                f'AND type IN ({_in(DUTY_TYPES)})', [*chunk, *DUTY_TYPES])]
        nodes = self._nodes([*task_ids, *(r["src"] for r in duties)])
        docs = self._nodes(d for d in (nodes[t][1].get("doc_id") for t in task_ids if t in nodes) if d)
        by_task = by_key(duties, "dst")
        return [(t, nodes[t][1], docs.get(nodes[t][1].get("doc_id"), ("", {}))[1],
                 [(r, nodes.get(r["src"], ("", {}))[1]) for r in by_task.get(t, [])])
                for t in task_ids if t in nodes]

    def _document_rows(self) -> list[tuple[str, Props, list[Props]]]:
        printed: dict[str, list[Props]] = defaultdict(list)
        for start, props in self.conn.execute("SELECT start, props FROM rels WHERE type = 'PRINTED_IN'"):
            printed[start].append(json.loads(props))
        return [(i, json.loads(p), printed.get(i, []))
                for i, p in self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Document'")]

    def _source_rows(self) -> list[tuple[Props, list[str]]]:
        docs: dict[str, set[str]] = defaultdict(set)
        for end, doc in self.conn.execute(
                "SELECT r.\"end\", json_extract(d.props, '$.doc') FROM rels r JOIN nodes d ON d.id = r.start "
                "WHERE r.type = 'PRINTED_IN'"):
            docs[end].add(doc or "")
        return [(json.loads(p), sorted(docs.get(i, ())))
                for i, p in self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Source'")]

    def _counted(self) -> tuple[dict[str, int], dict[str, int]]:
        return (dict(self.conn.execute("SELECT label, count(*) FROM nodes GROUP BY label")),
                dict(self.conn.execute("SELECT type, count(*) FROM rels GROUP BY type")))

    def _everything(self) -> tuple[list[tuple[str, str, Props]], list[Props]]:
        nodes = [(i, label, json.loads(p)) for i, label, p in self.conn.execute("SELECT id, label, props FROM nodes")]
        rels = [rel_row(s, t, e, {**json.loads(p), "key": k}) for s, t, e, k, p in self.conn.execute(
            'SELECT start, type, "end", key, props FROM rels')]
        return nodes, rels

    # --- network -----------------------------------------------------------------------
    def _duties(self, flt: NetworkFilter, generic: bool) -> Duties:
        """The duty relationships the filter keeps, as arrays.

        Only start and end are read, per type, from a covering index; each
        unit's kind and jurisdiction once; the task's doc and date through
        expression indexes when filtered on.  Parsing every relationship's and
        task's JSON in Python was most of the network's cost.
        """
        types = [DUTY_REL[r] for r in flt.roles if r in DUTY_REL]
        ids = sorted(ident for ident, kind, jur in self.conn.execute(
                         "SELECT id, json_extract(props, '$.kind'), json_extract(props, '$.jurisdiction') "
                         "FROM nodes WHERE label = 'Institution'")
                     if (generic or kind != "generic") and (flt.jurisdiction is None or jur == flt.jurisdiction))
        uidx = {u: i for i, u in enumerate(ids)}
        cond, params, index = [], [], None
        if flt.year is not None:
            # the date starts with the year: ISO strings from "2020" up to, not including, "2021"
            year = f"{flt.year:04d}"
            cond.append("AND json_extract(t.props, '$.date') >= ? AND json_extract(t.props, '$.date') < ?")
            params += [year, year[:-1] + chr(ord(year[-1]) + 1)]
            index = "nodes_task_date"
        if flt.doc is not None:
            cond.append("AND json_extract(t.props, '$.doc') = ?")
            params.append(flt.doc)
            index = "nodes_task_doc"
        if index is None:
            # every task: one dict of ids beats a lookup per relationship
            sql = 'SELECT start, "end" FROM rels WHERE type = ?'
            tidx = {t: i for i, (t,) in enumerate(self.conn.execute("SELECT id FROM nodes WHERE label = 'Task'"))}
        else:
            # a few tasks: they drive the join (their index, then the relationships' covering index);
            # INDEXED BY as the planner has no statistics to choose it
            hint = f" INDEXED BY {index}" if index in self._indexes() else ""
            sql = (f"SELECT r.start, t.id FROM nodes t{hint} CROSS JOIN rels r ON r.type = ? AND r.\"end\" = t.id "
                   f"WHERE t.label = 'Task' {' '.join(cond)}")
            tidx = None
        tasks: list[int] = []
        units: list[int] = []
        bits: list[int] = []
        seen: dict[str, int] = {}              # filtered: the join already kept only Task nodes
        for type_ in types:
            bit = ROLE_BIT[REL_TO_ROLE[type_]]
            for start, end in self.conn.execute(sql, [type_, *params]):
                u = uidx.get(start)
                if u is None:
                    continue
                t = tidx.get(end) if tidx is not None else seen.setdefault(end, len(seen))
                if t is None:
                    continue                  # not a stored Task: no answer (Neo4j cannot hold one)
                tasks.append(t)
                units.append(u)
                bits.append(bit)
        return Duties(ids, np.array(tasks, dtype=np.int64), np.array(units, dtype=np.int64),
                      np.array(bits, dtype=np.int64))

    def _indexes(self) -> set[str]:
        """Index names in this file (one opened read-only may predate the newer ones)."""
        if self._index_names is None:
            self._index_names = {n for (n,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        return self._index_names

    def co_responsibility(self, flt: NetworkFilter = NetworkFilter()) -> list[CoEdge]:
        """Units sharing tasks; generic bodies (有关部门) are left out, ``jurisdiction`` filters the units."""
        return co_edges(self._duties(flt, generic=False))

    def role_counts(self, flt: NetworkFilter = NetworkFilter()) -> list[tuple[str, int, int, int]]:
        """(unit_id, lead, responsible, support): distinct tasks per role, the unit's own, by unit id."""
        return count_roles(self._duties(flt, generic=True))



def _find_filter(groups: Sequence[Sequence[str]]) -> tuple[str, list[str]]:
    """Every group has an alternative in the find text: the trigram index for words of three
    characters or more, a scan of the indexed text for shorter ones."""
    cond: list[str] = []
    params: list[str] = []
    for g in groups:
        if all(len(a) >= 3 for a in g):
            cond.append("f.rowid IN (SELECT rowid FROM task_find WHERE task_find MATCH ?)")
            params.append(" OR ".join('"' + a.replace('"', '""') + '"' for a in g))
        else:
            cond.append("(" + " OR ".join("instr(f.find, ?) > 0" for _ in g) + ")")
            params += list(g)
    return " AND ".join(cond) or "1", params
