"""The one interface every fact extractor implements."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo, Fact, Unparsed


@dataclass
class Extraction:
    facts: list[Fact] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)   # each fact's evidence in the view

    def add(self, fact: Fact, start: int, end: int) -> None:
        self.facts.append(fact)
        self.spans.append((start, end))

    def extend(self, other: "Extraction") -> None:
        self.facts.extend(other.facts)
        self.unparsed.extend(other.unparsed)
        self.spans.extend(other.spans)


class Extractor(Protocol):
    """Reads one document's view and returns its facts.

    ``text.text[doc.start:doc.end]`` is the document; offsets in facts go through
    ``text.source(start, end)`` so they point into the file as read, and each fact's
    evidence span in the view is kept beside it (``Extraction.add``).
    """

    name: str

    def extract(self, text: TextView, doc: DocumentInfo) -> Extraction: ...
