"""What the explorer shows, as plain data: tables, counts, evidence HTML, link state.

The Streamlit pages (``zhize.explorer.app``) only lay these out, so everything a user sees
is decided here and tested without Streamlit.  Inputs are the result
dataclasses of ``zhize.graph.model``; outputs are lists of dicts with Chinese column
names (what the page shows and what the CSV downloads contain).
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Optional, Sequence

from zhize import tables
from zhize.graph.analytics import Balance, CentralityRow
from zhize.graph.model import (
    GroupMembership,
    InstitutionInfo,
    PersonInfo,
    PersonProfile,
    PortfolioItem,
    Roster,
    Succession,
    TaskOwners,
    UnitRef,
    UnitTask,
)

Row = dict[str, Any]

ROLES = ("lead", "responsible", "support")
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合"}
ROLE_FROM_ZH = {v: k for k, v in ROLE_ZH.items()}
ROLE_COLOURS = {"lead": "#f4a261", "responsible": "#8ecae6", "support": "#b7e4c7"}

MEMBER_ROLE_ZH = {
    "head": "组长",
    "deputy": "副组长",
    "member": "成员",
    "office_head": "办公室主任",
    "office_deputy": "办公室副主任",
}
MEMBER_ROLE_ORDER = {r: i for i, r in enumerate(MEMBER_ROLE_ZH)}
GROUP_RELATION_ZH = {"member_unit": "成员单位", "office_host": "办公室设在本单位"}
PORTFOLIO_ZH = {
    "in_charge": "负责",
    "supervises": "分管",
    "liaises": "联系",
    "assists": "协助",
    "acting": "代管",
    "partner": "分工协作",
}
ACTION_ZH = {"appoint": "任命", "remove": "免去", "member": "名单所列", "portfolio": "分工所列"}
KIND_ZH = {
    "government": "政府",
    "department": "部门",
    "party": "党委机构",
    "judicial": "司法机关",
    "mass_org": "群团组织",
    "enterprise": "企业",
    "central": "中央驻滇单位",
    "generic": "泛指单位",
    "collective": "集合称谓",
}
LEVEL_ZH = {"province": "省级", "prefecture": "州（市）级", "county": "县级", "central": "中央"}


def year_of(date: Optional[str]) -> Optional[int]:
    """The year of an ISO date, or None when the document carries no date."""
    if date and re.match(r"^\d{4}", date):
        return int(date[:4])
    return None


# --- 谁负责 -------------------------------------------------------------------------------

def owners_rows(results: Sequence[TaskOwners]) -> list[Row]:
    """One row per task, its units by role, the document and the quote without markup: the 分工表 columns
    (``zhize.tables``), as the CLI writes them."""
    return tables.task_rows(results)


plain = tables.plain


def snippet(text: str, words: Sequence[str], around: int = 30) -> str:
    """The stretch of ``text`` around the first word found (folded positions), or "" when none is in it."""
    from zhize.graph.search import fold

    low = fold(text)
    hits = [i for i in (low.find(w) for w in words) if i >= 0] if len(low) == len(text) else []
    if not hits:
        return ""
    start = max(0, min(hits) - around)
    end = min(len(text), min(hits) + around * 2)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight_html(text: str, words: Sequence[str]) -> str:
    """Escaped text with the search's found words (folded, ``TaskOwners.found``) marked."""
    from zhize.graph.search import fold

    spans: list[tuple[int, int]] = []
    if len(fold(text)) == len(text):
        low = fold(text)
        for w in sorted(words, key=len, reverse=True):
            for m in re.finditer(re.escape(w), low):
                if not any(s < m.end() and m.start() < e for s, e in spans):
                    spans.append((m.start(), m.end()))
    out, at = [], 0
    for s_, e in sorted(spans):
        out += [html.escape(text[at:s_]), '<mark class="zz-word">', html.escape(text[s_:e]), "</mark>"]
        at = e
    return "".join(out) + html.escape(text[at:])


