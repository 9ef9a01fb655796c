"""People and the posts printed beside them, in every layout rosters and notices use.

``罗　萍　州长``, ``刘惠祥（市委常委、常务副市长）``, ``州人民政府州长　罗萍`` (post first),
``陈芸副省长`` and ``刘群心省发展和改革委员会副主任刘平省教育厅副厅长`` (run together),
``闵 成 马梅红 许小建`` (names only, one with a space inside), ``裘东耀、赵树梅``.

A name is two to four characters, led by a surname, where a post does not start;
a post opens with a place, a body or a rank (``data/people.yaml``) and ends with a
post word.  Where name and post run together, the split is the one after which a
post opens; a place opening is stronger evidence than a body's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from zhize.extract import lexicon as lx
from zhize.extract.gazetteer import gazetteer

_HAN = lx.HAN


@dataclass(frozen=True)
class _Words:
    surnames: frozenset[str]
    compound: tuple[str, ...]
    post_end: re.Pattern
    place_opening: re.Pattern
    body_opening: re.Pattern
    short_posts: frozenset[str]
    body_endings: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    d = lx.load_data("people.yaml")
    g = gazetteer()
    # provinces and prefectures by full and short name; counties by full name (蒙自市, 公安县)
    places = set(g.names()) | {d.name for d in g.by_code.values()} | {"省", "市", "州", "县", "区", "乡", "镇", "自治区"}
    bodies = set(d["post_openings"]) - places
    return _Words(
        surnames=frozenset(d["surnames"].replace(" ", "")),
        compound=tuple(d["compound_surnames"]),
        post_end=re.compile("(?:" + lx.alternation(d["post_suffixes"]) + ")$"),
        place_opening=re.compile("(?:" + lx.alternation(places) + ")"),
        body_opening=re.compile("(?:" + lx.alternation(bodies | set(d["short_posts"])) + ")"),
        short_posts=frozenset(d["short_posts"]),
        body_endings=frozenset(d["body_endings"]),
    )


def ends_as_post(s: str) -> bool:
    return bool(_words().post_end.search(s))


def opens_post(s: str, at: int = 0) -> int:
    """2 where a place opens a post at ``at`` (省…, 嘉兴市…), 1 for a body or rank (教育部…, 副省长), else 0."""
    w = _words()
    if w.place_opening.match(s, at):
        return 2
    if w.body_opening.match(s, at):
        return 1
    return 0


_NAME = re.compile(rf"^[{_HAN}·]{{2,4}}$")


def looks_like_name(tok: str, loose: bool = False) -> bool:
    """A person's name as printed on its own (spaces removed): 罗萍, 欧阳建新.

    ``loose``: a name not led by a surname (乌兰图雅), acceptable where a post follows it."""
    w = _words()
    if not _NAME.match(tok) or tok in w.short_posts or opens_post(tok) == 2:
        return False
    if len(tok) >= 3 and (ends_as_post(tok) or (tok[-1] in w.body_endings and opens_post(tok) == 1)):
        return False
    return loose or surname_led(tok)


def surname_led(tok: str) -> bool:
    w = _words()
    return tok[:1] in w.surnames or tok.startswith(w.compound)


def _name_at(s: str, i: int) -> int:
    """Length of a name starting at ``s[i]`` that a post (or the end) follows, 0 when none.

    Of the lengths that fit, the one after which a place opens wins over one after
    which a body opens; a three-character name wins a tie."""
    if opens_post(s, i):
        return 0
    w = _words()
    best, best_score = 0, (0, 0)
    compound = s.startswith(w.compound, i)
    if not (s[i:i + 1] in w.surnames or compound):
        return 0
    for k in ((3, 2) if not compound else (3, 4)):
        name = s[i:i + k]
        if len(name) < k or not re.match(rf"^[{_HAN}]+$", name) or name[-1] in "副正局厅委部办院会处室府":
            continue
        rest = i + k
        if rest == len(s):
            score = (1, 0)
        else:
            post = max((len(p) for p in w.short_posts if s.startswith(p, rest)), default=0)
            # 陈芸副省长: a whole post follows; else a place opening beats a body's name
            score = (3, post) if post else (opens_post(s, rest), 0)
        if score > best_score:
            best, best_score = k, score
    if best_score[0] == 0:
        return 0
    return best


def split_run_together(s: str) -> list[tuple[str, str]]:
    """``陈芸副省长`` -> [(name, 陈芸), (post, 副省长)]; several people run together too."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(s):
        k = _name_at(s, i)
        if k:
            out.append(("name", s[i:i + k]))
            i += k
            continue
        j = _post_end(s, i)
        out.append(("post", s[i:j]))
        i = j
    return out


def _post_end(s: str, i: int) -> int:
    """Where the post opening at ``i`` ends: at a post word followed by the next person's name, or at the end."""
    for j in range(i + 2, len(s)):
        if ends_as_post(s[i:j]) and _name_at(s, j):
            k = _name_at(s, j)
            after = j + k
            if after == len(s) or opens_post(s, after):
                return j
    return len(s)


