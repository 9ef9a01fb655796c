"""Who leads, who is responsible, who supports: duty clauses and duty tables.

Forms read (role words in ``data/duty_roles.yaml``):

* a bracketed clause closing a paragraph: ``（省公安厅、省民政厅负责，省妇联配合）``,
  ``（省文化厅牵头；各州、市人民政府配合）``, ``（由州财政局牵头，州商务局等部门按职责分工负责）``,
  ``（牵头单位：州文化和旅游局；责任单位：州财政局，各县市人民政府）``;
* the same standing on its own line after numbered items, or a labelled line
  (``主办单位：省扶贫办，各州、市人民政府``): it covers the whole section, heading included;
* tables (TSV rows or ``<p>`` cells) whose header names a 责任单位 / 牵头单位 / 配合单位 column;
* a document rule ``（列首位的为牵头单位，下同）`` making the first-listed unit the lead.

A bracket that holds a role word but yields no unit is reported as ``Unparsed``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from zhize.extract.base import Extraction
from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo, DutyFact
from zhize.extract.units import UnitSpan, looks_like_unit, matching_bracket as _matching, split_units

_DATA = Path(__file__).with_name("data")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Roles:
    suffix: re.Pattern          # unit list followed by a role word
    suffix_role: dict[str, str]
    label: re.Pattern           # a label then a unit list
    label_role: dict[str, str]
    first_listed: re.Pattern
    columns: dict[str, str]     # header word -> lead | responsible | support | task


@lru_cache(maxsize=1)
def roles() -> _Roles:
    data = yaml.safe_load((_DATA / "duty_roles.yaml").read_text(encoding="utf-8"))
    suffix_role = {w: role for role, words in data["suffix"].items() for w in words}
    label_role = {w: role for role, words in data["label"].items() for w in words}
    alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    columns = {w: role for role, words in data["table_columns"].items() for w in words}
    return _Roles(
        # 负责人 / 负责同志 are people, not a role
        suffix=re.compile(f"(?:{alt(suffix_role)})(?!人|同志)"),
        suffix_role=suffix_role,
        label=re.compile(f"(?:{alt(label_role)})\\s*[：:]"),
        label_role=label_role,
        first_listed=re.compile(
            "[（(]?[^（）()]{0,4}(?:" + alt(data["first_listed_lead"]) + ")[^（）()]{0,6}[）)]?"),
        columns=columns,
    )


@dataclass
class _Assignment:
    units: list[UnitSpan]
    role: str


@dataclass
class _Clause:
    start: int                      # span of the clause in the normalised text
    end: int
    assignments: list[_Assignment] = field(default_factory=list)


# ---------------------------------------------------------------- clause parsing

_SEGMENT_SPLIT = re.compile(r"[；;。]")


def parse_clause(body: str, offset: int = 0) -> list[_Assignment]:
    """Assignments in a clause body (the text inside the brackets), offsets shifted by ``offset``."""
    r = roles()
    out: list[_Assignment] = []
    pos = 0
    for seg in _top_level_split(body):
        seg_start = body.index(seg, pos) if seg else pos
        pos = seg_start + len(seg)
        if r.label.search(seg):
            out.extend(_parse_labelled(seg, offset + seg_start))
        else:
            out.extend(_parse_suffixed(seg, offset + seg_start))
    return out


def _top_level_split(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and _SEGMENT_SPLIT.match(ch):
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _parse_labelled(seg: str, offset: int) -> list[_Assignment]:
    r = roles()
    out = []
    marks = list(r.label.finditer(seg))
    for k, m in enumerate(marks):
        word = re.sub(r"\s*[：:]$", "", m.group(0))
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(seg)
        units = _units(seg[m.end():stop].rstrip("，, "), offset + m.end())
        if units:
            out.append(_Assignment(units, r.label_role[word]))
    return out


def _parse_suffixed(seg: str, offset: int) -> list[_Assignment]:
    r = roles()
    out: list[_Assignment] = []
    cursor = 0
    subject: list[UnitSpan] | None = None
    for m in r.suffix.finditer(seg):
        text = seg[cursor:m.start()]
        lead_trim = len(text) - len(text.lstrip("，,、 "))
        units = _units(text[lead_trim:], offset + cursor + lead_trim)
        role = r.suffix_role[m.group(0)]
        if units:
            subject = units
            out.append(_Assignment(units, role))
        elif subject is not None and not _looks_listy(text):
            # 省交通运输厅负责运输企业，牵头负责落实…: the same subject takes a second role
            out.append(_Assignment(subject, role))
        cursor = m.end()
        if _has_object(seg, cursor):
            # X负责Y: what follows the role word up to the next comma is its object, not units
            comma = re.search(r"[，,]", seg[cursor:])
            cursor = cursor + comma.end() if comma else len(seg)
    return out


def _has_object(seg: str, at: int) -> bool:
    rest = seg[at:at + 1]
    return bool(rest) and rest not in "，,；;。 "


def _looks_listy(text: str) -> bool:
    return "、" in text


_TRAILING_JUNK = re.compile(r"[，,。 ]+$")


def _units(text: str, offset: int) -> list[UnitSpan]:
    """The unit list, or [] when this is not one (then the text is no assignment).

    A list is refused when an item is too long or holds a sentence mark, or when
    fewer than half the items end like a unit; one odd item (a name the suffix
    list lacks, 云南广播电视台) does not void the others."""
    text = _TRAILING_JUNK.sub("", text)
    if not text.strip():
        return []
    units = split_units(text, offset)
    if not units or any(len(u.name) > 30 or re.search(r"[。：:]", u.name) for u in units):
        return []
    if sum(looks_like_unit(u.name) for u in units) * 2 < len(units):
        return []
    return units


# ---------------------------------------------------------------- structure of a document

_CN = "一二三四五六七八九十百零〇两"
_LEVELS = [
    (0, re.compile(rf"^第[{_CN}\d]+[章部编]")),
    (1, re.compile(rf"^第[{_CN}\d]+[条节]")),
    (2, re.compile(rf"^[{_CN}]+[、．.]")),
    (3, re.compile(rf"^[（(][{_CN}]+[）)]")),
    (4, re.compile(r"^\d+\s*(?:[、．]|\.(?!\d))")),
    (5, re.compile(r"^[（(]\d+[）)]")),
    (6, re.compile(r"^[①-⑳]")),
]


def marker_level(line: str) -> int | None:
    line = line.lstrip()
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level
    return None


def _is_heading(line: str) -> bool:
    """A short numbered line that names a section rather than saying something."""
    body = line.strip()
    return len(body) <= 40 and "。" not in body[:-1]


# ---------------------------------------------------------------- the extractor


class DutyExtractor:
    name = "duties"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        result = Extraction()
        lines = list(text.lines(doc.start, doc.end))
        first_listed = False
        table: dict[int, str] | None = None
        clause_lines: set[int] = set()      # lines that end with or are a duty clause
        for idx, (s, e) in enumerate(lines):
            line = text.text[s:e]
            if not line.strip():
                continue
            if roles().first_listed.search(line):
                first_listed = True
            if "\t" in line or "<p>" in line:
                header = _table_header(line)
                if header is not None:
                    table = header
                    continue
                if table is not None:
                    facts = self._table_row(text, doc, s, e, table, first_listed)
                    if facts:
                        result.facts.extend(facts)
                    elif len(_cells(text.text, s, e)) >= 2:
                        result.unparsed.append(text.unparsed(s, e, "table row under a duty header without units"))
                    continue
            else:
                table = None
            after = s
            for clause in self._clauses(text, s, e):
                if not clause.assignments:
                    result.unparsed.append(text.unparsed(clause.start, clause.end, "role word but no unit list"))
                    continue
                clause_lines.add(idx)
                task_span = self._task_span(text, lines, idx, clause, after, clause_lines)
                after = clause.end
                task = _compact(text.text[task_span[0]:task_span[1]])
                form = "label" if roles().label.search(text.text[clause.start:clause.end]) else "clause"
                result.facts.extend(_facts(text, doc, clause.start, clause.end, task,
                                           clause.assignments, first_listed, form))
        return result

    # -- clauses inside one logical line
    def _clauses(self, text: TextView, s: int, e: int) -> list[_Clause]:
        line = text.text[s:e]
        out: list[_Clause] = []
        r = roles()
        i = 0
        while i < len(line):
            if line[i] in "（(":
                close = _matching(line, i)
                if close < 0:
                    close = len(line)     # an unclosed clause at the end of a paragraph
                body = line[i + 1:close]
                # a bracket that only states the first-listed rule is a rule, not a clause
                clean = r.first_listed.sub(lambda m: " " * len(m.group(0)), body)
                if r.suffix.search(clean) or r.label.search(clean):
                    out.append(_Clause(s + i, s + min(close + 1, len(line)),
                                       parse_clause(clean, s + i + 1)))
                i = close + 1
                continue
            i += 1
        if not out:
            # a labelled line (主办单位：…), or a label closing the paragraph after a full stop
            m = r.label.match(line.lstrip())
            if m:
                lead = len(line) - len(line.lstrip())
                out.append(_Clause(s + lead, e, parse_clause(line[lead:], s + lead)))
            else:
                m = re.search("(?<=。)\\s*(?=" + r.label.pattern + ")", line)
                if m:
                    at = m.end()
                    out.append(_Clause(s + at, e, parse_clause(line[at:], s + at)))
        return out

    def _task_span(self, text: TextView, lines: list[tuple[int, int]], idx: int, clause: _Clause,
                   before_start: int, clause_lines: set[int]) -> tuple[int, int]:
        """The task a clause assigns: its paragraph (from ``before_start``, the end of any
        earlier clause on the line), its item, or the section it closes."""
        s, e = lines[idx]
        if _compact(text.text[before_start:clause.start]).strip("。；，"):
            if before_start == s:
                item = idx if marker_level(text.text[s:e]) is not None else self._item_line(text, lines, idx, clause_lines)
                if item is not None:
                    # where the file was hard-wrapped, whether the clause stood on its own line is lost:
                    # structure decides; otherwise the layout says it closes this paragraph's item
                    section = self._shared_section(text, lines, item, clause_lines) if text.wrap_width else None
                    before_start = section if section is not None else lines[item][0]
            return before_start, clause.start
        return self._section_span(text, lines, idx, clause_lines)

    def _shared_section(self, text: TextView, lines: list[tuple[int, int]], item: int,
                        clause_lines: set[int]) -> int | None:
        """Start of the section when the clause closing this item closes its clause-less siblings too.

        `(四)… 1.… 2.… 3.…（省教育厅牵头）`: items 1-3 have no clause of their own, so the
        clause covers the whole (四) section, heading included, whatever the line layout.
        """
        level = marker_level(text.text[lines[item][0]:lines[item][1]])
        if level is None:
            return None
        siblings = 0
        for k in range(item - 1, max(-1, item - 60), -1):
            if k in clause_lines:
                return None
            s, e = lines[k]
            line = text.text[s:e]
            if "\t" in line or "<p>" in line:
                return None
            lv = marker_level(line)
            if lv is None:
                continue
            if lv == level:
                siblings += 1
            elif lv < level:
                return s if siblings else None
        return None

    def _item_line(self, text: TextView, lines: list[tuple[int, int]], idx: int,
                   clause_lines: set[int]) -> int | None:
        """An unnumbered paragraph closed by a clause belongs to the numbered item it continues."""
        for k in range(idx - 1, max(-1, idx - 8), -1):
            if k in clause_lines:
                break
            s, e = lines[k]
            line = text.text[s:e]
            if "\t" in line or "<p>" in line:
                break
            if marker_level(line) is not None:
                return k
        return None

    def _section_span(self, text: TextView, lines: list[tuple[int, int]], idx: int,
                      clause_lines: set[int]) -> tuple[int, int]:
        """A clause on its own: the section it closes, from its heading to the clause."""
        start = lines[idx][0]
        coarsest: int | None = None
        for k in range(idx - 1, max(-1, idx - 80), -1):
            if k in clause_lines:
                break
            s, e = lines[k]
            line = text.text[s:e]
            if not line.strip():
                continue
            if "\t" in line or "<p>" in line:
                break
            level = marker_level(line)
            start = s
            if level is None:
                continue
            if coarsest is None:
                coarsest = level
                if _is_heading(line):
                    break
                continue
            if level < coarsest:
                break
        return start, lines[idx][0]

    def _table_row(self, text: TextView, doc: DocumentInfo, s: int, e: int,
                   header: dict[int, str], first_listed: bool) -> list[DutyFact]:
        cells = _cells(text.text, s, e)
        if len(cells) < 2:
            return []
        task_col = next((i for i, role in header.items() if role == "task"), None)
        if task_col is None or task_col >= len(cells):
            return []
        task = _compact(_strip_tags(text.text[cells[task_col][0]:cells[task_col][1]]))
        assignments = []
        for col, role in header.items():
            if role == "task" or col >= len(cells):
                continue
            cs, ce = cells[col]
            body = roles().first_listed.sub(lambda m: " " * len(m.group(0)), _blank_tags(text.text[cs:ce]))
            units = _units(body, cs)
            if units:
                assignments.append(_Assignment(units, role))
        return _facts(text, doc, s, e, task, assignments, first_listed, "table")


def _facts(text: TextView, doc: DocumentInfo, start: int, end: int, task: str,
           assignments: list[_Assignment], first_listed: bool, form: str) -> list[DutyFact]:
    if first_listed and assignments and not any(a.role == "lead" for a in assignments):
        first = next((a for a in assignments if a.role == "responsible"), None)
        if first is not None:
            head, rest = first.units[0], first.units[1:]
            index = assignments.index(first)
            assignments = assignments[:index] + [_Assignment([head], "lead")] + \
                ([_Assignment(rest, "responsible")] if rest else []) + assignments[index + 1:]
    src = text.source(start, end)
    evidence = text.printed[start:end]
    seen: set[tuple[str, str]] = set()
    out = []
    for a in assignments:
        for u in a.units:
            key = (u.name, a.role)
            if key in seen:
                continue
            seen.add(key)
            out.append(DutyFact(doc=doc.doc, source=src, evidence=evidence, task=task, unit=u.name,
                                role=a.role, generic=u.generic, form=form))
    return out


def _table_header(line: str) -> dict[int, str] | None:
    cells = [_compact(_strip_tags(c)) for c in line.split("\t")]
    columns = roles().columns
    header = {}
    for i, c in enumerate(cells):
        role = columns.get(c)
        if role:
            header[i] = role
    if any(r != "task" for r in header.values()) and "task" in header.values():
        return header
    return None


def _cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, pos = [], s
    for piece in text[s:e].split("\t"):
        out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


_TAG = re.compile(r"</?p>")


def _strip_tags(s: str) -> str:
    return _TAG.sub("", s)


def _blank_tags(s: str) -> str:
    """Tags replaced by spaces so offsets stay aligned."""
    return _TAG.sub(lambda m: " " * len(m.group(0)), s)


def _compact(s: str) -> str:
    return _SPACE.sub("", s)
