"""Rosters of 领导小组 / 指挥部 / 联席会议 / 委员会 become member and group_unit facts.

A roster is printed in two shapes: labelled lines (``组　长：罗　萍　州长`` and the
unlabelled lines under them), and sentences (``指挥长由州人民政府分管副州长担任``,
``领导小组下设办公室在州商务局``, ``成员单位：…``).  The group is named in full where it is
set up (before ``以下简称``) and by its short name afterwards; facts always carry the
full name.

Roster lines are read per line *as printed*: the normaliser may join two roster rows
into one logical line, so lines are split again at the file's own line breaks, and a
post wrapped onto the next printed line is joined back here (a post ends with a post
word such as 局长 or 主任; a line that does not is continued by the next one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from zhize.extract.base import Extraction
from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo, GroupUnitFact, MemberFact

from zhize.extract.lexicon import HAN as _HAN, compact, load_data, spaced
from zhize.extract.units import split_units

# ---------------------------------------------------------------------------
# vocabulary


@dataclass(frozen=True)
class Words:
    roles: dict[str, str]
    office_roles: dict[str, str]
    label: re.Pattern            # a role label followed by ：
    role_word: str               # regex alternation of role words (no spaces)
    group_type: re.Pattern       # a name ending in a group word
    setup_verbs: tuple[str, ...]
    post_end: re.Pattern         # text ending in a post word
    generic_prefixes: tuple[str, ...]
    generic_contains: tuple[str, ...]


@lru_cache(maxsize=1)
def words() -> Words:
    d = load_data("roster_roles.yaml")
    roles = dict(d["roles"])
    ordered = sorted(roles, key=len, reverse=True)
    label = re.compile(
        r"(?:^|(?<=[\s；;。，,]))(?P<label>" + "|".join(spaced(w) for w in ordered) + r")\s*[：:]")
    suffixes = sorted(d["post_suffixes"], key=len, reverse=True)
    groups = sorted(d["group_types"], key=len, reverse=True)
    return Words(
        roles=roles,
        office_roles=dict(d["office_roles"]),
        label=label,
        role_word="|".join(map(re.escape, ordered)),
        group_type=re.compile("(?:" + "|".join(map(re.escape, groups)) + ")$"),
        setup_verbs=tuple(sorted(d["setup_verbs"], key=len, reverse=True)),
        post_end=re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")$"),
        generic_prefixes=tuple(d["generic_people"]["prefixes"]),
        generic_contains=tuple(d["generic_people"]["contains"]),
    )


def ends_as_post(s: str) -> bool:
    return bool(words().post_end.search(s))


def is_generic_people(s: str) -> bool:
    w = words()
    return s.startswith(w.generic_prefixes) or any(c in s for c in w.generic_contains)


# short posts that can stand where a name is expected (position-first rows)
_SHORT_POSTS = {"省长", "州长", "市长", "县长", "区长", "局长", "厅长", "主任", "书记", "主席", "委员"}
_NAME = re.compile(rf"^[{_HAN}·]{{2,4}}$")


def looks_like_name(tok: str) -> bool:
    return bool(_NAME.match(tok)) and tok not in _SHORT_POSTS and len(tok) <= 4 and not (
        len(tok) >= 3 and ends_as_post(tok))


# ---------------------------------------------------------------------------
# groups


@dataclass
class Group:
    name: str
    shorts: list[str] = field(default_factory=list)
    at: int = 0                     # normalised offset where it is set up


_SHORT = re.compile(r"[（(]\s*以下简称\s*[“\"]?(?P<short>[^）)”\"，,]{1,20}?)[”\"]?\s*[）)]")
_NAME_STOP = re.compile(r"[，。；：、,;:！？（）()《》\n]")


def _name_before(before: str) -> Optional[str]:
    """The full group name printed right before ``（以下简称…）``."""
    w = words()
    stops = list(_NAME_STOP.finditer(before))
    cand = before[stops[-1].end():] if stops else before
    cand = compact(cand)
    cut = -1
    for verb in w.setup_verbs:
        i = cand.rfind(verb)
        if i >= 0 and i + len(verb) > cut:
            cut = i + len(verb)
    if cut > 0:
        cand = cand[cut:]
    cand = re.sub(r"^(?:\d+(?:\.\d+)*|[一二三四五六七八九十]+、)", "", cand)
    cand = re.sub(r"^(?:后的|以后的|之后的|的)", "", cand)     # 调整后的XX指挥部
    if len(cand) < 4 or not w.group_type.search(cand):
        return None
    return cand


_TITLE_GROUP = re.compile(r"(?:成立|调整|充实|调整充实|充实调整|组建|设立|建立)(?P<name>.+?)(?:组成人员|成员|人员)?(?:的通知|的决定|的函)")


def find_groups(t: str, doc: DocumentInfo, title: Optional[str] = None) -> list[Group]:
    """Groups of a document; ``t`` is the normalised text (simplified when printed traditional)."""
    groups: list[Group] = []
    for m in _SHORT.finditer(t, doc.start, doc.end):
        ls = t.rfind("\n", doc.start, m.start()) + 1
        name = _name_before(t[max(ls, doc.start):m.start()])
        short = compact(m.group("short"))
        if not name or short.startswith(("《", "“")) or len(short) > 12:
            continue
        for g in groups:
            if g.name == name:
                g.shorts.append(short)
                break
        else:
            groups.append(Group(name=name, shorts=[short], at=m.start()))
    # groups set up without a short name: 同时成立红河州旅游安全应急指挥部，指挥长由…
    w = words()
    verbs = "|".join(map(re.escape, ("成立", "组建", "设立")))
    types = w.group_type.pattern[:-1]
    for m in re.finditer(rf"(?:{verbs})(?P<name>[^，。；：、\s（()“”\n]{{2,40}}?{types})(?=[，。；：（(\s]|$)", t[doc.start:doc.end]):
        name = m.group("name")
        if name.startswith(("本级", "相应", "各级", "相关", "有关", "本", "各")):
            continue
        if not any(g.name == name for g in groups):
            groups.append(Group(name=name, shorts=[], at=doc.start + m.start()))
    # 某某市XX工作领导小组成员名单 / …组成人员 as a heading
    for m in re.finditer(rf"(?m)^[ \t]*(?P<name>[^，。；：、\s（()\n]{{2,40}}?{types})(?:组成人员|成员)(?:名单)?[ \t]*$", t[doc.start:doc.end]):
        name = m.group("name")
        if not any(g.name == name for g in groups):
            groups.append(Group(name=name, shorts=[], at=doc.start + m.start()))
    groups.sort(key=lambda g: g.at)
    title = compact(title if title is not None else doc.title or "")
    m = _TITLE_GROUP.search(title)
    if m and words().group_type.search(m.group("name")):
        name = m.group("name")
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
            if i >= 0 and (best_i is None or i < best_i or (i == best_i and len(n) > 0)):
                best, best_i = g, i
    if best is not None:
        return best
    before = [g for g in groups if g.at <= pos]
    if before:
        return before[-1]
    return groups[0] if groups else None


# ---------------------------------------------------------------------------
# roster rows


@dataclass
class Entry:
    person: Optional[str]
    position: Optional[str]
    start: int                      # offsets into the row text
    end: int


def _tokens(s: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in re.finditer(r"[^\s，,；;。]+", s)]


def _glued_name(pos: str) -> Optional[int]:
    """Where a 2–3 character name glued to the end of a post starts (…局长王立强)."""
    for k in (3, 2):
        head = pos[:-k].rstrip("、，,；;")
        if len(pos) > k + 1 and ends_as_post(head) and looks_like_name(pos[-k:]):
            return len(pos) - k
    return None


def parse_entries(seg: str) -> list[Entry]:
    """People (and bare posts) in the text after a role label or on a roster row."""
    out: list[Entry] = []
    bracket = list(re.finditer(rf"(?P<name>[{_HAN}][{_HAN}\s]{{0,4}}?)\s*[（(](?P<pos>[^）)]+)[）)]", seg))
    if bracket and all(looks_like_name(compact(m.group("name"))) for m in bracket):
        return [Entry(compact(m.group("name")), compact(m.group("pos")), m.start(), m.end()) for m in bracket]
    toks = _tokens(seg)
    i = 0
    while i < len(toks):
        tok, s, e = toks[i]
        if tok in "；;。、":
            i += 1
            continue
        tok = tok.strip("；;。")
        if not tok:
            i += 1
            continue
        nxt = toks[i + 1][0] if i + 1 < len(toks) else None
        if len(tok) == 1 and nxt is not None and 1 <= len(nxt) <= 2 and re.match(f"^[{_HAN}]+$", nxt):
            name, i = tok + nxt, i + 2            # 罗　萍
            e = toks[i - 1][2]
        elif looks_like_name(tok):
            name, i = tok, i + 1
        elif nxt is not None and looks_like_name(nxt) and len(tok) >= 3:
            # position first: 州人民政府州长　罗萍
            out.append(Entry(compact(nxt), tok, s, toks[i + 1][2]))
            i += 2
            continue
        else:
            out.append(Entry(None, tok, s, e))    # a post printed without a name
            i += 1
            continue
        if i >= len(toks):
            out.append(Entry(name, None, s, e))
            break
        pos, ps, pe = toks[i]
        i += 1
        # a name glued to the end of this post (…副秘书长张　凌 / …局长王立强　州…)
        follow = toks[i][0] if i < len(toks) else None
        if follow is not None:
            if len(follow) == 1 and len(pos) > 2 and ends_as_post(pos[:-1]):
                toks.insert(i, (pos[-1], pe - 1, pe))
                pos, pe = pos[:-1], pe - 1
            elif len(follow) >= 3 and not looks_like_name(follow):
                k = _glued_name(pos)
                if k is not None:
                    toks.insert(i, (pos[k:], ps + k, pe))
                    pos, pe = pos[:k].rstrip("、，,；;"), ps + k
        out.append(Entry(name, pos.strip("；;。"), s, pe))
    return out


_UNIT_HEADS = re.compile(r"(?P<units>.+、.+?)(?P<post>主要负责同志|主要负责人|分管负责同志|分管负责人|负责同志|负责人|主要领导|分管领导)$")


def shared_suffix_posts(seg: str) -> list[Entry]:
    """``市发展改革委、市财政局主要负责同志``: each unit's head is a post-only member."""
    flat = compact(seg).rstrip("；;。")
    m = _UNIT_HEADS.match(flat)
    if not m or re.search(r"[（(]", flat):
        return []
    units = [u for u in m.group("units").split("、") if u]
    if not all(re.search(r"[局委厅办部院会室站所行队府处社团联心司]$", u) for u in units):
        return []
    lead = len(seg) - len(seg.lstrip())
    return [Entry(None, u + m.group("post"), lead, len(seg.rstrip())) for u in units]


