"""``kill -9`` at any moment of an ingest or a ``--fresh`` leaves the previous state or the new one, never an
empty or mixed store, and running the command again completes it.  Both stores, five moments each:

* ``extracting``: while the second file is being extracted;
* ``built``: the batch is built, the store not yet written;
* ``cleared``: inside the write, after the replaced sources (or, with --fresh, everything) were deleted;
* ``merged``: inside the write, after the new batch was merged, before the commit;
* ``committed``: after the commit, before the command printed its summary.

The command runs in a child forked from the test process (the pipeline already loaded), which sends
itself SIGKILL when it reaches the moment: no cleanup, no ``finally``, the connection simply drops.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhize.cli import app
from test_ingest_sources import AUDIT, EDITED, NOTICE

RELICS = """云南省人民政府办公厅关于加强文物安全工作的通知
云政办发〔2023〕7号
各州、市人民政府：
一、开展文物安全检查。（省文化和旅游厅牵头，省公安厅配合）
二、打击文物犯罪。（省公安厅牵头，省文化和旅游厅配合）
云南省人民政府办公厅
2023年3月1日
"""
MOMENTS = ("extracting", "built", "cleared", "merged", "committed")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork to kill a real process")


@pytest.fixture(scope="module", autouse=True)
def _pipeline_loaded():
    from zhize.extract.pipeline import build_nlp
    import zhize.graph.neo4j_store  # noqa: F401 - the driver too
    build_nlp()                   # loaded once here, so every forked child starts at once


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def where(request, tmp_path) -> list[str]:
    """The store option of the CLI: a fresh SQLite file, or the project's (cleared) Neo4j."""
    if request.param == "sqlite":
        return ["--db", str(tmp_path / "graph.sqlite")]
    store = request.getfixturevalue("neo4j_store")
    return ["--neo4j", store.uri]


def zhize(*args: str) -> None:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200", "NEO4J_URI": ""})
    assert result.exit_code == 0, result.output


def snapshot(where: list[str]) -> dict:
    """Everything the store answers about these files (paths left out: each test has its own folder)."""
    from zhize.graph.stores import open_store

    store = open_store(where[1], read_only=True)
    try:
        units = sorted(i.id for i in store.find_institutions("", 10_000))
        return {
            "counts": store.counts(), "documents": store.documents(),
            "sources": [asdict(replace(s, path="")) for s in store.sources()],
            "owners": store.owners("。", 10_000), "units": store.institutions(units),
            "roles": store.role_counts(), "network": store.co_responsibility(),
        }
    finally:
        store.close()


def _arm(moment: str) -> None:
    """In the child: SIGKILL this process when it reaches ``moment``."""
    from neo4j._sync.work.transaction import TransactionBase

    import zhize.extract.pipeline as pipeline
    from zhize.graph.neo4j_store import Neo4jStore
    from zhize.graph.sqlite_store import SQLiteStore

    def die(*_a, **_k):
        os.kill(os.getpid(), signal.SIGKILL)

    def before(cls, name, when=lambda *a, **k: True):
        original = getattr(cls, name)

        def wrapped(*a, **k):
            if when(*a, **k):
                die()
            return original(*a, **k)
        setattr(cls, name, wrapped)

    if moment == "extracting":
        calls = []
        before(pipeline, "extract_text", lambda *a, **k: calls.append(1) or len(calls) == 2)
    elif moment == "built":
        before(SQLiteStore, "replace_sources")
        before(Neo4jStore, "replace_sources")
    elif moment == "cleared":
        before(SQLiteStore, "_merge")
        before(TransactionBase, "run", lambda self, query, *a, **k: query.startswith("UNWIND $rows AS row MERGE (n:"))
    elif moment == "merged":
        before(SQLiteStore, "_count_mentions")
        before(TransactionBase, "run", lambda self, query, *a, **k: query.startswith("UNWIND $ids AS id MATCH"))
    elif moment == "committed":
        before(SQLiteStore, "counts")
        before(Neo4jStore, "counts")
    elif moment == "between parts":                   # Neo4j's write in parts: written, not yet finished
        import zhize.graph.neo4j_writer as ns
        before(ns, "_count_mentions")


def killed_at(moment: str, *args: str, timeout: float = 120.0) -> None:
    """Run ``zhize ARGS`` in a forked child that kills itself with SIGKILL at ``moment``; wait for its death."""
    pid = os.fork()
    if pid == 0:                                         # the child: never returns into pytest
        try:
            _arm(moment)
            app(list(args), standalone_mode=False)
        except BaseException:
            pass
        os._exit(99)                                     # the moment never came
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child did not reach {moment!r} within {timeout:.0f} s")
        time.sleep(0.02)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
        f"{moment!r} was never reached (exit status {status})"


