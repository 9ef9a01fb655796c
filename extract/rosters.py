"""Rosters of 领导小组 / 指挥部 / 联席会议 / 委员会 become member and group_unit facts.

A roster is printed in two shapes:

* labelled rows: ``组　长：罗　萍　州长`` and the rows under a label (also when the label
  stands on a line of its own), the name and post in any layout ``extract/people.py``
  reads, sub-headings (``（一）部门委员``) inside the list;
* sentences: ``指挥长由州人民政府分管副州长担任``, ``由县委书记任组长``, ``副组长为A、B``,
  ``成员由A、B等部门负责同志组成``, ``A、B主要领导为领导小组成员``, ``由X兼任办公室主任``,
  ``成立了副市长X为组长的…领导小组``, ``办公室设在X``, ``成员单位：…``.

The group is named in full where it is set up (before ``以下简称``), in a heading, in the
title, or as the subject of a roster sentence; facts always carry the full name.
Members named only by their post (``各成员单位分管负责同志``) are seats with ``person`` null,
one a post; a class of people with no post of its own (``有关部门负责同志为成员``) is
reported, not made a member.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from zhize.extract import lexicon as lx
from zhize.extract.base import Extraction
from zhize.extract.lexicon import HAN as _HAN, compact, load_data, spaced
from zhize.extract.people import ends_as_post, looks_like_name, parse_people
from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo, GroupUnitFact, MemberFact
from zhize.extract.units import is_name, split_units

# ---------------------------------------------------------------------------
# vocabulary


@dataclass(frozen=True)
class Words:
    roles: dict[str, str]
    office_roles: dict[str, str]
    label: re.Pattern            # a role label followed by ：
    role_word: str               # regex alternation of role words (no spaces)
    group_type: re.Pattern       # a name ending in a group word
    group_types: str             # their alternation
    setup_verbs: tuple[str, ...]
    name_openers: re.Pattern     # words a sentence puts before a group's name (现对…)
    generic_prefixes: tuple[str, ...]
    generic_contains: tuple[str, ...]
    seats: str                   # alternation of the posts a unit's seat is named by (主要负责同志…)
    mentions: re.Pattern         # anything a roster sentence needs: a role word, 办公室, 成员单位, a group word


@lru_cache(maxsize=1)
def words() -> Words:
    d = load_data("roster_roles.yaml")
    roles = dict(d["roles"])
    ordered = sorted(roles, key=len, reverse=True)
    label = re.compile(
        r"(?:^|(?<=[\s；;。，,]))(?P<label>" + "|".join(spaced(w) for w in ordered) + r")\s*[：:]")
    groups = lx.alternation(d["group_types"])
    return Words(
        roles=roles,
        office_roles=dict(d["office_roles"]),
        label=label,
        role_word="|".join(map(re.escape, ordered)),
        group_type=re.compile(f"(?:{groups})$"),
        group_types=groups,
        setup_verbs=tuple(sorted(d["setup_verbs"], key=len, reverse=True)),
        name_openers=re.compile("^(?:" + lx.alternation(d["name_openers"]) + ")"),
        generic_prefixes=tuple(d["generic_people"]["prefixes"]),
        generic_contains=tuple(d["generic_people"]["contains"]),
        seats=lx.alternation(d["seat_posts"]),
        mentions=re.compile("|".join(spaced(w) for w in ordered) + f"|办公室|成员单位|{groups}"),
    )


def is_generic_people(s: str) -> bool:
    w = words()
    return s.startswith(w.generic_prefixes) or any(c in s for c in w.generic_contains)


# ---------------------------------------------------------------------------
# groups


@dataclass
class Group:
    name: str
    shorts: list[str] = field(default_factory=list)
    at: int = 0                     # view offset where it is set up


_SHORT = re.compile(r"（\s*以下简称\s*[“\"]?(?P<short>[^）”\"，]{1,20}?)[”\"]?\s*）")
_NAME_STOP = re.compile(r"[，。；：、！？（）《》\n]")


def _clean_name(cand: str) -> Optional[str]:
    """A group's name as printed, without the words a sentence put before it."""
    w = words()
    cut = -1
    for verb in w.setup_verbs:
        i = cand.rfind(verb)
        if i >= 0 and i + len(verb) > cut:
            cut = i + len(verb)
    if cut > 0:
        cand = cand[cut:]
    cand = re.sub(r"^(?:\d+(?:\.\d+)*|[一二三四五六七八九十]+、)", "", cand)
    cand = re.sub(r"^(?:了|后的|以后的|之后的|的)", "", cand)          # 调整后的XX指挥部, 调整充实了…
    cand = re.sub(r"^.{0,20}?(?:为|任)(?:组长|指挥长|总指挥|主任|召集人)的", "", cand)   # …李朝晖为组长的…
    cand = w.name_openers.sub("", cand)
    if len(cand) < 4 or not w.group_type.search(cand):
        return None
    return cand


