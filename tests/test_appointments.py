"""Appointments: 任免 notices (texts written for these tests) in, appointment facts out."""
from __future__ import annotations

from zhize.extract.appointments import AppointmentExtractor
from zhize.extract.textview import text_view as normalise
from zhize.extract.types import DocumentInfo, RawText


def run(src: str, title: str, doc: str, issuer: str = "某某省人民政府"):
    text = normalise(RawText("appointments.txt", src, "utf-8"))
    info = DocumentInfo(doc=doc, title=title, issuer=issuer, date=None, number=None,
                        start=0, end=len(text.text))
    return text, AppointmentExtractor().extract(text, info)


def facts(res):
    return {(f.person, f.action, f.position, tuple(f.notes or ())) for f in res.facts}


HEADER_BLOCK = """某某省人民政府任免通知

任命：

刘小波为某某警官学院院长
孙青山为省预防腐败局局长
曾继明为省教育厅副厅长(试用期一年)

免去：

郭　宝某某警官学院院长职务
吴　剑省人民政府办公厅副主任(挂职)职务
（三）加强督促检查。各地、各有关部门要加强对工作落实情况的督促检查，确保各项措施落到实处。对工作不力的地区和部门，要严肃问责，对成绩突出的给予表扬。
刘小波省公安厅国内安全保卫总队总队长职务
吉志强省司法厅巡视员职务,退休

某政任〔2023〕1—3号
"""


def test_header_block_with_glued_names_notes_and_an_interleaved_page():
    text, res = run(HEADER_BLOCK, "某某省人民政府任免通知", "某某省人民政府任免通知")
    assert facts(res) == {
        ("刘小波", "appoint", "某某警官学院院长", ()),
        ("孙青山", "appoint", "省预防腐败局局长", ()),
        ("曾继明", "appoint", "省教育厅副厅长", ("试用期一年",)),
        ("郭宝", "remove", "某某警官学院院长", ()),
        ("吴剑", "remove", "省人民政府办公厅副主任（挂职）", ()),
        ("刘小波", "remove", "省公安厅国内安全保卫总队总队长", ()),
        ("吉志强", "remove", "省司法厅巡视员", ("退休",)),
    }
    # the interleaved page of another document is neither a fact nor an unparsed appointment
    assert not any("督促检查" in u.text for u in res.unparsed)
    for f in res.facts:
        assert f.doc == "某某省人民政府任免通知"
        assert text.raw.text[f.source.start:f.source.end].replace("　", "").startswith(f.person[0])


def test_lines_joined_by_the_normaliser_are_read_one_printed_line_at_a_time():
    # long lines make the normaliser join these rows into one logical line
    src = ("某某省人民政府关于张小明等同志职务任免的通知\n\n任命：\n\n"
           "张小明为省住房和城乡建设厅副厅长\n李大为为省农业科学院副院长\n\n免去：\n\n"
           "程　鹏省住房和城乡建设厅副厅长职务\n和秀文省农业科学院副院长职务，退休\n")
    _, res = run(src, "某某省人民政府关于张小明等同志职务任免的通知", "某政任〔2023〕2号")
    assert facts(res) == {
        ("张小明", "appoint", "省住房和城乡建设厅副厅长", ()),
        ("李大为", "appoint", "省农业科学院副院长", ()),
        ("程鹏", "remove", "省住房和城乡建设厅副厅长", ()),
        ("和秀文", "remove", "省农业科学院副院长", ("退休",)),
    }


