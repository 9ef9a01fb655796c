"""Entity resolution: one node per real body and person, across documents."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import given, settings, strategies as st

from zhize.extract.resolve import RegistryError, Resolver, resolve
from zhize.extract.types import (
    AppointmentFact,
    DocumentFact,
    DocumentInfo,
    DutyFact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
    Source,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"

HONGHE = ("honghe.txt", "红政办发〔2022〕37号", "红河州人民政府办公室", "2022-06-14")
CHUXIONG = ("chuxiong.txt", "楚政办发〔2022〕12号", "楚雄州人民政府办公室", "2022-05-10")
YUNNAN_2016 = ("yunnan.txt", "云政办发〔2016〕120号", "云南省人民政府办公厅", "2016-11-03")
YUNNAN_2021 = ("yunnan21.txt", "云政办发〔2021〕88号", "云南省人民政府办公厅", "2021-10-20")
MENGZI = ("mengzi.txt", "蒙政办发〔2022〕5号", "蒙自市人民政府办公室", "2022-03-01")


def document(where: tuple[str, str, str, str]) -> DocumentFact:
    file, doc, issuer, date = where
    return DocumentFact(doc=doc, source=Source(file, 0, 10), evidence=issuer, title=f"{issuer}关于印发…的通知",
                        issuer=issuer, date=date)


def duty(where: tuple[str, str, str, str], unit: str, role: str = "lead",
         task: str = "加强困境儿童保障工作", generic: bool = False) -> DutyFact:
    file, doc, _, _ = where
    return DutyFact(doc=doc, source=Source(file, 100, 120), evidence=f"（{unit}牵头）", task=task,
                    unit=unit, role=role, generic=generic)


def member(where, group: str, person: Optional[str], position: Optional[str], role_text: str = "组员",
           role: str = "member") -> MemberFact:
    file, doc, _, _ = where
    return MemberFact(doc=doc, source=Source(file, 200, 220), evidence=f"{role_text}：{person} {position}",
                      group=group, person=person, position=position, role_text=role_text, role=role)


def ids(facts) -> list[str]:
    return [f.unit_id for f in facts]


def resolved(facts, documents=(), resolver: Optional[Resolver] = None):
    """Resolve, then the facts carrying their ids: resolution returns them and never changes a fact."""
    res = resolver.resolve(facts, documents) if resolver is not None else resolve(facts, documents)
    return res, [res.with_ids(f) for f in facts]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver()


# ---------------------------------------------------------------- alias groups


@pytest.mark.parametrize("where, spellings, expected_id, full_name", [
    (YUNNAN_2021, ["省人力资源社会保障厅", "省人社厅", "云南省人力资源和社会保障厅", "省人力资源和社会保障厅"],
     "inst:云南省:省人力资源社会保障厅", "云南省人力资源和社会保障厅"),
    (YUNNAN_2021, ["省发展改革委", "省发改委", "云南省发展和改革委员会"],
     "inst:云南省:省发展改革委", "云南省发展和改革委员会"),
    (YUNNAN_2021, ["省住房城乡建设厅", "省住建厅", "云南省住房和城乡建设厅"],
     "inst:云南省:省住房城乡建设厅", "云南省住房和城乡建设厅"),
    (YUNNAN_2021, ["团省委", "共青团云南省委", "共青团云南省委员会"],
     "inst:云南省:团省委", "共青团云南省委员会"),
    (YUNNAN_2021, ["省委宣传部", "中共云南省委宣传部"], "inst:云南省:省委宣传部", "中共云南省委员会宣传部"),
    (YUNNAN_2021, ["省编办", "省委编办"], "inst:云南省:省委编办", "中共云南省委员会机构编制委员会办公室"),
    (YUNNAN_2021, ["省政府办公厅", "云南省人民政府办公厅", "省人民政府办公厅"],
     "inst:云南省:省人民政府办公厅", "云南省人民政府办公厅"),
    (YUNNAN_2021, ["省法院", "云南省高级人民法院"], "inst:云南省:省法院", "云南省高级人民法院"),
    (HONGHE, ["州工信局", "州工业和信息化局", "红河州工业和信息化局"],
     "inst:红河州:州工业和信息化局", "红河哈尼族彝族自治州工业和信息化局"),
    (HONGHE, ["州人力资源社会保障局", "州人力资源和社会保障局", "州人社局"],
     "inst:红河州:州人力资源社会保障局", "红河哈尼族彝族自治州人力资源和社会保障局"),
    (HONGHE, ["州应急局", "州应急管理局"], "inst:红河州:州应急局", "红河哈尼族彝族自治州应急管理局"),
    (HONGHE, ["州政府办公室", "州人民政府办公室", "红河州人民政府办公室"],
     "inst:红河州:州人民政府办公室", "红河哈尼族彝族自治州人民政府办公室"),
    (HONGHE, ["云南电网红河供电局", "云南电网公司红河供电局", "红河供电局"],
     "inst:红河州:云南电网红河供电局", "云南电网有限责任公司红河供电局"),
    (HONGHE, ["州粮食和储备局", "州粮食和物资储备局"], "inst:红河州:州粮食和储备局",
     "红河哈尼族彝族自治州粮食和物资储备局"),
])
def test_every_spelling_of_a_body_is_one_institution(where, spellings, expected_id, full_name):
    facts = [duty(where, s) for s in spellings]
    res, facts = resolved(facts, [document(where)])
    assert ids(facts) == [expected_id] * len(spellings)
    inst = res.institutions[expected_id]
    assert inst.name == full_name
    assert inst.resolved_by == "registry"
    assert inst.mentions == len(spellings)
    assert set(spellings) <= inst.aliases
    assert res.rule_only == []


@pytest.mark.parametrize("where, a, b", [
    (YUNNAN_2016, "省文化厅", "省文化和旅游厅"),           # predecessor and successor are two bodies
    (YUNNAN_2016, "省妇儿工委", "省妇儿工委办公室"),        # a committee and its office
    (YUNNAN_2016, "省安委会", "省安委会办公室"),
    (YUNNAN_2016, "省财政厅", "省地税局"),
    (YUNNAN_2016, "省国税局", "省地税局"),
    (YUNNAN_2016, "省公安厅", "省公安消防总队"),
    (YUNNAN_2016, "省发展改革委", "省能源局"),
    (YUNNAN_2016, "省委宣传部", "省委组织部"),
    (YUNNAN_2016, "省工业和信息化委", "省国防科工局"),
    (YUNNAN_2016, "各州、市人民政府", "有关州、市人民政府"),  # collective vs generic
    (YUNNAN_2016, "各级公安部门", "省公安厅"),
    (YUNNAN_2016, "省妇儿工委各成员单位", "省妇儿工委有关成员单位"),
    (HONGHE, "州财政局", "省财政厅"),
    (HONGHE, "州人民政府", "州人民政府办公室"),
    (HONGHE, "州委宣传部", "省委宣传部"),
    (HONGHE, "人民银行红河州中心支行", "国家外汇管理局红河州中心支局"),
    (HONGHE, "蒙自海关", "河口海关"),
    (HONGHE, "州粮食和储备局", "州粮食局"),
])
def test_different_bodies_are_never_merged(where, a, b):
    facts = [duty(where, a), duty(where, b)]
    _, facts = resolved(facts, [document(where)])
    assert facts[0].unit_id != facts[1].unit_id


# ---------------------------------------------------------------- jurisdiction


def test_a_relative_name_takes_the_issuers_place():
    honghe, chuxiong = duty(HONGHE, "州财政局"), duty(CHUXIONG, "州财政局")
    res, [honghe, chuxiong] = resolved([honghe, chuxiong], [document(HONGHE), document(CHUXIONG)])
    assert honghe.unit_id == "inst:红河州:州财政局"
    assert chuxiong.unit_id == "inst:楚雄州:州财政局"
    assert res.institutions[honghe.unit_id].name == "红河哈尼族彝族自治州财政局"
    assert res.institutions[chuxiong.unit_id].name == "楚雄彝族自治州财政局"
    assert res.institutions[chuxiong.unit_id].jurisdiction == "楚雄州"
    assert res.institutions[chuxiong.unit_id].level == "prefecture"


def test_a_provincial_unit_in_a_prefecture_document_stays_the_provinces():
    in_province, in_prefecture = duty(YUNNAN_2021, "省公安厅"), duty(HONGHE, "省公安厅")
    res, [in_province, in_prefecture] = resolved([in_province, in_prefecture], [document(YUNNAN_2021), document(HONGHE)])
    assert in_province.unit_id == in_prefecture.unit_id == "inst:云南省:省公安厅"
    assert res.institutions["inst:云南省:省公安厅"].mentions == 2


def test_a_prefecture_named_in_a_provincial_document_is_that_prefecture():
    facts = [duty(YUNNAN_2016, "红河州人民政府"), duty(HONGHE, "州人民政府"), duty(YUNNAN_2016, "丽江市人民政府")]
    res, facts = resolved(facts, [document(YUNNAN_2016), document(HONGHE)])
    assert ids(facts) == ["inst:红河州:州人民政府", "inst:红河州:州人民政府", "inst:丽江市:市人民政府"]
    assert res.institutions["inst:丽江市:市人民政府"].kind == "government"


def test_a_county_document_reads_市_as_the_county_and_州_as_its_prefecture():
    facts = [duty(MENGZI, "市财政局"), duty(MENGZI, "州财政局"), duty(MENGZI, "省财政厅")]
    res, facts = resolved(facts, [document(MENGZI)])
    assert ids(facts) == ["inst:蒙自市:市财政局", "inst:红河州:州财政局", "inst:云南省:省财政厅"]
    assert res.institutions["inst:蒙自市:市财政局"].level == "county"


def test_without_an_issuer_the_document_number_gives_the_place():
    fact = duty(("x.txt", "红政办发〔2022〕40号", "", ""), "州能源局")
    _, [fact] = resolved([fact], [])
    assert fact.unit_id == "inst:红河州:州能源局"


def test_documents_may_come_as_document_info_with_their_file():
    info = DocumentInfo(doc=CHUXIONG[1], title="…", issuer=CHUXIONG[2], date=CHUXIONG[3], number=CHUXIONG[1],
                        start=0, end=100)
    fact = duty(CHUXIONG, "州教育体育局")
    _, [fact] = resolved([fact], [(CHUXIONG[0], info)])
    assert fact.unit_id == "inst:楚雄州:州教育体育局"
    fact2 = duty(CHUXIONG, "州教育体育局")
    _, [fact2] = resolved([fact2], [info])
    assert fact2.unit_id == "inst:楚雄州:州教育体育局"


def test_unit_id_is_in_the_emitted_record():
    fact = duty(HONGHE, "州商务局", role="responsible")
    res = resolve([fact, document(HONGHE)])
    assert "unit_id" not in fact.to_record()          # the fact is as extracted; its id is in the mapping
    rec = res.with_ids(fact).to_record()
    assert rec["unit"] == "州商务局" and rec["unit_id"] == "inst:红河州:州商务局"


# ---------------------------------------------------------------- kinds


@pytest.mark.parametrize("where, unit, kind", [
    (YUNNAN_2016, "省公安厅", "department"),
    (YUNNAN_2016, "省人民政府", "government"),
    (HONGHE, "各县市人民政府", "collective"),
    (YUNNAN_2016, "各州、市人民政府", "collective"),
    (YUNNAN_2016, "各级公安部门", "collective"),
    (YUNNAN_2016, "有关部门", "generic"),
    (YUNNAN_2016, "有关州、市人民政府", "generic"),
    (YUNNAN_2016, "省直有关部门", "generic"),
    (HONGHE, "州级有关部门", "generic"),
    (HONGHE, "州物流保通保畅工作领导小组成员单位", "generic"),
    (YUNNAN_2016, "省委组织部", "party"),
    (YUNNAN_2016, "省检察院", "judicial"),
    (HONGHE, "州法院", "judicial"),
    (YUNNAN_2016, "省妇联", "mass_org"),
    (HONGHE, "团州委", "mass_org"),
    (HONGHE, "州科协", "mass_org"),
    (YUNNAN_2016, "云南机场集团", "enterprise"),
    (YUNNAN_2016, "国家开发银行云南省分行", "enterprise"),
    (YUNNAN_2016, "昆明海关", "central"),
    (YUNNAN_2016, "人民银行昆明中心支行", "central"),
    (YUNNAN_2016, "民航云南安全监管局", "central"),
    (YUNNAN_2016, "云南出入境边防检查总站", "central"),
    (YUNNAN_2016, "省通信管理局", "central"),
    (HONGHE, "州税务局", "central"),
    (YUNNAN_2016, "省人大常委会法工委", "legislature"),
])
def test_kind(where, unit, kind):
    fact = duty(where, unit)
    res, [fact] = resolved([fact], [document(where)])
    assert res.institutions[fact.unit_id].kind == kind


def test_generic_mentions_are_nodes_of_their_own_per_jurisdiction():
    a, b, c = duty(YUNNAN_2016, "有关部门"), duty(HONGHE, "有关部门"), duty(HONGHE, "州级有关部门")
    res, [a, b, c] = resolved([a, b, c], [document(YUNNAN_2016), document(HONGHE)])
    assert a.unit_id == "inst:云南省:有关部门" and b.unit_id == "inst:红河州:有关部门"
    assert c.unit_id == "inst:红河州:州级有关部门"
    assert res.rule_only == []          # patterns, not unknown names


def test_collective_spellings_with_and_without_the_dunhao_are_one():
    a, b = duty(HONGHE, "各县、市人民政府"), duty(HONGHE, "各县市人民政府")
    _, [a, b] = resolved([a, b], [document(HONGHE)])
    assert a.unit_id == b.unit_id == "inst:红河州:各县市人民政府"


# ---------------------------------------------------------------- unknown names


def test_unknown_names_resolve_by_rule_and_are_listed_for_review():
    facts = [duty(HONGHE, "州数据局"), duty(HONGHE, "红河州数据局"), duty(CHUXIONG, "州数据局"),
             duty(HONGHE, "州城乡和社区服务中心"), duty(HONGHE, "州城乡社区服务中心")]
    res, facts = resolved(facts, [document(HONGHE), document(CHUXIONG)])
    assert ids(facts) == ["inst:红河州:州数据局", "inst:红河州:州数据局", "inst:楚雄州:州数据局",
                          "inst:红河州:州城乡社区服务中心", "inst:红河州:州城乡社区服务中心"]
    assert res.rule_only == ["inst:楚雄州:州数据局", "inst:红河州:州城乡社区服务中心", "inst:红河州:州数据局"]
    assert res.institutions["inst:红河州:州数据局"].resolved_by == "rule"
    assert res.institutions["inst:红河州:州数据局"].name == "红河哈尼族彝族自治州数据局"
    assert res.institutions["inst:红河州:州城乡社区服务中心"].kind == "public_service"


def test_a_relative_name_with_no_issuer_still_resolves():
    fact = duty(("loose.txt", "关于做好某项工作的通知", "", ""), "州财政局")
    res, [fact] = resolved([fact], [])
    assert fact.unit_id == "inst:?:州财政局"
    assert res.rule_only == ["inst:?:州财政局"]


def test_ids_are_stable_across_runs_and_input_order():
    units = ["州财政局", "州工信局", "有关部门", "州数据局", "各县市人民政府", "省人社厅"]
    first = [duty(HONGHE, u) for u in units]
    second = [duty(HONGHE, u) for u in reversed(units)]
    _, first = resolved(first, [document(HONGHE)])
    _, second = resolved(second, [document(HONGHE)], resolver=Resolver())
    assert ids(first) == list(reversed(ids(second)))


# ---------------------------------------------------------------- successions


def test_the_2018_reform_links_old_bodies_to_their_successor():
    old = [duty(YUNNAN_2016, "省文化厅"), duty(YUNNAN_2016, "省旅游发展委")]
    new = [duty(YUNNAN_2021, "省文化和旅游厅")]
    res = resolve(old + new, [document(YUNNAN_2016), document(YUNNAN_2021)])
    into = {(s.predecessor, s.successor): s for s in res.successions}
    for pred in ("inst:云南省:省文化厅", "inst:云南省:省旅游发展委"):
        s = into[(pred, "inst:云南省:省文化和旅游厅")]
        assert s.date == "2018" and s.source == "云南省机构改革方案 2018"


def test_a_successor_never_mentioned_is_still_a_node():
    fact = duty(YUNNAN_2016, "省卫生计生委")
    res, [fact] = resolved([fact], [document(YUNNAN_2016)])
    assert ("inst:云南省:省卫生计生委", "inst:云南省:省卫生健康委") in {
        (s.predecessor, s.successor) for s in res.successions}
    successor = res.institutions["inst:云南省:省卫生健康委"]
    assert successor.mentions == 0 and successor.name == "云南省卫生健康委员会"


def test_succession_chains_are_followed():
    res = resolve([duty(YUNNAN_2016, "云南保监局")], [document(YUNNAN_2016)])
    pairs = {(s.predecessor, s.successor) for s in res.successions}
    assert ("inst:云南省:云南保监局", "inst:云南省:云南银保监局") in pairs
    assert ("inst:云南省:云南银保监局", "inst:云南省:云南金融监管局") in pairs


def test_honghe_renames_listed_in_its_2022_notice():
    res = resolve([duty(HONGHE, "州工业和信息化局"), duty(HONGHE, "州应急局")], [document(HONGHE)])
    pairs = {(s.predecessor, s.successor) for s in res.successions}
    assert ("inst:红河州:州工信委", "inst:红河州:州工业和信息化局") in pairs
    assert ("inst:红河州:州安监局", "inst:红河州:州应急局") in pairs


def test_no_succession_for_bodies_no_document_mentions():
    res = resolve([duty(HONGHE, "州财政局")], [document(HONGHE)])
    assert res.successions == []


def test_every_registered_succession_resolves_by_registry(resolver):
    for preds, succ, date, source in resolver.succession_table():
        assert succ.by == "registry", succ.id
        assert all(p.by == "registry" for p in preds), [p.id for p in preds]
        assert source, succ.id
        assert date is None or "2016" <= date[:4] <= "2023"


def test_a_name_used_for_two_bodies_over_time_is_read_by_the_document_date():
    before = duty(("hh2017.txt", "红政办发〔2017〕3号", "红河州人民政府办公室", "2017-03-01"), "州消防支队")
    after = duty(HONGHE, "州消防支队")
    _, [before, after] = resolved([before, after], [
        document(("hh2017.txt", "红政办发〔2017〕3号", "红河州人民政府办公室", "2017-03-01")), document(HONGHE)])
    assert before.unit_id == "inst:红河州:州公安消防支队"
    assert after.unit_id == "inst:红河州:州消防救援支队"


# ---------------------------------------------------------------- registry coverage


YUNNAN_DEPARTMENTS_2019 = [   # 云南省人民政府工作部门 after the 2018 reform
    "省人民政府办公厅", "省发展改革委", "省教育厅", "省科技厅", "省工业和信息化厅", "省民族宗教委", "省公安厅",
    "省国家安全厅", "省民政厅", "省司法厅", "省财政厅", "省人力资源社会保障厅", "省自然资源厅", "省生态环境厅",
    "省住房城乡建设厅", "省交通运输厅", "省农业农村厅", "省水利厅", "省商务厅", "省文化和旅游厅", "省卫生健康委",
    "省退役军人事务厅", "省应急管理厅", "省审计厅", "省外办", "省国资委", "省市场监管局", "省广电局", "省体育局",
    "省统计局", "省林业和草原局", "省医疗保障局", "省地方金融监管局", "省机关事务管理局", "省能源局",
    "省粮食和物资储备局", "省药品监督管理局", "省投资促进局", "省乡村振兴局",
]
YUNNAN_DEPARTMENTS_2016 = [   # abolished or renamed by the 2018 reform
    "省工业和信息化委", "省国土资源厅", "省环境保护厅", "省农业厅", "省林业厅", "省文化厅", "省旅游发展委",
    "省卫生计生委", "省安全监管局", "省工商局", "省质监局", "省食品药品监管局", "省新闻出版广电局", "省国税局",
    "省地税局", "省扶贫办", "省金融办", "省招商合作局", "省粮食局", "省物价局", "省监察厅", "省侨办",
]


@pytest.mark.parametrize("unit", YUNNAN_DEPARTMENTS_2019 + YUNNAN_DEPARTMENTS_2016)
def test_registry_covers_every_provincial_department(resolver, unit):
    r = resolver.resolve_unit(unit, resolver.geo.get("云南省"))
    assert r.by == "registry" and r.jurisdiction == "云南省", r


def test_a_registry_that_names_two_bodies_with_one_key_is_refused(tmp_path):
    data = Path(__file__).resolve().parents[1] / "extract" / "data"
    for name in ("geography.yaml", "resolve_rules.yaml", "institutions.yaml"):
        (tmp_path / name).write_text((data / name).read_text(encoding="utf-8"), encoding="utf-8")
    reg = tmp_path / "institutions.yaml"
    # 人社厅 already abbreviates 人力资源社会保障厅
    reg.write_text(reg.read_text(encoding="utf-8").replace(
        "    - {stem: 教育厅}", "    - {stem: 教育厅, aliases: [人社厅]}"), encoding="utf-8")
    with pytest.raises(RegistryError):
        Resolver(tmp_path)


# ---------------------------------------------------------------- people


def test_same_name_in_two_places_is_two_people():
    a = member(HONGHE, "红河州加快对接RCEP工作领导小组", "张伟", "州商务局局长")
    b = member(CHUXIONG, "楚雄州招商引资工作领导小组", "张伟", "州商务局局长")
    res, [a, b] = resolved([a, b], [document(HONGHE), document(CHUXIONG)])
    assert a.person_id == "person:红河州:张伟" and b.person_id == "person:楚雄州:张伟"
    assert len(res.persons) == 2


def test_a_prefecture_leader_in_a_provincial_roster_and_in_the_prefectures_roster_is_one_person():
    provincial = ("yn.txt", "云政办发〔2021〕30号", "云南省人民政府办公厅", "2021-04-02")
    prefectural = ("hh.txt", "红政办发〔2022〕36号", "红河州人民政府办公室", "2022-06-14")
    a = member(provincial, "云南省沿边开放工作领导小组", "罗 萍", "红河州州长")
    b = member(prefectural, "红河州加快对接RCEP工作领导小组", "罗萍", "州长", role_text="组长", role="head")
    res, [b, a] = resolved([b, a], [document(provincial), document(prefectural)])
    assert a.person_id == b.person_id == "person:红河州:罗萍"
    person = res.persons["person:红河州:罗萍"]
    assert person.mentions == 2
    assert [(p.position, p.date, p.doc) for p in person.posts] == [
        ("红河州州长", "2021-04-02", "云政办发〔2021〕30号"),
        ("州长", "2022-06-14", "红政办发〔2022〕36号"),
    ]


def test_one_person_twice_in_one_roster_keeps_one_post():
    a = member(HONGHE, "红河州加快对接RCEP工作领导小组", "和涛", "州商务局局长")
    b = member(HONGHE, "红河州加快对接RCEP工作领导小组", "和涛", "州商务局局长", role_text="办公室主任",
               role="office_head")
    res, [a, b] = resolved([a, b], [document(HONGHE)])
    assert a.person_id == b.person_id
    assert len(res.persons[a.person_id].posts) == 1


def test_a_post_without_a_name_is_no_person():
    m = member(HONGHE, "州气象灾害应急指挥部", None, "州人民政府分管气象工作副州长", role_text="指挥长", role="head")
    res, [m] = resolved([m], [document(HONGHE)])
    assert m.person_id is None and res.persons == {}


def test_appointments_keep_the_action_and_post():
    where = ("yn.txt", "云南省人民政府任免通知", "云南省人民政府", None)
    appoint = AppointmentFact(doc=where[1], source=Source("yn.txt", 5, 30), evidence="任命刘黎波为云南警官学院院长",
                              person="刘黎波", action="appoint", position="云南警官学院院长")
    remove = AppointmentFact(doc=where[1], source=Source("yn.txt", 31, 60), evidence="免去刘黎波的…职务",
                             person="刘黎波", action="remove", position="省公安厅国内安全保卫总队总队长")
    res, [appoint, remove] = resolved([appoint, remove], [document(where)])
    assert appoint.person_id == remove.person_id == "person:云南省:刘黎波"
    assert {(p.position, p.action, p.source) for p in res.persons["person:云南省:刘黎波"].posts} == {
        ("云南警官学院院长", "appoint", "appointment"), ("省公安厅国内安全保卫总队总队长", "remove", "appointment")}


def test_portfolio_objects_resolve_to_units_and_people_but_not_areas():
    where = ("hh.txt", "红政发〔2023〕2号", "红河州人民政府", "2023-01-20")
    def pf(relation, obj, scope=None):
        return PortfolioFact(doc=where[1], source=Source("hh.txt", 0, 9), evidence="…", person="吴世雄",
                             position="常务副州长", relation=relation, object=obj, scope=scope)
    unit, area, acting = pf("supervises", "州审计局"), pf("in_charge", "审计"), pf("acting", "许高红", "in_charge")
    res, [unit, area, acting] = resolved([unit, area, acting], [document(where)])
    assert unit.object_id == "inst:红河州:州审计局"
    assert area.object_id is None
    assert acting.object_id == "person:红河州:许高红"
    assert unit.person_id == "person:红河州:吴世雄"
    assert res.institutions["inst:红河州:州审计局"].mentions == 1


def test_group_units_resolve_like_duties():
    gu = GroupUnitFact(doc=HONGHE[1], source=Source(HONGHE[0], 0, 5), evidence="办公室设在州商务局",
                       group="红河州加快对接RCEP工作领导小组", unit="州商务局", relation="office_host")
    _, [gu] = resolved([gu], [document(HONGHE)])
    assert gu.unit_id == "inst:红河州:州商务局"


# ---------------------------------------------------------------- the shared corpus


def _gold_facts():
    gold = SHARED / "eval" / "gold"
    if not gold.is_dir():
        pytest.skip("../shared/eval/gold is not here (the shared corpus is not part of the repository)")
    facts, docs = [], []
    for path in sorted(gold.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            src = Source(r["file"], 0, 0)
            if r["kind"] == "document":
                docs.append(r)
            elif r["kind"] == "duty":
                facts.append(DutyFact(doc=r["doc"], source=src, evidence=r.get("evidence", ""), task=r["task_key"],
                                      unit=r["unit"], role=r["role"], generic=r["generic"]))
            elif r["kind"] == "group_unit":
                facts.append(GroupUnitFact(doc=r["doc"], source=src, evidence="", group=r["group"], unit=r["unit"],
                                           relation=r["relation"]))
            elif r["kind"] == "member":
                facts.append(MemberFact(doc=r["doc"], source=src, evidence="", group=r["group"], person=r["person"],
                                        position=r["position"], role_text=r["role_text"], role=r["role"]))
            elif r["kind"] == "appointment":
                facts.append(AppointmentFact(doc=r["doc"], source=src, evidence="", person=r["person"],
                                             action=r["action"], position=r["position"]))
    return facts, docs


@pytest.mark.corpus
def test_every_unit_mention_in_the_gold_resolves():
    facts, docs = _gold_facts()
    res, facts = resolved(facts, docs)
    units = [f for f in facts if isinstance(f, (DutyFact, GroupUnitFact))]
    assert len(units) > 900
    for f in units:
        inst = res.institutions[f.unit_id]
        assert inst.jurisdiction is not None, f.unit
        if getattr(f, "generic", False):                # the gold's generic flag agrees with the kind
            assert inst.kind == "generic", f.unit
        else:
            assert inst.kind != "generic", f.unit
            assert inst.resolved_by in ("registry", "pattern"), f.unit   # every concrete body is in the registry
    assert res.rule_only == []
    # jurisdiction from the issuer: 州… units of the Honghe bulletin are Honghe's
    honghe = {f.unit_id for f in units if f.source.file.startswith("004") and f.unit.startswith("州")}
    assert honghe and all(i.startswith("inst:红河州:") for i in honghe)
    provincial = {f.unit_id for f in units if f.unit.startswith("省")}
    assert all(i.startswith("inst:云南省:") for i in provincial)


@pytest.mark.corpus
def test_gold_rosters_give_one_person_per_name_and_place():
    facts, docs = _gold_facts()
    res, facts = resolved(facts, docs)
    named = [f for f in facts if isinstance(f, (MemberFact, AppointmentFact)) and f.person]
    assert all(f.person_id in res.persons for f in named)
    # 和涛 is a member and the office head of the RCEP group: one person
    hetao = {f.person_id for f in named if f.person.replace(" ", "") == "和涛"}
    assert hetao == {"person:红河州:和涛"}
    # 刘黎波 is appointed to one post and removed from another in one notice
    assert len(res.persons["person:云南省:刘黎波"].posts) == 2


# ---------------------------------------------------------------- zhize entities

NOTICE = """{issuer}关于印发{place}促进消费若干措施的通知

