"""The embedded graph store: one SQLite file, and the reference for every query's meaning.

Why SQLite: the graph is small (thousands of nodes per corpus) and the user
should get answers with nothing to install or run; Python ships SQLite, the
file is the whole database, and a copy of it is a copy of the graph.
Why WAL: the Streamlit app reads while ``zhize ingest`` writes; in WAL mode
readers never block the writer nor see half a load (one transaction per
batch), and the app opens the file read-only (``mode=ro`` URI) so it cannot
change it.  Why FTS5 with the trigram tokenizer: task text is Chinese with no
spaces, so word tokenizers do not apply; trigrams give indexed substring
search for any query word of 3+ characters.  Words of 1-2 characters (反拐,
审计) are below a trigram and fall back to a plain substring scan; matching is
case-sensitive substring either way, exactly Neo4j's ``CONTAINS``.

Nodes and relationships are stored as the ``GraphBatch`` gave them (JSON
props) with the columns queries filter on indexed; loads upsert on ``id`` and
on ``(start, type, end, key)``, merging props like Cypher's ``SET n += props``,
so loading the same batch twice changes nothing.  ``replace_sources`` runs in
one ``BEGIN IMMEDIATE`` transaction; writers also take an advisory lock on
``<file>.lock`` holding their pid and command, so a second ``zhize ingest``
waits (``ZHIZE_DB_TIMEOUT`` seconds, default 60) and, if it gives up, says
which process holds the store.  The file must be a zhize store: another
program's SQLite database, a damaged file or a folder is refused with a
message, never written into.  Ordering and aggregation
live in ``zhize.graph.semantics`` so the Neo4j store answers identically.  The
network queries read only ids (covering index ``rels(type, end, start)``,
``nodes(label, id)``) and the task's doc/date through expression indexes, and
count in numpy: 0.2 s for the whole network of 100k facts.  A file made before
these indexes still answers, only slower, until a writer opens it.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import quote

import numpy as np

from zhize.graph.model import (
    DUTY_REL,
    MENTION_HOLDS_ACTIONS,
    MENTION_IN,
    MENTION_OUT,
    NODE_LABELS,
    PORTFOLIO_REL,
    CoEdge,
    Evidence,
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
    RosterEntry,
    SourceInfo,
    StoreBusy,
    StoreError,
    StoreMissing,
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
    squeeze,
    ROLE_BIT,
    Duties,
    co_edges,
    first_of,
    role_counts as count_roles,
    oldest_first,
    print_order,
    rank,
    search_key,
    task_key,
    words_of,
)

SCHEMA_VERSION = "2"          # 2: sources on every item, Source nodes, PRINTED_IN (a "1" file is upgraded)
STORE_MARK = "zhize graph store"
SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 60.0        # seconds a writer waits for another (ZHIZE_DB_TIMEOUT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_label_name ON nodes(label, name);
CREATE INDEX IF NOT EXISTS nodes_label_id ON nodes(label, id);
CREATE TABLE IF NOT EXISTS rels (
    start TEXT NOT NULL,
    type TEXT NOT NULL,
    "end" TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (start, type, "end", key)
);
CREATE INDEX IF NOT EXISTS rels_end_type ON rels("end", type);
CREATE INDEX IF NOT EXISTS rels_type_end_start ON rels(type, "end", start);
CREATE INDEX IF NOT EXISTS nodes_task_doc ON nodes(json_extract(props, '$.doc')) WHERE label = 'Task';
CREATE INDEX IF NOT EXISTS nodes_task_date ON nodes(json_extract(props, '$.date')) WHERE label = 'Task';
CREATE VIRTUAL TABLE IF NOT EXISTS task_fts USING fts5(text, tokenize='trigram case_sensitive 1');
"""

_DUTY_TYPES = tuple(DUTY_REL.values())
_PORTFOLIO_TYPES = tuple(PORTFOLIO_REL.values())


def default_path() -> Path:
    """``$ZHIZE_DB``, else ``.zhize/graph.sqlite`` in the current project folder."""
    env = os.environ.get("ZHIZE_DB")
    return Path(env) if env else Path.cwd() / ".zhize" / "graph.sqlite"


def busy_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("ZHIZE_DB_TIMEOUT") or DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _name_of(label: str, props: dict[str, Any]) -> str:
    if label == "Task":
        return props.get("search") or props.get("text") or ""
    if label == "Document":
        return props.get("doc") or ""
    return props.get("name") or ""


def _in(values: Iterable[str]) -> str:
    return ",".join("?" for _ in values)


