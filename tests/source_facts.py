"""Notices of our own as source files, with the facts an extractor gives for them.

For the store tests that replace, repeat and remove whole files: each notice is a
title, a number, and numbered tasks each closing with its clause
(``（省公安厅牵头，省民政厅、省妇联配合）``); the facts carry exact offsets into the
text, and every unit resolves to ``inst:云南省:<unit>``.  Extraction itself is
tested elsewhere; here what matters is which file said what.
"""
from __future__ import annotations

import hashlib
import re

from zhize.extract.entities import Institution, Resolution
from zhize.extract.types import DocumentFact, DutyFact, Fact, Source
from zhize.graph.build import SourceFile, build_sources
from zhize.graph.model import GraphBatch

ISSUER = "云南省人民政府办公厅"
ROLE_WORDS = {"牵头": "lead", "负责": "responsible", "配合": "support"}
_TASK = re.compile(r"^[一二三四五六七八九十]+、(?P<task>[^（\n]+)(?P<clause>（[^）]+）)$", re.M)


def notice(number: str, title: str, *tasks: str, date: str = "2024-03-01") -> str:
    """The text of a notice: ``tasks`` are lines like ``加强巡查。（省公安厅牵头，省民政厅配合）``."""
    numerals = "一二三四五六七八九十"
    body = "\n".join(f"{numerals[i]}、{t}" for i, t in enumerate(tasks))
    y, m, d = date.split("-")
    return f"{title}\n{number}\n各州、市人民政府：\n{body}\n{ISSUER}\n{y}年{int(m)}月{int(d)}日\n"


def facts_of(file: str, text: str) -> list[Fact]:
    lines = text.splitlines()
    title, number = lines[0], lines[1]
    out: list[Fact] = [DocumentFact(doc=number, source=Source(file, 0, len(title)), evidence=title, title=title,
                                    issuer=ISSUER, date=_date(text))]
    for m in _TASK.finditer(text):
        clause = m.group("clause")
        src = Source(file, m.start("clause"), m.end("clause"))
        for part in clause[1:-1].split("，"):
            role = ROLE_WORDS[part[-2:]]
            for unit in part[:-2].split("、"):
                out.append(DutyFact(doc=number, source=src, evidence=clause, task=m.group("task"), unit=unit,
                                    role=role, generic=False, form="clause", unit_id=f"inst:云南省:{unit}"))
    return out


def _date(text: str) -> str:
    y, m, d = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text).groups()
    return f"{y}-{int(m):02d}-{int(d):02d}"


def source(file: str, text: str, folder: str = "/data") -> SourceFile:
    data = text.encode("utf-8")
    return SourceFile(hashlib.sha256(data).hexdigest(), file, f"{folder}/{file}", len(data))


def resolution(*texts: str) -> Resolution:
    units = sorted({u for t in texts for m in _TASK.finditer(t)
                    for part in m.group("clause")[1:-1].split("，") for u in part[:-2].split("、")})
    return Resolution(institutions={
        f"inst:云南省:{u}": Institution(id=f"inst:云南省:{u}", name=f"云南{u}", kind="department",
                                     jurisdiction="云南省", level="province", aliases={u}, resolved_by="registry")
        for u in units})


def batch(*files: tuple[str, str], folder: str = "/data") -> GraphBatch:
    """One batch for the given (file name, text) sources, as ``zhize ingest`` builds it."""
    return build_sources([(source(name, text, folder), facts_of(name, text)) for name, text in files],
                         resolution(*(t for _, t in files)))


def sha(file: str, text: str) -> str:
    return source(file, text).sha256
