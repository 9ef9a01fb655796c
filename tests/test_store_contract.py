"""Every GraphStore backend gives these exact answers for the fixture corpus (tests/graph_fixture.py)."""
from __future__ import annotations

import pytest
from dataclasses import replace

from zhize.graph.model import (
    CoEdge,
    Evidence,
    GroupInfo,
    GroupMembership,
    NetworkFilter,
    PersonInfo,
    PortfolioItem,
    PostHeld,
    RosterEntry,
    Succession,
    UnitRef,
)
from graph_fixture import APPOINT, AUDIT, DIVISION, FILE_A, GROUP, HEALTH, SAFETY, TEXT_A

Y = "inst:云南省:"
H = "inst:红河州:"
GROUP_ID = f"group:云南省:{GROUP}"


def ref(short: str, name: str, generic: bool = False, jur: str = "云南省") -> UnitRef:
    return UnitRef(id=f"inst:{jur}:{short}", name=name, mention=short, generic=generic)


def test_counts_cover_every_label_and_type(store):
    assert store.counts() == {
        "Document": 5, "Task": 6, "Institution": 13, "Person": 5, "Group": 1, "Post": 7, "Area": 2, "Source": 2,
        "PRINTED_IN": 5, "LEADS": 3, "RESPONSIBLE_FOR": 4, "SUPPORTS": 9, "IN": 6, "MEMBER_OF": 4, "MEMBER_UNIT_OF": 3,
        "OFFICE_AT": 1, "HOLDS": 6, "SUCCEEDED_BY": 1, "IN_CHARGE_OF": 2, "SUPERVISES": 3, "LIAISES": 1,
        "ASSISTS": 1, "ACTING_FOR": 1, "PARTNER_OF": 1,
    }


def test_documents_in_file_order(store):
    assert [(d["file"], d["doc"], d["date"]) for d in store.documents()] == [
        ("gazette_a.txt", SAFETY, "2021-10-20"),
        ("gazette_a.txt", HEALTH, "2016-05-06"),
        ("gazette_a.txt", APPOINT, None),
        ("gazette_b.txt", DIVISION, "2022-03-01"),
        ("gazette_b.txt", AUDIT, "2022-04-01"),
    ]
    assert store.documents()[0] == {"doc": SAFETY, "title": "云南省人民政府办公厅关于加强反拐工作的通知",
                                     "issuer": "云南省人民政府办公厅", "date": "2021-10-20", "file": FILE_A,
                                     "files": [FILE_A]}


def test_a_search_finds_the_word_its_synonyms_and_the_documents_title(store):
    # 反拐 is printed in two tasks, its synonym 拐卖妇女儿童 in a third, and the notice's title holds
    # it too: every task of the notice answers, those that print the word in their text first
    answer = store.owners("反拐")
    assert [a.task for a in answer] == ["加强反拐宣传教育。", "建立反拐工作信息通报制度。",
                                        "打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。", "做好被解救妇女儿童安置工作。"]
    assert [a.found for a in answer] == [("反拐",), ("反拐",), ("拐卖妇女儿童", "反拐"), ("反拐",)]
    assert [a.score for a in answer] == sorted((a.score for a in answer), reverse=True) and answer[-1].score > 0
    first = answer[0]
    assert first.lead == ()
    assert first.responsible == (ref("省委宣传部", "中共云南省委宣传部"), ref("省教育厅", "云南省教育厅"))
    assert first.support == (ref("有关部门", "有关部门", generic=True),)
    quote = "（省委宣传部、教育厅负责，有关部门配合）"
    start = TEXT_A.index(quote)
    assert first.evidence == Evidence(doc=SAFETY, quote=quote, file=FILE_A, start=start, end=start + len(quote))
    assert (first.doc, first.doc_title, first.date) == (SAFETY, "云南省人民政府办公厅关于加强反拐工作的通知", "2021-10-20")