class SQLiteStore:
    """A ``GraphStore`` on one SQLite file."""

    def __init__(self, path: str | os.PathLike[str] | None = None, read_only: bool = False,
                 timeout: Optional[float] = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = read_only
        self.timeout = busy_timeout() if timeout is None else timeout
        self._check_file()
        try:
            if read_only:
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=self.timeout,
                                            isolation_level=None)
                self._check_zhize()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=self.timeout,
                                            isolation_level=None)
                self._check_zhize()
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                with self._writing(), self._transaction():
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        self.conn.execute(statement)
                    self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('store', ?)", (STORE_MARK,))
                    self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc
        self.conn.execute("PRAGMA foreign_keys=OFF")
        self._index_names: Optional[set[str]] = None

    def _check_file(self) -> None:
        """Refuse what is not ours before SQLite touches it: a folder, a file of another format."""
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a graph store file; "
                             f"give a file path, e.g. --db {self.path / 'graph.sqlite'}")
        if not self.path.exists():
            if self.read_only:
                raise StoreMissing(f"no graph database at {self.path}; run `zhize ingest` first")
            return
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"{self.path} cannot be read ({exc.strerror or exc})") from None
        if head and head != SQLITE_HEADER:
            raise StoreError(f"{self.path} is not a zhize store (not an SQLite database); zhize will not "
                             f"read or overwrite it: give another --db, or move the file away")
        if not head and self.read_only:
            raise StoreMissing(f"the graph database {self.path} is empty; run `zhize ingest` first")

    def _check_zhize(self) -> None:
        """An SQLite file of some other program is left alone; an empty one becomes a store."""
        tables = {n for (n,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            if self.read_only:
                raise StoreMissing(f"the graph database {self.path} is empty; run `zhize ingest` first")
            return
        version = None
        if "meta" in tables and "nodes" in tables:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = row[0] if row else None
        if version is None:
            shown = ", ".join(sorted(tables)[:6]) + (" …" if len(tables) > 6 else "")
            raise StoreError(f"{self.path} is an SQLite database of another program (tables: {shown}); zhize "
                             f"will not read or write it: give another --db")
        if not str(version).isdigit() or int(version) > int(SCHEMA_VERSION):
            raise StoreError(f"{self.path} was written by a newer zhize (store version {version}, this one "
                             f"reads up to {SCHEMA_VERSION}); upgrade zhize")

    def _error(self, exc: sqlite3.DatabaseError) -> StoreError:
        """An SQLite failure as the store's own error: what is wrong with which file, what to do."""
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
            return StoreBusy(f"{self.path} is locked by another program (not a zhize writer) for more than "
                             f"{self.timeout:.0f} s; close it (an open sqlite3 shell or browser?) and try again")
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in text:
            return StoreError(f"{self.path} cannot be written (read-only file or folder): {text}")
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in text:
            return StoreError(f"{self.path} cannot be opened ({text}); check the folder exists and is writable")
        return StoreError(f"{self.path} is damaged or not a zhize store ({text}); restore a copy, or build a "
                          f"new one with `zhize ingest --fresh --db NEW.sqlite`")

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}{', read_only=True' if self.read_only else ''})"

    @property
    def location(self) -> str:
        return str(self.path)

    # --- writing ------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"{self!r} was opened read-only; open it without read_only to write")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taking SQLite's write lock at once (so it cannot fail half-way on a busy file)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The writers' lock beside the file: wait for another zhize writer, and name it if it takes too long."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fh = open(lock_path, "a+", encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"{self.path} cannot be written: its lock file {lock_path} cannot be created "
                             f"({exc.strerror or exc})") from None
        with fh:
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(f"{self.path} is being written by {_holder(lock_path)}; waited "
                                        f"{self.timeout:.0f} s (ZHIZE_DB_TIMEOUT). Try again once it has "
                                        f"finished.") from None
                    time.sleep(0.1)
            try:
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps({"pid": os.getpid(), "command": " ".join(sys.argv)[:300],
                                     "since": time.strftime("%Y-%m-%d %H:%M:%S")}, ensure_ascii=False))
                fh.flush()
                yield
            finally:
                fh.seek(0)
                fh.truncate()
                fh.flush()
                fcntl.flock(fh, fcntl.LOCK_UN)

    def load(self, batch: GraphBatch) -> None:
        """Upsert a batch in one transaction: all of it or none of it."""
        self.replace_sources(batch)

    def replace_sources(self, batch: GraphBatch, sources: Iterable[str] = (), fresh: bool = False) -> None:
        """Forget ``sources`` (everything with ``fresh``) and merge ``batch``, in one transaction."""
        self._writable()
        drop = sorted(set(sources))
        try:
            with self._writing(), self._transaction():
                touched: set[str] = set()
                if fresh:
                    for table in ("rels", "nodes", "task_fts"):
                        self.conn.execute(f"DELETE FROM {table}")
                elif drop:
                    touched |= self._forget(drop)
                touched |= self._merge(batch)
                self._count_mentions(touched)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "readonly" in str(exc):
                raise self._error(exc) from exc
            raise

    def incomplete(self) -> Optional[str]:
        """Never: every write is one transaction."""
        return None

    def clear(self) -> None:
        self._writable()
        with self._writing(), self._transaction():
            for table in ("rels", "nodes", "task_fts"):
                self.conn.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        self.conn.close()

    def _forget(self, drop: list[str]) -> set[str]:
        """Take ``drop`` out of every item's sources; delete what no source asserts any more.

        Returns the nodes whose counts may have changed (survivors, ends of deleted relationships)."""
        gone = set(drop)
        touched: set[str] = set()
        cond = f"EXISTS (SELECT 1 FROM json_each(props, '$.sources') WHERE value IN ({_in(drop)}))"
        for start, type_, end, key, props in self.conn.execute(
                f'SELECT start, type, "end", key, props FROM rels WHERE {cond}', drop).fetchall():
            p = json.loads(props)
            keep = [x for x in p["sources"] if x not in gone]
            touched.update((start, end))
            if keep:
                p["sources"] = keep
                self.conn.execute('UPDATE rels SET props = ? WHERE start = ? AND type = ? AND "end" = ? AND key = ?',
                                  (_dump(p), start, type_, end, key))
            else:
                self.conn.execute('DELETE FROM rels WHERE start = ? AND type = ? AND "end" = ? AND key = ?',
                                  (start, type_, end, key))
        dead: list[tuple[int, str]] = []
        for rowid, ident, props in self.conn.execute(
                f"SELECT rowid, id, props FROM nodes WHERE {cond}", drop).fetchall():
            p = json.loads(props)
            keep = [x for x in p["sources"] if x not in gone]
            if keep:
                p["sources"] = keep
                if "alias_sources" in p:
                    p["alias_sources"] = [a for a in p["alias_sources"] if a[:64] not in gone]
                    p["aliases"] = aliases_of(p["alias_sources"]) or p.get("aliases", [])
                self.conn.execute("UPDATE nodes SET props = ? WHERE rowid = ?", (_dump(p), rowid))
                touched.add(ident)
            else:
                dead.append((rowid, ident))
        for chunk in _chunks(dead, 500):
            ids = [i for _, i in chunk]
            for start, end in self.conn.execute(
                    f'SELECT start, "end" FROM rels WHERE start IN ({_in(ids)}) OR "end" IN ({_in(ids)})', ids + ids):
                touched.update((start, end))
            self.conn.execute(f'DELETE FROM rels WHERE start IN ({_in(ids)}) OR "end" IN ({_in(ids)})', ids + ids)
            self.conn.executemany("DELETE FROM task_fts WHERE rowid = ?", [(r,) for r, _ in chunk])
            self.conn.execute(f"DELETE FROM nodes WHERE id IN ({_in(ids)})", ids)
        return touched - {i for _, i in dead}

    def _merge(self, batch: GraphBatch) -> set[str]:
        """Upsert the batch, props merged like ``SET n += props`` and source lists united."""
        in_batch = {n.id for n in batch.nodes}
        ends = sorted({i for r in batch.rels for i in (r.start, r.end) if i is not None} - in_batch)
        found: set[str] = set()
        for chunk in _chunks(ends, 500):
            found |= {i for (i,) in self.conn.execute(f"SELECT id FROM nodes WHERE id IN ({_in(chunk)})", chunk)}
        dangling = [i for i in ends if i not in found]
        if dangling:
            raise ValueError(f"relationships point at {len(dangling)} node(s) neither in the batch nor in the "
                             f"database, e.g. {dangling[:3]}")
        old_nodes: dict[str, dict[str, Any]] = {}
        for chunk in _chunks([n.id for n in batch.nodes], 500):
            for ident, props in self.conn.execute(f"SELECT id, props FROM nodes WHERE id IN ({_in(chunk)})", chunk):
                old_nodes[ident] = json.loads(props)
        node_rows = []
        for n in batch.nodes:
            p = merge_props(old_nodes.get(n.id), n.props, n.sources)
            node_rows.append((n.id, n.label, _name_of(n.label, p), _dump(p)))
        self.conn.executemany(
            "INSERT INTO nodes(id, label, name, props) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, props = excluded.props, "
            "name = CASE WHEN excluded.name = '' THEN nodes.name ELSE excluded.name END",
            node_rows)
        old_rels = self._existing_rels(batch)
        rel_rows = [(r.start, r.type, r.end, r.key, _dump(merge_props(old_rels.get((r.start, r.type, r.end, r.key)),
                                                                     r.props, r.sources)))
                    for r in batch.rels]
        self.conn.executemany(
            'INSERT INTO rels(start, type, "end", key, props) VALUES (?1, ?2, ?3, ?4, ?5) '
            'ON CONFLICT(start, type, "end", key) DO UPDATE SET props = excluded.props',
            rel_rows)
        tasks = [n.id for n in batch.nodes if n.label == "Task"]
        for chunk in _chunks(tasks, 500):
            rows = self.conn.execute(f"SELECT rowid, name FROM nodes WHERE id IN ({_in(chunk)})", chunk).fetchall()
            self.conn.executemany("DELETE FROM task_fts WHERE rowid = ?", [(r[0],) for r in rows])
            self.conn.executemany("INSERT INTO task_fts(rowid, text) VALUES (?, ?)", rows)
        return {n.id for n in batch.nodes} | {i for r in batch.rels for i in (r.start, r.end)}

    def _existing_rels(self, batch: GraphBatch) -> dict[tuple[str, str, str, str], dict[str, Any]]:
        """The stored props of the batch's relationships that exist already (one join, not a query each)."""
        if not batch.rels:
            return {}
        self.conn.execute('CREATE TEMP TABLE IF NOT EXISTS batch_keys(start, type, "end", key)')
        self.conn.execute("DELETE FROM batch_keys")
        self.conn.executemany('INSERT INTO batch_keys VALUES (?, ?, ?, ?)',
                              [(r.start, r.type, r.end, r.key) for r in batch.rels])
        found = {(s, t, e, k): json.loads(p) for s, t, e, k, p in self.conn.execute(
            'SELECT r.start, r.type, r."end", r.key, r.props FROM batch_keys b '
            'JOIN rels r ON r.start = b.start AND r.type = b.type AND r."end" = b."end" AND r.key = b.key')}
        self.conn.execute("DELETE FROM batch_keys")
        return found

    def _count_mentions(self, ids: set[str]) -> None:
        """``mentions`` of the touched institutions and people, from the relationships that name them."""
        out_types, in_types = sorted(MENTION_OUT), sorted(MENTION_IN)
        acts = list(MENTION_HOLDS_ACTIONS)
        sql = (
            "UPDATE nodes SET props = json_set(props, '$.mentions', "
            f"(SELECT count(*) FROM rels r WHERE r.start = nodes.id AND r.type IN ({_in(out_types)}) "
            f"   AND (r.type <> 'HOLDS' OR json_extract(r.props, '$.action') IN ({_in(acts)}))) + "
            f"(SELECT count(*) FROM rels r WHERE r.\"end\" = nodes.id AND r.type IN ({_in(in_types)}))) "
            "WHERE label IN ('Institution', 'Person') AND id IN ({ids})")
        for chunk in _chunks(sorted(ids), 500):
            self.conn.execute(sql.format(ids=_in(chunk)), [*out_types, *acts, *in_types, *chunk])

    # --- low-level reads ------------------------------------------------------------
    def _node(self, ident: str, label: Optional[str] = None) -> Optional[tuple[str, dict[str, Any]]]:
        row = self.conn.execute("SELECT label, props FROM nodes WHERE id = ?", (ident,)).fetchone()
        if row is None or (label is not None and row[0] != label):
            return None
        return row[0], json.loads(row[1])

    def _nodes(self, ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            for ident, label, props in self.conn.execute(
                    f"SELECT id, label, props FROM nodes WHERE id IN ({_in(chunk)})", chunk):
                out[ident] = (label, json.loads(props))
        return out

    def _rels(self, where: str, params: Iterable[Any]) -> list[dict[str, Any]]:
        rows = self.conn.execute(f'SELECT start, type, "end", key, props FROM rels WHERE {where}', tuple(params))
        # endpoints as src/dst: the props' own start/end are evidence offsets
        return [{**json.loads(p), "src": s, "type": t, "dst": e, "key": k} for s, t, e, k, p in rows]

    # --- counts and documents ---------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type; every known label and type, 0 when absent."""
        out = {label: 0 for label in NODE_LABELS}
        out.update({t: 0 for t in REL_TYPES})
        out.update(dict(self.conn.execute("SELECT label, count(*) FROM nodes GROUP BY label")))
        out.update(dict(self.conn.execute("SELECT type, count(*) FROM rels GROUP BY type")))
        return out

    def documents(self) -> list[dict[str, Any]]:
        printed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for start, props in self.conn.execute("SELECT start, props FROM rels WHERE type = 'PRINTED_IN'"):
            printed[start].append(json.loads(props))
        docs = [document_entry(json.loads(p), printed.get(i, []))
                for i, p in self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Document'")]
        return sort_documents(docs)

    def sources(self) -> list[SourceInfo]:
        """The files whose facts the store holds, by name then content hash."""
        docs: dict[str, set[str]] = defaultdict(set)
        for end, doc in self.conn.execute(
                "SELECT r.\"end\", json_extract(d.props, '$.doc') FROM rels r JOIN nodes d ON d.id = r.start "
                "WHERE r.type = 'PRINTED_IN'"):
            docs[end].add(doc or "")
        return sorted((source_info(json.loads(p), docs.get(i, ())) for i, p in
                       self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Source'")),
                      key=lambda s: (s.file, s.path, s.sha256))

    # --- tasks ----------------------------------------------------------------------
    def _matching_tasks(self, words: list[str]) -> list[str]:
        sql = ["SELECT id FROM nodes WHERE label = 'Task'"]
        params: list[Any] = []
        for w in words:
            if len(w) >= 3:
                sql.append("AND rowid IN (SELECT rowid FROM task_fts WHERE task_fts MATCH ?)")
                params.append('"' + w.replace('"', '""') + '"')
            else:
                sql.append("AND instr(name, ?) > 0")
                params.append(w)
        return [r[0] for r in self.conn.execute(" ".join(sql), params)]

    def owners(self, words: str, limit: int = 50) -> list[TaskOwners]:
        """Tasks whose text contains every word, each with its units grouped by role."""
        ws = words_of(words)
        if not ws:
            return []
        task_ids = self._matching_tasks(ws)
        if not task_ids:
            return []
        rels: list[dict[str, Any]] = []
        for chunk in _chunks(task_ids, 500):
            rels += self._rels(f'"end" IN ({_in(chunk)}) AND type IN ({_in(_DUTY_TYPES)})',
                               [*chunk, *_DUTY_TYPES])
        nodes = self._nodes([*task_ids, *(r["src"] for r in rels)])
        doc_ids = {nodes[t][1].get("doc_id") for t in task_ids if t in nodes}
        docs = self._nodes(d for d in doc_ids if d)
        by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rels:
            by_task[r["dst"]].append(r)
        out = []
        for t in task_ids:
            task = nodes[t][1]
            trels = sorted(by_task.get(t, []), key=lambda r: (*print_order(r), r["src"]))
            if not trels:
                continue
            first = trels[0]
            grouped: dict[str, list[UnitRef]] = {role: [] for role in ROLES}
            for r in first_of(trels, lambda r: (r["type"], r["src"])):      # a duty printed in two files: once
                unit = nodes.get(r["src"], ("", {}))[1]
                grouped[REL_TO_ROLE[r["type"]]].append(
                    UnitRef(id=r["src"], name=unit.get("name", r.get("mention", "")),
                            mention=r.get("mention", ""), generic=bool(r.get("generic"))))
            doc = docs.get(task.get("doc_id"), ("", {}))[1]
            out.append(TaskOwners(
                task_id=t, task=task["text"], doc=task["doc"], doc_title=doc.get("title") or task.get("title") or "",
                date=task.get("date"), lead=tuple(grouped["lead"]), responsible=tuple(grouped["responsible"]),
                support=tuple(grouped["support"]), evidence=_evidence(first)))
        out.sort(key=lambda o: (task_key(o.date, o.doc, o.evidence.file, o.evidence.start), o.task_id))
        return out[:limit]

    def unit_tasks(self, unit_id: str, role: Optional[str] = None,
                   include_inherited: bool = True) -> list[UnitTask]:
        """The unit's tasks; with ``include_inherited`` also its predecessors' (SUCCEEDED_BY chains)."""
        if role is not None and role not in DUTY_REL:
            raise ValueError(f"role must be one of {', '.join(DUTY_REL)}, not {role!r}")
        types = (DUTY_REL[role],) if role else _DUTY_TYPES
        owners: list[tuple[str, Optional[str]]] = [(unit_id, None)]
        if include_inherited:
            owners += [(p, p) for p in self._predecessors(unit_id)]
        out = []
        for owner, inherited in owners:
            rels = self._rels(f"start = ? AND type IN ({_in(types)})", [owner, *types])
            tasks = self._nodes(r["dst"] for r in rels)
            for r in rels:
                task = tasks[r["dst"]][1]
                out.append(UnitTask(task_id=r["dst"], task=task["text"], role=REL_TO_ROLE[r["type"]],
                                    doc=task["doc"], date=task.get("date"), inherited_from=inherited,
                                    evidence=_evidence(r)))
        return sort_unit_tasks(out)

    def _predecessors(self, unit_id: str) -> list[str]:
        """Every institution that reaches ``unit_id`` by SUCCEEDED_BY, nearest first."""
        seen = {unit_id}
        frontier = [unit_id]
        found: list[str] = []
        while frontier:
            nxt = []
            for u in frontier:
                for (p,) in self.conn.execute(
                        "SELECT start FROM rels WHERE \"end\" = ? AND type = 'SUCCEEDED_BY' ORDER BY start", (u,)):
                    if p not in seen:
                        seen.add(p)
                        found.append(p)
                        nxt.append(p)
            frontier = nxt
        return found

    # --- institutions ------------------------------------------------------------------
    def find_institutions(self, text: str, limit: int = 20) -> list[InstitutionInfo]:
        """Institutions whose name or an alias contains ``text``; exact matches first."""
        q = squeeze(text)
        rows = self.conn.execute(
            "SELECT id, props FROM nodes WHERE label = 'Institution' AND (instr(name, ?) > 0 OR EXISTS "
            "(SELECT 1 FROM json_each(nodes.props, '$.aliases') WHERE instr(json_each.value, ?) > 0))", (q, q))
        infos = [_institution(i, json.loads(p)) for i, p in rows]
        infos.sort(key=lambda x: search_key(x.name, x.aliases, x.mentions, x.id, q))
        return infos[:limit]

    def institution(self, unit_id: str) -> Optional[InstitutionInfo]:
        found = self._node(unit_id, "Institution")
        return _institution(unit_id, found[1]) if found else None

    def institutions(self, ids: Iterable[str]) -> list[InstitutionInfo]:
        """The institutions among ``ids``, by id; unknown ids are left out."""
        nodes = self._nodes(ids)
        return [_institution(i, p) for i, (label, p) in sorted(nodes.items()) if label == "Institution"]

    def unit_groups(self, unit_id: str) -> list[GroupMembership]:
        rels = self._rels("start = ? AND type = 'MEMBER_UNIT_OF'", [unit_id])
        rels += self._rels("\"end\" = ? AND type = 'OFFICE_AT'", [unit_id])
        groups = self._nodes(r["dst"] if r["type"] == "MEMBER_UNIT_OF" else r["src"] for r in rels)
        out = set()
        for r in rels:
            gid = r["dst"] if r["type"] == "MEMBER_UNIT_OF" else r["src"]
            out.add(GroupMembership(group_id=gid, group=groups[gid][1].get("name", ""),
                                    relation=r.get("relation") or ("office_host" if r["type"] == "OFFICE_AT"
                                                                   else "member_unit"),
                                    doc=r.get("doc", "")))
        return sorted(out, key=lambda m: (m.group, m.group_id, m.relation, m.doc))

    def unit_supervisors(self, unit_id: str) -> list[tuple[PersonInfo, PortfolioItem]]:
        """Leaders whose portfolio names the unit; a leader printed only by post comes as that Post."""
        rels = self._rels(f"\"end\" = ? AND type IN ({_in(_PORTFOLIO_TYPES)})", [unit_id, *_PORTFOLIO_TYPES])
        people = self._nodes(r["src"] for r in rels)
        out = set()
        for r in rels:
            out.add((_person(r["src"], people[r["src"]][1]),
                     PortfolioItem(relation=REL_TO_PORTFOLIO[r["type"]], object=r.get("object", ""),
                                   object_id=unit_id, doc=r.get("doc", ""))))
        return sorted(out, key=lambda pi: (rank(pi[1].relation, PORTFOLIO_RELATIONS), pi[0].name,
                                           pi[0].id, pi[1].doc, pi[1].object))

    def successions(self, unit_id: str) -> list[Succession]:
        """Every SUCCEEDED_BY link in the unit's lineage (predecessors and successors, transitively)."""
        seen, frontier, edges = {unit_id}, [unit_id], {}
        while frontier:
            nxt = []
            for u in frontier:
                for r in self._rels("type = 'SUCCEEDED_BY' AND (start = ? OR \"end\" = ?)", [u, u]):
                    edges[(r["src"], r["dst"])] = r
                    for v in (r["src"], r["dst"]):
                        if v not in seen:
                            seen.add(v)
                            nxt.append(v)
            frontier = nxt
        out = [Succession(predecessor=s, successor=e, date=r.get("date"), source=r.get("source"))
               for (s, e), r in edges.items()]
        return sorted(out, key=lambda s: (oldest_first(s.date), s.predecessor, s.successor))

    # --- people ------------------------------------------------------------------------
    def find_persons(self, text: str, limit: int = 20) -> list[PersonInfo]:
        q = squeeze(text)
        rows = self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Person' AND instr(name, ?) > 0", (q,))
        infos = [_person(i, json.loads(p)) for i, p in rows]
        infos.sort(key=lambda x: search_key(x.name, (), x.mentions, x.id, q))
        return infos[:limit]

    def person_profile(self, person_id: str) -> Optional[PersonProfile]:
        found = self._node(person_id, "Person")
        if found is None:
            return None
        holds = self._rels("start = ? AND type = 'HOLDS'", [person_id])
        posts = sorted({PostHeld(position=r.get("position", ""), action=r.get("action", ""), doc=r.get("doc", ""),
                                 date=r.get("date")) for r in holds},
                       key=lambda p: (oldest_first(p.date), p.doc, p.position, p.action))
        member = self._rels("start = ? AND type = 'MEMBER_OF'", [person_id])
        groups_n = self._nodes(r["dst"] for r in member)
        groups = sorted({GroupMembership(group_id=r["dst"], group=groups_n[r["dst"]][1].get("name", ""),
                                         relation=r.get("role", ""), doc=r.get("doc", "")) for r in member},
                        key=lambda g: (g.group, g.group_id, rank(g.relation, MEMBER_ROLES), g.doc))
        port = self._rels(f"start = ? AND type IN ({_in(_PORTFOLIO_TYPES)})", [person_id, *_PORTFOLIO_TYPES])
        objs = self._nodes(r["dst"] for r in port)
        port.sort(key=lambda r: (oldest_first(r.get("date")), *print_order(r)))
        items: list[PortfolioItem] = []
        for r in port:
            item = PortfolioItem(relation=REL_TO_PORTFOLIO[r["type"]], object=r.get("object", ""),
                                 object_id=None if objs[r["dst"]][0] == "Area" else r["dst"], doc=r.get("doc", ""))
            if item not in items:
                items.append(item)
        return PersonProfile(person=_person(person_id, found[1]), posts=tuple(posts), groups=tuple(groups),
                             portfolio=tuple(items))

    # --- groups ------------------------------------------------------------------------
    def find_groups(self, text: str, limit: int = 20) -> list[GroupInfo]:
        q = squeeze(text)
        rows = self.conn.execute("SELECT id, props FROM nodes WHERE label = 'Group' AND instr(name, ?) > 0", (q,))
        infos = [GroupInfo(id=i, name=p["name"], doc=p.get("doc") or "")
                 for i, p in ((i, json.loads(p)) for i, p in rows)]
        infos.sort(key=lambda g: search_key(g.name, (), 0, g.id, q))
        return infos[:limit]

    def group_roster(self, group_id: str) -> Optional[Roster]:
        found = self._node(group_id, "Group")
        if found is None:
            return None
        props = found[1]
        member = self._rels("\"end\" = ? AND type = 'MEMBER_OF'", [group_id])
        units = self._rels("\"end\" = ? AND type = 'MEMBER_UNIT_OF'", [group_id])
        hosts = self._rels("start = ? AND type = 'OFFICE_AT'", [group_id])
        nodes = self._nodes([*(r["src"] for r in member + units), *(r["dst"] for r in hosts)])
        return _roster(group_id, props, member, units, hosts, nodes)

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


# --- helpers -----------------------------------------------------------------------------

def _dump(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"))


def aliases_of(alias_sources: Iterable[str]) -> list[str]:
    """The aliases ``<sha256>:<alias>`` entries give, each once, sorted."""
    return sorted({a[65:] for a in alias_sources})


def merge_props(old: Optional[dict[str, Any]], new: dict[str, Any], sources: Iterable[str]) -> dict[str, Any]:
    """A stored item's props after merging a batch's: ``SET n += new`` (a null removes the key, none is
    ever stored), with ``sources`` and ``alias_sources`` united and ``aliases`` following them.
    The Neo4j store's Cypher does the same (tests/test_store_contract.py holds them to it)."""
    out = dict(old or {})
    for k, v in new.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    srcs = sorted(set((old or {}).get("sources") or ()) | set(sources))
    if srcs:
        out["sources"] = srcs
    else:
        out.pop("sources", None)
    if "alias_sources" in new:
        out["alias_sources"] = sorted(set((old or {}).get("alias_sources") or ()) | set(new.get("alias_sources") or ()))
        out["aliases"] = aliases_of(out["alias_sources"]) or out.get("aliases", [])
    return out


def _holder(lock_path: Path) -> str:
    """Who holds the writers' lock, from what it wrote there."""
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "another zhize process"
    return f"pid {info['pid']} ({info.get('command') or 'zhize'}, writing since {info.get('since', '?')})"


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def sort_unit_tasks(tasks: list[UnitTask]) -> list[UnitTask]:
    """A unit's tasks in ``task_key`` order, once per (task, role, inherited_from): the first provenance."""
    tasks = sorted(tasks, key=lambda u: (task_key(u.date, u.doc, u.evidence.file, u.evidence.start),
                                         rank(u.role, ROLES), u.inherited_from or "", u.task_id,
                                         u.evidence.file, u.evidence.start))
    return first_of(tasks, lambda u: (u.task_id, u.role, u.inherited_from))


def document_entry(props: dict[str, Any], printed: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``documents()`` entry from a Document node's props and its PRINTED_IN rows."""
    where = sorted(printed, key=lambda r: (r.get("file") or "", int(r.get("start") or 0)))
    first = where[0] if where else props            # a store written before PRINTED_IN: the node's own
    return {"doc": props.get("doc"), "title": props.get("title"), "issuer": props.get("issuer"),
            "date": props.get("date"), "file": first.get("file"),
            "files": sorted({r.get("file") for r in where if r.get("file")}) or
            ([props["file"]] if props.get("file") else []),
            "_start": int(first.get("start") or 0)}


def sort_documents(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    docs.sort(key=lambda d: (d.get("file") or "", d["_start"], d.get("doc") or ""))
    for d in docs:
        del d["_start"]
    return docs


def source_info(props: dict[str, Any], docs: Iterable[str]) -> SourceInfo:
    return SourceInfo(sha256=props.get("sha256", ""), file=props.get("file", ""), path=props.get("path") or "",
                      size=int(props.get("size") or 0), documents=tuple(sorted(docs)))


def _evidence(r: dict[str, Any]) -> Evidence:
    return Evidence(doc=r.get("doc", ""), quote=r.get("evidence", ""), file=r.get("file", ""),
                    start=int(r.get("start") or 0), end=int(r.get("end") or 0))


def _institution(ident: str, p: dict[str, Any]) -> InstitutionInfo:
    return InstitutionInfo(id=ident, name=p.get("name", ""), kind=p.get("kind", ""),
                           jurisdiction=p.get("jurisdiction"), level=p.get("level"),
                           aliases=tuple(sorted(p.get("aliases") or ())), mentions=int(p.get("mentions") or 0))


def _person(ident: str, p: dict[str, Any]) -> PersonInfo:
    return PersonInfo(id=ident, name=p.get("name", ""), jurisdiction=p.get("jurisdiction"),
                      mentions=int(p.get("mentions") or 0))


def _roster(group_id: str, props: dict[str, Any], member: list[dict[str, Any]], units: list[dict[str, Any]],
            hosts: list[dict[str, Any]], nodes: dict[str, tuple[str, dict[str, Any]]]) -> Roster:
    """A group's roster from its MEMBER_OF, MEMBER_UNIT_OF and OFFICE_AT rows, as every store answers it."""
    member = sorted(member, key=lambda r: (rank(r.get("role"), MEMBER_ROLES), oldest_first(r.get("date")), *print_order(r)))
    entries: list[RosterEntry] = []
    for r in member:
        label, who = nodes[r["src"]]
        is_person = label == "Person"
        entry = RosterEntry(person_id=r["src"] if is_person else None,
                            person=who.get("name") if is_person else None,
                            position=r.get("position"), role=r.get("role", ""), role_text=r.get("role_text", ""))
        if entry not in entries:
            entries.append(entry)
    return Roster(group=GroupInfo(id=group_id, name=props.get("name", ""), doc=props.get("doc") or ""),
                  entries=tuple(entries),
                  member_units=_unit_refs(units, "src", nodes),
                  office_hosts=_unit_refs(hosts, "dst", nodes))


def _unit_refs(rels: list[dict[str, Any]], side: str, nodes: dict[str, tuple[str, dict[str, Any]]]) -> tuple[UnitRef, ...]:
    out: dict[str, UnitRef] = {}
    for r in sorted(rels, key=lambda r: (oldest_first(r.get("date")), *print_order(r), r[side])):
        unit = nodes[r[side]][1]
        if r[side] not in out:
            out[r[side]] = UnitRef(id=r[side], name=unit.get("name", ""), mention=r.get("mention", ""),
                                   generic=unit.get("kind") == "generic")
    return tuple(out.values())
