"""Who leads, who is responsible, who supports: duty clauses and duty tables.

Forms read (role words and labels in ``data/duty_roles.yaml``):

* a bracketed clause closing a paragraph, in any bracket pair (the text view reads
  them all as （）): ``（省公安厅、省民政厅负责，省妇联配合）``, ``（由州财政局牵头，州商务局等部门
  按职责分工负责）``, ``（牵头单位：州文化和旅游局；责任单位：州财政局，各县市人民政府）``,
  ``（A指导，B参与）`` (指导 is no role), ``（国务院各部门分别负责，年内持续推进）`` (a deadline is no unit);
* the same standing on its own line after numbered items, or labelled lines after an
  item (``牵头单位：…`` / ``责任单位：…`` / ``配合单位：…``, one block, one task); a line naming a
  person (``牵头领导：张某``) gives no duty;
* tables whose header names a 责任单位 / 牵头单位 / 配合单位 column, however the view
  rebuilt them (TSV, HTML, one cell or one character a line);
* a document rule making the first-listed unit the lead (``列首位的为牵头单位，下同``),
  in any wording, also when it is stated inside a clause.

A bracket that holds a role word but yields no unit is reported as ``Unparsed``.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from zhize.extract import lexicon as lx
from zhize.extract.base import Extraction
from zhize.extract.gazetteer import gazetteer
from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo, DutyFact
from zhize.extract.units import UnitSpan, bracket_pairs, is_name, looks_like_unit, split_units


@dataclass(frozen=True)
class _Roles:
    suffix: re.Pattern          # unit list followed by a role word
    suffix_role: dict[str, str]
    label: re.Pattern           # a label then a unit list
    label_role: dict[str, str]
    person_label: re.Pattern    # a label naming a person (牵头领导：)
    field_end: re.Pattern       # where another field of the task starts (完成时限：)
    first_listed: re.Pattern
    columns: dict[str, str]     # header word -> lead | responsible | support | task
    any_word: re.Pattern        # a line holding none of the role words and labels holds no clause


@lru_cache(maxsize=1)
def roles() -> _Roles:
    data = lx.load_data("duty_roles.yaml")
    suffix_role = {w: role for role, words in data["suffix"].items() for w in words}
    label_role = {w: role for role, words in data["label"].items() for w in words}
    columns = {w: role for role, words in data["table_columns"].items() for w in words}
    person = lx.alternation(data["person_labels"])
    return _Roles(
        # 负责人 / 负责同志 / 牵头领导 are people, not a role
        suffix=re.compile(f"(?:{lx.alternation(suffix_role)})(?!人|同志|领导)"),
        suffix_role=suffix_role,
        label=re.compile(f"(?:{lx.alternation(label_role)})\\s*[：:]"),
        label_role=label_role,
        person_label=re.compile(f"(?:{person})\\s*[：:]"),
        field_end=re.compile(f"[，,；;。\\s]\\s*(?:{lx.alternation(data['other_labels'])}|{person})\\s*[：:]"),
        first_listed=re.compile("（?[^（）。；，、]{0,6}(?:" + data["first_listed_lead"] + ")(?:[，；]?\\s*下同)?）?"),
        columns=columns,
        any_word=re.compile(lx.alternation(set(suffix_role) | set(label_role))),
    )


@dataclass
class _Assignment:
    units: list[UnitSpan]
    role: str


@dataclass
class _Clause:
    start: int                      # span of the clause in the view
    end: int
    assignments: list[_Assignment] = field(default_factory=list)
    labelled_line: bool = False     # a line of its own opening with a label (责任单位：…)


# ---------------------------------------------------------------- clause parsing

def parse_clause(body: str, offset: int = 0) -> list[_Assignment]:
    """Assignments in a clause body (the text inside the brackets), offsets shifted by ``offset``."""
    r = roles()
    out: list[_Assignment] = []
    for seg_start, seg in _segments(body):
        if r.person_label.match(seg.lstrip()):
            continue                                   # 牵头领导：张某 names a person
        if r.label.search(seg):
            out.extend(_parse_labelled(seg, offset + seg_start))
        else:
            out.extend(_parse_suffixed(seg, offset + seg_start))
    return out


def _segments(body: str) -> list[tuple[int, str]]:
    """The clause split at ；and 。 outside nested brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "；。":
            parts.append((start, body[start:i]))
            start = i + 1
    parts.append((start, body[start:]))
    return parts