def test_a_search_needs_every_word_in_any_order_with_or_without_spaces(store):
    assert [a.task for a in store.owners("妇女儿童")] == ["做好被解救妇女儿童安置工作。",
                                                     "打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。"]
    assert ([a.task for a in store.owners("反拐 宣传")] == [a.task for a in store.owners("反拐宣传")]
            == [a.task for a in store.owners("宣传，反拐")] == ["加强反拐宣传教育。"])
    assert store.owners("健康扶贫") == store.owners("扶贫 健康")
    assert [(a.task, a.found) for a in store.owners("健康扶贫")] == [("推进健康扶贫工程。", ("健康", "扶贫"))]
    assert [a.task for a in store.owners("审计")] == ["开展财政资金专项审计。"]
    # one character is a word too; shorter tasks that print it rank higher
    assert [(a.task, a.date) for a in store.owners("工")] == [
        ("建立反拐工作信息通报制度。", "2021-10-20"), ("做好被解救妇女儿童安置工作。", "2021-10-20"),
        ("推进健康扶贫工程。", "2016-05-06"), ("加强反拐宣传教育。", "2021-10-20"),
        ("打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。", "2021-10-20")]
    assert store.owners("拐卖 审计") == [] and store.owners("，。") == [] and store.owners("") == []
    assert [a.task for a in store.owners("妇女儿童", limit=1)] == ["做好被解救妇女儿童安置工作。"]


def test_owners_cut_at_any_limit_is_the_head_of_the_whole_answer(store):
    """A page of the ranked answer is the head of the whole answer, ties included."""
    for words in ("工", "反拐", "妇女儿童", "拐卖"):
        whole = store.owners(words, limit=1000)
        assert whole
        for k in range(len(whole) + 1):
            assert store.owners(words, limit=k) == whole[:k], (words, k)


def test_owners_lists_units_in_print_order_by_role(store):
    (a,) = store.owners("安置工作")
    assert a.responsible == (ref("省民政厅", "云南省民政厅"),)
    assert a.support == (ref("省公安厅", "云南省公安厅"), ref("省卫生健康委", "云南省卫生健康委员会"),
                         ref("省妇联", "云南省妇女联合会"))
    (b,) = store.owners("专项审计")
    assert b.lead == (ref("州审计局", "红河州审计局", jur="红河州"),)
    assert b.support == (ref("州财政局", "红河州财政局", jur="红河州"),)


def test_find_institutions_by_alias_and_name(store):
    assert [i.id for i in store.find_institutions("公安厅")] == [Y + "省公安厅"]
    police = store.find_institutions("省公安厅")[0]
    assert (police.name, police.kind, police.jurisdiction, police.level) == ("云南省公安厅", "department", "云南省", "province")
    assert police.aliases == ("云南省公安厅", "省公安厅")
    # no exact match: equal mentions, so the shorter name first; an exact alias comes before all
    assert [i.id for i in store.find_institutions("卫生")] == [Y + "省卫生健康委", Y + "省卫生计生委"]
    assert [i.id for i in store.find_institutions("省卫生健康委")] == [Y + "省卫生健康委"]
    assert [i.id for i in store.find_institutions("红河州")] == [H + "州审计局", H + "州财政局"]
    assert store.find_institutions("不存在的单位") == []


def test_institution_and_institutions(store):
    assert store.institution(H + "州税务局").name == "州税务局"          # unresolved: loaded by printed name
    assert store.institution(H + "州税务局").kind == "unresolved"
    assert store.institution("person:红河州:王五") is None
    # by id, each once, unknown ids and non-institutions left out
    asked = [H + "州审计局", "nope", Y + "省妇联", H + "州审计局", "person:红河州:王五"]
    assert [i.id for i in store.institutions(asked)] == [Y + "省妇联", H + "州审计局"]


def test_searches_cut_in_the_store_give_the_head_of_the_whole_answer(store):
    """find_* read only their first ``limit`` rows, ordered in the store as ``search_key`` orders them."""
    for find, texts in ((store.find_institutions, ("", "省", "厅", "有关部门", "卫生")),
                        (store.find_persons, ("", "王", "张三")), (store.find_groups, ("", "小组"))):
        for text in texts:
            whole = find(text, limit=1000)
            for k in range(len(whole) + 1):
                assert find(text, limit=k) == whole[:k], (find.__name__, text, k)