@dataclass(frozen=True)
class Person:
    name: Optional[str]          # None: a seat filled by a post (州长 is head, name not printed)
    post: Optional[str]
    start: int                   # offsets in the parsed segment
    end: int


_BRACKETED = re.compile(rf"(?P<name>[{_HAN}](?:\s*[{_HAN}]){{1,3}})\s*（(?P<post>[^）]+)）")
_TOKEN = re.compile(r"[^\s，；。]+")


def parse_people(seg: str) -> list[Person]:
    """The people (and seats given by post) printed on one roster row or after one role label."""
    bracketed = list(_BRACKETED.finditer(seg))
    if bracketed and all(looks_like_name(lx.compact(m.group("name"))) for m in bracketed):
        return [Person(lx.compact(m.group("name")), lx.compact(m.group("post")), m.start(), m.end()) for m in bracketed]
    pieces = _pieces(seg)
    out: list[Person] = []
    if len(pieces) == 2 and pieces[0][0] == "post" and pieces[1][0] == "name" and not ends_as_post(pieces[1][1]):
        # position first: 州人民政府州长　罗萍
        (_, post, a, _), (_, name, _, b) = pieces
        return [Person(name, post, a, b)]
    pending: Optional[tuple[str, int, int]] = None
    for kind, value, a, b in pieces:
        if kind == "name":
            if pending is not None:
                out.append(Person(pending[0], None, pending[1], pending[2]))
            pending = (value, a, b)
        elif pending is not None:
            out.append(Person(pending[0], value, pending[1], b))
            pending = None
        else:
            out.append(Person(None, value, a, b))
    if pending is not None:
        out.append(Person(pending[0], None, pending[1], pending[2]))
    return out


def _pieces(seg: str) -> list[tuple[str, str, int, int]]:
    """Names and posts in print order, with their offsets.

    Spaces and ，； separate; a lone character and the one after it are one spaced name
    (罗　萍); 、 separates names (裘东耀、赵树梅) but joins the posts of one person."""
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(seg)]
    out: list[tuple[str, str, int, int]] = []
    i = 0
    w = _words()
    while i < len(toks):
        tok, a, b = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and len(tok) > 3 and tok[-1] in w.surnames and ends_as_post(tok[:-1]) \
                and 1 <= len(nxt[0]) <= 2 and re.match(rf"^[{_HAN}]+$", nxt[0]):
            # …委员会主任周　济: the next person's spaced name starts at the end of this post
            toks[i:i + 2] = [(tok[:-1], a, b - 1), (tok[-1] + " " + nxt[0], b - 1, nxt[2])]
            tok, b = tok[:-1], b - 1
            nxt = toks[i + 1]
        if " " in tok:                                              # a spaced name split off above
            out.append(("name", lx.compact(tok), a, b))
            i += 1
            continue
        if len(tok) == 1 and nxt is not None and 1 <= len(nxt[0]) <= 2 and re.match(rf"^[{_HAN}]+$", nxt[0]) \
                and re.match(rf"^[{_HAN}]$", tok) and not opens_post(nxt[0]):
            out.append(("name", tok + nxt[0], a, nxt[2]))          # 罗　萍
            i += 2
            continue
        parts = [p for p in tok.split("、")]
        # a name no surname leads (乌兰图雅) only where a post follows it
        followed = nxt is not None and (opens_post(nxt[0]) or ends_as_post(nxt[0]))
        if len(parts) > 1 and all(looks_like_name(p) for p in parts if p):
            pos = a
            for p in parts:
                if p:
                    out.append(("name", p, pos, pos + len(p)))
                pos += len(p) + 1
            i += 1
            continue
        pos = a
        for n, part in enumerate(parts):
            if n:
                pos += 1                                            # the 、
            if looks_like_name(part, loose=followed and len(parts) == 1):
                out.append(("name", part, pos, pos + len(part)))
            else:
                split = split_run_together(part)
                after_name = bool(out) and out[-1][0] == "name" and n == 0
                if after_name and split and split[0][0] == "name" and len(split) > 1 \
                        and opens_post(part, len(split[0][1])) < 2:
                    split = [("post", part)]        # 王胜昌　金水河海关关长: a post follows a name
                p = pos
                for kind, value in split:
                    out.append((kind, value, p, p + len(value)))
                    p += len(value)
            pos += len(part)
        i += 1
    return _join_post_lists(out, seg)


def _join_post_lists(pieces: list[tuple[str, str, int, int]], seg: str) -> list[tuple[str, str, int, int]]:
    """中央宣传部副部长、中央政研室副主任: posts joined by 、 are one person's."""
    out: list[tuple[str, str, int, int]] = []
    for kind, value, a, b in pieces:
        if out and kind == "post" and out[-1][0] == "post" and seg[out[-1][3]:a] == "、":
            k, v, a0, _ = out.pop()
            out.append((k, v + "、" + value, a0, b))
        else:
            out.append((kind, value, a, b))
    return out
