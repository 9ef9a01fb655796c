"""The extraction pipeline: a spaCy ``Language`` whose components find facts, one ``Doc`` a document.

A file is read once into its text view (``extract/textview.py``) and split into
documents; each document — all its parts, when another document's pages were
printed inside it — becomes its own view and its own ``Doc``.  The components
(``zhize_duties``, ``zhize_rosters``, ``zhize_portfolios``, ``zhize_appointments``,
registered factories) read the document's view (``doc._.view``) and add their
facts to ``doc._.facts``; the evidence of every fact is a ``Span`` in
``doc.spans["evidence"]``, labelled by fact kind, which displaCy can show.

Tokens are runs of text between punctuation marks, and every mark a token of
its own: a clause in brackets, a unit between 、, a roster line start and end on
token boundaries, so evidence spans are exact, and a ``Doc`` costs an eighth of
one token a character.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from zhize.extract.appointments import AppointmentExtractor
from zhize.extract.base import Extraction, Extractor
from zhize.extract.documents import split_documents
from zhize.extract.duties import DutyExtractor
from zhize.extract.portfolios import PortfolioExtractor
from zhize.extract.rosters import RosterExtractor
from zhize.extract.textview import TextView, text_view
from zhize.extract.types import DocumentFact, DocumentInfo, FileResult, RawText

for _name in ("view", "document", "facts", "unparsed"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

EXTRACTORS: dict[str, type] = {
    "zhize_duties": DutyExtractor,
    "zhize_rosters": RosterExtractor,
    "zhize_portfolios": PortfolioExtractor,
    "zhize_appointments": AppointmentExtractor,
}


class _FactComponent:
    """A fact extractor as a pipeline component: facts into ``doc._.facts``, evidence into spans."""

    def __init__(self, extractor: Extractor):
        self.extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        view: TextView = doc._.view
        found: Extraction = self.extractor.extract(view, doc._.document)
        doc._.facts.extend(found.facts)
        doc._.unparsed.extend(found.unparsed)
        spans = list(doc.spans["evidence"])
        for fact, (start, end) in zip(found.facts, found.spans):
            span = doc.char_span(start, end, label=fact.kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["evidence"] = spans
        return doc


def _register() -> None:
    for name, cls in EXTRACTORS.items():
        if name not in Language.factories:
            Language.factory(name, func=lambda nlp, name, cls=cls: _FactComponent(cls()))


_TOKEN = re.compile(r"[^\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u201f"
                    r"!-/:-@\[-`{-~]+|\s|.", re.S)


# A document longer than this is tokenised a line a token: its evidence spans cover whole lines,
# and its Doc stays small however big the file (a 50 MB bulletin with no document head).
FINE_TOKENS_UP_TO = 1_000_000


class ClauseTokenizer:
    """Runs of text between punctuation marks, every mark and space a token of its own."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = _TOKEN.findall(text) if len(text) <= FINE_TOKENS_UP_TO else text.splitlines(keepends=True)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline, built once per process (the extractors load their rule files once)."""
    import spacy

    _register()
    nlp = spacy.blank("zh")
    nlp.tokenizer = ClauseTokenizer(nlp.vocab)
    # spaCy's length limit guards its parser's memory; these components keep none per character
    nlp.max_length = 2 ** 31
    for name in EXTRACTORS:
        nlp.add_pipe(name)
    return nlp


def documents_of(raw: RawText) -> tuple[TextView, list[DocumentInfo], Iterator[tuple[TextView, DocumentInfo]]]:
    """The file's view, its documents, and lazily each document's own view and place in it."""
    view = text_view(raw)
    infos = split_documents(view)

    def each() -> Iterator[tuple[TextView, DocumentInfo]]:
        for info in infos:
            sub = view.excerpt(info.spans)
            yield sub, replace(info, start=0, end=len(sub.text), parts=())
    return view, infos, each()


def document_docs(raw: RawText) -> tuple[TextView, list[DocumentInfo], Iterator[Doc]]:
    """The file's view, its documents, and lazily one processed ``Doc`` a document: the pipeline
    run the spaCy way, for display (evidence spans displaCy shows, facts on ``doc._.facts``)."""
    view, infos, each = documents_of(raw)
    nlp = build_nlp()

    def docs() -> Iterator[Doc]:
        for sub, local in each:
            doc = nlp.make_doc(sub.text)
            doc._.view = sub
            doc._.document = local
            doc._.facts, doc._.unparsed = [], []
            doc.spans["evidence"] = []
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            yield doc
    return view, infos, docs()