def _name_before(before: str) -> Optional[str]:
    """The full group name printed right before ``（以下简称…）``."""
    stops = list(_NAME_STOP.finditer(before))
    cand = before[stops[-1].end():] if stops else before
    return _clean_name(compact(cand))


_TITLE_GROUP = re.compile(r"(?:成立|调整|充实|调整充实|充实调整|组建|设立|建立)(?P<name>.+?)(?:组成人员|成员|人员|制度)?(?:的通知|的决定|的函|的复函|的批复)")


def find_groups(t: str, doc: DocumentInfo, title: Optional[str] = None) -> list[Group]:
    """Groups of a document: set up with a short name, set up in a sentence, named in a heading,
    the subject of a roster sentence, or in the title."""
    w = words()
    groups: list[Group] = []

    def add(name: Optional[str], at: int, short: Optional[str] = None) -> None:
        if not name or name.startswith(("本级", "相应", "各级", "相关", "有关", "本", "各")):
            return
        for g in groups:
            if g.name == name or g.name.endswith(name) or name.endswith(g.name):
                # 平原县委对台湾工作领导小组 … 县委对台湾工作领导小组: the same group, once in full
                if len(name) > len(g.name):
                    g.shorts.append(g.name)
                    g.name = name
                elif name != g.name and name not in g.shorts:
                    g.shorts.append(name)
                if short and short not in g.shorts:
                    g.shorts.append(short)
                return
        groups.append(Group(name=name, shorts=[short] if short else [], at=at))

    body = t[doc.start:doc.end]
    for m in _SHORT.finditer(body):
        ls = body.rfind("\n", 0, m.start()) + 1
        short = compact(m.group("short"))
        if short.startswith(("《", "“")) or len(short) > 12:
            continue
        add(_name_before(body[ls:m.start()]), doc.start + m.start(), short)
    types = w.group_types
    # 同时成立红河州旅游安全应急指挥部，指挥长由… / 调整充实了对台湾工作领导小组
    for m in re.finditer(rf"(?:成立|组建|设立|调整充实|充实调整|调整)了?(?P<name>[^，。；：、\s（“”\n]{{2,60}}?(?:{types}))(?=[，。；：（\s]|$)", body):
        add(_clean_name(m.group("name")), doc.start + m.start())
    # 某某市XX工作领导小组成员名单 / 2.1 国家粮食应急工作指挥部 as a heading
    for m in re.finditer(rf"(?m)^[ \t]*(?:[\d.]+\s*|[一二三四五六七八九十]+、\s*)?(?P<name>[^，。；：、\s（\n]{{2,40}}?(?:{types}))(?:组成人员|成员|人员)?(?:名单)?[ \t]*$", body):
        add(_clean_name(m.group("name")), doc.start + m.start())
    # 平原县委对台湾工作领导小组由县委书记任组长: the subject of a roster sentence
    for m in re.finditer(rf"(?m)(?:^|(?<=[。；]))(?P<name>[^，。；：、\s（\n]{{4,40}}?(?:{types}))(?=由|成员由|的组成|组成如下|下设)", body):
        add(_clean_name(m.group("name")), doc.start + m.start())
    groups.sort(key=lambda g: g.at)
    title = compact(title if title is not None else doc.title or "")
    m = _TITLE_GROUP.search(title)
    if m and w.group_type.search(m.group("name")):
        name = _clean_name(m.group("name")) or m.group("name")
        if not any(g.name == name for g in groups):
            groups.insert(0, Group(name=name, shorts=[], at=doc.start))
    return groups


