"""Leaders' division of work (领导工作分工): notices in, portfolio facts out."""
from __future__ import annotations

from zhize.extract.textview import text_view as normalise
from zhize.extract.portfolios import PortfolioExtractor
from zhize.extract.types import DocumentInfo, RawText


def run(src: str, title: str = "某某市人民政府关于市人民政府领导工作分工的通知", doc: str = "某政发〔2023〕1号"):
    text = normalise(RawText("portfolio.txt", src, "utf-8"))
    info = DocumentInfo(doc=doc, title=title, issuer="某某市人民政府", date=None, number=doc,
                        start=0, end=len(text.text))
    return text, PortfolioExtractor().extract(text, info)


def facts(res):
    return {(f.person, f.position, f.relation, f.object, f.scope) for f in res.facts}


# the example of issue 3
ISSUE_EXAMPLE = """某某市人民政府关于市人民政府领导工作分工的通知

某政发〔2023〕1号

各区人民政府，市直各部门：
根据工作需要，现将市人民政府领导工作分工通知如下：
市　长　领导市人民政府全面工作。负责审计、外事工作。
分管市审计局、市外办（市港澳办）。
联系海关、人民银行市中心支行。
副市长　王　某　负责教育、民政工作。协助市长负责外事工作。
分管市教育局、市民政局（市老龄办）。
在外学习期间，负责的工作由市政府秘书长李某代管。
分工协作关系：王某—张某，李某—赵某。
"""


def test_the_issue_example():
    _, res = run(ISSUE_EXAMPLE)
    assert facts(res) == {
        (None, "市长", "in_charge", "审计", None),
        (None, "市长", "in_charge", "外事", None),
        (None, "市长", "supervises", "市审计局", None),
        (None, "市长", "supervises", "市外办", None),
        (None, "市长", "supervises", "市港澳办", None),
        (None, "市长", "liaises", "海关", None),
        (None, "市长", "liaises", "人民银行市中心支行", None),
        ("王某", "副市长", "in_charge", "教育", None),
        ("王某", "副市长", "in_charge", "民政", None),
        ("王某", "副市长", "assists", "外事", None),
        ("王某", "副市长", "supervises", "市教育局", None),
        ("王某", "副市长", "supervises", "市民政局", None),
        ("王某", "副市长", "supervises", "市老龄办", None),
        ("李某", "市政府秘书长", "acting", "王某", "in_charge"),
        ("王某", "副市长", "partner", "张某", None),  # post known from the document
        ("李某", None, "partner", "赵某", None),
    }
    assert res.unparsed == []
    assert all(f.doc == "某政发〔2023〕1号" for f in res.facts)


def test_a_leader_printed_by_post_is_resolved_where_the_document_names_them():
    src = """某某州人民政府关于州人民政府领导工作分工的通知

经州人民政府研究，州长张　明同志主持州人民政府全面工作，现将其他领导工作分工通知如下：
州长　领导州人民政府全面工作。负责审计工作。
分管州审计局。
常务副州长　吴世雄　负责州人民政府常务工作；负责发展改革、自贸片区招商、外事方面工作。
分管州发展改革委、州商务局。
联系州税务局、蒙自海关。
副州长　许高红　负责农业农村、水利工作。协助常务副州长分管州财政局。
许高红同志外出学习期间，分管的部门由吴世雄同志代分管。
"""
    _, res = run(src, title="某某州人民政府关于州人民政府领导工作分工的通知")
    assert facts(res) == {
        ("张明", "州长", "in_charge", "审计", None),
        ("张明", "州长", "supervises", "州审计局", None),
        ("吴世雄", "常务副州长", "in_charge", "州人民政府常务工作", None),
        ("吴世雄", "常务副州长", "in_charge", "发展改革", None),
        ("吴世雄", "常务副州长", "in_charge", "自贸片区招商", None),
        ("吴世雄", "常务副州长", "in_charge", "自贸片区外事", None),
        ("吴世雄", "常务副州长", "supervises", "州发展改革委", None),
        ("吴世雄", "常务副州长", "supervises", "州商务局", None),
        ("吴世雄", "常务副州长", "liaises", "州税务局", None),
        ("吴世雄", "常务副州长", "liaises", "蒙自海关", None),
        ("许高红", "副州长", "in_charge", "农业农村", None),
        ("许高红", "副州长", "in_charge", "水利", None),
        ("许高红", "副州长", "assists", "州财政局", None),
        ("吴世雄", "常务副州长", "acting", "许高红", "supervises"),
    }


def test_a_notice_that_is_no_division_of_work_gives_nothing():
    src = "某某市人民政府关于加强安全生产工作的通知\n\n市应急局负责统筹协调，市公安局分管道路交通安全工作。\n"
    _, res = run(src, title="某某市人民政府关于加强安全生产工作的通知")
    assert res.facts == [] and res.unparsed == []


