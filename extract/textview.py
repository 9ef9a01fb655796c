"""The one text every extractor reads: what a reader sees, every character mapped to the file.

A file arrives as a PDF bulletin laid out line by line, a policy web page in
HTML, a news page saved as text, in simplified or traditional script.  The
text view undoes all of that once, so that the document splitter and every
extractor read the same string:

* markup: tags removed, entities decoded, blocks as lines, table rows as
  tab-separated cells (``extract/markup.py``);
* pinyin glosses that mirror sites put after characters (``國(guó)``) removed;
* script and width: traditional characters read as simplified, half-width
  punctuation as full width, every bracket pair as （ ）, odd spaces as a plain
  space — character for character, so ``printed`` keeps the characters as
  printed at the same positions;
* layout: hard-wrapped lines joined into logical lines (a paragraph, heading,
  roster row or table row a line), blank lines, running headers, page numbers
  and web page furniture dropped, tables printed one cell or one character a
  line rebuilt as rows;
* the metadata fields of a policy page (发文字号, 成文日期, …) read into
  ``fields`` instead of the body.

Characters are never invented: besides the one-to-one rewrites, the only
inserted characters are the tabs and line breaks that stand on a break of the
source.  ``origin[i]`` is the offset in the file as read of ``text[i]``, so any
span maps back exactly (``TextView.source``).  ``breaks`` remembers where a
printed line ended inside a logical line, for the extractors that read
rosters and lists one printed line at a time.
"""
from __future__ import annotations

import bisect
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterator, Optional

from zhize.extract import lexicon as lx
from zhize.extract.markup import looks_like_html, strip_markup
from zhize.extract.types import RawText, Source, Unparsed


@dataclass(frozen=True)
class Field:
    """A metadata field of a page (发文字号：国发〔2018〕42号)."""

    text: str           # as the view reads it (simplified, brackets as （）), spaces removed
    value: str          # for the facts: simplified, brackets as printed (国发〔2003〕28号)
    start: int          # offsets in the file as read
    end: int