{number}

各县市人民政府，州直各委、办、局：

　　现将《{place}促进消费若干措施》印发给你们，请认真贯彻执行。

一、扩大汽车消费。对购买新能源汽车的个人给予一次性补贴。（州财政局牵头，{ministry}、州数据局配合）

{issuer}

2023年3月1日
"""


def test_zhize_entities_lists_bodies_per_prefecture_and_the_rule_only_names(tmp_path):
    from typer.testing import CliRunner

    from zhize.cli import app

    (tmp_path / "honghe.txt").write_text(NOTICE.format(issuer="红河州人民政府办公室", place="红河州",
                                                       number="红政办发〔2023〕9号", ministry="州工信局"), encoding="utf-8")
    (tmp_path / "chuxiong.txt").write_text(NOTICE.format(issuer="楚雄州人民政府办公室", place="楚雄州",
                                                         number="楚政办发〔2023〕7号", ministry="州工业和信息化局"),
                                           encoding="utf-8")
    result = CliRunner().invoke(app, ["entities", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    insts = {i["id"]: i for i in data["institutions"]}
    assert insts["inst:红河州:州财政局"]["mentions"] == 1
    assert insts["inst:楚雄州:州财政局"]["mentions"] == 1
    assert "州工信局" in insts["inst:红河州:州工业和信息化局"]["aliases"]
    assert data["rule_only"] == ["inst:楚雄州:州数据局", "inst:红河州:州数据局"]

    listed = CliRunner().invoke(app, ["entities", str(tmp_path), "--rule-only"])
    assert listed.exit_code == 0
    assert "inst:红河州:州数据局" in listed.stdout and "州财政局" not in listed.stdout


def test_zhize_entities_without_paths_lists_the_registry():
    from typer.testing import CliRunner

    from zhize.cli import app

    result = CliRunner().invoke(app, ["entities", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ids_ = {i["id"] for i in data["institutions"]}
    assert {"inst:云南省:省人力资源社会保障厅", "inst:云南省:昆明海关", "inst:红河州:州工信委"} <= ids_
    assert {"predecessor": "inst:云南省:省文化厅", "successor": "inst:云南省:省文化和旅游厅", "date": "2018",
            "source": "云南省机构改革方案 2018"} in data["successions"]


def test_nested_place_names_narrow_to_the_innermost():
    a, b = duty(YUNNAN_2021, "云南省红河州财政局"), duty(YUNNAN_2021, "红河哈尼族彝族自治州财政局")
    _, [a, b] = resolved([a, b], [document(YUNNAN_2021)])
    assert a.unit_id == b.unit_id == "inst:红河州:州财政局"


def test_collective_written_with_brackets_is_the_same_collective():
    a, b = duty(YUNNAN_2021, "各州（市）人民政府"), duty(YUNNAN_2021, "各州、市人民政府")
    _, [a, b] = resolved([a, b], [document(YUNNAN_2021)])
    assert a.unit_id == b.unit_id == "inst:云南省:各州市人民政府"


def test_a_post_in_a_registered_body_places_the_person_where_the_body_is():
    provincial = ("yn.txt", "云政办发〔2021〕31号", "云南省人民政府办公厅", "2021-05-02")
    a = member(provincial, "云南省金融工作领导小组", "芦江波", "人民银行红河州中心支行行长")
    b = member(HONGHE, "红河州加快对接RCEP工作领导小组", "芦江波", "人民银行红河州中心支行行长")
    c = member(provincial, "云南省金融工作领导小组", "王明", "昆明海关关长")
    _, [a, b, c] = resolved([a, b, c], [document(provincial), document(HONGHE)])
    assert a.person_id == b.person_id == "person:红河州:芦江波"
    assert c.person_id == "person:云南省:王明"


_NAME_CHARS = st.sampled_from(list("省州市县区各有关部门委办厅局中共团云南红河楚雄财政公安人民政府、（）() 和成员单位"))


@settings(max_examples=300, deadline=None)
@given(unit=st.text(_NAME_CHARS, max_size=14), where=st.sampled_from([HONGHE, CHUXIONG, YUNNAN_2016, MENGZI]))
def test_any_printed_name_resolves_to_one_stable_node(resolver, unit, where):
    fact, again = duty(where, unit), duty(where, unit)
    res, [fact] = resolved([fact], [document(where)], resolver=resolver)
    _, [again] = resolved([again], [document(where)], resolver=resolver)
    assert fact.unit_id == again.unit_id and fact.unit_id.startswith("inst:")
    assert res.institutions[fact.unit_id].mentions == 1


def test_a_prefectures_health_and_family_planning_commission_is_its_own_body_succeeded_by_the_health_commission():
    from zhize.extract.resolve import Resolver
    r = Resolver()
    honghe = r.geo.get("红河州")
    commission = r.resolve_unit("州卫生计生委", honghe, "2017-05-01")
    bureau = r.resolve_unit("州卫生局", honghe, "2017-05-01")
    health = r.resolve_unit("州卫生健康委", honghe, "2020-05-01")
    assert len({commission.id, bureau.id, health.id}) == 3
    successors = {(p.id, s.id) for ps, s, _, _ in r.succession_table() for p in ps}
    assert (commission.id, health.id) in successors and (bureau.id, health.id) in successors


# ---- bodies of any jurisdiction in China, placed by the issuer (issue 9)

CHUZHOU = ("chuzhou.txt", "滁政〔2020〕3号", "滁州市人民政府", "2020-02-03")
JIAXING = ("jiaxing.txt", "嘉政办发〔2020〕9号", "嘉兴市人民政府办公室", "2020-03-01")
TIANHE = ("tianhe.txt", "穗天府办〔2023〕8号", "广州市天河区人民政府办公室", "2023-03-15")


def unit_ids(where, *mentions):
    res, facts = resolved([duty(where, m) for m in mentions], [document(where)])
    return [f.unit_id for f in facts]


def test_the_usual_abbreviations_of_a_city_body_name_one_body():
    ids = unit_ids(CHUZHOU, "市发改委", "市发展改革委", "市发展和改革委员会")
    assert len(set(ids)) == 1 and ids[0] == "inst:滁州市:市发展改革委"
    assert len(set(unit_ids(CHUZHOU, "市经信局", "市经济和信息化局"))) == 1
    assert len(set(unit_ids(CHUZHOU, "市卫健委", "市卫生健康委员会"))) == 1
    assert len(set(unit_ids(CHUZHOU, "市交通局", "市交通运输局"))) == 1


def test_the_same_name_in_two_cities_is_two_bodies_and_the_province_is_the_citys():
    (chuzhou,) = unit_ids(CHUZHOU, "市工信局")
    (jiaxing,) = unit_ids(JIAXING, "市工业和信息化局")
    assert chuzhou == "inst:滁州市:市工业和信息化局" and jiaxing == "inst:嘉兴市:市工业和信息化局"
    assert unit_ids(CHUZHOU, "省财政厅") == ["inst:安徽省:省财政厅"]


def test_a_district_document_places_its_district_and_its_city():
    assert unit_ids(TIANHE, "区商务局", "市商务局") == ["inst:天河区:区商务局", "inst:广州市:市商务局"]


def test_a_body_that_names_its_place_inside_is_placed_there():
    (bank,) = unit_ids(CHUZHOU, "人行成都分行")
    assert bank == "inst:成都市:人行成都分行"


def test_one_district_name_in_two_cities_is_two_places():
    from zhize.extract.resolve import default_resolver
    geo = default_resolver().geo
    a, b = geo.issuer_place("北京市朝阳区人民政府", None), geo.issuer_place("长春市朝阳区人民政府", None)
    assert a.name != b.name and a.parent == "北京市" and b.parent == "长春市"


def test_a_provincial_name_with_no_place_said_is_no_provinces_in_particular():
    # a news report with neither issuer nor number: its 省教育厅 is not the registry's Yunnan one
    fact = duty(("news.txt", "某省政府发布一批人事任免", "", ""), "省教育厅")
    res, [fact] = resolved([fact], [])
    assert fact.unit_id == "inst:?:省教育厅"