def group_at(groups: list[Group], line: str, pos: int) -> Optional[Group]:
    """The group a line speaks of: the one it names, else the last one set up before it."""
    best, best_i = None, None
    flat = compact(line)
    for g in groups:
        for n in [g.name, *g.shorts]:
            i = flat.find(n)
            if i >= 0 and (best_i is None or i < best_i):
                best, best_i = g, i
    if best is not None:
        return best
    before = [g for g in groups if g.at <= pos]
    if before:
        return before[-1]
    return groups[0] if groups else None


# ---------------------------------------------------------------------------
# seats and people


@dataclass
class Entry:
    person: Optional[str]
    position: Optional[str]
    start: int                      # offsets into the row text
    end: int


def parse_entries(seg: str) -> list[Entry]:
    """People (and bare posts) in the text after a role label or on a roster row."""
    return [Entry(p.name, p.post, p.start, p.end) for p in parse_people(seg)]


def shared_suffix_posts(seg: str) -> list[Entry]:
    """``市发展改革委、市财政局主要负责同志``, ``教育部、住房城乡建设部等部门负责同志``: each unit's seat."""
    w = words()
    flat = compact(seg).rstrip("；;。")
    m = re.match(rf"^(?P<units>.+?)(?:(?:等|\d+个|[一二三四五六七八九十]+个)(?:[\u4e00-\u9fa5]{{0,6}}(?:部门|单位))?)?(?:的)?(?P<post>{w.seats})$", flat)
    if not m:
        return []
    units = [u.name for u in split_units(m.group("units"))]
    if not units or not all(re.search(r"[局委厅办部院会室站所行队府处社团联心司署]$", u) and "的" not in u
                            and is_name(u) and not ends_as_post(u) for u in units):
        return []
    lead = len(seg) - len(seg.lstrip())
    return [Entry(None, u + m.group("post"), lead, len(seg.rstrip())) for u in units]


def split_top(s: str) -> list[str]:
    """Split on 、 outside brackets."""
    out, depth, cur = [], 0, []
    for ch in s:
        depth += 1 if ch == "（" else 0
        depth -= 1 if ch == "）" and depth > 0 else 0
        if ch == "、" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [x for x in out if x]


_MERGED = re.compile(r"^(?P<a>.{2,}?(?:长|主任|书记|政委))(?P<b>[州省市县区][^、]{2,})$")


def split_merged(position: str) -> list[str]:
    """Two rows merged by extraction: 州商务局局长州文化和旅游局局长 -> two posts."""
    if "、" in position:
        return [position]
    m = _MERGED.match(position)
    if m and ends_as_post(m.group("b")) and len(m.group("b")) >= 4:
        return [m.group("a"), *split_merged(m.group("b"))]
    return [position]


def _role_of(word: str, office: bool) -> str:
    w = words()
    word = compact(word)
    if office and word in w.office_roles:
        return w.office_roles[word]
    return w.roles[word]


def split_and(x: str) -> list[str]:
    """``省政府副秘书长和省公安厅分管领导``: 和/及 split only after a post (not 文化和旅游, 团县委和县台办)."""
    out, start = [], 0
    for m in re.finditer(r"以及|和|及", x):
        if ends_as_post(x[start:m.start()]):
            out.append(x[start:m.start()])
            start = m.end()
    out.append(x[start:])
    return [p for p in out if p]


def split_people(x: str) -> list[str]:
    """``A、B和C`` as printed in 由…担任."""
    return [compact(q) for p in re.split(r"[、，,]", x) for q in split_and(p) if compact(q)]


# ---------------------------------------------------------------------------


class RosterExtractor:
    """member and group_unit facts of one document."""

    name = "rosters"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        return _DocRosters(text, doc).run()