def test_verb_lines_several_posts_shared_prefixes_and_kept_benefits():
    src = """某某省人民政府关于李明等同志职务任免的通知

某政任〔2017〕3号

各州、市人民政府，省直各委、办、厅、局：
经省人民政府研究决定：
李　明　免去省交通运输厅副厅长职务；
王小红　任某某大学副校长（试用期一年）；
张　三　任省财政厅厅长、党组书记，免去其省审计厅厅长职务；
赵　四　免去省发展改革委副主任、能源局局长职务，保留正厅级待遇。

某某省人民政府
2017年3月2日
"""
    _, res = run(src, "某某省人民政府关于李明等同志职务任免的通知", "某政任〔2017〕3号")
    assert facts(res) == {
        ("李明", "remove", "省交通运输厅副厅长", ()),
        ("王小红", "appoint", "某某大学副校长", ("试用期一年",)),
        ("张三", "appoint", "省财政厅厅长", ()),
        ("张三", "appoint", "省财政厅党组书记", ()),
        ("张三", "remove", "省审计厅厅长", ()),
        ("赵四", "remove", "省发展改革委副主任", ("保留正厅级待遇",)),
        ("赵四", "remove", "省能源局局长", ("保留正厅级待遇",)),
    }
    assert all(f.doc == "某政任〔2017〕3号" for f in res.facts)


def test_traditional_characters_give_simplified_facts():
    src = """某某省人民政府關於張三等同志職務任免的通知

某政任〔2018〕5號

經省人民政府研究決定：
張　三　任省教育廳副廳長；
李　四　免去省財政廳副廳長職務，退休。
"""
    _, res = run(src, "某某省人民政府關於張三等同志職務任免的通知", "某政任〔2018〕5號")
    assert facts(res) == {
        ("张三", "appoint", "省教育厅副厅长", ()),
        ("李四", "remove", "省财政厅副厅长", ("退休",)),
    }


def test_a_variant_character_in_a_simplified_notice_is_kept_as_printed():
    src = """某某州人民政府关于钟红莊同志免职的通知

某政任[2022]10号

经某某州人民政府研究决定：

钟红莊 免去某某州人民政府副秘书长职务。

2022年6月7日
"""
    assert not normalise(RawText("a.txt", src, "utf-8")).traditional
    _, res = run(src, "某某州人民政府关于钟红莊同志免职的通知", "某政任[2022]10号", issuer="某某州人民政府")
    assert facts(res) == {("钟红莊", "remove", "某某州人民政府副秘书长", ())}


def test_an_unreadable_appointment_line_is_reported():
    src = "某某省人民政府任免通知\n\n免去：\n\n——省交通运输厅副厅长职务\n"
    _, res = run(src, "某某省人民政府任免通知", "某某省人民政府任免通知")
    assert res.facts == []
    assert [u.line for u in res.unparsed] == [5]


def test_other_documents_are_not_read_as_appointments():
    src = "某某省人民政府关于加强文物工作的实施意见\n\n各地要选派优秀干部担任文物保护员，任期三年。\n"
    _, res = run(src, "某某省人民政府关于加强文物工作的实施意见", "某政发〔2023〕1号")
    assert res.facts == [] and res.unparsed == []


def test_verb_first_lines_and_comrade_forms():
    src = """某某市人民政府关于王大明等同志职务任免的通知

某政任〔2024〕7号

市人民政府决定：
任命王大明为市财政局局长，免去其市审计局局长职务；
免去刘小红市教育局副局长职务；
陈晓东同志任市商务局副局长（试用期一年）；

免去：

赵文同志的市民政局副局长职务，保留正处级待遇
"""
    _, res = run(src, "某某市人民政府关于王大明等同志职务任免的通知", "某政任〔2024〕7号", issuer="某某市人民政府")
    assert facts(res) == {
        ("王大明", "appoint", "市财政局局长", ()),
        ("王大明", "remove", "市审计局局长", ()),
        ("刘小红", "remove", "市教育局副局长", ()),
        ("陈晓东", "appoint", "市商务局副局长", ("试用期一年",)),
        ("赵文", "remove", "市民政局副局长", ("保留正处级待遇",)),
    }
    assert res.unparsed == []