def task_title(task: str, limit: int = 80) -> tuple[str, bool]:
    """A task's heading for a result card: its first sentence, or its first ``limit`` characters.

    Returns (title, shortened).  Tasks scoped to a whole section carry the section
    text, hundreds of characters; the card shows the head and keeps the rest a click away.
    """
    head = re.split(r"(?<=[。；;！？])", task, maxsplit=1)[0]
    if len(head) > limit:
        head = head[:limit].rstrip() + "…"
    return head, head != task


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: str) -> str:
    """Document text placed in Markdown stays text (no links, emphasis or headings from it)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def units_by_role(r: TaskOwners) -> list[tuple[str, UnitRef]]:
    """The task's units in the order the page lists them: lead, responsible, support."""
    return [("lead", u) for u in r.lead] + [("responsible", u) for u in r.responsible] + [
        ("support", u) for u in r.support
    ]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    role: str
    unit: str           # canonical name, for the tooltip


def find_marks(quote: str, units: Sequence[tuple[str, UnitRef]]) -> list[Mark]:
    """Where each unit is printed in the quote, longest names first, never overlapping.

    A unit is looked up by its printed mention, then its canonical name; a unit
    printed nowhere in the quote (a shared prefix, ``省发展改革委、财政厅``) is
    simply not marked.
    """
    wanted: list[tuple[str, str, str]] = []           # (text, role, canonical)
    for role, u in units:
        for text in dict.fromkeys((u.mention, u.name)):
            if text:
                wanted.append((text, role, u.name))
    wanted.sort(key=lambda w: -len(w[0]))
    taken = [False] * len(quote)
    marks: list[Mark] = []
    for text, role, canonical in wanted:
        for m in re.finditer(re.escape(text), quote):
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = True
            marks.append(Mark(s, e, role, canonical))
    return sorted(marks, key=lambda m: m.start)


def evidence_html(quote: str, units: Sequence[tuple[str, UnitRef]]) -> str:
    """The source sentence with its units highlighted and labelled by role.

    The same look as displaCy's span style, written out because displaCy's
    manual mode joins tokens with spaces, which reads wrongly in Chinese.
    All text is escaped: quotes come from documents, not from us.
    """
    quote = plain(quote)
    parts: list[str] = []
    pos = 0
    for m in find_marks(quote, units):
        parts.append(html.escape(quote[pos:m.start]))
        colour = ROLE_COLOURS.get(m.role, "#ddd")
        parts.append(
            f'<mark class="zz-unit zz-{m.role}" title="{html.escape(m.unit)}" '
            f'style="background:{colour};padding:0.1em 0.3em;border-radius:0.3em;line-height:2">'
            f"{html.escape(quote[m.start:m.end])}"
            f'<span style="font-size:0.7em;font-weight:bold;margin-left:0.3em">{ROLE_ZH.get(m.role, m.role)}</span>'
            f"</mark>"
        )
        pos = m.end
    parts.append(html.escape(quote[pos:]))
    return '<div class="zz-evidence" style="line-height:2">' + "".join(parts) + "</div>"


# --- 单位 ---------------------------------------------------------------------------------

def institution_label(info: InstitutionInfo) -> str:
    """How a unit is named in pick lists: name, then where, so 州财政局 of two places differ."""
    where = info.jurisdiction or LEVEL_ZH.get(info.level or "", "")
    return f"{info.name}（{where}）" if where and where not in info.name else info.name


def short_name(info: InstitutionInfo) -> str:
    """The shortest unambiguous form, for graph labels: 省公安厅, 红河州公安局 (never a bare 州公安局)."""
    forms = [a for a in (*info.aliases, info.name) if len(a) >= 3 and not a.startswith(("州", "市", "县", "区"))]
    return min(forms, key=lambda a: (len(a), a)) if forms else info.name


def institution_facts(info: InstitutionInfo) -> list[Row]:
    return [
        {"项目": "全称", "内容": info.name},
        {"项目": "类别", "内容": KIND_ZH.get(info.kind, info.kind)},
        {"项目": "辖区", "内容": info.jurisdiction or ""},
        {"项目": "层级", "内容": LEVEL_ZH.get(info.level or "", info.level or "")},
        {"项目": "别名", "内容": "、".join(info.aliases)},
    ]


def role_totals(tasks: Sequence[UnitTask]) -> dict[str, int]:
    """Tasks by role, each task counted once per role even if stated in several clauses."""
    seen: dict[str, set[str]] = {r: set() for r in ROLES}
    for t in tasks:
        seen.setdefault(t.role, set()).add(t.task_id)
    return {r: len(ids) for r, ids in seen.items()}


