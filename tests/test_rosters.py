"""Rosters: real-shaped notices in, member and group_unit facts out (texts written for these tests)."""
from __future__ import annotations

from zhize.extract.textview import text_view as normalise
from zhize.extract.rosters import RosterExtractor, parse_entries, split_merged
from zhize.extract.types import DocumentInfo, RawText


def run(src: str, title: str = "", doc: str = "某政办发〔2023〕12号"):
    text = normalise(RawText("roster.txt", src, "utf-8"))
    info = DocumentInfo(doc=doc, title=title, issuer="某某州人民政府办公室", date=None, number=doc,
                        start=0, end=len(text.text))
    return text, RosterExtractor().extract(text, info)


def members(result):
    return {(f.group, f.person, f.position, f.role_text, f.role) for f in result.facts if f.kind == "member"}


def units(result):
    return {(f.group, f.unit, f.relation) for f in result.facts if f.kind == "group_unit"}


LEADING_GROUP = """某某州人民政府办公室关于成立某某州数字经济发展工作领导小组的通知

某政办发〔2023〕12号

各县市人民政府，州直有关部门：

为加快数字经济发展，州人民政府决定成立某某州数字经济 发展工作领导小组（以下简称领导小组）。现将有关事项通知如下：

一、领导小组组成人员

组　长：罗　萍　州长

副组长：吴世雄　常务副州长

许高红　副州长

组　员：杨克平　州政府副秘书长张　凌　州政府办公室副主任

熊维平　中国铁路昆明局集团有限公
司开远车务段段长

芦江波　人民银行某某州中心支行行
长、国家外汇管理局某某州中
心支局局长

刘　强　州信息通信建设管理办公室
主任

和　涛　州商务局局长州文化和旅游
局局长

领导小组下设办公室在州商务局，办公室主任由和涛同志兼任。

二、主要职责

领导小组负责统筹推进全州数字经济发展工作，由组长或其委托的副组长召集会议。
"""

G = "某某州数字经济发展工作领导小组"


def test_labelled_roster_rows_with_spaced_names_wrapped_posts_and_the_office():
    text, res = run(LEADING_GROUP, title="某某州人民政府办公室关于成立某某州数字经济发展工作领导小组的通知")
    assert members(res) == {
        (G, "罗萍", "州长", "组长", "head"),
        (G, "吴世雄", "常务副州长", "副组长", "deputy"),
        (G, "许高红", "副州长", "副组长", "deputy"),
        (G, "杨克平", "州政府副秘书长", "组员", "member"),
        (G, "张凌", "州政府办公室副主任", "组员", "member"),
        (G, "熊维平", "中国铁路昆明局集团有限公司开远车务段段长", "组员", "member"),
        (G, "芦江波", "人民银行某某州中心支行行长、国家外汇管理局某某州中心支局局长", "组员", "member"),
        (G, "刘强", "州信息通信建设管理办公室主任", "组员", "member"),
        # two rows merged by the PDF: the second one's name was lost, its post stays
        (G, "和涛", "州商务局局长", "组员", "member"),
        (G, None, "州文化和旅游局局长", "组员", "member"),
        (G, "和涛", "州商务局局长", "办公室主任", "office_head"),
    }
    assert units(res) == {(G, "州商务局", "office_host")}
    # every fact points back at its own text in the file as read
    raw = text.raw.text
    for f in res.facts:
        if f.kind == "member" and f.person:
            printed = raw[f.source.start:f.source.end]
            assert f.person[0] in printed and f.person[-1] in printed
        assert f.doc == "某政办发〔2023〕12号"


def test_run_together_roster_on_one_line():
    src = ("市人民政府决定成立某某市安全生产委员会（以下简称市安委会）。\n"
           "主任：张明 市长；副主任：李华 副市长、王强 市政府秘书长；委员：赵一 市发展改革委主任 钱二 市财政局局长\n")
    _, res = run(src)
    g = "某某市安全生产委员会"
    assert members(res) == {
        (g, "张明", "市长", "主任", "head"),
        (g, "李华", "副市长", "副主任", "deputy"),
        (g, "王强", "市政府秘书长", "副主任", "deputy"),
        (g, "赵一", "市发展改革委主任", "委员", "member"),
        (g, "钱二", "市财政局局长", "委员", "member"),
    }


