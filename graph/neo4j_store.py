"""The Neo4j graph store: the same ``GraphStore`` answers as the SQLite reference, from Cypher.

Why Neo4j beside SQLite: users who already run Neo4j get the graph where
Cypher, Bloom and the graph data science tools can reach it.  The project's
own server is ``zhize neo4j start`` (``zhize.graph.neo4j_server``); any 5.x server
reachable over Bolt works.

Loading follows the usual Neo4j pattern: uniqueness constraints on ``id`` for
every label first (MERGE then finds nodes through the constraint's index),
``UNWIND $rows AS row MERGE … SET n += row.props`` in batches of 1,000 rows,
nodes before relationships, relationships grouped by type and endpoint labels
and merged on ``(start)-[:TYPE {key}]->(end)``, so loading a batch twice
changes nothing.  A whole batch is one transaction, as in SQLite.

Queries select with Cypher and leave ordering and aggregation to
``zhize.graph.semantics`` (the same functions the SQLite store uses), so both
backends answer identically; tests/test_store_contract.py holds them to it.
The network's counts (``co_responsibility``, ``role_counts``) are the
exception: they aggregate in Cypher, as shipping 10^5 duty records to Python
costs seconds, and only order and orientation come from ``zhize.graph.semantics``.
A store opened ``read_only`` never writes: no schema set-up, sessions in read
access mode, ``load``/``clear`` refused.
Every value reaches Cypher as a parameter.  The only names formatted into query
text are labels and relationship types, and those are checked against the
model's fixed vocabulary (or a strict identifier pattern) first.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Any, Iterable, Optional

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from zhize.graph.model import (
    DUTY_REL,
    NODE_LABELS,
    PORTFOLIO_REL,
    CoEdge,
    GraphBatch,
    GroupInfo,
    GroupMembership,
    InstitutionInfo,
    NetworkFilter,
    PersonInfo,
    PersonProfile,
    PortfolioItem,
    PostHeld,
    Roster,
    Succession,
    TaskOwners,
    UnitRef,
    UnitTask,
)
from zhize.graph.semantics import (
    MEMBER_ROLES,
    PORTFOLIO_RELATIONS,
    REL_TO_PORTFOLIO,
    REL_TO_ROLE,
    REL_TYPES,
    ROLES,
    co_edge,
    oldest_first,
    print_order,
    rank,
    search_key,
    sort_edges,
    squeeze,
    task_key,
    words_of,
)
# props -> result dataclasses: backend-neutral, shared so the two stores cannot drift apart
from zhize.graph.sqlite_store import _evidence, _institution, _person, _roster

DEFAULT_URI = "bolt://127.0.0.1:7687"
BATCH_ROWS = 1000
TX_ROWS = 20_000           # rows per transaction for batches too big for one (see load)
_DUTY_TYPES = list(DUTY_REL.values())
_PORTFOLIO_TYPES = list(PORTFOLIO_REL.values())
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

# Full-text index on task text with the CJK analyzer (bigrams), for ranked free-text
# search from Cypher or Bloom: CALL db.index.fulltext.queryNodes('zhize_task_fulltext', '反拐').
# ``owners`` itself needs exact substring semantics (the SQLite store's and Cypher's
# CONTAINS), which a tokenised index does not give, so it filters with CONTAINS.
_SCHEMA = [
    *(f"CREATE CONSTRAINT zhize_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
      for label in NODE_LABELS),
    "CREATE FULLTEXT INDEX zhize_task_fulltext IF NOT EXISTS FOR (t:Task) ON EACH [t.text, t.search] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
]


class Neo4jUnavailable(ConnectionError):
    """No usable Neo4j at the URI; the message says how to get one."""


def _ident(name: str) -> str:
    """A label or relationship type, safe to place in query text (backticked)."""
    if not _NAME.match(name):
        raise ValueError(f"not a valid label or relationship type: {name!r}")
    return f"`{name}`"


def _label(label: str) -> str:
    if label not in NODE_LABELS:
        raise ValueError(f"unknown node label {label!r}; the model knows {NODE_LABELS}")
    return _ident(label)


def _chunks(rows: list[Any], size: int = BATCH_ROWS) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _props(p: Optional[dict[str, Any]]) -> dict[str, Any]:
    """A node's properties as the batch gave them (``id`` lives on the node, not in its props)."""
    out = dict(p or {})
    out.pop("id", None)
    return out


