"""The Neo4j graph store: the same ``GraphStore`` answers as the SQLite reference, from Cypher.

Why Neo4j beside SQLite: users who already run Neo4j get the graph where
Cypher, Bloom and the graph data science tools can reach it.  The project's
own server is ``zhize neo4j start`` (``zhize.neo4j_server``); any 5.x server
reachable over Bolt works.

A store is its writer (``zhize.graph.neo4j_writer``: connection, schema,
loads) plus its query side: ``zhize.graph.queries``, the same code the SQLite
store uses, over this store's reader (``zhize.graph.neo4j_rows``); every
statement is in ``zhize.graph.cypher``.  So both backends answer identically;
tests/test_store_contract.py holds them to it.
"""
from __future__ import annotations

from zhize.graph.neo4j_rows import Neo4jRows
from zhize.graph.neo4j_writer import BATCH_ROWS, DEFAULT_URI, TX_ROWS, Neo4jUnavailable, Neo4jWriter
from zhize.graph.queries import StoreQueries

__all__ = ["Neo4jStore", "Neo4jUnavailable", "DEFAULT_URI", "BATCH_ROWS", "TX_ROWS"]


class Neo4jStore(Neo4jWriter, Neo4jRows, StoreQueries):
    """A ``GraphStore`` on a Neo4j 5 server over Bolt."""