_EXPECTED: dict[tuple[str, bool], tuple[dict, dict]] = {}


def _scenario(folder: Path, where: list[str], fresh: bool) -> tuple[list[str], dict, dict]:
    """(command, previous state, new state): the store holds notice v1 and audit; the command loads the
    edited notice and a new file, replacing the old notice (or, with --fresh, everything).  The two
    states are found once per store and scenario, by running the command to its end."""
    folder.mkdir()

    def previous_files() -> None:
        (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
        (folder / "audit.txt").write_text(AUDIT, encoding="utf-8")
        zhize("ingest", str(folder / "notice.txt"), str(folder / "audit.txt"), *where, "--fresh")
        (folder / "notice.txt").write_text(EDITED, encoding="utf-8")
        (folder / "relics.txt").write_text(RELICS, encoding="utf-8")

    command = ["ingest", str(folder / "notice.txt"), str(folder / "relics.txt"), *where, *(["--fresh"] * fresh)]
    key = (where[0], fresh)
    if key not in _EXPECTED:
        previous_files()
        previous = snapshot(where)
        zhize(*command)
        _EXPECTED[key] = (previous, snapshot(where))
    previous, new = _EXPECTED[key]
    previous_files()
    assert snapshot(where) == previous and new != previous
    return command, previous, new


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("fresh", [False, True], ids=["ingest", "fresh"])
def test_kill_9_leaves_the_previous_or_the_new_state_and_a_rerun_completes_it(where, tmp_path, fresh, moment):
    command, previous, new = _scenario(tmp_path / "files", where, fresh)
    killed_at(moment, *command)
    after = snapshot(where)
    assert after == (new if moment == "committed" else previous), f"killed while {moment}"
    zhize(*command)
    assert snapshot(where) == new


@pytest.mark.neo4j
def test_a_neo4j_write_too_big_for_one_transaction_is_marked_until_it_finishes(neo4j_store, tmp_path, monkeypatch):
    """Past ``TX_ROWS`` rows Neo4j writes in parts (one transaction would pass the server's memory): the
    same result, and a kill between parts leaves the store marked incomplete, its files not counted as
    stored, until the rerun completes it."""
    import zhize.graph.neo4j_writer as ns

    where = ["--neo4j", neo4j_store.uri]
    _scenario(tmp_path / "reference", where, fresh=False)                # the states, in one transaction
    monkeypatch.setattr(ns, "TX_ROWS", 20)                               # these two files make 34 rows
    command, previous, new = _scenario(tmp_path / "files", where, fresh=False)
    zhize(*command)
    assert snapshot(where) == new and neo4j_store.incomplete() is None  # parts give the same store
    _scenario(tmp_path / "again", where, fresh=False)
    command = [c.replace(str(tmp_path / "files"), str(tmp_path / "again")) for c in command]
    killed_at("between parts", *command)
    assert "did not finish" in neo4j_store.incomplete()
    stored = {s.file for s in neo4j_store.sources()}
    assert "relics.txt" not in stored and "notice.txt" not in stored      # half-written: not stored
    shown = CliRunner().invoke(app, ["info", *where], env={"NEO4J_URI": ""})
    assert "did not finish" in shown.stderr and "zhize ingest" in shown.stderr
    zhize(*command)
    assert snapshot(where) == new and neo4j_store.incomplete() is None


@pytest.mark.neo4j
def test_after_an_interrupted_fresh_in_parts_only_a_fresh_write_is_taken(neo4j_store, tmp_path, monkeypatch):
    """A --fresh cut short between parts has emptied the store and written part of the new one: another
    file's ingest on top would leave neither state, so it is refused until the --fresh is run again."""
    import zhize.graph.neo4j_writer as ns

    where = ["--neo4j", neo4j_store.uri]
    monkeypatch.setattr(ns, "TX_ROWS", 20)
    command, previous, new = _scenario(tmp_path / "files", where, fresh=True)
    killed_at("between parts", *command)
    other = tmp_path / "other.txt"
    other.write_text(AUDIT.replace("8号", "9号"), encoding="utf-8")
    refused = CliRunner().invoke(app, ["ingest", str(other), *where], env={"NEO4J_URI": ""})
    assert refused.exit_code == 2
    assert "--fresh" in refused.stderr and "did not finish" in refused.stderr
    zhize(*command)
    assert snapshot(where) == new and neo4j_store.incomplete() is None
