"""The explorer's 职责不清 view, on the two notices of tests/analysis_fixture.py (answers known)."""
from __future__ import annotations

from pathlib import Path

import pytest
from analysis_fixture import NEW, OLD, name
from test_app import run

from zhize.explorer import insights_page
from zhize.explorer import views as vw
from zhize.graph.insights import KIND_ZH, KINDS


@pytest.fixture(scope="module")
def notices_db(tmp_path_factory) -> Path:
    from analysis_fixture import batch
    from app_data import write_store
    return write_store(tmp_path_factory.mktemp("notices") / "graph.sqlite", batch())


@pytest.fixture(autouse=True)
def _own_store_only(monkeypatch):
    """The page reads the store the test names (``run`` sets ZHIZE_DB), never the shell's Neo4j."""
    monkeypatch.delenv("NEO4J_URI", raising=False)


def test_the_view_counts_every_kind_and_shows_each_finding_with_its_clause(notices_db, monkeypatch):
    at = run(notices_db, monkeypatch, view="insights")
    assert at.header[0].value == "职责不清"
    assert {m.label: m.value for m in at.metric} == {insights_page.SHORT_ZH[k]: "1" for k in KINDS}
    tables = {df.value["类型"][0]: df.value for df in at.dataframe}
    assert list(tables[KIND_ZH["only_supports"]]["事项"]) == [name("省通信管理局")]
    assert list(tables[KIND_ZH["lead_differs"]]["文件"]) == [f"{NEW}；{OLD}"]
    assert list(tables[KIND_ZH["abolished_unit"]]["情况"]) == [
        "云南省安全生产监督管理局（牵头）见于 2022-04-01 的文件；该机构已于 2018 改为云南省应急管理厅（云南省机构改革方案 2018）"]
    assert not any(word in " ".join(df.value["情况"]) for df in at.dataframe for word in ("lead", "units", "none"))
    clauses = "\n".join(h.value for h in at.html)
    # the 2022 clause that still gives the task to 安全监管局, the unit marked as the lead
    assert "省安全监管局<span" in clauses and "zz-lead" in clauses


def test_a_filtered_link_opens_the_view_filtered(notices_db, monkeypatch):
    at = run(notices_db, monkeypatch, view="insights", year="2016")
    assert {m.label: m.value for m in at.metric}[insights_page.SHORT_ZH["lead_differs"]] == "0"   # one year
    assert vw.LinkState.from_params({"view": "insights", "year": "2016"}).to_params() == {
        "view": "insights", "year": "2016"}


def test_rows_name_the_documents_and_where_they_are_printed():
    from analysis_fixture import batch

    from zhize.graph import insights
    from zhize.graph.frames import Tables

    found = insights.find(Tables.of_batch(batch()).select(insights.INSIGHT_SELECTION), ["abolished_unit"])
    (row,) = insights_page.finding_rows(found)
    assert row["文件"] == NEW and row["日期"] == "2022-04-01" and row["出处"].startswith("notices.txt:")
    assert row["原文"] == "（省安全监管局牵头，各州、市人民政府配合）"
