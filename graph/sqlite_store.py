"""The embedded graph store: one SQLite file, and the reference for every query's meaning.

Why SQLite: the graph is small (thousands of nodes per corpus) and the user
should get answers with nothing to install or run; Python ships SQLite, the
file is the whole database, and a copy of it is a copy of the graph.
Why WAL: the Streamlit app reads while ``zhize ingest`` writes; in WAL mode
readers never block the writer nor see half a load (one transaction per
batch), and the app opens the file read-only (``mode=ro`` URI) so it cannot
change it.

A store is its writer (``zhize.graph.sqlite_writer``: the file, the schema,
loads, the writers' lock) plus its query side: ``zhize.graph.queries``, the
same code the Neo4j store uses, over this store's reader
(``zhize.graph.sqlite_rows``: SQL that selects rows); ordering and aggregation
live in ``zhize.graph.semantics``.  Nodes and relationships are
stored as the ``GraphBatch`` gave them (JSON props) with the columns queries
filter on indexed.
"""
from __future__ import annotations

from zhize.graph.queries import StoreQueries
from zhize.graph.sqlite_rows import SQLiteRows
from zhize.graph.sqlite_writer import SCHEMA_VERSION, SQLiteWriter, busy_timeout, default_path, merge_props

__all__ = ["SQLiteStore", "SCHEMA_VERSION", "busy_timeout", "default_path", "merge_props"]


class SQLiteStore(SQLiteWriter, SQLiteRows, StoreQueries):
    """A ``GraphStore`` on one SQLite file."""