COMMAND_POST = """2.1 州森林草原防灭火指挥部
州人民政府成立州森林草原防灭火指挥部（以下简称州指挥部），指挥长由州人民政府分管副州长担任，副指挥长由州政府分管副秘书长、州应急局局长、州林草局局长担任，有关部门和单位负责人为成员。
州指挥部下设办公室在州应急局，主任由州应急局分管副局长兼任。
成员单位：州委宣传部、州发展改革委、州公安局、州财政局、武警某某州支队。
专案组组长由县级以上公安机关负责人担任。
"""


def test_posts_filled_by_a_post_office_and_member_units():
    _, res = run(COMMAND_POST)
    g = "州森林草原防灭火指挥部"
    assert members(res) == {
        (g, None, "州人民政府分管副州长", "指挥长", "head"),
        (g, None, "州政府分管副秘书长", "副指挥长", "deputy"),
        (g, None, "州应急局局长", "副指挥长", "deputy"),
        (g, None, "州林草局局长", "副指挥长", "deputy"),
        (g, None, "州应急局分管副局长", "主任", "office_head"),
    }
    assert units(res) == {
        (g, "州应急局", "office_host"),
        (g, "州委宣传部", "member_unit"),
        (g, "州发展改革委", "member_unit"),
        (g, "州公安局", "member_unit"),
        (g, "州财政局", "member_unit"),
        (g, "武警某某州支队", "member_unit"),
    }
    # the class of people is reported, not dropped, and not a member
    assert any("有关部门和单位负责人为成员" in u.text for u in res.unparsed)


def test_joint_meeting_named_in_full_where_it_is_set_up():
    src = ("第四条 省级联席会议制度。强化和健全防范电信诈骗工作省级联席会议（以下简称联席会议）制度，"
           "由省人民政府分管副省长担任省级联席会议总召集人，协助分管联系有关工作的省政府副秘书长和省公安厅分管领导担任召集人。\n"
           "第五条 联席会议成员单位。省委宣传部、省公安厅、省文化和旅游厅、团省委为成员单位。\n"
           "第六条 联席会议办公室。联席会议下设办公室在省公安厅，由省公安厅刑侦总队总队长担任办公室主任。\n")
    _, res = run(src)
    g = "防范电信诈骗工作省级联席会议"
    assert members(res) == {
        (g, None, "省人民政府分管副省长", "总召集人", "head"),
        (g, None, "协助分管联系有关工作的省政府副秘书长", "召集人", "deputy"),
        (g, None, "省公安厅分管领导", "召集人", "deputy"),
        (g, None, "省公安厅刑侦总队总队长", "办公室主任", "office_head"),
    }
    assert units(res) == {
        (g, "省委宣传部", "member_unit"), (g, "省公安厅", "member_unit"),
        (g, "省文化和旅游厅", "member_unit"), (g, "团省委", "member_unit"),
        (g, "省公安厅", "office_host"),
    }


def test_member_units_in_a_composed_of_sentence_use_the_short_name():
    src = ("州人民政府成立州大面积停电事件应急指挥部（以下简称州指挥部）。\n"
           "附件\n"
           "州指挥部由州委宣传部、州公安局、州能源局、云南电网公司某某供电局等部门和单位组成，并可根据工作需要增加有关部门。\n"
           "州指挥部根据需要成立专家组，成员由电力、气象、地质等领域专家组成。\n")
    _, res = run(src)
    g = "州大面积停电事件应急指挥部"
    assert units(res) == {(g, "州委宣传部", "member_unit"), (g, "州公安局", "member_unit"),
                          (g, "州能源局", "member_unit"), (g, "云南电网公司某某供电局", "member_unit")}