def test_a_page_of_a_units_tasks_is_that_slice_of_all_of_them(store):
    """The store reads full rows for the page only; the count needs no rows at all."""
    for unit in store.find_institutions("", limit=100):
        for role in (None, "lead", "responsible", "support"):
            for inherited in (True, False):
                whole = store.unit_tasks(unit.id, role=role, include_inherited=inherited)
                assert store.unit_task_count(unit.id, role=role, include_inherited=inherited) == len(whole)
                for offset in range(len(whole) + 1):
                    for limit in (0, 1, 2, 50):
                        page = store.unit_tasks_page(unit.id, role=role, include_inherited=inherited,
                                                     limit=limit, offset=offset)
                        assert page == whole[offset:offset + limit], (unit.id, role, inherited, offset, limit)


def test_unit_tasks_direct_and_by_role(store):
    police = store.unit_tasks(Y + "省公安厅")
    assert [(t.task, t.role) for t in police] == [
        ("打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。", "lead"),
        ("做好被解救妇女儿童安置工作。", "support"),
        ("建立反拐工作信息通报制度。", "responsible"),
    ]
    assert all(t.inherited_from is None and t.doc == SAFETY for t in police)
    assert [t.task for t in store.unit_tasks(Y + "省公安厅", role="lead")] == ["打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。"]
    assert police[2].evidence.quote == "（省公安厅负责，省民政厅配合）"
    with pytest.raises(ValueError):
        store.unit_tasks(Y + "省公安厅", role="牵头")


def test_unit_tasks_inherit_from_predecessors(store):
    health = store.unit_tasks(Y + "省卫生健康委")
    assert [(t.task, t.role, t.date, t.inherited_from) for t in health] == [
        ("做好被解救妇女儿童安置工作。", "support", "2021-10-20", None),
        ("推进健康扶贫工程。", "lead", "2016-05-06", Y + "省卫生计生委"),
    ]
    assert [t.task for t in store.unit_tasks(Y + "省卫生健康委", include_inherited=False)] == ["做好被解救妇女儿童安置工作。"]
    assert [t.task for t in store.unit_tasks(Y + "省卫生健康委", role="lead")] == ["推进健康扶贫工程。"]
    # a predecessor does not inherit its successor's tasks
    assert [t.task for t in store.unit_tasks(Y + "省卫生计生委")] == ["推进健康扶贫工程。"]


def test_successions_give_the_whole_lineage(store):
    expected = [Succession(predecessor=Y + "省卫生计生委", successor=Y + "省卫生健康委", date="2018-11-01",
                           source="云南省机构改革方案")]
    assert store.successions(Y + "省卫生健康委") == expected
    assert store.successions(Y + "省卫生计生委") == expected
    assert store.successions(Y + "省公安厅") == []


def test_unit_groups(store):
    assert store.unit_groups(Y + "省公安厅") == [
        GroupMembership(group_id=GROUP_ID, group=GROUP, relation="member_unit", doc=SAFETY),
        GroupMembership(group_id=GROUP_ID, group=GROUP, relation="office_host", doc=SAFETY),
    ]
    assert store.unit_groups(Y + "省妇联") == [GroupMembership(GROUP_ID, GROUP, "member_unit", SAFETY)]
    assert store.unit_groups(Y + "省教育厅") == []


def test_unit_supervisors_include_a_leader_printed_only_by_post(store):
    item = PortfolioItem(relation="supervises", object="州审计局", object_id=H + "州审计局", doc=DIVISION)
    assert store.unit_supervisors(H + "州审计局") == [
        (PersonInfo(id="post:红河州:州长", name="州长", jurisdiction="红河州", mentions=0), item),
        (PersonInfo(id="person:红河州:王五", name="王五", jurisdiction="红河州", mentions=7), item),
    ]
    (liaison,) = store.unit_supervisors(H + "州税务局")
    assert liaison[1].relation == "liaises" and liaison[0].name == "王五"


def test_find_persons(store):
    assert [p.name for p in store.find_persons("王五")] == ["王五"]
    assert [p.id for p in store.find_persons("李")] == ["person:云南省:李四"]
    assert store.find_persons("孙") == []


