"""The text view: PDF wraps undone, markup and page furniture gone, offsets always lead back to the same characters."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhize.extract.textview import text_view as normalise
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
        "云南省人民政府关于加强文物工作的实施意见", "云政发（2016）114号", "各州、市人民政府，省直各委、办、厅、局："]


# ---- web pages: markup, furniture, page fields

GOV_PAGE = (
    '<tbody><tr><td class="b12c" id="UCAP-CONTENT"><p style="text-align: center;">'
    '<span style="font-size: 18pt;">国务院办公厅关于调整</span></p> <p style="text-align: center;">'
    '<span>国家某某委员会组成人员的通知</span></p> <p><span>国办发〔2018〕</span><span>109号</span></p>'
    '<p align=""><br> </p><p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>'
    '<p>主&nbsp;&nbsp;任：孙某某　　国务院副总理</p><p>副主任：陈&nbsp;某　教育部部长</p></td></tr></tbody>')


def test_a_policy_page_reads_as_its_blocks_with_entities_decoded():
    assert lines_of(GOV_PAGE) == [
        "国务院办公厅关于调整", "国家某某委员会组成人员的通知", "国办发（2018）109号",
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "主  任：孙某某  国务院副总理", "副主任：陈 某 教育部部长"]


def test_every_character_of_a_page_points_at_the_byte_it_came_from():
    n = norm(GOV_PAGE)
    for i, ch in enumerate(n.printed):
        src = GOV_PAGE[n.origin[i]]
        assert ch == src or (src == "&" and ch == "\u00a0") or ch == "\n" or src == "<", (i, ch, src)
    start = n.text.index("国办发")
    assert n.name(start, start + len("国办发（2018）109号")) == "国办发〔2018〕109号"


def test_a_table_in_html_reads_as_tab_separated_rows():
    page = ("<table><tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr>"
            "<tr><td>1</td><td><p>建设乡镇商贸中心</p></td><td>省商务厅、省供销社</td></tr></table>")
    assert lines_of(page) == ["序号\t重点任务\t责任单位", "1\t建设乡镇商贸中心\t省商务厅、省供销社"]


def test_a_table_pasted_one_cell_a_line_is_rebuilt_as_rows():
    text = "".join(f"<p>{c}</p>\n" for c in ["序号", "重点任务", "责任单位", "完成时限",
                                               "1", "新建县城商贸中心20个", "省商务厅、省财政厅", "2023年12月底前",
                                               "2", "建设乡镇商贸中心", "省商务厅、省供销社", "2023年12月底前"])
    assert lines_of(text) == ["序号\t重点任务\t责任单位\t完成时限",
                              "1\t新建县城商贸中心20个\t省商务厅、省财政厅\t2023年12月底前",
                              "2\t建设乡镇商贸中心\t省商务厅、省供销社\t2023年12月底前"]


def test_web_page_furniture_is_dropped_and_page_fields_are_read():
    text = ("当前位置：首页 > 政务公开 > 政策文件\n发文机关：某某市人民政府\t成文日期：2020年2月3日\n"
            "发文字号：某政〔2020〕5号\n发布时间:2020-02-03 17:29\n【字体：大 中 小】 【打印】 【关闭】\n"
            "某某市人民政府关于做好某某工作的通知\n各县、市、区人民政府：\n")
    n = norm(text)
    assert [n.text[s:e] for s, e in n.lines()] == ["某某市人民政府关于做好某某工作的通知", "各县、市、区人民政府："]
    assert {k: f.value for k, f in n.fields.items()} == {
        "issuer": "某某市人民政府", "date": "2020年2月3日", "number": "某政〔2020〕5号"}
    f = n.fields["number"]
    assert text[f.start:f.end] == "某政〔2020〕5号"


def test_a_traditional_notice_reads_in_simplified_script_and_keeps_its_print():
    text = "湖北省人民政府辦公廳關於印發若干措施的通知\n鄂政辦發〔2023〕21號\n（牽頭單位：省市場監管局；責任單位：省公安廳）\n"
    n = norm(text)
    assert n.traditional
    assert [n.text[s:e] for s, e in n.lines()][2] == "（牵头单位：省市场监管局；责任单位：省公安厅）"
    s, e = list(n.lines())[1]
    assert n.name(s, e) == "鄂政办发〔2023〕21号"
    assert n.printed[s:e] == "鄂政辦發〔2023〕21號"


def test_pinyin_glosses_of_mirror_sites_are_dropped():
    n = norm("會議決定任命趙某某為天津市商務(wù)委員會(huì)主任，免去錢某某的天津市商務(wù)委員會(huì)主任職務(wù)。\n")
    assert n.text == "会议决定任命赵某某为天津市商务委员会主任，免去钱某某的天津市商务委员会主任职务。"


def test_a_glossed_layout_is_as_wide_as_it_was_printed():
    # 20 characters a printed line, glosses included: the lines are full, so they join
    text = wrap(["為實施東北地區(qū)振興戰(zhàn)略，決定成立國(guó)務(wù)院振興東北地區(qū)等老工業(yè)基地領(lǐng)導(dǎo)小組，"
                 "組長由國(guó)務(wù)院總理擔(dān)任，副組長由國(guó)務(wù)院副總理擔(dān)任，辦公室設在發(fā)展改革委。"] * 3)
    assert lines_of(text) == ["为实施东北地区振兴战略，决定成立国务院振兴东北地区等老工业基地领导小组，"
                              "组长由国务院总理担任，副组长由国务院副总理担任，办公室设在发展改革委。"] * 3


def test_a_gloss_cut_by_a_page_break_is_dropped_on_both_sides():
    text = "決定成立國(guó)務(wù)院振興東北地區(qū)等老工業(yè)基地領(l\n\n某某省人民政府公报  — 2 —\n\nǐng)導(dǎo)小組。\n"
    assert norm(text).text == "决定成立国务院振兴东北地区等老工业基地领导小组。"


def test_a_number_cut_before_its_year_goes_on_its_field():
    n = norm(wrap(["发文机关：国务院办公厅", "发文字号：国办发〔2003〕28号", "成文日期：2003年12月02日"] +
                  PARAGRAPHS[1:4], width=12))
    assert n.fields["number"].value == "国办发〔2003〕28号"


def test_a_layout_that_cut_at_a_space_keeps_the_space():
    text = wrap(["为加强农村公路养护，决定成立湖塘镇农村公路管理养护工作领导小组，名单如下："] * 2, width=20) + \
        "成 员：闵 成 马梅红 许小建 \n\n范金洪\n"
    assert lines_of(text)[-1] == "成 员：闵 成 马梅红 许小建 范金洪"


def test_a_full_row_of_names_is_not_continued_by_the_prose_after_it():
    text = wrap(["为加强农村公路养护，决定成立湖塘镇农村公路管理养护工作领导小组，名单如下："] * 2, width=20) + \
        "组 长：王伟华\n\n成 员：闵 成 马梅红 许小建 范金洪\n\n领导小组下设办公室，办公室设在湖\n\n塘镇交通管理所。\n"
    assert lines_of(text)[-2:] == ["成 员：闵 成 马梅红 许小建 范金洪", "领导小组下设办公室，办公室设在湖塘镇交通管理所。"]


def test_a_news_headline_stands_apart_from_the_paragraph_under_it():
    text = ("某省人大常委会表决通过人事任免事项\n"
            "11月25日，某省人大常委会会议表决通过，决定任命王某为副省长；决定接受李某辞去省长职务，并报省人大备案。\n")
    assert lines_of(text)[0] == "某省人大常委会表决通过人事任免事项"


def test_every_bracket_pair_reads_as_one():
    assert norm("〔牵头单位：省商务厅〕【责任单位：省财政厅】[省公安厅负责]［省民政厅配合］").text == \
        "（牵头单位：省商务厅）（责任单位：省财政厅）（省公安厅负责）（省民政厅配合）"


def test_printed_lines_inside_a_joined_logical_line_are_remembered():
    n = norm("成员：马某某 省发展和改革委员会副主任、\n省粮食和物资储备局局长\n")
    (line,) = list(n.lines())
    assert [n.text[s:e] for s, e in n.printed_lines(*line)] == ["成员：马某某 省发展和改革委员会副主任、", "省粮食和物资储备局局长"]


def test_roster_rows_ending_in_their_posts_stay_rows():
    assert lines_of("成员：马某某 省发展改革委主任\n周某 省教育厅厅长\n") == ["成员：马某某 省发展改革委主任", "周某 省教育厅厅长"]


# ---- properties: offsets map back to the same characters, whatever the layout

chinese = st.text(alphabet=st.sampled_from(list("省公安厅民政负责配合牵头，。、（）()：; 　\n\t2024年月日一二三")), max_size=300)


@settings(max_examples=200, deadline=None)
@given(chinese)
def test_every_normalised_character_maps_to_itself_or_its_full_width_form(text):
    n = norm(text)
    assert len(n.origin) == len(n.text) + 1
    full = str.maketrans("(),;:　", "（），；： ")
    assert len(n.printed) == len(n.text)
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
