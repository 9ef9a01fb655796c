"""The Neo4j store's writer: the connection, the schema, and every write.

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
A store opened ``read_only`` never writes: no schema set-up, sessions in read
access mode, ``load``/``clear`` refused.  The statements are in ``zhize.graph.cypher``.
"""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Any, Iterable, Optional

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from zhize.graph import cypher
from zhize.graph.model import (
    MENTION_HOLDS_ACTIONS,
    MENTION_IN,
    MENTION_OUT,
    GraphBatch,
    StoreError,
)

DEFAULT_URI = "bolt://127.0.0.1:7687"
BATCH_ROWS = 1000
TX_ROWS = 20_000           # nodes + relationships one write transaction may hold (see replace_sources)


class Neo4jUnavailable(StoreError, ConnectionError):
    """No usable Neo4j at the URI; the message says how to get one."""


def _chunks(rows: list[Any], size: int = BATCH_ROWS) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jWriter:
    """Connects to the server, sets the schema up and writes; ``Neo4jQueries`` reads."""

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
    def from_env(cls, read_only: bool = False):
        """``NEO4J_URI`` (default bolt://127.0.0.1:7687), ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
        return cls(os.environ.get("NEO4J_URI") or DEFAULT_URI, os.environ.get("NEO4J_USER", "neo4j"),
                   os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE"), read_only=read_only)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.uri!r}, database={self.database!r}{', read_only=True' if self.read_only else ''})"

    @property
    def location(self) -> str:
        return self.uri

    def _ensure_schema(self) -> None:
        """Constraints and indexes before any MERGE; schema changes run outside data transactions."""
        old = [r["name"] for r in self.driver.execute_query(
            cypher.SHOW_OLD_CONSTRAINTS, names=sorted(cypher.OLD_CONSTRAINTS),
            database_=self.database).records]
        if old:
            self._adopt_old_store(old)
        for statement in cypher.SCHEMA:
            self.driver.execute_query(statement, database_=self.database)
        self.driver.execute_query(cypher.AWAIT_INDEXES, database_=self.database)

    def _adopt_old_store(self, constraints: list[str]) -> None:
        """Nodes an older zhize wrote (its per-label constraints say so) get the Zhize label."""
        with self.driver.session(database=self.database) as session:
            for name in constraints:
                session.run(cypher.adopt_old_label(cypher.OLD_CONSTRAINTS[name])).consume()
                session.run(cypher.drop_constraint(name)).consume()

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
                tx.run(cypher.DELETE_ALL).consume()
            elif drop:
                touched |= self._forget(tx, drop)
            for query, rows in plan.statements:
                tx.run(query, rows=rows).consume()
            _count_mentions(tx, touched | plan.touched)
            tx.run(cypher.CLEAR_PENDING).consume()

        with self._session() as session:
            session.execute_write(work)

    def _write_in_parts(self, plan: "_Plan", drop: list[str], fresh: bool, batch_sources: list[str]) -> None:
        """A batch too big for one transaction: parts of ``TX_ROWS`` rows, between a marker saying a write of
        these sources is under way and its removal.  Every part can be redone: the next write forgets the
        marker's sources first, so its CREATEs never meet their own earlier copies."""
        with self._session() as session:
            session.execute_write(lambda tx: tx.run(
                cypher.MARK_PENDING,
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
            session.execute_write(lambda tx: tx.run(cypher.CLEAR_PENDING).consume())

    def _pending(self) -> Optional[dict[str, Any]]:
        records = self._read(cypher.PENDING)
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
        rec = tx.run(cypher.FORGET_RELS, drop=drop).single()
        touched = set(rec["touched"]) if rec else set()
        rec = tx.run(cypher.FORGET_NODES, drop=drop).single()
        survivors = set(rec["survivors"]) if rec else set()
        gone = set(rec["gone"]) if rec else set()
        if survivors:
            tx.run(cypher.ALIASES_OF_SURVIVORS, ids=sorted(survivors)).consume()
        return (touched | survivors) - gone

    def clear(self) -> None:
        """Delete every node zhize wrote, with its relationships (the schema stays), in bounded transactions.

        Nodes without the Zhize label (the user's own) are not touched."""
        self._writable()
        with self._session() as session:
            _delete_everything(session)
            session.run(cypher.CLEAR_PENDING).consume()

    def close(self) -> None:
        self.driver.close()


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
            nodes_by_label[n.label].append({"id": n.id, "props": props, "sources": list(n.sources),
                                                    "alias_sources": n.props.get("alias_sources")})
            self.in_batch.add(n.id)
        rels: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
        for r in batch.rels:
            new = fresh or (bool(r.sources) and set(r.sources) <= gone)
            rels[(r.type, new)].append({"start": r.start, "end": r.end, "key": r.key,
                                               "props": {k: v for k, v in r.props.items() if v is not None},
                                               "sources": list(r.sources)})
        self.statements: list[tuple[str, list[dict[str, Any]]]] = [
            (cypher.merge_nodes(label), chunk)
            for label, rows in sorted(nodes_by_label.items()) for chunk in _chunks(rows)]
        self.statements += [((cypher.create_rels if new else cypher.merge_rels)(type_), chunk)
                            for (type_, new), rows in sorted(rels.items()) for chunk in _chunks(rows)]
        self.ends = sorted({i for r in batch.rels for i in (r.start, r.end)} - self.in_batch)
        self.touched = self.in_batch | {i for r in batch.rels for i in (r.start, r.end)}
        self.fresh = fresh

    def check_ends(self, tx) -> None:
        """Every relationship's ends are in the batch or (without fresh) in the store: else nothing is written."""
        if not self.ends:
            return
        found = set() if self.fresh else {
            rec["id"] for rec in tx.run(cypher.EXISTING_IDS, ids=self.ends)}
        dangling = [i for i in self.ends if i not in found]
        if dangling:
            raise ValueError(f"relationships point at {len(dangling)} node(s) neither in the batch nor in the "
                             f"database, e.g. {dangling[:3]}")


def _delete_everything(session) -> None:
    """Every Zhize node and relationship, in bounded transactions: relationships first, as one node
    detached with its thousands of relationships would pass the transaction memory on its own."""
    session.run(cypher.DELETE_ALL_RELS_IN_PARTS).consume()
    session.run(cypher.DELETE_ALL_NODES_IN_PARTS).consume()


def _count_mentions(tx, ids: set[str]) -> None:
    for chunk in _chunks(sorted(ids), 5 * BATCH_ROWS):
        tx.run(cypher.COUNT_MENTIONS, ids=chunk, out=sorted(MENTION_OUT), inn=sorted(MENTION_IN),
               acts=list(MENTION_HOLDS_ACTIONS)).consume()
