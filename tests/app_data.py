"""Stores for the explorer's tests: a small hand-written one, and the shared corpus.

The hand-written facts are our own sentences in the shape of provincial and
prefecture notices (real unit names, invented wording); they go through the
real ``build_graph`` and the real ``SQLiteStore``, so the app is tested on a
store exactly as ``zhize ingest`` leaves it.
"""
from __future__ import annotations

from pathlib import Path

from zhize.extract.entities import Institution, Resolution, SuccessionRecord
from zhize.extract.types import (
    DocumentFact,
    DutyFact,
    Fact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
    Source,
)
from zhize.graph.build import build_graph
from zhize.graph.model import GraphBatch

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

YN, HH = "云南省", "红河州"


def _inst(short: str, full: str, kind: str, jur: str, level: str, *aliases: str) -> Institution:
    return Institution(id=f"inst:{jur}:{short}", name=full, kind=kind, jurisdiction=jur, level=level,
                       aliases={short, *aliases})


INSTITUTIONS = [
    _inst("省公安厅", "云南省公安厅", "department", YN, "province"),
    _inst("省民政厅", "云南省民政厅", "department", YN, "province"),
    _inst("省妇联", "云南省妇女联合会", "mass_org", YN, "province"),
    _inst("省教育厅", "云南省教育厅", "department", YN, "province"),
    _inst("省文化厅", "云南省文化厅", "department", YN, "province"),
    _inst("省文化和旅游厅", "云南省文化和旅游厅", "department", YN, "province", "省文旅厅"),
    _inst("各州、市人民政府", "各州、市人民政府", "collective", YN, "prefecture"),
    _inst("州商务局", "红河州商务局", "department", HH, "prefecture"),
    _inst("州发展改革委", "红河州发展和改革委员会", "department", HH, "prefecture", "州发改委"),
    _inst("州财政局", "红河州财政局", "department", HH, "prefecture"),
]
IDS = {a: i.id for i in INSTITUTIONS for a in i.aliases}


class _File:
    """Hands out consecutive offsets, as if the evidence lines followed each other in one file."""

    def __init__(self, name: str) -> None:
        self.name, self.pos = name, 0

    def src(self, text: str) -> Source:
        s = Source(self.name, self.pos, self.pos + len(text))
        self.pos += len(text) + 1
        return s