@dataclass(frozen=True, eq=False)
class TextView:
    raw: RawText
    text: str
    printed: str                     # same length as text: the characters as printed
    origin: array                    # len(text) + 1 offsets into raw.text; the last is the raw end
    breaks: array                    # sorted offsets where a printed line ended inside a logical line
    wrap_width: Optional[int] = None
    traditional: bool = False
    fields: dict = field(default_factory=dict)     # name -> Field
    pages: tuple = ()                # (view offset where a page ended, its printed number, the line's style)

    @property
    def file(self) -> str:
        return self.raw.file

    # -- back to the file ------------------------------------------------------
    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the file as read (a part of a bigger file counts from the file's start)."""
        base = self.raw.offset
        if end <= start:
            return base + self.origin[start], base + self.origin[start]
        return base + self.origin[start], base + self.origin[end - 1] + 1

    def source(self, start: int, end: int) -> Source:
        a, b = self.raw_span(start, end)
        return Source(file=self.raw.file.rsplit("/", 1)[-1], start=a, end=b)

    @cached_property
    def _raw_line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.raw.text)]

    def raw_line(self, start: int) -> int:
        """1-based line in the file as read of view offset ``start``."""
        return self.raw.line_offset + bisect.bisect_right(self._raw_line_starts, self.origin[min(start, len(self.text))])

    def view_offset(self, raw_offset: int) -> int:
        """The first view position at or after ``raw_offset`` in the file."""
        return bisect.bisect_left(self.origin, raw_offset, 0, len(self.text))

    def name(self, start: int, end: int) -> str:
        """A name or number for the facts: simplified script, brackets and marks as printed, no spaces.

        The scorer and the user compare 国发〔2018〕42号 with its brackets as printed, and a
        notice printed in traditional script gives its facts in simplified characters."""
        return _as_name(self.text[start:end], self.printed[start:end])

    def unparsed(self, start: int, end: int, reason: str) -> Unparsed:
        src = self.source(start, end)
        return Unparsed(file=src.file, line=self.raw_line(start), start=src.start, end=src.end,
                        text=self.printed[start:end], reason=reason)

    # -- lines -----------------------------------------------------------------
    def lines(self, start: int = 0, end: Optional[int] = None) -> Iterator[tuple[int, int]]:
        """(start, end) of every logical line overlapping [start, end)."""
        end = len(self.text) if end is None else end
        pos = self.text.rfind("\n", 0, start) + 1
        while pos < end:
            nl = self.text.find("\n", pos)
            stop = len(self.text) if nl < 0 else nl
            yield pos, stop
            pos = stop + 1

    def excerpt(self, parts: tuple[tuple[int, int], ...]) -> "TextView":
        """The view of one document printed in several parts (its pages between another's).

        Parts follow each other as one text; a part that broke off mid-sentence goes on in
        the next one on the same line, as it would have on the next page."""
        if len(parts) == 1 and parts[0] == (0, len(self.text)):
            return self
        t, p, breaks = [], [], []
        o = array("q")
        n = 0
        for k, (a, b) in enumerate(parts):
            if k:
                prev = "".join(t[-1:]).rstrip()
                if prev and prev[-1] not in _CLOSING_MARKS and not _STRUCTURAL_START.match(self.text[a:a + 40]):
                    breaks.append(n)
                else:
                    t.append("\n")
                    p.append("\n")
                    o.append(self.origin[parts[k - 1][1]] if parts[k - 1][1] < len(self.text) else self.origin[-1])
                    n += 1
            t.append(self.text[a:b])
            p.append(self.printed[a:b])
            o.extend(self.origin[a:b])
            i = bisect.bisect_left(self.breaks, a)
            while i < len(self.breaks) and self.breaks[i] < b:
                breaks.append(n + self.breaks[i] - a)
                i += 1
            n += b - a
        o.append(self.origin[parts[-1][1]] if parts[-1][1] < len(self.text) else self.origin[-1])
        return TextView(raw=self.raw, text="".join(t), printed="".join(p), origin=o, breaks=array("q", breaks),
                        wrap_width=self.wrap_width, traditional=self.traditional, fields=self.fields)

    def printed_lines(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans that were one printed line, trimmed and non-empty, clipped to [start, end).

        A hard-wrapped layout (``wrap_width``) cut records where the author did
        not: a piece that fills the width goes on with the next one.
        """
        out: list[tuple[int, int]] = []
        text = self.text
        for ls, le in self.lines(start, end):
            ls, le = max(ls, start), min(le, end)
            s = ls
            i = bisect.bisect_right(self.breaks, ls)
            while i < len(self.breaks) and self.breaks[i] < le:
                out.append((s, self.breaks[i]))
                s = self.breaks[i]
                i += 1
            out.append((s, le))
        trimmed = []
        for s, e in out:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                trimmed.append((s, e))
        return _rejoin_wrapped(self, trimmed)


def _as_name(text: str, printed: str) -> str:
    punct = lx.bracket_table()
    return "".join(pr if ord(pr) in punct else ch for ch, pr in zip(text, printed) if not ch.isspace())


# ====================================================================== building the view


class _Stage:
    """A text on its way to the view: characters, as printed, and their offsets in the file."""

    __slots__ = ("text", "printed", "origin", "end", "hard")

    def __init__(self, text: str, printed: str, origin: array, end: int, hard: frozenset = frozenset()):
        self.text, self.printed, self.origin, self.end, self.hard = text, printed, origin, end, hard

    def at(self, i: int) -> int:
        return self.origin[i] if i < len(self.origin) else self.end


class _Build:
    """Output of a pass: kept slices of the stage and the separators that stand on its breaks."""

    def __init__(self, src: _Stage):
        self.src = src
        self.t: list[str] = []
        self.p: list[str] = []
        self.o = array("q")
        self.n = 0
        self.hard: set[int] = set()
        self.breaks: list[int] = []

    def keep(self, a: int, b: int) -> None:
        if b > a:
            self.t.append(self.src.text[a:b])
            self.p.append(self.src.printed[a:b])
            self.o.extend(self.src.origin[a:b])
            self.n += b - a

    def put(self, ch: str, at: int, hard: bool = False) -> None:
        """``ch`` standing on stage index ``at`` (a line break or separator of the source)."""
        if hard:
            self.hard.add(self.n)
        self.t.append(ch)
        self.p.append(ch)
        self.o.append(self.src.at(at))
        self.n += 1

    def stage(self) -> _Stage:
        return _Stage("".join(self.t), "".join(self.p), self.o, self.src.end, frozenset(self.hard))


def text_view(raw: RawText) -> TextView:
    text = raw.text
    if looks_like_html(text):
        plain = strip_markup(text)
        stage = _Stage(plain.text, plain.text, plain.origin, len(text), plain.hard)
    else:
        stage = _Stage(text, text, array("q", range(len(text))), len(text))
    stage, glosses = _drop_glosses(stage)
    stage, traditional = _view_characters(stage)
    return _layout(raw, stage, traditional, glosses)


# ---------------------------------------------------------------- glosses, script and width

# 國(guó): a pinyin reading a mirror site put after a character
_PINYIN = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# the reading in brackets; a layout may have cut it (or the character from it) across lines
_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\s*[(（]\s*[{_PINYIN}](?:\s*[{_PINYIN}]){{0,6}}\s*[)）]")


@dataclass(frozen=True)
class _Glosses:
    """Where glosses were dropped (positions in the shortened text) and what each was: a layout's
    width is the printed one, glosses included (國(guó)務(wù)院 filled a line that 國务院 does not)."""
    at: tuple[int, ...] = ()
    dropped: tuple[str, ...] = ()

    def printed_width(self, line: "_Line") -> int:
        width = line.indent + len(line.text)
        k = bisect.bisect_right(self.at, line.start)
        while k < len(self.at) and self.at[k] <= line.end:
            removed = self.dropped[k]
            if "\n" in removed:         # the gloss was cut across lines: only its last piece is this line's
                width = line.end - self.at[k] + len(removed.rsplit("\n", 1)[1])
            else:
                width += len(removed)
            k += 1
        return width


# … or cut by a page break: the open reading ends a line, its rest opens a line after the page's
# running header and number (領(l / 人民政府公报 — 2 — / ǐng)導), lines of no prose between
_CUT_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])(?P<open>[(（][{_PINYIN}]{{1,6}})[ \t]*\n"
                        rf"(?:[^\n，。；：]{{0,40}}\n){{0,6}}?[ \t]*(?P<close>[{_PINYIN}]{{1,6}}[)）])")


def _gloss_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _GLOSS.finditer(text)]
    for m in _CUT_GLOSS.finditer(text):
        spans += [m.span("open"), m.span("close")]
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, z in spans:
        if not out or a >= out[-1][1]:
            out.append((a, z))
    return out


def _drop_glosses(stage: _Stage) -> tuple[_Stage, _Glosses]:
    spans = _gloss_spans(stage.text)
    if not spans:
        return stage, _Glosses()
    b = _Build(stage)
    pos = 0
    for a, z in spans:
        b.keep(pos, a)
        pos = z
    b.keep(pos, len(stage.text))
    at, total = [], [0]
    for a, z in spans:
        at.append(a - total[-1])
        total.append(total[-1] + z - a)
    out = b.stage()
    # hard breaks keep their place in the shortened text
    out.hard = frozenset(h - total[bisect.bisect_right([a for a, _ in spans], h)] for h in stage.hard)
    return out, _Glosses(tuple(at), tuple(stage.text[a:z] for a, z in spans))


_SPACES = str.maketrans({c: " " for c in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\u2028\u2029\u3164"})
_FULL_ALNUM = str.maketrans({chr(c): chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) +
                             list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))})


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional-to-simplified converter (the opencc package)."""
    import opencc
    return opencc.OpenCC("t2s")


def simplified(s: str) -> str:
    """``s`` in simplified characters, character for character (offsets stay aligned)."""
    out = _t2s().convert(s)
    if len(out) == len(s):
        return out
    return "".join(_t2s().convert(ch) if len(_t2s().convert(ch)) == 1 else ch for ch in s)


def _view_characters(stage: _Stage) -> tuple[_Stage, bool]:
    """Simplified script (where printed traditional), full-width punctuation, brackets as （）."""
    text = stage.text
    traditional = False
    sample = text[:12000]
    han = len(_HAN_CHAR.findall(sample))
    changing = _changes_in_t2s()
    if han >= 20:
        changed = sum(1 for ch in sample if ch in changing)      # no conversion unless there is something to convert
        if changed / han >= 0.05:
            text, traditional = simplified(text), True
        elif changed >= 2:
            text = _simplify_traditional_lines(text)
    table = _view_table()
    text = _VIEW_CHARS.sub(lambda m: table[ord(m.group())], text)     # few characters change: only those are touched
    return _Stage(text, stage.printed, stage.origin, stage.end, stage.hard), traditional


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _view_table() -> dict[int, str]:
    """Odd spaces, full-width letters and digits, brackets and half-width marks: one pass."""
    table = dict(_SPACES)
    table.update(_FULL_ALNUM)
    table.update(lx.bracket_table())
    return table


class _ViewChars:
    """The characters the view rewrites, as one character class (built on first use)."""

    _pattern: Optional[re.Pattern] = None

    def sub(self, repl, text: str) -> str:
        if self._pattern is None:
            _ViewChars._pattern = re.compile("[" + "".join(re.escape(chr(c)) for c in _view_table()) + "]")
        return self._pattern.sub(repl, text)


_VIEW_CHARS = _ViewChars()


@lru_cache(maxsize=1)
def _changes_in_t2s() -> frozenset[str]:
    """The characters OpenCC's t2s changes on their own (traditional forms), found once."""
    chars = "".join(chr(c) for c in range(0x4E00, 0xA000))
    return frozenset(a for a, b in zip(chars, simplified(chars)) if a != b)


def _simplify_traditional_lines(text: str) -> str:
    """A bulletin in simplified script carrying a notice in traditional: convert those lines only.

    A simplified line with one variant character in a name (钟红莊) stays as printed."""
    out = []
    for line in text.split("\n"):
        han = re.findall(r"[\u4e00-\u9fff]", line)
        conv = simplified(line)
        changed = sum(a != b for a, b in zip(line, conv))
        out.append(conv if len(han) >= 10 and changed >= 2 and changed / len(han) >= 0.08 else line)
    return "\n".join(out)


# ---------------------------------------------------------------- layout

@dataclass
class _Line:
    start: int                       # stage indexes, edge spaces excluded
    end: int
    text: str
    spans: Optional[list[tuple[int, int]]] = None   # a rebuilt table row: its cells …
    seps: Optional[list[int]] = None                # … and the break each tab stands on
    indent: int = 0                                 # spaces before the text: a layout's width counts them
    width: int = 0                                  # as printed: indent, text and any dropped glosses


def _stage_lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for piece in text.split("\n"):
        stop = pos + len(piece)
        s, e = pos, stop
        while s < e and text[s] in " \r":
            s += 1
        while e > s and text[e - 1] in " \r\t" and not (text[e - 1] == "\t" and "\t" in text[s:e - 1]):
            e -= 1
        out.append(_Line(s, e, text[s:e], indent=s - pos, width=e - pos))
        pos = stop + 1
    return out


def _is_table(line: str) -> bool:
    return "\t" in line


_CN = lx.CN_NUM
_NUMBER_LINE = re.compile(r"^\s*" + lx.document_number() + r"\s*$")
_BRACKETED_NUMBER = re.compile(r"^\s*（\s*" + lx.document_number() + r"\s*）\s*$")
_DATE_LINE = re.compile(r"^\s*" + lx.DATE.pattern + r"\s*$")
# a line that starts a new logical line whatever precedes it
_STRUCTURAL_START = re.compile(
    r"^\s*(?:"
    rf"（[{_CN}\d]{{1,4}}）(?!\s*第?\d+\s*[号號])"   # （一） （1）, not a number's （2003）28号
    rf"|[{_CN}]{{1,3}}[、.．]"                    # 一、
    r"|\d{1,3}(?:[、．]|\.(?!\d))"                 # 1、 1. (not 1.5)
    rf"|第[{_CN}\d]{{1,4}}[条章节部分款]"          # 第三条
    r"|[①-⑳]"
    r"|附件|附\s*件|（此件|此件|（本文有删减"
    r"|[\u4e00-\u9fa5]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室)\s*关于"  # a document title
    r"|各[^。\n]{0,80}[：:]\s*$"                    # 各州、市人民政府，省直各委、办、厅、局：
    rf"|{lx.DATE.pattern}\s*$"                      # a signing date on its own
    rf"|（?{lx.document_number()}）?\s*$"           # 云政发（2017）5号
    r"|(?:任命|免去|任免)\s*[：:]\s*$"
    r")"
)


@lru_cache(maxsize=1)
def _role_label() -> re.Pattern:
    """A roster row's role label (组　长：, 第一副组长：, 办公室主任：), from the roster's own words."""
    roles = sorted(lx.load_data("roster_roles.yaml")["roles"], key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(lx.spaced(r) for r in roles) + r")\s*[：:]")

_UNIT_LIST_LABEL = re.compile(r"^\s*(?:(?:牵头|责任|主办|配合|协办|参与|主责|承办)(?:单位|部门)|成员单位)\s*[：:]")
# labelled fields of a task list start a line of their own (主要内容：… / 主办单位：…)
_FIELD_LABEL = re.compile(r"^\s*(?:(?:牵头|责任|主办|配合|协办|参与|主责|承办|协同)(?:责任)?(?:单位|部门)"
                          r"|主要内容|工作目标|完成时限|时间节点|工作措施|成员单位|牵头(?:负责)?领导|责任领导)\s*[：:]")
_COMPLETE_LINE = re.compile(
    r"^\s*(?:（?\s*" + lx.document_number() + r"\s*）?|" + lx.DATE.pattern +
    r"|（\s*(?:此件[^）]{0,10}|本文有删减)\s*）)\s*$")
_CLOSING = set("。；！？：")
_ANY_MARK = re.compile(r"[，、。；：！？,.;:]")
# a roster row of names alone (成　员：闵　成　马梅红　许小建), ending in a whole name
_NAMES_ROW_END = re.compile(r"^[^，。；、]*[ 　][\u4e00-\u9fa5]{2,3}$")
def _names_row_then_prose(row: str, nxt: str) -> bool:
    """A row of names that ends full is followed by prose, not by more names."""
    return bool(_role_label().match(row) and _NAMES_ROW_END.search(row) and re.search(r"[，。]", nxt))


def _row_then_row(logical: str, prev: str, nxt: str) -> bool:
    """A roster row that ends in its post, however wide, and a next one that opens with a name."""
    if not (_ROSTER_ROW.match(nxt) and (_role_label().match(logical) or _ROSTER_ROW.match(logical))):
        return False
    from zhize.extract.people import ends_as_post
    return ends_as_post(prev)


# a roster row: a name, spaces, its post (杨　杰　红河银保监分局局长)
_ROSTER_ROW = re.compile(r"^[\u4e00-\u9fa5](?:[ 　]?[\u4e00-\u9fa5]){1,3}[ 　]+[\u4e00-\u9fa5]")
_CLOSING_MARKS = "。；！？：）”"
# a title line (…关于…的通知) is complete: what follows is its number, addressees or text
_TITLE_LINE = re.compile(r"^[^《》。，；：]{0,40}关于[^。；：]{2,120}" + lx.genres() + r"$")


def _wrap_width(lines: list[_Line]) -> Optional[int]:
    """The width a layout was hard-wrapped at, when it was.

    A layout cut at a width has many lines within two characters of it and almost none
    longer; the pieces left over at paragraph ends are shorter.  Text with a paragraph a
    line (web pages) has long lines of every length, so no width fits it."""
    lengths = [l.width for l in lines if l.text and not _is_table(l.text)]
    if len(lengths) < 8:
        return None
    top = 84
    counts = [0] * (top + 1)                   # lines of each length; the last slot holds every longer one
    for n in lengths:
        counts[min(n, top)] += 1
    longer_than = [0] * (top + 2)              # longer_than[w]: lines longer than w
    for w in range(top - 1, -1, -1):
        longer_than[w] = longer_than[w + 1] + counts[w + 1]
    best, best_band = None, 0
    for width in range(8, 80):
        band = sum(counts[width - 2:width + 3])
        longer = longer_than[width + 2]
        if band >= 6 and longer <= 0.1 * band and band >= 0.25 * len(lengths) and band > best_band:
            best, best_band = width, band
    return best


def _joins(prev: str, nxt: str, width: Optional[int], logical: str, looks_like_unit, printed_width: int) -> bool:
    """Is the break between two non-empty lines a wrap inside one logical line?

    ``prev`` is the printed line before the break (``printed_width`` wide on the page),
    ``logical`` the logical line it ends so far.
    """
    if _is_table(prev) or _is_table(nxt):
        return False
    if _COMPLETE_LINE.match(prev):       # a document number or a signing date stands alone
        return False
    for whole in (prev, logical):
        if _TITLE_LINE.match(whole) and whole.count("《") == whole.count("》"):
            return False                  # a title (…关于…的通知) is complete, however it was wrapped
    if _STRUCTURAL_START.match(nxt) or _field_start().match(nxt) or _role_label().match(nxt):
        return False
    if (_STRUCTURAL_START.match(prev) or _role_label().match(prev)) and re.search(r"[：:]\s*$", prev):
        return False
    if _UNIT_LIST_LABEL.match(logical):
        # a labelled unit list (主办单位：… / 成员单位：…) goes on only while its last unit is cut
        last = re.split(r"[、，；：]", logical)[-1]
        if last and not looks_like_unit(last):
            return True
    full = width is not None and printed_width >= width - 2
    if prev[-1] in _CLOSING and not full:
        return False
    if prev[-1] == "）" and re.search(r"(?:负责|配合|牵头|协助|参与|参加)）$", prev) and not full:
        return False
    if _names_row_then_prose(logical, nxt) or _row_then_row(logical, prev, nxt):
        return False
    if full:
        return True
    if width is not None and _ROSTER_ROW.match(nxt):
        return False                      # a short piece before a roster row ends its own row
    # an unwrapped layout: pieces break at page ends, anywhere; short lines are headings,
    # and a labelled duty line (主办单位：…) is complete in itself
    if _UNIT_LIST_LABEL.match(logical):
        return False
    # a headline (no mark in it) over a paragraph much longer than itself stands alone
    if width is None and prev == logical and not _ANY_MARK.search(prev) and len(nxt) > max(40, 2 * len(prev)) \
            and nxt.endswith(("。", "！", "”")):
        return False
    # a long logical line that has not ended goes on, however short its last printed piece
    # (a text wrapped twice leaves short pieces where the first layout cut it)
    return len(prev) >= 15 or (len(logical) >= 15 and not _STRUCTURAL_START.match(logical[-len(prev):]))


def _layout(raw: RawText, stage: _Stage, traditional: bool, glosses: _Glosses = _Glosses()) -> TextView:
    from zhize.extract.units import looks_like_unit

    lines = _stage_lines(stage.text)
    if glosses.at:
        for line in lines:
            line.width = glosses.printed_width(line)
    lines = _rebuild_cell_tables(_rebuild_vertical_tables(lines))
    width = _wrap_width(lines)
    dropped, fields, numbers = _page_furniture(lines, stage)
    pages: list[tuple] = []
    mark = (0, 0, 0, 0, 0)                  # where the current logical line starts in the output

    def close_logical() -> bool:
        """A logical line that is nothing but page fields (发文字号：…) leaves the text for ``fields``."""
        text = "".join(b.t[mark[0]:])
        if not text or len(text) > 200 or not _field_start().match(text):
            return False
        got = _fields_of(text)
        if not got:
            return False
        printed = "".join(b.p[mark[1]:])
        origin = b.o[mark[2]:]
        for name, a, z in got:
            if z > a and name not in fields:
                fields[name] = Field(text=lx.compact(text[a:z]), value=_as_name(text[a:z], printed[a:z]),
                                     start=origin[a], end=origin[z - 1] + 1)
        del b.t[mark[0]:], b.p[mark[1]:], b.o[mark[2]:], b.breaks[mark[4]:]
        b.n = mark[3]
        return True
    hard = sorted(stage.hard)
    b = _Build(stage)
    prev: Optional[_Line] = None
    depth = 0            # brackets still open in the current logical line
    logical = ""         # the current logical line so far
    for i, line in enumerate(lines):
        if not line.text or i in dropped:
            if i in numbers:
                pages.append((b.n, numbers[i], re.sub(r"\d+|\s+", lambda m: "#" if m.group()[0].isdigit() else "", line.text)))
            continue
        piece = line.text
        if prev is not None:
            k = bisect.bisect_left(hard, prev.end)
            hard_break = k < len(hard) and hard[k] < line.start
            # a bracket still open goes on on the next line, within what a clause can hold
            inside_bracket = depth > 0 and len(logical) - logical.rfind("（") < 200 and not _is_table(piece) \
                and (_FIELD_LABEL.match(piece) or not _STRUCTURAL_START.match(piece))
            field_start = depth == 0 and _FIELD_LABEL.match(piece)
            if not hard_break and (inside_bracket or (
                    not field_start and _joins(prev.text, piece, width, logical, looks_like_unit, prev.width))):
                b.breaks.append(b.n)
                if stage.text[prev.end:prev.end + 1] == " ":
                    b.put(" ", prev.end)     # the layout cut at a space (许小建 范金洪): the space stays
                elif line.indent == 1:
                    b.put(" ", line.start - 1)
            else:
                if not close_logical():
                    b.put("\n", prev.end)
                mark = (len(b.t), len(b.p), len(b.o), b.n, len(b.breaks))
                depth = 0
                logical = ""
        if line.spans is None:
            b.keep(line.start, line.end)
        else:
            for k, (a, z) in enumerate(line.spans):
                if k and line.seps[k - 1] != _NO_SEP:
                    b.put("\t", line.seps[k - 1])
                b.keep(a, z)
        depth = max(0, depth + piece.count("（") - piece.count("）"))
        logical += piece
        prev = line
    if close_logical() and b.n and b.t and b.t[-1] == "\n":
        b.t.pop(), b.p.pop(), b.o.pop()
        b.n -= 1
    out = b.stage()
    origin = out.origin
    origin.append(len(raw.text) if prev is None else stage.at(prev.end))
    return TextView(raw=raw, text=out.text, printed=out.printed, origin=origin, breaks=array("q", b.breaks),
                    wrap_width=width, traditional=traditional, fields=fields, pages=tuple(pages))


# ---------------------------------------------------------------- furniture and page fields

@lru_cache(maxsize=1)
def furniture_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in lx.load_data("text_view.yaml")["furniture"])


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern, re.Pattern]:
    """The furniture patterns as two expressions: those anchored at the line's start, tried there only
    (``match``: a search would try every position of every line in vain), and the rest, searched."""
    anchored = [p.pattern for p in furniture_patterns() if p.pattern.startswith("^")]
    loose = [p.pattern for p in furniture_patterns() if not p.pattern.startswith("^")]
    return (re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)"),
            re.compile("|".join(f"(?:{p})" for p in loose) or "(?!)"))