def test_person_profile_posts_groups_portfolio(store):
    li = store.person_profile("person:云南省:李四")
    assert li.person == PersonInfo(id="person:云南省:李四", name="李四", jurisdiction="云南省", mentions=2)
    assert li.posts == (PostHeld("省公安厅厅长", "member", SAFETY, "2021-10-20"),
                        PostHeld("省公安厅厅长", "appoint", APPOINT, None))
    assert li.groups == (GroupMembership(GROUP_ID, GROUP, "deputy", SAFETY),)
    assert li.portfolio == ()
    wang = store.person_profile("person:红河州:王五")
    assert wang.posts == (PostHeld("常务副州长", "portfolio", DIVISION, "2022-03-01"),)
    assert wang.portfolio == (
        PortfolioItem("in_charge", "审计", None, DIVISION),
        PortfolioItem("in_charge", "财政", None, DIVISION),
        PortfolioItem("supervises", "州审计局", H + "州审计局", DIVISION),
        PortfolioItem("supervises", "州财政局", H + "州财政局", DIVISION),
        PortfolioItem("liaises", "州税务局", H + "州税务局", DIVISION),
        PortfolioItem("partner", "钱七", "person:红河州:钱七", DIVISION),
    )
    qian = store.person_profile("person:红河州:钱七")
    assert qian.portfolio == (PortfolioItem("assists", "财政", None, DIVISION),
                              PortfolioItem("acting", "王五", "person:红河州:王五", DIVISION))
    zhao = store.person_profile("person:云南省:赵六")
    assert zhao.posts == (PostHeld("省民政厅厅长", "remove", APPOINT, None),)
    assert store.person_profile("inst:云南省:省公安厅") is None


def test_find_groups(store):
    assert store.find_groups("联席会议") == [GroupInfo(id=GROUP_ID, name=GROUP, doc=SAFETY)]
    assert store.find_groups("领导小组") == []


def test_group_roster(store):
    roster = store.group_roster(GROUP_ID)
    assert roster.group == GroupInfo(id=GROUP_ID, name=GROUP, doc=SAFETY)
    assert roster.entries == (
        RosterEntry(None, None, "省人民政府分管副省长", "head", "总召集人"),
        RosterEntry("person:云南省:李四", "李四", "省公安厅厅长", "deputy", "副组长"),
        RosterEntry(None, None, "省民政厅厅长", "member", "成员"),
        RosterEntry("person:云南省:周九", "周九", "省公安厅副厅长", "office_head", "办公室主任"),
    )
    assert roster.member_units == (ref("省公安厅", "云南省公安厅"), ref("省民政厅", "云南省民政厅"),
                                   ref("省妇联", "云南省妇女联合会"))
    assert roster.office_hosts == (ref("省公安厅", "云南省公安厅"),)
    assert store.group_roster("group:云南省:不存在") is None


def test_co_responsibility_weights_and_lead_to_support(store):
    edges = store.co_responsibility()
    assert edges[0] == CoEdge(a=Y + "省公安厅", b=Y + "省民政厅", weight=2, lead_to_support=0)
    assert CoEdge(a=Y + "省公安厅", b=Y + "省法院", weight=1, lead_to_support=1) in edges
    assert CoEdge(a=Y + "省卫生计生委", b=Y + "省民政厅", weight=1, lead_to_support=1) in edges
    assert len(edges) == 12
    assert all("有关部门" not in e.a + e.b for e in edges)           # generic bodies stay out
    assert [w.weight for w in edges] == sorted((w.weight for w in edges), reverse=True)


def test_co_responsibility_filters(store):
    audit = [CoEdge(a=H + "州审计局", b=H + "州财政局", weight=1, lead_to_support=1)]
    assert store.co_responsibility(NetworkFilter(jurisdiction="红河州")) == audit
    assert store.co_responsibility(NetworkFilter(doc=AUDIT)) == audit
    assert store.co_responsibility(NetworkFilter(year=2016)) == [
        CoEdge(a=Y + "省卫生计生委", b=Y + "省民政厅", weight=1, lead_to_support=1)]
    assert store.co_responsibility(NetworkFilter(roles=("lead", "responsible"))) == [
        CoEdge(a=Y + "省委宣传部", b=Y + "省教育厅", weight=1, lead_to_support=0)]
    assert store.co_responsibility(NetworkFilter(year=2030)) == []


