"""Undo the PDF layout while keeping every character's offset in the file as read.

PDF text arrives hard-wrapped (every ~20 characters, or at page ends), with
blank lines between pieces, running headers and page numbers in the middle
of paragraphs, and both full- and half-width punctuation.  Extractors want
logical lines: one paragraph, heading, roster line or table row per line.

``normalise`` rebuilds those lines and keeps ``origin``, the offset in the
raw text of every normalised character, so any span found later maps back
exactly (``NormalText.source``).  Characters are never invented: joining
only deletes line breaks, blank lines and page furniture, and the only
rewrites are one-to-one (half-width punctuation to full-width, odd spaces to
a plain space).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from zhize.extract.types import RawText, Source
from zhize.extract.units import looks_like_unit

# one-to-one rewrites: offsets stay aligned
_CHAR_MAP = str.maketrans({
    "(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！",
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\ufeff": " ",
    "［": "〔", "］": "〕",
})

# page furniture: "— 12 —", "- 12 -", "云南省人民政府公报  — 3 —", "第 3 页"
_PAGE_LINE = re.compile(r"^\s*(?:\S.{0,40}?\s*)?[—\-–－]{1,2}\s*\d{1,4}\s*[—\-–－]{1,2}\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")

# a line that starts a new logical line whatever precedes it
_CN_NUM = "一二三四五六七八九十百零〇两"
_STRUCTURAL_START = re.compile(
    r"^\s*(?:"
    rf"[（(][{_CN_NUM}\d]{{1,4}}[）)]"            # （一） (1)
    rf"|[{_CN_NUM}]{{1,3}}[、.．]"                 # 一、
    r"|\d{1,3}(?:[、．]|\.(?!\d))"                  # 1、 1. (not 1.5)
    rf"|第[{_CN_NUM}\d]{{1,4}}[条章节部分款]"        # 第三条
    r"|[①-⑳]"
    r"|附件|附\s*件|（此件|此件|（本文有删减"
    r"|[\u4e00-\u9fa5]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室)\s*关于"  # a document title
    r"|各[^\n]{0,20}[：:]\s*$"                       # 各州、市人民政府，省直各委、办、厅、局：
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"  # a signing date on its own
    r"|[\u4e00-\u9fa5]{1,4}[政办发任函字]*\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号\s*$"  # 云政发〔2017〕5号
    r"|(?:任命|免去|任免)\s*[：:]\s*$"
    r"|(?:总召集人|召集人|组\s*长|副\s*组\s*长|成\s*员|组\s*员|指\s*挥\s*长|副指挥长|主\s*任|副\s*主\s*任|秘书长|委\s*员)\s*[：:]"
    r")"
)

_UNIT_LIST_LABEL = re.compile(r"^\s*(?:(?:牵头|责任|主办|配合|协办|参与|主责|承办)(?:单位|部门)|成员单位)\s*[：:]")
# labelled fields of a task list start a line of their own (主要内容：… / 主办单位：…)
_FIELD_LABEL = re.compile(r"^\s*(?:(?:牵头|责任|主办|配合|协办|参与|主责|承办)(?:单位|部门)|主要内容|工作目标|完成时限|时间节点|工作措施|成员单位)\s*[：:]")

_CLOSING = set("。；！？：;:!?")


@dataclass(frozen=True)
class NormalText:
    """Logical lines joined by ``\\n``, each character mapped back to the raw file."""

    raw: RawText
    text: str
    origin: tuple[int, ...]          # len(text) + 1 entries; origin[len(text)] is the raw end
    wrap_width: int | None = None    # the width the file was hard-wrapped at, when it was

    @property
    def file(self) -> str:
        return self.raw.file

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets of the normalised span [start, end)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def source(self, start: int, end: int) -> Source:
        a, b = self.raw_span(start, end)
        return Source(file=self.raw.file.rsplit("/", 1)[-1], start=a, end=b)

    def raw_line(self, start: int) -> int:
        """1-based line number in the raw file of normalised offset ``start``."""
        return _line_number(self.raw.text, self.origin[min(start, len(self.text))])

    def lines(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of every logical line overlapping [start, end)."""
        end = len(self.text) if end is None else end
        pos = self.text.rfind("\n", 0, start) + 1
        while pos < end:
            nl = self.text.find("\n", pos)
            stop = len(self.text) if nl < 0 else nl
            yield pos, stop
            pos = stop + 1


def _line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@dataclass
class _Line:
    start: int       # raw offsets, trailing \r and edge spaces excluded
    end: int
    text: str
    origin: list[int] | None = None   # per character, when the line was rebuilt (a vertical table row)


def _raw_lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for piece in text.split("\n"):
        stop = pos + len(piece)
        s, e = pos, stop
        while s < e and text[s] in " \t\r\u3000\ufeff\u00a0" and text[s] != "\t":
            s += 1
        while e > s and text[e - 1] in " \r\u3000\u00a0\t" and not (text[e - 1] == "\t" and "\t" in text[s:e - 1]):
            e -= 1
        out.append(_Line(s, e, text[s:e]))
        pos = stop + 1
    return out


