"""Entity resolution: unit and person mentions to canonical institutions and people.

Facts name units as printed (``州财政局``, ``省人社厅``); the graph needs the
bodies themselves.  The same words name different bodies in different
documents (``州财政局`` is 红河州财政局 in a Honghe notice, 楚雄州财政局 in a
Chuxiong one), so a relative name gets its place from the issuer of its
document.  What is known about bodies (full names, abbreviations, kinds,
reform successions) is data in ``extract/data/*.yaml``; names the registry
does not list still resolve by the same prefix rules plus suffix patterns,
and are reported in ``Resolution.rule_only`` for review.

``Resolver`` reads the data once; ``resolve()`` returns the institutions,
people and successions the facts mention and, in ``Resolution.ids``, which
entity each mention names (facts are immutable: ``Resolution.with_ids``
gives a fact carrying its ``unit_id`` / ``person_id`` / ``object_id``).
``Resolver.session()`` does the same file by file, for streams.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

import yaml

from zhize.extract.gazetteer import gazetteer
from zhize.extract.entities import Institution, Mention, PersonEntity, PostRecord, Resolution, SuccessionRecord
from zhize.extract.types import (
    AppointmentFact,
    DocumentFact,
    DutyFact,
    Fact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
)

DATA = Path(__file__).parent / "data"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # the C loader reads the registry 25x faster
UNKNOWN = "?"
_MARKERS = "省州市县区"
_TO_FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """The SCHEMA's name comparison (NFKC, no whitespace), with Chinese brackets kept."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_TO_FULLWIDTH)


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    name: str                     # 云南省, 红河州, 蒙自市
    full: str                     # 云南省, 红河哈尼族彝族自治州
    level: str                    # province | prefecture | county | central
    marker: str                   # 省 州 市 县 区: how its own documents prefix its bodies
    parent: Optional[str] = None  # name of the enclosing place
    known: bool = True            # False when made up by rule from an issuer


CENTRAL = Place("中央", "中央", "central", "", None)