def run(raw: RawText) -> list[Doc]:
    """Every document of the file as a processed ``Doc`` (for display: spans, facts, view)."""
    return list(document_docs(raw)[2])


# A file longer than this is read in parts cut at document heads, so memory stays flat in its size.
PART_CHARS = 1_000_000
_RAW_NUMBER = re.compile(r"^\s*[（(]?[\u4e00-\u9fa5]{1,10}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*[号號]\s*[)）]?\s*$")


def parts_of(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """Where a big file can be cut without cutting a document: before a document's head
    (its title, or its number when no title is printed right above it), else at a blank line."""
    out, start, n = [], 0, len(text)
    while n - start > size * 3 // 2:
        target = start + size
        window = text[target:target + size // 2]
        cut = None
        pos = 0
        previous: list[int] = []                       # starts of the last non-empty lines
        for line in window.split("\n"):
            if _RAW_NUMBER.match(line) and previous:
                cut = previous[-1] if len(previous) >= 1 and _looks_titled(window, previous[-1]) else pos
                break
            if line.strip():
                previous = (previous + [pos])[-2:]
            pos += len(line) + 1
        if cut is None:
            blank = window.find("\n\n")
            cut = blank + 2 if blank >= 0 else window.rfind("\n") + 1
        if cut <= 0:
            cut = len(window)
        out.append((start, target + cut))
        start = target + cut
    out.append((start, n))
    return out


def _looks_titled(window: str, at: int) -> bool:
    line = window[at:window.find("\n", at) if window.find("\n", at) >= 0 else len(window)]
    return bool(re.search(r"(?:通知|意见|决定|方案|办法|规定|细则|批复|通报|公告|通告|函|报告|规划|计划)\s*$", line))


def extract_text(raw: RawText) -> FileResult:
    if len(raw.text) <= PART_CHARS * 3 // 2:
        return _extract_whole(raw)
    merged = FileResult(file=raw.file)
    seen: set[tuple[str, str]] = set()
    for a, b in parts_of(raw.text):
        part = replace(raw, text=raw.text[a:b], offset=raw.offset + a,
                       line_offset=raw.line_offset + raw.text.count("\n", 0, a), pages=())
        got = _extract_whole(part)
        merged.documents.extend(got.documents)
        for f in got.facts:
            if f.kind == "document":
                if (f.doc, f.title) in seen:
                    continue
                seen.add((f.doc, f.title))
            merged.facts.append(f)
        merged.unparsed.extend(got.unparsed)
    merged.facts.sort(key=lambda f: (f.kind != "document", f.source.start, f.source.end))
    return merged


def _extract_whole(raw: RawText) -> FileResult:
    """The facts of one file: the pipeline's components run over each document's view.

    A ``Doc`` costs a fifth of extraction (measured on the development sets) and facts
    need none: the bulk path calls the same components' extractors directly; ``run``
    builds the Docs for display."""
    view, infos, each = documents_of(raw)
    extractors = [proc.extractor for _, proc in build_nlp().pipeline]
    facts, unparsed = [], []
    firsts: set[tuple[str, str]] = set()
    for info in infos:
        key = (info.doc, info.title)
        if key not in firsts:
            firsts.add(key)
            facts.append(_document_fact(view, info))
    for sub, local in each:
        for extractor in extractors:
            found = extractor.extract(sub, local)
            facts.extend(found.facts)
            unparsed.extend(found.unparsed)
    facts.sort(key=lambda f: (f.kind != "document", f.source.start, f.source.end))
    return FileResult(file=raw.file, documents=infos, facts=facts, unparsed=sorted(unparsed, key=lambda u: u.start))


def _document_fact(view: TextView, info: DocumentInfo) -> DocumentFact:
    line_end = view.text.find("\n", info.start)
    line_end = len(view.text) if line_end < 0 else line_end
    return DocumentFact(doc=info.doc, source=view.source(info.start, line_end),
                        evidence=view.printed[info.start:line_end], title=info.title,
                        issuer=info.issuer, date=info.date)
