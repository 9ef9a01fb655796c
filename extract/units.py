"""Split a printed list of units into unit names.

`省发展改革委、财政厅` names 省发展改革委 and 省财政厅 (a shared jurisdiction
prefix), `丽江市、红河州和普洱市人民政府` names three governments (a shared
suffix), `各州、市人民政府` is ONE collective unit, and
`省发展改革委(省物价局、能源局)` names three.  The vocabulary lives in
``data/unit_words.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from zhize.extract.gazetteer import gazetteer
from zhize.extract.lexicon import alternation, load_data


@dataclass(frozen=True)
class UnitSpan:
    name: str          # the unit with shared prefix/suffix restored, spaces removed
    start: int         # offsets of the printed item in the caller's string (+ offset)
    end: int
    generic: bool


@dataclass(frozen=True)
class _Words:
    suffix: re.Pattern
    prefix: re.Pattern
    placed: re.Pattern               # a place of its own inside a name
    generic: tuple[re.Pattern, ...]
    not_a_name: re.Pattern


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = load_data("unit_words.yaml")
    suffixes = sorted(data["suffixes"], key=len, reverse=True)
    places = set(data["self_placed"]) | set(data["extra_places"]) | gazetteer().names()
    return _Words(
        suffix=re.compile("(?:" + "|".join(map(re.escape, suffixes)) + r")$"),
        prefix=re.compile("^" + data["jurisdiction_prefix"]),
        placed=re.compile(alternation(places)),
        generic=tuple(re.compile(p) for p in data["generic_patterns"]),
        not_a_name=re.compile("|".join(data["not_a_name"])),
    )


_SEPARATORS = "、，,；;"
_TRAILING = re.compile(r"等(?:州级|省级|市级|县级|省直|州直|有关|相关|其他)?(?:部门|单位|机构)?$")
_LEADING = re.compile(r"^(?:由|请|和|及|与|以及)")
# a note after a unit: its contact person or phone (市应急管理局（李某某）, （联系人：王某，电话：…）)
_CONTACT_NOTE = re.compile(r"（(?:(?:联系人|负责人|责任人)[：:]?)?(?P<who>[\u4e00-\u9fa5]{2,4})(?:[，,、；].{0,30})?）$"
                           r"|（(?:联系人|联系电话|电话)[：:][^（）]{1,40}）$")
_SPACE = re.compile(r"\s+")
_NAME_NOTE = re.compile(r"（[^（）]{1,12}）$")
_COLLECTIVE_LIST = re.compile(r"^(?:各|有关|相关)(?:[州市县区省]、?)+(?:人民政府|政府|党委和政府|党委|委员会)")


def looks_like_unit(name: str) -> bool:
    """Does this phrase end like an institution's name (or a generic body)? A bracket it ends with
    is a part of the name (高新区管委会（筹）, 各县（市、区）政府（管委会）): the name ends before it."""
    name = _SPACE.sub("", name)
    if not name or len(name) > 40:
        return False
    bare = _NAME_NOTE.sub("", name) or name
    return bool(_words().suffix.search(bare)) or is_generic(name)


def is_generic(name: str) -> bool:
    return any(p.search(name) for p in _words().generic)


def has_place(name: str) -> bool:
    """Does the name carry a place of its own (团省委, 人民银行红河州中心支行, 人行成都分行, 湖北银保监局)?"""
    return bool(_words().placed.search(name.replace("市场", "")))


def is_name(name: str) -> bool:
    """Could this be a body's name at all (not 以下均需试点城市政府, 商务部指导)?"""
    return not _words().not_a_name.search(name)


def _without_contact(name: str) -> str:
    if not name.endswith("）"):
        return name
    m = _CONTACT_NOTE.search(name)
    if not m:
        return name
    from zhize.extract.people import looks_like_name
    who = m.group("who")
    unit = name[:m.start()]
    if (who is None or (looks_like_name(who) and not _words().suffix.search(who))) and is_name(unit) \
            and _words().suffix.search(unit):
        return unit
    return name


def jurisdiction_prefix(name: str) -> str:
    m = _words().prefix.match(name)
    return m.group(0) if m else ""


def split_units(text: str, offset: int = 0) -> list[UnitSpan]:
    """Unit names in a printed list, in print order."""
    items = [(_TRAILING.sub("", name), s, e) for name, s, e in _items(text)]
    items = _expand_shared_suffix(_split_conjoined([it for it in items if it[0]]))
    out: list[UnitSpan] = []
    prefix = ""
    for name, start, end in items:
        name = _without_contact(_TRAILING.sub("", _LEADING.sub("", name)))
        if not name:
            continue
        own = jurisdiction_prefix(name)
        if own:
            prefix = own
        elif has_place(name):
            prefix = ""          # 人民银行红河州中心支行: what follows does not inherit a prefix
        elif prefix and not is_generic(name):
            # 省委宣传部、教育厅: a 厅 or 局 is the government's, not the party committee's
            if prefix.endswith("委") and name.endswith(("厅", "局")):
                name = prefix[:-1] + name
            else:
                name = prefix + name
        out.append(UnitSpan(name=name, start=offset + start, end=offset + end, generic=is_generic(name)))
    return out


_MAX_DEPTH = 3          # unit lists inside brackets inside brackets; deeper brackets are text