class Geography:
    """Every place in China and the lookups that give a relative name its place.

    ``geography.yaml`` holds what documents add to the state's code table: the short
    names governments use for themselves (红河州 for 红河哈尼族彝族自治州), document-number
    codes (云政发, 粤府任) and the default province of a document whose issuer is unknown.
    Every other province, prefecture and county comes from the national division codes
    (``extract/gazetteer.py``), so a city or county document anywhere gives its relative
    names (市财政局, 区商务局) their own place.
    """

    def __init__(self, data: Mapping[str, Any]):
        self.places: dict[str, Place] = {}
        self.doc_prefix: dict[str, str] = {}
        self.registry_province = data["registry_province"]
        self.default_province = data.get("default_province")
        prefixes: dict[str, list[str]] = {}

        def prefix(form: str, name: str) -> None:
            if form and name not in prefixes.setdefault(form, []):
                prefixes[form].append(name)

        for p in data["provinces"]:
            self._add(Place(p["name"], p.get("full", p["name"]), "province", "省"), p.get("doc_prefix"))
            for a in p.get("aliases", []):
                prefix(a, p["name"])
        for p in data["prefectures"]:
            self._add(Place(p["name"], p.get("full", p["name"]), "prefecture", p["marker"],
                            p.get("province", self.registry_province)), p.get("doc_prefix"))
            for a in p.get("aliases", []):
                prefix(a, p["name"])
        for pref, counties in (data.get("counties") or {}).items():
            for c in counties:
                self._add(Place(c["name"], c.get("full", c["name"]), "county", c["marker"], pref), None)
        self._add_gazetteer(prefix)
        for code, province in (data.get("province_codes") or {}).items():
            self.doc_prefix.setdefault(code, province)
        for place in self.places.values():
            prefix(place.name, place.name)
            prefix(place.full, place.name)
        self.prefixes = prefixes
        self._longest = max(map(len, prefixes))
        self._rule_places: dict[str, Place] = {}

    def _add_gazetteer(self, prefix) -> None:
        """Provinces, prefectures and counties the yaml does not name, from the code table."""
        g = gazetteer()
        known_full = {p.full for p in self.places.values()}
        name_of: dict[str, str] = {}               # division code -> place name
        for p in self.places.values():
            for d in g.lookup(p.full):
                if d.name == p.full:
                    name_of[d.code] = p.name
        seen: dict[str, int] = {}
        for d in g.by_code.values():
            if d.level == "county":
                seen[d.name] = seen.get(d.name, 0) + 1
        for level in ("province", "prefecture", "county"):
            for d in sorted((d for d in g.by_code.values() if d.level == level), key=lambda d: d.code):
                if d.name in known_full:
                    continue
                parent = name_of.get(d.parent) if d.parent else None
                if level == "prefecture" and d.rank == "自治州" and d.short:
                    name = d.short + "州"               # 黔东南州: how the prefecture names itself
                elif level == "county" and seen.get(d.name, 0) > 1 and parent:
                    name = parent + d.name              # 长春市朝阳区: a county name several cities share
                else:
                    name = d.name
                if name in self.places:
                    continue
                self.places[name] = Place(name, d.name, level, d.marker, parent)
                name_of[d.code] = name
                if level != "county" and d.short:
                    prefix(d.short, name)              # 安徽…, 滁州…: short names of provinces and prefectures
                if level == "county" and name != d.name:
                    prefix(d.name, name)

    def _add(self, place: Place, doc_prefix: Optional[str]) -> None:
        self.places[place.name] = place
        if doc_prefix:
            self.doc_prefix[doc_prefix] = place.name

    def get(self, name: Optional[str]) -> Optional[Place]:
        if name is None:
            return None
        return self.places.get(name) or self._rule_places.get(name)

    def _at_start(self, text: str, within: Optional[Place]) -> Optional[tuple[str, Place]]:
        """The longest place name ``text`` starts with; of several places so named, the one
        inside ``within`` (the place already read, or the document's)."""
        for n in range(min(self._longest, len(text) - 1), 0, -1):
            names = self.prefixes.get(text[:n])
            if not names:
                continue
            places = [self.places[x] for x in names if x in self.places]
            if not places:
                continue
            if within is not None and len(places) > 1:
                inside = [p for p in places if self._inside(p, within)]
                places = inside or places
            return text[:n], places[0]
        return None

    def _inside(self, place: Place, container: Place) -> bool:
        p: Optional[Place] = place
        while p is not None:
            if p.name == container.name:
                return True
            p = self.get(p.parent)
        return False

    def split_absolute(self, text: str, context: Optional[Place] = None) -> tuple[Optional[Place], str]:
        """(place, rest) when ``text`` starts with a place name printed in full.

        Nested places narrow down: 云南省红河州财政局 is 红河州's, 广州市天河区商务局 天河区's.
        """
        found: Optional[Place] = None
        while True:
            hit = self._at_start(text, found or context)
            if hit is None:
                return found, text
            form, place = hit
            if found is not None and not self._inside(place, found):
                return found, text
            found, text = place, text[len(form):]

    def embedded(self, text: str) -> Optional[Place]:
        """A province or prefecture named inside a body's name (人行成都分行 -> 成都市)."""
        for i in range(1, len(text) - 1):
            hit = self._at_start(text[i:], None)
            if hit is not None and hit[1].level in ("province", "prefecture") and len(hit[0]) >= 2:
                return hit[1]
        return None

    def issuer_place(self, issuer: Optional[str], doc: Optional[str]) -> Optional[Place]:
        """The government an issuing body belongs to (红河州人民政府办公室 -> 红河州)."""
        if issuer:
            text = clean(issuer)
            for pat, rep in (("^中国共产党", ""), ("^中共", "")):
                text = re.sub(pat, rep, text)
            if re.match(r"^(?:国务院|中央|全国)", text):
                return CENTRAL
            place, _ = self.split_absolute(text)
            if place is not None:
                return place
            m = re.match(r"^(.{1,10}?(?:自治州|自治县|省|州|市|县|区|镇|乡))(?:人民政府|委|人大|政协|党委)", text)
            if m:
                return self._rule_place(m.group(1))
        if doc:
            if re.match(r"^\s*国(?:发|办|函)", doc):
                return CENTRAL
            place, _ = self.split_absolute(clean(doc))
            if place is not None:
                return place
            m = re.match(r"^\s*([\u4e00-\u9fa5])[\u4e00-\u9fa5]{0,3}[政办委府]", doc)
            if m and m.group(1) in self.doc_prefix:
                return self.places[self.doc_prefix[m.group(1)]]
        return None

    def _rule_place(self, name: str) -> Place:
        """A place the code table does not list (a town, a development zone's government)."""
        if name not in self._rule_places:
            marker = "州" if name.endswith("州") else name[-1]
            level = {"省": "province", "州": "prefecture"}.get(marker, "county")
            self._rule_places[name] = Place(name, name, level, marker, None, known=False)
        return self._rule_places[name]

    def province_of(self, place: Optional[Place]) -> Optional[Place]:
        """The province a place lies in; with none said (a news report with no issuer), the configured
        default, or None: a relative 省教育厅 is then nobody's in particular, never silently Yunnan's."""
        while place is not None and place.level not in ("province", "central"):
            parent = self.get(place.parent)
            if parent is None:
                break
            place = parent
        if place is not None and place.level == "province":
            return place
        return self.places[self.default_province] if self.default_province else None

    def relative(self, marker: str, context: Optional[Place]) -> Optional[Place]:
        """The place a relative prefix (省/州/市/县/区) means in a document of ``context``."""
        if marker == "省":
            return self.province_of(context)
        place = context
        while place is not None and place.level not in ("province", "central"):
            if place.marker == marker:
                return place
            place = self.get(place.parent)
        if place is not None and place.level == "province" and place.marker == marker:
            return place                          # 市 in a 北京市 document: the municipality
        return None


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Entry:
    """One body of the registry: a stem for a level, or an absolute body."""

    stem: str                     # canonical short stem (人力资源社会保障厅) or absolute short name
    name: str                     # official stem or official full name (absolute bodies)
    kind: str
    scope: str                    # province | local | body
    full: Optional[str] = None    # template with {place}
    short: Optional[str] = None   # template with {marker}, when the short form does not start with it (团{marker}委)
    since: Optional[str] = None
    until: Optional[str] = None
    jurisdiction: Optional[str] = None   # absolute bodies only
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alias:
    entry: Entry
    since: Optional[str] = None
    until: Optional[str] = None

    def fits(self, date: Optional[str]) -> bool:
        if date is None:
            return True
        if self.since and date[: len(self.since)] < self.since:
            return False
        if self.until and date[: len(self.until)] > self.until:
            return False
        return True


