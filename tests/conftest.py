"""Shared pytest fixtures.  Each section belongs to the module named in its header."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


# === graph store contract: the `store` fixture (graph/sqlite_store.py, graph/neo4j_store.py) ===
# Every backend is loaded from the SAME batch (tests/graph_fixture.py) and must answer identically.
# Neo4j: $NEO4J_URI or bolt://127.0.0.1:7687 (user/password from $NEO4J_USER/$NEO4J_PASSWORD);
# the database is CLEARED.  No server: skipped, unless CI=true (then the test fails).

def _neo4j_store():
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    why = f"no Neo4j server answers at {uri} (start one with `zhize neo4j start` or set NEO4J_URI)"
    try:
        from zhize.graph.neo4j_store import Neo4jStore
        store = Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        store.counts()
        return store
    except Exception as exc:  # ImportError, ServiceUnavailable, AuthError …
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{why}: {exc}")
        pytest.skip(f"{why}: {type(exc).__name__}: {exc}")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path_factory):
    from zhize.graph.build import build_graph
    from zhize.graph.sqlite_store import SQLiteStore
    from graph_fixture import documents, facts, resolution

    batch = build_graph(facts(), documents(), resolution())
    if request.param == "sqlite":
        s = SQLiteStore(tmp_path_factory.mktemp("graph") / "graph.sqlite")
    else:
        s = _neo4j_store()
        s.clear()
    s.load(batch)
    yield s
    s.close()
# === end graph store contract ===


# === neo4j server and store fixtures (graph/neo4j_server.py, graph/neo4j_store.py) ===
# `neo4j_server`: the project's server, as `make test` starts it; when nothing answers, started here
# (built first if needed) and stopped again at the end of the session.  `neo4j_store`: an EMPTY
# store on $NEO4J_URI or bolt://127.0.0.1:7687, skipped without a server unless CI=true.

@pytest.fixture(scope="session")
def neo4j_server():
    from zhize.graph import neo4j_server as srv

    st = srv.status()
    if st.answering:
        yield st
        return
    try:
        st = srv.start()
    except srv.Neo4jServerError as exc:
        pytest.fail(f"could not start the project's Neo4j: {exc}")
    yield st
    assert srv.stop(), "the Neo4j server started for the tests was already gone at the end"
    assert not srv.status().running


@pytest.fixture
def neo4j_store():
    s = _neo4j_store()
    s.clear()
    yield s
    s.clear()
    s.close()
# === end neo4j fixtures ===