def _items(text: str, depth: int = 0) -> list[tuple[str, int, int]]:
    """Split on separators and unit-list brackets, keeping collectives like 各州、市人民政府 whole.

    A bracket that holds no unit list (各县（市、区）政府) is part of the name: its 、 splits nothing."""
    items: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    start = 0
    pairs = bracket_pairs(text)

    def flush(stop: int) -> None:
        raw = text[start:stop]
        name = _SPACE.sub("", raw)
        if name:
            lead = len(raw) - len(raw.lstrip())
            items.append((name, start + lead, start + len(raw.rstrip())))

    while i < n:
        ch = text[i]
        if ch in _SEPARATORS:
            # 各州、市人民政府 / 有关州、市人民政府: the 、 is inside one collective name
            m = _COLLECTIVE_LIST.match(_SPACE.sub("", text[start:start + 80]))
            if m and ch == "、":
                consumed = _consume(text, start, len(m.group(0)))
                if consumed > i:
                    i = consumed
                    continue
            flush(i)
            start = i + 1
        elif ch in "（(":
            close = pairs.get(i, -1)
            inner = text[i + 1:close] if close > 0 else ""
            # 各县（市、区）政府（管委会）: a collective's bracket is part of its name
            collective = re.match(r"^\s*(?:各|有关|相关)", text[start:i])
            if close > 0 and depth < _MAX_DEPTH and not collective and any(
                    looks_like_unit(p) for p in re.split(f"[{_SEPARATORS}]", inner) if p.strip()):
                flush(i)
                for name, s, e in _items(inner, depth + 1):
                    items.append((name, i + 1 + s, i + 1 + e))
                start = close + 1
                i = close + 1
                continue
            if close > 0:
                i = close + 1
                continue
        i += 1
    flush(n)
    return items


def _consume(text: str, start: int, compact_len: int) -> int:
    """Index in ``text`` after ``compact_len`` non-space characters from ``start``."""
    seen = 0
    i = start
    while i < len(text) and seen < compact_len:
        if not text[i].isspace():
            seen += 1
        i += 1
    return i


def bracket_pairs(text: str) -> dict[int, int]:
    """Every bracket that closes, mapped to its closing bracket: one pass, however deep or unbalanced."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for j, ch in enumerate(text):
        if ch in "（(":
            stack.append(j)
        elif ch in "）)" and stack:
            pairs[stack.pop()] = j
    return pairs


_CONJOINED = re.compile(r"会同|联合|以及|和|及|与")


def _split_conjoined(items: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`省公安厅会同省民政厅`, `州委和州政府`: two units joined by a word, when both sides are units.

    `省工业和信息化厅` stays whole: `省工业` is no unit.
    """
    out = []
    for name, start, end in items:
        for m in _CONJOINED.finditer(name):
            left, right = name[:m.start()], name[m.end():]
            # 省公安厅会同省民政厅, 教育部会同有关部门; but 省工业和信息化厅 stays whole, and 和有关部门
            # only joins after 会同
            if looks_like_unit(left) and looks_like_unit(right) and (not is_generic(right) or m.group() == "会同"):
                out.append((left, start, start + m.start()))
                out.append((right, start + m.end(), end))
                break
        else:
            out.append((name, start, end))
    return out


_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:自治州|自治县|省|州|市|县|区)$")
_SHARED_SUFFIX = re.compile(r"(人民政府|政府|部门|单位|机关)$")
# 西安、宝鸡、咸阳市政府: the last item's rank and government word are shared by bare place names
_RANKED_GOVERNMENT = re.compile(r"^[\u4e00-\u9fa5]{2,4}?(?P<suffix>(?:市|县|区|州|盟|旗)(?:人民政府|政府))$")
_BARE_PLACE = re.compile(r"^[\u4e00-\u9fa5]{2,4}$")
_AND = re.compile(r"[和及与]")


def _expand_shared_suffix(items: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`丽江市、红河州和普洱市人民政府`, `各级公安、统计、调查部门`: earlier bare items take the last one's suffix."""
    out: list[tuple[str, int, int]] = []
    run: list[tuple[str, int, int]] = []
    for item in items:
        name = item[0]
        # split "红河州和普洱市人民政府" into two items when both sides are places
        parts = _AND.split(name)
        if len(parts) == 2 and _PLACE_ONLY.match(parts[0]) and _SHARED_SUFFIX.search(parts[1]):
            cut = item[1] + name.index(parts[1])
            run.append((parts[0], item[1], cut - 1))
            item = (parts[1], cut, item[2])
            name = parts[1]
        if not looks_like_unit(name):
            if _PLACE_ONLY.match(name) or (len(name) <= 10 and is_name(name)):
                run.append(item)          # a bare place or field: 丽江市、 / 公安、 / 人力资源社会保障、
            else:
                out.extend(run)
                out.append(item)
                run = []
            continue
        m = _SHARED_SUFFIX.search(name)
        ranked = _RANKED_GOVERNMENT.match(name)
        if run and ranked and all(_BARE_PLACE.match(b) and not _PLACE_ONLY.match(b) for b, _, _ in run):
            out.extend((bare + ranked.group("suffix"), s, e) for bare, s, e in run)
            out.append(item)
            run = []
            continue
        if run and m:
            suffix = m.group(1)
            lead = re.match(r"^(各级|各|有关)", run[0][0])
            for bare, s, e in run:
                if lead and not bare.startswith(lead.group(1)):
                    bare = lead.group(1) + bare
                out.append((bare + suffix, s, e))
            if lead and not name.startswith(lead.group(1)):
                name = lead.group(1) + name
            out.append((name, item[1], item[2]))
        else:
            out.extend(run)
            out.append(item)
        run = []
    out.extend(run)
    return out
