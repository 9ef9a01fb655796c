"""Bulletins of any size, written with the facts put in them: the benchmarks check extracted == generated.

    .venv/bin/python bench/synth_corpus.py OUT_DIR --mb 10 [--seed 1]

A file is one jurisdiction's bulletin for a year (a province and its prefectures, several
provinces), many documents a file: work plans whose tasks name their units in every clause form
(``（A牵头，B、C配合）``, ``〔A负责〕``, labels in the bracket and on lines of their own,
``分别负责``, tables as TSV, as ``<p>`` cells a line and in HTML), notices setting up a
领导小组 with its roster and office, leaders' divisions of work, and appointment notices.  Each
file is laid out as bulletins are found: as written, hard-wrapped the PDF way (names cut across
lines, blank lines between, running page headers), or as an HTML page.

Beside the texts, ``facts.jsonl`` holds what each document says, one record a fact, keyed as
``fact_key`` keys an extracted fact; ``compare`` sets the two side by side.  The words are the
same as ``bench_app.synth_facts`` uses (one vocabulary for both).
"""
from __future__ import annotations

import argparse
import html
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from bench_app import DEPARTMENTS, GIVEN, PREFECTURES, SURNAMES, TOPICS  # noqa: E402

# (jurisdiction, the prefix its own units print with, its document number stem, issuer)
PROVINCES = [("云南省", "云"), ("湖北省", "鄂"), ("四川省", "川"), ("广东省", "粤")]
PREFECTURE_STEM = {"昆明市": "昆", "曲靖市": "曲", "玉溪市": "玉", "保山市": "保", "昭通市": "昭", "丽江市": "丽",
                   "普洱市": "普", "临沧市": "临", "楚雄州": "楚", "红河州": "红", "文山州": "文", "西双版纳州": "西",
                   "大理州": "大", "德宏州": "德", "怒江州": "怒", "迪庆州": "迪"}
LAYOUTS = ("plain", "wrapped", "html")
# 任 is left out: a name cut by the layout before 任X为… reads as the verb (任志霞为 -> 志霞), which no reader
# can tell apart either
_SURNAMES = SURNAMES.replace("任", "")


@dataclass(frozen=True)
class Jurisdiction:
    name: str           # 云南省, 昆明市
    level: str          # province | prefecture
    stem: str           # 云, 昆: the document number's first character

    @property
    def prefix(self) -> str:
        """What its own units print before a department's name (省公安厅, 市公安局, 州公安局)."""
        return "省" if self.level == "province" else self.name[-1]

    @property
    def units(self) -> list[str]:
        out = []
        for prov, pref, _kind in DEPARTMENTS:
            name = prov if self.level == "province" else pref
            if name.startswith("团"):
                out.append(name if self.level == "province" else "团" + self.prefix + "委")
            else:
                out.append(self.prefix + name)
        return out

    @property
    def government(self) -> str:
        return f"{self.name}人民政府"

    @property
    def office(self) -> str:
        return self.government + ("办公厅" if self.level == "province" else "办公室")

    @property
    def governor(self) -> str:
        return {"province": "省长"}.get(self.level, self.prefix + "长")


JURISDICTIONS = [Jurisdiction(n, "province", s) for n, s in PROVINCES] + \
                [Jurisdiction(n, "prefecture", s) for n, s in PREFECTURE_STEM.items()]
assert set(PREFECTURE_STEM) == set(PREFECTURES)


def fact_key(rec: dict) -> tuple:
    """What must match between a generated and an extracted fact (a record of SCHEMA.md)."""
    kind = rec["kind"]
    fields = {"document": ("issuer", "date"), "duty": ("unit", "role"),
              "member": ("group", "role", "person", "position"), "group_unit": ("group", "relation", "unit"),
              "portfolio": ("person", "relation", "object"), "appointment": ("person", "action", "position")}[kind]
    return (kind, rec["doc"], *(rec.get(f) for f in fields))


@dataclass
class Document:
    """One document's text, as written before a layout, and the fact records it holds."""

    lines: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)


