"""The invented bulletin printed as a PDF and saved as a Word file gives the facts its text gives.

samples/sample_bulletin.txt is typeset here (A4, WenQuanYi, wrapped to the
page, page numbers at the foot, tables in columns) and written as a .docx
(one paragraph a line, tables as Word tables); ``zhize extract`` reads the
three and every (kind, doc, task, unit, role, person, post) is the same.
The evidence of a PDF or Word fact is found at its offsets in the text
written beside the facts, and a PDF fact names its page.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from layouts import SAMPLE, docx_from_text, pdf_from_text, require_font
from zhize.cli import app


def clean(value):
    return None if value is None else re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def key(r: dict) -> tuple:
    return (r["kind"], clean(r["doc"]), clean(r.get("task")), clean(r.get("unit")), r.get("role"),
            clean(r.get("person")), clean(r.get("position")), clean(r.get("group")), clean(r.get("object")),
            r.get("relation"), r.get("action"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_font()
    tmp = tmp_path_factory.mktemp("layouts")
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp / "bulletin.pdf").write_bytes(pdf_from_text(text))
    (tmp / "bulletin.docx").write_bytes(docx_from_text(text))
    out = tmp / "out" / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), str(tmp / "bulletin.pdf"), str(tmp / "bulletin.docx"),
                                      "--jsonl", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_file: dict[str, list[dict]] = {}
    for r in records:
        by_file.setdefault(r["source"]["file"], []).append(r)
    return by_file, out.parent / "facts.texts", result.output


@pytest.mark.parametrize("laid_out", ["bulletin.pdf", "bulletin.docx"])
def test_the_bulletin_as_pdf_and_as_word_gives_the_facts_of_its_text(run, laid_out):
    by_file, _, _ = run
    text = Counter(key(r) for r in by_file[SAMPLE.name])
    other = Counter(key(r) for r in by_file[laid_out])
    assert sum(text.values()) > 60
    assert other == text, {"only in the text": list((text - other).elements())[:5],
                           f"only in {laid_out}": list((other - text).elements())[:5]}


@pytest.mark.parametrize("laid_out", ["bulletin.pdf", "bulletin.docx"])
def test_every_offset_points_at_its_evidence_in_the_text_written_beside_the_facts(run, laid_out):
    by_file, texts, output = run
    extracted = (texts / f"{laid_out}.txt").read_text(encoding="utf-8")
    for r in by_file[laid_out]:           # evidence is the text view of the span: its markup (<p>) removed
        s = r["source"]
        assert clean(re.sub(r"</?p>", "", extracted[s["start"]:s["end"]])) == clean(r["evidence"]), r
    assert "text of 2 PDF/Word file(s)" in output


def test_a_pdf_fact_names_the_page_it_is_printed_on_and_a_text_fact_none(run):
    by_file, texts, _ = run
    extracted = (texts / "bulletin.pdf.txt").read_text(encoding="utf-8")
    pages = [r["source"]["page"] for r in by_file["bulletin.pdf"]]
    assert pages[0] == 1 and max(pages) >= 4
    for r in by_file["bulletin.pdf"]:       # the page number printed at the foot of the fact's page
        foot = re.search(r"^— (\d+) —$", extracted[r["source"]["end"]:], re.M)
        assert int(foot.group(1)) == r["source"]["page"], r
    assert all("page" not in r["source"] for r in by_file[SAMPLE.name] + by_file["bulletin.docx"])
