"""The golden cases: one real-shaped text a form, the exact facts it gives (tests/golden/*.yaml).

A new form is one case in the file of its fact kind; this test reads every case."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zhize.extract.pipeline import extract_text
from zhize.extract.types import RawText

GOLDEN = Path(__file__).with_name("golden")
HEAD = "某某省人民政府办公厅关于印发某某工作方案的通知\n某政办发〔2024〕12号\n各州、市人民政府，省直各委、办、厅、局：\n"


def cases(kind: str) -> list:
    return [pytest.param(case, id=case["form"])
            for case in yaml.safe_load((GOLDEN / f"{kind}.yaml").read_text(encoding="utf-8"))]


def facts(case: dict, head: str = HEAD):
    text = case["text"] if case.get("head") == "none" else (case.get("head") or head) + case["text"]
    return extract_text(RawText("case.txt", text, "utf-8")).facts


def words(line: str) -> tuple:
    return tuple(None if w == "-" else w for w in line.split())


@pytest.mark.parametrize("case", cases("duties"))
def test_duties(case):
    got = [f for f in facts(case) if f.kind == "duty"]
    assert [(f.unit, f.role) for f in got] == [words(d) for d in case["duties"]]
    if "task" in case:
        assert all(f.task.startswith(case["task"]) for f in got), [f.task for f in got]


@pytest.mark.parametrize("case", cases("rosters"))
def test_rosters(case):
    got = facts(case, head="")
    members = [f for f in got if f.kind == "member"]
    units = [f for f in got if f.kind == "group_unit"]
    assert [(f.role_text, f.role, f.person, f.position) for f in members] == [words(m) for m in case.get("members", [])]
    assert [(f.relation, f.unit) for f in units] == [words(u) for u in case.get("units", [])]
    assert {f.group for f in members + units} <= {case["group"]}


@pytest.mark.parametrize("case", cases("portfolios"))
def test_portfolios(case):
    got = [f for f in facts(case, head="") if f.kind == "portfolio"]
    assert [(f.person, f.relation, f.object) for f in got] == [words(p) for p in case["portfolio"]]


@pytest.mark.parametrize("case", cases("appointments"))
def test_appointments(case):
    got = [f for f in facts(case, head="") if f.kind == "appointment"]
    assert [(f.person, f.action, f.position) for f in got] == [words(a) for a in case["appointments"]]
    if "doc" in case:
        assert {f.doc for f in got} == {case["doc"]}


@pytest.mark.parametrize("case", cases("documents"))
def test_documents(case):
    got = [f for f in facts(case, head="") if f.kind == "document"]
    expected = [tuple(None if w.strip() == "-" else w.strip() for w in d.split("|")) for d in case["documents"]]
    assert [(f.doc, f.issuer, f.date) for f in got] == expected
