"""What the explorer's pages show, decided without Streamlit."""
from __future__ import annotations

import csv
import io

import pytest

from zhize.graph.model import (
    Evidence,
    GroupInfo,
    GroupMembership,
    InstitutionInfo,
    PersonInfo,
    PersonProfile,
    PortfolioItem,
    PostHeld,
    Roster,
    RosterEntry,
    Succession,
    TaskOwners,
    UnitRef,
    UnitTask,
)
from zhize.explorer.views import (
    LinkState,
    evidence_html,
    find_marks,
    institution_label,
    short_name,
    link_for,
    md_escape,
    owners_rows,
    person_group_rows,
    portfolio_rows,
    post_rows,
    role_counts_by_doc,
    role_totals,
    roster_rows,
    succession_rows,
    task_title,
    to_csv,
    unit_task_rows,
    units_by_role,
    year_of,
)

GAT = UnitRef("inst:云南省:省公安厅", "云南省公安厅", "省公安厅")
MZT = UnitRef("inst:云南省:省民政厅", "云南省民政厅", "省民政厅")
FL = UnitRef("inst:云南省:省妇联", "云南省妇女联合会", "省妇联")

QUOTE = "（五）严厉打击拐卖妇女儿童犯罪。开展反拐专项行动。（省公安厅牵头，省民政厅、省妇联配合）"


def anti_trafficking() -> TaskOwners:
    return TaskOwners(
        task_id="task:1",
        task="严厉打击拐卖妇女儿童犯罪",
        doc="云政办发〔2021〕12号",
        doc_title="云南省人民政府办公厅关于印发反拐行动计划的通知",
        date="2021-03-05",
        lead=(GAT,),
        responsible=(),
        support=(MZT, FL),
        evidence=Evidence("云政办发〔2021〕12号", QUOTE, "bulletin.txt", 100, 100 + len(QUOTE)),
    )


def test_owners_row_lists_lead_then_support_with_document_and_source():
    (row,) = owners_rows([anti_trafficking()])
    assert row["牵头单位"] == "云南省公安厅"
    assert row["配合单位"] == "云南省民政厅、云南省妇女联合会"
    assert row["负责单位"] == ""
    assert row["文件"] == "云政办发〔2021〕12号"
    assert row["日期"] == "2021-03-05"
    assert row["来源"] == f"bulletin.txt:100-{100 + len(QUOTE)}"


def test_units_are_marked_where_printed_with_their_role():
    marks = find_marks(QUOTE, units_by_role(anti_trafficking()))
    assert [(QUOTE[m.start:m.end], m.role) for m in marks] == [
        ("省公安厅", "lead"), ("省民政厅", "support"), ("省妇联", "support"),
    ]


def test_longer_name_wins_over_a_name_inside_it():
    inner = UnitRef("inst:云南省:省委", "中共云南省委", "省委")
    outer = UnitRef("inst:云南省:省委宣传部", "中共云南省委宣传部", "省委宣传部")
    q = "省委宣传部牵头，省委办公厅配合"
    marks = find_marks(q, [("support", inner), ("lead", outer)])
    assert [(q[m.start:m.end], m.role) for m in marks] == [("省委宣传部", "lead"), ("省委", "support")]


def test_evidence_html_highlights_units_and_escapes_document_text():
    quote = "开展<script>专项行动（省公安厅牵头）"
    out = evidence_html(quote, [("lead", GAT)])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'class="zz-unit zz-lead"' in out
    assert ">省公安厅<span" in out and "牵头</span></mark>" in out


def test_unit_not_printed_in_quote_is_not_marked():
    quote = "（省发展改革委、财政厅按职责分工负责）"
    cz = UnitRef("inst:云南省:省财政厅", "云南省财政厅", "省财政厅")
    assert find_marks(quote, [("responsible", cz)]) == []


def _task(tid, role, doc, date, inherited=None):
    return UnitTask(tid, f"任务{tid}", role, doc, date, inherited)


