"""Shared pytest fixtures.  Each section belongs to the module named in its header."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


# === the project's Neo4j, identified: only a server this checkout started is ever used or cleared ===
# (zhize/neo4j_server.py).  The port is ZHIZE_NEO4J_PORT (default 7687); NEO4J_URI, when set, must name
# that same server.  Anything else answering there (another clone's server, the user's own Neo4j) is
# refused: skipped, or failed under CI=true, never cleared.

def project_neo4j_uri() -> str:
    """bolt:// URI of the Neo4j this checkout started; skips (fails under CI) for any other server."""
    from zhize import neo4j_server as srv

    expected = srv.uri()
    given = os.environ.get("NEO4J_URI")
    if given and given.rstrip("/") not in (expected, expected.replace("127.0.0.1", "localhost")):
        _refuse(f"NEO4J_URI={given} is not the project's server {expected}; the tests clear the database "
                f"they use, so they only use the Neo4j this checkout started (ZHIZE_NEO4J_PORT sets its port)")
    try:
        srv.project_server()
    except srv.Neo4jServerError as exc:
        _refuse(f"{exc} (start it with `ZHIZE_NEO4J_PORT={srv.port()} zhize neo4j start`)")
    return expected


def _refuse(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


def _neo4j_store():
    uri = project_neo4j_uri()
    from zhize.graph.neo4j_store import Neo4jStore
    try:
        store = Neo4jStore(uri)
        store.counts()
        return store
    except Exception as exc:  # ImportError, ServiceUnavailable …
        _refuse(f"the project's Neo4j at {uri} cannot be used: {type(exc).__name__}: {exc}")


# === graph store contract: the `store` fixture (graph/sqlite_store.py, graph/neo4j_writer.py, graph/neo4j_queries.py) ===
# Every backend is loaded from the SAME batch (tests/graph_fixture.py) and must answer identically.
# Neo4j: the project's server (above); what zhize stored there is CLEARED.

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


# === neo4j server and store fixtures (zhize/neo4j_server.py, graph/neo4j_writer.py, graph/neo4j_queries.py) ===
# `neo4j_server`: the project's server, as `make test` starts it; when nothing answers, started here
# (built first if needed) and stopped again at the end of the session; a server this checkout did not
# start is refused.  `neo4j_store`: an EMPTY store on the project's server.

@pytest.fixture(scope="session")
def neo4j_server():
    from zhize import neo4j_server as srv

    st = srv.status()
    if st.ours:
        yield st
        return
    if st.answering or st.running:
        _refuse(f"not using the Neo4j at {st.uri}: {st.describe()}")
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
