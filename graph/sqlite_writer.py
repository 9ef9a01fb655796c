"""The SQLite store's writer: opening the file safely, the schema, and every write.

``replace_sources`` runs in one ``BEGIN IMMEDIATE`` transaction; writers also
take an advisory lock on ``<file>.lock`` holding their pid and command, so a
second ``zhize ingest`` waits (``ZHIZE_DB_TIMEOUT`` seconds, default 60) and, if
it gives up, says which process holds the store.  The file must be a zhize
store: another program's SQLite database, a damaged file or a folder is refused
with a message, never written into.  Loads upsert on ``id`` and on ``(start,
type, end, key)``, merging props like Cypher's ``SET n += props``, so loading
the same batch twice changes nothing.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import quote

from zhize.graph.model import (
    MENTION_HOLDS_ACTIONS,
    MENTION_IN,
    MENTION_OUT,
    GraphBatch,
    StoreBusy,
    StoreError,
    StoreMissing,
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

class SQLiteWriter:
    """Opens a store file (refusing what is not one) and writes it; ``SQLiteQueries`` reads it."""

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
        return f"{type(self).__name__}({str(self.path)!r}{', read_only=True' if self.read_only else ''})"

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
