"""任免 notices become appointment facts: one person a line, one fact a post.

Printed shapes: a header (``任命：`` / ``免去：``) and lines under it (``刘黎波为云南警官学院院长``,
``郭永东省预防腐败局局长职务``, ``郭　宝云南警官学院院长职务``), or a verb on each line
(``李　明　免去省××局副局长职务；``, ``王小红　任××大学副校长（试用期一年）；``,
``张三　任省财政厅厅长，免去其省审计厅厅长职务``).  Notes (试用期一年, 退休,
保留…待遇) are kept as ``notes``, never as part of the post.  A document printed in
traditional characters gives its facts in simplified ones (OpenCC ``t2s``).

Lines are read as printed (the normaliser may have joined them) and a line that is no
appointment — a page of another document interleaved by the PDF — is passed over.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from zhize.extract.base import Extraction
from zhize.extract.textview import TextView
from zhize.extract.lexicon import compact, load_data, person_columns
from zhize.extract.people import ends_as_post, looks_like_name, split_run_together
from zhize.extract.types import AppointmentFact, DocumentInfo

from zhize.extract.lexicon import HAN as _HAN  # noqa: E402


@dataclass(frozen=True)
class _Words:
    appoint: tuple[str, ...]
    remove: tuple[str, ...]
    header: re.Pattern
    notes: tuple[re.Pattern, ...]
    post_starts: tuple[str, ...]
    bare_post: re.Pattern
    trailing_post: re.Pattern
    columns: dict[str, str]             # a 任免 table's column header -> the action of its posts


@lru_cache(maxsize=1)
def _words() -> _Words:
    d = load_data("appointment_words.yaml")
    headers = sorted(d["appoint_headers"] + d["remove_headers"], key=len, reverse=True)
    bare = d["bare_post_pattern"]
    return _Words(
        appoint=tuple(sorted(d["appoint_words"], key=len, reverse=True)),
        remove=tuple(sorted(d["remove_words"], key=len, reverse=True)),
        header=re.compile(r"^(?:[^：:，。]{0,14}决定[，,]?\s*)?(?P<h>" + "|".join(r"\s*".join(h) for h in headers)
                          + r")\s*(?:[：:]|$)"),
        notes=tuple(re.compile(p) for p in d["notes"]),
        post_starts=tuple(sorted(d["post_starts"], key=len, reverse=True)),
        bare_post=re.compile(bare),
        columns={compact(w): act for act in ("appoint", "remove") for w in d["table_columns"][act]},
        trailing_post=re.compile(bare.lstrip("^")),
    )


_NUMBER = re.compile(r"任\s*[〔\[［【(（]\s*\d{4}")
_NAMES = rf"[{_HAN}]{{2,4}}(?:同志)?(?:（[男女]）)?(?:、[{_HAN}]{{2,4}}(?:同志)?)*"
# the people a decision names right after its verb: 张　三, 李四同志, 王五（女）, 张三、李四
_NAME_LIST = rf"[{_HAN}](?:\s?[{_HAN}]){{1,3}}?\s*(?:同志)?(?:（[男女]）)?(?:、\s*[{_HAN}](?:\s?[{_HAN}]){{1,3}}?\s*(?:同志)?(?:（[男女]）)?)*?"


def _names_of(names: str) -> list[str]:
    return [compact(re.sub(r"同志|（[男女]）", "", n)) for n in names.split("、") if compact(n)]
# a decision stated outright, as news reports and minutes quote them: 任命X为… / 免去X的…职务
_EXPLICIT = re.compile(rf"(?:任命|聘任){_NAMES}为|免去{_NAMES}的")
# …not a decision: 被任命为 (a biography), 提请任命 (a motion), 接受…辞去 (a resignation), 拟任
_NOT_A_DECISION = re.compile(r"(?:被|曾|拟|提请|建议|接受)$")
# a printed line that opens a record of its own: 张小明为…, 程　鹏省…职务, 李　明　免去…, 任命：
_RECORD_START = re.compile(rf"(?:任\s*命|免\s*去|聘\s*任)|[{_HAN}](?:\s?[{_HAN}]){{1,3}}?(?:同志)?(?:为|的)|"
                           rf"[{_HAN}]\s+[{_HAN}]{{1,2}}\s*[{_HAN}]|[{_HAN}]{{2,4}}\s+(?:任|免去)")
_NEXT_DECISION = re.compile(rf"，(?=\s*(?:决定)?(?:任命|免去|聘任){_NAMES}(?:为|的))")
_TITLE = re.compile(r"任免|任命|免职|免去|任职|聘任|职务")
_LEADING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*)")


@dataclass
class _Item:
    action: str
    person: str
    text: str                # the posts as printed, notes still in
    start: int               # offsets into the line
    end: int


class AppointmentExtractor:
    """appointment facts of one 任免 document."""

    name = "appointments"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        out = Extraction()
        body = text.text[doc.start:doc.end]
        notice = self.is_appointment_doc(doc, body)
        if not notice and not _EXPLICIT.search(body):
            return out
        region = self.regions(doc)
        action: Optional[str] = None
        seen: set[tuple] = set()
        table: dict[int, str] = {}          # the columns of a 任免 table: index -> "name" | action
        for s, e in self.clauses_of(text, doc):
            line, printed = text.text[s:e], text.printed[s:e]
            if "\t" in line:
                header = self.table_header(line)
                if header:
                    table = header
                    continue
                if table:
                    items = self.table_row(line, s, table)
                    for it in items:
                        posts, notes = self.posts(it.text, it.action, region)
                        for post in posts:
                            if (it.person, it.action, post) not in seen:
                                seen.add((it.person, it.action, post))
                                out.add(AppointmentFact(
                                    doc=doc.doc, source=text.source(s, e), evidence=printed, person=it.person,
                                    action=it.action, position=post, notes=notes or None), s, e)
                    if not items and notice:
                        out.unparsed.append(text.unparsed(s, e, "任免 table row without a person and a post"))
                    continue
            else:
                table = {}
            start_at = 0
            # the decision itself, past what the sentence says first (…其中提到，省政府决定免去…)
            found = next((m for m in _EXPLICIT.finditer(line)
                          if not _NOT_A_DECISION.search(line[max(0, m.start() - 6):m.start()])), None)
            if found is not None and (found.start() == 0 or re.search(r"[，：、]|决定$|新$", line[:found.start()])):
                start_at = found.start()
            elif not notice:
                continue                    # a report that quotes decisions: only explicit ones count
            h = _words().header.match(line[start_at:])
            if h:
                action = "appoint" if compact(h.group("h")) in ("任命", "聘任") else "remove"
                rest_at = start_at + h.end()
                if not line[rest_at:].strip():
                    continue
            else:
                rest_at = start_at
            items, why = self.parse_line(line, rest_at, action, region)
            if not items:
                if why and notice:
                    out.unparsed.append(text.unparsed(s, e, why))
                continue
            for it in items:
                posts, notes = self.posts(it.text, it.action, region)
                if not posts:
                    out.unparsed.append(text.unparsed(s, e, "appointment line without a post"))
                for post in posts:
                    key = (it.person, it.action, post)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.add(AppointmentFact(
                        doc=doc.doc, source=text.source(s, e), evidence=printed,
                        person=it.person, action=it.action, position=post, notes=notes or None), s, e)
        return out

    @staticmethod
    def table_header(line: str) -> dict[int, str]:
        """A 任免 table's header (姓名 | 任职 | 免职): which column names the person, which the posts."""
        cells = [compact(c) for c in line.split("\t")]
        cols = {k: _words().columns[c] for k, c in enumerate(cells) if c in _words().columns}
        names = [k for k, c in enumerate(cells) if c in person_columns()]
        return {names[0]: "name", **cols} if names and cols else {}

    @staticmethod
    def table_row(line: str, at: int, table: dict[int, str]) -> list[_Item]:
        cells, pos = [], 0
        for cell in line.split("\t"):
            cells.append((cell, at + pos))
            pos += len(cell) + 1
        name_col = next(k for k, v in table.items() if v == "name")
        if name_col >= len(cells) or not looks_like_name(compact(cells[name_col][0])):
            return []
        person = compact(cells[name_col][0])
        return [_Item(act, person, cells[k][0].strip(), cells[k][1], cells[k][1] + len(cells[k][0]))
                for k, act in table.items() if act != "name" and k < len(cells) and cells[k][0].strip()]

    @staticmethod
    def clauses_of(text: TextView, doc: DocumentInfo) -> list[tuple[int, int]]:
        """Each decision: logical lines split at ；。 (outside brackets), at a comma where the next
        decision names another person (免去A的X职务，任命B为X), and where a printed line opens a
        new record (a list under 任命：/免去： printed a person a line, without punctuation)."""
        out = []
        for s, e in text.lines(doc.start, doc.end):
            s, e = max(s, doc.start), min(e, doc.end)
            line = text.text[s:e]
            cuts = [0]
            depth = 0
            for i, ch in enumerate(line):
                depth += 1 if ch == "（" else -1 if ch == "）" and depth else 0
                if depth == 0 and ch in "；。" and i + 1 < len(line):
                    cuts.append(i + 1)
            cuts.extend(m.start() + 1 for m in _NEXT_DECISION.finditer(line))
            i = bisect.bisect_right(text.breaks, s)
            while i < len(text.breaks) and text.breaks[i] < e:
                at = text.breaks[i] - s
                before = line[:at].rstrip()
                ended = before.endswith(("职务", "待遇", "退休", "）")) or ends_as_post(before)
                if _words().header.match(line[at:]) or ended and (
                        before.endswith(("职务", "待遇", "退休")) or _RECORD_START.match(line, at)):
                    cuts.append(at)
                i += 1
            cuts = sorted(set(cuts)) + [len(line)]
            for a, b in zip(cuts, cuts[1:]):
                while a < b and line[a].isspace():
                    a += 1
                while b > a and line[b - 1].isspace():
                    b -= 1
                if b > a:
                    out.append((s + a, s + b))
        return out

    @staticmethod
    def is_appointment_doc(doc: DocumentInfo, body: str) -> bool:
        head = compact((doc.title or "") + (doc.doc or ""))
        if _NUMBER.search(head):
            return True
        title = compact(doc.title or "")
        if _TITLE.search(title) and re.search(r"(?:通知|决定|命令|公告)$", title):
            return True
        return bool(re.search(r"(?m)^\s*(?:任\s*命|免\s*去)\s*[：:]\s*$", body))

    @staticmethod
    def regions(doc: DocumentInfo) -> tuple[str, ...]:
        """Post openings: the YAML's plus the issuer's own place name (云南, 红河)."""
        starts = list(_words().post_starts)
        issuer = compact(doc.issuer or doc.title or "")
        m = re.match(rf"^([{_HAN}]{{2,}}?)(?:省|市|州|县|区|自治区|自治州|特别行政区|人民政府|政府)", issuer)
        if m:
            starts.append(m.group(1))
        return tuple(sorted(set(starts), key=len, reverse=True))

    # -- one printed line ---------------------------------------------------
    def parse_line(self, line: str, at: int, action: Optional[str],
                   region: tuple[str, ...]) -> tuple[list[_Item], Optional[str]]:
        w = _words()
        text = line[at:]
        lead = _LEADING.match(text)
        if lead:
            at += lead.end()
            text = line[at:]
        text = re.sub(r"^\s*[^：。，]{0,24}?决定[：:，]?\s*", "", text)     # 经省人民政府研究决定：
        body = text.rstrip("；;。. ")
        if not body:
            return [], None
        # 任命张三为X / 免去张三的X职务
        m = re.match(rf"^(?P<v>{'|'.join(w.appoint + w.remove)})\s*(?P<names>{_NAME_LIST})\s*(?:为|的|兼任)(?P<p>.+)$", body)
        if m:
            act = "appoint" if m.group("v") in w.appoint else "remove"
            items: list[_Item] = []
            for person in _names_of(m.group("names")):     # 决定任命A、B为X: one item each
                items.extend(self.clauses(person, act, m.group("p"), at + m.start("p"), m.group("v") == "任命"))
            return items, None
        # 任命市发展改革委副主任张三为市发展改革委主任: a current post before the name
        m = re.match(r"^(?P<v>任命|聘任|免去)(?P<who>[^为的，。]{4,40}?)(?:同志)?(?:为|的)(?P<p>.+)$", body)
        if m:
            pieces = split_run_together(compact(m.group("who")))
            if len(pieces) >= 2 and pieces[-1][0] == "name" and pieces[0][0] == "post":
                act = "appoint" if m.group("v") in w.appoint else "remove"
                return self.clauses(pieces[-1][1], act, m.group("p"), at + m.start("p")), None
        # 张三为X (under a header); a name may end in 为 itself (李大为为…)
        v = re.match(rf"^(?P<v>{'|'.join(w.remove)})\s*", body)
        if v:                                          # 免去张三省教育厅副厅长职务
            split = self.glued_name(body[v.end():], region)
            if split:
                person, k = split
                return self.clauses(person, "remove", body[v.end() + k:], at + v.end() + k), None
            return [], "looks like an appointment line but no person and post were read"
        cands = [re.match(rf"^(?P<name>[{_HAN}](?:\s?[{_HAN}]){{{n}}})\s*(?:同志)?为(?P<p>.+)$", body) for n in (1, 2, 3)]
        cands = [m for m in cands if m]
        if cands:
            m = next((c for c in cands if c.group("p").startswith(region)), cands[0])
            return [_Item(action or "appoint", compact(m.group("name")), m.group("p"), at, at + len(body))], None
        # 张三　任X，免去其Y职务
        m = re.match(rf"^(?P<name>[{_HAN}](?:\s+[{_HAN}])?[{_HAN}]{{0,3}})\s+(?P<rest>(?:{'|'.join(w.appoint + w.remove)}).+)$", body)
        if m and 2 <= len(compact(m.group("name"))) <= 4:
            items = []
            person = compact(m.group("name"))
            rest, off = m.group("rest"), at + m.start("rest")
            verbs = "|".join(w.appoint + w.remove)
            for c in re.finditer(rf"(?:^|(?<=[，,；;]))\s*(?P<v>{verbs})(?:其|该同志)?(?P<p>[^，,；;]+(?:[，,](?!\s*(?:{verbs}))[^，,；;]+)*)", rest):
                act = "appoint" if c.group("v") in w.appoint else "remove"
                items.append(_Item(act, person, c.group("p"), off + c.start(), off + c.end()))
            if items:
                return items, None
        # 吴建国任省民政厅副厅长 (name glued to the verb; 王　强任…: a name spaced out)
        verbs = "|".join(w.appoint + w.remove)
        for n in (1, 2, 3):
            m = re.match(rf"^(?P<name>[{_HAN}](?:\s?[{_HAN}]){{{n}}})(?:同志)?(?P<v>{verbs})(?P<p>.+)$", body)
            if m and m.group("p").lstrip("其").startswith(region):
                act = "appoint" if m.group("v") in w.appoint else "remove"
                return self.clauses(compact(m.group("name")), act, m.group("p"), at + m.start("p")), None
        # under a header: 郭永东省预防腐败局局长职务 / 郭　宝云南警官学院院长职务 / 刘黎波　省…
        if action is not None:
            split = self.glued_name(body, region)
            if split:
                person, k = split
                posts, _ = self.posts(body[k:], action, region)
                # a line of an interleaved page is no entry: a removal names 职务, an appointment ends in a post
                if ("职务" in body) if action == "remove" else (len(body) <= 60 and posts and ends_as_post(posts[-1])):
                    return [_Item(action, person, body[k:], at + k, at + len(body))], None
        if re.search(r"职务|任命|免去|试用期", body) and len(body) <= 80 \
                and not re.search(r"(?:通知|决定|批复|函)$", body):
            return [], "looks like an appointment line but no person and post were read"
        return [], None

    @staticmethod
    def clauses(person: str, action: str, posts: str, at: int, named: bool = False) -> list[_Item]:
        """``X，免去其Y职务``: a clause after the first may carry its own verb."""
        w = _words()
        verbs = "|".join(w.appoint + w.remove)
        parts = list(re.finditer(rf"(?:^|(?<=[，,；;]))\s*(?:(?P<v>{verbs})(?:其|该同志)?(?:的)?)?(?P<p>[^，,；;]+)", posts))
        items: list[_Item] = []
        for i, c in enumerate(parts):
            other = re.match(rf"^\s*(?P<name>[{_HAN}]{{2,4}}?)(?:同志)?为(?P<p>.+)$", c.group("p")) if i else None
            if i == 0:
                items.append(_Item(action, person, c.group("p"), at + c.start("p"), at + c.end()))
            elif other and not c.group("v") and looks_like_name(other.group("name")):
                # 任命A为X，B为Y: the next person, the same decision
                items.append(_Item(action, other.group("name"), other.group("p"), at + c.start("p") + other.start("p"), at + c.end()))
            elif c.group("v"):
                act = "appoint" if c.group("v") in w.appoint else "remove"
                items.append(_Item(act, person, c.group("p"), at + c.start("p"), at + c.end()))
            else:                                  # notes (退休, 保留…待遇) stay with the clause before
                items[-1].text += "，" + c.group("p")
        return items

    @staticmethod
    def glued_name(body: str, region: tuple[str, ...]) -> Optional[tuple[str, int]]:
        m = re.match(rf"^([{_HAN}])\s+([{_HAN}])", body)
        if m:                                           # 郭　宝云南…
            return m.group(1) + m.group(2), m.end()
        for n in (2, 3, 4):                             # 张三的省…职务 / 张三同志省…职务
            m = re.match(rf"^([{_HAN}]{{{n}}})(?:同志)?的?", body)
            if m and m.end() > n and body[m.end():].startswith(region):
                return m.group(1), m.end()
        m = re.match(rf"^([{_HAN}]{{2,4}})\s+\S", body)
        if m:                                           # 刘黎波　省…
            return m.group(1), m.end() - 1
        for k in (3, 2, 4):
            if len(body) > k + 2 and body[k:].startswith(region) and re.match(rf"^[{_HAN}]{{{k}}}$", body[:k]):
                return body[:k], k
        return None

    # -- the posts of one clause ------------------------------------------------
    def posts(self, text: str, action: str, region: tuple[str, ...]) -> tuple[list[str], list[str]]:
        w = _words()
        text = compact(text).rstrip("；;。，,")
        notes: list[str] = []
        for pat in w.notes:
            for m in list(pat.finditer(text)):
                notes.append(m.group())
            text = pat.sub("", text)
        text = re.sub(r"[（(]\s*[）)]", "", text)        # brackets emptied by a note
        text = re.sub(r"[，,；;]+$", "", text)
        text = re.sub(r"(?:的)?职务$", "", text)
        text = re.sub(r"[，,].*$", "", text)               # anything after the post list
        text = re.sub(r"(?:的)?职务$", "", text)
        text = re.sub(r"^(?:其|该同志)(?:的)?", "", text)
        posts: list[str] = []
        prev_unit, prev_region, prev_government = "", "", ""
        for item in _split_top(text):
            if not item:
                continue
            own = next((r for r in region if item.startswith(r)), "")
            if own:
                full = item
            elif w.bare_post.match(item) and prev_unit:
                full = prev_unit + item                   # 省财政厅厅长、党组书记
            elif prev_government:
                full = prev_government + item             # 广东省人民政府副秘书长、办公厅主任
            elif prev_region:
                full = prev_region + item                 # 省发展改革委副主任、能源局局长
            else:
                full = item
            posts.append(full)
            tail = w.trailing_post.search(full)
            prev_unit = full[:tail.start()] if tail and tail.start() > 0 else prev_unit
            prev_region = next((r for r in region if full.startswith(r)), prev_region)
            gov = re.match(r"^(.+?(?:人民政府|政府))(?!办)", full)
            prev_government = gov.group(1) if gov and len(gov.group(1)) < len(full) else prev_government
        return posts, notes


def _split_top(s: str) -> list[str]:
    """Split on 、 outside brackets."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch == "、" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out