def test_role_counts_by_document_and_year_count_distinct_tasks():
    tasks = [
        _task("t1", "lead", "云政办发〔2021〕12号", "2021-03-05"),
        _task("t1", "lead", "云政办发〔2021〕12号", "2021-03-05"),   # same task stated twice
        _task("t2", "support", "云政办发〔2021〕12号", "2021-03-05"),
        _task("t3", "responsible", "云政发〔2019〕3号", "2019-01-10"),
    ]
    assert role_totals(tasks) == {"lead": 1, "responsible": 1, "support": 1}
    assert role_counts_by_doc(tasks) == [
        {"文件": "云政办发〔2021〕12号", "年份": 2021, "牵头": 1, "负责": 0, "配合": 1, "合计": 2},
        {"文件": "云政发〔2019〕3号", "年份": 2019, "牵头": 0, "负责": 1, "配合": 0, "合计": 1},
    ]


def test_inherited_tasks_name_the_predecessor():
    tasks = [_task("t9", "lead", "云政办发〔2017〕8号", "2017-06-01", inherited="inst:云南省:省文化厅"),
             _task("t1", "support", "云政办发〔2021〕12号", "2021-03-05")]
    rows = unit_task_rows(tasks, {"inst:云南省:省文化厅": "云南省文化厅"})
    assert [r["角色"] for r in rows] == ["牵头", "配合"]
    assert rows[0]["继承自"] == "云南省文化厅" and rows[1]["继承自"] == ""


def test_successions_are_split_into_predecessors_and_successors():
    me = "inst:云南省:省文化和旅游厅"
    rows = succession_rows(me, [
        Succession("inst:云南省:省文化厅", me, "2018-11-01", "云南省机构改革方案"),
        Succession("inst:云南省:省旅游发展委", me, "2018-11-01", "云南省机构改革方案"),
    ], {"inst:云南省:省文化厅": "云南省文化厅", "inst:云南省:省旅游发展委": "云南省旅游发展委员会"})
    assert [(r["关系"], r["单位"]) for r in rows] == [("前身", "云南省文化厅"), ("前身", "云南省旅游发展委员会")]


def test_roster_lists_head_deputies_members_then_office():
    g = GroupInfo("group:1", "红河州加快对接RCEP工作领导小组", "红政办发〔2022〕36号")
    roster = Roster(g, (
        RosterEntry("p2", "李四", "州政府副州长", "deputy", "副组长"),
        RosterEntry(None, None, "州商务局局长", "office_head", "办公室主任"),
        RosterEntry("p1", "张三", "州长", "head", "组长"),
        RosterEntry("p3", "王五", "州商务局局长", "member", "成员"),
    ), (), ())
    assert [(r["角色"], r["姓名"]) for r in roster_rows(roster)] == [
        ("组长", "张三"), ("副组长", "李四"), ("成员", "王五"), ("办公室主任", "（职务）"),
    ]


def test_person_posts_run_oldest_first_with_undated_last():
    prof = PersonProfile(
        PersonInfo("p1", "张三", "红河州"),
        posts=(PostHeld("州长", "member", "红政办发〔2022〕36号", "2022-05-01"),
               PostHeld("副州长", "appoint", "任免通知", None),
               PostHeld("常务副州长", "appoint", "红政任〔2019〕2号", "2019-02-01")),
        groups=(GroupMembership("group:1", "红河州加快对接RCEP工作领导小组", "head", "红政办发〔2022〕36号"),),
        portfolio=(PortfolioItem("supervises", "州审计局", "inst:红河州:州审计局", "分工通知"),
                   PortfolioItem("in_charge", "审计", None, "分工通知")),
    )
    assert [r["职务"] for r in post_rows(prof)] == ["常务副州长", "州长", "副州长"]
    assert person_group_rows(prof)[0]["角色"] == "组长"
    assert [r["分工"] for r in portfolio_rows(prof.portfolio)] == ["负责", "分管"]


def test_csv_keeps_chinese_for_excel_and_drops_private_columns():
    data = to_csv([{"单位": "云南省公安厅", "牵头": 3, "_id": "inst:x"}])
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [{"单位": "云南省公安厅", "牵头": "3"}]


def test_links_round_trip_and_carry_only_what_the_view_needs():
    s = LinkState(view="network", jur="红河州", year=2022, roles=("lead", "support"), q="反拐")
    p = s.to_params()
    assert p == {"view": "network", "jur": "红河州", "year": "2022", "role": "lead,support"}
    back = LinkState.from_params(p)
    assert (back.view, back.jur, back.year, back.roles) == ("network", "红河州", 2022, ("lead", "support"))
    assert link_for(LinkState(view="owners", q="反拐"), "http://localhost:8501/?x=1") == \
        "http://localhost:8501/?view=owners&q=%E5%8F%8D%E6%8B%90"