def handmade_facts() -> tuple[list[Fact], Resolution]:
    prov, pref = _File("sample_province.txt"), _File("sample_honghe.txt")
    facts: list[Fact] = []

    def doc(f: _File, number: str, title: str, issuer: str, date: str) -> str:
        facts.append(DocumentFact(doc=number, source=f.src(title), evidence=title, title=title,
                                  issuer=issuer, date=date))
        return number

    def duties(f: _File, number: str, task: str, evidence: str, roles: dict[str, list[str]]) -> None:
        src = f.src(evidence)
        for role, units in roles.items():
            for u in units:
                facts.append(DutyFact(doc=number, source=src, evidence=evidence, task=task, unit=u, role=role,
                                      generic=u.startswith("各"), form="clause", unit_id=IDS[u]))

    d0 = doc(prov, "云政办发〔2017〕8号", "云南省人民政府办公厅关于加强文物安全工作的实施意见",
             "云南省人民政府办公厅", "2017-06-01")
    duties(prov, d0, "加强文物安全监管",
           "（三）加强文物安全监管。建立文物安全巡查制度，落实文物安全责任。（省文化厅牵头，省公安厅配合）",
           {"lead": ["省文化厅"], "support": ["省公安厅"]})
    d1 = doc(prov, "云政办发〔2021〕12号", "云南省人民政府办公厅关于印发云南省反对拐卖人口行动实施计划的通知",
             "云南省人民政府办公厅", "2021-03-05")
    duties(prov, d1, "严厉打击拐卖妇女儿童犯罪",
           "（五）严厉打击拐卖妇女儿童犯罪。持续开展反拐专项行动，依法严惩拐卖犯罪。（省公安厅牵头，省民政厅、省妇联配合）",
           {"lead": ["省公安厅"], "support": ["省民政厅", "省妇联"]})
    duties(prov, d1, "加强困境儿童保障",
           "（六）加强困境儿童保障。做好困境儿童排查和帮扶，防止被拐卖。"
           "（省民政厅牵头，省教育厅、省公安厅配合，各州、市人民政府负责）",
           {"lead": ["省民政厅"], "support": ["省教育厅", "省公安厅"], "responsible": ["各州、市人民政府"]})
    duties(prov, d1, "开展反拐宣传进校园",
           "（七）开展反拐宣传进校园。（省教育厅牵头，省公安厅、省妇联配合）",
           {"lead": ["省教育厅"], "support": ["省公安厅", "省妇联"]})
    d2 = doc(pref, "红政办发〔2022〕36号", "红河州人民政府办公室关于成立红河州加快对接RCEP工作领导小组的通知",
             "红河州人民政府办公室", "2022-05-10")
    duties(pref, d2, "深化与RCEP成员国经贸合作",
           "1.深化与RCEP成员国经贸合作。（牵头单位：州商务局；责任单位：州发展改革委、州财政局）",
           {"lead": ["州商务局"], "responsible": ["州发展改革委", "州财政局"]})
    group = "红河州加快对接RCEP工作领导小组"
    for role, role_text, person, position in [
        ("head", "组长", "张三", "州长"),
        ("deputy", "副组长", "李四", "州政府副州长"),
        ("member", "成员", "王五", "州商务局局长"),
        ("member", "成员", "赵六", "州财政局局长"),
        ("office_head", "办公室主任", "王五", "州商务局局长"),
    ]:
        line = f"{role_text}：{person}　{position}"
        facts.append(MemberFact(doc=d2, source=pref.src(line), evidence=line, group=group, person=person,
                                position=position, role_text=role_text, role=role))
    line = "领导小组办公室设在州商务局，成员单位：州商务局、州财政局、州发展改革委。"
    src = pref.src(line)
    facts.append(GroupUnitFact(doc=d2, source=src, evidence=line, group=group, unit="州商务局",
                               relation="office_host", unit_id=IDS["州商务局"]))
    for u in ("州商务局", "州财政局", "州发展改革委"):
        facts.append(GroupUnitFact(doc=d2, source=src, evidence=line, group=group, unit=u,
                                   relation="member_unit", unit_id=IDS[u]))
    d3 = doc(pref, "红政发〔2022〕5号", "红河州人民政府关于州政府领导工作分工的通知",
             "红河州人民政府", "2022-02-01")
    line = "李四　副州长：负责商务、财政方面工作。分管州商务局、州财政局。"
    src = pref.src(line)
    for rel, obj, oid in [("in_charge", "商务", None), ("in_charge", "财政", None),
                          ("supervises", "州商务局", IDS["州商务局"]), ("supervises", "州财政局", IDS["州财政局"])]:
        facts.append(PortfolioFact(doc=d3, source=src, evidence=line, person="李四", position="副州长",
                                   relation=rel, object=obj, object_id=oid))

    res = Resolution(institutions={i.id: i for i in INSTITUTIONS},
                     successions=[SuccessionRecord(IDS["省文化厅"], IDS["省文化和旅游厅"], "2018-11-01",
                                                   "云南省机构改革方案")])
    return facts, res


def handmade_batch() -> GraphBatch:
    facts, res = handmade_facts()
    return build_graph(facts, [], res)


def ingest_corpus(path: Path) -> Path:
    """``zhize ingest ../shared/corpus/*.txt samples/sample_bulletin.txt`` into a fresh SQLite store at ``path``."""
    from zhize.graph.sqlite_store import SQLiteStore
    from zhize.pipeline import Pipeline, StoreWriter

    store = SQLiteStore(path)
    try:
        report = Pipeline().run([*sorted(CORPUS.glob("*.txt")), SAMPLES / "sample_bulletin.txt"], [StoreWriter(store)])
    finally:
        store.close()
    assert not report.failed, report.failed
    return path


_CORPUS_DB: dict[str, Path] = {}


def corpus_store(tmp_root: Path) -> Path:
    """One corpus store per test session, shared by the AppTest and the browser test."""
    if "db" not in _CORPUS_DB:
        _CORPUS_DB["db"] = ingest_corpus(tmp_root / "graph.sqlite")
    return _CORPUS_DB["db"]


def write_store(path: Path, batch: GraphBatch) -> Path:
    """Load ``batch`` into a fresh SQLite store at ``path`` (the app then opens it read-only)."""
    from zhize.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(path)
    try:
        store.load(batch)
    finally:
        store.close()
    return path