def test_co_responsibility_counts_both_directions_of_a_pair(store):
    # 省卫生计生委 leads and 省民政厅 supports; nothing the other way round
    edge = store.co_responsibility(NetworkFilter(doc=HEALTH))
    assert edge == [CoEdge(a=Y + "省卫生计生委", b=Y + "省民政厅", weight=1, lead_to_support=1, support_to_lead=0)]
    assert all(e.support_to_lead == 0 for e in store.co_responsibility())


def test_role_counts_are_each_units_own_distinct_tasks_by_role(store):
    assert store.role_counts() == [
        (Y + "有关部门", 0, 0, 1),                 # generic bodies are counted: the 对比 view may be asked
        (Y + "省公安厅", 1, 1, 1),
        (Y + "省卫生健康委", 0, 0, 1),             # not the 2016 lead it inherits from 省卫生计生委
        (Y + "省卫生计生委", 1, 0, 0),
        (Y + "省妇联", 0, 0, 1),
        (Y + "省委宣传部", 0, 1, 0),
        (Y + "省教育厅", 0, 1, 0),
        (Y + "省检察院", 0, 0, 1),
        (Y + "省民政厅", 0, 1, 2),
        (Y + "省法院", 0, 0, 1),
        (H + "州审计局", 1, 0, 0),
        (H + "州财政局", 0, 0, 1),
    ]


def test_role_counts_agree_with_unit_tasks(store):
    for unit, lead, resp, supp in store.role_counts():
        tasks = store.unit_tasks(unit, include_inherited=False)
        assert (lead, resp, supp) == tuple(len({t.task_id for t in tasks if t.role == r})
                                           for r in ("lead", "responsible", "support")), unit


def test_role_counts_filters(store):
    assert store.role_counts(NetworkFilter(jurisdiction="红河州")) == [(H + "州审计局", 1, 0, 0),
                                                                   (H + "州财政局", 0, 0, 1)]
    assert store.role_counts(NetworkFilter(year=2016)) == [(Y + "省卫生计生委", 1, 0, 0), (Y + "省民政厅", 0, 0, 1)]
    assert store.role_counts(NetworkFilter(doc=AUDIT)) == [(H + "州审计局", 1, 0, 0), (H + "州财政局", 0, 0, 1)]
    assert store.role_counts(NetworkFilter(roles=("lead",))) == [
        (Y + "省公安厅", 1, 0, 0), (Y + "省卫生计生委", 1, 0, 0), (H + "州审计局", 1, 0, 0)]
    assert store.role_counts(NetworkFilter(doc=SAFETY, roles=("support",)))[:2] == [
        (Y + "有关部门", 0, 0, 1), (Y + "省公安厅", 0, 0, 1)]
    assert store.role_counts(NetworkFilter(year=2030)) == []
    assert store.role_counts(NetworkFilter(roles=())) == []


def test_a_documents_tasks_come_in_print_order_with_their_units(store):
    tasks = store.document_tasks(SAFETY)
    assert [t.task for t in tasks] == ["打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。", "加强反拐宣传教育。",
                                       "做好被解救妇女儿童安置工作。", "建立反拐工作信息通报制度。"]
    assert tasks[1] == replace(store.owners("反拐宣传")[0], score=0.0, found=())     # as a search gives it
    assert [t.task for t in store.document_tasks(AUDIT)] == ["开展财政资金专项审计。"]
    assert store.document_tasks(APPOINT) == [] and store.document_tasks("不存在的文件") == []


def test_a_group_is_found_by_a_synonym_of_a_word_in_its_name(store):
    assert [g.name for g in store.find_groups("反拐")] == [GROUP]           # 反对拐卖人口工作省级联席会议
    assert [g.name for g in store.find_groups("联席会议")] == [GROUP] and store.find_groups("审计") == []