def test_network_drawing_options_travel_in_the_link():
    s = LinkState(view="network", top=30, minw=2, lead_dir=True)
    assert s.to_params() == {"view": "network", "top": "30", "minw": "2", "dir": "lead"}
    assert LinkState.from_params(s.to_params()) == s
    assert LinkState(view="network").to_params() == {"view": "network"}


def test_bad_link_values_fall_back_to_defaults():
    s = LinkState.from_params({"view": "nonsense", "year": "20x2", "role": "boss", "top": "-3"})
    assert (s.view, s.year, s.roles, s.top) == ("owners", None, ("lead", "responsible", "support"), 60)
    assert LinkState.from_params({"view": "单位"}).view == "unit"


def test_labels_tell_same_named_units_apart_by_jurisdiction():
    hh = InstitutionInfo("inst:红河州:州财政局", "红河州财政局", "department", "红河州", "prefecture", ("州财政局",))
    assert institution_label(hh) == "红河州财政局"
    generic = InstitutionInfo("inst:红河州:有关部门", "有关部门", "generic", "红河州", None, ())
    assert institution_label(generic) == "有关部门（红河州）"
    assert year_of("2021-03-05") == 2021 and year_of(None) is None


def test_graph_labels_use_the_short_form_but_keep_the_place_of_a_prefecture_unit():
    gat = InstitutionInfo("inst:云南省:省公安厅", "云南省公安厅", "department", "云南省", "province",
                          ("云南省公安厅", "省公安厅"))
    hh = InstitutionInfo("inst:红河州:州公安局", "红河哈尼族彝族自治州公安局", "department", "红河州", "prefecture",
                         ("州公安局", "红河哈尼族彝族自治州公安局", "红河州公安局"))
    assert (short_name(gat), short_name(hh)) == ("省公安厅", "红河州公安局")


def test_long_section_tasks_get_a_short_title_and_markdown_stays_text():
    section = "（二）总体要求。全面贯彻落实党中央、国务院决策部署，" + "坚持保护为主、抢救第一。" * 20
    assert task_title(section) == ("（二）总体要求。", True)
    assert task_title("加强文物安全监管") == ("加强文物安全监管", False)
    long_sentence = "开展" + "文物安全" * 40
    title, short = task_title(long_sentence, limit=20)
    assert short and title == long_sentence[:20] + "…"
    assert md_escape("网址：www.hh.gov.cn [链接](x) *重点*") == \
        "网址：www\\.hh\\.gov\\.cn \\[链接\\]\\(x\\) \\*重点\\*"


@pytest.mark.parametrize("params", [{"year": "²"}, {"year": "٢٠٢٢"}, {"year": "99999"}, {"year": "2022x"},
                                    {"minw": "5000"}, {"minw": "0"}, {"top": "-3"}, {"top": "１０"},
                                    {"top": "9" * 40}, {"role": "boss"}, {"units": "x," * 500},
                                    {"q": "反拐\x00\x1b[31m"}, {"jur": "红" * 5000}, {"view": "<script>"}],
                         ids=lambda p: f"{next(iter(p))}={str(next(iter(p.values())))[:8]}")
def test_any_link_gives_a_valid_state(params):
    from zhize.explorer import views as vw

    state = vw.LinkState.from_params({"view": "network", **params})
    assert state.view in vw.VIEWS
    assert state.year is None or vw.YEARS[0] <= state.year <= vw.YEARS[1]
    assert 1 <= state.minw <= vw.MINW_MAX and 1 <= state.top <= 10_000
    assert set(state.roles) <= set(vw.ROLES) and state.roles
    assert len(state.units) <= vw.LINK_UNITS_MAX
    assert all(len(getattr(state, k)) <= vw.LINK_TEXT_MAX for k in ("q", "jur", "doc", "unit"))
    assert "\x00" not in state.q and "\x1b" not in state.q
    assert vw.LinkState.from_params(state.to_params()).to_params() == state.to_params()   # a stable link


def test_a_plain_year_and_numbers_in_a_link_still_count():
    from zhize.explorer import views as vw

    state = vw.LinkState.from_params({"view": "network", "year": "2022", "top": "12", "minw": "3"})
    assert (state.year, state.top, state.minw) == (2022, 12, 3)
