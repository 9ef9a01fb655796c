"""A small, real-shaped corpus with its facts and resolution, for the store tests.

Two files as a bulletin would print them (sentences written for these tests),
the facts an extractor gives for them, with offsets located in the text so
provenance is checkable, and the resolution that identifies units and people.
"""
from __future__ import annotations

from zhize.extract.entities import Institution, PersonEntity, Resolution, SuccessionRecord
from zhize.extract.types import (
    AppointmentFact,
    DocumentFact,
    DutyFact,
    Fact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
    Source,
)

FILE_A = "gazette_a.txt"
FILE_B = "gazette_b.txt"

TEXT_A = """云南省人民政府办公厅关于加强反拐工作的通知
云政办发〔2021〕50号
各州、市人民政府，省直各委、办、厅、局：
一、打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。（省公安厅牵头，省法院、省检察院配合）
二、加强反拐宣传教育。（省委宣传部、教育厅负责，有关部门配合）
三、做好被解救妇女儿童安置工作。（省民政厅负责，省公安厅、省卫生健康委、省妇联配合）
四、建立反拐工作信息通报制度。（省公安厅负责，省民政厅配合）
反对拐卖人口工作省级联席会议由省人民政府分管副省长任总召集人。
副组长：李四　省公安厅厅长
成　员：省民政厅厅长
成员单位：省公安厅、省民政厅、省妇联。
联席会议办公室设在省公安厅，办公室主任：周九　省公安厅副厅长。
云南省人民政府办公厅
2021年10月20日
云南省人民政府关于推进健康扶贫的意见
云政发〔2016〕10号
一、推进健康扶贫工程。（省卫生计生委牵头，省民政厅配合）
云南省人民政府
2016年5月6日
云南省人民政府任免通知
任命李四为省公安厅厅长；
免去赵六的省民政厅厅长职务，退休。
"""

TEXT_B = """红河州人民政府关于州人民政府领导工作分工的通知
红政发〔2022〕15号
王五　常务副州长
负责审计、财政方面工作。分管州审计局、州财政局。联系州税务局。
钱七　副州长
协助王五同志负责财政工作。
州长
分管州审计局。
分工协作关系：王五—钱七
王五同志外出期间，由钱七同志代管其分管的部门。
红河州人民政府
2022年3月1日
红河州人民政府办公室关于开展财政资金审计的通知
红政办发〔2022〕8号
一、开展财政资金专项审计。（州审计局牵头，州财政局配合）
红河州人民政府办公室
2022年4月1日
"""

TEXTS = {FILE_A: TEXT_A, FILE_B: TEXT_B}

SAFETY = "云政办发〔2021〕50号"
HEALTH = "云政发〔2016〕10号"
APPOINT = "云南省人民政府任免通知"
DIVISION = "红政发〔2022〕15号"
AUDIT = "红政办发〔2022〕8号"
GROUP = "反对拐卖人口工作省级联席会议"


def _src(file: str, quote: str, after: str = "") -> Source:
    text = TEXTS[file]
    start = text.index(quote, text.index(after) if after else 0)
    return Source(file=file, start=start, end=start + len(quote))


def inst(jur: str, short: str) -> str:
    return f"inst:{jur}:{short}"


def person(jur: str, name: str) -> str:
    return f"person:{jur}:{name}"