def unit_task_rows(tasks: Sequence[UnitTask], names: Mapping[str, str] = {}) -> list[Row]:
    """A unit's tasks, lead first, then by date (newest first); inherited ones say from whom."""
    order = {r: i for i, r in enumerate(ROLES)}
    ordered = sorted(tasks, key=lambda t: (order.get(t.role, 9), -(year_of(t.date) or 0), t.date or "", t.doc, t.task))
    return [
        {
            "角色": ROLE_ZH.get(t.role, t.role),
            "任务": t.task,
            "文件": t.doc,
            "日期": t.date or "",
            "继承自": (names.get(t.inherited_from, t.inherited_from) if t.inherited_from else ""),
            "原文": plain(t.evidence.quote) if t.evidence else "",
        }
        for t in ordered
    ]


def role_counts_by_doc(tasks: Sequence[UnitTask]) -> list[Row]:
    """Counts of a unit's tasks per document and year, one column per role."""
    cells: dict[tuple[str, Optional[int]], dict[str, set[str]]] = defaultdict(lambda: {r: set() for r in ROLES})
    for t in tasks:
        cells[(t.doc, year_of(t.date))].setdefault(t.role, set()).add(t.task_id)
    rows = []
    for (doc, year), by_role in sorted(cells.items(), key=lambda kv: (-(kv[0][1] or 0), kv[0][0])):
        counts = {ROLE_ZH[r]: len(by_role[r]) for r in ROLES}
        rows.append({"文件": doc, "年份": year if year is not None else "", **counts, "合计": sum(counts.values())})
    return rows


def role_counts_by_year(tasks: Sequence[UnitTask]) -> list[Row]:
    cells: dict[Optional[int], dict[str, set[str]]] = defaultdict(lambda: {r: set() for r in ROLES})
    for t in tasks:
        cells[year_of(t.date)].setdefault(t.role, set()).add(t.task_id)
    return [
        {"年份": y if y is not None else "未注明", **{ROLE_ZH[r]: len(c[r]) for r in ROLES}}
        for y, c in sorted(cells.items(), key=lambda kv: -(kv[0] or 0))
    ]


def group_rows(memberships: Sequence[GroupMembership]) -> list[Row]:
    return [
        {
            "议事协调机构": m.group,
            "关系": GROUP_RELATION_ZH.get(m.relation, MEMBER_ROLE_ZH.get(m.relation, m.relation)),
            "文件": m.doc,
        }
        for m in memberships
    ]


def supervisor_rows(items: Sequence[tuple[PersonInfo, PortfolioItem]]) -> list[Row]:
    return [
        {"领导": p.name, "分工": PORTFOLIO_ZH.get(i.relation, i.relation), "对象": i.object, "文件": i.doc}
        for p, i in items
    ]


def succession_rows(unit_id: str, successions: Sequence[Succession], names: Mapping[str, str]) -> list[Row]:
    """Predecessors and successors of one unit, as the page lists them."""
    rows = []
    for s in successions:
        if s.successor == unit_id:
            rows.append({"关系": "前身", "单位": names.get(s.predecessor, s.predecessor), "日期": s.date or "",
                         "依据": s.source or "", "_id": s.predecessor})
        elif s.predecessor == unit_id:
            rows.append({"关系": "后继", "单位": names.get(s.successor, s.successor), "日期": s.date or "",
                         "依据": s.source or "", "_id": s.successor})
    return rows


# --- 人员 ---------------------------------------------------------------------------------

def post_rows(profile: PersonProfile) -> list[Row]:
    """Posts over time, oldest first; undated entries last."""
    posts = sorted(profile.posts, key=lambda p: (p.date is None, p.date or "", p.doc))
    return [
        {"日期": p.date or "", "职务": p.position, "事项": ACTION_ZH.get(p.action, p.action), "文件": p.doc}
        for p in posts
    ]


def person_group_rows(profile: PersonProfile) -> list[Row]:
    return [
        {"议事协调机构": g.group, "角色": MEMBER_ROLE_ZH.get(g.relation, g.relation), "文件": g.doc}
        for g in profile.groups
    ]