def test_roster_like_lines_of_an_interleaved_page_are_no_removals():
    src = ("某某省人民政府任免通知\n\n免去：\n\n"
           "张　明　省交通运输厅副厅长职务\n"
           "组　长：罗　萍　州长\n"
           "吴世雄　常务副州长\n"
           "李　华　省林草局副局长职务\n")
    _, res = run(src, "某某省人民政府任免通知", "某某省人民政府任免通知")
    assert facts(res) == {
        ("张明", "remove", "省交通运输厅副厅长", ()),
        ("李华", "remove", "省林草局副局长", ()),
    }


def test_headers_after_a_decision_and_an_ended_trial_period():
    src = ("某某省人民政府关于马某某等同志职务任免的通知\n\n"
           "省人民政府决定任命：\n高一鸣为省发展改革委副主任（试用期一年）\n"
           "省人民政府决定免去：\n马某某的省太行经济发展促进中心副主任职务（终止试用期）\n")
    _, res = run(src, "某某省人民政府关于马某某等同志职务任免的通知", "某政任〔2024〕9号")
    assert facts(res) == {
        ("高一鸣", "appoint", "省发展改革委副主任", ("试用期一年",)),
        ("马某某", "remove", "省太行经济发展促进中心副主任", ("终止试用期",)),
    }


def test_decisions_in_one_sentence_and_several_people_for_one_post():
    src = ("某某市人民政府关于张某某等同志职务任免的通知\n\n某政任〔2024〕3号\n\n"
           "经市人民政府研究决定：任命张某某为市教育局副局长，李某为市民政局副局长；决定任命王某、赵某某为市财政局副局长；"
           "免去孙某（女）的市审计局副局长职务，任命周某为市审计局副局长；"
           "任命市发展改革委副主任吴某某为市发展改革委主任；任命郑某兼任市人民政府研究室副主任。\n")
    _, res = run(src, "某某市人民政府关于张某某等同志职务任免的通知", "某政任〔2024〕3号", issuer="某某市人民政府")
    assert {(p, a, post) for p, a, post, _ in facts(res)} == {
        ("张某某", "appoint", "市教育局副局长"), ("李某", "appoint", "市民政局副局长"),
        ("王某", "appoint", "市财政局副局长"), ("赵某某", "appoint", "市财政局副局长"),
        ("孙某", "remove", "市审计局副局长"), ("周某", "appoint", "市审计局副局长"),
        ("吴某某", "appoint", "市发展改革委主任"), ("郑某", "appoint", "市人民政府研究室副主任")}


def test_a_news_report_gives_its_decisions_not_resignations_motions_or_biographies():
    src = ("本报讯 5月24日，某县人大常委会第三十八次会议召开，任命陈某某为某某县人民政府副县长、代理县长。\n"
           "会议审议了县人民政府关于提请任命陈某某同志职务的议案。依据有关法律规定，决定接受龚某某同志辞去某某县人民政府县长职务。"
           "免去周某同志的某某县人民政府副县长职务。\n"
           "陈某某，男，1972年生，曾任某某镇党委书记，2015年被任命为某某县人民政府副县长。\n")
    _, res = run(src, "本报讯 5月24日，某县人大常委会第三十八次会议召开", "本报讯", issuer=None)
    assert {(p, a, post) for p, a, post, _ in facts(res)} == {
        ("陈某某", "appoint", "某某县人民政府副县长"), ("陈某某", "appoint", "某某县人民政府代理县长"),
        ("周某", "remove", "某某县人民政府副县长")}
    assert res.unparsed == []


def test_a_post_after_the_government_takes_its_name():
    src = "某某省人民政府任免通知\n\n任命：\n\n陈某某为某某省人民政府副秘书长、办公厅主任；\n"
    _, res = run(src, "某某省人民政府任免通知", "某某省人民政府任免通知")
    assert {post for _, _, post, _ in facts(res)} == {"某某省人民政府副秘书长", "某某省人民政府办公厅主任"}
