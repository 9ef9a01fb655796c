"""Splitting a bulletin into documents: number, title, issuer, signing date."""
from __future__ import annotations

from zhize.extract.documents import split_documents
from zhize.extract.textview import text_view as normalise
from zhize.extract.types import RawText

BULLETIN = """云南省人民政府公报
目　录
云南省人民政府关于进一步加强文物工作的实施意见 (3)

云南省人民政府关于 进一步加强文物工作的实施意见

云政发〔2016〕114号

各州、市人民政府，省直各委、办、厅、局：

为进一步加强文物工作，现提出以下意见。

一、加强文物保护（省文化厅负责）

云南省人民政府
2016年12月30日
（此件公开发布）

《云南省人民政府关于进一步加强文物工作的实施意见》政策解读

一、出台背景

红河州人民政府办公室关于成立红河州加快对接RCEP工作领导小组的通知

红政办发〔2022〕36 号

各县市人民政府，州直有关部门：

2022 年 6 月 14 日

云南省人民政府任免通知

任命：

刘某为云南警官学院院长
"""


def docs():
    return split_documents(normalise(RawText("b.txt", BULLETIN, "utf-8")))


def test_each_document_has_its_number_title_issuer_and_date():
    got = [(d.doc, d.title, d.issuer, d.date) for d in docs()]
    assert got == [
        ("云政发〔2016〕114号", "云南省人民政府关于进一步加强文物工作的实施意见", "云南省人民政府", "2016-12-30"),
        ("红政办发〔2022〕36号", "红河州人民政府办公室关于成立红河州加快对接RCEP工作领导小组的通知", "红河州人民政府办公室", "2022-06-14"),
        ("云南省人民政府任免通知", "云南省人民政府任免通知", "云南省人民政府", None),
    ]


def test_table_of_contents_starts_no_document_and_policy_reading_stays_with_its_document():
    first = docs()[0]
    text = normalise(RawText("b.txt", BULLETIN, "utf-8")).text
    assert "政策解读" in text[first.start:first.end]
    assert "目　录" not in text[first.start:first.end]


def test_a_file_without_a_document_head_is_one_document_keyed_by_its_first_line():
    text = "关于做好防汛工作的几点意见\n\n一、压实责任。（省水利厅负责）\n"
    (only,) = split_documents(normalise(RawText("n.txt", text, "utf-8")))
    assert only.doc == "关于做好防汛工作的几点意见" and only.number is None


def test_a_news_headline_a_layout_ran_into_the_story_is_still_the_title():
    story = ("某省人大常委会表决通过人事任免事项\n"
             "11月25日，某省人大常委会会议表决通过，决定任命王某为副省长；决定接受李某辞去省长职务。\n")
    lines = [piece for line in story.splitlines() for piece in (line[i:i + 16] for i in range(0, len(line), 16))]
    text = "\n\n".join(lines * 3) + "\n"          # hard-wrapped at 16, blank lines between
    (only, *_) = split_documents(normalise(RawText("news.txt", text, "utf-8")))
    assert only.title == "某省人大常委会表决通过人事任免事项"


INTERLEAVED = """云南省人民政府关于加强文物工作的实施意见

云政发〔2016〕114号

各州、市人民政府，省直各委、办、厅、局：

（一）加强文物保护。全面开展不可移动文物保护，落实属地管理责任，加大对重点文物的巡查力度，严厉打击盗掘文物等

云南省人民政府任免通知

任命：

刘某为云南警官学院院长

2017年1月20日

（此件公开发布）

违法犯罪行为。（省文化厅牵头；省公安厅配合）

（二）加强博物馆建设。（省文化厅负责）

云南省人民政府

2016年12月30日
"""


def test_a_notice_printed_inside_another_document_gives_the_rest_back_to_it():
    from zhize.extract.pipeline import extract_text
    result = extract_text(RawText("b.txt", INTERLEAVED, "utf-8"))
    assert [(d.doc, d.date, len(d.spans)) for d in result.documents] == [
        ("云政发〔2016〕114号", "2016-12-30", 2), ("云南省人民政府任免通知", "2017-01-20", 1)]
    duties = {(f.doc, f.unit, f.role) for f in result.facts if f.kind == "duty"}
    assert duties == {("云政发〔2016〕114号", "省文化厅", "lead"), ("云政发〔2016〕114号", "省公安厅", "support"),
                      ("云政发〔2016〕114号", "省文化厅", "responsible")}
    assert [f.person for f in result.facts if f.kind == "appointment"] == ["刘某"]
    assert [f.doc for f in result.facts if f.kind == "document"] == ["云政发〔2016〕114号", "云南省人民政府任免通知"]