def portfolio_rows(items: Sequence[PortfolioItem]) -> list[Row]:
    order = {r: i for i, r in enumerate(PORTFOLIO_ZH)}
    return [
        {"分工": PORTFOLIO_ZH.get(i.relation, i.relation), "对象": i.object, "文件": i.doc}
        for i in sorted(items, key=lambda i: (order.get(i.relation, 9),))
    ]


def person_label(p: PersonInfo) -> str:
    return f"{p.name}（{p.jurisdiction}）" if p.jurisdiction else p.name


# --- 领导小组 -------------------------------------------------------------------------------

def roster_rows(roster: Roster) -> list[Row]:
    """Head, deputies, members, office: in that order, print order within each."""
    indexed = list(enumerate(roster.entries))
    indexed.sort(key=lambda ie: (MEMBER_ROLE_ORDER.get(ie[1].role, 9), ie[0]))
    return [
        {
            "角色": MEMBER_ROLE_ZH.get(e.role, e.role),
            "原文称谓": e.role_text,
            "姓名": e.person or "（职务）",
            "职务": e.position or "",
        }
        for _, e in indexed
    ]


def roster_summary(roster: Roster) -> dict[str, int]:
    """What the group page counts: the roles its roster fills (people or posts), and its member units."""
    c = Counter(e.role for e in roster.entries)
    out = {MEMBER_ROLE_ZH[r]: c[r] for r in MEMBER_ROLE_ZH if c.get(r)}
    out["成员单位"] = len(roster.member_units)
    return out


def unit_list_rows(units: Sequence[UnitRef], relation: str) -> list[Row]:
    return [{"单位": u.name, "原文": u.mention, "关系": relation} for u in units]


# --- downloads ----------------------------------------------------------------------------

# --- the network and the balance (numbers from zhize.graph.analytics) ---------------------

def balance_long(rows: Sequence[Balance]) -> list[dict]:
    """One record per (unit, role): the shape a stacked bar chart takes."""
    out = []
    for i, b in enumerate(rows):
        for r in ROLES:
            out.append({"单位": b.name, "角色": ROLE_ZH[r], "任务数": getattr(b, r), "序": i,
                        "牵头占比": round(b.lead_share, 3)})
    return out


def centrality_rows(rows: Sequence[CentralityRow]) -> list[dict]:
    """The table as the page shows and downloads it."""
    return [
        {
            "单位": r.name,
            "合作单位数": r.degree,
            "共同任务数": r.strength,
            "中介中心度": r.betweenness,
            "牵头占比": (round(r.lead_share, 3) if r.lead_share is not None else None),
            "_id": r.unit_id,
        }
        for r in rows
    ]


def to_csv(rows: Sequence[Row], columns: Optional[Sequence[str]] = None) -> bytes:
    """CSV with a BOM so Excel opens Chinese text correctly; private ``_`` columns dropped."""
    return tables.to_csv(rows, columns)


def to_xlsx(rows: Sequence[Row], sheet: str) -> bytes:
    return tables.to_xlsx(rows, sheet=sheet)


def visible(rows: Sequence[Row]) -> list[Row]:
    """Rows as the page shows them: without the private ``_`` columns, an empty cell for no value (a
    column of numbers with a gap shows its numbers as text, so the gap is empty, not "None")."""
    out = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    gaps = {k for r in out for k, v in r.items() if v is None}
    as_text = {k for k in gaps if any(isinstance(r.get(k), (int, float)) for r in out)}
    return [{k: ("" if v is None else str(v) if k in as_text else v) for k, v in r.items()} for r in out]


COUNT_ZH = {"Document": "文件", "Task": "任务", "Institution": "单位", "Person": "人员", "Group": "议事协调机构"}


def counts_caption(counts: Mapping[str, int]) -> str:
    """The sidebar's one line on what the store holds."""
    return "　".join(f"{zh} {counts.get(k, 0)}" for k, zh in COUNT_ZH.items())


def document_label(d: Mapping[str, Any]) -> str:
    """A document in a pick list: its number, title and date."""
    parts = [d.get("doc") or "", d.get("title") if d.get("title") != d.get("doc") else "", d.get("date") or ""]
    return "　".join(p for p in parts if p)


# --- links --------------------------------------------------------------------------------

VIEWS = {
    "owners": "谁负责",
    "document": "分工表",
    "unit": "单位",
    "person": "人员",
    "group": "领导小组",
    "network": "网络",
    "compare": "对比",
    "insights": "职责不清",
}


