"""Two notices of our own, six years apart, in which ownership is unclear in every way insights look for.

云政办发〔2016〕20号 (2016) and 云政办发〔2022〕30号 (2022), each task's units in
brackets as bulletins print them.  What a reader sees, and the findings say:

* 困难群众救助 (2022): 民政厅 and 财政厅 responsible, no lead (有关部门 is no owner);
* 文化旅游融合 (2022): two leads;
* 打击拐卖 is led by 公安厅 in 2016 and by 民政厅 in 2022 (the same text);
  食品安全 moves from 食品药品监管局 to 市场监管局, its reformed successor: not a difference;
* 通信管理局 supports twice and never leads nor is responsible;
* 安全生产大检查 (2022) is still led by 安全监管局, which the 2018 reform made 应急厅.
"""
from __future__ import annotations

import re

from zhize.extract.entities import Institution, Resolution, SuccessionRecord
from zhize.extract.types import DocumentFact, DutyFact, GroupUnitFact, MemberFact, Source
from zhize.graph.build import build_graph

FILE = "notices.txt"
OLD, NEW = "云政办发〔2016〕20号", "云政办发〔2022〕30号"
TEXT = """云南省人民政府办公厅关于做好2016年重点工作的通知
云政办发〔2016〕20号
一、加强食品安全监督管理。（省食品药品监管局牵头，省公安厅配合）
二、开展打击拐卖妇女儿童犯罪专项行动。（省公安厅牵头，省民政厅配合）
三、完善社会救助体系。（省民政厅负责）
云南省人民政府办公厅
2016年5月6日
云南省人民政府办公厅关于做好2022年重点工作的通知
云政办发〔2022〕30号
一、加强食品安全监督管理工作。（省市场监管局牵头，省公安厅配合）
二、开展打击拐卖妇女儿童犯罪专项行动。（省民政厅牵头，省公安厅配合）
三、做好困难群众救助工作。（省民政厅、省财政厅负责，有关部门配合）
四、推进文化旅游融合发展。（省文化和旅游厅、省发展改革委牵头，省通信管理局配合）
五、加强通信网络安全保障。（省工业和信息化厅负责，省通信管理局配合）
六、开展安全生产大检查。（省安全监管局牵头，各州、市人民政府配合）
反对拐卖人口工作省级联席会议由省人民政府分管副省长任总召集人。
副组长：李四　省公安厅厅长
成员单位：省公安厅、省民政厅、省妇联。
云南省人民政府办公厅
2022年4月1日
"""
Y = "inst:云南省:"
UNITS = {  # short name -> (name, kind)
    "省食品药品监管局": ("云南省食品药品监督管理局", "department"),
    "省市场监管局": ("云南省市场监督管理局", "department"),
    "省公安厅": ("云南省公安厅", "department"),
    "省民政厅": ("云南省民政厅", "department"),
    "省财政厅": ("云南省财政厅", "department"),
    "省文化和旅游厅": ("云南省文化和旅游厅", "department"),
    "省发展改革委": ("云南省发展和改革委员会", "department"),
    "省通信管理局": ("云南省通信管理局", "central"),
    "省工业和信息化厅": ("云南省工业和信息化厅", "department"),
    "省安全监管局": ("云南省安全生产监督管理局", "department"),
    "省应急厅": ("云南省应急管理厅", "department"),
    "省妇联": ("云南省妇女联合会", "mass_org"),
    "各州、市人民政府": ("各州、市人民政府", "collective"),
}
SUCCESSIONS = [("省食品药品监管局", "省市场监管局"), ("省安全监管局", "省应急厅")]
ROLE_WORDS = {"牵头": "lead", "负责": "responsible", "配合": "support"}
GROUP = "反对拐卖人口工作省级联席会议"


def uid(short: str) -> str:
    return Y + short


def name(short: str) -> str:
    return UNITS[short][0]


def _src(quote: str, after: str = "") -> Source:
    start = TEXT.index(quote, TEXT.index(after) if after else 0)
    return Source(file=FILE, start=start, end=start + len(quote))


def _duties(doc: str) -> list[DutyFact]:
    head = TEXT.index(doc)
    body = TEXT[head:TEXT.index("云南省人民政府办公厅\n", head)]
    facts = []
    for m in re.finditer(r"^[一二三四五六]、(.+?)（(.+?)）$", body, re.M):
        task, clause = m.group(1), f"（{m.group(2)}）"
        src = _src(clause, doc)
        for part in m.group(2).split("，"):
            word = part[-2:]
            units = [part[:-2]] if part[:-2] == "各州、市人民政府" else part[:-2].split("、")
            for unit in units:
                generic = unit == "有关部门"
                facts.append(DutyFact(doc=doc, source=src, evidence=clause, task=task, unit=unit,
                                      role=ROLE_WORDS[word], generic=generic, form="clause",
                                      unit_id=None if generic else uid(unit)))
    return facts


def _documents() -> list[DocumentFact]:
    out = []
    for doc, date in ((OLD, "2016-05-06"), (NEW, "2022-04-01")):
        at = TEXT.index(doc)
        title = TEXT[:at].rstrip("\n").rsplit("\n", 1)[-1]
        out.append(DocumentFact(doc=doc, source=_src(title), evidence=title, title=title,
                                issuer="云南省人民政府办公厅", date=date))
    return out


def _group_facts() -> list:
    roster = "副组长：李四　省公安厅厅长"
    members = "成员单位：省公安厅、省民政厅、省妇联。"
    facts: list = [MemberFact(doc=NEW, source=_src(roster), evidence=roster, group=GROUP, person="李四",
                              position="省公安厅厅长", role="deputy", role_text="副组长")]
    for unit in ("省公安厅", "省民政厅", "省妇联"):
        facts.append(GroupUnitFact(doc=NEW, source=_src(members), evidence=members, group=GROUP, unit=unit,
                                   relation="member_unit", unit_id=uid(unit)))
    return facts


def resolution() -> Resolution:
    insts = {uid(s): Institution(id=uid(s), name=n, kind=k, jurisdiction="云南省", level="province",
                                 aliases={s}, resolved_by="registry", mentions=0)
             for s, (n, k) in UNITS.items()}
    return Resolution(institutions=insts, successions=[
        SuccessionRecord(predecessor=uid(a), successor=uid(b), date="2018", source="云南省机构改革方案 2018")
        for a, b in SUCCESSIONS])


def batch():
    facts = _duties(OLD) + _duties(NEW) + _group_facts()
    return build_graph(facts, _documents(), resolution())