_OFFICE_HOST = re.compile(r"(?:下设办公室|办公室设在|办公室设于|办公室设)\s*（?\s*(?:设在|设于|在|于)?(?P<unit>[^，。；（）\s]{2,60}?)(?:内)?(?=[，。；（）]|$|负责|承担|具体)")
_UNIT_LABEL = re.compile(r"成员单位(?:包括|组成如下|如下|为|有)?\s*[：。]")
_SEAT_VERBS = re.compile(r"担任|兼任|任(?:组长|副组长|成员|组员|指挥长|副指挥长|主任|副主任)")
_ROSTER_VERBS = re.compile(r"由|担任|兼任|任|为|设|负责|简称|成立|决定|组成|如下|通知")
_SUBHEADING = re.compile(rf"^(?:（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.、．])\s*[{_HAN}]{{2,12}}(?:（[^）]{{0,20}}）)?$")


class _DocRosters:
    def __init__(self, text: TextView, doc: DocumentInfo) -> None:
        self.text, self.doc = text, doc
        self.t = text.text
        self.out = Extraction()
        self.groups = find_groups(self.t, doc, doc.title or "")
        self.people: dict[str, str] = {}      # person -> position, from the rows, for 和涛同志
        self.seen: set[tuple] = set()

    # -- facts ------------------------------------------------------------
    def member(self, group: Group, person: Optional[str], position: Optional[str], role_text: str,
               role: str, ev: tuple[int, int]) -> None:
        """One member; ``ev`` is the evidence span (the roster row or the sentence), also the source."""
        key = ("m", group.name, person or "post:" + (position or ""), role)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.add(MemberFact(
            doc=self.doc.doc, source=self.text.source(*ev), evidence=self.text.printed[ev[0]:ev[1]],
            group=group.name, person=person, position=position, role_text=compact(role_text), role=role), *ev)
        if person and position:
            self.people.setdefault(person, position)

    def unit(self, group: Group, unit: str, relation: str, ev: tuple[int, int]) -> None:
        key = ("u", group.name, unit, relation)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.add(GroupUnitFact(
            doc=self.doc.doc, source=self.text.source(*ev), evidence=self.text.printed[ev[0]:ev[1]],
            group=group.name, unit=unit, relation=relation), *ev)

    def skip(self, start: int, end: int, reason: str) -> None:
        self.out.unparsed.append(self.text.unparsed(start, end, reason))

    # -- driver -----------------------------------------------------------
    def run(self) -> Extraction:
        body = self.t[self.doc.start:self.doc.end]
        if not self.groups and not words().mentions.search(body):
            return self.out                          # no group named, no roster word: nothing to read
        self.rows(self.text.printed_lines(self.doc.start, self.doc.end))
        mentions = words().mentions
        for ls, le in self.text.lines(self.doc.start, self.doc.end):
            ls, le = max(ls, self.doc.start), min(le, self.doc.end)
            if le > ls and mentions.search(self.t, ls, le):
                self.sentences(ls, le)
        return self.out

    # -- labelled roster rows -------------------------------------------
    def rows(self, lines: list[tuple[int, int]]) -> None:
        w = words()
        role: Optional[tuple[str, str]] = None          # (role_text, role)
        office = False
        rows: list[tuple[list[tuple[int, int]], tuple[str, str], Optional[Group]]] = []
        last_open = False
        cur_group: Optional[Group] = None
        unreadable: Optional[tuple[int, int]] = None
        in_table = False                 # the last line was a row of a roster table (组长 | 姓名 | 单位及职务)
        for s, e in lines:
            line = self.t[s:e]
            if "\t" in line:
                cells = self._table_cells(s, e)
                said = next((compact(self.t[a:z]) for a, z in cells if compact(self.t[a:z]) in w.roles), None)
                if said is not None or (in_table and role is not None):
                    if said is not None:
                        role = (said, _role_of(said, office))
                    people = self._person_cells(cells)
                    if people:
                        rows.append((people, role, group_at(self.groups, "", s)))
                    in_table, last_open, unreadable = True, False, None
                    continue
                in_table = lx.names_people_column(line)    # a header: 职务 | 姓名 | 单位及职务
                continue
            in_table = False
            if compact(line) in w.roles and len(line) <= 12 and not last_open:
                # 指挥长 printed on a line of its own: a label whose people follow
                text = compact(line)
                if w.roles.get(text) == "head" and text not in w.office_roles:
                    office = False
                role = (text, _role_of(text, office))
                last_open = False
                cur_group = group_at(self.groups, "", s)
                continue
            labels = list(w.label.finditer(line))
            if labels:
                head = line[:labels[0].start()].strip()
                if head and "办公室" in head:
                    office = True
                group = group_at(self.groups, head, s) if head else group_at(self.groups, "", s)
                for j, m in enumerate(labels):
                    text = compact(m.group("label"))
                    if w.roles.get(text) == "head" and text not in w.office_roles:
                        office = False
                    role = (text, _role_of(text, office))
                    stop = labels[j + 1].start() if j + 1 < len(labels) else len(line)
                    span = (s + m.end(), s + stop)
                    if self.t[span[0]:span[1]].strip():
                        rows.append(([span], role, group))
                        last_open = self._open(self.t[span[0]:span[1]])
                    else:
                        last_open = False             # 组长： alone; its people follow on the next lines
                cur_group = group
                continue
            if role is None:
                if "办公室" in line and len(line) <= 20:
                    office = True
                continue
            if _SUBHEADING.match(line.strip()):
                last_open = False                     # （一）部门委员: the list goes on under the heading
                continue
            if last_open and not self._row_start(line) and not line.endswith("。") and len(line) <= 30 \
                    and lx.marker_level(line) is None and not re.search(r"[，；。](?!$)", line) \
                    and not re.search(r"由|担任|兼任|设在|下设|负责|组成", line):
                rows[-1][0].append((s, e))            # a post wrapped onto the next line
            elif self._row_start(line) and len(line) <= 80 and not self._sentence(line) and "：" not in line:
                rows.append(([(s, e)], role, cur_group))
                unreadable = None
            elif (unreadable is None or e - unreadable[0] <= 80) and len(line) <= 80 \
                    and not self._sentence(line) and "：" not in line and lx.marker_level(line) is None:
                # one row the list cannot read (its printed lines too): go on if rows follow
                unreadable = (s, e) if unreadable is None else (unreadable[0], e)
                last_open = False
                continue
            else:
                if unreadable is not None:
                    unreadable = None
                role = None
                last_open = False
                if "办公室" in line and len(line) <= 20:
                    office = True
                continue
            if unreadable is not None:
                self.skip(*unreadable, "roster row without a person or post")
                unreadable = None
            last_open = self._open(self._row_text(rows[-1][0]))
        for spans, (role_text, role_name), group in rows:
            self.row(spans, role_text, role_name, group)

    @staticmethod
    def _open(row: str) -> bool:
        """Does the row's post go on on the next printed line (no post word ends it, no full stop)?"""
        row = row.strip()
        return bool(row) and row[-1] not in "。；）" and not ends_as_post(row)

    @staticmethod
    def _sentence(line: str) -> bool:
        """A sentence, not a roster row: it ends a statement or holds a roster verb."""
        flat = compact(line)
        if flat.startswith("由"):
            return False
        return bool(re.search(r"为(?:[\u4e00-\u9fa5]{0,12})(?:成员|组员|委员)。?$|由.+(?:担任|兼任|组成)", flat)) \
            or (flat.endswith("。") and len(flat) > 40)

    def _row_start(self, line: str) -> bool:
        """Does the printed line open with a person (罗　萍 …, 陈芸副省长, 乌兰图雅　…)?"""
        first = parse_people(line.strip())
        return bool(first) and first[0].name is not None

    def _row_text(self, spans: list[tuple[int, int]]) -> str:
        return "".join(self.t[a:b] for a, b in spans).strip()

    def _person_cells(self, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A roster table row's name and post: one span when they stand side by side (the tab
        between them keeps them apart), the cells themselves when the role cell stands between."""
        roles = words().roles
        kept = [(a, z) for a, z in cells if compact(self.t[a:z]) not in roles and not compact(self.t[a:z]).isdigit()]
        if not kept:
            return []
        between = any(kept[0][0] < a < kept[-1][1] and (a, z) not in kept for a, z in cells)
        return kept if between else [(kept[0][0], kept[-1][1])]

    def _table_cells(self, s: int, e: int) -> list[tuple[int, int]]:
        """The non-empty cells of a tab-separated row, trimmed."""
        out, a = [], s
        for z in [i for i in range(s, e) if self.t[i] == "\t"] + [e]:
            x, y = a, z
            while x < y and self.t[x].isspace():
                x += 1
            while y > x and self.t[y - 1].isspace():
                y -= 1
            if y > x:
                out.append((x, y))
            a = z + 1
        return out

    def row(self, spans: list[tuple[int, int]], role_text: str, role_name: str, group: Optional[Group]) -> None:
        seg = self._row_text(spans)
        if not seg:
            return
        a, b = spans[0][0], spans[-1][1]
        if group is None:
            self.skip(a, b, "roster row but no group named in the document")
            return
        if is_generic_people(compact(seg)) and not shared_suffix_posts(seg):
            self.skip(a, b, "members named only as a class of people")
            return
        filled = re.match(r"^\s*由(?P<x>.+?)(?:担任|兼任|出任|组成)\s*[。；;]?\s*$", seg)
        if filled:                                   # 组长：由州应急局局长担任
            entries = shared_suffix_posts(filled.group("x"))
            if not entries:
                entries = [Entry(*self.person_or_post(p), 0, len(seg)) for p in split_people(filled.group("x"))]
        else:
            entries = shared_suffix_posts(seg) or parse_entries(seg)
        if not entries:
            self.skip(a, b, "roster row without a person or post")
            return
        for en in entries:
            if en.person is None and en.position:
                posts = split_top(compact(en.position))  # seats held by posts: one member each
            else:
                posts = split_merged(compact(en.position)) if en.position else [None]
            for k, post in enumerate(posts):
                person = en.person if k == 0 else None
                if person is None and not post:
                    continue
                self.member(group, person, post, role_text, role_name, (a, b))

    # -- sentences --------------------------------------------------------
    def sentences(self, ls: int, le: int) -> None:
        line = self.t[ls:le]
        office = False
        for sm in re.finditer(r"[^。；]+[。；]?", line):
            s = ls + sm.start()
            sent = sm.group()
            group = group_at(self.groups, sent, s + len(sent))
            # once a line speaks of the office, 主任/副主任 after it are the office's
            office = office or "办公室" in sent
            self.office_host(sent, s, group)
            self.posts_by_sentence(sent, s, group, office)
        self.member_units(line, ls, group_at(self.groups, line, ls))

    def office_host(self, sent: str, s: int, group: Optional[Group]) -> None:
        m = _OFFICE_HOST.search(sent)
        if not m:
            return
        if group is None:
            self.skip(s, s + len(sent), "office of a group, but no group named")
            return
        for u in split_units(m.group("unit")):          # 设在教育部、住房城乡建设部: two hosts
            self.unit(group, u.name, "office_host", (s, s + len(sent)))

    def posts_by_sentence(self, sent: str, s: int, group: Optional[Group], office: bool) -> None:
        w = words()
        roles = w.role_word
        found: list[tuple[str, str, int, int, str]] = []
        # 指挥长由X担任 / 办公室主任由和涛同志兼任 / 成员由A、B等部门负责同志组成
        for m in re.finditer(rf"(?P<role>{roles})由(?P<x>[^。；由]+?)(?:担任|兼任|出任|组成)", sent):
            clause = re.split(r"[，：]", sent[:m.start()])[-1]
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), clause))
        # 由X担任（省级联席会议）总召集人
        for m in re.finditer(rf"由(?P<x>[^，。；由]+?)(?:担任|兼任|出任)(?P<g>[^，。；、（）]{{0,20}}?)(?P<role>{roles})(?=[，。；]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
        # X担任召集人 (clause start to the verb)
        for m in re.finditer(rf"(?:^|(?<=[，：]))(?P<x>[^，。；由]+?)(?:担任|兼任|兼)(?P<g>[^，。；、（）]{{0,20}}?)(?P<role>{roles})(?=[，。；]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
        # (由)市长任组长 / 分管对台工作的副书记、副县长任副组长 / 领导小组由县委书记任组长
        for m in re.finditer(rf"(?:^|(?<=[，：])|(?<=由))(?:另外|另|同时)?由?(?P<x>[^，。；由]+?)(?<![担兼出])任(?P<g>[^，。；、（）]{{0,12}}?)(?P<role>{roles})(?=[，。；、]|$)", sent):
            if not re.match(r"(?:成立|组建|以)", m.group("x")):
                found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
        # X为（领导小组）成员, X reaching back over the seats listed before it in the sentence
        for m in re.finditer(r"(?:^|(?<=[，：]))(?P<x>[^，。；]+?)为(?P<g>[^，。；、（）]{0,20}?)(?P<role>成员|组员|委员)(?=[，。；]|$)", sent):
            a = m.start()
            while True:
                prev = sent.rfind("，", 0, a - 1) + 1 if a > 0 else 0
                chunk = sent[prev:a - 1] if a > 0 else ""
                if not chunk or _ROSTER_VERBS.search(chunk):
                    break
                a = prev
            found.append((m.group("role"), sent[a:m.start("x")] + m.group("x"), a, m.end(), m.group("g")))
        for m in re.finditer(rf"(?:^|(?<=[，：]))(?P<role>{roles})(?:为|是)(?P<x>[^，。；]+?)(?=[，。；]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), ""))
        # 成立了副市长李朝晖为组长的…领导小组 (a named person: 成立主要负责人任组长的… is an instruction)
        for m in re.finditer(r"(?:成立了?|组建了?)(?P<x>[^，。；的]{2,20}?)(?:为|任)(?P<role>组长|指挥长|总指挥|主任|召集人|总召集人)的", sent):
            if self.person_or_post(compact(m.group("x")))[0]:
                found.append((m.group("role"), m.group("x"), m.start(), m.end(), ""))
        found = [f for f in found if self.body_ok(f[4])]
        if not found:
            return
        if group is None:
            self.skip(s, s + len(sent), "roster sentence but no group named")
            return
        done: set[int] = set()
        for role_text, x, a, b, _ in sorted(found, key=lambda f: f[2]):
            if a in done:
                continue
            done.add(a)
            # the role word right after 由 is not a new member ("由组长或其委托的副组长召集")
            x = re.sub(r"^(?:并|同时|其中|另外|另)", "", x.strip())
            if any(x.endswith(n) or compact(x) == n for g in self.groups for n in [g.name, *g.shorts]):
                continue                              # 领导小组为成员… : the group, not a member
            role = _role_of(role_text, office and compact(role_text) in w.office_roles)
            people = self.people_in(x)
            if not people:
                self.skip(s + a, s + b, "members named only as a class of people")
                continue
            for person, position in people:
                if person is None and position and not ends_as_post(position):
                    self.skip(s + a, s + b, f"roster sentence: {position!r} is neither a person nor a post")
                    continue
                self.member(group, person, position, role_text, role, (s, s + len(sent)))

    def people_in(self, x: str) -> list[tuple[Optional[str], Optional[str]]]:
        """The people and seats a roster sentence names, in print order."""
        people: list[tuple[Optional[str], Optional[str]]] = []
        parts = [p for chunk in re.split(r"[，,]", x) for p in split_and(compact(chunk))]
        for part in parts:
            if not part:
                continue
            seats = shared_suffix_posts(part)
            if seats:
                people.extend((None, en.position) for en in seats)
                continue
            if is_generic_people(part):
                continue
            items = split_people(part)
            qualifier = re.match(r"^(?P<q>[^、]{2,20}的)", items[0]) if items else None
            if qualifier and all(len(i) <= 4 and ends_as_post(i) for i in items[1:]):
                items = [items[0]] + [qualifier.group("q") + i for i in items[1:]]   # 分管…的副书记、副县长
            found_here = [self.person_or_post(item) for item in items]
            if any(p for p, _ in found_here):
                # 全国妇联副主席、书记处书记蔡淑敏: posts before a named person are that person's
                pending: list[str] = []
                for person, position in found_here:
                    if person is None:
                        pending.append(position)
                        continue
                    people.append((person, "、".join(pending + [position]) if pending and position else position))
                    pending = []
                people.extend((None, p) for p in pending)
            else:
                people.extend(found_here)
        return people

    def _type_word(self, group: Group) -> list[str]:
        """联席会议 for 某某工作联席会议, when no other group of the document is one."""
        m = words().group_type.search(group.name)
        if not m:
            return []
        same = [g for g in self.groups if g.name.endswith(m.group())]
        return [m.group()] if len(same) == 1 else []

    def body_ok(self, body: str) -> bool:
        """Is the body printed before a role word this document's group (or nothing)?

        专案组组长, 村（居）委会主任 are roles in other bodies, not roster members."""
        body = compact(body)
        if not body or body.endswith("办公室"):
            return True
        if any(body.endswith(n) or n.endswith(body) for g in self.groups for n in [g.name, *g.shorts]):
            return True
        return not re.search(r"(?:组|会|部|委|室|队|班|所|处|科|局|厅|院|站|中心|政府)$", body)

    def person_or_post(self, item: str) -> tuple[Optional[str], Optional[str]]:
        comrade = item.endswith("同志") and not re.search(r"负责同志$", item)
        if comrade:
            item = item[:-2]
        if item in self.people:
            return item, self.people[item]
        if looks_like_name(item) and (comrade or not ends_as_post(item)):
            return item, self.people.get(item)
        found = parse_people(item)
        if len(found) == 1 and found[0].name and found[0].post:      # 市发展改革委主任王小明 / 副市长李朝晖
            return found[0].name, found[0].post
        if len(found) == 2 and found[0].name is None and found[1].name and not found[1].post:
            return found[1].name, found[0].post
        return None, item

    def member_units(self, sent: str, s: int, group: Optional[Group]) -> None:
        lst: Optional[tuple[int, int]] = None
        m = _UNIT_LABEL.search(sent)
        if m:
            head = compact(sent[:m.start()])
            if len(head) <= 30:
                a = m.end()
                rest = sent[a:]
                stop = re.search(r"为[^、，。]{0,20}成员单位|[。；]|$", rest)
                if stop.start() > 0:
                    group = group_at(self.groups, head, s + m.start()) if head else group
                    lst = (a, a + stop.start())
        if lst is None:
            # 州指挥部由A、B…等部门和单位组成 / 领导小组成员单位包括A、B…
            names = sorted({n for g in self.groups for n in [g.name, *g.shorts, *self._type_word(g)]},
                           key=len, reverse=True)
            for v in re.finditer(r"由|包括", sent):
                before = compact(sent[:v.start()])
                subject = next((n for n in names if before.endswith((n, n + "成员单位"))), None)
                if subject is None and not (before.endswith("成员单位") and len(before) <= 30):
                    continue
                tail = re.match(r"(?P<list>[^。：；]+?)(?:等(?:[^。，、]{0,10}))?(?:组成|(?=为[^、，。]{0,10}成员单位)|(?=[。；]|$))",
                                sent[v.end():])
                if tail and "、" in tail.group("list") and not _SEAT_VERBS.search(tail.group("list")):
                    lst = (v.end() + tail.start("list"), v.end() + tail.end("list"))
                    if subject:
                        group = next(g for g in self.groups if subject in (g.name, *g.shorts, *self._type_word(g)))
                    break
        if not lst:
            return
        if group is None:
            self.skip(s, s + len(sent), "member units but no group named")
            return
        body = sent[lst[0]:lst[1]]
        if "、" not in body and "，" not in body:
            return
        for u in split_units(body, s + lst[0]):
            if u.generic:
                continue
            self.unit(group, u.name, "member_unit", (s, s + len(sent)))