def test_entries_of_one_row():
    got = [(e.person, e.position) for e in parse_entries("杨克平 州政府副秘书长张 凌 州政府办公室副主任")]
    assert got == [("杨克平", "州政府副秘书长"), ("张凌", "州政府办公室副主任")]
    got = [(e.person, e.position) for e in parse_entries("州人民政府州长")]
    assert got == [(None, "州人民政府州长")]
    got = [(e.person, e.position) for e in parse_entries("张三（市长）、李四（副市长）")]
    assert got == [("张三", "市长"), ("李四", "副市长")]
    got = [(e.person, e.position) for e in parse_entries("张三，市长；李四，副市长。")]
    assert got == [("张三", "市长"), ("李四", "副市长")]


def test_merged_posts_split_only_where_a_second_post_starts():
    assert split_merged("州商务局局长州文化和旅游局局长") == ["州商务局局长", "州文化和旅游局局长"]
    assert split_merged("常务副州长") == ["常务副州长"]
    assert split_merged("州政府副秘书长、州发展改革委主任") == ["州政府副秘书长、州发展改革委主任"]


def test_a_document_without_a_roster_gives_nothing():
    src = "各地要加强组织领导，培养选拔优秀女性担任村（居）委会主任、班子成员。\n"
    _, res = run(src)
    assert res.facts == []


def test_position_first_rows_unit_heads_and_an_office_head_named_after_the_post():
    src = ("市人民政府决定调整某某市河湖长制工作领导小组（以下简称领导小组）组成人员。\n"
           "组　长：市委副书记、市长　王小平\n"
           "成　员：市发展改革委、市财政局、市水务局主要负责同志\n"
           "领导小组办公室设在市水务局，办公室主任由市水务局局长陈　刚同志兼任。\n")
    _, res = run(src)
    g = "某某市河湖长制工作领导小组"
    assert members(res) == {
        (g, "王小平", "市委副书记、市长", "组长", "head"),
        (g, None, "市发展改革委主要负责同志", "成员", "member"),
        (g, None, "市财政局主要负责同志", "成员", "member"),
        (g, None, "市水务局主要负责同志", "成员", "member"),
        (g, "陈刚", "市水务局局长", "办公室主任", "office_head"),
    }
    assert units(res) == {(g, "市水务局", "office_host")}


def test_labelled_seats_filled_by_posts_and_a_group_named_by_its_list_heading():
    src = ("附件\n"
           "某某市地质灾害防治工作指挥部成员名单\n"
           "指挥长：市人民政府分管副市长\n"
           "副指挥长：市政府分管副秘书长、市自然资源局局长\n"
           "成　员：由市应急局、市水务局分管负责同志组成\n"
           "办公室主任：由市自然资源局分管副局长兼任\n")
    _, res = run(src)
    g = "某某市地质灾害防治工作指挥部"
    assert members(res) == {
        (g, None, "市人民政府分管副市长", "指挥长", "head"),
        (g, None, "市政府分管副秘书长", "副指挥长", "deputy"),
        (g, None, "市自然资源局局长", "副指挥长", "deputy"),
        (g, None, "市应急局分管负责同志", "成员", "member"),
        (g, None, "市水务局分管负责同志", "成员", "member"),
        (g, None, "市自然资源局分管副局长", "办公室主任", "office_head"),
    }