def _parse_labelled(seg: str, offset: int) -> list[_Assignment]:
    r = roles()
    out = []
    marks = list(r.label.finditer(seg))
    for k, m in enumerate(marks):
        word = re.sub(r"\s*[：:]$", "", m.group(0))
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(seg)
        other = r.field_end.search(seg, m.end(), stop)        # 负责部门：A，适用范围：…
        if other:
            stop = other.start()
        units = _units(seg[m.end():stop].rstrip("，、 "), offset + m.end())
        if units:
            out.append(_Assignment(units, r.label_role[word]))
    return out


def _parse_suffixed(seg: str, offset: int) -> list[_Assignment]:
    r = roles()
    out: list[_Assignment] = []
    cursor = 0
    subject: Optional[list[UnitSpan]] = None
    for m in r.suffix.finditer(seg):
        text = seg[cursor:m.start()]
        units = _units_after_preamble(text, offset + cursor)
        role = r.suffix_role[m.group(0)]
        if units:
            subject = units
            out.append(_Assignment(units, role))
        elif subject is not None and "、" not in text:
            # 省交通运输厅负责运输企业，牵头负责落实…: the same subject takes a second role
            out.append(_Assignment(subject, role))
        cursor = m.end()
        if _has_object(seg, cursor):
            # X负责Y: what follows the role word up to the next comma is its object, not units
            comma = re.search(r"[，,]", seg[cursor:])
            cursor = cursor + comma.end() if comma else len(seg)
    return out


def _units_after_preamble(text: str, offset: int) -> list[UnitSpan]:
    """The unit list right before a role word, past what the clause said first.

    ``（商务部指导，供销合作总社参与）``, ``（2023年底前完成，省商务厅负责）``: only the last
    comma-separated pieces that are units hold the role."""
    lead = len(text) - len(text.lstrip("，、 "))
    starts = [lead] + [m.end() for m in re.finditer(r"[，,]", text)]
    for strict in (True, False):                # every item a unit name first, then the lenient list
        for at in starts:
            units = _units(text[at:], offset + at, strict=strict)
            if units:
                return units
    return []


def _has_object(seg: str, at: int) -> bool:
    rest = seg[at:at + 1]
    return bool(rest) and rest not in "，,；;。 "


_TRAILING_JUNK = re.compile(r"[，,。 ]+$")
_LONGEST_LIST = 1200          # characters: a longer run before a role word is a sentence, not a unit list


def _units(text: str, offset: int, strict: bool = False) -> list[UnitSpan]:
    """The unit list, or [] when this is not one (then the text is no assignment).

    A list is refused when an item is too long or holds a sentence mark, or when
    fewer than half the items end like a unit; one odd item (a name the suffix
    list lacks, 云南广播电视台) does not void the others."""
    text = _TRAILING_JUNK.sub("", text)
    if not text.strip() or len(text) > _LONGEST_LIST:
        return []
    units = split_units(text, offset)
    if not units or any(len(u.name) > 30 or re.search(r"[。：:]", u.name) or not is_name(u.name) for u in units):
        return []
    named = sum(looks_like_unit(u.name) for u in units)
    if named < len(units) if strict else named * 2 < len(units):
        return []
    return units


_NOTE = re.compile(r"^\s*(?:注|备注|说明)\s*[\d一二三四五六七八九十]*\s*[：:.、]?")


def _states_rule_alone(line: str) -> bool:
    m = roles().first_listed.search(line)
    if not m:
        return False
    rest = (line[:m.start()] + line[m.end():]).strip(" 。；，（）")
    return bool(_NOTE.match(line)) or len(rest) <= 6


def _is_heading(line: str) -> bool:
    """A short numbered line that names a section rather than saying something."""
    body = line.strip()
    return len(body) <= 40 and "。" not in body[:-1]