def is_furniture(line: str) -> bool:
    at_start, anywhere = _furniture()
    return bool(at_start.match(line) or anywhere.search(line))


@lru_cache(maxsize=1)
def _field_labels() -> tuple[re.Pattern, dict[str, str], set[str]]:
    d = lx.load_data("text_view.yaml")["fields"]
    label_of, needs_colon = {}, set()
    for name, spec in d.items():
        for label in spec["labels"]:
            label_of[label] = name
            if spec.get("colon"):
                needs_colon.add(label)
    alt = "|".join(lx.spaced(w) for w in sorted(label_of, key=len, reverse=True))
    return re.compile(rf"(?P<label>{alt})\s*(?P<colon>[：:])?\s*"), label_of, needs_colon


@lru_cache(maxsize=1)
def _field_start() -> re.Pattern:
    return re.compile(r"^\s*(?:" + _field_labels()[0].pattern + ")")


def _fields_of(text: str) -> Optional[list[tuple[str, int, int]]]:
    """(field name, value start, value end) when the whole line is page fields, else None."""
    pattern, label_of, needs_colon = _field_labels()
    cells = text.split("\t") if "\t" in text else [text]
    found: list[tuple[str, int, int]] = []
    pos = 0
    pending: Optional[str] = None          # a label cell whose value is the next cell
    for cell in cells:
        c0 = pos
        pos += len(cell) + 1
        if not cell.strip():
            continue
        m = pattern.match(cell.strip())
        lead = len(cell) - len(cell.lstrip())
        if m and (m.group("colon") or lx.compact(m.group("label")) not in needs_colon):
            name = label_of[lx.compact(m.group("label"))]
            rest = cell.strip()[m.end():]
            if rest:
                # several fields on one line: 发文机关：国务院 成文日期：2018年12月29日
                nxt = [n for n in pattern.finditer(rest) if n.group("colon") and n.start() > 0
                       and rest[n.start() - 1] == " "]
                stop = nxt[0].start() if nxt else len(rest)
                a = c0 + lead + m.end()
                found.append((name, a, a + len(rest[:stop].rstrip())))
                if nxt:
                    sub = _fields_of(rest[stop:])
                    if sub is None:
                        return None
                    off = a + stop
                    found.extend((n, s + off, e + off) for n, s, e in sub)
                pending = None
            else:
                pending = name
            continue
        if pending is not None:
            found.append((pending, c0 + lead, c0 + lead + len(cell.strip())))
            pending = None
            continue
        return None
    return found or None


