"""The public Python API (docs/API.md) on the invented sample bulletin: open, load, ask."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import zhize
from zhize.graph import frames

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "sample_bulletin.txt"


@pytest.fixture(autouse=True)
def _own_store_only(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("ZHIZE_DB", raising=False)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "nested" / "graph.sqlite"
    zhize.open_store(path, ingest=[SAMPLE]).close()
    return path


def test_ingest_loads_once_and_skips_what_the_store_holds(sample_db):
    store = zhize.open_store(sample_db, ingest=[SAMPLE])        # unchanged: nothing extracted again
    try:
        assert [s.file for s in store.sources()] == [SAMPLE.name]
        assert store.counts()["Task"] > 0
    finally:
        store.close()


def test_a_store_opened_to_read_refuses_writes(sample_db):
    from zhize.graph.model import GraphBatch

    store = zhize.open_store(sample_db)
    try:
        with pytest.raises(PermissionError, match="read-only"):
            store.load(GraphBatch())
    finally:
        store.close()
    with pytest.raises(ValueError, match="writable"):
        zhize.open_store(sample_db, ingest=[SAMPLE], read_only=True)


def test_a_path_that_is_not_there_is_named_and_the_rest_still_loads(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = zhize.open_store(tmp_path / "g.sqlite", ingest=[SAMPLE, tmp_path / "gone.txt"])
    try:
        assert any("gone.txt" in str(w.message) for w in caught)
        assert [s.file for s in store.sources()] == [SAMPLE.name]
    finally:
        store.close()


def test_the_tables_are_dataframes_with_the_documented_columns(sample_db):
    store = zhize.open_store(sample_db)
    try:
        tasks, duties, members = store.tasks(), store.duties(), store.memberships()
    finally:
        store.close()
    assert isinstance(tasks, pd.DataFrame) and list(tasks.columns) == frames.TASK_COLUMNS
    assert list(duties.columns) == frames.DUTY_COLUMNS and list(members.columns) == frames.MEMBERSHIP_COLUMNS
    # （省公安厅、省民政厅负责，省妇联配合）: the first task of the sample, its units by role
    first = tasks[tasks["task"].str.contains("街面巡查")].iloc[0]
    assert (first["responsible"], first["support"]) == ("云南省公安厅、云南省民政厅", "云南省妇女联合会")
    assert set(members["role"]) <= {*frames.UNIT_ROLES, "head", "deputy", "member", "office_head", "office_deputy"}


def test_api_md_lists_the_columns_the_tables_have():
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    for call, columns in (("store.tasks()", frames.TASK_COLUMNS), ("store.duties()", frames.DUTY_COLUMNS),
                          ("store.memberships()", frames.MEMBERSHIP_COLUMNS)):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{call}`"))
        assert re.search(r"`(" + " ".join(columns) + r")`", row), f"docs/API.md: {call} lists other columns"


def test_networks_take_the_filters(sample_db):
    store = zhize.open_store(sample_db)
    try:
        everyone = store.to_networkx("co_responsibility", leave_out=())
        bodies = store.to_networkx("co_responsibility", leave_out=("generic", "collective"))
        none = store.to_networkx("co_responsibility", years=1990)
        ranking = store.ranking(by="betweenness")
    finally:
        store.close()
    kinds = set(nx.get_node_attributes(everyone, "kind").values())
    assert "collective" in kinds and "collective" not in set(nx.get_node_attributes(bodies, "kind").values())
    assert none.number_of_nodes() == 0
    assert [r["betweenness"] for r in ranking] == sorted((r["betweenness"] for r in ranking), reverse=True)


@pytest.mark.parametrize("text, years", [("2021", {2021}), ("2016-2018", {2016, 2017, 2018}),
                                         ("2016,2018", {2016, 2018}), (None, None)])
def test_years_as_the_command_line_takes_them(text, years):
    assert frames.parse_years(text) == (frozenset(years) if years is not None else None)


@pytest.mark.parametrize("text", ["21", "2018-2016", "next year"])
def test_years_that_make_no_sense_are_refused(text):
    with pytest.raises(ValueError):
        frames.parse_years(text)