# ---------------------------------------------------------------- the extractor


class DutyExtractor:
    name = "duties"

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction:
        r = roles()
        result = Extraction()
        lines = list(text.lines(doc.start, doc.end))
        # a rule stated on its own (注：排在第一位的为牵头单位, under the table it explains) holds for
        # the whole document; one stated inside a clause (…，下同) from there on
        first_listed = any(_states_rule_alone(text.text[s:e]) for s, e in lines)
        table: Optional[dict[int, str]] = None
        clause_lines: set[int] = set()      # lines that end with or are a duty clause
        block_task: Optional[str] = None    # the task of the labelled lines being read (责任单位：… 配合单位：…)
        section: Optional[str] = None       # the heading the lines stand under
        for idx, (s, e) in enumerate(lines):
            line = text.text[s:e]
            if not line.strip():
                continue
            if lx.marker_level(line) is not None and _is_heading(line) and not r.any_word.search(line):
                section = lx.compact(line)
            if r.first_listed.search(line):
                first_listed = True
            if "\t" in line:
                header = _table_header(line)
                if header is not None:
                    table = header
                    continue
                if table is not None:
                    facts = self._table_row(text, doc, s, e, table, first_listed)
                    for fact in facts:
                        result.add(_under(fact, section), s, e)
                    if not facts and len(_cells(text.text, s, e)) >= 2:
                        result.unparsed.append(text.unparsed(s, e, "table row under a duty header without units"))
                    continue
            else:
                table = None
            if r.person_label.match(line.lstrip()) and block_task is not None:
                clause_lines.add(idx)
                continue                    # 牵头领导：张某 inside a block of labelled lines
            after = s
            clauses = self._clauses(text, s, e) if r.any_word.search(line) else []
            if not clauses or not clauses[0].labelled_line:
                block_task = None
            for clause in clauses:
                if not clause.assignments:
                    result.unparsed.append(text.unparsed(clause.start, clause.end, "role word but no unit list"))
                    continue
                clause_lines.add(idx)
                if clause.labelled_line and block_task is not None:
                    task = block_task
                else:
                    span = self._task_span(text, lines, idx, clause, after, clause_lines)
                    task = lx.compact(text.text[span[0]:span[1]])
                    if clause.labelled_line:
                        block_task = task
                after = clause.end
                form = "label" if r.label.search(text.text[clause.start:clause.end]) else "clause"
                for fact in _facts(text, doc, clause.start, clause.end, task, clause.assignments, first_listed, form):
                    result.add(_under(fact, section), clause.start, clause.end)
        return result

    # -- clauses inside one logical line
    def _clauses(self, text: TextView, s: int, e: int) -> list[_Clause]:
        line = text.text[s:e]
        out: list[_Clause] = []
        r = roles()
        pairs = bracket_pairs(line)
        i = line.find("（")
        while i != -1:
            close = pairs.get(i, len(line))     # an unclosed clause runs to the end of its paragraph
            body = line[i + 1:close]
            # a bracket that only states the first-listed rule is a rule, not a clause
            clean = r.first_listed.sub(lambda m: " " * len(m.group(0)), body)
            if r.suffix.search(clean) or r.label.search(clean):
                out.append(_Clause(s + i, s + min(close + 1, len(line)), parse_clause(clean, s + i + 1)))
            i = line.find("（", close + 1)
        if not out:
            # a labelled line (主办单位：…), or a label closing the paragraph after a full stop
            lead = len(line) - len(line.lstrip())
            if r.label.match(line, lead):
                out.append(_Clause(s + lead, e, parse_clause(line[lead:], s + lead), labelled_line=True))
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
        if lx.compact(text.text[before_start:clause.start]).strip("。；，"):
            if before_start == s:
                item = idx if lx.marker_level(text.text[s:e]) is not None else self._item_line(text, lines, idx, clause_lines)
                if item is not None:
                    # where the file was hard-wrapped, whether the clause stood on its own line is lost:
                    # structure decides; otherwise the layout says it closes this paragraph's item
                    section = self._shared_section(text, lines, item, clause_lines) if text.wrap_width else None
                    before_start = section if section is not None else lines[item][0]
            return before_start, clause.start
        return self._section_span(text, lines, idx, clause_lines)

    def _shared_section(self, text: TextView, lines: list[tuple[int, int]], item: int,
                        clause_lines: set[int]) -> Optional[int]:
        """Start of the section when the clause closing this item closes its clause-less siblings too.

        `(四)… 1.… 2.… 3.…（省教育厅牵头）`: items 1-3 have no clause of their own, so the
        clause covers the whole (四) section, heading included, whatever the line layout.
        """
        level = lx.marker_level(text.text[lines[item][0]:lines[item][1]])
        if level is None:
            return None
        siblings = 0
        for k in range(item - 1, max(-1, item - 60), -1):
            if k in clause_lines:
                return None
            s, e = lines[k]
            line = text.text[s:e]
            if "\t" in line:
                return None
            lv = lx.marker_level(line)
            if lv is None:
                continue
            if lv == level:
                siblings += 1
            elif lv < level:
                return s if siblings else None
        return None

    def _item_line(self, text: TextView, lines: list[tuple[int, int]], idx: int,
                   clause_lines: set[int]) -> Optional[int]:
        """An unnumbered paragraph closed by a clause belongs to the numbered item it continues."""
        for k in range(idx - 1, max(-1, idx - 8), -1):
            if k in clause_lines:
                break
            s, e = lines[k]
            line = text.text[s:e]
            if "\t" in line:
                break
            if lx.marker_level(line) is not None:
                return k
        return None

    def _section_span(self, text: TextView, lines: list[tuple[int, int]], idx: int,
                      clause_lines: set[int]) -> tuple[int, int]:
        """A clause on its own: the section it closes, from its heading to the clause."""
        start = lines[idx][0]
        coarsest: Optional[int] = None
        for k in range(idx - 1, max(-1, idx - 80), -1):
            if k in clause_lines:
                break
            s, e = lines[k]
            line = text.text[s:e]
            if not line.strip():
                continue
            if "\t" in line:
                break
            level = lx.marker_level(line)
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
        task = lx.compact(text.text[cells[task_col][0]:cells[task_col][1]])
        assignments = []
        for col, role in header.items():
            if role == "task" or col >= len(cells):
                continue
            cs, ce = cells[col]
            body = roles().first_listed.sub(lambda m: " " * len(m.group(0)), text.text[cs:ce])
            units = _units(body, cs)
            if units:
                assignments.append(_Assignment(units, role))
        return _facts(text, doc, s, e, task, assignments, first_listed, "table")