_PAGE_NUMBER = re.compile(r"^\s*(?:\S.{0,40}?\s*)?[—\-–－]{1,2}\s*(\d{1,4})\s*[—\-–－]{1,2}\s*$|^\s*第\s*(\d+)\s*页")


def _page_furniture(lines: list[_Line], stage: _Stage) -> tuple[set[int], dict[str, Field], dict[int, int]]:
    """Indexes of lines that are no document's text, the page's metadata fields, and the
    printed number of every page-number line (by line index)."""
    found: set[int] = set()
    fields: dict[str, Field] = {}
    numbers: dict[int, int] = {}
    for i, l in enumerate(lines):
        if not l.text or len(l.text) > 120:          # furniture is a short line
            continue
        if is_furniture(l.text):
            found.add(i)
            m = _PAGE_NUMBER.match(l.text)
            if m:
                numbers[i] = int(m.group(1) or m.group(2))
            continue
    # a short line repeated many times that is not a table cell nor a roster line is a running header
    counts = Counter(l.text for l in lines if l.text and len(l.text) <= 30 and not _is_table(l.text))
    for i, l in enumerate(lines):
        if l.text and counts.get(l.text, 0) >= 4 and "公报" in l.text:
            found.add(i)
    return found, fields, numbers


# ---------------------------------------------------------------- tables printed a cell a line