@dataclass(frozen=True)
class Resolved:
    """A unit mention resolved in its context."""

    id: str
    short: str
    name: str
    kind: str
    jurisdiction: Optional[str]
    level: Optional[str]
    by: str                       # registry | rule | pattern (generic and collective mentions)
    aliases: tuple[str, ...] = ()


class RegistryError(ValueError):
    """The registry contradicts itself (two bodies under one key)."""


@dataclass
class _Counts:
    institutions: dict[str, Institution] = field(default_factory=dict)
    persons: dict[str, PersonEntity] = field(default_factory=dict)


class Resolver:
    """Loaded once: the geography, the registry and the rules; then resolves any number of fact lists."""

    def __init__(self, data_dir: Path = DATA):
        def load(name: str) -> Any:
            with open(data_dir / name, encoding="utf-8") as fh:
                return yaml.load(fh, Loader=_YAML_LOADER)

        self.geo = Geography(load("geography.yaml"))
        rules = load("resolve_rules.yaml")
        self._rewrites = [(re.compile(p), r) for p, r in rules["rewrites"]]
        self._key_rules = [(re.compile(p), r) for p, r in rules["key"]]
        self._keys: dict[str, str] = {}
        self._generic = [re.compile(p) for p in rules["generic"]]
        self._collective = [re.compile(p) for p in rules["collective"]]
        self._kinds = [(k, re.compile(p)) for k, p in rules["kinds"]]
        self._default_kind = rules["default_kind"]
        self._unit_suffix = re.compile(rules["unit_suffix"])
        reg = load("institutions.yaml")
        self._levels: dict[str, dict[str, list[Alias]]] = {"province": {}, "local": {}}
        for scope in ("province", "local"):
            for kind, entries in reg[scope].items():
                for e in entries:
                    self._add_entry(Entry(
                        stem=e["stem"], name=e.get("name", e["stem"]), kind=e.get("kind", kind), scope=scope,
                        full=e.get("full"), short=e.get("short"), since=_date(e.get("since")), until=_date(e.get("until")),
                        aliases=tuple(a if isinstance(a, str) else a["alias"] for a in e.get("aliases", [])),
                    ), e.get("aliases", []))
        self._bodies: dict[str, list[Alias]] = {}
        self._body_by_short: dict[str, Entry] = {}
        for b in reg["bodies"]:
            entry = Entry(stem=b["short"], name=b["name"], kind=b["kind"], scope="body",
                          since=_date(b.get("since")), until=_date(b.get("until")),
                          jurisdiction=b["jurisdiction"], aliases=tuple(b.get("aliases", [])))
            self._body_by_short[entry.stem] = entry
            for a in {entry.stem, entry.name, *entry.aliases}:
                self._index(self._bodies, self.key(a), Alias(entry))
        self._successions = reg.get("successions", [])
        self._cache: dict[tuple, Resolved] = {}
        self._succession_rows: Optional[list] = None

    # ---- registry building

    def _add_entry(self, entry: Entry, raw_aliases: list) -> None:
        table = self._levels[entry.scope]
        for form in {entry.stem, entry.name}:
            self._index(table, self.key(form), Alias(entry))
        for a in raw_aliases:
            if isinstance(a, str):
                self._index(table, self.key(a), Alias(entry))
            else:
                self._index(table, self.key(a["alias"]),
                            Alias(entry, _date(a.get("since")), _date(a.get("until"))))

    @staticmethod
    def _index(table: dict[str, list[Alias]], key: str, alias: Alias) -> None:
        found = table.setdefault(key, [])
        if any(a.entry == alias.entry for a in found):
            return
        for other in found:
            undated = not (alias.since or alias.until or other.since or other.until)
            if undated:
                raise RegistryError(f"{key!r} names both {other.entry.stem} and {alias.entry.stem}")
        found.append(alias)

    def province_stems(self) -> list[str]:
        """Canonical stems of the province's bodies, for listings."""
        return sorted({a.entry.stem for found in self._levels["province"].values() for a in found})

    def body_names(self) -> list[str]:
        """Short names of the bodies registered by absolute name."""
        return sorted(self._body_by_short)

    def key(self, text: str) -> str:
        """The lookup key of a name (memoised: the same few thousand names come back in every document)."""
        hit = self._keys.get(text)
        if hit is None:
            hit = text
            for pat, rep in self._key_rules:
                hit = pat.sub(rep, hit)
            if len(self._keys) < 200_000:
                self._keys[text] = hit
        return hit

    # ---- units

    def resolve_unit(self, mention: str, context: Optional[Place], date: Optional[str] = None) -> Resolved:
        """Resolve one unit name as printed in a document of ``context`` signed on ``date``."""
        ck = (mention, context.name if context else None, (date or "")[:7])
        hit = self._cache.get(ck)
        if hit is None:
            hit = self._cache[ck] = self._resolve_unit(clean(mention), context, date)
        return hit

    def _resolve_unit(self, text: str, context: Optional[Place], date: Optional[str]) -> Resolved:
        for pat, rep in self._rewrites:
            text = pat.sub(rep, text)
        if not text:                  # nothing printed (or only 中共): still one node, for review
            return Resolved(id=f"inst:{UNKNOWN}:", short="", name="", kind=self._default_kind,
                            jurisdiction=None, level=None, by="rule")
        body = self._pick(self._bodies.get(self.key(text)), date)
        if body is not None:
            return self._body(body)
        if any(p.search(text) for p in self._generic):
            return self._group(text, context, "generic")
        if any(p.search(text) for p in self._collective):
            return self._group(text, context, "collective")

        # place prefix: printed in full (云南省…, 红河州…) or relative (省…, 州…)
        place, rest = self.geo.split_absolute(text, context)
        relative = None
        if place is None and text[0] in _MARKERS and len(text) > 1:
            relative = text[0]
            place, rest = self.geo.relative(relative, context), text[1:]
        if place is not None or relative is not None:
            hit = self._registry(place, rest, date)
            if hit is not None:
                return hit
            if relative is not None and context is not None:
                # 市场监管局 printed without a prefix starts with 市 by accident
                bare = self._registry(context, text, date)
                if bare is not None:
                    return bare
            if place is not None and relative is None and not text.startswith((place.name, place.full)):
                # 滁州海关, 人行成都分行: a body that names its place in its own way keeps its name
                return self._rule(place, text, None, absolute=True)
            return self._rule(place, rest, relative)
        # no place prefix at all: the issuer's own body, or a national one
        if re.match(r"^(国家|国务院|中央|中国)", text):
            return self._rule(CENTRAL, text, None, absolute=True)
        hit = self._registry(context, text, date) if context is not None else None
        if hit is not None:
            return hit
        inner = self.geo.embedded(text)                 # 人行成都分行, 银保监局红河分局: placed inside
        return self._rule(inner or context, text, None, absolute=True)

    @staticmethod
    def _pick(found: Optional[list[Alias]], date: Optional[str]) -> Optional[Entry]:
        """The body a name meant on ``date``; undated, the one that names it now."""
        if not found:
            return None
        if date is None:
            return max(found, key=lambda a: (a.until is None, a.since or "")).entry
        for a in found:
            if a.fits(date):
                return a.entry
        return max(found, key=lambda a: (a.until is None, a.since or "")).entry

    def _registry(self, place: Optional[Place], rest: str, date: Optional[str]) -> Optional[Resolved]:
        if place is None or not rest:
            return None
        scope = "province" if place.level == "province" else "local"
        entry = self._pick(self._levels[scope].get(self.key(rest)), date)
        if entry is None:
            body = self._pick(self._bodies.get(self.key(place.name + rest)), date)
            return self._body(body) if body else None
        short = entry.short.format(marker=place.marker) if entry.short else place.marker + entry.stem
        full = entry.full.format(place=place.full) if entry.full else place.full + entry.name
        forms = {short, full, place.name + entry.stem, place.marker + entry.name, place.name + entry.name}
        forms |= {place.marker + a for a in entry.aliases}
        return Resolved(id=f"inst:{place.name}:{short}", short=short, name=full, kind=entry.kind,
                        jurisdiction=place.name, level=place.level,
                        by="registry" if place.known else "rule", aliases=tuple(sorted(forms)))

    def _body(self, entry: Entry) -> Resolved:
        place = self.geo.get(entry.jurisdiction)
        return Resolved(id=f"inst:{entry.jurisdiction}:{entry.stem}", short=entry.stem, name=entry.name,
                        kind=entry.kind, jurisdiction=entry.jurisdiction, level=place.level if place else None,
                        by="registry", aliases=tuple(sorted({entry.stem, entry.name, *entry.aliases})))

    def _group(self, text: str, context: Optional[Place], kind: str) -> Resolved:
        place = None
        if text[0] in _MARKERS:
            place = self.geo.relative(text[0], context)
        else:
            place, _ = self.geo.split_absolute(text)
        place = place or context
        juris = place.name if place else UNKNOWN
        key = re.sub(r"[、，,·（）()\s]", "", text)
        return Resolved(id=f"inst:{juris}:{key}", short=key, name=text, kind=kind,
                        jurisdiction=place.name if place else None, level=place.level if place else None,
                        by="pattern", aliases=(text,))

    def _rule(self, place: Optional[Place], rest: str, relative: Optional[str], absolute: bool = False) -> Resolved:
        """A body the registry does not list: kind from its suffix, id from its place and key."""
        kind = next((k for k, p in self._kinds if p.search(rest)), self._default_kind)
        if place is None:                       # relative prefix with no issuer to read it from
            short = (relative or "") + self.key(rest)
            return Resolved(id=f"inst:{UNKNOWN}:{short}", short=short, name=(relative or "") + rest, kind=kind,
                            jurisdiction=None, level=None, by="rule", aliases=((relative or "") + rest,))
        if absolute:                            # printed with no place prefix
            short, name, forms = self.key(rest), rest, {rest}
        else:
            short, name = place.marker + self.key(rest), place.full + rest
            forms = {name, place.marker + rest, place.name + rest}
        return Resolved(id=f"inst:{place.name}:{short}", short=short, name=name, kind=kind,
                        jurisdiction=place.name, level=place.level, by="rule", aliases=tuple(sorted(forms)))

    def looks_like_unit(self, text: str, resolved: Resolved) -> bool:
        return resolved.by == "registry" or bool(self._unit_suffix.search(clean(text)))

    # ---- people

    def person_place(self, position: Optional[str], context: Optional[Place]) -> Optional[Place]:
        """Where a post is: the place printed at the head of the position, else the issuer's."""
        text = clean(position) if position else ""
        for pat, rep in self._rewrites[:2]:
            text = pat.sub(rep, text)
        if text:
            body = self._body_at_start(text)
            if body is not None:              # 人民银行红河州中心支行行长, 昆明海关关长: the body's place
                return self.geo.get(body.jurisdiction) or context
            place, _ = self.geo.split_absolute(text, context)
            if place is not None:
                return place
            if text[0] in _MARKERS:
                rel = self.geo.relative(text[0], context)
                if rel is not None:
                    return rel
        return context

    def _body_at_start(self, text: str) -> Optional[Entry]:
        """The longest registered absolute body that the text starts with."""
        for end in range(min(len(text), 40), 1, -1):
            found = self._bodies.get(self.key(text[:end]))
            if found:
                return found[-1].entry
        return None

    # ---- the stage

    def session(self, keep_ids: bool = True) -> "ResolutionSession":
        """An open resolution: feed it files' facts in order, then ``finish``."""
        return ResolutionSession(self, keep_ids=keep_ids)

    def resolve(self, facts: Sequence[Fact], documents: Iterable[Any] = ()) -> Resolution:
        s = self.session()
        s.add(facts, documents)
        return s.finish()

    def _succession_records(self, out: Resolution) -> list[SuccessionRecord]:
        """Reforms touching any body mentioned, followed along chains (保监局 -> 银保监局 -> 金融监管局).

        Both ends become institutions, with 0 mentions when the documents never name them.
        """
        table = self.succession_table()
        chosen: set[int] = set()
        changed = True
        while changed:
            changed = False
            for i, (preds, succ, _, _) in enumerate(table):
                if i in chosen or not any(e.id in out.institutions for e in (succ, *preds)):
                    continue
                chosen.add(i)
                changed = True
                for e in (succ, *preds):
                    if e.id not in out.institutions:
                        out.institutions[e.id] = Institution(
                            id=e.id, name=e.name, kind=e.kind, jurisdiction=e.jurisdiction, level=e.level,
                            aliases=set(e.aliases), resolved_by=e.by)
        return [SuccessionRecord(predecessor=p.id, successor=succ.id, date=date, source=source)
                for i, (preds, succ, date, source) in enumerate(table) if i in chosen for p in preds]

    def succession_table(self) -> list[tuple[list[Resolved], Resolved, Optional[str], Optional[str]]]:
        """Every registered reform, resolved once: (predecessors, successor, date, source)."""
        if self._succession_rows is None:
            rows = []
            for s in self._successions:
                ctx = self.geo.get(s["jurisdiction"])
                date = _date(s.get("date"))
                rows.append(([self.resolve_unit(p, ctx, _before(date)) for p in s["from"]],
                             self.resolve_unit(s["to"], ctx, date), date, s.get("source")))
            self._succession_rows = rows
        return self._succession_rows


