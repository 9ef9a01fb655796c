"""``zhize ingest`` over the shared corpus, twice, into both stores: the graph does not grow and matches the facts.

Reads ``../shared`` (not part of the repository) and skips, saying why, when it is absent.
"""
from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from shared_corpus import CORPUS, require_shared
from zhize.cli import app

pytestmark = pytest.mark.corpus

DUTY_TYPES = ("LEADS", "RESPONSIBLE_FOR", "SUPPORTS")
BULLETINS = [str(p) for p in sorted(CORPUS.glob("*.txt"))]     # the three bulletins, not the folders below


def ingest(*args: str) -> dict:
    result = CliRunner().invoke(app, ["ingest", *BULLETINS, *args, "--json"], catch_exceptions=False,
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def distinct_duties() -> int:
    """(task, unit, role) triples the facts name: one relationship each."""
    from zhize.pipeline import Collector, Pipeline
    facts = Collector()
    Pipeline().run(BULLETINS, [facts])
    return len({(f.doc, f.source.file, "".join(f.task.split()), f.unit_id, f.role)
                for f in facts.facts if f.kind == "duty"})


def test_ingesting_the_corpus_twice_into_sqlite_changes_nothing_and_matches_the_facts(tmp_path):
    require_shared()
    db = str(tmp_path / "graph.sqlite")
    first, second = ingest("--db", db), ingest("--db", db)
    assert first["stored"] == second["stored"]
    assert sum(first["stored"][t] for t in DUTY_TYPES) == distinct_duties()
    assert first["stored"]["Document"] == 21


@pytest.mark.neo4j
def test_neo4j_holds_the_same_graph_as_sqlite_after_two_ingests(tmp_path, neo4j_store):
    require_shared()
    uri = neo4j_store.uri
    sqlite = ingest("--db", str(tmp_path / "graph.sqlite"))["stored"]
    first, second = ingest("--neo4j", uri)["stored"], ingest("--neo4j", uri)["stored"]
    assert first == second
    assert Counter(first) == Counter(sqlite)
