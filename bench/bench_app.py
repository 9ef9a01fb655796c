"""How fast the explorer answers on a store of ~100k facts.

    .venv/bin/python bench/bench_app.py [--facts 100000] [--json OUT]

Builds a store of synthetic-but-realistic facts (one province and its 16
prefectures, each issuing dozens of notices a year with bracketed duty
clauses, rosters of 领导小组, leaders' portfolios), through the real
``build_graph`` and ``SQLiteStore``, then drives ``app.py`` with
``streamlit.testing.v1.AppTest``: the first render of a fresh session (caches
cleared) and every interaction a coordinator makes (search, pick a unit, a
person, a group, open the network, filter it, compare).  The same steps are
timed on a small reference store in the same run (the shared corpus when it
is there, else the hand-written test store), so the report gives ratios as
well as seconds, which travel between machines better.

Targets (issue 6): first render < 2 s, each interaction < 1 s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from zhize.extract.entities import Institution, Resolution, SuccessionRecord  # noqa: E402
from zhize.extract.types import (  # noqa: E402
    DocumentFact,
    DutyFact,
    Fact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
    Source,
)

# --- synthetic corpus ----------------------------------------------------------------------

PREFECTURES = ["昆明市", "曲靖市", "玉溪市", "保山市", "昭通市", "丽江市", "普洱市", "临沧市", "楚雄州", "红河州",
               "文山州", "西双版纳州", "大理州", "德宏州", "怒江州", "迪庆州"]
ABBR = {"昆明市": "昆政办发", "曲靖市": "曲政办发", "玉溪市": "玉政办发", "保山市": "保政办发", "昭通市": "昭政办发",
        "丽江市": "丽政办发", "普洱市": "普政办发", "临沧市": "临政办发", "楚雄州": "楚政办发", "红河州": "红政办发",
        "文山州": "文政办发", "西双版纳州": "西政办发", "大理州": "大政办发", "德宏州": "德政办发", "怒江州": "怒政办发",
        "迪庆州": "迪政办发", "云南省": "云政办发"}
# (provincial short name, prefecture short name stem, kind); rough frequency order as in real notices
DEPARTMENTS = [
    ("公安厅", "公安局", "department"), ("财政厅", "财政局", "department"), ("发展改革委", "发展改革委", "department"),
    ("民政厅", "民政局", "department"), ("教育厅", "教育体育局", "department"),
    ("人力资源社会保障厅", "人力资源社会保障局", "department"), ("卫生健康委", "卫生健康委", "department"),
    ("商务厅", "商务局", "department"), ("文化和旅游厅", "文化和旅游局", "department"),
    ("自然资源厅", "自然资源局", "department"), ("生态环境厅", "生态环境局", "department"),
    ("住房城乡建设厅", "住房城乡建设局", "department"), ("交通运输厅", "交通运输局", "department"),
    ("水利厅", "水利局", "department"), ("农业农村厅", "农业农村局", "department"),
    ("市场监管局", "市场监管局", "department"), ("应急厅", "应急管理局", "department"), ("司法厅", "司法局", "department"),
    ("审计厅", "审计局", "department"), ("统计局", "统计局", "department"), ("林草局", "林草局", "department"),
    ("医保局", "医保局", "department"), ("退役军人厅", "退役军人局", "department"),
    ("工业和信息化厅", "工业和信息化局", "department"), ("科技厅", "科技局", "department"),
    ("民族宗教委", "民族宗教委", "department"), ("外办", "外办", "department"), ("体育局", "体育局", "department"),
    ("广电局", "广电局", "department"), ("妇联", "妇联", "mass_org"), ("总工会", "总工会", "mass_org"),
    ("团省委", "团州委", "mass_org"), ("残联", "残联", "mass_org"), ("税务局", "税务局", "central"),
    ("消防救援总队", "消防救援支队", "central"), ("检察院", "检察院", "judicial"), ("法院", "中级法院", "judicial"),
    ("委宣传部", "委宣传部", "party"), ("委网信办", "委网信办", "party"), ("委编办", "委编办", "party"),
    ("地方金融监管局", "金融办", "department"), ("能源局", "能源局", "department"), ("粮食和储备局", "粮食和储备局", "department"),
    ("气象局", "气象局", "central"), ("通信管理局", "通信管理局", "central"), ("邮政管理局", "邮政管理局", "central"),
]
TOPICS = [
    ("反拐", ["开展反拐专项行动", "加强反拐宣传教育", "完善反拐工作机制", "做好被拐妇女儿童救助安置"]),
    ("困境儿童", ["加强困境儿童保障", "建立困境儿童档案", "落实困境儿童基本生活保障"]),
    ("RCEP", ["深化与RCEP成员国经贸合作", "用好RCEP原产地规则", "开展RCEP政策培训"]),
    ("文物", ["加强文物安全监管", "推进文物保护利用", "开展文物安全专项督察"]),
    ("防汛", ["做好防汛抗旱准备", "加强汛期值班值守", "开展山洪地质灾害隐患排查"]),
    ("安全生产", ["开展安全生产大检查", "压实企业安全生产主体责任", "强化危险化学品安全监管"]),
    ("就业", ["稳定和扩大就业", "加强高校毕业生就业服务", "开展农民工职业技能培训"]),
    ("营商环境", ["优化营商环境", "推进政务服务一网通办", "清理规范涉企收费"]),
    ("乡村振兴", ["巩固拓展脱贫攻坚成果", "推进高原特色农业", "改善农村人居环境"]),
    ("生态", ["打好污染防治攻坚战", "推进九大高原湖泊保护治理", "加强森林草原防灭火"]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕建国文斌志宏立新"


def _pref_prefix(jur: str) -> str:
    return "州" if jur.endswith("州") else "市"


def synth_facts(n_facts: int, seed: int = 6) -> tuple[list[Fact], Resolution]:
    """About ``n_facts`` facts shaped like the real notices: ~90% duties, the rest rosters and portfolios."""
    rnd = random.Random(seed)
    insts: dict[str, Institution] = {}
    units: dict[str, list[tuple[str, str]]] = {}          # jurisdiction -> [(printed, id)]
    for jur in ["云南省", *PREFECTURES]:
        rows = []
        for prov, pref, kind in DEPARTMENTS:
            if jur == "云南省":
                printed = prov if prov.startswith("团") else ("省" + prov)
                full = "中共云南省" + prov[1:] if prov.startswith("委") else "云南省" + prov.lstrip("团省")
                level = "province"
            else:
                p = _pref_prefix(jur)
                printed = pref if pref.startswith("团") else p + pref
                full = jur + pref.lstrip("团州")
                level = "prefecture"
            ident = f"inst:{jur}:{printed}"
            insts[ident] = Institution(ident, full, kind, jur, level, {printed, full})
            rows.append((printed, ident))
        units[jur] = rows
    weights = [1 / (i + 1) ** 0.8 for i in range(len(DEPARTMENTS))]
    facts: list[Fact] = []
    pos: dict[str, int] = {}

    def src(file: str, text: str) -> Source:
        s = pos.get(file, 0)
        pos[file] = s + len(text) + 1
        return Source(file, s, s + len(text))

    doc_no = 0
    while len(facts) < n_facts:
        jur = "云南省" if rnd.random() < 0.3 else rnd.choice(PREFECTURES)
        year = rnd.randint(2016, 2023)
        doc_no += 1
        number = f"{ABBR[jur]}〔{year}〕{doc_no % 150 + 1}号"
        file = f"synth_{jur}_{year}.txt"
        topic, tasks = rnd.choice(TOPICS)
        title = f"{jur}人民政府办公{'厅' if jur == '云南省' else '室'}关于做好{topic}工作的实施意见"
        facts.append(DocumentFact(doc=number, source=src(file, title), evidence=title, title=title,
                                  issuer=f"{jur}人民政府办公{'厅' if jur == '云南省' else '室'}",
                                  date=f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"))
        for i in range(rnd.randint(15, 35)):
            task = f"（{i + 1}）{rnd.choice(tasks)}。{rnd.choice(tasks)}，确保第{i + 1}项措施落实到位"
            picked = list(dict.fromkeys(rnd.choices(units[jur], weights=weights, k=rnd.randint(2, 6))))
            lead, rest = picked[0], picked[1:]
            resp = rest[:1] if rnd.random() < 0.3 else []
            supp = rest[len(resp):]
            clause = f"（{lead[0]}牵头" + (f"，{resp[0][0]}负责" if resp else "") + \
                     (f"，{'、'.join(u[0] for u in supp)}配合" if supp else "") + "）"
            evidence = task + "。" + clause
            s = src(file, evidence)
            for role, group in (("lead", [lead]), ("responsible", resp), ("support", supp)):
                for printed, ident in group:
                    facts.append(DutyFact(doc=number, source=s, evidence=evidence, task=task, unit=printed,
                                          role=role, generic=False, form="clause", unit_id=ident))
        if rnd.random() < 0.35:             # a 领导小组 set up by the notice
            group = f"{jur}{topic}工作领导小组"
            people = [(rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)) for _ in range(rnd.randint(8, 20))]
            for k, person in enumerate(people):
                role, text = ("head", "组长") if k == 0 else ("deputy", "副组长") if k < 3 else ("member", "成员")
                host = units[jur][k % len(units[jur])]
                position = "州长" if k == 0 else f"{host[0]}主要负责同志"
                line = f"{text}：{person}　{position}"
                facts.append(MemberFact(doc=number, source=src(file, line), evidence=line, group=group, person=person,
                                        position=position, role_text=text, role=role))
            line = f"领导小组办公室设在{units[jur][0][0]}。"
            s = src(file, line)
            facts.append(GroupUnitFact(doc=number, source=s, evidence=line, group=group, unit=units[jur][0][0],
                                       relation="office_host", unit_id=units[jur][0][1]))
            for printed, ident in rnd.sample(units[jur], 8):
                facts.append(GroupUnitFact(doc=number, source=s, evidence=line, group=group, unit=printed,
                                           relation="member_unit", unit_id=ident))
        if rnd.random() < 0.1:              # a leaders' division of work
            for _ in range(4):
                person = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
                line = f"{person}　副{'省长' if jur == '云南省' else '州长'}：分管"
                s = src(file, line)
                for printed, ident in rnd.sample(units[jur], 5):
                    facts.append(PortfolioFact(doc=number, source=s, evidence=line, person=person,
                                               position="副州长", relation="supervises", object=printed,
                                               object_id=ident))
    old = "inst:云南省:省文化厅"
    insts[old] = Institution(old, "云南省文化厅", "department", "云南省", "province", {"省文化厅"})
    res = Resolution(institutions=insts, successions=[
        SuccessionRecord(old, "inst:云南省:省文化和旅游厅", "2018-11-01", "云南省机构改革方案")])
    return facts, res


def build_big(path: Path, n_facts: int) -> tuple[int, float]:
    from zhize.graph.build import build_graph
    from zhize.graph.sqlite_store import SQLiteStore

    t = time.perf_counter()
    facts, res = synth_facts(n_facts)
    store = SQLiteStore(path)
    store.load(build_graph(facts, [], res))
    store.close()
    return len(facts), time.perf_counter() - t


def build_reference(path: Path) -> str:
    from app_data import CORPUS, handmade_batch, ingest_corpus, write_store

    if CORPUS.is_dir():
        ingest_corpus(path)
        return "shared corpus + samples"
    write_store(path, handmade_batch())
    return "hand-written test store"


# --- the steps a coordinator takes -------------------------------------------------------------

def steps(db: Path, cold: bool = True) -> list[tuple[str, float, float]]:
    """Time each step on the store at ``db`` in a new session.

    ``cold``: caches cleared first, as for the first user after the server
    starts; otherwise a later user, who shares the server's caches.
    Each step gives (name, wall seconds, CPU seconds of this process): the app
    runs in this process, so CPU time is the cost with other load on the
    machine taken out (wall time on a busy 2-core machine can be 3x more).
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from zhize.graph.stores import open_store

    os.environ["ZHIZE_DB"] = str(db)
    os.environ["ZHIZE_APP_GRAPH"] = "on"
    store = open_store(str(db), read_only=True)
    unit = store.find_institutions("公安厅", 1)[0]
    groups = store.find_groups("", 1)
    persons = store.find_persons("", 1)
    store.close()
    if cold:
        st.cache_data.clear()
        st.cache_resource.clear()
    out: list[tuple[str, float, float]] = []

    def timed(name: str, fn: Callable[[], object]) -> AppTest:
        t, c = time.perf_counter(), time.process_time()
        at = fn()
        out.append((name, time.perf_counter() - t, time.process_time() - c))
        assert not at.exception, (name, [e.value for e in at.exception])
        return at

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    timed("first render (谁负责, empty)", at.run)
    timed("search 反拐", lambda: at.text_input(key="q").input("反拐").run())
    timed("view 单位", lambda: at.sidebar.radio(key="view").set_value("unit").run())
    timed("search unit 公安厅", lambda: at.text_input(key="unit_q").input("公安厅").run())
    assert at.subheader[0].value == unit.name, at.subheader
    if persons:
        timed("view 人员 + search", lambda: (at.sidebar.radio(key="view").set_value("person").run(),
                                           at.text_input(key="person_q").input(persons[0].name[:1]).run())[1])
    if groups:
        timed("view 领导小组", lambda: at.sidebar.radio(key="view").set_value("group").run())
    timed("view 网络 (all units)", lambda: at.sidebar.radio(key="view").set_value("network").run())
    timed("network: jurisdiction 云南省", lambda: at.selectbox(key="f-jur").set_value("云南省").run())
    timed("network: lead→support", lambda: at.toggle(key="net-dir").set_value(True).run())
    timed("view 对比", lambda: at.sidebar.radio(key="view").set_value("compare").run())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--json", help="write the measurements here too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhize-bench-") as tmp:
        ref_db, big_db = Path(tmp) / "ref.sqlite", Path(tmp) / "big.sqlite"
        ref_kind = build_reference(ref_db)
        n, build_s = build_big(big_db, args.facts)
        print(f"reference: {ref_kind}; big: {n} synthetic facts built and loaded in {build_s:.1f} s")
        steps(ref_db)                     # once untimed: imports (pyarrow, altair) are not our code
        ref = steps(ref_db)
        big = steps(big_db)
        big_warm = steps(big_db, cold=False)
    rows = []
    print(f"\n{'step':32} {'ref cpu':>8} {'big cpu':>8} {'ratio':>6} {'big wall':>9} {'warm cpu':>9}  target (big, cold)")
    for (name, rw, rc), (_, bw, bc), (_, ww, wc) in zip(ref, big, big_warm):
        target = 2.0 if name.startswith("first") else 1.0
        ok = "ok" if bc < target else "SLOW"
        rows.append({"step": name, "reference_cpu_s": round(rc, 4), "reference_wall_s": round(rw, 4),
                     "big_cpu_s": round(bc, 4), "big_wall_s": round(bw, 4), "big_warm_cpu_s": round(wc, 4),
                     "big_warm_wall_s": round(ww, 4), "ratio_cpu": round(bc / rc, 2) if rc else None,
                     "target_s": target, "ok": bc < target})
        print(f"{name:32} {rc:8.3f} {bc:8.3f} {bc / rc if rc else float('nan'):6.1f} {bw:9.3f} {wc:9.3f}"
              f"  <{target:.0f} s {ok}")
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": n, "reference": ref_kind, "steps": rows},
                                              ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