def _is_table(line: str) -> bool:
    return "\t" in line or "<p>" in line or "</p>" in line


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a layout was hard-wrapped at, when most lines share one."""
    lengths = [len(l.text) for l in lines if l.text and not _is_table(l.text)]
    if len(lengths) < 8:
        return None
    counts = Counter(lengths)
    best, best_share = None, 0.0
    for width in range(8, 80):
        share = sum(counts[w] for w in range(width - 2, width + 3)) / len(lengths)
        if share > best_share:
            best, best_share = width, share
    in_band = sum(counts[w] for w in range(best - 2, best + 3)) if best else 0
    return best if best_share >= 0.45 and in_band >= 6 else None


_COMPLETE_LINE = re.compile(
    r"^\s*(?:[\u4e00-\u9fa5]{1,10}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+(?:\s*[—\-－]\s*\d+)?\s*号"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[（(]\s*(?:此件[^）)]{0,10}|本文有删减)\s*[）)])\s*$"
)


def _joins(prev: str, nxt: str, width: int | None, logical: str = "") -> bool:
    """Is the break between two non-empty lines a wrap inside one logical line?

    ``prev`` is the printed line before the break, ``logical`` the logical line it ends so far.
    """
    logical = logical or prev
    if _is_table(prev) or _is_table(nxt):
        return False
    if _COMPLETE_LINE.match(prev):       # a document number or a signing date stands alone
        return False
    if _STRUCTURAL_START.match(nxt):
        return False
    if _STRUCTURAL_START.match(prev) and re.search(r"[：:]\s*$", prev):
        return False
    if _UNIT_LIST_LABEL.match(logical) and not _STRUCTURAL_START.match(nxt):
        # a labelled unit list (主办单位：… / 成员单位：…) goes on only while its last unit is cut
        last = re.split(r"[、，；：]", logical)[-1]
        if last and not looks_like_unit(last):
            return True
    full = width is not None and len(prev) >= width - 2
    if prev[-1] in _CLOSING and not full:
        return False
    if prev[-1] in "）)" and re.search(r"(?:负责|配合|牵头|协助|参与|参加)[）)]$", prev) and not full:
        return False
    if full:
        return True
    # an unwrapped layout: pieces break at page ends, anywhere; short lines are headings,
    # and a labelled duty line (主办单位：…) is complete in itself
    if _UNIT_LIST_LABEL.match(logical):
        return False
    return len(prev) >= 15


def normalise(raw: RawText) -> NormalText:
    lines = _rebuild_vertical_tables(_raw_lines(raw.text))
    width = _wrap_width(lines)
    furniture = _page_furniture(lines)
    text_parts: list[str] = []
    origin: list[int] = []
    prev: _Line | None = None
    depth = 0            # brackets still open in the current logical line
    logical = ""         # the current logical line so far
    for i, line in enumerate(lines):
        if not line.text or i in furniture:
            continue
        piece = line.text.translate(_CHAR_MAP)
        if prev is not None:
            before = prev.text.translate(_CHAR_MAP)
            inside_bracket = depth > 0 and len(logical) < 400 and not _is_table(piece) \
                and (_FIELD_LABEL.match(piece) or not _STRUCTURAL_START.match(piece))
            field_start = depth == 0 and _FIELD_LABEL.match(piece)
            if inside_bracket or (not field_start and _joins(before, piece, width, logical)):
                pass
            else:
                text_parts.append("\n")
                origin.append(prev.end)
                depth = 0
                logical = ""
        text_parts.append(piece)
        origin.extend(line.origin if line.origin is not None else range(line.start, line.end))
        depth = max(0, depth + piece.count("（") - piece.count("）"))
        logical += piece
        prev = line
    text = "".join(text_parts)
    origin.append(len(raw.text) if prev is None else prev.end)
    return NormalText(raw=raw, text=text, origin=tuple(origin), wrap_width=width)


_MIN_VERTICAL = 8      # single-character lines before a run counts as a table read column-wise


def _rebuild_vertical_tables(lines: list[_Line]) -> list[_Line]:
    """A table extracted one character per line becomes tab-separated rows again.

    Cells are told apart by longer gaps (more blank lines) than those between
    the characters of one cell; the header is the cells before the first
    row number, and every row has as many cells.  Each tab stands on the
    line break that separated two cells, so offsets still map back.
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


def _vertical_rows(lines: list[_Line], chars: list[int]) -> list[_Line] | None:
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
    rows = []
    for r in range(0, len(cells), header):
        text, origin = [], []
        for c, cell in enumerate(cells[r:r + header]):
            if c:
                text.append("\t")
                origin.append(lines[cell[0]].start - 1)     # the line break before the cell
            for k in cell:
                text.append(lines[k].text)
                origin.append(lines[k].start)
        first, last = cells[r][0], cells[r + header - 1][-1]
        rows.append(_Line(lines[first].start, lines[last].end, "".join(text), origin))
    return rows


def _page_furniture(lines: list[_Line]) -> set[int]:
    """Indexes of page numbers and running headers."""
    found = {i for i, l in enumerate(lines) if l.text and _PAGE_LINE.match(l.text)}
    # a short line repeated many times that is not a table cell nor a roster line is a running header
    counts = Counter(l.text for l in lines if l.text and len(l.text) <= 30 and not _is_table(l.text))
    for i, l in enumerate(lines):
        if l.text and counts.get(l.text, 0) >= 4 and "公报" in l.text:
            found.add(i)
    return found


def line_offsets(text: str) -> list[int]:
    """Start offset of every line, for fast line lookups."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def line_at(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)
