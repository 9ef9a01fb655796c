"""The Neo4j graph store: the same ``GraphStore`` answers as the SQLite reference, from Cypher.

Why Neo4j beside SQLite: users who already run Neo4j get the graph where
Cypher, Bloom and the graph data science tools can reach it.  The project's
own server is ``zhize neo4j start`` (``zhize.graph.neo4j_server``); any 5.x server
reachable over Bolt works.

The database may hold other data: every node zhize writes carries the label
``Zhize`` (``STORE_LABEL``) besides its own, and every clear, count and query
matches ``:Zhize`` nodes only (relationships: those between two of them), so
a user's own nodes, even ones labelled ``Task``, are never read, counted or
deleted.  Loading follows the usual Neo4j pattern: one uniqueness constraint
on ``(:Zhize).id`` first (MERGE then finds nodes through its index),
``UNWIND $rows AS row MERGE … SET n += row.props`` in batches of 1,000 rows,
nodes before relationships, relationships grouped by type and merged on
``(start)-[:TYPE {key}]->(end)``, so loading a batch twice changes nothing.
``replace_sources`` (forget some sources, or everything with ``fresh``, then
merge the batch) is one transaction, as in SQLite: the server rolls it back
if the client dies before the commit.  A store made by an older zhize (a
uniqueness constraint per label, no ``Zhize`` label) is adopted by the first
writer: the nodes of zhize's labels get ``Zhize``, the old constraints go.

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
    MENTION_HOLDS_ACTIONS,
    MENTION_IN,
    MENTION_OUT,
    NODE_LABELS,
    PORTFOLIO_REL,
    STORE_LABEL,
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
    SourceInfo,
    StoreError,
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
    first_of,
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
from zhize.graph.sqlite_store import (
    _evidence,
    _institution,
    _person,
    _roster,
    document_entry,
    sort_documents,
    sort_unit_tasks,
    source_info,
)

DEFAULT_URI = "bolt://127.0.0.1:7687"
BATCH_ROWS = 1000
TX_ROWS = 20_000           # nodes + relationships one write transaction may hold (see replace_sources)
_WRITE_LABEL = "ZhizeWrite"    # the marker of a write in parts under way (not a Zhize node: never counted)
_DUTY_TYPES = list(DUTY_REL.values())
_PORTFOLIO_TYPES = list(PORTFOLIO_REL.values())
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

# Full-text index on task text with the CJK analyzer (bigrams), for ranked free-text
# search from Cypher or Bloom: CALL db.index.fulltext.queryNodes('zhize_task_fulltext', '反拐').
# ``owners`` itself needs exact substring semantics (the SQLite store's and Cypher's
# CONTAINS), which a tokenised index does not give, so it filters with CONTAINS.
_SCHEMA = [
    f"CREATE CONSTRAINT zhize_node_id IF NOT EXISTS FOR (n:{STORE_LABEL}) REQUIRE n.id IS UNIQUE",
    # the marker of a write in parts (replace_sources); the index also makes its label known to the server
    "CREATE INDEX zhize_write_id IF NOT EXISTS FOR (w:ZhizeWrite) ON (w.id)",
    "CREATE FULLTEXT INDEX zhize_task_fulltext IF NOT EXISTS FOR (t:Task) ON EACH [t.text, t.search] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
]


# what zhize <= 0.1 made: a uniqueness constraint per label, and no Zhize label on its nodes
_OLD_CONSTRAINTS = {f"zhize_{label.lower()}_id": label for label in NODE_LABELS}
Z = STORE_LABEL


class Neo4jUnavailable(StoreError, ConnectionError):
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
        from zhize.graph.stores import redact, split_credentials

        # credentials inside the URI (bolt://user:secret@host) are taken out: the driver refuses them,
        # and self.uri is printed (info, errors, the app), so it must not hold a secret
        uri, uri_user, uri_password = split_credentials(uri)
        user, password = uri_user or user, uri_password if uri_password is not None else password
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
            raise Neo4jUnavailable(redact(
                f"cannot use Neo4j at {uri}: {type(exc).__name__}: {exc}. Start the project's server with "
                f"`zhize neo4j start` (or tools/neo4j/neo4j.sh start), or set NEO4J_URI (and NEO4J_USER / "
                f"NEO4J_PASSWORD) to a running Neo4j 5 server.")) from exc
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
        old = [r["name"] for r in self.driver.execute_query(
            "SHOW CONSTRAINTS YIELD name WHERE name IN $names RETURN name", names=sorted(_OLD_CONSTRAINTS),
            database_=self.database).records]
        if old:
            self._adopt_old_store(old)
        for statement in _SCHEMA:
            self.driver.execute_query(statement, database_=self.database)
        self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)

    def _adopt_old_store(self, constraints: list[str]) -> None:
        """Nodes an older zhize wrote (its per-label constraints say so) get the Zhize label."""
        with self.driver.session(database=self.database) as session:
            for name in constraints:
                label = _label(_OLD_CONSTRAINTS[name])
                session.run(f"MATCH (n:{label}) WHERE n.id IS NOT NULL AND NOT n:{Z} "
                            f"CALL (n) {{ SET n:{Z} }} IN TRANSACTIONS OF 5000 ROWS").consume()
                session.run(f"DROP CONSTRAINT {_ident(name)} IF EXISTS").consume()

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
        """Merge a batch in one transaction: all of it or none of it."""
        self.replace_sources(batch)

    def replace_sources(self, batch: GraphBatch, sources: Iterable[str] = (), fresh: bool = False) -> None:
        """Forget ``sources`` (everything zhize wrote, with ``fresh``) and merge ``batch``, in one transaction.

        Nothing is committed until the end: a client killed half-way leaves the
        store as it was (the server rolls the transaction back when the
        connection drops); the driver retries the whole work on transient errors.
        A batch of more than ``TX_ROWS`` nodes and relationships is written in
        parts instead: 100k facts pass the project's 1 GiB server's transaction
        memory, and one transaction that deletes and recreates 50k rows takes 3-4
        times as long as parts do.  The parts run under a ``ZhizeWrite`` marker
        (``incomplete``), so an interruption is visible, the interrupted sources
        are not reported as stored, and the next write of them redoes them whole.
        """
        self._writable()
        pending = self._pending()
        if pending and pending.get("fresh") and not fresh:
            raise StoreError(f"{self.uri}: {self.incomplete()} before anything else is written (or empty it: "
                             f"zhize ingest --fresh)")
        drop = sorted(set(sources) | set(pending.get("sources", ()) if pending else ()))
        plan = _Plan(batch, set(drop), fresh)
        if len(batch.nodes) + len(batch.rels) > TX_ROWS:
            return self._write_in_parts(plan, drop, fresh, batch.source_ids())

        def work(tx) -> None:
            plan.check_ends(tx)
            touched: set[str] = set()
            if fresh:
                tx.run(f"MATCH (n:{Z}) DETACH DELETE n").consume()
            elif drop:
                touched |= self._forget(tx, drop)
            for query, rows in plan.statements:
                tx.run(query, rows=rows).consume()
            _count_mentions(tx, touched | plan.touched)
            tx.run(f"MATCH (w:{_WRITE_LABEL}) DELETE w").consume()

        with self._session() as session:
            session.execute_write(work)

    def _write_in_parts(self, plan: "_Plan", drop: list[str], fresh: bool, batch_sources: list[str]) -> None:
        """A batch too big for one transaction: parts of ``TX_ROWS`` rows, between a marker saying a write of
        these sources is under way and its removal.  Every part can be redone: the next write forgets the
        marker's sources first, so its CREATEs never meet their own earlier copies."""
        with self._session() as session:
            session.execute_write(lambda tx: tx.run(
                f"MERGE (w:{_WRITE_LABEL} {{id: 'pending'}}) SET w.sources = $sources, w.batch = $batch, "
                f"w.fresh = $fresh, w.since = toString(datetime())",
                sources=sorted(set(drop) | set(batch_sources)), batch=batch_sources, fresh=fresh).consume())
            session.execute_read(plan.check_ends)
            touched: set[str] = set()
            if fresh:
                _delete_everything(session)
            elif drop:
                touched |= session.execute_write(self._forget, drop)

            def run_part(tx, part) -> None:
                for query, rows in part:
                    tx.run(query, rows=rows).consume()

            for part in _chunks(plan.statements, max(1, TX_ROWS // BATCH_ROWS)):
                session.execute_write(run_part, part)
            for ids in _chunks(sorted(touched | plan.touched), TX_ROWS):
                session.execute_write(_count_mentions, set(ids))
            session.execute_write(lambda tx: tx.run(f"MATCH (w:{_WRITE_LABEL}) DELETE w").consume())

    def _pending(self) -> Optional[dict[str, Any]]:
        records = self._read(f"MATCH (w:{_WRITE_LABEL} {{id: 'pending'}}) RETURN properties(w) AS w")
        return dict(records[0]["w"]) if records else None

    def incomplete(self) -> Optional[str]:
        """What an interrupted write in parts left undone, or None (every smaller write is one transaction)."""
        pending = self._pending()
        if not pending:
            return None
        how = " --fresh" if pending.get("fresh") else ""
        return (f"a write{how} of {len(pending.get('batch') or [])} source file(s) begun {pending.get('since', '?')} "
                f"did not finish; the store holds part of it. Run that `zhize ingest{how}` again to complete it")

    @staticmethod
    def _forget(tx, drop: list[str]) -> set[str]:
        """Take ``drop`` out of every item's sources, delete what none asserts any more; the touched node ids."""
        rec = tx.run(_FORGET_RELS.format(z=Z), drop=drop).single()
        touched = set(rec["touched"]) if rec else set()
        rec = tx.run(_FORGET_NODES.format(z=Z), drop=drop).single()
        survivors = set(rec["survivors"]) if rec else set()
        gone = set(rec["gone"]) if rec else set()
        if survivors:
            tx.run(f"MATCH (n:{Z}) WHERE n.id IN $ids AND n.alias_sources IS NOT NULL "
                   f"SET n.aliases = {_ALIASES}", ids=sorted(survivors)).consume()
        return (touched | survivors) - gone

    def clear(self) -> None:
        """Delete every node zhize wrote, with its relationships (the schema stays), in bounded transactions.

        Nodes without the Zhize label (the user's own) are not touched."""
        self._writable()
        with self._session() as session:
            _delete_everything(session)
            session.run(f"MATCH (w:{_WRITE_LABEL}) DELETE w").consume()

    def close(self) -> None:
        self.driver.close()

    # --- counts and documents ---------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type; every known label and type, 0 when absent."""
        out = {label: 0 for label in NODE_LABELS}
        out.update({t: 0 for t in REL_TYPES})
        for rec in self._read(f"MATCH (n:{Z}) UNWIND labels(n) AS k WITH k WHERE k <> $z RETURN k, count(*) AS c",
                              z=Z):
            out[rec["k"]] = rec["c"]
        for rec in self._read(f"MATCH (:{Z})-[r]->(:{Z}) RETURN type(r) AS k, count(*) AS c"):
            out[rec["k"]] = rec["c"]
        return out

    def documents(self) -> list[dict[str, Any]]:
        records = self._read(f"MATCH (d:{Z}:Document) OPTIONAL MATCH (d)-[p:PRINTED_IN]->(:{Z}:Source) "
                             f"RETURN properties(d) AS d, collect(properties(p)) AS printed")
        return sort_documents([document_entry(_props(rec["d"]), rec["printed"]) for rec in records])

    def sources(self) -> list[SourceInfo]:
        """The files whose facts the store holds, by name then content hash."""
        records = self._read(f"MATCH (s:{Z}:Source) OPTIONAL MATCH (d:{Z}:Document)-[:PRINTED_IN]->(s) "
                             f"RETURN properties(s) AS s, collect(DISTINCT coalesce(d.doc, '')) AS docs")
        pending = self._pending()
        half_written = set(pending.get("batch") or ()) if pending else set()     # not stored until finished
        return sorted((source_info(_props(rec["s"]), rec["docs"]) for rec in records
                       if rec["s"].get("sha256") not in half_written),
                      key=lambda s: (s.file, s.path, s.sha256))

    # --- tasks ----------------------------------------------------------------------
    def owners(self, words: str, limit: int = 50) -> list[TaskOwners]:
        """Tasks whose search text contains every word, each with its units grouped by role."""
        ws = words_of(words)
        if not ws:
            return []
        records = self._read(
            f"MATCH (t:{Z}:Task) WHERE all(w IN $words WHERE coalesce(t.search, t.text, '') CONTAINS w) "
            f"MATCH (u:{Z})-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t) "
            f"OPTIONAL MATCH (d:{Z}:Document {{id: t.doc_id}}) "
            "RETURN t.id AS id, properties(t) AS task, properties(d) AS doc, "
            "       collect({src: u.id, type: type(r), props: properties(r), unit: properties(u)}) AS rels",
            words=ws)
        out = []
        for rec in records:
            task, doc = _props(rec["task"]), _props(rec["doc"])
            trels = [(_rel(x["src"], x["type"], rec["id"], x["props"]), _props(x["unit"])) for x in rec["rels"]]
            trels.sort(key=lambda ru: (*print_order(ru[0]), ru[0]["src"]))
            grouped: dict[str, list[UnitRef]] = {role: [] for role in ROLES}
            for r, unit in first_of(trels, lambda ru: (ru[0]["type"], ru[0]["src"])):
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
            f"UNWIND $owners AS o MATCH (u:{Z} {{id: o.id}})-[r]->(t:{Z}) WHERE u:Institution AND type(r) IN $types "
            "RETURN o.inherited AS inherited, t.id AS tid, type(r) AS type, properties(r) AS r, "
            "       properties(t) AS t",
            owners=owners, types=types)
        out = []
        for rec in records:
            task = _props(rec["t"])
            out.append(UnitTask(task_id=rec["tid"], task=task["text"], role=REL_TO_ROLE[rec["type"]],
                                doc=task["doc"], date=task.get("date"), inherited_from=rec["inherited"],
                                evidence=_evidence(rec["r"])))
        return sort_unit_tasks(out)

    def _predecessors(self, unit_id: str) -> list[str]:
        """Every node that reaches ``unit_id`` by SUCCEEDED_BY, nearest first."""
        records = self._read(
            f"MATCH p = (pred:{Z})-[:SUCCEEDED_BY*1..]->(u:{Z} {{id: $id}}) WHERE u:Institution AND pred.id <> $id "
            "RETURN pred.id AS id, min(length(p)) AS d ORDER BY d, id", id=unit_id)
        return [rec["id"] for rec in records]

    # --- institutions ------------------------------------------------------------------
    def find_institutions(self, text: str, limit: int = 20) -> list[InstitutionInfo]:
        """Institutions whose name or an alias contains ``text``; exact matches first."""
        q = squeeze(text)
        records = self._read(
            f"MATCH (n:{Z}:Institution) WHERE coalesce(n.name, '') CONTAINS $q "
            "   OR any(a IN coalesce(n.aliases, []) WHERE a CONTAINS $q) "
            "RETURN n.id AS id, properties(n) AS p", q=q)
        infos = [_institution(rec["id"], _props(rec["p"])) for rec in records]
        infos.sort(key=lambda x: search_key(x.name, x.aliases, x.mentions, x.id, q))
        return infos[:limit]

    def institution(self, unit_id: str) -> Optional[InstitutionInfo]:
        records = self._read(f"MATCH (n:{Z} {{id: $id}}) WHERE n:Institution RETURN properties(n) AS p", id=unit_id)
        return _institution(unit_id, _props(records[0]["p"])) if records else None

    def institutions(self, ids: Iterable[str]) -> list[InstitutionInfo]:
        """The institutions among ``ids``, by id; unknown ids are left out."""
        records = self._read(f"UNWIND $ids AS id MATCH (n:{Z} {{id: id}}) WHERE n:Institution "
                             f"RETURN n.id AS id, properties(n) AS p", ids=sorted(set(ids)))
        return sorted((_institution(rec["id"], _props(rec["p"])) for rec in records), key=lambda i: i.id)

    def unit_groups(self, unit_id: str) -> list[GroupMembership]:
        records = self._read(
            f"MATCH (u:{Z} {{id: $id}})-[r:MEMBER_UNIT_OF]->(g:{Z}) WHERE u:Institution "
            "RETURN g.id AS gid, g.name AS group, 'MEMBER_UNIT_OF' AS type, properties(r) AS r "
            "UNION ALL "
            f"MATCH (g:{Z})-[r:OFFICE_AT]->(u:{Z} {{id: $id}}) WHERE u:Institution "
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
            f"MATCH (p:{Z})-[r]->(u:{Z} {{id: $id}}) WHERE u:Institution AND type(r) IN $types "
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
            f"MATCH (u:{Z} {{id: $id}})-[:SUCCEEDED_BY*0..]-(v:{Z}) WHERE u:Institution WITH DISTINCT v "
            f"MATCH (v)-[r:SUCCEEDED_BY]->(w:{Z}) "
            "RETURN DISTINCT v.id AS s, w.id AS e, r.date AS date, r.source AS source", id=unit_id)
        edges = {(rec["s"], rec["e"]): rec for rec in records}
        out = [Succession(predecessor=s, successor=e, date=rec["date"], source=rec["source"])
               for (s, e), rec in edges.items()]
        return sorted(out, key=lambda s: (oldest_first(s.date), s.predecessor, s.successor))

    # --- people ------------------------------------------------------------------------
    def find_persons(self, text: str, limit: int = 20) -> list[PersonInfo]:
        q = squeeze(text)
        records = self._read(f"MATCH (n:{Z}:Person) WHERE coalesce(n.name, '') CONTAINS $q "
                             "RETURN n.id AS id, properties(n) AS p", q=q)
        infos = [_person(rec["id"], _props(rec["p"])) for rec in records]
        infos.sort(key=lambda x: search_key(x.name, (), x.mentions, x.id, q))
        return infos[:limit]

    def person_profile(self, person_id: str) -> Optional[PersonProfile]:
        found = self._read(f"MATCH (n:{Z} {{id: $id}}) WHERE n:Person RETURN properties(n) AS p", id=person_id)
        if not found:
            return None
        rels = self._read(
            f"MATCH (n:{Z} {{id: $id}})-[r]->(x:{Z}) WHERE n:Person AND type(r) IN $types "
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
        records = self._read(f"MATCH (n:{Z}:Group) WHERE coalesce(n.name, '') CONTAINS $q "
                             "RETURN n.id AS id, n.name AS name, n.doc AS doc", q=q)
        infos = [GroupInfo(id=rec["id"], name=rec["name"], doc=rec["doc"] or "") for rec in records]
        infos.sort(key=lambda g: search_key(g.name, (), 0, g.id, q))
        return infos[:limit]

    def group_roster(self, group_id: str) -> Optional[Roster]:
        found = self._read(f"MATCH (g:{Z} {{id: $id}}) WHERE g:Group RETURN properties(g) AS p", id=group_id)
        if not found:
            return None
        props = _props(found[0]["p"])
        records = self._read(
            f"MATCH (x:{Z})-[r:MEMBER_OF|MEMBER_UNIT_OF]->(g:{Z} {{id: $id}}) WHERE g:Group "
            "RETURN type(r) AS type, x.id AS xid, labels(x) AS xl, properties(x) AS x, properties(r) AS r "
            "UNION ALL "
            f"MATCH (g:{Z} {{id: $id}})-[r:OFFICE_AT]->(x:{Z}) WHERE g:Group "
            "RETURN type(r) AS type, x.id AS xid, labels(x) AS xl, properties(x) AS x, properties(r) AS r",
            id=group_id)
        nodes: dict[str, tuple[str, dict[str, Any]]] = {}
        member, units, hosts = [], [], []
        for rec in records:
            nodes[rec["xid"]] = (_own_label(rec["xl"]), _props(rec["x"]))
            if rec["type"] == "MEMBER_OF":
                member.append(_rel(rec["xid"], "MEMBER_OF", group_id, rec["r"]))
            elif rec["type"] == "MEMBER_UNIT_OF":
                units.append(_rel(rec["xid"], "MEMBER_UNIT_OF", group_id, rec["r"]))
            else:
                hosts.append(_rel(group_id, "OFFICE_AT", rec["xid"], rec["r"]))
        return _roster(group_id, props, member, units, hosts, nodes)

    # --- network -----------------------------------------------------------------------
    _DUTIES = (f"MATCH (u:{Z}:Institution)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:{Z}:Task) WHERE type(r) IN $types "
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


def _own_label(labels: list[str]) -> str:
    """A node's model label among its labels (the other one is Zhize)."""
    return next((lb for lb in labels if lb in NODE_LABELS), labels[0] if labels else "")


class _Plan:
    """The statements that merge a batch, in order (nodes, then relationships), with what they touch.

    A relationship only the sources being replaced assert (every provenance
    relationship of a file being re-ingested, everything with ``fresh``) was
    deleted by the forgetting before: it is CREATEd, not MERGEd, which on a
    node with thousands of relationships is the difference between a lookup
    and a scan of them.
    """

    def __init__(self, batch: GraphBatch, gone: set[str], fresh: bool) -> None:
        nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.in_batch: set[str] = set()
        for n in batch.nodes:
            props = {k: v for k, v in n.props.items() if k not in ("id", "alias_sources")}
            nodes_by_label[_label(n.label)].append({"id": n.id, "props": props, "sources": list(n.sources),
                                                    "alias_sources": n.props.get("alias_sources")})
            self.in_batch.add(n.id)
        rels: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
        for r in batch.rels:
            new = fresh or (bool(r.sources) and set(r.sources) <= gone)
            rels[(_ident(r.type), new)].append({"start": r.start, "end": r.end, "key": r.key,
                                               "props": {k: v for k, v in r.props.items() if v is not None},
                                               "sources": list(r.sources)})
        self.statements: list[tuple[str, list[dict[str, Any]]]] = [
            (_MERGE_NODES.format(z=Z, label=label), chunk)
            for label, rows in sorted(nodes_by_label.items()) for chunk in _chunks(rows)]
        self.statements += [((_CREATE_RELS if new else _MERGE_RELS).format(z=Z, type=type_), chunk)
                            for (type_, new), rows in sorted(rels.items()) for chunk in _chunks(rows)]
        self.ends = sorted({i for r in batch.rels for i in (r.start, r.end)} - self.in_batch)
        self.touched = self.in_batch | {i for r in batch.rels for i in (r.start, r.end)}
        self.fresh = fresh

    def check_ends(self, tx) -> None:
        """Every relationship's ends are in the batch or (without fresh) in the store: else nothing is written."""
        if not self.ends:
            return
        found = set() if self.fresh else {
            rec["id"] for rec in tx.run(f"MATCH (n:{Z}) WHERE n.id IN $ids RETURN n.id AS id", ids=self.ends)}
        dangling = [i for i in self.ends if i not in found]
        if dangling:
            raise ValueError(f"relationships point at {len(dangling)} node(s) neither in the batch nor in the "
                             f"database, e.g. {dangling[:3]}")


def _delete_everything(session) -> None:
    """Every Zhize node and relationship, in bounded transactions: relationships first, as one node
    detached with its thousands of relationships would pass the transaction memory on its own."""
    session.run(f"MATCH (:{Z})-[r]->(:{Z}) CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS").consume()
    session.run(f"MATCH (n:{Z}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS").consume()


def _count_mentions(tx, ids: set[str]) -> None:
    for chunk in _chunks(sorted(ids), 5 * BATCH_ROWS):
        tx.run(_COUNT_MENTIONS.format(z=Z), ids=chunk, out=sorted(MENTION_OUT), inn=sorted(MENTION_IN),
               acts=list(MENTION_HOLDS_ACTIONS)).consume()


# The write statements.  ``{z}`` is the Zhize label, ``{label}`` / ``{type}`` checked names.
_ALIASES = "reduce(acc = [], a IN n.alias_sources | CASE WHEN substring(a, 65) IN acc THEN acc ELSE acc + substring(a, 65) END)"

_MERGE_NODES = (
    "UNWIND $rows AS row MERGE (n:{z} {{id: row.id}}) SET n += row.props, n:{label} "
    "SET n.sources = CASE WHEN size(row.sources) = 0 THEN n.sources "
    "                     ELSE [s IN coalesce(n.sources, []) WHERE NOT s IN row.sources] + row.sources END "
    "WITH n, row WHERE row.alias_sources IS NOT NULL "
    "SET n.alias_sources = [a IN coalesce(n.alias_sources, []) WHERE NOT a IN row.alias_sources] + row.alias_sources "
    "SET n.aliases = " + _ALIASES)

_MERGE_RELS = (
    "UNWIND $rows AS row MATCH (a:{z} {{id: row.start}}) MATCH (b:{z} {{id: row.end}}) "
    "MERGE (a)-[r:{type} {{key: row.key}}]->(b) SET r += row.props "
    "SET r.sources = CASE WHEN size(row.sources) = 0 THEN r.sources "
    "                     ELSE [s IN coalesce(r.sources, []) WHERE NOT s IN row.sources] + row.sources END")

_CREATE_RELS = (
    "UNWIND $rows AS row MATCH (a:{z} {{id: row.start}}) MATCH (b:{z} {{id: row.end}}) "
    "CREATE (a)-[r:{type}]->(b) SET r = row.props, r.key = row.key, "
    "    r.sources = CASE WHEN size(row.sources) = 0 THEN null ELSE row.sources END")

_FORGET_RELS = (
    "MATCH (a:{z})-[r]->(b:{z}) WHERE any(s IN r.sources WHERE s IN $drop) "
    "WITH a.id AS a, b.id AS b, r, [s IN r.sources WHERE NOT s IN $drop] AS keep "
    "FOREACH (_ IN CASE WHEN size(keep) = 0 THEN [1] ELSE [] END | DELETE r) "
    "FOREACH (_ IN CASE WHEN size(keep) > 0 THEN [1] ELSE [] END | SET r.sources = keep) "
    "RETURN collect(a) + collect(b) AS touched")

_FORGET_NODES = (
    "MATCH (n:{z}) WHERE any(s IN n.sources WHERE s IN $drop) "
    "WITH n, n.id AS id, [s IN n.sources WHERE NOT s IN $drop] AS keep "
    "FOREACH (_ IN CASE WHEN size(keep) = 0 THEN [1] ELSE [] END | DETACH DELETE n) "
    "FOREACH (_ IN CASE WHEN size(keep) > 0 THEN [1] ELSE [] END | SET n.sources = keep, "
    "    n.alias_sources = [x IN n.alias_sources WHERE NOT left(x, 64) IN $drop]) "
    "RETURN collect(CASE WHEN size(keep) > 0 THEN id END) AS survivors, "
    "       collect(CASE WHEN size(keep) = 0 THEN id END) AS gone")

# mentions: the provenance relationships naming the node (zhize.graph.model.names_start / names_end)
_COUNT_MENTIONS = (
    "UNWIND $ids AS id MATCH (n:{z} {{id: id}}) WHERE n:Institution OR n:Person "
    "CALL (n) {{ OPTIONAL MATCH (n)-[r]->(:{z}) WHERE type(r) IN $out "
    "           AND (type(r) <> 'HOLDS' OR r.action IN $acts) RETURN count(r) AS a }} "
    "CALL (n) {{ OPTIONAL MATCH (:{z})-[r]->(n) WHERE type(r) IN $inn RETURN count(r) AS b }} "
    "SET n.mentions = a + b")