def resolution() -> Resolution:
    def i(short, name, kind, jur="云南省", level="province"):
        return Institution(id=inst(jur, short), name=name, kind=kind, jurisdiction=jur, level=level,
                           aliases={short}, resolved_by="registry", mentions=0)

    insts = [
        i("省公安厅", "云南省公安厅", "department"),
        i("省法院", "云南省高级人民法院", "judicial"),
        i("省检察院", "云南省人民检察院", "judicial"),
        i("省委宣传部", "中共云南省委宣传部", "party"),
        i("省教育厅", "云南省教育厅", "department"),
        i("省民政厅", "云南省民政厅", "department"),
        i("省妇联", "云南省妇女联合会", "mass_org"),
        i("省卫生健康委", "云南省卫生健康委员会", "department"),
        i("省卫生计生委", "云南省卫生和计划生育委员会", "department"),
        i("有关部门", "有关部门", "generic"),
        i("州审计局", "红河州审计局", "department", "红河州", "prefecture"),
        i("州财政局", "红河州财政局", "department", "红河州", "prefecture"),
    ]
    people = [PersonEntity(id=person(j, n), name=n, jurisdiction=j)
              for j, n in (("云南省", "李四"), ("云南省", "周九"), ("云南省", "赵六"),
                           ("红河州", "王五"), ("红河州", "钱七"))]
    return Resolution(
        institutions={x.id: x for x in insts},
        persons={p.id: p for p in people},
        successions=[SuccessionRecord(predecessor=inst("云南省", "省卫生计生委"),
                                      successor=inst("云南省", "省卫生健康委"),
                                      date="2018-11-01", source="云南省机构改革方案")],
    )


def documents() -> list[DocumentFact]:
    def d(file, doc, title, issuer, date, after=""):
        return DocumentFact(doc=doc, source=_src(file, title, after), evidence=title, title=title,
                            issuer=issuer, date=date)

    return [
        d(FILE_A, SAFETY, "云南省人民政府办公厅关于加强反拐工作的通知", "云南省人民政府办公厅", "2021-10-20"),
        d(FILE_A, HEALTH, "云南省人民政府关于推进健康扶贫的意见", "云南省人民政府", "2016-05-06"),
        d(FILE_A, APPOINT, "云南省人民政府任免通知", "云南省人民政府", None),
        d(FILE_B, DIVISION, "红河州人民政府关于州人民政府领导工作分工的通知", "红河州人民政府", "2022-03-01"),
        d(FILE_B, AUDIT, "红河州人民政府办公室关于开展财政资金审计的通知", "红河州人民政府办公室", "2022-04-01"),
    ]


def _duties(file, doc, task, clause, units, jur):
    """One clause's duty facts: ``units`` = [(printed, role, short or None, generic)]."""
    src = _src(file, clause)
    return [DutyFact(doc=doc, source=src, evidence=clause, task=task, unit=u, role=role, generic=generic,
                     form="clause", unit_id=inst(jur, short) if short else None)
            for u, role, short, generic in units]


