"""Any text, however broken, extracts without an error, and every fact points at its evidence.

Hypothesis writes texts from the pieces real notices are made of (brackets, role words,
labels, unit names, numbers, markup, line breaks, traditional characters) in any order."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhize.extract.duties import parse_clause
from zhize.extract.pipeline import extract_text
from zhize.extract.types import RawText
from zhize.extract.units import split_units

PIECES = ["（", "）", "〔", "〕", "【", "】", "(", ")", "[", "]", "、", "，", "；", "。", "：", "\n", "\n\n", " ", "　", "\t",
          "省公安厅", "州财政局", "各州、市人民政府", "有关部门", "负责", "牵头", "配合", "协助", "牵头单位：", "责任单位：",
          "列首位的为牵头单位", "下同", "组长：", "副组长：", "成员：", "罗　萍", "州长", "领导小组", "以下简称",
          "办公室设在", "任命", "免去", "为", "的", "职务", "分管", "联系", "副市长", "王某", "（一）", "一、", "1.",
          "某政办发〔2024〕12号", "2024年3月1日", "<p>", "</p>", "<td>", "&nbsp;", "國務院", "辦公廳", "(guó)",
          "— 3 —", "序号", "重点任务", "等", "和", "及"]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


def squeeze(s: str) -> str:
    return "".join(s.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_extracts_and_every_fact_points_at_its_evidence(text):
    result = extract_text(RawText("f.txt", text, "utf-8"))
    for f in result.facts:
        assert 0 <= f.source.start <= f.source.end <= len(text)
        if "<" in text or "&" in text or "(" in text:
            continue                      # markup and glosses are removed from the evidence
        printed = squeeze(text[f.source.start:f.source.end])
        evidence = squeeze(f.evidence)
        assert evidence and printed.startswith(evidence[:1]) and printed.endswith(evidence[-1:]), (printed, evidence)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_clause_and_unit_list_parsers_take_any_text(text):
    for a in parse_clause(text):
        for u in a.units:
            assert 0 <= u.start <= u.end <= len(text)
    for u in split_units(text):
        assert u.name and 0 <= u.start <= u.end <= len(text)