_MIN_VERTICAL = 8      # single-character lines before a run counts as a table read column-wise


def _rebuild_vertical_tables(lines: list[_Line]) -> list[_Line]:
    """A table extracted one character per line becomes tab-separated rows again.

    Cells are told apart by longer gaps (more blank lines) than those between
    the characters of one cell; the header is the cells before the first
    row number, and every row has as many cells.
    """
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        j, chars = i, []
        while j < len(lines) and len(lines[j].text) <= 1:
            if lines[j].text:
                chars.append(j)
            j += 1
        rows = _vertical_rows(lines, chars) if len(chars) >= _MIN_VERTICAL else None
        if rows is None:
            out.append(lines[i])
            i += 1
            continue
        out.extend(rows)
        i = j
    return out


def _vertical_rows(lines: list[_Line], chars: list[int]) -> Optional[list[_Line]]:
    gaps = [b - a - 1 for a, b in zip(chars, chars[1:])]
    inner = min(gaps)
    if all(g == inner for g in gaps):
        return None
    cells: list[list[int]] = [[chars[0]]]
    for gap, idx in zip(gaps, chars[1:]):
        if gap > inner:
            cells.append([idx])
        else:
            cells[-1].append(idx)
    texts = ["".join(lines[k].text for k in cell) for cell in cells]
    header = next((n for n, t in enumerate(texts) if t.isdigit()), None)
    if not header or len(cells) % header:
        return None
    return [_cell_row(lines, cells[r:r + header]) for r in range(0, len(cells), header)]


