"""zhize explorer: who owns what, at a glance, with the evidence.

``zhize app`` (or ``streamlit run app.py`` in a checkout) reads whichever store is configured (the embedded
file at ``.zhize/graph.sqlite`` or ``ZHIZE_DB``; Neo4j when ``NEO4J_URI`` is
set), always read-only, only through the ``GraphStore`` protocol.  This file
only lays pages out: tables, counts and evidence HTML come from
``zhize.explorer.views``, the network numbers from ``zhize.graph.analytics``.

Every view's state lives in the URL (``?view=unit&unit=…``) so a coordinator
can send a link.  Set ``ZHIZE_APP_GRAPH=off`` to leave the interactive
graph component out (the edge and centrality tables stay), e.g. where a
custom component cannot run.  Query results are cached per store for ten
minutes and shared by all sessions; 刷新数据 in the sidebar drops them.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Optional

import streamlit as st

from zhize.explorer import views as vw
from zhize.graph import analytics as an
from zhize.graph.model import GraphStore, NetworkFilter

EXAMPLES = "残疾人就业、反拐、困境儿童、文物保护"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CARDS = 20          # result cards with evidence; the table and its CSV hold every match
INGEST_HINT = "先建立图数据库：`zhize ingest 文件或文件夹…`（例如 `zhize ingest ../shared/corpus`），然后刷新本页。"
NEO4J_HINT = ("无法连接 Neo4j。请运行 `zhize neo4j start` 启动项目自带的服务器，或检查 `NEO4J_URI`、"
              "`NEO4J_USER`、`NEO4J_PASSWORD`；若要使用内置数据库，请取消设置 `NEO4J_URI`。")


# --- the store -----------------------------------------------------------------------------

def store_key() -> str:
    """What identifies the configured store: caches are per store, so switching ZHIZE_DB is safe."""
    return "|".join((os.environ.get("NEO4J_URI", ""), os.environ.get("ZHIZE_DB", ""), os.getcwd()))


def explain(exc: BaseException) -> str:
    """A user-facing sentence for a store failure: what to do, not a traceback."""
    text = f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    if os.environ.get("NEO4J_URI") or "neo4j" in text.lower():
        return NEO4J_HINT
    if isinstance(exc, FileNotFoundError) or "no such" in text.lower() or "not found" in text.lower():
        return "还没有图数据库。" + INGEST_HINT
    return "读取图数据库时出错。" + INGEST_HINT


def technical_details(exc: BaseException) -> None:
    """The error itself, for whoever maintains the store: plain text, with no password in it."""
    from zhize.graph.stores import redact

    with st.expander("技术细节"):
        st.text(redact(f"{type(exc).__name__}: {exc}"))


@st.cache_resource(show_spinner=False)
def _open(key: str) -> GraphStore:
    from zhize.graph.stores import open_store

    return open_store(read_only=True)


def get_store() -> Optional[GraphStore]:
    try:
        return _open(store_key())
    except Exception as exc:  # noqa: BLE001 - any failure becomes advice, never a trace
        _open.clear()
        st.error(explain(exc))
        technical_details(exc)
        return None


# --- cached queries: keyed by store and arguments ----------------------------------------------

@st.cache_data(ttl=600, show_spinner=False)
def q_counts(key: str) -> dict[str, int]:
    return _open(key).counts()


@st.cache_data(ttl=60, show_spinner=False)
def q_incomplete(key: str) -> Optional[str]:
    """An interrupted write the store knows of (Neo4j's writes in parts), or None."""
    return _open(key).incomplete()


@st.cache_data(ttl=600, show_spinner=False)
def q_owners(key: str, words: str, limit: int):
    return _open(key).owners(words, limit=limit)


@st.cache_data(ttl=600, show_spinner=False)
def q_document_tasks(key: str, doc: str):
    return _open(key).document_tasks(doc)


@st.cache_data(ttl=600, show_spinner=False)
def q_find_institutions(key: str, text: str, limit: int = 30):
    return _open(key).find_institutions(text, limit=limit)


@st.cache_data(ttl=600, show_spinner=False)
def q_institutions(key: str, ids: tuple[str, ...]):
    return {i.id: i for i in _open(key).institutions(ids)} if ids else {}


@st.cache_data(ttl=600, show_spinner=False)
def q_unit(key: str, unit_id: str):
    s = _open(key)
    info = s.institution(unit_id)
    if info is None:
        return None
    return {
        "info": info,
        "tasks": s.unit_tasks(unit_id),
        "groups": s.unit_groups(unit_id),
        "supervisors": s.unit_supervisors(unit_id),
        "successions": s.successions(unit_id),
    }


@st.cache_data(ttl=600, show_spinner=False)
def q_find_persons(key: str, text: str):
    return _open(key).find_persons(text, limit=30)


@st.cache_data(ttl=600, show_spinner=False)
def q_person(key: str, person_id: str):
    return _open(key).person_profile(person_id)


@st.cache_data(ttl=600, show_spinner=False)
def q_find_groups(key: str, text: str):
    return _open(key).find_groups(text, limit=50)


@st.cache_data(ttl=600, show_spinner=False)
def q_roster(key: str, group_id: str):
    return _open(key).group_roster(group_id)


@st.cache_data(ttl=600, show_spinner=False)
def q_documents(key: str):
    return _open(key).documents()


@st.cache_resource(ttl=600, show_spinner=False)
def q_network(key: str, jur: str, doc: str, year: Optional[int], roles: tuple[str, ...],
              leave_out: tuple[str, ...] = ()):
    """The filtered network with names and its centrality table, without the units of the kinds
    ``leave_out`` names (collective: 各州、市人民政府 is many bodies, not one).

    Cached whole and shared by every session (betweenness is the cost).  Lead
    share here is read from the edges; the 对比 view counts each unit's own tasks.
    """
    s = _open(key)
    edges = s.co_responsibility(NetworkFilter(jurisdiction=jur or None, doc=doc or None, year=year, roles=roles))
    ids = tuple(sorted({e.a for e in edges} | {e.b for e in edges}))
    infos = q_institutions(key, ids)
    if leave_out:
        kept = {i for i in ids if i in infos and infos[i].kind not in leave_out}
        edges = [e for e in edges if e.a in kept and e.b in kept]
        ids = tuple(sorted({e.a for e in edges} | {e.b for e in edges}))
    g = an.co_graph(edges, {i: infos[i].name if i in infos else i for i in ids})
    for n in g:
        g.nodes[n]["kind"] = infos[n].kind if n in infos else "generic"
        g.nodes[n]["short"] = vw.short_name(infos[n]) if n in infos else n
    return g, an.centrality_table(g)


@st.cache_data(ttl=600, show_spinner=False)
def q_role_counts(key: str, doc: str, year: Optional[int]) -> dict[str, tuple[int, int, int]]:
    """Every unit's distinct tasks by role in the selected documents and years (its own, not inherited),
    in one query rather than one per compared unit."""
    return {u: (lead, resp, supp)
            for u, lead, resp, supp in _open(key).role_counts(NetworkFilter(doc=doc or None, year=year))}


@st.cache_data(ttl=600, show_spinner=False)
def q_jurisdictions(key: str) -> list[str]:
    """Jurisdictions offered by the filters: those of the issuing bodies (units take theirs from them).

    Read from the document list, not the network, so opening a filtered link
    never pays for the whole network first.
    """
    from zhize.graph.semantics import jurisdiction_of

    return sorted({j for j in (jurisdiction_of(d.get("issuer")) for d in q_documents(key)) if j})


# --- layout helpers ----------------------------------------------------------------------------

def table(rows: list[dict], name: str, key: str, empty: str = "没有记录。") -> None:
    """A table with its CSV download; a clear sentence when there is nothing to show."""
    if not rows:
        st.caption(empty)
        return
    st.dataframe(vw.visible(rows), hide_index=True, width="stretch")
    # built on click, on Streamlit's download thread: a 3,000-row table costs nothing until asked for
    c = st.columns([1, 1, 6])
    c[0].download_button("下载 CSV", lambda: vw.to_csv(rows), file_name=f"{name}.csv", mime="text/csv",
                         key=f"dl-{key}", on_click="ignore")
    c[1].download_button("下载 Excel", lambda: vw.to_xlsx(rows, name), file_name=f"{name}.xlsx", mime=XLSX_MIME,
                         key=f"xl-{key}", on_click="ignore")


def unit_link(unit_id: str, name: str) -> str:
    return f"[{vw.md_escape(name)}]({vw.link_for(vw.LinkState(view='unit', unit=unit_id))})"


def text_param(label: str, key: str, value: str, placeholder: str = "") -> str:
    """A text box whose first value comes from the URL."""
    if key not in st.session_state:
        st.session_state[key] = value
    return st.text_input(label, key=key, placeholder=placeholder).strip()


def pick(label: str, options: list[str], labels: dict[str, str], current: str, key: str) -> Optional[str]:
    """A select box over ids, showing names; starts on the id from the URL when it is offered."""
    if not options:
        return None
    index = options.index(current) if current in options else 0
    return st.selectbox(label, options, index=index, format_func=lambda i: labels.get(i, i),
                        key=f"{key}-{hash(tuple(options))}")


# --- views -------------------------------------------------------------------------------------

def view_owners(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("谁负责？")
    words = text_param("任务关键词", "q", state.q, placeholder=f"例如：{EXAMPLES}")
    state = state.with_(q=words)
    if not words:
        st.info(f"输入任务或主题的关键词（可连写，也可用空格分开；简称与全称都能找到），查看牵头、负责和配合"
                f"单位及原文依据。例如：{EXAMPLES}。")
        return state
    limit = st.select_slider("最多显示任务数", options=[20, 50, 100, 200, 500], value=100, key="owners-limit")
    results = q_owners(key, words, limit)
    if not results:
        st.warning(f"没有找到与“{vw.md_escape(words)}”相关的任务：每个词都要在任务、所在章节或文件标题中出现。"
                   "可以少写一个词、换一个说法，或检查是否已导入相关文件。")
        return state
    st.subheader(f"找到 {len(results)} 项任务")
    if len(results) >= limit:
        st.caption(f"只列出最相关的 {limit} 项；调大上面的“最多显示任务数”可看到更多。")
    table(vw.owners_rows(results), f"谁负责-{words}", "owners")
    for r in results[:CARDS]:
        with st.container(border=True):
            title, shortened = vw.task_title(r.task)
            st.html(f"<b>{vw.highlight_html(title, r.found)}</b>")
            if shortened and not vw.snippet(title, r.found) and vw.snippet(r.task, r.found):
                st.html(f"<div style='color:#555'>{vw.highlight_html(vw.snippet(r.task, r.found), r.found)}</div>")
            if shortened:
                with st.expander("任务全文"):
                    st.html(vw.highlight_html(r.task, r.found))
            lines = []
            for role, units in (("lead", r.lead), ("responsible", r.responsible), ("support", r.support)):
                if units:
                    lines.append(f"{vw.ROLE_ZH[role]}：" + "、".join(unit_link(u.id, u.name) for u in units))
            st.markdown("　".join(lines) if lines else "（未列出单位）")
            st.caption(vw.md_escape(f"{r.doc}　{r.doc_title}　{r.date or '日期未注明'}　"
                                    f"{r.evidence.file}:{r.evidence.start}-{r.evidence.end}"))
            st.html(vw.evidence_html(r.evidence.quote, vw.units_by_role(r)))
    st.html("<style>mark.zz-word{background:#ffe066;padding:0 0.1em;border-radius:0.2em}</style>")
    if len(results) > CARDS:
        st.caption(f"以上为前 {CARDS} 项的原文；全部 {len(results)} 项见表格与 CSV。")
    return state


def view_document(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("分工表")
    st.caption("一份文件的全部任务，按原文顺序，列出牵头、负责和配合单位及原文，可下载 CSV 或 Excel。")
    docs = [d for d in q_documents(key) if d.get("doc")]
    if not docs:
        st.warning("图数据库中还没有文件。" + INGEST_HINT)
        return state.with_(doc="")
    options = list(dict.fromkeys(d["doc"] for d in docs))
    labels = {d["doc"]: vw.document_label(d) for d in docs}
    chosen = pick("选择文件（可输入文号或标题中的字搜索）", options, labels, state.doc, "doc-pick")
    state = state.with_(doc=chosen or "")
    tasks = q_document_tasks(key, chosen) if chosen else []
    if not tasks:
        st.info("这份文件没有列出分工的任务。")
        return state
    st.subheader(f"共 {len(tasks)} 项任务")
    table(vw.owners_rows(tasks), f"分工表-{chosen}", "document")
    return state


def view_unit(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("单位")
    text = text_param("搜索单位（全称或任意简称）", "unit_q", state.unit_q, placeholder="例如：省公安厅、州财政局、省人社厅")
    found = q_find_institutions(key, text) if text else []
    chosen = search_and_pick(text, found, vw.institution_label, state.unit,
                             lambda uid: q_institutions(key, (uid,)).get(uid), "单位",
                             f"没有名称或简称包含“{vw.md_escape(text)}”的单位。",
                             "输入单位名称或简称（如“省人社厅”），查看其牵头、负责、配合的任务，所在议事协调机构，"
                             "分管领导和机构沿革。")
    state = state.with_(unit_q=text, unit=chosen or "")
    if not chosen:
        return state
    prof = q_unit(key, chosen)
    if prof is None:
        st.warning("该单位不在当前图数据库中。")
        return state
    info, tasks = prof["info"], prof["tasks"]
    st.subheader(vw.md_escape(info.name))
    totals = vw.role_totals(tasks)
    c = st.columns(4)
    for col, role in zip(c, vw.ROLES):
        col.metric(vw.ROLE_ZH[role], totals.get(role, 0))
    inherited = sum(1 for t in tasks if t.inherited_from)
    c[3].metric("其中继承自前身", inherited)
    preds = {s.predecessor for s in prof["successions"]} | {s.successor for s in prof["successions"]}
    preds |= {t.inherited_from for t in tasks if t.inherited_from}
    names = {i: x.name for i, x in q_institutions(key, tuple(sorted(preds))).items()}
    t1, t2, t3, t4, t5 = st.tabs(["任务", "按文件和年份", "议事协调机构", "分管领导", "沿革与基本信息"])
    with t1:
        table(vw.unit_task_rows(tasks, names), f"{info.name}-任务", "unit-tasks", "该单位没有被分配任务。")
    with t2:
        table(vw.role_counts_by_doc(tasks), f"{info.name}-按文件", "unit-bydoc", "没有任务可统计。")
        table(vw.role_counts_by_year(tasks), f"{info.name}-按年份", "unit-byyear", "没有任务可统计。")
    with t3:
        table(vw.group_rows(prof["groups"]), f"{info.name}-议事协调机构", "unit-groups",
              "没有记录显示该单位是某个领导小组的成员单位或办公室所在单位。")
    with t4:
        table(vw.supervisor_rows(prof["supervisors"]), f"{info.name}-分管领导", "unit-sup",
              "没有领导分工文件提到该单位。")
    with t5:
        rows = vw.succession_rows(chosen, prof["successions"], names)
        table(rows, f"{info.name}-沿革", "unit-succ", "没有机构改革前身或后继记录。")
        for r in rows:
            st.markdown(f"{r['关系']}：{unit_link(r['_id'], r['单位'])}")
        table(vw.institution_facts(info), f"{info.name}-基本信息", "unit-facts")
    return state


def view_person(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("人员")
    text = text_param("搜索姓名", "person_q", state.person_q, placeholder="输入姓名")
    found = q_find_persons(key, text) if text else []
    chosen = search_and_pick(text, found, vw.person_label, state.person,
                             lambda pid: getattr(q_person(key, pid), "person", None), "人员",
                             f"没有姓名包含“{vw.md_escape(text)}”的人员。",
                             "输入姓名，查看其历任职务、在议事协调机构中的角色和工作分工。")
    state = state.with_(person_q=text, person=chosen or "")
    if not chosen:
        return state
    prof = q_person(key, chosen)
    if prof is None:
        st.warning("该人员不在当前图数据库中。")
        return state
    st.subheader(vw.md_escape(vw.person_label(prof.person)))
    st.markdown("**历任职务**")
    table(vw.post_rows(prof), f"{prof.person.name}-职务", "person-posts", "没有职务记录。")
    st.markdown("**议事协调机构中的角色**")
    table(vw.person_group_rows(prof), f"{prof.person.name}-机构角色", "person-groups", "没有担任领导小组职务的记录。")
    st.markdown("**工作分工（负责/分管/联系）**")
    table(vw.portfolio_rows(prof.portfolio), f"{prof.person.name}-分工", "person-portfolio", "没有工作分工记录。")
    units = [i for i in prof.portfolio if i.object_id and i.relation in ("supervises", "liaises")]
    if units:
        st.markdown("分管、联系的单位：" + "、".join(unit_link(i.object_id, i.object) for i in units))
    return state


def search_and_pick(text: str, found: list, label_of: Callable[[Any], str], current: str,
                    lookup: Callable[[str], Any], what: str, none_found: str, start_hint: str) -> Optional[str]:
    """A search box's matches as a pick list (the linked one kept): the id chosen, or None, having
    said why when nothing matches or nothing was typed."""
    options, labels = search_options(found, label_of, current, text, lookup)
    if text and not found:
        st.warning(none_found)
    chosen = pick(f"选择{what}", options, labels, current, f"{what}-pick")
    if not chosen and not text:
        st.info(start_hint)
    return chosen


def search_options(found: list, label_of: Callable[[Any], str], linked: str, text: str,
                   fetch: Callable[[str], Any]) -> tuple[list[str], dict[str, str]]:
    """Ids and labels of what a search found, plus the one a link names while no new search replaces it."""
    options = [x.id for x in found]
    labels = {x.id: label_of(x) for x in found}
    if linked and linked not in options and not text:
        extra = fetch(linked)
        if extra is not None:
            options.insert(0, extra.id)
            labels[extra.id] = label_of(extra)
    return options, labels


def view_group(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("领导小组")
    text = text_param("搜索领导小组、指挥部、联席会议", "group_q", state.group_q, placeholder="例如：RCEP、反拐、防汛")
    found = q_find_groups(key, text)
    options, labels = search_options(found, lambda g: f"{g.name}（{g.doc}）", state.group, text,
                                     lambda gid: getattr(q_roster(key, gid), "group", None))
    if not options:
        st.warning(f"没有名称包含“{vw.md_escape(text)}”的议事协调机构。" if text else "图数据库中还没有领导小组名单。")
        return state.with_(group_q=text, group="")
    chosen = pick("选择机构", options, labels, state.group, "group-pick")
    state = state.with_(group_q=text, group=chosen or "")
    roster = q_roster(key, chosen) if chosen else None
    if roster is None:
        st.warning("没有这个机构的名单。")
        return state
    st.subheader(vw.md_escape(roster.group.name))
    st.caption(f"文件：{vw.md_escape(roster.group.doc)}")
    summary = vw.roster_summary(roster)
    cols = st.columns(len(summary))
    for col, (label, n) in zip(cols, summary.items()):
        col.metric(label, n)
    table(vw.roster_rows(roster), f"{roster.group.name}-名单", "roster", "名单为空。")
    people = list({e.person_id: e.person for e in roster.entries if e.person_id}.items())
    if people:
        st.markdown("人员：" + "、".join(
            f"[{vw.md_escape(name)}]({vw.link_for(vw.LinkState(view='person', person=pid))})"
            for pid, name in people))
    hosts = vw.unit_list_rows(roster.office_hosts, "办公室所在单位")
    members = vw.unit_list_rows(roster.member_units, "成员单位")
    if hosts:
        st.markdown("办公室设在：" + "、".join(unit_link(u.id, u.name) for u in roster.office_hosts))
    table(hosts + members, f"{roster.group.name}-成员单位", "roster-units", "没有列出成员单位。")
    return state


def network_filters(key: str, state: vw.LinkState, with_roles: bool) -> vw.LinkState:
    """Jurisdiction, document, year (and role) filters shared by 网络 and 对比."""
    docs = q_documents(key)
    jurs = [""] + q_jurisdictions(key)
    if state.jur and state.jur not in jurs:
        jurs.append(state.jur)
    doc_opts = [""] + sorted({d["doc"] for d in docs})
    years = [None] + sorted({y for y in (vw.year_of(d.get("date")) for d in docs) if y}, reverse=True)
    c = st.columns(4 if with_roles else 3)
    jur = c[0].selectbox("辖区", jurs, index=jurs.index(state.jur) if state.jur in jurs else 0,
                         format_func=lambda j: j or "全部", key="f-jur")
    doc = c[1].selectbox("文件", doc_opts, index=doc_opts.index(state.doc) if state.doc in doc_opts else 0,
                         format_func=lambda d: d or "全部", key="f-doc")
    year = c[2].selectbox("年份", years, index=years.index(state.year) if state.year in years else 0,
                          format_func=lambda y: "全部" if y is None else str(y), key="f-year")
    roles = state.roles
    if with_roles:
        picked = c[3].multiselect("角色", list(vw.ROLES), default=list(state.roles),
                                  format_func=lambda r: vw.ROLE_ZH[r], key="f-roles")
        roles = tuple(r for r in vw.ROLES if r in picked) or vw.ROLES
    return state.with_(jur=jur, doc=doc, year=year, roles=roles)


def graph_enabled() -> bool:
    return os.environ.get("ZHIZE_APP_GRAPH", "on").lower() not in ("off", "0", "false", "no")


class _Style:
    """A raw Cytoscape style rule, as the network component takes it (``dump()``)."""

    def __init__(self, selector: str, style: dict[str, Any]) -> None:
        self.selector, self.style = selector, style

    def dump(self) -> dict[str, Any]:
        return {"selector": self.selector, "style": self.style}


KIND_COLOURS = {"government": "#e76f51", "department": "#2a9d8f", "party": "#c1121f", "judicial": "#6d597a",
                "mass_org": "#f4a261", "enterprise": "#457b9d", "central": "#264653", "generic": "#adb5bd",
                "collective": "#adb5bd"}


def draw_network(sg, directed: bool) -> Optional[str]:
    """The interactive graph (Cytoscape, ``zhize.explorer.network``); off under tests by ZHIZE_APP_GRAPH.
    Returns the unit a tap just chose, to open its page."""
    if not graph_enabled():
        st.caption("（交互图已关闭：ZHIZE_APP_GRAPH=off）")
        return None
    try:
        from zhize.explorer import network
    except ImportError:
        st.info("交互图需要 st-link-analysis 组件：`pip install st-link-analysis`。下方表格不受影响。")
        return None
    strength = dict(sg.degree(weight="weight"))
    top = max(strength.values(), default=1) or 1
    nodes = [{"data": {"id": n, "label": d.get("kind", "generic"), "name": d.get("short", d.get("name", n)),
                       "size": 12 + 38 * strength[n] / top}} for n, d in sg.nodes(data=True)]
    kind = ("->", "牵头→配合") if directed else ("--", "共同任务")
    edges = [{"data": {"id": f"{a}{kind[0]}{b}", "source": a, "target": b, "label": kind[1], "weight": d["weight"]}}
             for a, b, d in sg.edges(data=True)]
    wmax = max((e["data"]["weight"] for e in edges), default=1)
    styles = [
        _Style("node", {"label": "data(name)", "width": "data(size)", "height": "data(size)", "font-size": 10,
                        "background-color": "#adb5bd"}),
        *[_Style(f"node[label='{k}']", {"background-color": c}) for k, c in KIND_COLOURS.items()],
        _Style("edge", {"width": f"mapData(weight, 1, {max(wmax, 2)}, 1, 8)", "line-color": "#999",
                        "opacity": 0.6, "curve-style": "bezier",
                        **({"target-arrow-shape": "triangle", "target-arrow-color": "#999"} if directed else {})}),
    ]
    order = list(KIND_COLOURS)
    kinds = sorted({d.get("kind", "generic") for _, d in sg.nodes(data=True)},
                   key=lambda k: (order.index(k) if k in order else len(order), k))
    st.html("<div style='font-size:0.85em'>" + "　".join(
        f"<span style='color:{KIND_COLOURS.get(k, '#adb5bd')}'>●</span> {vw.KIND_ZH.get(k, k)}" for k in kinds)
        + "　（圆越大，共同任务越多；点击单位打开它的页面）</div>")
    tap = network.draw({"nodes": nodes, "edges": edges}, [x.dump() for x in styles], 560,
                       key=f"net-{directed}-{sg.number_of_nodes()}-{sg.number_of_edges()}")
    if tap is None or tap == st.session_state.get("net-tap"):
        return None
    st.session_state["net-tap"] = tap
    return tap[0]


def view_network(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("协同网络")
    st.caption("两个单位共同承担同一任务即相连；线越粗，共同任务越多。")
    state = network_filters(key, state, with_roles=True)
    one_body = st.toggle("不计集合称谓（如“各州、市人民政府”）", value=False, key="net-collective",
                         help="集合称谓指多个单位的统称，不是一个单位；去掉后中心度只在具体单位之间计算。")
    g, rows = q_network(key, state.jur, state.doc, state.year, state.roles, ("collective",) if one_body else ())
    if g.number_of_nodes() == 0:
        st.warning("在所选条件下没有单位共同承担任务。请放宽辖区、文件、年份或角色条件。")
        return state
    c = st.columns(3)
    n_nodes = g.number_of_nodes()
    if n_nodes > 5:
        hi = max(5, min(300, n_nodes))
        n_show = c[0].slider("显示单位数（按共同任务数排序）", 5, hi, min(max(state.top, 5), hi), key="net-n")
    else:
        n_show = n_nodes
    min_w = c[1].number_input("最少共同任务数", 1, vw.MINW_MAX, state.minw, key="net-minw")
    directed = c[2].toggle("只看“牵头→配合”方向", value=state.lead_dir, key="net-dir")
    state = state.with_(top=int(n_show) if n_nodes > 5 else state.top, minw=int(min_w), lead_dir=bool(directed))
    sg = an.drawn(g, an.top_nodes(g, int(n_show)), int(min_w), directed)
    whole = an.lead_graph(g) if directed else g
    what = "条“牵头→配合”关系" if directed else "条协同关系"
    st.caption(f"共 {whole.number_of_nodes() - len(an.isolated(whole))} 个单位、{whole.number_of_edges()} {what}；"
               f"图中显示 {sg.number_of_nodes()} 个单位、{sg.number_of_edges()} 条。")
    opened = draw_network(sg, directed)
    if opened:
        st.session_state["navigate"] = vw.LinkState(view="unit", unit=opened).to_params()
        st.rerun()
    st.subheader("中心度")
    st.caption("合作单位数 = 度；中介中心度：处在其他单位之间最短协同路径上的程度；"
               "牵头占比：在“一方牵头、一方配合”的共同任务中由本单位牵头的比例；"
               "按单位自身任务统计的牵头占比见“对比”视图。")
    table(vw.centrality_rows(rows), "协同网络-中心度", "centrality")
    edge_rows = [{"单位甲": g.nodes[a]["name"], "单位乙": g.nodes[b]["name"], "共同任务数": d["weight"],
                  "甲牵头乙配合": an.leads(d, a), "乙牵头甲配合": an.leads(d, b)}
                 for a, b, d in sorted(an.subgraph(g, sg.nodes, int(min_w)).edges(data=True),
                                       key=lambda e: -e[2]["weight"])]
    with st.expander("图中的协同关系"):
        table(edge_rows, "协同网络-关系", "edges")
    return state


def view_compare(key: str, state: vw.LinkState) -> vw.LinkState:
    st.header("牵头与配合对比")
    state = network_filters(key, state, with_roles=False)
    g, rows = q_network(key, state.jur, state.doc, state.year, vw.ROLES)
    candidates = [r.unit_id for r in rows]
    labels = {r.unit_id: r.name for r in rows}
    extra = [u for u in state.units if u not in labels]
    if extra:
        for i, info in q_institutions(key, tuple(extra)).items():
            candidates.append(i)
            labels[i] = info.name
    if not candidates:
        st.warning("在所选条件下没有可比较的单位。请放宽条件，或先导入文件。")
        return state
    default = [u for u in state.units if u in labels] or candidates[:15]
    chosen = st.multiselect("比较的单位（默认：协同最多的 15 个）", candidates, default=default,
                            format_func=lambda u: labels.get(u, u), key="cmp-units")
    sort = st.radio("排序", ["total", "lead_share"], horizontal=True,
                    format_func=lambda s: {"total": "按任务总数", "lead_share": "按牵头占比"}[s], key="cmp-sort")
    state = state.with_(units=tuple(chosen) if chosen != candidates[:15] else ())
    if not chosen:
        st.info("选择至少一个单位。")
        return state
    counts = q_role_counts(key, state.doc, state.year)
    bal = an.balance_table([an.Balance(u, labels[u], *counts.get(u, (0, 0, 0))) for u in chosen], sort=sort)
    import altair as alt

    long = vw.balance_long(bal)
    chart = (
        alt.Chart(alt.Data(values=long))
        .mark_bar()
        .encode(
            y=alt.Y("单位:N", sort=[b.name for b in bal], title=None),
            x=alt.X("任务数:Q", stack="zero"),
            color=alt.Color("角色:N", scale=alt.Scale(domain=["牵头", "负责", "配合"],
                                                      range=[vw.ROLE_COLOURS[r] for r in vw.ROLES])),
            tooltip=["单位:N", "角色:N", "任务数:Q", "牵头占比:Q"],
        )
        .properties(height=max(200, 28 * len(bal)))
    )
    st.altair_chart(chart, width="stretch")
    table([{"单位": b.name, "牵头": b.lead, "负责": b.responsible, "配合": b.support, "合计": b.total,
            "牵头占比": round(b.lead_share, 3)} for b in bal], "牵头配合对比", "compare")
    return state


@st.cache_data(ttl=600, show_spinner=False)
def q_insights(key: str, jur: str, doc: str, year: Optional[int]):
    return _open(key).insights(jurisdiction=jur or None, doc=doc or None, years=year)


def view_insights(key: str, state: vw.LinkState) -> vw.LinkState:
    from zhize.explorer import insights_page

    st.header("职责不清")
    st.caption("哪些任务的牵头、负责单位不清楚，每项附原文。泛指单位（有关部门）和集合称谓（各州、市人民政府）不算责任单位。")
    state = network_filters(key, state, with_roles=False)
    insights_page.render(q_insights(key, state.jur, state.doc, state.year), table)
    return state


VIEW_FUNCS: dict[str, Callable[[str, vw.LinkState], vw.LinkState]] = {
    "owners": view_owners, "document": view_document, "unit": view_unit, "person": view_person,
    "group": view_group, "network": view_network, "compare": view_compare, "insights": view_insights,
}


def main() -> None:
    st.set_page_config(page_title="职责图谱 · zhize", page_icon="🗂️", layout="wide")
    navigate = st.session_state.pop("navigate", None)        # a click that opens another view
    state = vw.LinkState.from_params(navigate if navigate is not None else st.query_params.to_dict())
    if navigate is not None:
        st.session_state["view"] = state.view
    with st.sidebar:
        st.title("职责图谱")
        st.caption("谁牵头、谁负责、谁配合：政府文件中的职责分工。")
        views = list(vw.VIEWS)
        if "view" not in st.session_state:
            st.session_state["view"] = state.view
        view = st.radio("视图", views, format_func=lambda v: vw.VIEWS[v], key="view")
    state = state.with_(view=view)
    store = get_store()
    if store is None:
        return
    key = store_key()
    try:
        counts = q_counts(key)
        unfinished = q_incomplete(key)
        if unfinished:
            st.warning("图数据库的上一次写入没有完成，部分文件的内容可能缺失：请重新运行那次 `zhize ingest`。"
                       f"（{vw.md_escape(unfinished)}）")
        if not any(v for k, v in counts.items() if k in ("Task", "Institution", "Document")):
            st.warning("图数据库是空的。" + INGEST_HINT)
            return
        state = VIEW_FUNCS[view](key, state)
    except Exception as exc:  # noqa: BLE001 - a down Neo4j mid-session: advice, not a trace
        st.error(explain(exc))
        technical_details(exc)
        return
    st.query_params.from_dict(state.to_params())
    with st.sidebar:
        st.divider()
        st.caption("本页链接（可发送给同事）")
        st.code(vw.link_for(state, getattr(st.context, "url", "") or ""), language=None)
        st.caption(vw.counts_caption(counts))
        if st.button("刷新数据"):
            st.cache_data.clear()
            st.cache_resource.clear()
            st.rerun()