def _rel(src: str, type_: str, dst: str, props: dict[str, Any]) -> dict[str, Any]:
    """A relationship as the SQLite store's ``_rels`` gives it: props plus src/type/dst/key."""
    return {**props, "src": src, "type": type_, "dst": dst, "key": props.get("key", "")}


class Neo4jStore:
    """A ``GraphStore`` on a Neo4j 5 server over Bolt."""

    def __init__(self, uri: str = DEFAULT_URI, user: str = "neo4j", password: str = "",
                 database: Optional[str] = None, read_only: bool = False) -> None:
        self.uri = uri
        self.read_only = read_only
        self.database = database or os.environ.get("NEO4J_DATABASE") or "neo4j"
        # the project's server runs without authentication; a server with auth needs the password
        auth = (user or "neo4j", password) if password else None
        try:
            self.driver: Driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0,
                                                       max_transaction_retry_time=5.0)
            self.driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, ConfigurationError, OSError, ValueError) as exc:
            if getattr(self, "driver", None) is not None:
                self.driver.close()
            raise Neo4jUnavailable(
                f"cannot use Neo4j at {uri}: {type(exc).__name__}: {exc}. Start the project's server with "
                f"`zhize neo4j start` (or tools/neo4j/neo4j.sh start), or set NEO4J_URI (and NEO4J_USER / "
                f"NEO4J_PASSWORD) to a running Neo4j 5 server.") from exc
        # a reader (the app, ``zhize query``) never writes, not even the schema: it may hold only
        # read rights, or face a read replica; every query of its goes out in read access mode
        if not read_only:
            self._ensure_schema()

    @classmethod
    def from_env(cls, read_only: bool = False) -> "Neo4jStore":
        """``NEO4J_URI`` (default bolt://127.0.0.1:7687), ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
        return cls(os.environ.get("NEO4J_URI") or DEFAULT_URI, os.environ.get("NEO4J_USER", "neo4j"),
                   os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE"), read_only=read_only)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r}{', read_only=True' if self.read_only else ''})"

    @property
    def location(self) -> str:
        return self.uri

    def _ensure_schema(self) -> None:
        """Constraints and indexes before any MERGE; schema changes run outside data transactions."""
        for statement in _SCHEMA:
            self.driver.execute_query(statement, database_=self.database)
        self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)

    def _read(self, query: str, **params: Any) -> list[Any]:
        return self.driver.execute_query(query, parameters_=params, database_=self.database,
                                         routing_=RoutingControl.READ).records

    # --- writing ------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"{self!r} was opened read-only; open it without read_only to write")

    def _session(self):
        access = READ_ACCESS if self.read_only else WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=access)

    def load(self, batch: GraphBatch) -> None:
        """Merge a batch: in one transaction (all of it or none of it) up to ``TX_ROWS`` rows.

        A larger batch would pass the server's transaction memory limit (a 100k-fact
        corpus does on the project's 1 GiB server), so it goes in transactions of
        ``TX_ROWS`` rows, nodes first.  Every statement is a MERGE, so a load cut
        short is completed by loading the same batch again.
        """
        self._writable()
        nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        label_of: dict[str, str] = {}
        for n in batch.nodes:
            _label(n.label)
            nodes_by_label[n.label].append({"id": n.id, "props": n.props})
            label_of[n.id] = n.label
        for r in batch.rels:
            _ident(r.type)
        node_work = [(f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n += row.props", chunk)
                     for label, rows in sorted(nodes_by_label.items()) for chunk in _chunks(rows)]

        def rel_work(tx) -> list[tuple[str, list[dict[str, Any]]]]:
            missing = sorted({i for r in batch.rels for i in (r.start, r.end)} - label_of.keys())
            label_of.update(_labels_in_db(tx, missing))
            dangling = [i for i in missing if i not in label_of]
            if dangling:
                raise ValueError(f"relationships point at {len(dangling)} node(s) neither in the batch nor "
                                 f"in the database, e.g. {dangling[:3]}")
            groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
            for r in batch.rels:
                groups[(r.type, label_of[r.start], label_of[r.end])].append(
                    {"start": r.start, "end": r.end, "key": r.key, "props": r.props})
            return [(f"UNWIND $rows AS row "
                     f"MATCH (a:{_label(sl)} {{id: row.start}}) MATCH (b:{_label(el)} {{id: row.end}}) "
                     f"MERGE (a)-[r:{_ident(type_)} {{key: row.key}}]->(b) SET r += row.props", chunk)
                    for (type_, sl, el), rows in sorted(groups.items()) for chunk in _chunks(rows)]

        def run_all(tx, statements) -> None:
            for query, rows in statements:
                tx.run(query, rows=rows).consume()

        with self._session() as session:
            if len(batch.nodes) + len(batch.rels) <= TX_ROWS:
                def everything(tx) -> None:
                    run_all(tx, node_work)
                    run_all(tx, rel_work(tx))
                session.execute_write(everything)
                return
            for part in _chunks(node_work, TX_ROWS // BATCH_ROWS):
                session.execute_write(run_all, part)
            rel_statements = session.execute_read(rel_work)
            for part in _chunks(rel_statements, TX_ROWS // BATCH_ROWS):
                session.execute_write(run_all, part)

    def clear(self) -> None:
        """Delete every node and relationship (the schema stays), in bounded transactions."""
        self._writable()
        with self._session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()

    def close(self) -> None:
        self.driver.close()

    # --- counts and documents ---------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type; every known label and type, 0 when absent."""
        out = {label: 0 for label in NODE_LABELS}
        out.update({t: 0 for t in REL_TYPES})
        for rec in self._read("MATCH (n) UNWIND labels(n) AS k RETURN k, count(*) AS c"):
            out[rec["k"]] = rec["c"]
        for rec in self._read("MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS c"):
            out[rec["k"]] = rec["c"]
        return out

    def documents(self) -> list[dict[str, Any]]:
        docs = [_props(rec["p"]) for rec in self._read("MATCH (d:Document) RETURN properties(d) AS p")]
        docs.sort(key=lambda d: (d.get("file") or "", d.get("start") or 0, d.get("doc") or ""))
        return [{k: d.get(k) for k in ("doc", "title", "issuer", "date", "file")} for d in docs]

    # --- tasks ----------------------------------------------------------------------
    def owners(self, words: str, limit: int = 50) -> list[TaskOwners]:
        """Tasks whose search text contains every word, each with its units grouped by role."""
        ws = words_of(words)
        if not ws:
            return []
        records = self._read(
            "MATCH (t:Task) WHERE all(w IN $words WHERE coalesce(t.search, t.text, '') CONTAINS w) "
            "MATCH (u)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t) "
            "OPTIONAL MATCH (d:Document {id: t.doc_id}) "
            "RETURN t.id AS id, properties(t) AS task, properties(d) AS doc, "
            "       collect({src: u.id, type: type(r), props: properties(r), unit: properties(u)}) AS rels",
            words=ws)
        out = []
        for rec in records:
            task, doc = _props(rec["task"]), _props(rec["doc"])
            trels = [(_rel(x["src"], x["type"], rec["id"], x["props"]), _props(x["unit"])) for x in rec["rels"]]
            trels.sort(key=lambda ru: (*print_order(ru[0]), ru[0]["src"]))
            grouped: dict[str, list[UnitRef]] = {role: [] for role in ROLES}
            for r, unit in trels:
                grouped[REL_TO_ROLE[r["type"]]].append(
                    UnitRef(id=r["src"], name=unit.get("name", r.get("mention", "")),
                            mention=r.get("mention", ""), generic=bool(r.get("generic"))))
            out.append(TaskOwners(
                task_id=rec["id"], task=task["text"], doc=task["doc"],
                doc_title=doc.get("title") or task.get("title") or "", date=task.get("date"),
                lead=tuple(grouped["lead"]), responsible=tuple(grouped["responsible"]),
                support=tuple(grouped["support"]), evidence=_evidence(trels[0][0])))
        out.sort(key=lambda o: (task_key(o.date, o.doc, o.evidence.file, o.evidence.start), o.task_id))
        return out[:limit]

    def unit_tasks(self, unit_id: str, role: Optional[str] = None,
                   include_inherited: bool = True) -> list[UnitTask]:
        """The unit's tasks; with ``include_inherited`` also its predecessors' (SUCCEEDED_BY chains)."""
        if role is not None and role not in DUTY_REL:
            raise ValueError(f"role must be one of {', '.join(DUTY_REL)}, not {role!r}")
        types = [DUTY_REL[role]] if role else _DUTY_TYPES
        owners: list[dict[str, Optional[str]]] = [{"id": unit_id, "inherited": None}]
        if include_inherited:
            owners += [{"id": p, "inherited": p} for p in self._predecessors(unit_id)]
        records = self._read(
            "UNWIND $owners AS o MATCH (u:Institution {id: o.id})-[r]->(t) WHERE type(r) IN $types "
            "RETURN o.inherited AS inherited, t.id AS tid, type(r) AS type, properties(r) AS r, "
            "       properties(t) AS t",
            owners=owners, types=types)
        out = []
        for rec in records:
            task = _props(rec["t"])
            out.append(UnitTask(task_id=rec["tid"], task=task["text"], role=REL_TO_ROLE[rec["type"]],
                                doc=task["doc"], date=task.get("date"), inherited_from=rec["inherited"],
                                evidence=_evidence(rec["r"])))
        out.sort(key=lambda u: (task_key(u.date, u.doc, u.evidence.file, u.evidence.start),
                                rank(u.role, ROLES), u.inherited_from or "", u.task_id))
        return out

    def _predecessors(self, unit_id: str) -> list[str]:
        """Every node that reaches ``unit_id`` by SUCCEEDED_BY, nearest first."""
        records = self._read(
            "MATCH p = (pred)-[:SUCCEEDED_BY*1..]->(u:Institution {id: $id}) WHERE pred.id <> $id "
            "RETURN pred.id AS id, min(length(p)) AS d ORDER BY d, id", id=unit_id)
        return [rec["id"] for rec in records]

    # --- institutions ------------------------------------------------------------------
    def find_institutions(self, text: str, limit: int = 20) -> list[InstitutionInfo]:
        """Institutions whose name or an alias contains ``text``; exact matches first."""
        q = squeeze(text)
        records = self._read(
            "MATCH (n:Institution) WHERE coalesce(n.name, '') CONTAINS $q "
            "   OR any(a IN coalesce(n.aliases, []) WHERE a CONTAINS $q) "
            "RETURN n.id AS id, properties(n) AS p", q=q)
        infos = [_institution(rec["id"], _props(rec["p"])) for rec in records]
        infos.sort(key=lambda x: search_key(x.name, x.aliases, x.mentions, x.id, q))
        return infos[:limit]

    def institution(self, unit_id: str) -> Optional[InstitutionInfo]:
        records = self._read("MATCH (n:Institution {id: $id}) RETURN properties(n) AS p", id=unit_id)
        return _institution(unit_id, _props(records[0]["p"])) if records else None

    def institutions(self, ids: Iterable[str]) -> list[InstitutionInfo]:
        """The institutions among ``ids``, by id; unknown ids are left out."""
        records = self._read("MATCH (n:Institution) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS p",
                             ids=sorted(set(ids)))
        return sorted((_institution(rec["id"], _props(rec["p"])) for rec in records), key=lambda i: i.id)

    def unit_groups(self, unit_id: str) -> list[GroupMembership]:
        records = self._read(
            "MATCH (u:Institution {id: $id})-[r:MEMBER_UNIT_OF]->(g) "
            "RETURN g.id AS gid, g.name AS group, 'MEMBER_UNIT_OF' AS type, properties(r) AS r "
            "UNION ALL "
            "MATCH (g)-[r:OFFICE_AT]->(u:Institution {id: $id}) "
            "RETURN g.id AS gid, g.name AS group, 'OFFICE_AT' AS type, properties(r) AS r", id=unit_id)
        out = set()
        for rec in records:
            r = rec["r"]
            out.add(GroupMembership(group_id=rec["gid"], group=rec["group"] or "",
                                    relation=r.get("relation") or ("office_host" if rec["type"] == "OFFICE_AT"
                                                                   else "member_unit"),
                                    doc=r.get("doc", "")))
        return sorted(out, key=lambda m: (m.group, m.group_id, m.relation, m.doc))

    def unit_supervisors(self, unit_id: str) -> list[tuple[PersonInfo, PortfolioItem]]:
        """Leaders whose portfolio names the unit; a leader printed only by post comes as that Post."""
        records = self._read(
            "MATCH (p)-[r]->(u:Institution {id: $id}) WHERE type(r) IN $types "
            "RETURN p.id AS pid, properties(p) AS p, type(r) AS type, properties(r) AS r",
            id=unit_id, types=_PORTFOLIO_TYPES)
        out = set()
        for rec in records:
            r = rec["r"]
            out.add((_person(rec["pid"], _props(rec["p"])),
                     PortfolioItem(relation=REL_TO_PORTFOLIO[rec["type"]], object=r.get("object", ""),
                                   object_id=unit_id, doc=r.get("doc", ""))))
        return sorted(out, key=lambda pi: (rank(pi[1].relation, PORTFOLIO_RELATIONS), pi[0].name,
                                           pi[0].id, pi[1].doc, pi[1].object))

    def successions(self, unit_id: str) -> list[Succession]:
        """Every SUCCEEDED_BY link in the unit's lineage (predecessors and successors, transitively)."""
        records = self._read(
            "MATCH (u:Institution {id: $id})-[:SUCCEEDED_BY*0..]-(v) WITH DISTINCT v "
            "MATCH (v)-[r:SUCCEEDED_BY]->(w) "
            "RETURN DISTINCT v.id AS s, w.id AS e, r.date AS date, r.source AS source", id=unit_id)
        edges = {(rec["s"], rec["e"]): rec for rec in records}
        out = [Succession(predecessor=s, successor=e, date=rec["date"], source=rec["source"])
               for (s, e), rec in edges.items()]
        return sorted(out, key=lambda s: (oldest_first(s.date), s.predecessor, s.successor))

    # --- people ------------------------------------------------------------------------
    def find_persons(self, text: str, limit: int = 20) -> list[PersonInfo]:
        q = squeeze(text)
        records = self._read("MATCH (n:Person) WHERE coalesce(n.name, '') CONTAINS $q "
                             "RETURN n.id AS id, properties(n) AS p", q=q)
        infos = [_person(rec["id"], _props(rec["p"])) for rec in records]
        infos.sort(key=lambda x: search_key(x.name, (), x.mentions, x.id, q))
        return infos[:limit]

    def person_profile(self, person_id: str) -> Optional[PersonProfile]:
        found = self._read("MATCH (n:Person {id: $id}) RETURN properties(n) AS p", id=person_id)
        if not found:
            return None
        rels = self._read(
            "MATCH (n:Person {id: $id})-[r]->(x) WHERE type(r) IN $types "
            "RETURN type(r) AS type, x.id AS xid, labels(x) AS xl, x.name AS xname, properties(r) AS r",
            id=person_id, types=["HOLDS", "MEMBER_OF", *_PORTFOLIO_TYPES])
        holds = [rec["r"] for rec in rels if rec["type"] == "HOLDS"]
        posts = sorted({PostHeld(position=r.get("position", ""), action=r.get("action", ""), doc=r.get("doc", ""),
                                 date=r.get("date")) for r in holds},
                       key=lambda p: (oldest_first(p.date), p.doc, p.position, p.action))
        groups = sorted({GroupMembership(group_id=rec["xid"], group=rec["xname"] or "",
                                         relation=rec["r"].get("role", ""), doc=rec["r"].get("doc", ""))
                         for rec in rels if rec["type"] == "MEMBER_OF"},
                        key=lambda g: (g.group, g.group_id, rank(g.relation, MEMBER_ROLES), g.doc))
        port = [rec for rec in rels if rec["type"] in _PORTFOLIO_TYPES]
        port.sort(key=lambda rec: (oldest_first(rec["r"].get("date")), *print_order(rec["r"])))
        items: list[PortfolioItem] = []
        for rec in port:
            r = rec["r"]
            item = PortfolioItem(relation=REL_TO_PORTFOLIO[rec["type"]], object=r.get("object", ""),
                                 object_id=None if "Area" in rec["xl"] else rec["xid"], doc=r.get("doc", ""))
            if item not in items:
                items.append(item)
        return PersonProfile(person=_person(person_id, _props(found[0]["p"])), posts=tuple(posts),
                             groups=tuple(groups), portfolio=tuple(items))

    # --- groups ------------------------------------------------------------------------
    def find_groups(self, text: str, limit: int = 20) -> list[GroupInfo]:
        q = squeeze(text)
        records = self._read("MATCH (n:Group) WHERE coalesce(n.name, '') CONTAINS $q "
                             "RETURN n.id AS id, n.name AS name, n.doc AS doc", q=q)
        infos = [GroupInfo(id=rec["id"], name=rec["name"], doc=rec["doc"] or "") for rec in records]
        infos.sort(key=lambda g: search_key(g.name, (), 0, g.id, q))
        return infos[:limit]

    def group_roster(self, group_id: str) -> Optional[Roster]:
        found = self._read("MATCH (g:Group {id: $id}) RETURN properties(g) AS p", id=group_id)
        if not found:
            return None
        props = _props(found[0]["p"])
        records = self._read(
            "MATCH (x)-[r:MEMBER_OF|MEMBER_UNIT_OF]->(g:Group {id: $id}) "
            "RETURN type(r) AS type, x.id AS xid, labels(x) AS xl, properties(x) AS x, properties(r) AS r "
            "UNION ALL "
            "MATCH (g:Group {id: $id})-[r:OFFICE_AT]->(x) "
            "RETURN type(r) AS type, x.id AS xid, labels(x) AS xl, properties(x) AS x, properties(r) AS r",
            id=group_id)
        nodes: dict[str, tuple[str, dict[str, Any]]] = {}
        member, units, hosts = [], [], []
        for rec in records:
            nodes[rec["xid"]] = (rec["xl"][0] if rec["xl"] else "", _props(rec["x"]))
            if rec["type"] == "MEMBER_OF":
                member.append(_rel(rec["xid"], "MEMBER_OF", group_id, rec["r"]))
            elif rec["type"] == "MEMBER_UNIT_OF":
                units.append(_rel(rec["xid"], "MEMBER_UNIT_OF", group_id, rec["r"]))
            else:
                hosts.append(_rel(group_id, "OFFICE_AT", rec["xid"], rec["r"]))
        return _roster(group_id, props, member, units, hosts, nodes)

    # --- network -----------------------------------------------------------------------
    _DUTIES = ("MATCH (u:Institution)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task) WHERE type(r) IN $types "
               "  AND ($jur IS NULL OR u.jurisdiction = $jur) "
               "  AND ($doc IS NULL OR t.doc = $doc) "
               "  AND ($year IS NULL OR coalesce(t.date, '') STARTS WITH $year) ")

    def _duty_params(self, flt: NetworkFilter) -> Optional[dict[str, Any]]:
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
        records = self._read(
            self._DUTIES + "AND coalesce(u.kind, '') <> 'generic' "
            "WITH t, u, max(CASE type(r) WHEN 'LEADS' THEN 1 ELSE 0 END) AS lead, "
            "     max(CASE type(r) WHEN 'SUPPORTS' THEN 1 ELSE 0 END) AS sup "
            "WITH t, collect({id: u.id, lead: lead, sup: sup}) AS us WHERE size(us) > 1 "
            "UNWIND us AS x UNWIND us AS y WITH x, y WHERE x.id < y.id "
            "WITH x.id AS x, y.id AS y, count(*) AS w, sum(x.lead * y.sup) AS xy, sum(y.lead * x.sup) AS yx "
            "RETURN collect([x, y, w, xy, yx]) AS pairs",
            **params)
        return sort_edges(co_edge(x, y, w, xy, yx) for x, y, w, xy, yx in records[0]["pairs"])

    def role_counts(self, flt: NetworkFilter = NetworkFilter()) -> list[tuple[str, int, int, int]]:
        """(unit_id, lead, responsible, support): distinct tasks per role, the unit's own, by unit id."""
        params = self._duty_params(flt)
        if params is None:
            return []
        records = self._read(
            self._DUTIES +
            "RETURN u.id AS id, count(DISTINCT CASE type(r) WHEN 'LEADS' THEN t END) AS lead, "
            "       count(DISTINCT CASE type(r) WHEN 'RESPONSIBLE_FOR' THEN t END) AS resp, "
            "       count(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN t END) AS supp",
            **params)
        return sorted((rec["id"], rec["lead"], rec["resp"], rec["supp"]) for rec in records)


def _labels_in_db(tx, ids: list[str]) -> dict[str, str]:
    """Labels of nodes already stored, for relationships whose endpoints are not in the batch."""
    found: dict[str, str] = {}
    if not ids:
        return found
    for label in NODE_LABELS:
        for rec in tx.run(f"MATCH (n:{_label(label)}) WHERE n.id IN $ids RETURN n.id AS id", ids=ids):
            found.setdefault(rec["id"], label)
    return found