def _cell_row(lines: list[_Line], cells: list[list[int]]) -> _Line:
    """A row whose cells are runs of lines: characters of one cell join, cells are tab-separated."""
    spans: list[tuple[int, int]] = []
    seps: list[int] = []
    texts = []
    for c, cell in enumerate(cells):
        for n, k in enumerate(cell):
            if spans:
                seps.append(lines[k].start - 1 if n == 0 else -1)
            spans.append((lines[k].start, lines[k].end))
        texts.append("".join(lines[k].text for k in cell))
    # -1: no separator between the characters of one cell; fold those spans together
    fseps: list[int] = []
    pieces: list[list[tuple[int, int]]] = [[spans[0]]]
    for sep, span in zip(seps, spans[1:]):
        if sep == -1:
            pieces[-1].append(span)
        else:
            fseps.append(sep)
            pieces.append([span])
    row = "\t".join(texts)
    line = _Line(lines[cells[0][0]].start, lines[cells[-1][-1]].end, row, width=len(row))
    line.spans, line.seps = [], []
    for k, piece in enumerate(pieces):
        if k:
            line.seps.append(fseps[k - 1])
        line.spans.extend(piece)
        line.seps.extend([_NO_SEP] * (len(piece) - 1))
    return line


_NO_SEP = -1