def test_labels_alone_on_their_line_bracketed_posts_and_an_office_paragraph():
    src = ("国务院决定成立第六次全国某某普查领导小组（以下简称领导小组）。\n"
           "二、组成人员\n"
           "组长：\n"
           "张大山 国务院副总理\n"
           "第一副组长：\n"
           "王小川(国务委员)\n"
           "成员：\n"
           "孙　波 统计局副局长\n"
           "三、工作机构\n"
           "领导小组办公室设在统计局，承担领导小组日常工作。办公室主任由统计局局长李明远兼任；"
           "常务副主任由统计局副局长孙波兼任；副主任由民政部副部长刘一，全国妇联副主席、书记处书记赵二兼任。\n")
    _, res = run(src)
    g = "第六次全国某某普查领导小组"
    assert members(res) == {
        (g, "张大山", "国务院副总理", "组长", "head"),
        (g, "王小川", "国务委员", "第一副组长", "deputy"),
        (g, "孙波", "统计局副局长", "成员", "member"),
        (g, "李明远", "统计局局长", "办公室主任", "office_head"),
        (g, "孙波", "统计局副局长", "常务副主任", "office_deputy"),
        (g, "刘一", "民政部副部长", "副主任", "office_deputy"),
        (g, "赵二", "全国妇联副主席、书记处书记", "副主任", "office_deputy"),
    }
    assert units(res) == {(g, "统计局", "office_host")}


def test_a_roster_in_traditional_characters_gives_simplified_facts():
    src = ("國務院辦公廳關於成立第四次全國某某普查領導小組的通知\n"
           "國務院決定成立第四次全國某某普查領導小組（以下簡稱領導小組），現將有關事項通知如下：\n"
           "組　長：張　明　國務院副總理\n"
           "副組長：劉　強　國務院副秘書長\n"
           "成　員：陳曉東　財政部副部長\n"
           "領導小組辦公室設在統計局，辦公室主任由統計局副局長陳曉東兼任。\n")
    _, res = run(src, title="國務院辦公廳關於成立第四次全國某某普查領導小組的通知")
    g = "第四次全国某某普查领导小组"
    assert members(res) == {
        (g, "张明", "国务院副总理", "组长", "head"),
        (g, "刘强", "国务院副秘书长", "副组长", "deputy"),
        (g, "陈晓东", "财政部副部长", "成员", "member"),
        (g, "陈晓东", "统计局副局长", "办公室主任", "office_head"),
    }
    assert units(res) == {(g, "统计局", "office_host")}
    # evidence stays as printed
    assert any("組" in f.evidence or "辦" in f.evidence for f in res.facts)


def test_roles_given_with_ren_and_member_units_listed_after_the_group():
    src = ("县人民政府决定成立某某县森林防火指挥部（以下简称县指挥部），由县长任指挥长，分管副县长任副指挥长。\n"
           "县指挥部成员单位包括县应急局、县林草局、县公安局。\n"
           "县指挥部办公室设在县林草局内，办公室主任由县林草局局长兼任。\n")
    _, res = run(src)
    g = "某某县森林防火指挥部"
    assert members(res) == {
        (g, None, "县长", "指挥长", "head"),
        (g, None, "分管副县长", "副指挥长", "deputy"),
        (g, None, "县林草局局长", "办公室主任", "office_head"),
    }
    assert units(res) == {(g, "县应急局", "member_unit"), (g, "县林草局", "member_unit"),
                          (g, "县公安局", "member_unit"), (g, "县林草局", "office_host")}


def test_a_group_named_after_an_adjustment_verb_keeps_only_its_name():
    text = ("文山州人民政府办公室关于调整文山州森林草原防灭火指挥部组成人员的通知\n\n文政办发〔2023〕21号\n\n"
            "各县（市）人民政府，州直有关部门：\n\n现将调整后的文山州森林草原防灭火指挥部（以下简称州指挥部）组成人员通知如下：\n\n"
            "指 挥 长：陈　某（州人民政府副州长）\n\n州指挥部办公室设在州应急局。\n")
    from zhize.extract.pipeline import extract_text
    from zhize.extract.types import RawText
    facts = extract_text(RawText("ws.txt", text, "utf-8")).facts
    assert {f.group for f in facts if f.kind in ("member", "group_unit")} == {"文山州森林草原防灭火指挥部"}
    assert [(f.person, f.position, f.role) for f in facts if f.kind == "member"] == [("陈某", "州人民政府副州长", "head")]