def facts() -> list[Fact]:
    y, h = "云南省", "红河州"
    out: list[Fact] = []
    out += _duties(FILE_A, SAFETY, "打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。",
                   "（省公安厅牵头，省法院、省检察院配合）",
                   [("省公安厅", "lead", "省公安厅", False), ("省法院", "support", "省法院", False),
                    ("省检察院", "support", "省检察院", False)], y)
    out += _duties(FILE_A, SAFETY, "加强反拐宣传教育。", "（省委宣传部、教育厅负责，有关部门配合）",
                   [("省委宣传部", "responsible", "省委宣传部", False), ("省教育厅", "responsible", "省教育厅", False),
                    ("有关部门", "support", "有关部门", True)], y)
    out += _duties(FILE_A, SAFETY, "做好被解救妇女儿童安置工作。",
                   "（省民政厅负责，省公安厅、省卫生健康委、省妇联配合）",
                   [("省民政厅", "responsible", "省民政厅", False), ("省公安厅", "support", "省公安厅", False),
                    ("省卫生健康委", "support", "省卫生健康委", False), ("省妇联", "support", "省妇联", False)], y)
    out += _duties(FILE_A, SAFETY, "建立反拐工作信息通报制度。", "（省公安厅负责，省民政厅配合）",
                   [("省公安厅", "responsible", "省公安厅", False), ("省民政厅", "support", "省民政厅", False)], y)
    out += _duties(FILE_A, HEALTH, "推进健康扶贫工程。", "（省卫生计生委牵头，省民政厅配合）",
                   [("省卫生计生委", "lead", "省卫生计生委", False), ("省民政厅", "support", "省民政厅", False)], y)
    out += _duties(FILE_B, AUDIT, "开展财政资金专项审计。", "（州审计局牵头，州财政局配合）",
                   [("州审计局", "lead", "州审计局", False), ("州财政局", "support", "州财政局", False)], h)

    head = "由省人民政府分管副省长任总召集人"
    out.append(MemberFact(doc=SAFETY, source=_src(FILE_A, head), evidence=head, group=GROUP, person=None,
                          position="省人民政府分管副省长", role_text="总召集人", role="head"))
    line = "副组长：李四　省公安厅厅长"
    out.append(MemberFact(doc=SAFETY, source=_src(FILE_A, line), evidence=line, group=GROUP, person="李四",
                          position="省公安厅厅长", role_text="副组长", role="deputy", person_id=person(y, "李四")))
    line = "成　员：省民政厅厅长"
    out.append(MemberFact(doc=SAFETY, source=_src(FILE_A, line), evidence=line, group=GROUP, person=None,
                          position="省民政厅厅长", role_text="成员", role="member"))
    line = "办公室主任：周九　省公安厅副厅长"
    out.append(MemberFact(doc=SAFETY, source=_src(FILE_A, line), evidence=line, group=GROUP, person="周九",
                          position="省公安厅副厅长", role_text="办公室主任", role="office_head",
                          person_id=person(y, "周九")))
    line = "成员单位：省公安厅、省民政厅、省妇联。"
    for u in ("省公安厅", "省民政厅", "省妇联"):
        out.append(GroupUnitFact(doc=SAFETY, source=_src(FILE_A, line), evidence=line, group=GROUP, unit=u,
                                 relation="member_unit", unit_id=inst(y, u)))
    line = "联席会议办公室设在省公安厅"
    out.append(GroupUnitFact(doc=SAFETY, source=_src(FILE_A, line), evidence=line, group=GROUP, unit="省公安厅",
                             relation="office_host", unit_id=inst(y, "省公安厅")))

    def pf(quote, who, position, relation, obj, object_id=None, scope=None, after=""):
        return PortfolioFact(doc=DIVISION, source=_src(FILE_B, quote, after), evidence=quote,
                             person=who, position=position, relation=relation, object=obj, scope=scope,
                             person_id=person(h, who) if who else None, object_id=object_id)

    q = "负责审计、财政方面工作。"
    out += [pf(q, "王五", "常务副州长", "in_charge", "审计"), pf(q, "王五", "常务副州长", "in_charge", "财政")]
    q = "分管州审计局、州财政局。"
    out += [pf(q, "王五", "常务副州长", "supervises", "州审计局", inst(h, "州审计局")),
            pf(q, "王五", "常务副州长", "supervises", "州财政局", inst(h, "州财政局"))]
    out.append(pf("联系州税务局。", "王五", "常务副州长", "liaises", "州税务局"))      # unresolved unit
    out.append(pf("协助王五同志负责财政工作。", "钱七", "副州长", "assists", "财政"))
    out.append(pf("分管州审计局。", None, "州长", "supervises", "州审计局", inst(h, "州审计局"), after="州长\n"))
    out.append(pf("分工协作关系：王五—钱七", "王五", None, "partner", "钱七", person(h, "钱七")))
    q = "王五同志外出期间，由钱七同志代管其分管的部门。"
    out.append(pf(q, "钱七", None, "acting", "王五", person(h, "王五"), scope="supervises"))

    q = "任命李四为省公安厅厅长"
    out.append(AppointmentFact(doc=APPOINT, source=_src(FILE_A, q), evidence=q, person="李四", action="appoint",
                               position="省公安厅厅长", person_id=person(y, "李四")))
    q = "免去赵六的省民政厅厅长职务，退休。"
    out.append(AppointmentFact(doc=APPOINT, source=_src(FILE_A, q), evidence=q, person="赵六", action="remove",
                               position="省民政厅厅长", notes=["退休"], person_id=person(y, "赵六")))
    return out