class ResolutionSession:
    """Resolution fed file by file: each ``add`` returns the ids of the facts it was given.

    Ids depend only on a mention and its document, so a file's ids are final
    as soon as it is added and a stream of files can be written out as it
    goes; the entities (mention counts, aliases, posts) accumulate until
    ``finish``.  ``keep_ids=False`` keeps only the entities, for streams too
    long to hold every fact.
    """

    def __init__(self, resolver: Resolver, keep_ids: bool = True):
        self.r = resolver
        self.keep_ids = keep_ids
        self.docs = _DocIndex(resolver.geo)
        self.out = Resolution()
        self._rule_only: set[str] = set()

    def add(self, facts: Sequence[Fact], documents: Iterable[Any] = ()) -> dict[Mention, str]:
        for d in documents:
            self.docs.add(d)
        for f in facts:
            if isinstance(f, DocumentFact):
                self.docs.add(f)
        ids: dict[Mention, str] = {}
        for f in facts:
            if isinstance(f, (DutyFact, GroupUnitFact)):
                ids[Mention(f, "unit_id")] = self._unit(f.unit, f).id
            elif isinstance(f, MemberFact):
                if f.person:
                    post = f.position or f"{f.group}{f.role_text}"
                    ids[Mention(f, "person_id")] = self._person(f.person, post, f, "member")
            elif isinstance(f, AppointmentFact):
                ids[Mention(f, "person_id")] = self._person(f.person, f.position, f, "appointment", action=f.action)
            elif isinstance(f, PortfolioFact):
                if f.person:
                    ids[Mention(f, "person_id")] = self._person(f.person, f.position, f, "portfolio")
                if f.relation in ("acting", "partner"):
                    ids[Mention(f, "object_id")] = self._person(f.object, None, f, "portfolio", record_post=False)
                else:
                    ctx, date = self.docs.context(f)
                    r = self.r.resolve_unit(f.object, ctx, date)
                    if self.r.looks_like_unit(f.object, r):
                        ids[Mention(f, "object_id")] = self._unit(f.object, f).id
        if self.keep_ids:
            self.out.ids.update(ids)
        return ids

    def finish(self) -> Resolution:
        out = self.out
        for p in out.persons.values():
            p.posts.sort(key=lambda r: (r.date or "", r.doc, r.position))
        out.successions = self.r._succession_records(out)
        out.rule_only = sorted(i for i in self._rule_only if out.institutions[i].resolved_by == "rule")
        return out

    def _unit(self, text: str, fact: Fact) -> Resolved:
        ctx, date = self.docs.context(fact)
        r = self.r.resolve_unit(text, ctx, date)
        inst = self.out.institutions.get(r.id)
        if inst is None:
            inst = self.out.institutions[r.id] = Institution(
                id=r.id, name=r.name, kind=r.kind, jurisdiction=r.jurisdiction, level=r.level,
                aliases=set(r.aliases), resolved_by=r.by)
            if r.by == "rule":          # generic/collective ("pattern") are not unknowns to review
                self._rule_only.add(r.id)
        inst.mentions += 1
        inst.aliases.add(clean(text))
        return r

    def _person(self, name: str, position: Optional[str], fact: Fact, source: str,
                action: Optional[str] = None, record_post: bool = True) -> str:
        ctx, date = self.docs.context(fact)
        place = self.r.person_place(position, ctx)
        pname = clean(name)
        juris = place.name if place else None
        pid = f"person:{juris or UNKNOWN}:{pname}"
        p = self.out.persons.get(pid)
        if p is None:
            p = self.out.persons[pid] = PersonEntity(id=pid, name=pname, jurisdiction=juris)
        p.mentions += 1
        if record_post:
            post = PostRecord(position=clean(position) if position else "", doc=fact.doc, date=date,
                              source=source, action=action)
            if post not in p.posts:
                p.posts.append(post)
        return pid