@lru_cache(maxsize=1)
def _column_words() -> frozenset[str]:
    columns = lx.load_data("duty_roles.yaml")["table_columns"]
    words = {w for ws in columns.values() for w in ws}
    return frozenset(words | set(lx.load_data("duty_roles.yaml").get("other_columns", [])))


def _rebuild_cell_tables(lines: list[_Line]) -> list[_Line]:
    """A table pasted one cell a line (序号 / 重点任务 / 责任单位 / 完成时限, then 1 / … / … / …)
    becomes tab-separated rows again: the header names the columns, every row opens with its number."""
    words = _column_words()
    out: list[_Line] = []
    i = 0
    if not any(l.text and lx.compact(l.text) == "序号" for l in lines if len(l.text) < 8):
        return lines                      # no header cell standing alone: no table pasted a cell a line
    filled = [k for k, l in enumerate(lines) if l.text and not is_furniture(l.text)]
    pos = {k: n for n, k in enumerate(filled)}
    while i < len(lines):
        line = lines[i]
        if not line.text or lx.compact(line.text) != "序号" or i not in pos:
            out.append(line)
            i += 1
            continue
        n0 = pos[i]
        header = [filled[n0]]
        for k in filled[n0 + 1:]:
            if lx.compact(lines[k].text) in words and len(header) < 12:
                header.append(k)
            else:
                break
        width = len(header)
        rows: list[list[int]] = []
        at = n0 + width
        expect = 1
        while at + width <= len(filled):
            cells = filled[at:at + width]
            if lx.compact(lines[cells[0]].text) != str(expect) or any(
                    _is_table(lines[k].text) for k in cells):
                break
            rows.append(cells)
            at += width
            expect += 1
        if width < 3 or not rows:
            out.append(line)
            i += 1
            continue
        out.append(_cell_row(lines, [[k] for k in header]))
        out.extend(_cell_row(lines, [[k] for k in cells]) for cells in rows)
        i = filled[at - 1] + 1
    return out


