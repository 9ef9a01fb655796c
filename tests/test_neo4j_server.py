"""The project's own Neo4j server: started, answering Bolt, found by status, used through the CLI."""
from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from zhize import neo4j_server as srv
from zhize.graph.neo4j_store import Neo4jStore, Neo4jUnavailable
from zhize.cli import app

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_started_server_answers_bolt_and_queries(neo4j_server):
    assert neo4j_server.answering
    assert srv.bolt_answers(srv.port())
    store = Neo4jStore(neo4j_server.uri)
    try:
        assert store.driver.execute_query("RETURN 1 + 1 AS two").records[0]["two"] == 2
        version = store.driver.execute_query(
            "CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS v").records[0]
        assert version["name"] == "Neo4j Kernel" and version["v"].startswith("5.26.")
    finally:
        store.close()


def test_status_names_the_running_process(neo4j_server):
    st = srv.status()
    assert st.answering and st.uri == f"bolt://127.0.0.1:{srv.port()}"
    if st.running:                       # started by `zhize neo4j start` / make test / the fixture
        assert st.pid == int(srv.PID_FILE.read_text())
        assert srv.READY_MARK in srv.LOG_FILE.read_text()
        assert st.describe() == f"running (pid {st.pid}) at {st.uri}"


def test_start_again_returns_the_same_server_at_once(neo4j_server):
    before = srv.status()
    t0 = time.monotonic()
    again = srv.start()
    assert time.monotonic() - t0 < 5
    assert (again.pid, again.answering) == (before.pid, True)


def test_cli_status_and_start(neo4j_server):
    runner = CliRunner()
    result = runner.invoke(app, ["neo4j", "status"])
    assert result.exit_code == 0, result.output
    assert srv.uri() in result.output
    result = runner.invoke(app, ["neo4j", "start"])
    assert result.exit_code == 0, result.output
    assert f"NEO4J_URI={srv.uri()}" in result.output


def test_nothing_listening_is_not_bolt_and_the_store_says_how_to_start_one():
    port = _free_port()
    assert not srv.bolt_answers(port, timeout=0.5)
    with pytest.raises(Neo4jUnavailable, match="zhize neo4j start") as err:
        Neo4jStore(f"bolt://127.0.0.1:{port}")
    assert "NEO4J_URI" in str(err.value)


def test_a_listener_that_is_not_bolt_does_not_count_as_ready():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]

        def answer_http_and_close():
            conn, _ = server.accept()
            with conn:
                conn.recv(20)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

        t = threading.Thread(target=answer_http_and_close, daemon=True)
        t.start()
        assert not srv.bolt_answers(port, timeout=2)
        t.join(timeout=5)


def test_build_is_cached_when_nothing_changed(neo4j_server):
    assert not srv.needs_build()
    t0 = time.monotonic()
    assert srv.build() is False
    assert time.monotonic() - t0 < 2


# --- a server this checkout did not start is never taken for the project's ----------------------

class _ForeignBolt:
    """A listener that answers the Bolt handshake like any Neo4j would (a user's own server, another
    clone's): it must be reported and refused, never used as the project's server nor cleared."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(20)
                conn.sendall(bytes.fromhex("00000404"))        # "let us speak Bolt 4.4"

    def close(self):
        self.sock.close()


@pytest.fixture
def foreign(monkeypatch, tmp_path):
    server = _ForeignBolt()
    monkeypatch.setenv("ZHIZE_NEO4J_PORT", str(server.port))
    monkeypatch.setattr(srv, "PID_FILE", tmp_path / "neo4j.pid")     # this checkout started nothing
    yield server
    server.close()


def test_a_foreign_server_on_the_port_is_reported_as_not_ours(foreign):
    st = srv.status()
    assert st.answering and not st.running and not st.ours
    assert "not started from this checkout" in st.describe()
    assert CliRunner().invoke(app, ["neo4j", "status"]).exit_code == 3


def test_start_refuses_a_foreign_server_instead_of_using_it(foreign):
    with pytest.raises(srv.Neo4jServerError, match="not started from this checkout") as err:
        srv.start(timeout=5)
    assert "ZHIZE_NEO4J_PORT" in str(err.value)
    with pytest.raises(srv.Neo4jServerError, match="not what answers"):
        srv.project_server()


def test_the_test_fixtures_refuse_to_clear_a_foreign_server(foreign, monkeypatch):
    from conftest import project_neo4j_uri

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{foreign.port}")
    with pytest.raises(pytest.skip.Exception, match="not started from this checkout"):
        project_neo4j_uri()


def test_the_test_fixtures_use_only_the_configured_port(monkeypatch):
    from conftest import project_neo4j_uri

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    with pytest.raises(pytest.skip.Exception, match="is not the project's server"):
        project_neo4j_uri()


def test_a_pid_file_naming_another_program_is_not_our_server(monkeypatch, tmp_path):
    pid_file = tmp_path / "neo4j.pid"
    pid_file.write_text(f"{os.getpid()}\n")          # alive, but pytest, not our launcher
    monkeypatch.setattr(srv, "PID_FILE", pid_file)
    st = srv.status()
    assert not st.running and not st.ours
