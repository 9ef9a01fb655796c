"""Where ownership is unclear, on two notices whose answers a reader can check (tests/analysis_fixture.py)."""
from __future__ import annotations

import pytest
from analysis_fixture import FILE, NEW, OLD, TEXT, name

from zhize.graph import insights
from zhize.graph.frames import Selection, Tables
from zhize.graph.insights import reformed_after, task_text_key


@pytest.fixture(scope="module")
def tables():
    from analysis_fixture import batch
    return Tables.of_batch(batch()).select(insights.INSIGHT_SELECTION)


@pytest.fixture(scope="module")
def found(tables):
    return insights.find(tables)


def of(found, kind):
    return [f for f in found if f.kind == kind]


def test_every_kind_is_counted_even_when_none_is_found(found):
    assert insights.counts(found) == {"no_lead": 1, "several_leads": 1, "lead_differs": 1, "only_supports": 1,
                                      "abolished_unit": 1}
    assert insights.counts([]) == dict.fromkeys(insights.KINDS, 0)


def test_a_task_everyone_is_responsible_for_and_no_one_leads(found):
    (f,) = of(found, "no_lead")
    assert f.subject == "做好困难群众救助工作。"
    assert f.units == (name("省民政厅"), name("省财政厅"))        # 有关部门 is no owner
    assert "2 units responsible" in f.detail


def test_a_task_with_two_leads(found):
    (f,) = of(found, "several_leads")
    assert f.subject == "推进文化旅游融合发展。"
    assert f.units == (name("省文化和旅游厅"), name("省发展改革委"))
    assert {p.role for p in f.evidence} == {"lead"}


def test_the_same_task_led_by_another_unit_six_years_later(found):
    (f,) = of(found, "lead_differs")
    assert f.subject == "开展打击拐卖妇女儿童犯罪专项行动。"
    assert [(p.doc, p.unit) for p in f.evidence] == [(NEW, name("省民政厅")), (OLD, name("省公安厅"))]
    # 食品安全 passed from 食品药品监管局 to its successor 市场监管局: the same owner, reformed


def test_a_unit_that_only_ever_supports(found):
    (f,) = of(found, "only_supports")
    assert f.subject == name("省通信管理局")
    assert [p.task for p in f.evidence] == ["推进文化旅游融合发展。", "加强通信网络安全保障。"]


def test_a_task_still_assigned_to_a_body_the_reform_abolished(found):
    (f,) = of(found, "abolished_unit")
    assert f.subject == "开展安全生产大检查。"
    assert f.units == (name("省安全监管局"), name("省应急厅"))
    assert "2018" in f.detail and f.evidence[0].doc == NEW


def test_every_finding_quotes_the_printed_clause_at_its_offsets(found):
    for f in found:
        assert f.evidence, f
        for p in f.evidence:
            assert p.file == FILE and TEXT[p.start:p.end] == p.quote and p.quote in TEXT


def test_generic_and_collective_units_count_as_owners_when_asked(tables):
    from analysis_fixture import batch
    everyone = Tables.of_batch(batch()).select(Selection.of(leave_out=()))
    assert of(insights.find(everyone, ["no_lead"]), "no_lead")[0].units[-1] == "有关部门"
    only = {f.subject for f in insights.find(everyone, ["only_supports"])}
    assert only == {name("省通信管理局")}          # 有关部门 and 各州、市人民政府 support once each


def test_thresholds_are_options(tables):
    assert insights.find(tables, ["no_lead"], {"no_lead": {"min_units": 3}}) == []
    assert insights.find(tables, ["only_supports"], {"only_supports": {"min_tasks": 3}}) == []
    with pytest.raises(ValueError, match="unknown finding kind"):
        insights.find(tables, ["unclear"])


def test_near_same_texts_are_one_task_and_numbering_does_not_count():
    assert task_text_key("（三）做好 困难群众救助工作。") == task_text_key("3.做好困难群众救助工作。")
    texts = ["加强食品安全监督管理。", "推进文化旅游融合发展。", "加强食品安全监督管理工作。"]
    i, j, sim = insights.similar_pairs(texts, 0.7)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 2)] and 0.7 <= sim[0] < 1
    # taken a block of rows at a time, the same pairs
    assert [a.tolist() for a in insights.similar_pairs(texts * 3, 0.7, block=2)[:2]] == [
        a.tolist() for a in insights.similar_pairs(texts * 3, 0.7)[:2]]


@pytest.mark.parametrize("doc_date, reform, after", [
    ("2019-01-02", "2018", True), ("2018-12-31", "2018", False), ("2018-11-01", "2018-10", True),
    ("2018-10-31", "2018-10", False), (None, "2018", False), ("2020-01-01", None, False),
])
def test_after_a_reform_at_its_dates_precision(doc_date, reform, after):
    assert reformed_after(doc_date, reform) is after