# ---------------------------------------------------------------- printed lines of a wrapped layout

_RECORD_END = re.compile(r"(?:职务|退休|待遇|[。；：）])\s*$")
_LABEL_LINE = re.compile(r"^\S{1,8}[：:]\s*$"
                         # or a new appointment: 王小红为省…
                         r"|^[\u4e00-\u9fa5][\u4e00-\u9fa5 　]{1,3}为(?:省|州|市|县|区|云南|中国|国家)"
                         r"|" + _ROSTER_ROW.pattern)


def _rejoin_wrapped(view: TextView, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In a hard-wrapped file a full-width piece was cut by the layout, not by the author."""
    width = view.wrap_width
    if width is None or not lines:
        return lines
    out = [lines[0]]
    for s, e in lines[1:]:
        ps, pe = out[-1]
        piece = view.text[ps:pe]
        raw_len = len(view.raw.text[view.origin[ps]:view.origin[pe - 1] + 1].split("\n")[-1])
        contiguous = "\n" not in view.text[pe:s]
        if contiguous and raw_len >= width - 2 and not _RECORD_END.search(piece) \
                and not _LABEL_LINE.match(view.text[s:e]) and not _role_label().match(view.text[s:e]) \
                and not _names_row_then_prose(piece, view.text[s:e]):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out