@lru_cache(maxsize=256)
def _home(issuer: Optional[str]) -> str:
    """The short name of the issuer's own place (天河 for 广州市天河区人民政府办公室)."""
    d = gazetteer().most_local_in(issuer)
    return d.short if d is not None and d.level == "county" else ""


def _own_place(unit: UnitSpan, view: str, home: str) -> UnitSpan:
    """区天河公安分局 in a 天河区 notice was printed 天河公安分局: it names its place, the list's 区 is not its."""
    printed = re.sub(r"\s+", "", view[unit.start:unit.end])
    if home and unit.name != printed and printed.startswith(home) and unit.name.endswith(printed):
        return dataclasses.replace(unit, name=printed)
    return unit


def _under(fact: DutyFact, section: Optional[str]) -> DutyFact:
    return dataclasses.replace(fact, section=section) if section else fact


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
    home = _home(doc.issuer)
    for a in assignments:
        for u in a.units:
            u = _own_place(u, text.text, home)
            key = (u.name, a.role)
            if key in seen:
                continue
            seen.add(key)
            out.append(DutyFact(doc=doc.doc, source=src, evidence=evidence, task=task, unit=u.name,
                                role=a.role, generic=u.generic, form=form))
    return out


def _table_header(line: str) -> Optional[dict[int, str]]:
    cells = [lx.compact(c) for c in line.split("\t")]
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