def split_top(s: str) -> list[str]:
    """Split on 、 outside brackets."""
    out, depth, cur = [], 0, []
    for ch in s:
        depth += ch in "（(" and 1 or 0
        depth -= ch in "）)" and depth > 0 and 1 or 0
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


# ---------------------------------------------------------------------------
# sentences


def _role_of(word: str, office: bool) -> str:
    w = words()
    word = compact(word)
    if office and word in w.office_roles:
        return w.office_roles[word]
    return w.roles[word]


def split_people(x: str) -> list[str]:
    """``A、B和C`` as printed in 由…担任: 和/及 split only after a post (not 文化和旅游)."""
    parts = []
    for p in re.split(r"[、，,]", x):
        pieces = re.split(r"(?<=[长任记委席导人志])(?:和|及|以及)", p)
        parts.extend(q for q in pieces if q)
    return [compact(p) for p in parts if compact(p)]


# ---------------------------------------------------------------------------


class RosterExtractor:
    """member and group_unit facts of one document."""

    name = "rosters"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        return _DocRosters(text, doc).run()


_OFFICE_HOST = re.compile(r"(?:下设办公室|办公室设在|办公室设于|办公室设)(?:设在|设于|在|于)?(?P<unit>[^，。；,;（(\s]{2,40}?)(?:内)?(?=[，。；,;（(]|$|负责|承担|具体)")
_UNIT_LABEL = re.compile(r"成员单位(?:包括|组成如下|如下|为|有)?\s*[：:。]")


