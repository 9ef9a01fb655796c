"""Printed lines and the small text helpers the line-oriented extractors share.

Rosters, appointment lists and leaders' portfolios are laid out one record a
printed line, so those extractors read the file's own lines (re-joined only
where a hard-wrapped layout cut a record), not the normaliser's paragraphs.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from zhize.extract.normalise import NormalText
from zhize.extract.types import Unparsed

_DATA = Path(__file__).with_name("data")
HAN = r"\u3400-\u9fff"    # the CJK ranges names are written in, for character classes
_SPACE = re.compile(r"\s+")


def compact(s: str) -> str:
    """A name as printed minus the spaces PDF extraction put into it."""
    return _SPACE.sub("", s)


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


def spaced(word: str) -> str:
    """A regex for a word printed with optional spaces between its characters (组　长)."""
    return r"\s*".join(map(re.escape, word))


# ---------------------------------------------------------------------------
# printed lines


def physical_lines(text: NormalText, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of normalised text that were one line in the file as read, trimmed, non-empty."""
    out: list[tuple[int, int]] = []
    raw = text.raw.text
    for ls, le in text.lines(start, end):
        ls, le = max(ls, start), min(le, end)
        s = ls
        for i in range(ls, le - 1):
            a, b = text.origin[i], text.origin[i + 1]
            if b - a > 1 and "\n" in raw[a + 1:b]:
                out.append((s, i + 1))
                s = i + 1
        out.append((s, le))
    trimmed = []
    for s, e in out:
        while s < e and text.text[s].isspace():
            s += 1
        while e > s and text.text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return _rejoin_wrapped(text, trimmed)


_RECORD_END = re.compile(r"(?:职务|退休|待遇|[。；;：:）)])\s*$")
_LABEL_LINE = re.compile(r"^\S{1,8}[：:]\s*$"
                         # or a new appointment: 王小红为省…
                         r"|^[\u4e00-\u9fa5][\u4e00-\u9fa5 　]{1,3}为(?:省|州|市|县|区|云南|中国|国家)"
                         # or a new roster row: a name, spaces, its post (杨　杰　红河银保监分局局长)
                         r"|^[\u4e00-\u9fa5](?:[ 　]?[\u4e00-\u9fa5]){1,3}[ 　]+[\u4e00-\u9fa5]")


def _rejoin_wrapped(text: NormalText, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In a hard-wrapped file a full-width piece was cut by the layout, not by the author.

    Rows and appointment lines are read one printed line at a time, which is
    right for a file laid out as printed; when the whole file was re-wrapped
    at a fixed width, a piece that fills the width continues on the next line.
    """
    width = text.wrap_width
    if width is None or not lines:
        return lines
    out = [lines[0]]
    for s, e in lines[1:]:
        ps, pe = out[-1]
        piece = text.text[ps:pe]
        raw_len = len(text.raw.text[text.origin[ps]:text.origin[pe - 1] + 1].split("\n")[-1])
        contiguous = "\n" not in text.text[pe:s]
        if contiguous and raw_len >= width - 2 and not _RECORD_END.search(piece) \
                and not _LABEL_LINE.match(text.text[s:e]):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def unparsed(text: NormalText, start: int, end: int, reason: str) -> Unparsed:
    src = text.source(start, end)
    return Unparsed(file=src.file, line=text.raw_line(start), start=src.start, end=src.end,
                    text=text.text[start:end], reason=reason)


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
    return "".join(_t2s().convert(ch) for ch in s)


def is_traditional(s: str) -> bool:
    """Printed in traditional characters: many characters change under t2s.

    A simplified text with one variant character in a name (钟红莊) is not."""
    han = [ch for ch in s if "\u4e00" <= ch <= "\u9fff"]
    if len(han) < 20:
        return False
    changed = sum(1 for a, b in zip(han, simplified("".join(han))) if a != b)
    return changed / len(han) >= 0.05