def _date(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _before(date: Optional[str]) -> Optional[str]:
    """A date just before a reform, to read the predecessor's name as it was then."""
    if not date:
        return None
    return f"{int(date[:4]) - 1}{date[4:]}"


class _DocIndex:
    """Issuer place and date per (file, doc); documents may come as facts, DocumentInfo or records."""

    def __init__(self, geo: Geography):
        self.geo = geo
        self.by_file_doc: dict[tuple[Optional[str], str], tuple[Optional[Place], Optional[str]]] = {}
        self.by_doc: dict[str, tuple[Optional[Place], Optional[str]]] = {}
        self._memo: dict[tuple[Optional[str], str], tuple[Optional[Place], Optional[str]]] = {}

    def add(self, d: Any) -> None:
        file: Optional[str] = None
        if isinstance(d, tuple):                    # (file, DocumentInfo)
            file, d = d
        if isinstance(d, Mapping):
            doc, issuer, date = d.get("doc"), d.get("issuer"), d.get("date")
            file = file or d.get("file") or (d.get("source") or {}).get("file")
        else:
            doc, issuer, date = d.doc, d.issuer, d.date
            source = getattr(d, "source", None)
            file = file or (source.file if source is not None else None)
        if doc is None:
            return
        value = (self.geo.issuer_place(issuer, doc), date)
        if file is not None:
            self.by_file_doc[(_base(file), doc)] = value
        if doc not in self.by_doc or self.by_doc[doc][0] is None:
            self.by_doc[doc] = value

    def context(self, fact: Fact) -> tuple[Optional[Place], Optional[str]]:
        file = _base(fact.source.file) if fact.source is not None else None
        k = (file, fact.doc)
        hit = self._memo.get(k)
        if hit is None:
            hit = self.by_file_doc.get(k) or self.by_doc.get(fact.doc)
            if hit is None:
                hit = (self.geo.issuer_place(None, fact.doc), None)
            self._memo[k] = hit
        return hit


def _base(file: str) -> str:
    return file.rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    return Resolver()


def resolve(facts: Sequence[Fact], documents: Iterable[Any] = ()) -> Resolution:
    """The entities ``facts`` name, and which mention names which (``Resolution.ids``).

    ``documents``: DocumentFact, DocumentInfo, ``(file, DocumentInfo)`` pairs or
    records with doc/issuer/date(/file); DocumentFacts among ``facts`` count too.
    """
    return default_resolver().resolve(facts, documents)
