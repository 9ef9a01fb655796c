"""China's administrative divisions, from the GB/T 2260 codes the ``cpca`` package ships.

Unit names carry their place (``成都市财政局``, ``人行成都分行``, ``湖北银保监局``), and a
unit list inherits a prefix only from an item that has none of its own; a relative
prefix (``市``, ``区``) takes its place from the issuer.  Both need to know every
province, prefecture and county by its full name (``红河哈尼族彝族自治州``) and by the
short name documents use (``红河``).  ``cpca`` (MIT) carries the national code table
(``resources/adcodes.csv``: code, name); only the file is read, the package is not
imported.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

# longest first: the rank word a division's full name ends with
RANKS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "地区", "新区", "矿区", "特区",
         "省", "市", "州", "县", "区", "盟", "旗")
LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    code: str            # 12-digit GB/T 2260 code (532500000000)
    name: str            # full name as the state registers it (红河哈尼族彝族自治州)
    short: str           # the name documents use without rank or nationalities (红河); "" when too short
    rank: str            # 自治州
    level: str           # province | prefecture | county
    parent: Optional[str]

    @property
    def marker(self) -> str:
        """How the division's own documents prefix its bodies: 省, 州, 市, 县, 区."""
        if self.level == "province":
            return "市" if self.name in _MUNICIPALITIES else "自治区" if self.rank == "自治区" else "省"
        return {"自治州": "州", "自治县": "县", "自治旗": "旗", "地区": "地区", "林区": "区",
                "新区": "区", "矿区": "区", "特区": "区"}.get(self.rank, self.rank)


_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _source() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the cpca package (China's division codes) is not installed: pip install cpca")
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def _nations(resources: Path) -> tuple[str, ...]:
    names = [line.strip() for line in (resources / "56_nations.csv").read_text(encoding="utf-8").splitlines()]
    forms = set()
    for n in names:
        if n:
            forms.add(n)
            if n.endswith("族") and len(n) > 2:
                forms.add(n[:-1])          # 维吾尔 as printed in 新疆维吾尔自治区
    return tuple(sorted(forms, key=len, reverse=True))


def short_name(name: str, nations: tuple[str, ...]) -> tuple[str, str]:
    """(short name, rank): 红河哈尼族彝族自治州 -> (红河, 自治州); 北京市 -> (北京, 市)."""
    rank = next((r for r in RANKS if name.endswith(r) and len(name) > len(r)), "")
    stem = name[: len(name) - len(rank)]
    if rank.startswith("自治"):
        changed = True
        while changed:
            changed = False
            for n in nations:
                if stem.endswith(n) and len(stem) >= len(n) + 2:
                    stem, changed = stem[: -len(n)], True
                    break
    return (stem if len(stem) >= 2 else ""), rank


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]], nations: tuple[str, ...]):
        self.by_code: dict[str, Division] = {}
        for code, name in rows:
            if code[2:] == "0" * 10:
                level, parent = "province", None
            elif code[4:] == "0" * 8:
                level, parent = "prefecture", code[:2] + "0" * 10
            else:
                level, parent = "county", code[:4] + "0" * 8
            short, rank = short_name(name, nations)
            self.by_code[code] = Division(code, name, short, rank, level, parent)
        # the table's placeholders for a municipality's districts and counties (市辖区, 县) are no
        # places: their children belong to the municipality itself
        placeholders = {c for c, d in self.by_code.items() if d.level == "prefecture" and d.name in _PLACEHOLDERS}
        for c in placeholders:
            del self.by_code[c]
        for d in list(self.by_code.values()):        # a county directly under a province (省直辖县)
            if d.parent and d.parent not in self.by_code:
                self.by_code[d.code] = Division(d.code, d.name, d.short, d.rank, d.level, d.code[:2] + "0" * 10)
        self.by_name: dict[str, list[Division]] = {}
        for d in self.by_code.values():
            for form in {d.name, d.short}:
                if form:
                    self.by_name.setdefault(form, []).append(d)

    def parent(self, d: Division) -> Optional[Division]:
        return self.by_code.get(d.parent) if d.parent else None

    def province_of(self, d: Division) -> Division:
        while d.parent and d.parent in self.by_code:
            d = self.by_code[d.parent]
        return d

    def lookup(self, name: str) -> list[Division]:
        """Divisions named so (full or short), coarsest first."""
        found = self.by_name.get(name, [])
        return sorted(found, key=lambda d: (LEVELS.index(d.level), d.code))

    def names(self, levels: tuple[str, ...] = ("province", "prefecture")) -> frozenset[str]:
        """Full and short names of the divisions at ``levels``."""
        out = set()
        for d in self.by_code.values():
            if d.level in levels:
                out.add(d.name)
                if d.short:
                    out.add(d.short)
        return frozenset(out)

    def most_local_in(self, text: Optional[str]) -> Optional[Division]:
        """The most local division a name spells out in full (天河区 in 广州市天河区人民政府办公室)."""
        if not text:
            return None
        found = [d for m in self._full_names().finditer(text) for d in self.lookup(m.group(0))
                 if d.name == m.group(0)]
        return max(found, key=lambda d: LEVELS.index(d.level), default=None)

    @lru_cache(maxsize=1)
    def _full_names(self) -> "re.Pattern":
        names = sorted({d.name for d in self.by_code.values() if d.name not in _PLACEHOLDERS}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    resources = _source()
    with open(resources / "adcodes.csv", encoding="utf-8", newline="") as fh:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(fh)]
    return Gazetteer(rows, _nations(resources))
