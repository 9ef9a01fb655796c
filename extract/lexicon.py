"""The shared grammar of official documents, defined once over ``data/lexicon.yaml``.

Brackets, item markers, document numbers, signing dates, genres, issuer
endings and whitespace were each written three to five times across the
extractors; they live here, and every module asks this one.  Patterns are
written for the *text view* (``extract/textview.py``): simplified script,
every bracket read as （ ）, half-width punctuation as full width.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

DATA = Path(__file__).with_name("data")
HAN = r"\u3400-\u9fff"                     # the CJK ranges names are written in, for character classes
CN_NUM = "一二三四五六七八九十百零〇两"
OPEN, CLOSE = "（", "）"                   # every bracket pair, as the text view reads it
_SPACE = re.compile(r"\s+")


def compact(s: str) -> str:
    """A name as printed minus the spaces PDF extraction or web layout put into it."""
    return _SPACE.sub("", s)


def spaced(word: str) -> str:
    """A regex for a word printed with optional spaces between its characters (组　长)."""
    return r"\s*".join(map(re.escape, word))


def alternation(words) -> str:
    """Longest first, so 按职责分工负责 wins over 负责."""
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _fill(pattern: str) -> str:
    return pattern.format(cn=CN_NUM, han=HAN)


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return load_data("lexicon.yaml")


@lru_cache(maxsize=1)
def bracket_table() -> dict[int, str]:
    """Translation of every bracket (and half-width mark) into the text view's form."""
    d = _lexicon()
    table = {ord(c): OPEN for c in d["brackets"]["open"]}
    table.update({ord(c): CLOSE for c in d["brackets"]["close"]})
    table.update({ord(k): v for k, v in d["full_width"].items()})
    return table


# ---------------------------------------------------------------- item markers

@lru_cache(maxsize=1)
def _levels() -> tuple[tuple[int, re.Pattern], ...]:
    return tuple((m["level"], re.compile("^" + _fill(m["pattern"]))) for m in _lexicon()["item_markers"])


@lru_cache(maxsize=1)
def item_marker() -> re.Pattern:
    """Any item marker at the start of a line (after spaces)."""
    return re.compile(r"^\s*(?:" + "|".join(_fill(m["pattern"]) for m in _lexicon()["item_markers"]) + ")")


def marker_level(line: str) -> Optional[int]:
    """How coarse a section the line opens (0 = 第一章), None when it opens none."""
    line = line.lstrip()
    for level, pattern in _levels():
        if pattern.match(line):
            return level
    return None


# ---------------------------------------------------------------- heads of documents

@lru_cache(maxsize=1)
def document_number() -> str:
    """Regex source of a document number (no anchors)."""
    return _fill(_lexicon()["document_number"])


@lru_cache(maxsize=1)
def person_columns() -> frozenset[str]:
    """Header cells of a table column that names people (姓名)."""
    return frozenset(_lexicon()["person_columns"])


def names_people_column(header: str) -> bool:
    """Is this tab-separated row a header with a column of people's names?"""
    return any(compact(c) in person_columns() for c in header.split("\t"))


@lru_cache(maxsize=1)
def genres() -> str:
    return "(?:" + alternation(_lexicon()["genres"]) + ")"


@lru_cache(maxsize=1)
def issuer_endings() -> str:
    return "(?:" + alternation(_lexicon()["issuer_endings"]) + ")"


@lru_cache(maxsize=1)
def place_ranks() -> str:
    return "(?:" + alternation(_lexicon()["place_ranks"]) + ")"


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS.update({"零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0})
DATE = re.compile(
    r"(?P<y>\d{4}|[〇零一二三四五六七八九○ＯOo]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_ISO_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})")


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if "十" in s:                                   # 十, 十二, 二十, 二十一
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s, 0)


def iso_date(m: re.Match) -> Optional[str]:
    """``YYYY-MM-DD`` of a DATE (or ISO-like) match, None when it is no calendar date."""
    year, month, day = _cn_number(m.group("y")), _cn_number(m.group("m")), _cn_number(m.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(s: str) -> Optional[str]:
    """The first date in ``s`` (2016年12月30日, 二〇一六年十二月三十日, 2016-12-30)."""
    m = DATE.search(s) or _ISO_DATE.search(s)
    return iso_date(m) if m else None