class _DocRosters:
    def __init__(self, text: TextView, doc: DocumentInfo) -> None:
        self.text, self.doc = text, doc
        self.t = text.text
        title = doc.title or ""
        self.out = Extraction()
        self.groups = find_groups(self.t, doc, title)
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
        self.out.facts.append(MemberFact(
            doc=self.doc.doc, source=self.text.source(*ev), evidence=self.text.printed[ev[0]:ev[1]],
            group=group.name, person=person, position=position, role_text=compact(role_text), role=role))
        if person and position:
            self.people.setdefault(person, position)

    def unit(self, group: Group, unit: str, relation: str, ev: tuple[int, int]) -> None:
        key = ("u", group.name, unit, relation)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.facts.append(GroupUnitFact(
            doc=self.doc.doc, source=self.text.source(*ev), evidence=self.text.printed[ev[0]:ev[1]],
            group=group.name, unit=unit, relation=relation))

    def skip(self, start: int, end: int, reason: str) -> None:
        self.out.unparsed.append(self.text.unparsed(start, end, reason))

    # -- driver -----------------------------------------------------------
    def run(self) -> Extraction:
        lines = self.text.printed_lines(self.doc.start, self.doc.end)
        self.rows(lines)
        for ls, le in self.text.lines(self.doc.start, self.doc.end):
            ls, le = max(ls, self.doc.start), min(le, self.doc.end)
            if le > ls:
                self.sentences(ls, le)
        return self.out

    # -- labelled roster rows -------------------------------------------
    def rows(self, lines: list[tuple[int, int]]) -> None:
        w = words()
        role: Optional[tuple[str, str]] = None          # (role_text, role)
        office = False
        rows: list[tuple[list[int], tuple[str, str], Group | None]] = []
        last_open = False
        cur_group: Optional[Group] = None
        for s, e in lines:
            line = self.t[s:e]
            labels = list(w.label.finditer(line))
            if labels:
                head = line[:labels[0].start()].strip()
                if head and "办公室" in head:
                    office = True
                group = group_at(self.groups, line[:labels[0].start()], s) if head else group_at(self.groups, "", s)
                for j, m in enumerate(labels):
                    text = compact(m.group("label"))
                    if w.roles.get(text) == "head" and text not in w.office_roles:
                        office = False
                    role = (text, _role_of(text, office))
                    stop = labels[j + 1].start() if j + 1 < len(labels) else len(line)
                    idx = list(range(s + m.end(), s + stop))
                    if "".join(self.t[i] for i in idx).strip():
                        rows.append((idx, role, group))
                        last_open = not ends_as_post(self.row_text(idx))
                    else:
                        last_open = False             # 组长： alone; its people follow on the next lines
                cur_group = group
                continue
            if role is None:
                if "办公室" in line and len(line) <= 20:
                    office = True
                continue
            row_start = re.match(rf"^[{_HAN}](?:\s*[{_HAN}]){{1,3}}(?:\s+\S|\s*[（(])", line)
            if last_open and not row_start and not line.endswith("。") and len(line) <= 30:
                rows[-1][0].extend(range(s, e))             # a post wrapped onto the next line
            elif row_start and len(line) <= 60 and not re.search(r"[。；]$", line) and "：" not in line:
                rows.append((list(range(s, e)), role, cur_group))
            else:
                role = None
                last_open = False
                if "办公室" in line and len(line) <= 20:
                    office = True
                continue
            last_open = not ends_as_post(self.row_text(rows[-1][0]))
        for idx, (role_text, role_name), group in rows:
            seg = "".join(self.t[i] for i in idx)
            if not seg.strip():
                continue
            a, b = idx[0], idx[-1] + 1
            if group is None:
                self.skip(a, b, "roster row but no group named in the document")
                continue
            if is_generic_people(compact(seg)):
                self.skip(a, b, "members named only as a class of people")
                continue
            filled = re.match(r"^\s*由(?P<x>.+?)(?:担任|兼任|出任|组成)\s*[。；;]?\s*$", seg)
            if filled:                                   # 组长：由州应急局局长担任
                entries = shared_suffix_posts(filled.group("x"))
                if not entries:
                    entries = [Entry(*self.person_or_post(p), 0, len(seg)) for p in split_people(filled.group("x"))]
            else:
                entries = shared_suffix_posts(seg) or parse_entries(seg)
            if not entries:
                self.skip(a, b, "roster row without a person or post")
                continue
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

    def row_text(self, idx: list[int]) -> str:
        return "".join(self.t[i] for i in idx).strip()

    # -- sentences --------------------------------------------------------
    def sentences(self, ls: int, le: int) -> None:
        t = self.t
        line = t[ls:le]
        office = False
        for sm in re.finditer(r"[^。；;]+[。；;]?", line):
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
        unit = compact(m.group("unit"))
        self.unit(group, unit, "office_host", (s, s + len(sent)))

    def posts_by_sentence(self, sent: str, s: int, group: Optional[Group], office: bool) -> None:
        w = words()
        roles = w.role_word
        found: list[tuple[str, str, int, int, str]] = []
        # 指挥长由X担任 / 办公室主任由和涛同志兼任 (what stands before the role word is its body)
        for m in re.finditer(rf"(?P<role>{roles})由(?P<x>[^。；;由]+?)(?:担任|兼任|出任)", sent):
            clause = re.split(r"[，,：:]", sent[:m.start()])[-1]
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), clause))
        # 由X担任（省级联席会议）总召集人
        for m in re.finditer(rf"由(?P<x>[^，。；,;由]+?)(?:担任|兼任|出任)(?P<g>[^，。；,;、（）()]{{0,20}}?)(?P<role>{roles})(?=[，。；,;]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
        # X担任召集人 (clause start to the verb)
        for m in re.finditer(rf"(?:^|(?<=[，,：:]))(?P<x>[^，。；,;由]+?)(?:担任|兼任)(?P<g>[^，。；,;、（）()]{{0,20}}?)(?P<role>{roles})(?=[，。；,;]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
        # (由)市长任组长
        for m in re.finditer(rf"(?:^|(?<=[，,：:]))由?(?P<x>[^，。；,;由]+?)(?<![担兼出])任(?P<role>{roles})(?=[，。；,;、]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), ""))
        # X为（联席会议）成员
        for m in re.finditer(r"(?:^|(?<=[，,]))(?P<x>[^，。；,;]+?)为(?P<g>[^，。；,;、（）()]{0,20}?)(?P<role>成员|组员|委员)(?=[，。；,;]|$)", sent):
            found.append((m.group("role"), m.group("x"), m.start(), m.end(), m.group("g")))
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
            x = re.sub(r"^(?:并|同时|其中|另)", "", x.strip())
            if is_generic_people(compact(x)):
                self.skip(s + a, s + b, "members named only as a class of people")
                continue
            role = _role_of(role_text, office and compact(role_text) in w.office_roles)
            people: list[tuple[Optional[str], Optional[str]]] = []
            for part in re.split(r"[，,]", x):
                found_here = [self.person_or_post(item) for item in split_people(part)]
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
            for person, position in people:
                if person is None and position and not ends_as_post(position):
                    self.skip(s + a, s + b, f"roster sentence: {position!r} is neither a person nor a post")
                    continue
                self.member(group, person, position, role_text, role, (s, s + len(sent)))

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
        comrade = item.endswith("同志")
        if comrade:
            item = item[:-2]
        if item in self.people:
            return item, self.people[item]
        if looks_like_name(item) and (comrade or not ends_as_post(item)):
            return item, self.people.get(item)
        k = _glued_name(item)                   # 市发展改革委主任王小明（同志）
        if k is not None:
            return item[k:], item[:k]
        return None, item

    def member_units(self, sent: str, s: int, group: Optional[Group]) -> None:
        lst: Optional[tuple[int, int]] = None
        m = _UNIT_LABEL.search(sent)
        if m:
            head = compact(sent[:m.start()])
            if len(head) <= 30:
                a = m.end()
                rest = sent[a:]
                stop = re.search(r"为[^、，。]{0,20}成员单位|[。；;]|$", rest)
                group = group_at(self.groups, head, s + m.start()) if head else group
                lst = (a, a + stop.start())
        else:
            # 州指挥部由A、B…等部门和单位组成 / 领导小组成员单位包括A、B…
            names = sorted({n for g in self.groups for n in [g.name, *g.shorts]}, key=len, reverse=True)
            for v in re.finditer(r"由|包括", sent):
                before = compact(sent[:v.start()])
                subject = next((n for n in names if before.endswith((n, n + "成员单位"))), None)
                if subject is None and not (before.endswith("成员单位") and len(before) <= 30):
                    continue
                tail = re.match(r"(?P<list>[^。：:；;]+?)(?:等(?:[^。，,、]{0,10}))?(?:组成|(?=[。；;]|$))", sent[v.end():])
                if tail and "、" in tail.group("list"):
                    lst = (v.end() + tail.start("list"), v.end() + tail.end("list"))
                    if subject:
                        group = next(g for g in self.groups if subject in (g.name, *g.shorts))
                    break
        if not lst:
            return
        if group is None:
            self.skip(s, s + len(sent), "member units but no group named")
            return
        body = sent[lst[0]:lst[1]]
        if "、" not in body and "，" not in body:
            return
        for u in split_unit_list(body, s + lst[0]):
            if u.generic:
                continue
            self.unit(group, u.name, "member_unit", (s, s + len(sent)))


def split_unit_list(body: str, offset: int) -> list:
    """Units of a printed list (shared prefixes, bracketed units, collectives kept whole)."""
    return split_units(body, offset)
