"""领导工作分工 notices become portfolio facts: which leader covers what.

A leader's paragraph opens with the post and (usually) the name
(``副市长　王　某　负责教育、民政工作。``); the lines after it until the next leader
belong to the same leader (``分管…``, ``联系…``, ``协助市长负责…``, ``…由李某代管``).
A leader printed only by post is resolved to the person where the document names
them (``市长张某``), otherwise the post is kept with ``person`` null.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from zhize.extract.base import Extraction
from zhize.extract.textview import TextView
from zhize.extract.lexicon import alternation, compact, load_data, spaced
from zhize.extract.people import ends_as_post, looks_like_name
from zhize.extract.units import split_units as split_unit_list
from zhize.extract.types import DocumentInfo, PortfolioFact

from zhize.extract.lexicon import HAN as _HAN  # noqa: E402
_NAME = rf"[{_HAN}](?:\s*[{_HAN}]){{1,3}}"


@dataclass(frozen=True)
class _Words:
    post: re.Pattern               # a leader post at the start of a paragraph
    post_alt: str
    verbs: dict[str, str]
    verb_alt: str
    keep_work: tuple[str, ...]
    drop_tail: tuple[str, ...]
    scopes: tuple[str, ...]
    activity: re.Pattern              # an area of activity words alone (建设和管理)
    domain: re.Pattern                # a domain and its activity (城市 + 规划)
    partner: re.Pattern
    clause_columns: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    d = load_data("portfolio_words.yaml")
    place = "(?:" + "|".join(d["places"]) + ")"
    posts = []
    for p in sorted(d["leader_posts"], key=len, reverse=True):
        parts = p.split("{place}")
        posts.append((r"\s*" + place + r"\s*").join(spaced(x) if x else "" for x in parts))
    post_alt = "|".join(f"(?:{p})" for p in posts)
    verbs = dict(d["verbs"])
    verb_alt = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    return _Words(
        post=re.compile(rf"^(?P<post>{post_alt})(?=[\s，：（]|{verb_alt}|[{_HAN}])"),
        post_alt=post_alt,
        verbs=verbs,
        verb_alt=verb_alt,
        keep_work=tuple(d["keep_work"]),
        drop_tail=tuple(sorted(d["drop_tail"], key=len, reverse=True)),
        scopes=tuple(d["area_scopes"]),
        activity=re.compile("^(?:{a})(?:(?:和|与|及|、)(?:{a}))*$".format(a=alternation(d["activities"]))),
        domain=re.compile("^(?P<domain>[{h}]{{2,6}}?)(?:{a})$".format(h=_HAN, a=alternation(d["activities"]))),
        partner=re.compile("(?:" + "|".join(map(re.escape, d["partner_labels"])) + r")\s*[：:]"),
        clause_columns=frozenset(d["clause_columns"]),
    )


@dataclass
class _Leader:
    person: Optional[str]
    position: str


_DASH = re.compile(r"\s*(?:——|—|－|–|-|―|─)+\s*")


class PortfolioExtractor:
    """portfolio facts of one 领导工作分工 document."""

    name = "portfolios"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        return _DocPortfolios(text, doc).run()


class _DocPortfolios:
    def __init__(self, text: TextView, doc: DocumentInfo) -> None:
        self.text, self.doc, self.t = text, doc, text.text
        self.out = Extraction()
        self.seen: set[tuple] = set()
        self.posts_of: dict[str, str] = {}     # leader -> post, for stand-ins named without one

    def fact(self, leader: _Leader, relation: str, obj: str, ev: tuple[int, int],
             scope: Optional[str] = None, person: Optional[str] = None, position: Optional[str] = None) -> None:
        who = person if person is not None or position is not None else leader.person
        post = position if person is not None or position is not None else leader.position
        if who and not post:
            post = self.posts_of.get(who)
        key = (who or "post:" + (post or ""), relation, obj, scope)
        if not obj or key in self.seen:
            return
        self.seen.add(key)
        self.out.add(PortfolioFact(
            doc=self.doc.doc, source=self.text.source(*ev), evidence=self.text.printed[ev[0]:ev[1]],
            person=who, position=post, relation=relation, object=obj, scope=scope), *ev)

    def skip(self, s: int, e: int, reason: str) -> None:
        self.out.unparsed.append(self.text.unparsed(s, e, reason))

    # ------------------------------------------------------------------------
    def run(self) -> Extraction:
        w = _words()
        body = self.t[self.doc.start:self.doc.end]
        if "分工" not in (self.doc.title or "") and body.count("分管") < 2:
            return self.out                          # no division of work: not so titled, no leaders' 分管
        lines = self.logical_lines()
        heads = [(s, e, self.header(self.t[s:e])) for s, e in lines]
        body = self.t[self.doc.start:self.doc.end]
        n_heads = sum(1 for _, _, h in heads if h) + len(self._SUBJECT_VERB.findall(body))
        # a division of work: so titled, or several paragraphs that open a clause with 分管
        supervising = len(re.findall(r"(?:^|[。；;，\s])分管", body, re.M))
        in_charge = len(re.findall(r"负责[^。；]{2,60}工作", body))
        titled = "分工" in (self.doc.title or "") and supervising + in_charge >= 1
        if not n_heads or not (titled or (n_heads >= 2 and supervising >= 2)):
            return self.out
        names = self.named_posts(body)
        leader: Optional[_Leader] = None
        pending_name: Optional[str] = None       # 马兴瑞 on a line of its own, the post on the next
        columns: dict[int, str] = {}             # a table's 分管部门 / 联系单位 columns: index -> relation
        for s, e, h in heads:
            line = self.t[s:e]
            if "\t" in line and h is None:
                columns = self.table_columns(line)
                if columns:
                    continue
            p = w.partner.search(line)
            if p:
                self.partners(s + p.end(), e, (s, e))
                continue
            if h is None and looks_like_name(compact(line)):
                pending_name = compact(line)
                leader = None                    # a new leader's paragraph: the last one's scope ends
                continue
            if h is None and self.unreadable_head(line):
                self.skip(s, e, "a leader's paragraph whose leader is not read")
                leader = None                    # never credit these lines to the previous leader
                continue
            if h:
                person, post, rest_at = h
                if person is None and pending_name is not None:
                    person = pending_name
                person = person or names.get(post)
                if person is None and post.startswith("副"):
                    # a deputy printed without a name: one of several, so nobody can be credited
                    self.skip(s, e, "a leader's paragraph whose leader is not read")
                    leader = None
                    pending_name = None
                    continue
                leader = _Leader(person, post)
                if leader.person:
                    self.posts_of[leader.person] = post
                if columns and "\t" in line:
                    self.table_row(leader, s, e, columns)
                elif rest_at < len(line):
                    self.clauses(leader, s + rest_at, e)
            else:
                self.clauses(leader, s, e)
            pending_name = None
        return self.out

    def table_columns(self, header: str) -> dict[int, str]:
        """The columns of a 分工 table named by a verb of the division (分管部门, 联系单位, 工作分工)."""
        w = _words()
        out = {}
        for k, cell in enumerate(header.split("\t")):
            name = compact(cell)
            if name in w.verbs and w.verbs[name] != "none":
                out[k] = w.verbs[name]
            elif name in w.clause_columns:
                out[k] = "clauses"
        return out if any(r != "clauses" for r in out.values()) else {}

    def table_row(self, leader: _Leader, s: int, e: int, columns: dict[int, str]) -> None:
        """A leader's row of a 分工 table: each column gives its relation; 工作分工 reads as clauses."""
        at = s
        for k, cell in enumerate(self.t[s:e].split("\t")):
            rel = columns.get(k)
            if rel == "clauses":
                self.clauses(leader, at, at + len(cell))
            elif rel is not None:
                for name, *_ in (self.areas(cell, at) if rel == "in_charge" else self.units(cell, at)):
                    self.fact(leader, rel, name, (s, e))
            at += len(cell) + 1

    # a person named right before a verb in running text (樊金龙负责…, 省长吴政隆主持…)
    _SUBJECT_VERB = re.compile(rf"(?:^|[，。；\s])[{_HAN}]{{2,3}}(?:同志)?(?:则|也|还)?(?=负责|分管|联系|主持)", re.M)

    def unreadable_head(self, line: str) -> bool:
        """A line that opens a leader's paragraph (a post, then what the leader does) but whose
        leader cannot be read: 副州长（挂职）某 某某 负责…"""
        w = _words()
        m = w.post.match(line)
        return bool(m) and bool(re.search(rf"(?:{w.verb_alt})", line[m.end():m.end() + 30])) \
            and self.header(line) is None

    def subject(self, clause: str) -> Optional[_Leader]:
        """The leader a clause of running text names (…副省长的缪瑞林 / 由珠海调任的副省长郭元强 / 樊金龙)."""
        w = _words()
        flat = compact(clause)
        m = re.search(rf"(?:(?P<post>{w.post_alt})(?:的)?)?(?P<name>[{_HAN}]{{2,3}})(?:同志)?(?:则|也|还|并)?$", flat)
        if not m or not looks_like_name(m.group("name")):
            return None
        if not m.group("post") and m.start() > 0:
            return None                  # a name with neither a post before it nor the clause to itself
        name = m.group("name")
        post = compact(m.group("post")) if m.group("post") else self.posts_of.get(name)
        return _Leader(name, post or "")

    def header(self, line: str) -> Optional[tuple[Optional[str], str, int]]:
        """(person, post, where the duties start) when a line opens a leader's paragraph.

        ``副市长　王　某　负责…`` / ``市　长　领导…`` / ``刘　芳　常务副省长`` on a line of its own."""
        w = _words()
        m = w.post.match(line)
        if m:
            post = compact(m.group("post"))
            rest_at = m.end()
            nm = re.match(rf"\s*(?P<name>{_NAME}?)\s*[：:]?\s*(?=(?:{w.verb_alt})|\s|$)", line[rest_at:])
            person = None
            if nm and nm.group("name") and not re.match(w.verb_alt, compact(nm.group("name"))):
                cand = compact(nm.group("name"))
                if 2 <= len(cand) <= 4:
                    person = cand
                    rest_at += nm.end()
            # 副省长，负责… / 副省长兼任省公安厅厅长，负责… / 副州长（挂职）　张　某　负责…
            extra = re.match(rf"\s*(?:（[^）]{{1,8}}）)?\s*(?:(?:兼任?|[，、])\s*(?!{w.verb_alt})[^，。；\s]{{2,30}}?(?:长|主任|书记|委员))?[，：\s]*",
                             line[rest_at:])
            if person is None and extra:
                nm = re.match(rf"\s*(?P<name>{_NAME}?)\s*[：:]?\s*(?=(?:{w.verb_alt})|$)", line[rest_at + extra.end():])
                if nm and nm.group("name") and looks_like_name(compact(nm.group("name"))):
                    person = compact(nm.group("name"))
                    rest_at += extra.end() + nm.end()
                else:
                    rest_at += extra.end()
            rest = line[rest_at:].strip()
            if rest and not re.match(w.verb_alt, rest):
                return None                       # 市长办公会议… is running text, not a paragraph head
            return person, post, rest_at
        m = re.match(rf"^(?P<name>[{_HAN}](?:[ \t]?[{_HAN}]){{1,3}}?)\s+(?P<post>{w.post_alt})\s*[：:]?\s*(?=(?:{w.verb_alt})|$)", line) \
            or re.match(rf"^(?P<name>[{_HAN}]{{2,3}}?)(?P<post>{w.post_alt})\s*$", line) \
            or re.match(rf"^(?P<name>{_NAME}?)\s*（(?P<post>{w.post_alt})）\s*[：:]\s*(?=(?:{w.verb_alt}))", line)  # 李某（常务副市长）：
        if m and looks_like_name(compact(m.group("name")), loose=True):
            return compact(m.group("name")), compact(m.group("post")), m.end()
        # 张某副省长协助…: name and post run into the duties (a layout joined the head's line on);
        # the name must read as one (协助省长负责… is a duty, not a leader 协助)
        m = re.match(rf"^(?P<name>[{_HAN}]{{2,3}}?)(?P<post>{w.post_alt})\s*[：:]?\s*(?=(?:{w.verb_alt}))", line)
        if m and looks_like_name(m.group("name")) and not re.match(w.verb_alt, m.group("name")):
            return m.group("name"), compact(m.group("post")), m.end()
        # 张某某：主持…  a name and a colon, the post printed nowhere near
        m = re.match(rf"^(?P<name>{_NAME}?)\s*[：:]\s*(?=(?:{w.verb_alt}))", line)
        if m and looks_like_name(compact(m.group("name"))):
            return compact(m.group("name")), "", m.end()
        return None

    def logical_lines(self) -> list[tuple[int, int]]:
        """The view's logical lines, split again where a printed line opens a leader's paragraph
        (a leader's head, a name on a line of its own, a pairing label)."""
        w = _words()
        out = []
        for ls, le in self.text.lines(self.doc.start, self.doc.end):
            pieces = self.text.printed_lines(max(ls, self.doc.start), min(le, self.doc.end))
            for s, e in pieces:
                piece = self.t[s:e]
                opens = self.header(piece) or w.partner.search(piece) or looks_like_name(compact(piece)) \
                    or self.unreadable_head(piece)
                if out and not opens and out[-1][1] <= s and self.t.rfind("\n", 0, s) < out[-1][0]:
                    out[-1] = (out[-1][0], e)                   # the same logical line goes on
                else:
                    out.append((s, e))
        return out

    def named_posts(self, body: str) -> dict[str, str]:
        """Posts whose holder the document names (市长张某, 张某市长, 市长：张某)."""
        w = _words()
        found: dict[str, str] = {}
        for m in re.finditer(rf"(?:^|(?<=[\s，。、：；（(]))(?P<post>{w.post_alt})\s*[：:]?\s*(?P<name>[{_HAN}](?:[ \t]?[{_HAN}]){{1,2}})(?:同志)?(?=[\s，。、；）)]|同志|$)", body, re.M):
            name = compact(m.group("name"))
            post = compact(m.group("post"))
            if not re.match(w.verb_alt, name) and not post.startswith("副"):
                found.setdefault(post, name)          # a deputy post has several holders: never resolved by name
        return found

    # ------------------------------------------------------------------------
    def clauses(self, leader: _Leader, s: int, e: int) -> None:
        w = _words()
        t = self.t
        ev = (t.rfind("\n", 0, s) + 1, e)
        who = leader                             # running text names its subject; it holds until the next one
        for sm in re.finditer(r"[^。；;]+", t[s:e]):
            a, b = s + sm.start(), s + sm.end()
            sent = sm.group()
            acting = re.search(r"由(?P<who>[^，。由]+?)(?P<v>代分管|代管)(?P<after>[^，。]*)", sent)
            if acting and leader is not None:
                self.acting(leader, sent, acting, a, ev)
                continue
            found = False
            carry: Optional[str] = None          # 分管A，B，C: a unit list runs on across commas
            for cm in re.finditer(r"[^，,]+", sent):
                clause, c0 = cm.group(), a + cm.start()
                vm = re.match(rf"\s*(?:还|并|同时|另|则)?(?P<v>{w.verb_alt})", clause)
                if not vm:
                    # 樊金龙负责…: a subject right before the verb
                    sv = re.match(rf"^(?P<who>.*?)(?:还|并|同时|另|则)?(?=(?:{w.verb_alt}))", clause)
                    named = self.subject(sv.group("who")) if sv and sv.group("who").strip() else None
                    if named is not None:
                        who = named
                        vm = re.match(rf"\s*(?:还|并|同时|另|则)?(?P<v>{w.verb_alt})", clause[sv.end():])
                        clause, c0 = clause[sv.end():], c0 + sv.end()
                if not vm:
                    if carry and self.unit_like(clause):
                        for name, *_ in self.units(clause, c0):
                            self.fact(who, carry, name, ev)
                        continue
                    named = self.subject(clause)
                    if named is not None:       # 由南京市长之职升任江苏副省长的缪瑞林，…分管…
                        who = named
                    carry = None
                    continue
                verb, obj, o0 = vm.group("v"), clause[vm.end():], c0 + vm.end()
                label = re.match(r"\s*[：:]\s*", obj)        # 分管部门：市审计局
                if label:
                    obj, o0 = obj[label.end():], o0 + label.end()
                rel = w.verbs[verb]
                carry = None
                if who is None:
                    continue
                if who is not leader and who.person:
                    self.posts_of.setdefault(who.person, who.position)
                if rel == "none":
                    found = True
                    continue
                if rel == "assists":
                    inner = re.match(r"(?P<whom>.*?)(?P<v2>负责|分管|联系)(?P<obj>.+)$", obj)
                    if not inner:
                        # 协助市长日常工作: the leader assisted, then the area itself
                        bare = re.match(rf"(?P<whom>(?:{w.post_alt}))(?P<obj>.+)$", compact(obj))
                        if bare and bare.group("obj").endswith("工作"):
                            for name, *_ in self.areas(bare.group("obj"), o0):
                                self.fact(who, "assists", name, ev)
                            found = True
                        else:
                            self.skip(a, b, "协助 without 负责/分管/联系")
                        continue
                    sub = w.verbs[inner.group("v2")]
                    items = self.objects(sub, inner.group("obj"), o0 + inner.start("obj"))
                    for name, *_ in items:
                        self.fact(who, "assists", name, ev)
                    found = True
                    if sub != "in_charge" and self.unit_like(inner.group("obj")):
                        carry = "assists"
                    continue
                items = self.objects(rel, obj, o0)
                for name, *_ in items:
                    self.fact(who, rel, name, ev)
                found = found or bool(items)
                if rel in ("supervises", "liaises"):
                    carry = rel
            if not found and who is not None and re.search(r"负责|分管|联系|协助", sent):
                self.skip(a, b, "portfolio clause not read")

    def objects(self, rel: str, obj: str, at: int) -> list[tuple[str, int, int]]:
        """Areas after 负责 (and after 分管 when they are areas: 协助分管财政、审计工作), else units."""
        if rel == "in_charge" or (re.search(r"工作\s*$", obj) and not self.unit_like(obj)):
            return self.areas(obj, at)
        return self.units(obj, at)

    @staticmethod
    def unit_like(s: str) -> bool:
        items = [compact(x) for x in re.split(r"[、（）()]|及|以及", s) if compact(x)]
        return bool(items) and all(re.search(r"[局委办厅会院部室府处站所行司团联]$|海关$|中心$", x)
                                   for x in items[:1])

    def areas(self, obj: str, at: int) -> list[tuple[str, int, int]]:
        w = _words()
        out = []
        # 分管省政府办公厅和编制、财政工作: a body joined by 和 to the areas after it is an object of its own
        items = []
        for m in re.finditer(r"[^、]+", obj):
            j = re.match(r"(?P<unit>.+?(?:办公厅|办公室|厅|局|委|办))和(?P<rest>.+)$", m.group())
            if j and self.unit_like(j.group("unit")):
                items.append((j.group("unit"), m.start(), m.start() + j.end("unit")))
                items.append((j.group("rest"), m.start() + j.start("rest"), m.end()))
            else:
                items.append((m.group(), m.start(), m.end()))
        scope = ""
        domain = ""
        for i, (text, a, b) in enumerate(items):
            name = compact(text)
            name = self.drop_tail(name)
            if not name:
                continue
            if domain and w.activity.match(name):
                name = domain + name
            else:
                d = w.domain.match(name)
                domain = d.group("domain") if d else ""
            own = next((name[:name.find(sc) + len(sc)] for sc in w.scopes
                        if 0 < name.find(sc) and name.find(sc) + len(sc) < len(name)), "")
            if own:
                scope = own
            elif scope and not any(sc in name for sc in w.scopes) and len(name) <= 4:
                name = scope + name
            out.append((name, at + a, at + b))
        return out

    def drop_tail(self, name: str) -> str:
        w = _words()
        if name.endswith(w.keep_work):
            return name
        changed = True
        while changed:                                  # 金融等方面工作 -> 金融
            changed = False
            for tail in w.drop_tail:
                if name.endswith(tail) and len(name) > len(tail) and not name.endswith(w.keep_work):
                    name, changed = name[:-len(tail)], True
                    break
        return name

    def units(self, obj: str, at: int) -> list[tuple[str, int, int]]:
        obj = re.sub(r"(?:等)?(?:部门|单位)?(?:工作)?\s*$", "", obj) if re.search(r"等(?:部门|单位)?\s*$", obj) else obj
        obj = re.sub(r"(?:方面的工作|方面工作|的工作|工作)\s*$", "", obj)   # 联系妇联、工商联工作
        out = []
        for piece in re.finditer(r"(?:(?!以及|及).)+", obj):   # 市司法局及市监狱管理局
            out.extend((u.name, u.start, u.end) for u in split_unit_list(piece.group(), at + piece.start()) if u.name)
        return out

    def acting(self, leader: _Leader, sent: str, m: re.Match, a: int, ev: tuple[int, int]) -> None:
        who = compact(m.group("who"))
        post, name = None, who
        if who.endswith("同志"):
            who = name = who[:-2]
        for k in (2, 3):
            if len(who) > k and ends_as_post(who[:-k]):
                post, name = who[:-k], who[-k:]
                break
        else:
            if ends_as_post(who):
                post, name = who, None
        what = sent[:m.start()] + m.group("after")
        scopes = []
        if "负责" in what:
            scopes.append("in_charge")
        if "分管" in what or m.group("v") == "代分管":
            scopes.append("supervises")
        if not scopes:
            scopes.append("in_charge")
        named = re.match(rf"^\s*(?P<abs>[{_HAN}]{{2,3}})同志", sent)
        absent = named.group("abs") if named else (leader.person or leader.position)
        for sc in scopes:
            self.fact(leader, "acting", absent, ev, scope=sc,
                      person=name, position=post)

    def partners(self, s: int, e: int, ev: tuple[int, int]) -> None:
        for m in re.finditer(r"[^，,；;、。]+", self.t[s:e]):
            pair = [compact(x) for x in _DASH.split(m.group()) if compact(x)]
            if len(pair) != 2:
                self.skip(s + m.start(), s + m.end(), "分工协作 pair not read")
                continue
            leader = _Leader(pair[0], "")
            self.fact(leader, "partner", pair[1], ev, person=pair[0], position=None)
