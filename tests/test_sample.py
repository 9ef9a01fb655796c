"""``zhize extract`` over the invented bulletin in samples/: a handful of exact facts per form.

samples/sample_bulletin.txt holds one instance of every form the extractors
read, laid out the way PDF extraction leaves a bulletin (see samples/README.md).
Names compare as the SCHEMA says: whitespace removed, NFKC.  A duty's task
matches when it contains the key phrase, as the scorer matches gold tasks.

A form the pipeline does not read yet is marked ``xfail(strict=True)`` on
that one assertion, with the reason, so it turns red the day it starts
working and the mark must come off.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Optional

import pytest
from typer.testing import CliRunner

from zhize.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_bulletin.txt"

D12 = "滇示政办发〔2024〕12号"
D7 = "红示政办发〔2024〕7号"          # printed with a space before 号
D21 = "滇示政办函〔2024〕21号"
FENGONG = "云南省人民政府关于调整省人民政府领导同志工作分工的通知"   # no number: doc = title
REN = "滇示政任〔2024〕2号"
GROUP = "红河州文化旅游产业发展领导小组"
HQ = "红河州旅游安全应急指挥部"

def clean(text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("sample") / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "--jsonl", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def of(records: list[dict[str, Any]], kind: str, **want: Any) -> list[dict[str, Any]]:
    """Records of ``kind`` whose fields equal ``want`` (names cleaned; ``task`` by containment)."""
    hits = []
    for r in records:
        if r["kind"] != kind:
            continue
        ok = True
        for k, v in want.items():
            if k == "task":
                ok = clean(v) in (clean(r.get("task")) or "")
            elif isinstance(v, str):
                ok = clean(r.get(k)) == clean(v)
            else:
                ok = r.get(k) == v
            if not ok:
                break
        if ok:
            hits.append(r)
    return hits


def duties(records, task: str) -> set[tuple[str, str, bool]]:
    return {(clean(r["unit"]), r["role"], r["generic"]) for r in of(records, "duty", task=task)}


# --- documents ------------------------------------------------------------------------

@pytest.mark.parametrize("doc, title, issuer, date", [
    (D12, "云南省人民政府办公厅关于加强流浪乞讨人员救助管理工作的通知", "云南省人民政府办公厅", "2024-03-18"),
    (D7, "红河州人民政府办公室关于印发红河州文化旅游产业提质增效行动方案的通知", "红河州人民政府办公室", "2024-04-02"),
    (D21, "云南省人民政府办公厅关于印发促进消费扩容提质重点任务分工方案的通知", "云南省人民政府办公厅", "2024-05-06"),
    (FENGONG, FENGONG, "云南省人民政府", "2024-02-20"),
    (REN, "云南省人民政府关于吴建国等职务任免的通知", "云南省人民政府", "2024-06-03"),
])
def test_document_heads(records, doc, title, issuer, date):
    assert len(of(records, "document", doc=doc, title=title, issuer=issuer, date=date)) == 1


def test_five_documents_and_no_more(records):
    assert len(of(records, "document")) == 5


@pytest.mark.parametrize("kind", ["document", "duty", "appointment", "member", "group_unit", "portfolio"])
def test_evidence_is_the_file_text_at_its_offsets(records, kind):
    """Offsets point into the file as read: the evidence is that text minus layout (wraps, page header, markup)."""
    raw = SAMPLE.read_text(encoding="utf-8")
    found = of(records, kind)
    assert found
    for r in found:
        s = r["source"]
        assert s["file"] == SAMPLE.name
        printed = re.sub(r"云南省人民政府公报—\d+—|</?p>", "", clean(raw[s["start"]:s["end"]]))
        assert printed == clean(r["evidence"]), r


# --- duties, one test per clause form -------------------------------------------------

def test_clause_across_lines_and_a_page_header(records):
    # （省公\n\n安厅、省民政厅负责，省妇联配合）, a running header mid-paragraph above it
    assert duties(records, "加强街面巡查救助") == {
        ("省公安厅", "responsible", False), ("省民政厅", "responsible", False), ("省妇联", "support", False)}
    [gat] = of(records, "duty", task="加强街面巡查救助", unit="省公安厅")
    assert "救助管理机构" in clean(gat["task"])         # the paragraph on both sides of the page break


def test_half_width_clause(records):
    # (省教育厅牵头;省财政厅、省人力资源社会保障厅协助)
    assert duties(records, "保障受助未成年人入学就读") == {
        ("省教育厅", "lead", False), ("省财政厅", "support", False), ("省人力资源社会保障厅", "support", False)}


def test_lead_and_collective_specifically_responsible(records):
    # 各州、市人民政府 is one concrete collective, not two units and not generic
    assert duties(records, "促进受助人员就业创业") == {
        ("省商务厅", "lead", False), ("各州、市人民政府", "responsible", False)}


def test_generic_by_division_of_duties(records):
    assert duties(records, "加强源头预防治理") == {("各有关部门", "responsible", True)}


def test_clause_on_its_own_line_scopes_the_section(records):
    want = {("省民政厅", "lead", False), ("省财政厅", "support", False), ("省审计厅", "support", False)}
    assert duties(records, "保障措施") == want
    # the section is heading plus every item, so one task holds all three items
    assert duties(records, "强化督促检查") == want and duties(records, "健全工作机制") == want


def test_labelled_clause(records):
    assert duties(records, "打造文旅融合品牌") == {
        ("州文化和旅游局", "lead", False), ("州财政局", "responsible", False), ("各县市人民政府", "responsible", False)}
    assert duties(records, "提升旅游服务质量") == {
        ("州市场监管局", "lead", False), ("州公安局", "support", False), ("州文化和旅游局", "support", False)}


def test_first_listed_rule_and_shared_prefix_in_a_clause(records):
    # （列首位的为牵头单位，下同）, then （省商务厅、工业和信息化厅，省公安厅负责）: lead only, no second record
    assert duties(records, "稳定汽车消费") == {
        ("省商务厅", "lead", False), ("省工业和信息化厅", "responsible", False), ("省公安厅", "responsible", False)}


def test_tsv_table_with_shared_prefix(records):
    assert duties(records, "完善县域商业体系") == {("省商务厅", "lead", False), ("省供销社", "responsible", False)}
    # 省发展改革委、财政厅 names 省财政厅
    assert duties(records, "加大消费信贷支持力度") == {
        ("省发展改革委", "lead", False), ("省财政厅", "responsible", False),
        ("人民银行云南省分行", "responsible", False)}


def test_table_of_p_cells(records):
    assert duties(records, "培育夜间经济集聚区") == {("省文化和旅游厅", "lead", False), ("省商务厅", "responsible", False)}
    assert duties(records, "开展消费品质量提升行动") == {
        ("省市场监管局", "lead", False), ("各州、市人民政府", "responsible", False)}
    [row] = of(records, "duty", task="开展消费品质量提升行动", unit="省市场监管局")
    assert clean(row["task"]) == "开展消费品质量提升行动"      # the task cell, without the <p> markup
    assert row["form"] == "table"


def test_table_one_character_per_line(records):
    assert duties(records, "发展智慧商圈") == {("省商务厅", "lead", False)}


def test_no_duty_outside_assignment_clauses(records):
    """Every duty is one of the clauses above: nothing from the portfolio notice, the roster or the rule line."""
    keys = ["加强街面巡查救助", "保障受助未成年人入学就读", "促进受助人员就业创业", "加强源头预防治理", "保障措施",
            "打造文旅融合品牌", "提升旅游服务质量", "稳定汽车消费", "完善县域商业体系", "加大消费信贷支持力度",
            "培育夜间经济集聚区", "开展消费品质量提升行动", "发展智慧商圈"]
    stray = [r for r in of(records, "duty") if not any(clean(k) in clean(r["task"]) for k in keys)]
    assert stray == []
    assert of(records, "duty", doc=FENGONG) == [] and of(records, "duty", doc=REN) == []


# --- rosters ---------------------------------------------------------------------------

def test_roster_rows_with_full_width_spaces_and_a_wrapped_post(records):
    got = {(clean(r["person"]), clean(r["position"]), r["role_text"], r["role"])
           for r in of(records, "member", group=GROUP) if r["role"] in ("head", "deputy", "member")}
    assert got == {
        ("王强", "州人民政府州长", "组长", "head"),
        ("李红", "州人民政府副州长", "副组长", "deputy"),
        ("陈建国", "州人民政府副秘书长、州文化和旅游局局长", "副组长", "deputy"),
        ("赵敏", "州财政局局长", "成员", "member"),
        ("周晓明", "州市场监管局局长", "成员", "member"),
    }


def test_office_host_and_office_head(records):
    assert [clean(r["unit"]) for r in of(records, "group_unit", group=GROUP, relation="office_host")] == ["州文化和旅游局"]
    assert len(of(records, "member", group=GROUP, person="陈建国", role="office_head")) == 1


def test_member_units(records):
    units = {clean(r["unit"]) for r in of(records, "group_unit", group=GROUP, relation="member_unit")}
    assert units == {"州文化和旅游局", "州财政局", "州市场监管局", "州交通运输局"}


def test_seat_filled_by_a_post(records):
    [seat] = of(records, "member", group=HQ)
    assert seat["person"] is None
    assert (clean(seat["position"]), seat["role_text"], seat["role"]) == ("州人民政府分管副州长", "指挥长", "head")


# --- 领导工作分工 ------------------------------------------------------------------------

def _portfolio(records, person: str) -> set[tuple[str, str]]:
    return {(r["relation"], clean(r["object"])) for r in of(records, "portfolio", doc=FENGONG, person=person)}


def test_portfolio_in_charge_supervises_liaises(records):
    assert _portfolio(records, "刘芳") >= {
        ("in_charge", "省人民政府常务工作"), ("in_charge", "财政"), ("in_charge", "审计"),
        ("supervises", "省财政厅"), ("supervises", "省审计厅"), ("liaises", "省税务局")}
    assert _portfolio(records, "孙立新") == {
        ("in_charge", "民政"), ("in_charge", "商务"),
        ("supervises", "省民政厅"), ("supervises", "省商务厅"), ("liaises", "省妇联")}
    [row] = of(records, "portfolio", person="孙立新", object="省民政厅")
    assert clean(row["position"]) == "副省长"


def test_portfolio_assists_partner_and_no_lead_phrase(records):
    assert _portfolio(records, "周敏") == {("assists", "省人民政府常务工作")}
    [pair] = of(records, "portfolio", relation="partner")
    assert {clean(pair["person"]), clean(pair["object"])} == {"刘芳", "孙立新"}
    assert of(records, "portfolio", person="王振华") == []      # 领导…全面工作 is not a portfolio fact


def test_portfolio_acting_for_an_absent_leader(records):
    # 孙立新同志外出期间，由刘芳同志代管其分管的部门: stand-in, absent leader, what is covered
    [acting] = of(records, "portfolio", relation="acting")
    assert (clean(acting["person"]), clean(acting["object"]), acting["scope"]) == ("刘芳", "孙立新", "supervises")


# --- 任免 --------------------------------------------------------------------------------

def test_appointments_with_notes(records):
    [wu] = of(records, "appointment", doc=REN, person="吴建国", action="appoint")
    assert clean(wu["position"]) == "省民政厅副厅长"
    assert wu.get("notes") == ["试用期一年"]
    assert [clean(r["position"]) for r in of(records, "appointment", doc=REN, person="黄丽")] == ["省商务厅副厅长"]


def test_appoint_and_remove_on_one_line(records):
    # 林海涛　任省财政厅副厅长，免去其省审计厅副厅长职务
    got = {(r["action"], clean(r["position"])) for r in of(records, "appointment", doc=REN, person="林海涛")}
    assert got == {("appoint", "省财政厅副厅长"), ("remove", "省审计厅副厅长")}


def test_removals_with_two_posts_and_retirement(records):
    assert {clean(r["position"]) for r in of(records, "appointment", person="郑光明", action="remove")} == {
        "省商务厅副厅长", "省口岸办主任"}
    [ma] = of(records, "appointment", person="马文华", action="remove")
    assert clean(ma["position"]) == "省审计厅副厅长" and ma.get("notes") == ["退休"]
