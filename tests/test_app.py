"""The explorer driven through ``streamlit.testing.v1.AppTest``: what a user sees in each view.

Two real SQLite stores: the shared corpus through extract/resolve/build
(skipped when ../shared is absent), and a small store of our own sentences
that always runs.  Expected answers are read from the same store through the
protocol, so the tests check the page shows what the store says, plus the
domain facts the gold annotations state (反拐 tasks are 省公安厅's to carry
out, 文物 tasks are led by 省文化厅).
"""
from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from zhize.explorer import views as vw
from zhize.graph.sqlite_store import SQLiteStore
from app_data import CORPUS, corpus_store, handmade_batch, write_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("hand") / "graph.sqlite", handmade_batch())


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    return corpus_store(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(autouse=True)
def _env(request, monkeypatch) -> Iterator[None]:
    """Each test says which store it reads; none inherits a Neo4j URI from the shell.

    (The Neo4j test keeps it until its ``neo4j_store`` fixture has read it.)
    """
    if "neo4j_store" not in request.fixturenames:
        monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("ZHIZE_DB", raising=False)
    monkeypatch.delenv("ZHIZE_APP_GRAPH", raising=False)
    yield


def run(db: Path | str, monkeypatch, **params: str) -> AppTest:
    monkeypatch.setenv("ZHIZE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [h.value for h in at.html] + [c.value for c in at.caption])


# --- the shared corpus -----------------------------------------------------------------------

def test_who_owns_anti_trafficking_tasks(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="owners", q="反拐")
    expected = SQLiteStore(corpus_db, read_only=True).owners("反拐", 100)
    assert expected, "the corpus has 反拐 tasks"
    assert at.subheader[0].value == f"找到 {len(expected)} 项任务"
    table = at.dataframe[0].value
    assert list(table["任务"]) == [r.task for r in expected]
    # 省公安厅 carries out the anti-trafficking work (the gold marks it 负责 in that plan)
    assert any("省公安厅" in cell for cell in table["负责单位"])
    text = shown_text(at)
    assert "负责：[省公安厅]" in text or "负责：[云南省公安厅]" in text
    # the evidence is the source sentence with the unit highlighted
    assert any('zz-unit' in h.value and "省公安厅<span" in h.value for h in at.html)
    assert "云南省反对拐卖人口行动计划实施细则" in table["文件标题"][0]


def test_cultural_relics_are_led_by_the_culture_department(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="owners", q="文物")
    leads = "、".join(at.dataframe[0].value["牵头单位"])
    assert "省文化厅" in leads
    assert any("牵头：[" in m.value and "省文化厅" in m.value for m in at.markdown)
    assert any("zz-lead" in h.value and "省文化厅<span" in h.value for h in at.html)


def test_unit_profile_found_by_short_name(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="unit", unit_q="公安厅")
    store = SQLiteStore(corpus_db, read_only=True)
    found = store.find_institutions("公安厅", 30)
    assert at.selectbox[0].value == found[0].id
    info = store.institution(found[0].id)
    assert at.subheader[0].value == info.name
    totals = vw.role_totals(store.unit_tasks(info.id))
    assert [m.value for m in at.metric][:3] == [str(totals[r]) for r in vw.ROLES]
    assert len(at.dataframe[0].value) == len(store.unit_tasks(info.id))
    assert at.query_params["unit"] == [info.id] or at.query_params["unit"] == info.id


def test_network_of_the_province_with_centrality(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="network", jur="云南省")
    assert not at.warning
    central = at.dataframe[0].value
    assert set(central.columns) >= {"单位", "合作单位数", "共同任务数", "中介中心度", "牵头占比"}
    assert "省公安厅" in set(central["单位"][:10]) or "云南省公安厅" in set(central["单位"][:10])
    # the drawing is the Cytoscape component, keyed by what it shows
    assert any((e.key or "").startswith("net-") for e in at.get("component_instance")) or \
        any("net-" in str(getattr(e, "key", "")) for e in at.main.children.values())


def test_network_filters_narrow_to_one_document(corpus_db, monkeypatch):
    store = SQLiteStore(corpus_db, read_only=True)
    doc = store.owners("反拐", 1)[0].doc
    at = run(corpus_db, monkeypatch, view="network", doc=doc, role="lead,responsible")
    whole = run(corpus_db, monkeypatch, view="network")
    assert 0 < len(at.dataframe[0].value) < len(whole.dataframe[0].value)
    assert at.selectbox(key="f-doc").value == doc
    assert at.multiselect(key="f-roles").value == ["lead", "responsible"]


def test_network_can_leave_out_collective_units(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="network", jur="云南省")
    units = set(at.dataframe[0].value["单位"])
    assert any(u.startswith("各") for u in units)              # 各州、市人民政府 and the like
    at.toggle(key="net-collective").set_value(True).run()
    kept = set(at.dataframe[0].value["单位"])
    assert kept and not any(u.startswith("各") for u in kept) and kept < units


def test_compare_lead_and_support(corpus_db, monkeypatch):
    at = run(corpus_db, monkeypatch, view="compare", jur="云南省")
    assert at.get("vega_lite_chart") or any(type(e).__name__ == "UnknownElement" for e in at.main)
    table = at.dataframe[0].value
    assert list(table.columns) == ["单位", "牵头", "负责", "配合", "合计", "牵头占比"]
    assert (table["合计"] == table["牵头"] + table["负责"] + table["配合"]).all()
    assert list(table["合计"]) == sorted(table["合计"], reverse=True)


def test_person_and_group_views_on_the_corpus(corpus_db, monkeypatch):
    store = SQLiteStore(corpus_db, read_only=True)
    groups = store.find_groups("", 5)
    if not groups:
        pytest.skip("no roster in the corpus store yet (roster extraction not loaded)")
    g = groups[0]
    at = run(corpus_db, monkeypatch, view="group", group=g.id)
    assert at.subheader[0].value == g.name
    roster = store.group_roster(g.id)
    assert len(at.dataframe[0].value) == len({(e.role, e.person, e.position) for e in roster.entries}) or \
        len(at.dataframe[0].value) == len(roster.entries)
    named = [e for e in roster.entries if e.person_id]
    if named:
        p = store.person_profile(named[0].person_id)
        at = run(corpus_db, monkeypatch, view="person", person=p.person.id)
        assert at.subheader[0].value == vw.person_label(p.person)
        assert g.name in set(at.dataframe[1].value["议事协调机构"])


# --- our own store: every view, the empty states, the failures ----------------------------------

def test_owners_lists_lead_first_with_highlighted_evidence(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="owners", q="拐卖")
    row = at.dataframe[0].value.iloc[0]
    assert (row["任务"], row["牵头单位"], row["配合单位"]) == \
        ("严厉打击拐卖妇女儿童犯罪", "云南省公安厅", "云南省民政厅、云南省妇女联合会")
    assert at.html[0].value == '<b>严厉打击<mark class="zz-word">拐卖</mark>妇女儿童犯罪</b>'   # the word found
    assert at.markdown[0].value.startswith("牵头：[云南省公安厅](?view=unit&unit=")
    assert "省公安厅<span" in at.html[1].value and "zz-support" in at.html[1].value


def test_owners_empty_states(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch)
    assert "反拐" in at.info[0].value            # the start page suggests what to type
    at.text_input(key="q").input("火星探测").run()
    assert "没有找到与“火星探测”相关的任务" in at.warning[0].value
    assert at.query_params["q"] in ("火星探测", ["火星探测"])


def test_unit_profile_marks_tasks_inherited_from_a_predecessor(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="unit", unit_q="文旅")
    assert at.subheader[0].value == "云南省文化和旅游厅"
    tasks = at.dataframe[0].value
    assert list(tasks["任务"]) == ["加强文物安全监管"]
    assert list(tasks["继承自"]) == ["云南省文化厅"]
    assert at.metric[3].value == "1"
    history = [d.value for d in at.dataframe if "关系" in d.value.columns][0]
    assert list(history["关系"]) == ["前身"] and list(history["单位"]) == ["云南省文化厅"]


def test_unit_profile_groups_and_supervising_leader(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="unit", unit="inst:红河州:州商务局")
    assert at.subheader[0].value == "红河州商务局"
    frames = {tuple(d.value.columns): d.value for d in at.dataframe}
    groups = frames[("议事协调机构", "关系", "文件")]
    assert set(groups["关系"]) == {"成员单位", "办公室设在本单位"}
    sup = frames[("领导", "分工", "对象", "文件")]
    assert list(sup["领导"]) == ["李四"] and list(sup["分工"]) == ["分管"]


def test_person_profile(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="person", person_q="李四")
    assert at.subheader[0].value.startswith("李四")
    posts, groups, portfolio = (d.value for d in at.dataframe)
    assert "州政府副州长" in set(posts["职务"])
    assert list(groups["角色"]) == ["副组长"]
    assert set(zip(portfolio["分工"], portfolio["对象"])) >= {("负责", "商务"), ("分管", "州商务局")}


def test_group_roster(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="group", group_q="RCEP")
    assert at.subheader[0].value == "红河州加快对接RCEP工作领导小组"
    roster = at.dataframe[0].value
    assert list(roster["角色"]) == ["组长", "副组长", "成员", "成员", "办公室主任"]
    assert list(roster["姓名"])[:2] == ["张三", "李四"]
    assert "办公室设在：[红河州商务局]" in shown_text(at)
    assert at.query_params["group"] in ("group:红河州:红河州加快对接RCEP工作领导小组",
                                        ["group:红河州:红河州加快对接RCEP工作领导小组"])


def test_network_and_compare_in_one_prefecture(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="network", jur="红河州")
    assert set(at.dataframe[0].value["单位"]) == {"红河州商务局", "红河州财政局", "红河州发展和改革委员会"}
    at.sidebar.radio(key="view").set_value("compare").run()
    table = at.dataframe[0].value
    commerce = table[table["单位"] == "红河州商务局"].iloc[0]
    assert (commerce["牵头"], commerce["负责"], commerce["牵头占比"]) == (1, 0, 1.0)


def test_graph_component_can_be_switched_off(hand_db, monkeypatch):
    monkeypatch.setenv("ZHIZE_APP_GRAPH", "off")
    at = run(hand_db, monkeypatch, view="network")
    assert any("交互图已关闭" in c.value for c in at.caption)


def test_every_table_downloads_as_csv(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="unit", unit="inst:红河州:州商务局")
    assert len(at.get("download_button")) == 2 * len(at.dataframe)             # CSV and Excel
    at = run(hand_db, monkeypatch, view="owners", q="拐卖")
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"] and len(at.dataframe) == 1


def test_missing_store_says_to_ingest(tmp_path, monkeypatch):
    at = run(tmp_path / "nothing.sqlite", monkeypatch)
    assert "zhize ingest" in at.error[0].value


def test_down_neo4j_says_how_to_start_it(hand_db, monkeypatch):
    with socket.socket() as s:          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    at = run(hand_db, monkeypatch, view="owners", q="拐卖")
    assert "zhize neo4j start" in at.error[0].value


@pytest.mark.neo4j
def test_the_app_shows_the_same_on_neo4j(neo4j_store, hand_db, monkeypatch):
    """Whichever store is configured, the pages are the same: here Neo4j against the SQLite file."""
    neo4j_store.load(handmade_batch())
    uri = neo4j_store.uri
    pages = [{"view": "owners", "q": "拐卖"}, {"view": "unit", "unit_q": "文旅"},
             {"view": "group", "group_q": "RCEP"}, {"view": "network", "jur": "红河州"}]
    for params in pages:
        monkeypatch.delenv("NEO4J_URI", raising=False)
        lite = run(hand_db, monkeypatch, **params)
        monkeypatch.setenv("NEO4J_URI", uri)
        neo = run(hand_db, monkeypatch, **params)
        monkeypatch.delenv("NEO4J_URI")
        assert not neo.error, neo.error[0].value
        assert [d.value.to_dict("records") for d in neo.dataframe] == \
            [d.value.to_dict("records") for d in lite.dataframe], params


@pytest.mark.neo4j
def test_the_app_says_when_a_write_did_not_finish(neo4j_store, monkeypatch):
    neo4j_store.load(handmade_batch())
    neo4j_store.driver.execute_query("CREATE (:ZhizeWrite {id: 'pending', sources: ['x'], batch: ['x'], "
                                     "fresh: false, since: '2026-12-01T10:00'})")
    monkeypatch.setenv("NEO4J_URI", neo4j_store.uri)
    at = run("unused.sqlite", monkeypatch, view="owners", q="拐卖")
    assert any("上一次写入没有完成" in w.value for w in at.warning)
    assert at.dataframe                                   # and it still answers from what is there


def test_network_link_carries_the_drawing_options(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="network", top="5", dir="lead")
    assert at.toggle(key="net-dir").value is True
    # lead→support edges only: their count, and none of the five units left without one is drawn
    (caption,) = [c.value for c in at.caption if "图中显示" in c.value]
    assert "条“牵头→配合”关系" in caption and "图中显示 5 个单位" not in caption
    at.toggle(key="net-dir").set_value(False).run()
    assert "dir" not in at.query_params and at.query_params["top"] in ("5", ["5"])
    assert any("图中显示 5 个单位" in c.value and "条协同关系" in c.value for c in at.caption)


def test_a_new_search_replaces_the_unit_from_the_link(hand_db, monkeypatch):
    at = run(hand_db, monkeypatch, view="unit", unit="inst:红河州:州商务局")
    assert at.subheader[0].value == "红河州商务局"
    at.text_input(key="unit_q").input("民政").run()
    assert at.subheader[0].value == "云南省民政厅"
    assert at.query_params["unit"] in ("inst:云南省:省民政厅", ["inst:云南省:省民政厅"])


# --- links are data: validated, and shown as the characters they carry -------------------------

EVIL = "[点我](https://evil.example/) ![x](https://evil.example/x.png) **粗体** <b>b</b>"


@pytest.mark.parametrize("params", [{"view": "owners", "q": EVIL}, {"view": "unit", "unit_q": EVIL},
                                    {"view": "person", "person_q": EVIL}, {"view": "group", "group_q": EVIL}],
                         ids=["owners", "unit", "person", "group"])
def test_a_crafted_link_shows_its_text_as_text_not_markdown(hand_db, monkeypatch, params):
    at = run(hand_db, monkeypatch, **params)
    (warning,) = at.warning
    assert vw.md_escape(EVIL) in warning.value          # every bracket, bang and star escaped: no link, no image
    assert EVIL not in warning.value


@pytest.mark.parametrize("params", [{"year": "²"}, {"minw": "5000"}], ids=["year=²", "minw=5000"])
def test_a_link_with_values_out_of_range_opens_the_view_with_defaults(hand_db, monkeypatch, params):
    at = run(hand_db, monkeypatch, view="network", **params)     # no exception: `run` asserts it
    assert at.selectbox(key="f-year").value is None
    assert at.number_input(key="net-minw").value == 1


def test_the_technical_details_never_show_a_password(hand_db, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://neo4j:s3cr3t-pw@127.0.0.1:{port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "an0ther-secret")
    at = run(hand_db, monkeypatch, view="owners", q="拐卖")
    assert "zhize neo4j start" in at.error[0].value
    shown = "\n".join(e.value for e in [*at.error, *at.get("text"), *at.markdown, *at.caption])
    assert "127.0.0.1" in shown                                  # the details are still there …
    assert "s3cr3t" not in shown and "an0ther" not in shown      # … without the secrets


# --- 分工表, search as typed, a Chinese page ------------------------------------------------------

def test_the_division_table_lists_every_task_of_a_document_and_downloads_it(hand_db, monkeypatch):
    store = SQLiteStore(hand_db, read_only=True)
    doc = next(d["doc"] for d in store.documents() if store.document_tasks(d["doc"]))
    expected = store.document_tasks(doc)
    at = run(hand_db, monkeypatch, view="document", doc=doc)
    table = at.dataframe[0].value
    assert list(table["任务"]) == [t.task for t in expected]
    assert list(table["序号"]) == list(range(1, len(expected) + 1))
    assert list(table.columns[:5]) == ["序号", "任务", "牵头单位", "负责单位", "配合单位"]
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"]
    assert at.subheader[0].value == f"共 {len(expected)} 项任务"
    assert at.query_params["doc"] in (doc, [doc])
    # another document from the pick list
    other = next(d["doc"] for d in store.documents() if d["doc"] != doc and store.document_tasks(d["doc"]))
    (box,) = [s for s in at.selectbox if s.label.startswith("选择文件")]
    box.set_value(other).run()
    assert list(at.dataframe[0].value["任务"]) == [t.task for t in store.document_tasks(other)]


def test_a_search_typed_with_or_without_spaces_finds_the_same_tasks(corpus_db, monkeypatch):
    joined = run(corpus_db, monkeypatch, view="owners", q="残疾人就业")
    spaced = run(corpus_db, monkeypatch, view="owners", q="残疾人 就业")
    rows = joined.dataframe[0].value
    assert rows.equals(spaced.dataframe[0].value) and len(rows) == 1
    assert (rows.iloc[0]["负责单位"], rows.iloc[0]["牵头单位"]) == ("云南省人力资源和社会保障厅、云南省残疾人联合会", "")
    assert any('<mark class="zz-word">残疾人</mark>' in h.value for h in joined.html)
    anti = run(corpus_db, monkeypatch, view="owners", q="反拐").dataframe[0].value
    assert len(anti) == 52 and set(anti["文件标题"]) == {"云南省人民政府办公厅关于印发云南省反对拐卖人口行动计划实施细则"
                                                      "（2021—2030年）及年度实施方案的通知"}


# Latin words our own page may print: product and format names, and what a user types in a command
LATIN_OK = {"zhize", "CSV", "Excel", "JSON", "Neo4j", "ingest", "neo4j", "start", "NEO4J", "URI", "USER",
            "PASSWORD", "ZHIZE", "APP", "GRAPH", "off", "st", "link", "analysis", "pip", "install", "txt"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]+")


def ui_strings(at: AppTest) -> list[str]:
    """Every string of the page that the explorer writes (not document text in table cells)."""
    out: list[str] = []
    for kind in ("header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "title"):
        out += [re.sub(r"\]\([^)]*\)", "]", e.value) for e in getattr(at, kind)]      # link targets are URLs
    out += [re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<style>.*?</style>", "", h.value)) for h in at.html]
    for kind in ("button", "text_input", "selectbox", "radio", "toggle", "slider", "select_slider",
                 "number_input", "multiselect", "checkbox"):
        for w in getattr(at, kind):
            out.append(w.label)
            out.append(getattr(w, "placeholder", "") or "")
            if kind in ("radio", "selectbox", "multiselect") and w.options:
                out += [str(o) for o in w.options if not str(o).startswith(("inst:", "person:", "group:"))]
    out += [b.label for b in at.get("download_button")]
    out += [t.label for t in at.tabs] + [e.label for e in at.expander] + [m.label for m in at.metric]
    out += [str(c) for d in at.dataframe for c in d.value.columns]
    return out


def latin_words_in(text: str, document_text: str) -> set[str]:
    return {w for w in _LATIN.findall(text) if w not in LATIN_OK and w not in document_text}


def latin_words(at: AppTest, document_text: str) -> set[str]:
    return {w for s in ui_strings(at) for w in latin_words_in(s, document_text)}


@pytest.mark.parametrize("params", [
    {"view": "owners"}, {"view": "owners", "q": "拐卖"}, {"view": "owners", "q": "火星探测"},
    {"view": "document"}, {"view": "unit", "unit": "inst:红河州:州商务局"}, {"view": "unit", "unit_q": "文旅"},
    {"view": "person", "person_q": "张"}, {"view": "group"}, {"view": "network"},
    {"view": "network", "dir": "lead"}, {"view": "compare"},
], ids=lambda p: "-".join(p.values()))
def test_every_view_speaks_chinese(hand_db, monkeypatch, params):
    store = SQLiteStore(hand_db, read_only=True)
    document_text = " ".join(t.task + t.evidence.quote + t.doc_title + t.evidence.file for d in store.documents()
                             for t in store.document_tasks(d["doc"]))
    at = run(hand_db, monkeypatch, **params)
    assert latin_words(at, document_text) == set(), [s for s in ui_strings(at) if latin_words_in(s, document_text)]
    assert not any(s.strip() == "None" for s in ui_strings(at))
    for d in at.dataframe:                         # no "None" cell either
        assert not d.value.isna().any().any() and not (d.value.astype(str) == "None").any().any()
