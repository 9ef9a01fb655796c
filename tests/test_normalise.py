"""The layout normaliser: PDF wraps undone, offsets always lead back to the same characters."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhize.extract.normalise import normalise
from zhize.extract.types import RawText


def norm(text: str):
    return normalise(RawText("t.txt", text, "utf-8"))


def lines_of(text: str) -> list[str]:
    n = norm(text)
    return [n.text[s:e] for s, e in n.lines()]


def test_a_name_broken_across_lines_with_blank_lines_between_is_joined():
    text = ("（四）婚姻登记领域。进一步规范婚姻登记管理，婚姻登记工作人员发现疑似拐卖妇女情形的，应当及时报告和制止。（省公\n\n"
            "安厅负责，省妇联配合）\n")
    assert lines_of(text) == ["（四）婚姻登记领域。进一步规范婚姻登记管理，婚姻登记工作人员发现疑似拐卖妇女情形的，应当及时报告和制止。（省公安厅负责，省妇联配合）"]


def wrap(lines: list[str], width: int = 20) -> str:
    """Lay lines out as PDF extraction does: cut every ``width`` characters, blank lines between."""
    out = []
    for line in lines:
        out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n\n".join(out) + "\n"


PARAGRAPHS = [
    "一、总体要求",
    "（一）婚姻登记领域。进一步规范婚姻登记管理，婚姻登记工作人员发现疑似拐卖妇女情形的，应当及时报告和制止。（省民政厅负责，省公安厅、省妇联配合）",
    "（二）教育领域。落实《中华人民共和国义务教育法》，保障适龄儿童、少年接受义务教育的权利，将反拐工作作为学校管理和安全教育重要内容。（省教育厅、省公安厅负责，省检察院、省民政厅、省关工委配合）",
    "（三）网络空间。加强网络空间监管和执法检查，督促网络服务提供者切实履行对网络产品、网络服务和网络信息内容管理的主体责任。（省公安厅负责，省委网信办、省通信管理局配合）",
    "二、保障措施",
]


def test_hard_wrapped_paragraphs_become_one_line_each_and_headings_stay_apart():
    assert lines_of(wrap(PARAGRAPHS)) == PARAGRAPHS


def test_running_header_and_page_number_in_mid_paragraph_are_removed():
    pieces = wrap(PARAGRAPHS).split("\n\n")
    pieces.insert(5, "云南省人民政府公报  — 12 —")
    pieces.insert(9, "— 13 —")
    assert lines_of("\n\n".join(pieces)) == PARAGRAPHS


def test_half_width_punctuation_becomes_full_width_one_for_one():
    n = norm("推进反拐宣传(省公安厅负责,省妇联配合)")
    assert n.text == "推进反拐宣传（省公安厅负责，省妇联配合）"
    assert len(n.origin) == len(n.text) + 1


def test_document_number_and_signing_date_stand_alone():
    assert lines_of("云南省人民政府关于加强文物工作的实施意见\n\n云政发〔2016〕114号\n\n各州、市人民政府，省直各委、办、厅、局：\n") == [
        "云南省人民政府关于加强文物工作的实施意见", "云政发〔2016〕114号", "各州、市人民政府，省直各委、办、厅、局："]


# ---- properties: offsets map back to the same characters, whatever the layout

chinese = st.text(alphabet=st.sampled_from(list("省公安厅民政负责配合牵头，。、（）()：; 　\n\t2024年月日一二三")), max_size=300)


@settings(max_examples=200, deadline=None)
@given(chinese)
def test_every_normalised_character_maps_to_itself_or_its_full_width_form(text):
    n = norm(text)
    assert len(n.origin) == len(n.text) + 1
    full = str.maketrans("(),;:　", "（），；： ")
    for i, ch in enumerate(n.text):
        if ch == "\n":
            continue
        assert text[n.origin[i]].translate(full) == ch


@settings(max_examples=200, deadline=None)
@given(chinese)
def test_offsets_only_move_forward_and_nothing_printed_is_lost(text):
    n = norm(text)
    assert list(n.origin) == sorted(n.origin)
    kept = "".join(ch for ch in n.text if not ch.isspace())
    original = "".join(ch for ch in text if not ch.isspace()).translate(str.maketrans("(),;:", "（），；："))
    assert kept == original


@settings(max_examples=100, deadline=None)
@given(chinese, st.integers(0, 300), st.integers(0, 300))
def test_source_span_covers_the_normalised_span(text, a, b):
    n = norm(text)
    a, b = sorted((min(a, len(n.text)), min(b, len(n.text))))
    src = n.source(a, b)
    assert 0 <= src.start <= src.end <= len(text)
    inner = "".join(ch for ch in n.text[a:b] if not ch.isspace())
    raw = "".join(ch for ch in text[src.start:src.end] if not ch.isspace()).translate(str.maketrans("(),;:", "（），；："))
    assert inner == raw