def test_a_title_printed_without_its_issuer_takes_the_signatory():
    text = ("关于做好2024年防汛抗旱工作的通知\n\n滇示防指发〔2024〕3号\n\n各州、市防汛抗旱指挥部：\n\n"
            "一、压实责任。（省水利厅负责）\n\n云南省防汛抗旱指挥部\n\n2024年4月8日\n")
    (doc,) = split_documents(normalise(RawText("n.txt", text, "utf-8")))
    assert (doc.doc, doc.title, doc.issuer, doc.date) == (
        "滇示防指发〔2024〕3号", "关于做好2024年防汛抗旱工作的通知", "云南省防汛抗旱指挥部", "2024-04-08")


def test_a_number_printed_above_the_title_is_the_documents_number():
    text = ("云政发〔2017〕5号\n\n云南省人民政府关于实施支持农业转移人口市民化若干财政政策的通知\n\n"
            "各州、市人民政府，省直各委、办、厅、局：\n\n一、总体要求\n\n云南省人民政府\n\n2017年1月19日\n")
    (doc,) = split_documents(normalise(RawText("n.txt", text, "utf-8")))
    assert (doc.doc, doc.issuer, doc.date) == ("云政发〔2017〕5号", "云南省人民政府", "2017-01-19")


def test_a_number_in_brackets_under_the_title_is_the_documents_number():
    text = ("某某市人民政府办公室关于成立某某市创建“国家卫生城市”工作领导小组的通知\n(某府办〔2008〕62号)\n"
            "各县（市、区）人民政府，市府直属有关单位：\n为进一步做好创建工作，市政府决定成立领导小组。\n")
    (doc,) = split_documents(normalise(RawText("n.txt", text, "utf-8")))
    assert (doc.doc, doc.issuer) == ("某府办〔2008〕62号", "某某市人民政府办公室")


def test_an_appointment_notice_printed_with_only_its_number_is_a_document_of_its_own():
    text = ("某某州人民政府关于做好防汛工作的通知\n\n某政发〔2021〕3号\n\n各县市人民政府：\n\n一、压实责任。（州水利局负责）\n\n"
            "某某州人民政府\n\n2021年5月6日\n\n某政任〔2021〕5号\n\n经州人民政府研究决定：\n\n任命张某某为州水利局副局长；\n\n"
            "2021年6月1日\n")
    docs = split_documents(normalise(RawText("b.txt", text, "utf-8")))
    assert [(d.doc, d.date) for d in docs] == [("某政发〔2021〕3号", "2021-05-06"), ("某政任〔2021〕5号", "2021-06-01")]


def test_a_policy_page_takes_its_number_issuer_and_date_from_its_fields():
    text = ("發文機關國務院\n發文日期2003年12月02日\n發文字號國發〔2003〕28號\n"
            "各省、自治區、直轄市人民政府，國務院各部委、各直屬機構：\n為實施振興戰略，決定成立國務院振興東北地區等老工業基地領導小組。\n")
    (doc,) = split_documents(normalise(RawText("p.txt", text, "utf-8")))
    assert (doc.doc, doc.issuer, doc.date) == ("国发〔2003〕28号", "国务院", "2003-12-02")


def test_pages_of_two_documents_printed_alternately_go_back_to_their_documents():
    a1 = "某某区人民政府办公室关于印发促进消费工作方案的通知\n某府办〔2023〕8号\n各街道办事处：\n（一）提升商圈能级。推进商圈改造。（区商务局负责）\n"
    b1 = "某某区人民政府办公室关于调整就业工作领导小组组成人员的通知\n某府办函〔2023〕21号\n各街道办事处：\n组　长：梁某某　区长\n"
    a2 = "（二）发展首店经济。加大品牌引进力度。（区商务局负责，区财政局配合）\n"
    b2 = "成　员：蔡某某　区发展改革局副局长\n"
    text = a1 + "— 5 —\n" + b1 + "— 8 —\n" + a2 + "— 6 —\n" + b2 + "— 9 —\n"
    from zhize.extract.pipeline import extract_text
    result = extract_text(RawText("b.txt", text, "utf-8"))
    assert [(d.doc, len(d.spans)) for d in result.documents] == [("某府办〔2023〕8号", 2), ("某府办函〔2023〕21号", 2)]
    assert {(f.doc, f.unit, f.role) for f in result.facts if f.kind == "duty"} == {
        ("某府办〔2023〕8号", "区商务局", "responsible"), ("某府办〔2023〕8号", "区财政局", "support")}
    assert {(f.doc, f.person) for f in result.facts if f.kind == "member"} == {
        ("某府办函〔2023〕21号", "梁某某"), ("某府办函〔2023〕21号", "蔡某某")}