class Writer:
    """Documents of every kind for one jurisdiction and year."""

    def __init__(self, rnd: random.Random, jur: Jurisdiction, year: int, layout: str = "plain"):
        self.rnd, self.jur, self.year, self.layout = rnd, jur, year, layout
        self.serial = 0
        self.used_people: set[str] = set()

    # ------------------------------------------------------------------ pieces

    def person(self) -> str:
        while True:
            name = self.rnd.choice(_SURNAMES) + "".join(self.rnd.choices(GIVEN, k=self.rnd.choice((1, 2, 2))))
            if name not in self.used_people:
                self.used_people.add(name)
                return name

    def units(self, k: int) -> list[str]:
        return self.rnd.sample(self.jur.units, k)

    def number(self, kind: str = "办发") -> str:
        self.serial += 1
        return f"{self.jur.stem}政{kind}〔{self.year}〕{self.serial}号"

    def date(self) -> str:
        return f"{self.year}-{self.rnd.randint(1, 12):02d}-{self.rnd.randint(1, 28):02d}"

    @staticmethod
    def printed_date(iso: str) -> str:
        y, m, d = iso.split("-")
        return f"{y}年{int(m)}月{int(d)}日"

    def head(self, doc: Document, title: str, number: str, issuer: str, date: str, addressees: bool = True) -> None:
        doc.lines += [title, number]
        if addressees:
            doc.lines.append("各州、市人民政府，省直各委、办、厅、局：" if self.jur.level == "province"
                             else f"各县、市、区人民政府，{self.jur.prefix}直各部门：")
        doc.facts.append({"kind": "document", "doc": number, "issuer": issuer, "date": date})

    def sign(self, doc: Document, issuer: str, date: str) -> None:
        doc.lines += [issuer, self.printed_date(date)]

    @staticmethod
    def assign(doc: Document, number: str, lead: Iterable[str] = (), responsible: Iterable[str] = (),
               support: Iterable[str] = ()) -> None:
        """The duty facts a clause gives, in print order within each role."""
        for role, units in (("lead", lead), ("responsible", responsible), ("support", support)):
            doc.facts += [{"kind": "duty", "doc": number, "unit": u, "role": role} for u in units]

    # ------------------------------------------------------------------ documents

    def work_plan(self) -> Document:
        """A notice issuing a work plan: tasks with their units in the clause forms of real plans."""
        doc, rnd = Document(), self.rnd
        topic, tasks = rnd.choice(TOPICS)
        number, date, issuer = self.number(), self.date(), self.jur.office
        self.head(doc, f"{issuer}关于印发{self.jur.name}{topic}工作方案的通知", number, issuer, date)
        doc.lines.append(f"《{self.jur.name}{topic}工作方案》已经{self.jur.prefix}人民政府同意，"
                         "现印发给你们，请认真贯彻执行。")
        self.sign(doc, issuer, date)
        doc.lines.append(f"{self.jur.name}{topic}工作方案")
        for section in range(rnd.randint(2, 4)):
            doc.lines.append(f"{'一二三四五'[section]}、重点任务")
            form = rnd.choice(self.CLAUSE_FORMS)
            form(self, doc, number, tasks, rnd.randint(3, 8))
        return doc

    def _task(self, tasks: list[str], i: int) -> str:
        return f"{self.rnd.choice(tasks)}。{self.rnd.choice(tasks)}，确保各项措施落实到位。"

    def _clause_roles(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        for i in range(n):
            lead, *rest = self.units(self.rnd.randint(1, 4))
            cut = self.rnd.randint(0, len(rest))
            resp, supp = rest[:cut], rest[cut:]
            parts = [f"{lead}牵头"] + ([f"{'、'.join(resp)}负责"] if resp else []) + \
                    ([f"{'、'.join(supp)}配合"] if supp else [])
            doc.lines.append(f"（{_numeral(i + 1)}）{self._task(tasks, i)}（{'，'.join(parts)}）")
            self.assign(doc, number, [lead], resp, supp)

    def _clause_brackets(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        for i in range(n):
            units = self.units(self.rnd.randint(1, 3))
            o, c = self.rnd.choice(("〔〕", "【】", "()"))
            doc.lines.append(f"{i + 1}.{self._task(tasks, i)}{o}{'、'.join(units)}负责{c}")
            self.assign(doc, number, responsible=units)

    def _clause_labels(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        for i in range(n):
            lead, *resp = self.units(self.rnd.randint(2, 4))
            sep = self.rnd.choice(("；", "，", " "))
            doc.lines.append(f"（{_numeral(i + 1)}）{self._task(tasks, i)}（牵头单位：{lead}{sep}责任单位：{'、'.join(resp)}）")
            self.assign(doc, number, [lead], resp)

    def _label_lines(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        for i in range(n):
            resp = self.units(self.rnd.randint(1, 3))
            supp = self.units(self.rnd.randint(0, 2))
            supp = [u for u in supp if u not in resp]
            doc.lines += [f"（{_numeral(i + 1)}）{self._task(tasks, i)}", f"责任单位：{'、'.join(resp)}"]
            self.assign(doc, number, responsible=resp)
            if supp:
                doc.lines.append(f"配合单位：{'、'.join(supp)}")
                self.assign(doc, number, support=supp)

    def _each_leads(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        for i in range(n):
            lead = self.units(self.rnd.randint(2, 3))
            supp = [u for u in self.units(2) if u not in lead][:1]
            doc.lines.append(f"（{_numeral(i + 1)}）{self._task(tasks, i)}（{'、'.join(lead)}分别牵头"
                             + (f"，{supp[0]}配合）" if supp else "）"))
            self.assign(doc, number, lead, support=supp)

    def _table(self, doc: Document, number: str, tasks: list[str], n: int) -> None:
        # an HTML table only on a web page (markup in a text file makes the reader take it for one),
        # tab-separated rows only in text
        style = self.rnd.choice(("cells", "html") if self.layout == "html" else ("tsv", "cells"))
        rows = []
        for i in range(n):
            lead, *supp = self.units(self.rnd.randint(2, 3))     # no empty cell: <p></p> shifts the columns
            rows.append((str(i + 1), self.rnd.choice(tasks) + f"第{i + 1}批", lead, "、".join(supp)))
            self.assign(doc, number, [lead], support=supp)
        header = ("序号", "重点任务", "牵头单位", "配合单位")
        if style == "tsv":
            doc.lines += ["\t".join(header)] + ["\t".join(r) for r in rows]
        elif style == "cells":
            doc.lines += [f"<p>{cell}</p>" for r in (header, *rows) for cell in r]
        else:
            cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in (header, *rows))
            doc.lines.append(f"<table>{cells}</table>")

    CLAUSE_FORMS = [_clause_roles, _clause_brackets, _clause_labels, _label_lines, _each_leads, _table]

    def group_notice(self) -> Document:
        """A notice setting up a 领导小组: its roster, its member units, its office."""
        doc, rnd = Document(), self.rnd
        topic, _ = rnd.choice(TOPICS)
        group = f"{self.jur.name}{topic}工作领导小组"
        number, date, issuer = self.number(), self.date(), self.jur.office
        self.head(doc, f"{issuer}关于成立{group}的通知", number, issuer, date)
        doc.lines.append(f"为加强{topic}工作的组织领导，决定成立{group}（以下简称领导小组）。现将组成人员通知如下：")
        deputy_title = "副" + self.jur.governor
        seats = [("组　长", "组长", "head", self.jur.governor)] + \
                [("副组长", "副组长", "deputy", deputy_title)] * rnd.randint(1, 2)
        for label, role_text, role, position in seats:
            person = self.person()
            doc.lines.append(f"{label}：{_spaced(person)}　{position}")
            doc.facts.append({"kind": "member", "doc": number, "group": group, "role": role, "person": person,
                              "position": position})
        members = self.units(rnd.randint(4, 10))
        for k, unit in enumerate(members):
            person = self.person()
            position = unit + rnd.choice(("主任", "局长", "副局长")) if not unit.endswith("厅") else unit + "副厅长"
            doc.lines.append(("成　员：" if k == 0 else "　　　　") + f"{_spaced(person)}　{position}")
            doc.facts.append({"kind": "member", "doc": number, "group": group, "role": "member", "person": person,
                              "position": position})
        host = members[0]
        doc.lines.append(f"领导小组办公室设在{host}，办公室主任由{host}主要负责同志兼任。")
        doc.facts += [{"kind": "group_unit", "doc": number, "group": group, "relation": "office_host", "unit": host},
                      {"kind": "member", "doc": number, "group": group, "role": "office_head", "person": None,
                       "position": host + "主要负责同志"}]
        self.sign(doc, issuer, date)
        return doc

    def division_of_work(self) -> Document:
        """The government leaders' division of work (领导工作分工)."""
        doc, rnd = Document(), self.rnd
        gov = self.jur.government
        short = gov[len(self.jur.name):]
        number, date = self.number("发"), self.date()
        self.head(doc, f"{gov}关于{self.jur.prefix}{short}领导工作分工的通知", number, gov, date)
        deputy = "副" + self.jur.governor
        for _ in range(rnd.randint(3, 6)):
            person = self.person()
            topic_words = [t for t, _ in rnd.sample(TOPICS, 2)]
            supervised = self.units(rnd.randint(2, 4))
            liaised = self.units(1)[0]
            doc.lines += [f"{deputy}　{_spaced(person)}　负责{'、'.join(topic_words)}工作。",
                          f"分管{'、'.join(supervised)}。", f"联系{liaised}。"]
            doc.facts += [{"kind": "portfolio", "doc": number, "person": person, "relation": rel, "object": obj}
                          for rel, objs in (("in_charge", topic_words), ("supervises", supervised),
                                            ("liaises", [liaised])) for obj in objs]
        self.sign(doc, gov, date)
        return doc

    def appointments(self) -> Document:
        """An appointment notice: a header and a person a line, or a verb on each line."""
        doc, rnd = Document(), self.rnd
        gov = self.jur.government
        number, date = self.number("任"), self.date()
        self.head(doc, f"{gov}关于{self.person()}等同志职务任免的通知", number, gov, date)
        self.used_people.discard(doc.lines[0][len(gov) + 2:].split("等")[0])
        units = self.units(rnd.randint(2, 6))
        if rnd.random() < 0.5:
            doc.lines.append("任命：")
            for unit in units:
                person, post = self.person(), unit + rnd.choice(("副主任", "副局长", "副厅长"))
                doc.lines.append(f"{person}为{post}")
                doc.facts.append({"kind": "appointment", "doc": number, "person": person, "action": "appoint",
                                  "position": post})
            doc.lines.append("免去：")
            # a glued name and post (郭宝某某学院院长职务) never runs into 团X委: 于芳文团市委 cannot be cut
            for unit in [u for u in self.units(rnd.randint(1, 3)) if not u.startswith("团")] or [self.jur.units[0]]:
                person, post = self.person(), unit + rnd.choice(("副主任", "副局长", "副厅长"))
                doc.lines.append(f"{_spaced(person)}{post}职务")
                doc.facts.append({"kind": "appointment", "doc": number, "person": person, "action": "remove",
                                  "position": post})
        else:
            doc.lines.append(f"经{short_of(gov, self.jur)}研究决定：")
            for a, b in zip(units, units[1:]):
                person = self.person()
                new, old = a + rnd.choice(("主任", "局长")), b + rnd.choice(("副主任", "副局长"))
                doc.lines.append(f"{_spaced(person)}　任{new}，免去其{old}职务；")
                doc.facts += [{"kind": "appointment", "doc": number, "person": person, "action": "appoint",
                               "position": new},
                              {"kind": "appointment", "doc": number, "person": person, "action": "remove",
                               "position": old}]
        self.sign(doc, gov, date)
        return doc

    KINDS = [(work_plan, 6), (group_notice, 2), (division_of_work, 1), (appointments, 2)]

    def document(self) -> Document:
        makers, weights = zip(*self.KINDS)
        return self.rnd.choices(makers, weights=weights)[0](self)


def short_of(gov: str, jur: Jurisdiction) -> str:
    return jur.prefix + gov[len(jur.name):]


def _numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _spaced(name: str) -> str:
    """Two-character names are printed with a full-width space inside, as rosters align them."""
    return name[0] + "　" + name[1] if len(name) == 2 else name


# ---------------------------------------------------------------------- layouts

def lay_out(lines: list[str], layout: str, rnd: random.Random, header: str) -> str:
    """A bulletin's text in one of the layouts real ones come in."""
    if layout == "plain":
        return "\n".join(lines) + "\n"
    if layout == "html":
        body = "\n".join(line if line.startswith("<") else f"<p>{html.escape(line)}</p>" for line in lines)
        return f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{header}</title></head>\n" \
               f"<body>\n{body}\n</body></html>\n"
    out: list[str] = []             # wrapped: the PDF way, as ../shared/tools/rewrap.py does
    for line in lines:
        if len(line) <= 22 or "\t" in line or "<" in line:
            out.append(line)
            continue
        i = 0
        while i < len(line):
            w = 20 + rnd.randint(-2, 2)
            out.append(line[i:i + w])
            i += w
    paged, page = [], 1
    for n, line in enumerate(out, 1):
        paged += [line, ""]
        if n % 40 == 0:
            page += 1
            paged += [f"{header}  — {page} —", ""]
    return "\n".join(paged)


# ---------------------------------------------------------------------- corpus

@dataclass
class Manifest:
    files: list[Path]
    facts: Path
    chars: int
    bytes: int


def bulletins(rnd: random.Random, target_bytes: int, file_bytes: int) -> Iterator[tuple[str, str, list[dict]]]:
    """(file name, text, facts) until ``target_bytes`` of text are written."""
    written, n = 0, 0
    while written < target_bytes:
        jur = rnd.choice(JURISDICTIONS)
        year = rnd.randint(2015, 2025)
        n += 1
        layout = LAYOUTS[n % len(LAYOUTS)]
        writer = Writer(rnd, jur, year, layout)
        lines, facts = [], []
        size = 0
        want = min(file_bytes, target_bytes - written)
        while size < want:
            doc = writer.document()
            lines += doc.lines
            facts += doc.facts
            size += sum(len(x.encode()) + 1 for x in doc.lines)
        text = lay_out(lines, layout, rnd, f"{jur.government}公报")
        suffix = ".html" if layout == "html" else ".txt"
        name = f"{n:05d}_{jur.name}_{year}_{layout}{suffix}"
        written += len(text.encode())
        yield name, text, facts


def write_corpus(out: Path, target_bytes: int, seed: int = 1, file_bytes: int = 400_000) -> Manifest:
    """Bulletins of about ``target_bytes`` in all into ``out``, and ``out/facts.jsonl``: what they say."""
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    files, chars, size = [], 0, 0
    facts_path = out / "facts.jsonl"
    with open(facts_path, "w", encoding="utf-8") as fh:
        for name, text, facts in bulletins(rnd, target_bytes, file_bytes):
            path = out / name
            path.write_text(text, encoding="utf-8")
            files.append(path)
            chars += len(text)
            size += len(text.encode())
            for rec in facts:
                fh.write(json.dumps({**rec, "file": name}, ensure_ascii=False) + "\n")
    return Manifest(files, facts_path, chars, size)


def generated(facts_path: Path) -> Counter:
    with open(facts_path, encoding="utf-8") as fh:
        return Counter((json.loads(line)["file"], *fact_key(json.loads(line))) for line in fh)


@dataclass
class Comparison:
    expected: int
    found: int
    missed: Counter
    extra: Counter

    @property
    def exact(self) -> bool:
        return not self.missed and not self.extra

    def recall(self) -> float:
        return 1 - sum(self.missed.values()) / max(1, self.expected)

    def precision(self) -> float:
        return 1 - sum(self.extra.values()) / max(1, self.found)


def compare(expected: Counter, records: Iterable[dict]) -> Comparison:
    """Generated against extracted fact keys, by file (records carry ``source.file``)."""
    got = Counter((Path(r["source"]["file"]).name, *fact_key(r)) for r in records)
    return Comparison(sum(expected.values()), sum(got.values()), expected - got, got - expected)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    m = write_corpus(a.out, int(a.mb * 1e6), a.seed)
    print(f"{len(m.files)} files, {m.bytes / 1e6:.1f} MB, {m.chars:,} characters; facts in {m.facts}")


if __name__ == "__main__":
    main()