LINK_TEXT_MAX = 200             # characters of one link value that are read
LINK_UNITS_MAX = 50             # units compared from one link
MINW_MAX = 1000                 # the network's "fewest shared tasks" box goes up to this
YEARS = (1949, 2100)            # a document year a link may name
_ASCII_DIGITS = re.compile(r"[0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LinkState:
    """Everything a view's URL carries, so a coordinator can send a link to exactly this view."""

    view: str = "owners"
    q: str = ""                     # owners search words
    unit: str = ""                  # institution id
    unit_q: str = ""                # unit search text
    person: str = ""
    person_q: str = ""
    group: str = ""
    group_q: str = ""
    jur: str = ""                   # network filters
    doc: str = ""
    year: Optional[int] = None
    roles: tuple[str, ...] = ROLES
    top: int = 60                   # network: units drawn
    minw: int = 1                   # network: fewest shared tasks for an edge to be drawn
    lead_dir: bool = False          # network: lead→support edges only
    units: tuple[str, ...] = field(default_factory=tuple)   # compare: institution ids

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "LinkState":
        """Read a query string leniently: anything a link may carry gives a valid state.

        Unknown views, numbers that are not plain ASCII digits in range (``year=²``,
        ``minw=99999``), unknown roles fall back to defaults; text is cut to
        ``LINK_TEXT_MAX`` characters without control characters.  The values are
        data: the page renders them as plain text (``md_escape``), never as Markdown.
        """

        def one(key: str, limit: int = LINK_TEXT_MAX) -> str:
            v = params.get(key, "")
            if isinstance(v, (list, tuple)):
                v = v[-1] if v else ""
            return _CONTROL.sub("", str(v)).strip()[:limit]

        def number(key: str, low: int, high: int, default: Optional[int]) -> Optional[int]:
            v = one(key, 12)
            return int(v) if _ASCII_DIGITS.fullmatch(v) and low <= int(v) <= high else default

        view = one("view")
        if view not in VIEWS:
            view = {v: k for k, v in VIEWS.items()}.get(view, "owners")
        roles_s = one("role")
        roles = tuple(r for r in ROLES if r in roles_s.split(",")) if roles_s else ROLES
        units_s = one("units", LINK_TEXT_MAX * 10)
        return cls(
            view=view, q=one("q"), unit=one("unit"), unit_q=one("unit_q"), person=one("person"),
            person_q=one("person_q"), group=one("group"), group_q=one("group_q"), jur=one("jur"),
            doc=one("doc"), year=number("year", *YEARS, None), roles=roles or ROLES,
            top=number("top", 1, 10_000, 60), minw=number("minw", 1, MINW_MAX, 1),
            lead_dir=one("dir") == "lead",
            units=tuple(u for u in units_s.split(",") if u)[:LINK_UNITS_MAX] if units_s else (),
        )

    def to_params(self) -> dict[str, str]:
        """Only what this view needs and what differs from the defaults: short, stable links."""
        p: dict[str, str] = {"view": self.view}
        per_view = {
            "owners": ("q",),
            "document": ("doc",),
            "unit": ("unit", "unit_q"),
            "person": ("person", "person_q"),
            "group": ("group", "group_q"),
            "network": ("jur", "doc", "year", "roles", "top", "minw", "lead_dir"),
            "compare": ("jur", "doc", "year", "units"),
            "insights": ("jur", "doc", "year"),
        }.get(self.view, ())
        for key in per_view:
            value = getattr(self, key)
            if key == "roles":
                if tuple(value) != ROLES:
                    p["role"] = ",".join(value)
            elif key == "units":
                if value:
                    p["units"] = ",".join(value)
            elif key in ("top", "minw"):
                if value != getattr(LinkState, key):
                    p[key] = str(value)
            elif key == "lead_dir":
                if value:
                    p["dir"] = "lead"
            elif value not in ("", None):
                p[key] = str(value)
        return p

    def with_(self, **kw: Any) -> "LinkState":
        return replace(self, **kw)


def link_for(state: LinkState, base: str = "") -> str:
    """A shareable URL (or query string, without ``base``) for the view in ``state``."""
    from urllib.parse import urlencode

    return f"{base.split('?')[0]}?{urlencode(state.to_params())}"