def test_name_and_colon_heads_and_list_closing_words():
    src = """某某县人民政府关于县人民政府领导工作分工的通知

副县长李　强：负责发展改革、财政、金融等方面工作。分管县发展改革局、县财政局。
赵小兰　副县长　负责教育、卫生健康工作。分管县教育体育局。
"""
    _, res = run(src, title="某某县人民政府关于县人民政府领导工作分工的通知")
    assert facts(res) == {
        ("李强", "副县长", "in_charge", "发展改革", None),
        ("李强", "副县长", "in_charge", "财政", None),
        ("李强", "副县长", "in_charge", "金融", None),
        ("李强", "副县长", "supervises", "县发展改革局", None),
        ("李强", "副县长", "supervises", "县财政局", None),
        ("赵小兰", "副县长", "in_charge", "教育", None),
        ("赵小兰", "副县长", "in_charge", "卫生健康", None),
        ("赵小兰", "副县长", "supervises", "县教育体育局", None),
    }


def test_name_glued_to_post_heads_unit_lists_across_commas_and_assisting_on_areas():
    src = """某某市人民政府关于市长、副市长工作分工的通知

周明远市长
领导市政府全面工作。
陈一帆常务副市长
负责发展和改革、应急管理等工作。协助分管财政、审计工作。
分管市发展和改革委员会（市物价局）及市粮食和物资储备局，市应急管理局，市统计局。协助分管市财政局，市审计局。
林小舟副市长
兼市公安局局长，负责公安、司法行政等工作。
分管市公安局，市司法局及市监狱管理局。
联系市中级人民法院，市人民检察院。
"""
    _, res = run(src, title="某某市人民政府关于市长、副市长工作分工的通知")
    c, l = ("陈一帆", "常务副市长"), ("林小舟", "副市长")
    assert facts(res) == {
        (*c, "in_charge", "发展和改革", None),
        (*c, "in_charge", "应急管理", None),
        (*c, "assists", "财政", None),
        (*c, "assists", "审计", None),
        (*c, "supervises", "市发展和改革委员会", None),
        (*c, "supervises", "市物价局", None),
        (*c, "supervises", "市粮食和物资储备局", None),
        (*c, "supervises", "市应急管理局", None),
        (*c, "supervises", "市统计局", None),
        (*c, "assists", "市财政局", None),
        (*c, "assists", "市审计局", None),
        (*l, "in_charge", "公安", None),
        (*l, "in_charge", "司法行政", None),
        (*l, "supervises", "市公安局", None),
        (*l, "supervises", "市司法局", None),
        (*l, "supervises", "市监狱管理局", None),
        (*l, "liaises", "市中级人民法院", None),
        (*l, "liaises", "市人民检察院", None),
    }


def test_a_post_with_a_note_or_a_second_post_before_the_name():
    src = """某某州人民政府关于州人民政府领导工作分工的通知

副州长（挂职）　张　某　负责招商引资工作。分管州投资促进局。
副州长，州公安局局长　李某某　负责公安工作。分管州公安局。
"""
    _, res = run(src, title="某某州人民政府关于州人民政府领导工作分工的通知")
    assert {(f.person, f.relation, f.object) for f in res.facts} == {
        ("张某", "in_charge", "招商引资"), ("张某", "supervises", "州投资促进局"),
        ("李某某", "in_charge", "公安"), ("李某某", "supervises", "州公安局")}


def test_a_leader_line_that_cannot_be_read_ends_the_last_leaders_scope():
    src = """某某市人民政府关于市人民政府领导工作分工的通知

副市长　王　某　负责教育工作。
分管市教育局。
副市长　（空缺）　负责卫生健康工作。
分管市卫生健康委。
"""
    _, res = run(src)
    assert {(f.person, f.relation, f.object) for f in res.facts} == {
        ("王某", "in_charge", "教育"), ("王某", "supervises", "市教育局")}
    assert [u.reason for u in res.unparsed] == ["a leader's paragraph whose leader is not read"]


def test_a_name_on_its_own_line_and_the_post_on_the_next():
    src = "某省人民政府领导同志分工\n\n具体分工如下：\n马某某\n省长，主持省政府全面工作。负责审计、外事方面工作。\n" \
          "林某\n常务副省长，负责发展改革、财政方面工作。\n"
    _, res = run(src, title="某省人民政府领导同志分工")
    assert {(f.person, f.position, f.relation, f.object) for f in res.facts} == {
        ("马某某", "省长", "in_charge", "审计"), ("马某某", "省长", "in_charge", "外事"),
        ("林某", "常务副省长", "in_charge", "发展改革"), ("林某", "常务副省长", "in_charge", "财政")}


def test_running_text_names_its_subject_in_each_sentence():
    src = ("某省人民政府新一届领导分工明确。通知显示，省长吴某某主持省政府全面工作，分管省政府办公厅和编制、审计工作。"
           "常务副省长樊某负责省政府常务工作，分管发展计划、税务方面工作。协助分管财政工作。"
           "由某市市长升任副省长的缪某某，分管民政、水利等方面的工作；与此前相比，吴某某“兼管”的工作变为“分管”。\n")
    _, res = run(src, title="某省政府领导分工明确")
    assert {(f.person, f.relation, f.object) for f in res.facts} == {
        ("吴某某", "supervises", "省政府办公厅"), ("吴某某", "supervises", "编制"), ("吴某某", "supervises", "审计"),
        ("樊某", "in_charge", "省政府常务工作"), ("樊某", "supervises", "发展计划"), ("樊某", "supervises", "税务"),
        ("樊某", "assists", "财政"), ("缪某某", "supervises", "民政"), ("缪某某", "supervises", "水利")}
